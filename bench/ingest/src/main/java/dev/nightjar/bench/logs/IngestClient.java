package dev.nightjar.bench.logs;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load client, run as its own process so that the server's CPU figure holds only the server's work:
 * reads pre-encoded OTLP export bodies from a file and sends them over {@code clients} connections as
 * OTLP/HTTP protobuf (JDK HttpClient) or OTLP/gRPC (Vert.x HTTP/2 client, prior knowledge), one export
 * in flight per connection, retrying 429/503/UNAVAILABLE. Once the bodies are read it prints {@code ready}
 * and waits for {@code go} on standard input; at the end it prints the seconds until the last answer and its
 * own CPU time.
 *
 * <p>Arguments: {@code http|grpc port path bodiesFile clients [authorization]}.
 */
public final class IngestClient {
    private IngestClient() {}

    public static void main(String[] args) throws Exception {
        String transport = args[0];
        int port = Integer.parseInt(args[1]);
        String path = args[2];
        List<byte[]> bodies = read(Path.of(args[3]));
        int clients = Integer.parseInt(args[4]);
        String authorization = args.length > 5 ? args[5] : "bench";
        // The bench starts its clock on "go": the client's own start-up (JVM, reading the bodies) is not
        // time the server spent ingesting.
        System.out.println("ready");
        System.out.flush();
        String go = new java.io.BufferedReader(
                        new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8))
                .readLine();
        if (!"go".equals(go)) {
            throw new IllegalStateException("expected go, got " + go);
        }
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        if (transport.equals("grpc")) {
            grpc(port, path, bodies, clients, authorization);
        } else {
            http(port, path, bodies, clients, authorization);
        }
        System.out.printf("client-seconds %.3f%n", (System.nanoTime() - t0) / 1e9);
        System.out.printf("client-cpu-seconds %.3f%n", (cpuNanos() - cpu0) / 1e9);
    }

    /** The file holds a sequence of (int length, bytes) frames, as {@link #write} leaves them. */
    static List<byte[]> read(Path file) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 20))) {
            while (in.available() > 0) {
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                out.add(b);
            }
        }
        return out;
    }

    static void write(Path file, List<byte[]> bodies) throws IOException {
        try (var out =
                new java.io.DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20))) {
            for (byte[] b : bodies) {
                out.writeInt(b.length);
                out.write(b);
            }
        }
    }

    /** Sends one export until it is accepted (retrying when the server asks for it). */
    private interface Export {
        void send(byte[] body) throws Exception;
    }

    /** Sends every body once, {@code clients} at a time, each sender taking the next unsent body. */
    private static void sendAll(List<byte[]> bodies, int clients, Export export) throws Exception {
        AtomicInteger next = new AtomicInteger();
        Exception[] failure = new Exception[1];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i; (i = next.getAndIncrement()) < bodies.size(); ) {
                        export.send(bodies.get(i));
                    }
                } catch (Exception e) {
                    failure[0] = e;
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    private static void http(int port, String path, List<byte[]> bodies, int clients, String authorization)
            throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build();
        URI uri = URI.create("http://127.0.0.1:" + port + path);
        sendAll(bodies, clients, body -> {
            HttpRequest req = HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/x-protobuf")
                    .header("Authorization", authorization)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            while (true) {
                HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() == 200) {
                    return;
                }
                if (r.statusCode() != 429 && r.statusCode() != 503) {
                    throw new IllegalStateException(path + " answered " + r.statusCode());
                }
                Thread.sleep(50);
            }
        });
    }

    private static void grpc(int port, String path, List<byte[]> bodies, int clients, String authorization)
            throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                    .setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false)
                    .setHttp2MaxPoolSize(1)
                    .setHttp2MultiplexingLimit(clients));
            sendAll(bodies, clients, message -> {
                Buffer framed = Buffer.buffer(5 + message.length)
                        .appendByte((byte) 0)
                        .appendInt(message.length)
                        .appendBytes(message);
                while (!sendGrpc(client, port, path, framed, authorization)) {
                    Thread.sleep(50);
                }
            });
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** True when the export was accepted, false when the server asked for a retry (UNAVAILABLE). */
    private static boolean sendGrpc(HttpClient client, int port, String path, Buffer framed, String authorization)
            throws Exception {
        // The status is in the trailers (or, for a trailers-only answer, in the headers).
        Future<String> code = client.request(new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setHost("127.0.0.1")
                        .setPort(port)
                        .setURI(path))
                .compose(req -> {
                    req.putHeader("content-type", "application/grpc")
                            .putHeader("te", "trailers")
                            .putHeader("authorization", authorization);
                    return req.send(framed)
                            .compose(resp -> resp.body().map(b -> {
                                String s = resp.getTrailer("grpc-status");
                                return s != null ? s : resp.getHeader("grpc-status");
                            }));
                });
        String s = code.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        if ("0".equals(s)) {
            return true;
        }
        if ("14".equals(s)) {
            return false;
        }
        throw new IllegalStateException(path + " answered grpc-status " + s);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
