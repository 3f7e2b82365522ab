package dev.nightjar.db.identity;

import dev.nightjar.core.TenantId;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Tenants: created by bootstrap or an operator, read by id only. */
@ApplicationScoped
public class Tenants {
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final Repositories.TenantRepository tenants;

    Tenants(Repositories.TenantRepository tenants) {
        this.tenants = tenants;
    }

    @Transactional
    public Tenant create(String slug, String name) {
        if (slug == null || !SLUG.matcher(slug).matches()) {
            throw new IllegalArgumentException("a tenant slug is 1-63 lowercase letters, digits or dashes");
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("a tenant name is 1-200 characters");
        }
        if (tenants.count("slug", slug) > 0) {
            throw new IllegalArgumentException("tenant slug '" + slug + "' is taken");
        }
        TenantEntity entity = new TenantEntity();
        entity.id = UUID.randomUUID();
        entity.slug = slug;
        entity.name = name.strip();
        entity.createdAt = Instant.now();
        tenants.persist(entity);
        return entity.toValue();
    }

    /**
     * Ids of the first {@code limit} tenants by id, for per-tenant background work (each tenant's data is
     * then read through its own id only); no names or other tenant details.
     */
    @Transactional
    public List<TenantId> ids(int limit) {
        return tenants.findAll(Sort.by("id")).page(0, limit).list().stream()
                .map(t -> TenantId.of(t.id))
                .toList();
    }

    @Transactional
    public Optional<Tenant> find(TenantId tenant) {
        return tenants.findByIdOptional(tenant.value()).map(TenantEntity::toValue);
    }
}
