package dev.nightjar.storage.lucene;

import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Attribute sets and short strings of a {@link LogBlock} with every string dictionary-coded within the
 * block: the first occurrence is written out, later ones as a small index. Keys (and most values) repeat
 * on nearly every record; an index costs one byte before compression where zstd would spend a match of
 * 2–4 bytes, and decoding shares one String instance per distinct value. Same value model as {@link
 * RecordCodec} (lossless, lone surrogates included).
 */
final class BlockStrings {

    private BlockStrings() {}

    static final class Writer {
        /** Sized for a block of a few thousand distinct strings, so it is not rehashed step by step as it grows. */
        private final Map<String, Integer> ids = new HashMap<>(4096);

        void str(ByteWriter out, String s) {
            Integer id = ids.get(s);
            if (id != null) {
                out.vlong(id + 1L);
            } else {
                out.vlong(0);
                out.str(s);
                ids.put(s, ids.size());
            }
        }

        /** Writes {@code s} as {@link #str} does and returns its number in the block's dictionary. */
        int strId(ByteWriter out, String s) {
            Integer id = ids.get(s);
            if (id != null) {
                out.vlong(id + 1L);
                return id;
            }
            out.vlong(0);
            out.str(s);
            int next = ids.size();
            ids.put(s, next);
            return next;
        }

        void attributes(ByteWriter out, Attributes a) {
            out.vlong(a.size());
            for (Map.Entry<String, AttributeValue> e : a.asMap().entrySet()) {
                str(out, e.getKey());
                value(out, e.getValue());
            }
        }

        private void value(ByteWriter out, AttributeValue v) {
            switch (v) {
                case AttributeValue.StringValue s -> {
                    out.b(0);
                    str(out, s.value());
                }
                case AttributeValue.ArrayValue a -> {
                    out.b(5);
                    out.vlong(a.values().size());
                    for (AttributeValue e : a.values()) {
                        value(out, e);
                    }
                }
                case AttributeValue.MapValue m -> {
                    out.b(6);
                    attributes(out, m.values());
                }
                default -> RecordCodec.value(out, v); // numbers, booleans, bytes: as RecordCodec writes them
            }
        }
    }

    static final class Reader {
        private final List<String> strings = new ArrayList<>();

        String str(ByteReader in) {
            long ref = in.vlong();
            if (ref == 0) {
                String s = in.str();
                strings.add(s);
                return s;
            }
            if (ref < 0 || ref > strings.size()) {
                throw new IllegalStateException("corrupt log block: string reference out of range");
            }
            return strings.get((int) (ref - 1));
        }

        Attributes attributes(ByteReader in) {
            int n = Math.toIntExact(in.vlong());
            if (n == 0) {
                return Attributes.EMPTY;
            }
            Map<String, AttributeValue> m = new LinkedHashMap<>(n * 2);
            for (int i = 0; i < n; i++) {
                m.put(str(in), value(in));
            }
            return new Attributes(m);
        }

        private AttributeValue value(ByteReader in) {
            int type = in.b();
            return switch (type) {
                case 0 -> new AttributeValue.StringValue(str(in));
                case 5 -> {
                    int n = Math.toIntExact(in.vlong());
                    List<AttributeValue> values = new ArrayList<>(Math.min(n, 1024));
                    for (int i = 0; i < n; i++) {
                        values.add(value(in));
                    }
                    yield new AttributeValue.ArrayValue(values);
                }
                case 6 -> new AttributeValue.MapValue(attributes(in));
                case 1 -> new AttributeValue.BoolValue(false);
                case 11 -> new AttributeValue.BoolValue(true);
                case 2 -> new AttributeValue.LongValue(in.zlong());
                case 3 -> new AttributeValue.DoubleValue(Double.longBitsToDouble(in.fixed64()));
                case 4 -> new AttributeValue.BytesValue(in.bytes(Math.toIntExact(in.vlong())));
                default -> throw new IllegalStateException("corrupt log block: value type " + type);
            };
        }
    }
}
