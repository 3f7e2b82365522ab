package dev.nightjar.db.identity;

/** A freshly created key together with its secret, which exists only here and is shown once. */
public record IssuedApiKey(ApiKey key, String secret) {

    @Override
    public String toString() {
        return "IssuedApiKey[key=" + key + ", secret=<redacted>]";
    }
}
