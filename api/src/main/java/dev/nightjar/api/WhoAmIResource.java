package dev.nightjar.api;

import dev.nightjar.auth.Caller;
import dev.nightjar.auth.CurrentCaller;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/whoami")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Identity")
@Authenticated
public class WhoAmIResource {
    /** The identity a credential resolves to. */
    public record WhoAmI(String tenant, String subject, String kind, List<String> permissions) {}

    private final CurrentCaller currentCaller;

    WhoAmIResource(CurrentCaller currentCaller) {
        this.currentCaller = currentCaller;
    }

    @GET
    @Operation(summary = "The tenant and permissions of the presented credential")
    public WhoAmI get() {
        Caller caller = currentCaller.get();
        return new WhoAmI(
                caller.tenant().toString(),
                caller.subject(),
                caller.kind().name().toLowerCase(java.util.Locale.ROOT),
                caller.permissions().stream().sorted().toList());
    }
}
