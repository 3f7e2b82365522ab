package dev.nightjar.db.identity;

import dev.nightjar.core.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;

/**
 * Creates the default tenant, the admin user and an ingest key exactly once per database. Runs in one
 * transaction guarded by the {@code bootstrap_state} row, so concurrent or repeated starts cannot create
 * a second admin.
 */
@ApplicationScoped
public class FirstStart {
    public static final String DEFAULT_TENANT_SLUG = "default";
    public static final String ADMIN_USERNAME = "admin";

    /** What first start created; secrets are present only in this value and printed once. */
    public record Credentials(TenantId tenant, String adminUsername, String adminPassword, IssuedApiKey apiKey) {
        @Override
        public String toString() {
            return "Credentials[tenant=" + tenant + ", adminUsername=" + adminUsername + ", secrets=<redacted>]";
        }
    }

    /** Operator-supplied values for automated setups; blank means generate one. */
    public record Overrides(Optional<String> adminPassword, Optional<String> apiKey) {}

    private final EntityManager em;
    private final Tenants tenants;
    private final Users users;
    private final ApiKeys apiKeys;

    FirstStart(EntityManager em, Tenants tenants, Users users, ApiKeys apiKeys) {
        this.em = em;
        this.tenants = tenants;
        this.users = users;
        this.apiKeys = apiKeys;
    }

    /** Bootstraps if this database has never been bootstrapped; empty when it already was. */
    @Transactional
    public Optional<Credentials> bootstrapIfNeeded(Overrides overrides) {
        // A transaction-scoped advisory lock serialises two servers starting against one fresh database.
        em.createNativeQuery("select pg_advisory_xact_lock(4242001)").getSingleResult();
        if (em.find(BootstrapStateEntity.class, BootstrapStateEntity.SINGLETON) != null) {
            return Optional.empty();
        }
        Tenant tenant = tenants.create(DEFAULT_TENANT_SLUG, "Default");
        String password = overrides.adminPassword().filter(p -> !p.isBlank()).orElseGet(Secrets::newPassword);
        users.create(tenant.id(), ADMIN_USERNAME, password, Role.ADMIN);
        EnumSet<Scope> ingestScopes = EnumSet.of(Scope.INGEST);
        IssuedApiKey key = overrides
                .apiKey()
                .filter(k -> !k.isBlank())
                .map(k -> apiKeys.createWithSecret(tenant.id(), "bootstrap", EnumSet.allOf(Scope.class), k))
                .orElseGet(() -> apiKeys.create(tenant.id(), "default ingest", ingestScopes, Optional.empty()));
        BootstrapStateEntity state = new BootstrapStateEntity();
        state.id = BootstrapStateEntity.SINGLETON;
        state.tenantId = tenant.id().value();
        state.completedAt = Instant.now();
        em.persist(state);
        return Optional.of(new Credentials(tenant.id(), ADMIN_USERNAME, password, key));
    }

    /** The tenant first start created, if it has run. */
    @Transactional
    public Optional<TenantId> defaultTenant() {
        return Optional.ofNullable(em.find(BootstrapStateEntity.class, BootstrapStateEntity.SINGLETON))
                .map(s -> TenantId.of(s.tenantId));
    }
}
