package dev.nightjar.db.identity;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * The raw Panache repositories. They are package-private on purpose: other modules go through the
 * tenant-scoped services ({@link ApiKeys}, {@link Tenants}, {@link Users}), so an unscoped
 * {@code findById} is impossible to write outside this package.
 */
final class Repositories {
    private Repositories() {}

    @ApplicationScoped
    static class TenantRepository implements PanacheRepositoryBase<TenantEntity, UUID> {}

    @ApplicationScoped
    static class UserRepository implements PanacheRepositoryBase<UserEntity, UUID> {}

    @ApplicationScoped
    static class MembershipRepository implements PanacheRepositoryBase<MembershipEntity, MembershipEntity.Key> {}

    @ApplicationScoped
    static class ApiKeyRepository implements PanacheRepositoryBase<ApiKeyEntity, UUID> {}

    @ApplicationScoped
    static class BootstrapStateRepository implements PanacheRepositoryBase<BootstrapStateEntity, Short> {}
}
