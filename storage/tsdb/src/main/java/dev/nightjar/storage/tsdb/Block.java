package dev.nightjar.storage.tsdb;

import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.Matcher;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An immutable on-disk block. The index is read into memory (labels, chunk refs, postings); chunk
 * bytes stay in a memory-mapped file and are decoded on demand.
 */
final class Block {

    final Path dir;
    final BlockMeta meta;
    private final Labels[] labels;
    private final long[][] chunkRefs;
    private final MappedByteBuffer chunks;
    private final PostingsIndex postings = new PostingsIndex();

    private Block(Path dir, BlockMeta meta, Labels[] labels, long[][] chunkRefs, MappedByteBuffer chunks) {
        this.dir = dir;
        this.meta = meta;
        this.labels = labels;
        this.chunkRefs = chunkRefs;
        this.chunks = chunks;
        for (int i = 0; i < labels.length; i++) {
            postings.add(i, labels[i]);
        }
    }

    /** Opens a block; throws {@link IOException} if any part is missing or fails its checksum. */
    static Block open(Path dir) throws IOException {
        BlockMeta meta = BlockMeta.parse(Files.readAllBytes(dir.resolve(BlockMeta.FILE)));
        byte[] index = Files.readAllBytes(dir.resolve("index"));
        if (index.length < BlockWriter.INDEX_MAGIC.length + 4
                || !Arrays.equals(
                        index,
                        0,
                        BlockWriter.INDEX_MAGIC.length,
                        BlockWriter.INDEX_MAGIC,
                        0,
                        BlockWriter.INDEX_MAGIC.length)) {
            throw new IOException("block index " + dir + " has a bad header");
        }
        CRC32C crc = new CRC32C();
        crc.update(index, 0, index.length - 4);
        int stored = ByteBuffer.wrap(index, index.length - 4, 4).getInt();
        if ((int) crc.getValue() != stored) {
            throw new IOException("block index " + dir + " fails its checksum");
        }
        MappedByteBuffer chunkFile;
        try (FileChannel ch = FileChannel.open(dir.resolve("chunks"), StandardOpenOption.READ)) {
            chunkFile = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(
                    index, BlockWriter.INDEX_MAGIC.length, index.length - 4 - BlockWriter.INDEX_MAGIC.length);
            int symbolCount = Varint.readInt(in, Integer.MAX_VALUE);
            String[] symbols = new String[symbolCount];
            for (int i = 0; i < symbolCount; i++) {
                symbols[i] = WalCodec.readString(in);
            }
            int seriesCount = Varint.readInt(in, Integer.MAX_VALUE);
            Labels[] labels = new Labels[seriesCount];
            long[][] refs = new long[seriesCount][];
            for (int s = 0; s < seriesCount; s++) {
                int n = Varint.readInt(in, 1024);
                String[] pairs = new String[2 * n];
                for (int i = 0; i < 2 * n; i++) {
                    pairs[i] = symbols[Varint.readInt(in, symbolCount - 1)];
                }
                labels[s] = Labels.of(pairs);
                int chunkCount = Varint.readInt(in, Integer.MAX_VALUE / 4);
                long[] r = new long[chunkCount * 4];
                for (int c = 0; c < chunkCount; c++) {
                    r[4 * c] = Varint.readSigned(in);
                    r[4 * c + 1] = r[4 * c] + Varint.read(in);
                    r[4 * c + 2] = Varint.read(in);
                    r[4 * c + 3] = Varint.read(in);
                    if (r[4 * c + 2] + r[4 * c + 3] > chunkFile.capacity()) {
                        throw new IOException("block " + dir + " refers beyond its chunk file");
                    }
                }
                refs[s] = r;
            }
            return new Block(dir, meta, labels, refs, chunkFile);
        } catch (CorruptChunkException | IllegalArgumentException e) {
            throw new IOException("block index " + dir + " is corrupt: " + e.getMessage(), e);
        }
    }

    int[] select(List<Matcher> matchers) {
        return postings.select(matchers);
    }

    Labels labels(int series) {
        return labels[series];
    }

    int seriesCount() {
        return labels.length;
    }

    List<String> labelNames() {
        return postings.labelNames();
    }

    void collect(int series, long mint, long maxt, SampleBuffer out) {
        long[] r = chunkRefs[series];
        for (int c = 0; c < r.length / 4; c++) {
            if (r[4 * c + 1] >= mint && r[4 * c] <= maxt) {
                out.addRange(chunk(r, c).iterator(), mint, maxt);
            }
        }
    }

    /**
     * Adds the series' chunks overlapping {@code [mint, maxt]} to {@code out}, still compressed. A chunk
     * that spans the whole range may hold no sample inside it; such a chunk is decoded now and kept as
     * its in-range samples, or dropped when it has none.
     */
    void runs(int series, long mint, long maxt, List<SelectedSeries.Run> out) {
        long[] r = chunkRefs[series];
        for (int c = 0; c < r.length / 4; c++) {
            if (r[4 * c + 1] < mint || r[4 * c] > maxt) {
                continue;
            }
            Chunk chunk = chunk(r, c);
            if (r[4 * c] >= mint || r[4 * c + 1] <= maxt) {
                out.add(new SelectedSeries.Run(chunk, null));
            } else {
                SampleBuffer inside = new SampleBuffer();
                inside.addRange(chunk.iterator(), mint, maxt);
                if (inside.size() > 0) {
                    out.add(new SelectedSeries.Run(null, inside.toSeries(Labels.EMPTY)));
                }
            }
        }
    }

    boolean hasSamplesIn(int series, long mint, long maxt) {
        long[] r = chunkRefs[series];
        for (int c = 0; c < r.length / 4; c++) {
            if (r[4 * c + 1] >= mint && r[4 * c] <= maxt) {
                if (r[4 * c] >= mint || r[4 * c + 1] <= maxt) {
                    return true;
                }
                SampleBuffer probe = new SampleBuffer();
                probe.addRange(chunk(r, c).iterator(), mint, maxt);
                if (probe.size() > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    List<Chunk> chunks(int series) {
        long[] r = chunkRefs[series];
        List<Chunk> out = new ArrayList<>(r.length / 4);
        for (int c = 0; c < r.length / 4; c++) {
            out.add(chunk(r, c));
        }
        return out;
    }

    private Chunk chunk(long[] r, int c) {
        byte[] data = new byte[(int) r[4 * c + 3]];
        chunks.get((int) r[4 * c + 2], data);
        return new Chunk(
                data, r[4 * c], r[4 * c + 1], Chunk.parse(data, r[4 * c + 1]).count());
    }
}
