package dev.nightjar.db.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** Random secrets (API keys, generated passwords) and the digest API keys are stored under. */
final class Secrets {
    static final String API_KEY_PREFIX = "nj_";
    static final int MIN_API_KEY_LENGTH = 24;
    static final int MAX_API_KEY_LENGTH = 200;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    /** 40 base-62 characters: about 238 bits of entropy. */
    static String newApiKey() {
        return API_KEY_PREFIX + randomString(40);
    }

    static String newPassword() {
        return randomString(24);
    }

    static String randomString(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** What an API key looks like when we accept one: printable ASCII without spaces, bounded length. */
    static boolean plausibleApiKey(String value) {
        if (value == null || value.length() < MIN_API_KEY_LENGTH || value.length() > MAX_API_KEY_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    static String displayPrefix(String key) {
        return key.substring(0, Math.min(10, key.length()));
    }
}
