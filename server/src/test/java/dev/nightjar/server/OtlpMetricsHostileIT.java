package dev.nightjar.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * OTLP metrics refused on the dedicated OTLP ports of the packaged server: hostile requests on both the HTTP
 * and gRPC ports get the right refusal, and the tenant comes only from the key.
 */
class OtlpMetricsHostileIT extends OtlpMetricsFixture {
    @Test
    void hostileRequestsOnTheHttpPort() {
        byte[] valid = request("metrics-it-hostile", gauge("hostile.http", 1)).toByteArray();
        HttpResponse<String> oversized = postOtlp(KEY, new byte[2 << 20]);
        assertThat(oversized.statusCode()).isEqualTo(413);
        HttpResponse<String> bomb = server.send(HttpRequest.newBuilder(otlpHttp("/v1/metrics"))
                .header("Content-Type", "application/x-protobuf")
                .header("Content-Encoding", "gzip")
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(OtlpRequests.gzip(new byte[64 << 20]))));
        assertThat(bomb.statusCode()).isEqualTo(413);
        assertThat(bomb.body()).contains("4194304");
        HttpResponse<String> malformed = postOtlp(KEY, new byte[] {0x0a, (byte) 0xff, 0x7f});
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("cannot parse the OTLP protobuf request");
        assertThat(postOtlp(null, valid).statusCode()).isEqualTo(401);
        assertThat(postOtlp("nj_wrong_key_00000000000000000000", valid).statusCode())
                .isEqualTo(401);

        String reader = createKey("reader", "read").get("secret").asText();
        assertThat(postOtlp(reader, valid).statusCode()).isEqualTo(403);
        JsonNode sender = createKey("sender", "ingest");
        String ingestKey = sender.get("secret").asText();
        assertThat(postOtlp(ingestKey, valid).statusCode()).isEqualTo(200);
        revoke(sender);
        assertThat(postOtlp(ingestKey, valid).statusCode()).isEqualTo(401);
        assertThat(postOtlp(KEY, valid).statusCode()).isEqualTo(200);
    }

    @Test
    void hostileCallsOnTheGrpcPort() throws Exception {
        byte[] valid = request("metrics-it-hostile", gauge("hostile.grpc", 1)).toByteArray();
        GrpcCalls.Call big = grpc.call(KEY, new byte[2 << 20], false);
        assertThat(big.grpcStatus()).isEqualTo("8");
        assertThat(big.grpcMessage()).contains("exceeds the limit");
        GrpcCalls.Call bomb = grpc.call(KEY, OtlpRequests.gzip(new byte[64 << 20]), true);
        assertThat(bomb.grpcStatus()).isEqualTo("8");
        assertThat(grpc.call(KEY, new byte[] {0x0a, (byte) 0xff, 0x7f}, false).grpcStatus())
                .isEqualTo("3");
        assertThat(grpc.call(null, valid, false).grpcStatus()).isEqualTo("16");
        assertThat(grpc.call("nj_wrong_key_00000000000000000000", valid, false).grpcStatus())
                .isEqualTo("16");

        String reader = createKey("grpc reader", "read").get("secret").asText();
        assertThat(grpc.call(reader, valid, false).grpcStatus()).isEqualTo("7");
        JsonNode sender = createKey("grpc sender", "ingest");
        String ingestKey = sender.get("secret").asText();
        GrpcCalls.Call accepted = grpc.call(ingestKey, valid, false);
        assertThat(accepted.grpcStatus()).isEqualTo("0");
        assertThat(ExportMetricsServiceResponse.parseFrom(accepted.message()).hasPartialSuccess())
                .isFalse();
        revoke(sender);
        assertThat(grpc.call(ingestKey, valid, false).grpcStatus()).isEqualTo("16");
        assertThat(value("hostile_grpc{job=\"metrics-it-hostile\"}")).isEqualTo(1.0);
    }

    @Test
    void theTenantComesOnlyFromTheKey() throws Exception {
        byte[] body = request("metrics-it-tenant-b", gauge("tenant.secret", 7)).toByteArray();
        HttpResponse<String> viaHttp = server.send(HttpRequest.newBuilder(otlpHttp("/v1/metrics"))
                .header("Content-Type", "application/x-protobuf")
                .header("Authorization", "Bearer " + OTHER_TENANT_KEY)
                .header("X-Scope-OrgID", "default")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(viaHttp.statusCode()).isEqualTo(200);
        assertThat(grpc.call(OTHER_TENANT_KEY, body, false).grpcStatus()).isEqualTo("0");
        assertThat(valueAs("tenant_secret", OTHER_TENANT_KEY)).isEqualTo(7.0);
        JsonNode forA = query("tenant_secret", KEY);
        assertThat(forA.path("data").path("result")).isEmpty();
    }
}
