package dev.nightjar.storage.tsdb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * A block's description. {@code minTime} inclusive and {@code maxTime} exclusive are the block's
 * nominal range (aligned), not just the extent of its samples.
 */
record BlockMeta(long minTime, long maxTime, long series, long samples, long chunks, int level) {

    static final String FILE = "meta.properties";

    boolean contains(BlockMeta other) {
        return minTime <= other.minTime && maxTime >= other.maxTime && !equals(other);
    }

    byte[] toBytes() throws IOException {
        Properties p = new Properties();
        p.setProperty("format", "1");
        p.setProperty("minTime", Long.toString(minTime));
        p.setProperty("maxTime", Long.toString(maxTime));
        p.setProperty("series", Long.toString(series));
        p.setProperty("samples", Long.toString(samples));
        p.setProperty("chunks", Long.toString(chunks));
        p.setProperty("level", Integer.toString(level));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.store(out, "Nightjar TSDB block");
        return out.toByteArray();
    }

    static BlockMeta parse(byte[] bytes) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(new String(bytes, StandardCharsets.ISO_8859_1)));
        try {
            return new BlockMeta(
                    Long.parseLong(p.getProperty("minTime")),
                    Long.parseLong(p.getProperty("maxTime")),
                    Long.parseLong(p.getProperty("series")),
                    Long.parseLong(p.getProperty("samples")),
                    Long.parseLong(p.getProperty("chunks")),
                    Integer.parseInt(p.getProperty("level")));
        } catch (NumberFormatException | NullPointerException e) {
            throw new IOException("invalid block meta", e);
        }
    }
}
