package dev.nightjar.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.sensors.event.ConnectionEntry;
import dev.nightjar.sensors.event.Role;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Joining the iterator's records to the connections, including records the kernel cut short. */
class SocketBytesTest {

    private static ConnectionEntry entry(long socket) {
        return new ConnectionEntry(socket, 42, 0, 0, 1, Role.CLIENT, null);
    }

    private static byte[] records(long[]... rows) {
        ByteBuffer b = ByteBuffer.allocate(rows.length * 24).order(ByteOrder.nativeOrder());
        for (long[] r : rows) {
            b.putLong(r[0]).putLong(r[1]).putLong(r[2]);
        }
        return b.array();
    }

    @Test
    void bytesJoinBySocketAndUnknownSocketsHaveNone() {
        List<ConnectionEntry> joined = SocketBytes.withBytes(
                List.of(entry(0xffff8881_0000_1000L), entry(0xffff8881_0000_2000L)),
                records(new long[] {0xffff8881_0000_2000L, 5, 7}, new long[] {0x1234L, 9, 9}));
        assertThat(joined).hasSize(2);
        assertThat(joined.get(0).bytesSent()).isZero();
        assertThat(joined.get(0).bytesReceived()).isZero();
        assertThat(joined.get(1).bytesSent()).isEqualTo(5);
        assertThat(joined.get(1).bytesReceived()).isEqualTo(7);
        assertThat(joined.get(1).pid()).isEqualTo(42);
        assertThat(joined.get(1).retransmits()).isEqualTo(1);
    }

    @Test
    void aTruncatedRecordIsIgnoredAndGarbageDoesNotThrow() {
        byte[] whole = records(new long[] {1, 2, 3});
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length + 11);
        assertThat(SocketBytes.withBytes(List.of(entry(1)), cut).get(0).bytesSent())
                .isEqualTo(2);
        assertThat(SocketBytes.withBytes(List.of(entry(1)), new byte[0]).get(0).bytesSent())
                .isZero();
        byte[] noise = new byte[24 * 3 + 5];
        new java.util.Random(7).nextBytes(noise);
        assertThat(SocketBytes.withBytes(List.of(entry(1)), noise)).hasSize(1);
    }
}
