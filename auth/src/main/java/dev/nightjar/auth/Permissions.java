package dev.nightjar.auth;

import dev.nightjar.db.identity.Role;
import dev.nightjar.db.identity.Scope;
import java.util.Set;
import java.util.stream.Collectors;

/** The role names endpoints check with {@code @RolesAllowed}. */
public final class Permissions {
    public static final String INGEST = "ingest";
    public static final String READ = "read";
    public static final String EDIT = "edit";
    public static final String ADMIN = "admin";

    private Permissions() {}

    static Set<String> of(Set<Scope> scopes) {
        return scopes.stream().map(Scope::value).collect(Collectors.toUnmodifiableSet());
    }

    static Set<String> of(Role role) {
        return switch (role) {
            case ADMIN -> Set.of(ADMIN, EDIT, READ);
            case EDITOR -> Set.of(EDIT, READ);
            case VIEWER -> Set.of(READ);
        };
    }
}
