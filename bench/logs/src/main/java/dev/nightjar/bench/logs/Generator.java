package dev.nightjar.bench.logs;

import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.InstrumentationScope;
import dev.nightjar.core.telemetry.Resource;
import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.traces.Span;
import dev.nightjar.core.traces.SpanKind;
import dev.nightjar.core.traces.SpanStatus;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic, varied telemetry: 25 services × 2 namespaces × 3 pods with realistic Kubernetes and SDK
 * resource attributes; log bodies from a dozen templates filled from word lists and random values
 * (access logs, auth, connection errors, cache, queues, slow queries, payments, stack traces, free
 * sentences); severities mostly INFO; traces of 3–15 spans over 2–5 services. Never one repeated record.
 */
final class Generator {

    static final String[] SERVICES = {
        "frontend",
        "gateway",
        "checkout",
        "cart",
        "payments",
        "auth",
        "search",
        "catalog",
        "inventory",
        "shipping",
        "email",
        "recommendation",
        "ads",
        "user-profile",
        "notification",
        "billing",
        "pricing",
        "reviews",
        "orders",
        "fraud-detect",
        "currency",
        "quote",
        "loyalty",
        "media",
        "analytics"
    };
    private static final String[] LANGS = {"java", "go", "python", "nodejs", "dotnet"};
    private static final String[] WORDS =
            ("the request response server client session token user account order item price cart payment card "
                            + "invoice shipment address warehouse stock query index table row column cache key value queue topic "
                            + "message consumer producer partition offset retry timeout deadline circuit breaker upstream downstream "
                            + "connection socket handshake certificate tls dns lookup resolve route handler middleware filter "
                            + "validation schema field missing invalid unexpected null empty duplicate conflict stale expired "
                            + "refreshed created updated deleted loaded saved flushed committed rolled back started stopped "
                            + "scheduled completed failed succeeded skipped throttled rejected accepted queued dropped "
                            + "worker thread pool executor task job batch chunk page cursor limit offset window bucket metric "
                            + "latency throughput error warning notice debug trace span context header cookie body payload "
                            + "json xml protobuf grpc http rest graphql websocket kafka rabbitmq redis postgres mysql mongo "
                            + "elastic lucene s3 bucket object blob file disk memory cpu heap gc pause allocation leak "
                            + "kubernetes pod node container image deployment replica service ingress config secret volume "
                            + "customer tenant region zone cluster shard replica leader follower election heartbeat gossip")
                    .split(" ");
    private static final String[] ROUTES = {
        "/api/v1/orders/{id}",
        "/api/v1/cart",
        "/api/v1/cart/items",
        "/api/v1/products",
        "/api/v1/products/{id}",
        "/api/v1/users/{id}",
        "/api/v1/login",
        "/api/v1/payments",
        "/api/v1/search",
        "/health",
        "/api/v2/quotes",
        "/api/v1/shipments/{id}",
        "/api/v1/recommendations",
        "/metrics"
    };
    private static final String[] METHODS = {"GET", "GET", "GET", "POST", "PUT", "DELETE", "PATCH"};
    private static final String[] TABLES = {
        "orders", "order_items", "users", "sessions", "products", "inventory", "payments"
    };
    private static final String[] TOPICS = {"orders.created", "payments.authorized", "cart.updated", "emails.outbound"};
    private static final String[] EXCEPTIONS = {
        "java.lang.IllegalStateException",
        "java.net.SocketTimeoutException",
        "java.sql.SQLTransientConnectionException",
        "java.lang.NullPointerException",
        "io.grpc.StatusRuntimeException"
    };

    final List<Resource> resources = new ArrayList<>();
    private final InstrumentationScope[] scopes;
    private final SplittableRandom random;
    private final HexFormat hex = HexFormat.of();

