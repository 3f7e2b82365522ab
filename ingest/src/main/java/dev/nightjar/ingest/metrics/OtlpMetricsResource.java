package dev.nightjar.ingest.metrics;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.nightjar.auth.CurrentCaller;
import dev.nightjar.auth.Permissions;
import dev.nightjar.core.TenantId;
import dev.nightjar.core.metrics.MetricsStoreException;
import dev.nightjar.core.metrics.MetricsWriter;
import dev.nightjar.core.metrics.SeriesLimitExceededException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * OTLP/HTTP metrics on the main port ({@code POST /v1/metrics}, protobuf or JSON, optionally gzip),
 * translated to Prometheus series by {@link OtlpMetricsTranslator}. Answers as OTLP/HTTP prescribes:
 * 200 with {@code partial_success} for refused points, 400 for undecodable bodies, 503 (retryable) when
 * the store cannot make the points durable.
 */
@Path("/v1/metrics")
@RolesAllowed(Permissions.INGEST)
public class OtlpMetricsResource {
    private static final String PROTOBUF = "application/x-protobuf";

    private final OtlpMetricsIngest ingest;
    private final CurrentCaller caller;
    private final int maxBytes;
    private final int maxDecompressed;

    OtlpMetricsResource(
            MetricsWriter writer,
            CurrentCaller caller,
            @ConfigProperty(name = "nightjar.remote-write.max-compressed-bytes", defaultValue = "10485760")
                    int maxBytes,
            @ConfigProperty(name = "nightjar.remote-write.max-decompressed-bytes", defaultValue = "67108864")
                    int maxDecompressed) {
        this.ingest = new OtlpMetricsIngest(writer);
        this.caller = caller;
        this.maxBytes = maxBytes;
        this.maxDecompressed = maxDecompressed;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response export(
            InputStream body,
            @HeaderParam("Content-Type") String contentType,
            @HeaderParam("Content-Encoding") String encoding) {
        TenantId tenant = caller.get().tenant();
        boolean json =
                contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json");
        try {
            byte[] raw = read(body, encoding);
            ExportMetricsServiceRequest request = parse(raw, json);
            return reply(200, ingest.export(tenant, request), json);
        } catch (RemoteWriteException e) {
            return Response.status(e.status())
                    .type(MediaType.TEXT_PLAIN_TYPE)
                    .entity(e.getMessage() + "\n")
                    .build();
        } catch (SeriesLimitExceededException e) {
            return Response.status(400)
                    .type(MediaType.TEXT_PLAIN_TYPE)
                    .entity("series limit exceeded: " + e.getMessage() + "\n")
                    .build();
        } catch (MetricsStoreException e) {
            return Response.status(e.retryable() ? 503 : 500)
                    .type(MediaType.TEXT_PLAIN_TYPE)
                    .entity("metrics store: " + e.getMessage() + "\n")
                    .build();
        }
    }

    private byte[] read(InputStream body, String encoding) {
        try {
            byte[] bytes = body == null ? new byte[0] : body.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new RemoteWriteException(413, "body larger than " + maxBytes + " bytes");
            }
            if (encoding == null || encoding.isBlank() || encoding.strip().equalsIgnoreCase("identity")) {
                return bytes;
            }
            if (!encoding.strip().equalsIgnoreCase("gzip")) {
                throw new RemoteWriteException(415, "unsupported Content-Encoding; use gzip or none");
            }
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                byte[] raw = in.readNBytes(maxDecompressed + 1);
                if (raw.length > maxDecompressed) {
                    throw new RemoteWriteException(413, "body decompresses to more than " + maxDecompressed + " bytes");
                }
                return raw;
            }
        } catch (IOException e) {
            throw new RemoteWriteException(400, "could not read the body: " + e.getMessage());
        }
    }

    private static ExportMetricsServiceRequest parse(byte[] raw, boolean json) {
        try {
            if (json) {
                ExportMetricsServiceRequest.Builder builder = ExportMetricsServiceRequest.newBuilder();
                JsonFormat.parser().ignoringUnknownFields().merge(new String(raw, StandardCharsets.UTF_8), builder);
                return builder.build();
            }
            return ExportMetricsServiceRequest.parseFrom(raw);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new RemoteWriteException(
                    400, "malformed OTLP metrics " + (json ? "JSON" : "protobuf") + ": " + e.getMessage());
        }
    }

    private static Response reply(int status, ExportMetricsServiceResponse reply, boolean json) {
        if (json) {
            try {
                return Response.status(status)
                        .type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(JsonFormat.printer().print(reply))
                        .build();
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        }
        return Response.status(status)
                .type(PROTOBUF)
                .entity(reply.toByteArray())
                .build();
    }
}
