package dev.nightjar.api.prometheus;

import dev.nightjar.core.metrics.MetricsStoreException;
import dev.nightjar.promql.PromqlException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/** Runs one API call and turns every failure into Prometheus' error body and status code. */
final class PrometheusResponses {
    private static final Logger LOG = Logger.getLogger(PrometheusResponses.class);

    private PrometheusResponses() {}

    static Response run(Supplier<byte[]> call) {
        try {
            return Response.ok(call.get(), MediaType.APPLICATION_JSON_TYPE).build();
        } catch (PrometheusApiException e) {
            return error(e.errorType(), e.status(), e.getMessage());
        } catch (PromqlException e) {
            String type = e.type().apiName();
            return error(type, PrometheusApiException.statusOf(type), e.getMessage());
        } catch (MetricsStoreException e) {
            LOG.warnf("metrics store failed a query: %s", e.getMessage());
            return e.retryable()
                    ? error("unavailable", 503, "metrics store unavailable: " + e.getMessage())
                    : error("internal", 500, "metrics store error: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return error("bad_data", 400, e.getMessage());
        } catch (StackOverflowError e) {
            // A hostile query nested thousands deep must cost one 400, never the worker thread.
            return error("bad_data", 400, "query is nested too deeply");
        }
    }

    static Response error(String type, int status, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(PrometheusJson.error(type, message == null ? "" : message))
                .build();
    }
}
