package dev.nightjar.api.keys;

/** The answer to creating a key: the only time its secret is ever returned. */
public record CreatedApiKey(ApiKeyView key, String secret) {}
