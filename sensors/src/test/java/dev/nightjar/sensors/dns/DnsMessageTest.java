package dev.nightjar.sensors.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The wire parser against real-shaped messages and hostile ones. */
class DnsMessageTest {

    // id 0xbeef, response NOERROR, "example.com" A, one answer 93.184.216.34 (name compressed).
    private static final byte[] ANSWER = HexFormat.of()
            .parseHex(
                    "beef81800001000100000000076578616d706c6503636f6d0000010001" + "c00c000100010000003c00045db8d822");

    @Test
    void parsesQuestionRcodeAndAddresses() {
        DnsMessage m = DnsMessage.parse(ANSWER).orElseThrow();
        assertThat(m.id()).isEqualTo(0xbeef);
        assertThat(m.response()).isTrue();
        assertThat(m.rcode()).isZero();
        assertThat(m.name()).isEqualTo("example.com");
        assertThat(m.type()).isEqualTo(1);
        assertThat(m.addresses()).extracting(a -> a.getHostAddress()).containsExactly("93.184.216.34");
        assertThat(DnsMessage.outcome(3)).isEqualTo("nxdomain");
        assertThat(DnsMessage.outcome(2)).isEqualTo("servfail");
    }

    @Test
    void truncatedAnswersKeepTheQuestion() {
        byte[] cut = java.util.Arrays.copyOf(ANSWER, ANSWER.length - 3);
        DnsMessage m = DnsMessage.parse(cut).orElseThrow();
        assertThat(m.name()).isEqualTo("example.com");
        assertThat(m.addresses()).isEmpty();
    }

    @Test
    void hostileMessagesAreRejectedWithoutThrowing() {
        // A pointer to itself, a forward pointer, a label running past the end, two questions.
        assertThat(DnsMessage.parse(HexFormat.of().parseHex("000181800001000000000000c00c00010001")))
                .isEmpty();
        assertThat(DnsMessage.parse(HexFormat.of().parseHex("000181800001000000000000c01000010001")))
                .isEmpty();
        assertThat(DnsMessage.parse(HexFormat.of().parseHex("0001818000010000000000003f6162")))
                .isEmpty();
        assertThat(DnsMessage.parse(
                        HexFormat.of().parseHex("000181800002000000000000016100000100 01".replace(" ", ""))))
                .isEmpty();
        assertThat(DnsMessage.parse(new byte[5])).isEmpty();
        assertThat(DnsMessage.parse(null)).isEmpty();
        // A name longer than DNS allows (300 one-letter labels).
        byte[] longName = new byte[12 + 600 + 5];
        longName[5] = 1;
        for (int i = 0; i < 300; i++) {
            longName[12 + 2 * i] = 1;
            longName[13 + 2 * i] = 'a';
        }
        assertThat(DnsMessage.parse(longName)).isEmpty();
        // Control bytes and markup in labels are shown inert.
        byte[] odd = HexFormat.of().parseHex("000101000001000000000000033c623e0000010001");
        assertThat(DnsMessage.parse(odd).orElseThrow().name()).isEqualTo("?b?");
        // Random bytes never throw.
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[random.nextInt(64)];
            random.nextBytes(junk);
            DnsMessage.parse(junk);
        }
        // An answer count far beyond what is present reads what is there and stops.
        byte[] many = ANSWER.clone();
        many[7] = (byte) 0xff;
        assertThat(DnsMessage.parse(many).orElseThrow().addresses()).hasSize(1);
    }
}
