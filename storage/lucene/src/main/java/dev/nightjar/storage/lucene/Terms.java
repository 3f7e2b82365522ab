package dev.nightjar.storage.lucene;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.NumericUtils;

/**
 * How attribute keys and values become index terms and points, shared by indexing and querying so the
 * two always agree. All keywords of one scope live in one field as {@code key U+0000 value}, so any number
 * of distinct keys costs no extra Lucene fields; numbers live in one 2-D point field as {@code
 * (hash(key), sortable(value))}.
 */
final class Terms {

    /** Values whose term would be longer than this many UTF-8 bytes are stored as prefix + hash. */
    static final int MAX_INLINE_BYTES = 512;
    /** Keys longer than this are not indexed: no filter can name them (FieldRef's limit). */
    static final int MAX_KEY_CHARS = 256;

    private static final char SEP = '\0';
    private static final String HASH_MARK = "\u0001sha256:";

    private Terms() {}

    static boolean indexableKey(String key) {
        return key.length() <= MAX_KEY_CHARS;
    }

    /** The term for {@code key=value}. */
    static BytesRef keyword(String key, String value) {
        int length = key.length() + 1 + value.length();
        if (length <= MAX_INLINE_BYTES) {
            // nearly every key and value is ASCII: its UTF-8 is its chars, written straight into the term
            byte[] bytes = new byte[length];
            if (ascii(key, bytes, 0) && ascii(value, bytes, key.length() + 1)) {
                return new BytesRef(bytes); // the separator U+0000 is the array's zero byte
            }
        }
        String term = key + SEP + value;
        BytesRef bytes = new BytesRef(term);
        if (bytes.length <= MAX_INLINE_BYTES) {
            return bytes;
        }
        int prefixChars = Math.min(value.length(), 64);
        if (prefixChars > 0 && Character.isHighSurrogate(value.charAt(prefixChars - 1))) {
            prefixChars--;
        }
        return new BytesRef(key + SEP + value.substring(0, prefixChars) + HASH_MARK + sha256(value));
    }

    /** A whole value as a term (service and span names): inline up to the limit, else prefix + hash. */
    static BytesRef exact(String value) {
        BytesRef bytes = new BytesRef(value);
        if (bytes.length <= MAX_INLINE_BYTES) {
            return bytes;
        }
        int prefixChars = Math.min(value.length(), 64);
        if (Character.isHighSurrogate(value.charAt(prefixChars - 1))) {
            prefixChars--;
        }
        return new BytesRef(value.substring(0, prefixChars) + HASH_MARK + sha256(value));
    }

    private static boolean ascii(String s, byte[] into, int at) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return false;
            }
            into[at + i] = (byte) c;
        }
        return true;
    }

    /** The first term of a key's range of values, and the first term after it. */
    static BytesRef keyPrefix(String key) {
        return new BytesRef(key + SEP);
    }

    static BytesRef keyPrefixEnd(String key) {
        return new BytesRef(key + '\u0001');
    }

    /** The value part of a keyword term. */
    static String valueOf(BytesRef term, int prefixLength) {
        return new String(term.bytes, term.offset + prefixLength, term.length - prefixLength, StandardCharsets.UTF_8);
    }

    /** A 64-bit FNV-1a hash of the key, finalised with a murmur mix: the first dimension of numeric points. */
    static long keyHash(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    static long sortable(double v) {
        return NumericUtils.doubleToSortableLong(v == 0.0 ? 0.0 : v); // -0.0 equals 0.0, as in Java comparisons
    }

    private static String sha256(String value) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