    Generator(long seed) {
        random = new SplittableRandom(seed);
        for (String ns : new String[] {"prod", "staging"}) {
            for (int s = 0; s < SERVICES.length; s++) {
                for (int pod = 0; pod < 3; pod++) {
                    String svc = SERVICES[s];
                    String node = "ip-10-0-" + random.nextInt(16) + "-" + random.nextInt(255) + ".ec2.internal";
                    String lang = LANGS[s % LANGS.length];
                    resources.add(new Resource(Attributes.builder()
                            .put("service.name", svc)
                            .put("service.namespace", "shop")
                            .put("service.version", "1." + (s % 7) + "." + random.nextInt(20))
                            .put("service.instance.id", hex.toHexDigits(random.nextLong()))
                            .put("deployment.environment", ns)
                            .put("k8s.cluster.name", "eu-west-1-main")
                            .put("k8s.namespace.name", "shop-" + ns)
                            .put("k8s.deployment.name", svc)
                            .put(
                                    "k8s.pod.name",
                                    svc + "-" + Integer.toHexString(random.nextInt(0xfffff)) + "-"
                                            + Integer.toString(random.nextInt(36 * 36 * 36 * 36), 36))
                            .put("k8s.node.name", node)
                            .put("host.name", node)
                            .put(
                                    "container.id",
                                    hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextLong()))
                            .put("cloud.provider", "aws")
                            .put("cloud.region", "eu-west-1")
                            .put("telemetry.sdk.language", lang)
                            .put("telemetry.sdk.name", "opentelemetry")
                            .put("telemetry.sdk.version", "1.4" + (s % 3) + ".0")
                            .put("process.pid", 1L + random.nextInt(60000))
                            .build()));
                }
            }
        }
        scopes = new InstrumentationScope[SERVICES.length];
        for (int s = 0; s < SERVICES.length; s++) {
            scopes[s] = InstrumentationScope.of("com.example." + SERVICES[s].replace('-', '.') + ".Logger", "");
        }
    }

    private String word() {
        return WORDS[random.nextInt(WORDS.length)];
    }

    private String sentence(int min, int max) {
        int n = min + random.nextInt(max - min + 1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(word());
        }
        return sb.toString();
    }

    private String ip() {
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
    }

    private String route() {
        return ROUTES[random.nextInt(ROUTES.length)];
    }

    /** One batch of {@code size} records from {@code resourcesPerBatch} resources (a node agent's batch). */
    List<LogRecord> logBatch(
            int size, long firstTimeNanos, long stepNanos, long needleEvery, long index0, int resourcesPerBatch) {
        Resource[] batchResources = new Resource[resourcesPerBatch];
        for (int i = 0; i < resourcesPerBatch; i++) {
            batchResources[i] = resources.get(random.nextInt(resources.size()));
        }
        List<LogRecord> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            long index = index0 + i;
            Resource res = batchResources[random.nextInt(resourcesPerBatch)];
            long t = firstTimeNanos + i * stepNanos + random.nextLong(stepNanos + 1);
            out.add(log(res, t, index % needleEvery == needleEvery / 2 ? needle(index / needleEvery) : null));
        }
        return out;
    }

    static String needle(long k) {
        return "ndl" + Long.toString(k, 36) + "q";
    }

    private LogRecord log(Resource res, long t, String needle) {
        String svc = res.serviceName();
        int svcIndex = java.util.Arrays.asList(SERVICES).indexOf(svc);
        int roll = random.nextInt(1000);
        int severity = roll < 60 ? 5 : roll < 880 ? 9 : roll < 960 ? 13 : roll < 997 ? 17 : 21;
        String sevText = switch (severity) {
            case 5 -> "DEBUG";
            case 9 -> "INFO";
            case 13 -> "WARN";
            case 17 -> "ERROR";
            default -> "FATAL";
        };
        Attributes.Builder attrs = Attributes.builder()
                .put("thread.name", "http-nio-8080-exec-" + random.nextInt(200))
                .put(
                        "log.logger",
                        "com.example." + svc.replace('-', '.') + "." + Character.toUpperCase(word().charAt(0)) + word()
                                + "Service");
        String body;
        int kind = random.nextInt(severity >= 17 ? 4 : 12);
        switch (kind) {
            case 0 -> {
                String ex = EXCEPTIONS[random.nextInt(EXCEPTIONS.length)];
                body = ex + ": " + sentence(4, 10) + "\n\tat com.example." + svc.replace('-', '.') + "." + word() + "("
                        + word() + ".java:" + random.nextInt(900) + ")\n\tat com.example.common." + word() + "("
                        + word() + ".java:" + random.nextInt(900) + ")\n\t... " + random.nextInt(80) + " more";
                attrs.put("exception.type", ex);
            }
            case 1 ->
                body = "Failed to connect to " + SERVICES[random.nextInt(SERVICES.length)] + ":"
                        + (8000 + random.nextInt(100)) + ": connection refused (attempt " + (1 + random.nextInt(5))
                        + "/5)";
            case 2 ->
                body = "Slow query detected: SELECT * FROM " + TABLES[random.nextInt(TABLES.length)]
                        + " WHERE id = $1 took " + (200 + random.nextInt(5000)) + " ms";
            case 3 -> body = "Request " + hex.toHexDigits(random.nextLong()) + " " + sentence(3, 9);
            case 4, 5, 6, 7 -> {
                String method = METHODS[random.nextInt(METHODS.length)];
                String route = route();
                long status = random.nextInt(100) < 93 ? 200 : random.nextInt(100) < 70 ? 404 : 503;
                double ms = Math.round(Math.exp(random.nextDouble() * 6) * 100) / 100.0;
                body = method + " " + route.replace("{id}", Long.toString(random.nextInt(1_000_000))) + " " + status
                        + " " + ms + "ms ip=" + ip() + " ua=\"Mozilla/5.0 (" + word() + ")\"";
                attrs.put("http.request.method", method)
                        .put("http.route", route)
                        .put("http.response.status_code", status)
                        .put("duration_ms", ms)
                        .put("client.address", ip());
            }
            case 8 -> {
                body = "User user-" + random.nextInt(100_000) + " logged in from " + ip() + " using " + word() + " "
                        + word();
                attrs.put("user.id", "user-" + random.nextInt(100_000))
                        .put("auth.method", random.nextBoolean() ? "password" : "oidc");
            }
            case 9 ->
                body = "Cache miss for key " + word() + ":" + random.nextInt(1_000_000) + "; loading from "
                        + TABLES[random.nextInt(TABLES.length)];
            case 10 -> {
                String topic = TOPICS[random.nextInt(TOPICS.length)];
                body = "Processed batch of " + random.nextInt(500) + " messages from topic " + topic + " partition "
                        + random.nextInt(12) + " in " + random.nextInt(900) + " ms";
                attrs.put("messaging.destination.name", topic)
                        .put("messaging.batch.message_count", (long) random.nextInt(500));
            }
            default -> body = Character.toUpperCase(word().charAt(0)) + " " + sentence(5, 22) + ".";
        }
        if (needle != null) {
            body = body + " marker " + needle;
        }
        LogRecord.Builder b = LogRecord.builder()
                .timeUnixNano(t)
                .observedTimeUnixNano(t + random.nextInt(5_000_000))
                .severityNumber(severity)
                .severityText(sevText)
                .body(body)
                .attributes(attrs.build())
                .resource(res)
                .scope(scopes[svcIndex]);
        if (random.nextInt(10) < 7) {
            b.traceId(new TraceId(random.nextLong() | 1, random.nextLong()))
                    .spanId(new SpanId(random.nextLong() | 1))
                    .flags(1);
        }
        return b.build();
    }

    /** A trace of 3–15 spans over 2–5 services starting at {@code start}. */
    List<Span> trace(long start) {
        TraceId trace = new TraceId(random.nextLong() | 1, random.nextLong());
        int nServices = 2 + random.nextInt(4);
        Resource[] res = new Resource[nServices];
        for (int i = 0; i < nServices; i++) {
            res[i] = resources.get(random.nextInt(resources.size()));
        }
        int n = 3 + random.nextInt(13);
        List<Span> spans = new ArrayList<>(n);
        boolean failed = random.nextInt(100) < 3;
        long rootDur = (long) (Math.exp(random.nextGaussian() * 0.8 + 3.5) * 1_000_000); // ~33 ms median
        String route = route();
        Span root = Span.builder()
                .traceId(trace)
                .spanId(new SpanId(random.nextLong() | 1))
                .name("GET " + route)
                .kind(SpanKind.SERVER)
                .startTimeUnixNano(start)
                .endTimeUnixNano(start + rootDur)
                .attributes(Attributes.builder()
                        .put("http.request.method", "GET")
                        .put("http.route", route)
                        .put("http.response.status_code", failed ? 500L : 200L)
                        .put("url.scheme", "https")
                        .put("client.address", ip())
                        .build())
                .status(failed ? SpanStatus.error("upstream failure") : SpanStatus.UNSET)
                .resource(res[0])
                .scope(InstrumentationScope.of("io.opentelemetry.tomcat-10.0", "2.10.0-alpha"))
                .build();
        spans.add(root);
        for (int i = 1; i < n; i++) {
            Span parent = spans.get(random.nextInt(spans.size()));
            Resource r = res[random.nextInt(nServices)];
            boolean db = random.nextInt(3) == 0;
            long pStart = parent.startTimeUnixNano();
            long pDur = Math.max(1000, parent.durationNanos());
            long s0 = pStart + random.nextLong(pDur / 2 + 1);
            long d = 1 + random.nextLong(Math.max(1, pStart + pDur - s0));
            boolean entry = !db && random.nextBoolean() && r != parent.resource();
            String table = TABLES[random.nextInt(TABLES.length)];
            spans.add(Span.builder()
                    .traceId(trace)
                    .spanId(new SpanId(random.nextLong() | 1))
                    .parentSpanId(parent.spanId())
                    .name(db ? "SELECT " + table : entry ? "POST /internal/" + word() : word() + "." + word())
                    .kind(db ? SpanKind.CLIENT : entry ? SpanKind.SERVER : SpanKind.INTERNAL)
                    .startTimeUnixNano(s0)
                    .endTimeUnixNano(s0 + d)
                    .attributes(
                            db
                                    ? Attributes.of(
                                            "db.system",
                                            "postgresql",
                                            "db.statement",
                                            "SELECT * FROM " + table + " WHERE id = $1",
                                            "db.name",
                                            "shop")
                                    : Attributes.of("thread.name", "worker-" + random.nextInt(32)))
                    .status(failed && i == n - 1 ? SpanStatus.error("timeout") : SpanStatus.UNSET)
                    .resource(r)
                    .scope(InstrumentationScope.of(
                            db ? "io.opentelemetry.jdbc" : "io.opentelemetry.spring-webmvc-6.0", "2.10.0-alpha"))
                    .build());
        }
        return spans;
    }
}
