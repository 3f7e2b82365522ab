package dev.nightjar.api.users;

import dev.nightjar.auth.CurrentCaller;
import dev.nightjar.auth.Permissions;
import dev.nightjar.db.identity.Users;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/users")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Users", description = "Members of the caller's tenant")
@RolesAllowed(Permissions.ADMIN)
public class UserResource {
    /** A member of the tenant. */
    public record MemberView(UUID id, String username, String role) {}

    private final Users users;
    private final CurrentCaller caller;

    UserResource(Users users, CurrentCaller caller) {
        this.users = users;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "List the tenant's members and their roles")
    public List<MemberView> list() {
        return users.members(caller.get().tenant()).stream()
                .map(m -> new MemberView(m.id(), m.username(), m.role().name().toLowerCase(Locale.ROOT)))
                .toList();
    }
}
