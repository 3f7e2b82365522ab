package dev.nightjar.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AuthorizationHeaderTest {

    private static String basic(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsBearerAndBasicPassword() {
        assertThat(AuthorizationHeader.apiKey("Bearer nj_abc")).contains("nj_abc");
        assertThat(AuthorizationHeader.apiKey("bearer   nj_abc  ")).contains("nj_abc");
        assertThat(AuthorizationHeader.apiKey(basic("grafana:nj_abc"))).contains("nj_abc");
        assertThat(AuthorizationHeader.apiKey(basic(":nj_abc"))).contains("nj_abc");
    }

    @Test
    void refusesEverythingElse() {
        assertThat(AuthorizationHeader.apiKey(null)).isEmpty();
        assertThat(AuthorizationHeader.apiKey("")).isEmpty();
        assertThat(AuthorizationHeader.apiKey("Bearer")).isEmpty();
        assertThat(AuthorizationHeader.apiKey("Bearer ")).isEmpty();
        assertThat(AuthorizationHeader.apiKey("Digest username=x")).isEmpty();
        assertThat(AuthorizationHeader.apiKey("Basic !!!not-base64!!!")).isEmpty();
        assertThat(AuthorizationHeader.apiKey(basic("no-colon"))).isEmpty();
        assertThat(AuthorizationHeader.apiKey(basic("user:"))).isEmpty();
        assertThat(AuthorizationHeader.apiKey("Bearer " + "x".repeat(5000))).isEmpty();
    }
}
