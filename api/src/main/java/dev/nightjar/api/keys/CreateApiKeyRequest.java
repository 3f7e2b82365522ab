package dev.nightjar.api.keys;

import java.util.List;

/** Body of {@code POST /api/v1/api-keys}. */
public record CreateApiKeyRequest(String name, List<String> scopes) {}
