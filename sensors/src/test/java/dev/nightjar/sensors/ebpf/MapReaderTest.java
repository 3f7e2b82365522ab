package dev.nightjar.sensors.ebpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The CPU count that sizes a per-CPU map read: the kernel's list syntax, and refusal of anything else. */
class MapReaderTest {

    @Test
    void countsTheCpusOfAKernelList() {
        assertThat(MapReader.parseCpuList("0\n")).isEqualTo(1);
        assertThat(MapReader.parseCpuList("0-1\n")).isEqualTo(2);
        assertThat(MapReader.parseCpuList("0-3,8-11")).isEqualTo(8);
        assertThat(MapReader.parseCpuList("0,2,4-5")).isEqualTo(4);
    }

    @Test
    void thisHostsListMatchesItsCpus() throws Exception {
        int possible = MapReader.parseCpuList(Files.readString(Path.of("/sys/devices/system/cpu/possible")));
        assertThat(possible).isGreaterThanOrEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(MapReader.possibleCpus()).isEqualTo(possible);
    }

    @Test
    void refusesHostileLists() {
        for (String bad : new String[] {"", "\n", "x", "3-1", "-1", "0-", "1,,a", "99999999999"}) {
            assertThatThrownBy(() -> MapReader.parseCpuList(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
