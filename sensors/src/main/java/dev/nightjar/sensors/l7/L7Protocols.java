package dev.nightjar.sensors.l7;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The application protocols the sensor recognises and the numbers the kernel knows them by. HTTP is
 * 1: the kernel classifies and counts it itself (bpf/src/proto_http.h). Every other protocol is
 * parsed in user space from the bytes the kernel copies, and is known to the kernel only by its
 * parser's {@link ProtocolParser#requestSignatures() request signatures}; such protocols are
 * numbered 2, 3, … in the order of {@link #eventProtocols()}. Adding one is its parser class and
 * its entry there.
 */
public final class L7Protocols {

    /** The kernel's number for HTTP (bpf/src/nightjar.h L7_HTTP). */
    public static final int HTTP = 1;

    /** The most signatures the kernel's table holds, among all protocols (L7_SIGNATURES). */
    public static final int MAX_SIGNATURES = 32;

    /** The highest protocol number the kernel takes (L7_MAX_PROTOCOL). */
    static final int MAX_PROTOCOL = 31;

    /** The event protocols, in the order of their numbers. */
    private static List<ProtocolParser> eventProtocols() {
        return List.of(new RedisParser(), new PostgresParser(), new MemcachedParser());
    }

    /** A signature and the number of the protocol it stands for, as the kernel's table holds it. */
    public record NumberedSignature(int protocol, RequestSignature signature) {}

    private final Map<Integer, ProtocolParser> byNumber;
    private final List<NumberedSignature> signatures;
    private final int longCapture;

    private L7Protocols(Map<Integer, ProtocolParser> byNumber, List<NumberedSignature> signatures, int longCapture) {
        this.byNumber = byNumber;
        this.signatures = signatures;
        this.longCapture = longCapture;
    }

    /** HTTP and every protocol of {@link #eventProtocols()}. */
    public static L7Protocols standard() {
        return of(eventProtocols());
    }

    /**
     * HTTP and these event protocols, numbered from 2 in order.
     *
     * @throws IllegalArgumentException when two share a name, one has no signature, or they need
     *     more numbers or signatures than the kernel holds
     */
    public static L7Protocols of(List<? extends ProtocolParser> eventProtocols) {
        if (eventProtocols.size() > MAX_PROTOCOL - HTTP) {
            throw new IllegalArgumentException(
                    "at most " + (MAX_PROTOCOL - HTTP) + " protocols besides HTTP, not " + eventProtocols.size());
        }
        Map<Integer, ProtocolParser> byNumber = new LinkedHashMap<>();
        HttpParser http = new HttpParser();
        byNumber.put(HTTP, http);
        Set<String> names = new HashSet<>(Set.of(http.name()));
        List<NumberedSignature> signatures = new ArrayList<>();
        int longCapture = 0;
        int number = HTTP + 1;
        for (ProtocolParser parser : eventProtocols) {
            if (!names.add(parser.name())) {
                throw new IllegalArgumentException("two protocols are named " + parser.name());
            }
            if (parser.requestSignatures().isEmpty()) {
                throw new IllegalArgumentException(
                        parser.name() + " has no request signature: the kernel could not see it");
            }
            for (RequestSignature signature : parser.requestSignatures()) {
                signatures.add(new NumberedSignature(number, signature));
            }
            if (parser.longCapture()) {
                longCapture |= 1 << number;
            }
            byNumber.put(number++, parser);
        }
        if (signatures.size() > MAX_SIGNATURES) {
            throw new IllegalArgumentException("the protocols have " + signatures.size()
                    + " request signatures together; the kernel holds " + MAX_SIGNATURES);
        }
        return new L7Protocols(Collections.unmodifiableMap(byNumber), List.copyOf(signatures), longCapture);
    }

    /** Every protocol by its number, HTTP's included. */
    public Map<Integer, ProtocolParser> byNumber() {
        return byNumber;
    }

    /** The kernel's signature table, in the order it is matched. */
    public List<NumberedSignature> signatures() {
        return signatures;
    }

    /** A bit per protocol number whose long sends and receives are copied at the larger size. */
    public int longCaptureMask() {
        return longCapture;
    }
}
