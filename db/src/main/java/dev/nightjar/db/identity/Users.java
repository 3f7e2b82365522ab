package dev.nightjar.db.identity;

import dev.nightjar.core.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Local users and their memberships. Passwords are only ever stored as Argon2id hashes. */
@ApplicationScoped
public class Users {
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,99}");
    // Verifying against this keeps a missing user as slow as a wrong password, so timing reveals nothing.
    private static final String DUMMY_HASH =
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3wY0zXzR3zJ0Sx2pKz3u9g0G4Vd8yqfY7m8cXb1d6Eo";

    private final Repositories.UserRepository users;
    private final Repositories.MembershipRepository memberships;
    private final PasswordHasher hasher = new PasswordHasher();

    Users(Repositories.UserRepository users, Repositories.MembershipRepository memberships) {
        this.users = users;
        this.memberships = memberships;
    }

    public static boolean validUsername(String username) {
        return username != null && USERNAME.matcher(username).matches();
    }

    /** Creates a user who belongs to {@code tenant} with {@code role}. */
    @Transactional
    public UserAccount create(TenantId tenant, String username, String password, Role role) {
        if (!validUsername(username)) {
            throw new IllegalArgumentException(
                    "a username is 1-100 letters, digits or . _ @ - and starts with a letter or digit");
        }
        if (users.count("username", username) > 0) {
            throw new IllegalArgumentException("username '" + username + "' is taken");
        }
        UserEntity user = new UserEntity();
        user.id = UUID.randomUUID();
        user.username = username;
        user.passwordHash = hasher.hash(password);
        user.createdAt = Instant.now();
        users.persist(user);
        MembershipEntity membership = new MembershipEntity();
        membership.tenantId = tenant.value();
        membership.userId = user.id;
        membership.role = role.dbValue();
        membership.createdAt = user.createdAt;
        memberships.persist(membership);
        return new UserAccount(user.id, username, List.of(new Membership(tenant, role)));
    }

    /** The account if the password matches and the user is enabled; empty otherwise, in constant-ish time. */
    @Transactional
    public Optional<UserAccount> authenticate(String username, String password) {
        if (!validUsername(username) || password == null || password.length() > PasswordHasher.MAX_PASSWORD_LENGTH) {
            return Optional.empty();
        }
        Optional<UserEntity> user = users.find("username", username).firstResultOptional();
        boolean matches = hasher.verify(password, user.map(u -> u.passwordHash).orElse(DUMMY_HASH));
        if (user.isEmpty() || !matches || user.get().disabled) {
            return Optional.empty();
        }
        return Optional.of(account(user.get()));
    }

    /** Looks up an enabled user by name, for sessions that were authenticated earlier. */
    @Transactional
    public Optional<UserAccount> findEnabled(String username) {
        if (!validUsername(username)) {
            return Optional.empty();
        }
        return users.find("username", username)
                .firstResultOptional()
                .filter(u -> !u.disabled)
                .map(this::account);
    }

    /** How many users belong to a tenant with the given role. */
    @Transactional
    public long countMembers(TenantId tenant, Role role) {
        return memberships.count("tenantId = ?1 and role = ?2", tenant.value(), role.dbValue());
    }

    /** The tenant's members with their roles, by username. */
    @Transactional
    public List<Member> members(TenantId tenant) {
        return memberships.list("tenantId = ?1", tenant.value()).stream()
                .map(m -> new Member(m.userId, users.findById(m.userId).username, Role.fromDb(m.role)))
                .sorted(java.util.Comparator.comparing(Member::username))
                .toList();
    }

    /** A user as seen from one tenant. */
    public record Member(UUID id, String username, Role role) {}

    private UserAccount account(UserEntity user) {
        List<Membership> list = memberships.list("userId = ?1 order by createdAt, tenantId", user.id).stream()
                .map(m -> new Membership(TenantId.of(m.tenantId), Role.fromDb(m.role)))
                .toList();
        return new UserAccount(user.id, user.username, list);
    }
}
