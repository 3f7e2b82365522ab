package dev.nightjar.api.servicemap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.api.servicemap.ServiceMap.Placement;
import org.junit.jupiter.api.Test;

class PeerAddressesTest {

    @Test
    void classifiesLiteralAddresses() {
        assertThat(PeerAddresses.placement("127.0.0.1")).isEqualTo(Placement.LOCALHOST);
        assertThat(PeerAddresses.placement("::1")).isEqualTo(Placement.LOCALHOST);
        assertThat(PeerAddresses.placement("10.2.3.4")).isEqualTo(Placement.INTERNAL);
        assertThat(PeerAddresses.placement("172.31.255.1")).isEqualTo(Placement.INTERNAL);
        assertThat(PeerAddresses.placement("172.32.0.1")).isEqualTo(Placement.EXTERNAL);
        assertThat(PeerAddresses.placement("192.168.1.1")).isEqualTo(Placement.INTERNAL);
        assertThat(PeerAddresses.placement("100.64.0.1")).isEqualTo(Placement.INTERNAL);
        assertThat(PeerAddresses.placement("100.128.0.1")).isEqualTo(Placement.EXTERNAL);
        assertThat(PeerAddresses.placement("fd00::1")).isEqualTo(Placement.INTERNAL);
        assertThat(PeerAddresses.placement("fe80::1")).isEqualTo(Placement.INTERNAL);
        assertThat(PeerAddresses.placement("::ffff:192.168.0.9")).isEqualTo(Placement.INTERNAL);
        assertThat(PeerAddresses.placement("2606:4700::1111")).isEqualTo(Placement.EXTERNAL);
        assertThat(PeerAddresses.placement("1.1.1.1")).isEqualTo(Placement.EXTERNAL);
    }

    @Test
    void neverResolvesNamesOrAcceptsGarbage() {
        // A host name is not an address: it must not be looked up (no DNS from telemetry).
        assertThat(PeerAddresses.parse("localhost")).isEmpty();
        assertThat(PeerAddresses.parse("example.com")).isEmpty();
        assertThat(PeerAddresses.parse("10.0.0.1\n")).isEmpty();
        assertThat(PeerAddresses.parse("1".repeat(100))).isEmpty();
        assertThat(PeerAddresses.parse("")).isEmpty();
        assertThat(PeerAddresses.isWildcard("0.0.0.0")).isTrue();
        assertThat(PeerAddresses.isWildcard("::")).isTrue();
        assertThat(PeerAddresses.isWildcard("10.0.0.1")).isFalse();
    }

    @Test
    void parsesTimesAsUnixSecondsOrRfc3339() {
        assertThat(ServiceMapResource.parseTime("1700000000")).isEqualTo(1_700_000_000_000L);
        assertThat(ServiceMapResource.parseTime("1700000000.5")).isEqualTo(1_700_000_000_500L);
        assertThat(ServiceMapResource.parseTime("2023-11-14T22:13:20Z")).isEqualTo(1_700_000_000_000L);
        assertThatThrownBy(() -> ServiceMapResource.parseTime("yesterday"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServiceMapResource.parseTime("1e999999999"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void quantileMatchesPrometheusInterpolation() {
        var buckets = new java.util.TreeMap<Double, Double>();
        buckets.put(0.1, 50.0);
        buckets.put(0.2, 100.0);
        buckets.put(Double.POSITIVE_INFINITY, 100.0);
        // rank 95 lies in (0.1, 0.2]: 0.1 + 0.1 × (95 − 50) / 50
        assertThat(Histograms.quantile(0.95, buckets)).isCloseTo(0.19, org.assertj.core.data.Offset.offset(1e-9));
        buckets.put(Double.POSITIVE_INFINITY, 200.0);
        assertThat(Histograms.quantile(0.95, buckets)).isEqualTo(0.2);
        assertThat(Histograms.quantile(0.95, new java.util.TreeMap<>())).isNull();
        assertThat(Histograms.parseLe("+Inf")).isInfinite();
        assertThat(Histograms.parseLe("<script>")).isNaN();
    }
}
