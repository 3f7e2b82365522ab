package dev.nightjar.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An API key presented in an Authorization header (Bearer, or Basic with the key as password). */
final class ApiKeyAuthenticationRequest extends BaseAuthenticationRequest {
    private final String key;

    ApiKeyAuthenticationRequest(String key) {
        this.key = key;
    }

    String key() {
        return key;
    }

    @Override
    public String toString() {
        return "ApiKeyAuthenticationRequest[key=<redacted>]";
    }
}
