package dev.nightjar.server.telemetry;

import dev.nightjar.ingest.otlp.OtlpExports;
import dev.nightjar.ingest.otlp.OtlpGrpcReceiver;
import dev.nightjar.ingest.otlp.OtlpHttpReceiver;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.concurrent.ExecutorService;
import org.jboss.logging.Logger;

/**
 * The OTLP receivers on their own ports (HTTP 4318, gRPC 4317 by default; a negative port turns one
 * off). A port that cannot be bound is logged as a warning rather than stopping the server: OTLP/HTTP
 * stays available on the main port under {@code /v1/}.
 */
final class OtlpReceivers {
    private static final Logger LOG = Logger.getLogger(OtlpReceivers.class);

    private final OtlpHttpReceiver http;
    private final OtlpGrpcReceiver grpc;
    private final TelemetrySettings settings;

    OtlpReceivers(OtlpExports exports, ExecutorService pool, TelemetrySettings settings) {
        this.http = new OtlpHttpReceiver(exports, pool);
        this.grpc = new OtlpGrpcReceiver(exports, pool);
        this.settings = settings;
    }

    void route(Router router) {
        http.route(router);
    }

    void start(Vertx vertx) {
        if (settings.otlpHttpPort() >= 0) {
            try {
                int port = http.start(vertx, settings.otlpHost(), settings.otlpHttpPort());
                LOG.infof("OTLP/HTTP listening on %s:%d", settings.otlpHost(), port);
            } catch (RuntimeException e) {
                LOG.warnf("OTLP/HTTP cannot listen on port %d: %s", settings.otlpHttpPort(), e.getMessage());
            }
        }
        if (settings.otlpGrpcPort() >= 0) {
            try {
                int port = grpc.start(vertx, settings.otlpHost(), settings.otlpGrpcPort());
                LOG.infof("OTLP/gRPC listening on %s:%d", settings.otlpHost(), port);
            } catch (RuntimeException e) {
                LOG.warnf("OTLP/gRPC cannot listen on port %d: %s", settings.otlpGrpcPort(), e.getMessage());
            }
        }
    }

    void stop() {
        try {
            http.stop();
            grpc.stop();
        } catch (RuntimeException e) {
            LOG.warnf("stopping OTLP receivers: %s", e.getMessage());
        }
    }
}
