package dev.nightjar.api.errors;

/** The JSON body of every error the REST API returns. */
public record ApiError(int status, String error, String message) {}
