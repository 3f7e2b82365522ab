package dev.nightjar.db.identity;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A local user with the tenants they belong to. */
public record UserAccount(UUID id, String username, List<Membership> memberships) {

    /** The tenant a dashboard session works in: the first membership, by creation order. */
    public Optional<Membership> primaryMembership() {
        return memberships.stream().findFirst();
    }
}
