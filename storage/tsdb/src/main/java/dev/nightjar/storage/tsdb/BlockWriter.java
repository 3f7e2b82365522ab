package dev.nightjar.storage.tsdb;

import dev.nightjar.core.metrics.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

        ByteArrayOutputStream chunks = new ByteArrayOutputStream(1 << 16);
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
                Varint.write(index, chunks.size());
                Varint.write(index, c.data().length);
                chunks.writeBytes(c.data());
                samples += c.count();
                chunkCount++;
            }
        }
        CRC32C crc = new CRC32C();
        byte[] indexBytes = index.toByteArray();
        crc.update(indexBytes);
        int sum = (int) crc.getValue();
        index.write(sum >>> 24);
        index.write(sum >>> 16);
        index.write(sum >>> 8);
        index.write(sum);

        TsdbFiles.writeDurably(tmp.resolve("chunks"), chunks.toByteArray());
        TsdbFiles.writeDurably(tmp.resolve("index"), index.toByteArray());
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
