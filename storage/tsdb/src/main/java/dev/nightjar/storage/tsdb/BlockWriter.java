package dev.nightjar.storage.tsdb;

import dev.nightjar.core.metrics.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Writes a block directory: {@code chunks} (chunk bytes back to back), {@code index} (symbol table,
 * then per series its labels as symbol refs and its chunk refs, then a CRC32C) and the meta file.
 * The block is built in a temporary directory and renamed into place, so a crash leaves either
 * nothing or a whole block.
 *
 * <p>Each pass over the series is a loop calling a small per-series method. A block is written a few
 * times an hour, so the JIT sees each loop run long in one call and compiles it on the stack; one method
 * holding every loop was compiled again for each loop, at about half a second of compiler time each,
 * in the middle of a remote_write load on a 2-core machine.
 */
final class BlockWriter {

    static final byte[] INDEX_MAGIC = {'N', 'J', 'I', 'X', 1};

    /** One series of the block with its chunks, sorted by time and not overlapping. */
    record SeriesChunks(Labels labels, List<Chunk> chunks) {}

    private BlockWriter() {}

    static Path write(Path blocksDir, long minTime, long maxTime, int level, List<SeriesChunks> series)
            throws IOException {
        String name = "b-%020d-%020d".formatted(minTime, maxTime);
        Path tmp = blocksDir.resolve(name + ".tmp");
        TsdbFiles.deleteRecursively(tmp);
        Files.createDirectories(tmp);

        Symbols symbols = new Symbols();
        for (SeriesChunks s : series) {
            symbols.addAll(s.labels());
        }
        IndexBuilder index = new IndexBuilder(symbols, series);
        for (SeriesChunks s : series) {
            index.add(s);
        }

        TsdbFiles.writeDurably(tmp.resolve("chunks"), index.chunks);
        TsdbFiles.writeDurably(tmp.resolve("index"), index.finish());
        BlockMeta meta = new BlockMeta(minTime, maxTime, series.size(), index.samples, index.chunkCount, level);
        TsdbFiles.writeDurably(tmp.resolve(BlockMeta.FILE), meta.toBytes());
        TsdbFiles.syncDirectory(tmp);
        Path target = blocksDir.resolve(name);
        TsdbFiles.deleteRecursively(target);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        TsdbFiles.syncDirectory(blocksDir);
        return target;
    }

    /** The block's label names and values, numbered in order of first use. */
    private static final class Symbols {
        final Map<String, Integer> ids = new HashMap<>();
        final List<String> list = new ArrayList<>();

        void addAll(Labels labels) {
            for (int i = 0; i < labels.size(); i++) {
                add(labels.name(i));
                add(labels.value(i));
            }
        }

        private void add(String s) {
            if (ids.putIfAbsent(s, list.size()) == null) {
                list.add(s);
            }
        }

        int id(String s) {
            return ids.get(s);
        }
    }

    /** The index stream and the chunk file, filled series by series. */
    private static final class IndexBuilder {
        private final Symbols symbols;
        private final ByteArrayOutputStream index = new ByteArrayOutputStream(1 << 16);
        // The chunk file is assembled in one array of its exact size: a growing stream copied it about twice
        // over, in arrays of tens of MiB that the collector must treat as humongous objects.
        final byte[] chunks;
        private int chunksAt;
        long samples;
        long chunkCount;

        IndexBuilder(Symbols symbols, List<SeriesChunks> series) throws IOException {
            this.symbols = symbols;
            long chunkBytes = 0;
            for (SeriesChunks s : series) {
                chunkBytes += bytesOf(s.chunks());
            }
            if (chunkBytes > Integer.MAX_VALUE - 16) {
                throw new IOException("block of " + chunkBytes + " chunk bytes is larger than a block file can be");
            }
            chunks = new byte[(int) chunkBytes];
            index.writeBytes(INDEX_MAGIC);
            Varint.write(index, symbols.list.size());
            for (String s : symbols.list) {
                WalCodec.writeString(index, s);
            }
            Varint.write(index, series.size());
        }

        private static long bytesOf(List<Chunk> chunks) {
            long bytes = 0;
            for (Chunk c : chunks) {
                bytes += c.data().length;
            }
            return bytes;
        }

        void add(SeriesChunks s) {
            Labels labels = s.labels();
            Varint.write(index, labels.size());
            for (int i = 0; i < labels.size(); i++) {
                Varint.write(index, symbols.id(labels.name(i)));
                Varint.write(index, symbols.id(labels.value(i)));
            }
            Varint.write(index, s.chunks().size());
            for (Chunk c : s.chunks()) {
                Varint.writeSigned(index, c.minTime());
                Varint.write(index, c.maxTime() - c.minTime());
                Varint.write(index, chunksAt);
                Varint.write(index, c.data().length);
                System.arraycopy(c.data(), 0, chunks, chunksAt, c.data().length);
                chunksAt += c.data().length;
                samples += c.count();
                chunkCount++;
            }
        }

        /** The index bytes with their CRC32C. */
        byte[] finish() {
            byte[] bytes = index.toByteArray();
            CRC32C crc = new CRC32C();
            crc.update(bytes);
            bytes = Arrays.copyOf(bytes, bytes.length + 4);
            ByteBuffer.wrap(bytes, bytes.length - 4, 4).putInt((int) crc.getValue());
            return bytes;
        }
    }
}
