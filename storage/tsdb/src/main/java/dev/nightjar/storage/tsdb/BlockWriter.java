package dev.nightjar.storage.tsdb;

import dev.nightjar.core.metrics.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

        // The chunk file is assembled in one array of its exact size: a growing stream copied it about twice
        // over, in arrays of tens of MiB that the collector must treat as humongous objects.
        long chunkBytes = 0;
        for (SeriesChunks s : series) {
            for (Chunk c : s.chunks()) {
                chunkBytes += c.data().length;
            }
        }
        if (chunkBytes > Integer.MAX_VALUE - 16) {
            throw new IOException("block of " + chunkBytes + " chunk bytes is larger than a block file can be");
        }
        byte[] chunks = new byte[(int) chunkBytes];
        int chunksAt = 0;
        Map<String, Integer> symbols = new HashMap<>();
        List<String> symbolList = new java.util.ArrayList<>();
        for (SeriesChunks s : series) {
            for (int i = 0; i < s.labels().size(); i++) {
                for (String str : new String[] {s.labels().name(i), s.labels().value(i)}) {
                    if (!symbols.containsKey(str)) {
                        symbols.put(str, symbolList.size());
                        symbolList.add(str);
                    }
                }
            }
        }
        ByteArrayOutputStream index = new ByteArrayOutputStream(1 << 16);
        index.writeBytes(INDEX_MAGIC);
        Varint.write(index, symbolList.size());
        for (String s : symbolList) {
            WalCodec.writeString(index, s);
        }
        Varint.write(index, series.size());
        long samples = 0;
        long chunkCount = 0;
        for (SeriesChunks s : series) {
            Varint.write(index, s.labels().size());
            for (int i = 0; i < s.labels().size(); i++) {
                Varint.write(index, symbols.get(s.labels().name(i)));
                Varint.write(index, symbols.get(s.labels().value(i)));
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
        CRC32C crc = new CRC32C();
        byte[] indexBytes = index.toByteArray();
        crc.update(indexBytes);
        indexBytes = Arrays.copyOf(indexBytes, indexBytes.length + 4);
        ByteBuffer.wrap(indexBytes, indexBytes.length - 4, 4).putInt((int) crc.getValue());

        TsdbFiles.writeDurably(tmp.resolve("chunks"), chunks);
        TsdbFiles.writeDurably(tmp.resolve("index"), indexBytes);
        BlockMeta meta = new BlockMeta(minTime, maxTime, series.size(), samples, chunkCount, level);
        TsdbFiles.writeDurably(tmp.resolve(BlockMeta.FILE), meta.toBytes());
        TsdbFiles.syncDirectory(tmp);
        Path target = blocksDir.resolve(name);
        TsdbFiles.deleteRecursively(target);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        TsdbFiles.syncDirectory(blocksDir);
        return target;
    }
}
