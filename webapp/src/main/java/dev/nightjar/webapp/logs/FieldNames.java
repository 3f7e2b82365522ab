package dev.nightjar.webapp.logs;

import dev.nightjar.core.telemetry.FieldRef;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Maps the field names people type ({@code service.name}, {@code http.method}) to where the value lives.
 * Users should not have to know OTLP's resource/attribute split: well-known resource namespaces of the
 * OpenTelemetry semantic conventions are resource attributes, anything else a record attribute. The
 * explicit forms {@code resource.<key>} and {@code attribute.<key>} always win.
 */
public final class FieldNames {
    /** Keys a user may type: letters, digits and the punctuation OTLP keys use in practice. */
    static final Pattern KEY = Pattern.compile("[\\p{L}\\p{N}_.\\-/:@]{1,256}");

    private static final List<String> RESOURCE_PREFIXES = List.of(
            "service.",
            "host.",
            "k8s.",
            "container.",
            "cloud.",
            "process.",
            "os.",
            "deployment.",
            "telemetry.sdk.",
            "faas.",
            "device.");

    private FieldNames() {}

    /** Resolves a typed name; throws {@link IllegalArgumentException} with a message meant for the user. */
    public static FieldRef resolve(String name) {
        if (!KEY.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + abbreviate(name) + "' is not a field name");
        }
        if (name.startsWith("resource.") || name.startsWith("attribute.")) {
            return FieldRef.parse(name);
        }
        if (FieldRef.INTRINSICS.contains(name)) {
            return FieldRef.intrinsic(name);
        }
        for (String prefix : RESOURCE_PREFIXES) {
            if (name.startsWith(prefix)) {
                return FieldRef.resource(name);
            }
        }
        return FieldRef.attribute(name);
    }

    /** The name as a user would type it back (the inverse of {@link #resolve}). */
    public static String display(FieldRef field) {
        String plain = field.key();
        try {
            return resolve(plain).equals(field) ? plain : field.toString();
        } catch (IllegalArgumentException unusual) {
            return field.toString();
        }
    }

    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
