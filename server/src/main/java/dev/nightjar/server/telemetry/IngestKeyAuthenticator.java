package dev.nightjar.server.telemetry;

import dev.nightjar.auth.AuthorizationHeader;
import dev.nightjar.db.identity.ApiKeys;
import dev.nightjar.db.identity.Scope;
import dev.nightjar.db.identity.VerifiedApiKey;
import dev.nightjar.ingest.IngestAuthenticator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import java.util.Optional;

/**
 * OTLP senders authenticate with an ingest-scoped API key ({@code Authorization: Bearer <key>}, as
 * {@code OTEL_EXPORTER_OTLP_HEADERS} sends it; Basic with the key as password works too). The tenant is
 * the key's, whatever the request says.
 */
@ApplicationScoped
class IngestKeyAuthenticator implements IngestAuthenticator {
    private final ApiKeys apiKeys;

    IngestKeyAuthenticator(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    @Override
    @ActivateRequestContext
    public Outcome authenticate(String authorizationHeader) {
        Optional<String> key = AuthorizationHeader.apiKey(authorizationHeader);
        if (key.isEmpty()) {
            return Outcome.unauthenticated("an API key is required: Authorization: Bearer <key>");
        }
        Optional<VerifiedApiKey> verified = apiKeys.verify(key.get());
        if (verified.isEmpty()) {
            return Outcome.unauthenticated("the API key is unknown or revoked");
        }
        if (!verified.get().scopes().contains(Scope.INGEST)) {
            return Outcome.forbidden("the API key lacks the ingest scope");
        }
        return Outcome.allowed(verified.get().tenant());
    }
}
