package dev.nightjar.api.servicemap;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Classifies peer addresses without any name lookup: telemetry is untrusted, so an address label is only
 * ever parsed as a literal, never resolved.
 */
final class PeerAddresses {
    /** How the map writes a listener bound to every local address (0.0.0.0, :: or unset). */
    static final String ANY = "*";

    private PeerAddresses() {}

    /** The literal as an address, or empty when it is not an IP literal (or is hostile text). */
    static Optional<InetAddress> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return Optional.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok =
                    (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':';
            if (!ok) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(InetAddress.ofLiteral(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static boolean isLoopback(String text) {
        return parse(text).map(InetAddress::isLoopbackAddress).orElse(false);
    }

    /** 0.0.0.0 or :: — a socket listening on every local address. */
    static boolean isWildcard(String text) {
        return text == null
                || text.isEmpty()
                || parse(text).map(InetAddress::isAnyLocalAddress).orElse(false);
    }

    /** Loopback, RFC 1918, CGNAT (100.64/10), link-local and IPv6 unique-local addresses. */
    static boolean isPrivate(String text) {
        Optional<InetAddress> parsed = parse(text);
        if (parsed.isEmpty()) {
            return false;
        }
        InetAddress a = parsed.get();
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
        }
        if (a instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc;
        }
        return false;
    }

    static ServiceMap.Placement placement(String address) {
        if (isLoopback(address)) {
            return ServiceMap.Placement.LOCALHOST;
        }
        return isPrivate(address) ? ServiceMap.Placement.INTERNAL : ServiceMap.Placement.EXTERNAL;
    }
}
