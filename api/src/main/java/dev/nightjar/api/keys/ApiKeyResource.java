package dev.nightjar.api.keys;

import dev.nightjar.auth.CurrentCaller;
import dev.nightjar.auth.Permissions;
import dev.nightjar.db.identity.ApiKeys;
import dev.nightjar.db.identity.IssuedApiKey;
import dev.nightjar.db.identity.Scope;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "API keys", description = "Keys for ingest, queries and administration of the caller's tenant")
@RolesAllowed(Permissions.ADMIN)
public class ApiKeyResource {
    static final int MAX_SCOPES = 8;

    private final ApiKeys apiKeys;
    private final CurrentCaller caller;

    ApiKeyResource(ApiKeys apiKeys, CurrentCaller caller) {
        this.apiKeys = apiKeys;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "List the tenant's API keys (secrets are never returned)")
    public List<ApiKeyView> list() {
        return apiKeys.list(caller.get().tenant()).stream().map(ApiKeyView::of).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One API key of the tenant")
    public ApiKeyView get(@PathParam("id") UUID id) {
        return apiKeys.find(caller.get().tenant(), id).map(ApiKeyView::of).orElseThrow(NotFoundException::new);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a key; the response carries its secret, which is shown only this once")
    public Response create(CreateApiKeyRequest request) {
        if (request == null) {
            throw new IllegalArgumentException("a JSON body with name and scopes is required");
        }
        IssuedApiKey issued =
                apiKeys.create(caller.get().tenant(), request.name(), scopes(request.scopes()), Optional.empty());
        return Response.created(URI.create("/api/v1/api-keys/" + issued.key().id()))
                .entity(new CreatedApiKey(ApiKeyView.of(issued.key()), issued.secret()))
                .build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke a key; it stops working at once")
    public Response revoke(@PathParam("id") UUID id) {
        if (!apiKeys.revoke(caller.get().tenant(), id)) {
            throw new NotFoundException();
        }
        return Response.noContent().build();
    }

    private static EnumSet<Scope> scopes(List<String> names) {
        if (names == null || names.isEmpty()) {
            throw new IllegalArgumentException("scopes must list at least one of: ingest, read, admin");
        }
        if (names.size() > MAX_SCOPES) {
            throw new IllegalArgumentException("too many scopes");
        }
        EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String name : names) {
            scopes.add(Scope.parse(name)
                    .orElseThrow(() -> new IllegalArgumentException("unknown scope; use ingest, read or admin")));
        }
        return scopes;
    }
}
