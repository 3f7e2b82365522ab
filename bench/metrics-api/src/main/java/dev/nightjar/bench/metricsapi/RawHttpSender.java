package dev.nightjar.bench.metricsapi;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client on one keep-alive connection: writes a pre-built header block and the body,
 * reads the status line, headers and a Content-Length or chunked body. It exists so the load generator
 * costs little CPU beside the receiver on a small machine (the JDK's HttpClient spends several times more
 * per request); both receivers are sent to by the same code.
 */
final class RawHttpSender implements AutoCloseable {

    record Response(int status, String body) {}

    private final URI uri;
    private final String auth;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    RawHttpSender(URI uri, String auth) {
        this.uri = uri;
        this.auth = auth;
    }

    Response post(byte[] body) throws IOException {
        if (socket == null) {
            socket = new Socket(uri.getHost(), uri.getPort());
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 8192);
        }
        StringBuilder head = new StringBuilder(256)
                .append("POST ")
                .append(uri.getRawPath())
                .append(" HTTP/1.1\r\nHost: ")
                .append(uri.getHost())
                .append(':')
                .append(uri.getPort())
                .append("\r\nContent-Type: application/x-protobuf\r\nContent-Encoding: snappy\r\n")
                .append("X-Prometheus-Remote-Write-Version: 0.1.0\r\nContent-Length: ")
                .append(body.length)
                .append("\r\n");
        if (auth != null) {
            head.append("Authorization: ").append(auth).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        out.write(request);
        out.flush();
        return read();
    }

    private Response read() throws IOException {
        String status = line();
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("bad status line: " + status);
        }
        int code = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" ->
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                default -> {}
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0; ) {
                copy(size, body);
                line();
                size = Long.parseLong(line().split(";")[0].trim(), 16);
            }
            while (!line().isEmpty()) {
                // trailers
            }
        } else if (length > 0) {
            copy(length, body);
        }
        if (close) {
            close();
        }
        return new Response(code, body.toString(StandardCharsets.UTF_8));
    }

    private void copy(long n, ByteArrayOutputStream to) throws IOException {
        byte[] buffer = new byte[(int) Math.min(n, 8192)];
        while (n > 0) {
            int r = in.read(buffer, 0, (int) Math.min(n, buffer.length));
            if (r < 0) {
                throw new IOException("connection closed inside a response body");
            }
            to.write(buffer, 0, r);
            n -= r;
        }
    }

    private String line() throws IOException {
        StringBuilder s = new StringBuilder(64);
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed inside a response");
            }
            if (c == '\n') {
                int last = s.length() - 1;
                return last >= 0 && s.charAt(last) == '\r' ? s.substring(0, last) : s.toString();
            }
            s.append((char) c);
        }
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }
}
