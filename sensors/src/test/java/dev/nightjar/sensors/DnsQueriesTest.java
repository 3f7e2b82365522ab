package dev.nightjar.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.sensors.DnsQueries.QueryKey;
import dev.nightjar.sensors.event.DnsPacket;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Pairing of queries and answers seen on the wire, without a kernel: hand-made packets. */
class DnsQueriesTest {

    // "example.com" A: a query (id 0xbeef) and its answer with 93.184.216.34.
    private static final byte[] QUERY =
            HexFormat.of().parseHex("beef01000001000000000000076578616d706c6503636f6d0000010001");
    private static final byte[] ANSWER = HexFormat.of()
            .parseHex(
                    "beef81800001000100000000076578616d706c6503636f6d0000010001" + "c00c000100010000003c00045db8d822");

    @Test
    void answersArePairedByProcessSocketAndIdAndNameAddresses() {
        HostnameCache names = new HostnameCache();
        DnsQueries dns = new DnsQueries(names, 5_000_000_000L);
        dns.onPacket(new DnsPacket(true, 10, 1_000, 77, null, QUERY));
        // An answer on another socket, or from another process, is not this query's.
        dns.onPacket(new DnsPacket(false, 10, 2_000, 78, null, ANSWER));
        dns.onPacket(new DnsPacket(false, 11, 2_000, 77, null, ANSWER));
        assertThat(dns.stats()).isEmpty();
        dns.onPacket(new DnsPacket(false, 10, 4_000, 77, null, ANSWER));
        assertThat(dns.stats()).containsOnlyKeys(new QueryKey(10, "example.com", "ok"));
        assertThat(dns.stats().get(new QueryKey(10, "example.com", "ok")).latencyNanos())
                .isEqualTo(3_000);
        assertThat(names.nameOf("93.184.216.34")).contains("example.com");
        // A duplicate answer is not counted twice.
        dns.onPacket(new DnsPacket(false, 10, 5_000, 77, null, ANSWER));
        assertThat(dns.stats().get(new QueryKey(10, "example.com", "ok")).queries())
                .isEqualTo(1);
    }

    @Test
    void unansweredQueriesBecomeTimeoutsOnlyAfterTheTimeout() {
        DnsQueries dns = new DnsQueries(new HostnameCache(), 5_000);
        dns.onPacket(new DnsPacket(true, 10, 1_000, 77, null, QUERY));
        dns.expire(5_999);
        assertThat(dns.stats()).isEmpty();
        dns.expire(6_000);
        assertThat(dns.stats().get(new QueryKey(10, "example.com", "timeout")).queries())
                .isEqualTo(1);
        // The late answer finds nothing pending.
        dns.onPacket(new DnsPacket(false, 10, 7_000, 77, null, ANSWER));
        assertThat(dns.stats()).containsOnlyKeys(new QueryKey(10, "example.com", "timeout"));
    }

    @Test
    void garbageAndServerSideMessagesAreIgnoredAndCounted() {
        DnsQueries dns = new DnsQueries(new HostnameCache(), 5_000);
        dns.onPacket(new DnsPacket(true, 10, 1_000, 77, null, new byte[] {1, 2, 3}));
        dns.onPacket(new DnsPacket(true, 10, 1_000, 77, null, new byte[512]));
        // A process answering on port 53 sends responses: not a client's query.
        dns.onPacket(new DnsPacket(true, 12, 1_000, 79, null, ANSWER));
        dns.expire(1_000_000);
        assertThat(dns.stats()).isEmpty();
        assertThat(dns.dropped()).isEqualTo(2);
    }
}
