package dev.nightjar.ingest;

import dev.nightjar.core.TenantId;

/**
 * Checks the credential of an export request. The tenant comes only from here, never from the request.
 * Implementations may block (a database lookup); receivers call them off the event loop.
 */
@FunctionalInterface
public interface IngestAuthenticator {

    Outcome authenticate(String authorizationHeader);

    /** Either a tenant, or a refusal: 401 (no or unknown credential) or 403 (not allowed to ingest). */
    record Outcome(TenantId tenant, int status, String message) {

        public static Outcome allowed(TenantId tenant) {
            return new Outcome(tenant, 200, "");
        }

        public static Outcome unauthenticated(String message) {
            return new Outcome(null, 401, message);
        }

        public static Outcome forbidden(String message) {
            return new Outcome(null, 403, message);
        }

        public boolean ok() {
            return tenant != null;
        }
    }
}
