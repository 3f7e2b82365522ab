package dev.nightjar.storage.lucene;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A source block of a {@link LogBlockMerge}: its decoded head, its inflated tail and where each record's tail
 * values start, found by walking the tail once.
 */
final class LogMergeSource {
    final LogBlock head;
    final byte[] tail;
    final int runOffset;
    final long[] flags;
    final long[] observed;
    final int[] severityAt;
    final int[] scopeAt;
    final int[] bodyAt;
    final int[] bodyEnd;
    final int[] attributesAt;
    final String[] bodies;
    /** The block's string dictionary, and where each of its literals is written (ascending). */
    final List<String> strings = new ArrayList<>();

    int[] literalAt = new int[256];
    /** Per string of the block, its number in the merged block's dictionary plus one (0: not written yet). */
    int[] mergedId;

    int next;

    LogMergeSource(LogBlock head, int runOffset) {
        this.head = head;
        this.runOffset = runOffset;
        int n = head.size;
        this.tail = LogBlock.inflate(head.tailZ, 0, head.tailZ.length, head.tailRawSize);
        this.observed = PackedColumn.read(new ByteReader(head.observedPacked, 0, head.observedPacked.length), n);
        ByteReader in = new ByteReader(tail, 0, tail.length);
        this.flags = PackedColumn.read(in, n);
        severityAt = new int[n];
        for (int i = 0; i < n; i++) {
            severityAt[i] = in.position();
            skipStr(in);
        }
        scopeAt = new int[n];
        for (int i = 0; i < n; i++) {
            scopeAt[i] = in.position();
            skipStr(in);
            skipStr(in);
            skipAttributes(in);
        }
        bodyAt = new int[n];
        bodyEnd = new int[n];
        bodies = new String[n];
        for (int i = 0; i < n; i++) {
            bodyAt[i] = in.position();
            // the words of the body are indexed: its text is needed (bodies are not dictionary-coded)
            bodies[i] = RecordCodec.value(in).asText();
            bodyEnd[i] = in.position();
        }
        attributesAt = new int[n];
        for (int i = 0; i < n; i++) {
            attributesAt[i] = in.position();
            skipAttributes(in);
        }
        mergedId = new int[strings.size()];
    }

    private void skipStr(ByteReader in) {
        long ref = in.vlong();
        if (ref == 0) {
            if (strings.size() == literalAt.length) {
                literalAt = Arrays.copyOf(literalAt, literalAt.length * 2);
            }
            literalAt[strings.size()] = in.position();
            strings.add(in.str());
        } else if (ref < 0 || ref > strings.size()) {
            throw new IllegalStateException("corrupt log block: string reference out of range");
        }
    }

    private void skipAttributes(ByteReader in) {
        long n = in.vlong();
        for (long i = 0; i < n; i++) {
            skipStr(in);
            skipValue(in);
        }
    }

    private void skipValue(ByteReader in) {
        int type = in.b();
        switch (type) {
            case 0 -> skipStr(in);
            case 1, 11 -> {}
            case 2 -> in.vlong();
            case 3 -> in.skip(8);
            case 4 -> in.skip(Math.toIntExact(in.vlong()));
            case 5 -> {
                long n = in.vlong();
                for (long i = 0; i < n; i++) {
                    skipValue(in);
                }
            }
            case 6 -> skipAttributes(in);
            default -> throw new IllegalStateException("corrupt log block: value type " + type);
        }
    }

    /**
     * Copies a string of the tail into the merged one ({@code out}, dictionary {@code merged}) and returns
     * it. The dictionary was built by the first walk; a string written once is referred to by its merged
     * number from then on, without looking it up again.
     */
    String copyStr(ByteReader in, ByteWriter out, BlockStrings.Writer merged) {
        long ref = in.vlong();
        int k;
        if (ref != 0) {
            k = (int) (ref - 1);
        } else {
            k = Arrays.binarySearch(literalAt, 0, strings.size(), in.position());
            in.skipStr();
        }
        if (mergedId[k] != 0) {
            out.vlong(mergedId[k]);
        } else {
            mergedId[k] = merged.strId(out, strings.get(k)) + 1;
        }
        return strings.get(k);
    }
}
