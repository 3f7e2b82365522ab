package dev.nightjar.storage.lucene;

import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.logs.SeverityLevel;
import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.FieldRef;
import dev.nightjar.core.telemetry.FieldValues;
import dev.nightjar.core.telemetry.Resource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.util.BytesRef;

/**
 * The block layout of the log index on the write side: a write's records of one partition are sorted
 * newest first, cut into blocks of at most {@link #MAX_RECORDS}, and each block becomes ONE Lucene
 * document. The document indexes only what selects blocks (the distinct body words, attribute terms,
 * resources, levels of the block; its time span; per-key numeric spans; a Bloom filter of its ids) and
 * carries the records themselves as a compressed {@link LogBlock}. Queries pick candidate blocks in
 * Lucene and check every record of them exactly ({@link BlockFilter}). Layout: module README.
 */
final class LogBlocks {

    static final int MAX_RECORDS = 4096;

    /** 2-D point (oldest, newest effective time) of the block. */
    static final String TIME_SPAN = "tr";
    /** 3-D point (hash(key), min, max) per numeric record-attribute key of the block. */
    static final String NUMERIC_SPAN = "anr";
    /** Binary doc value: the compressed {@link LogBlock}. */
    static final String BLOCK = "blk";
    /**
     * Binary doc value: the {@link IdFilter} of the block's trace and span ids and high-entropy body
     * words and record-attribute values (absent when none).
     */
    static final String ID_FILTER = "idf";
    /** The {@code rid} term of blocks holding a resource inline (the partition's table was full). */
    static final BytesRef INLINE_RESOURCE = new BytesRef("inline");

    /**
     * The block's distinct body words (cut here, so high-entropy words can go to the {@link IdFilter}
     * instead), fed to Lucene as one token stream: docs only, a phrase is checked exactly on the records.
     */
    private static final FieldType BODY_TYPE = new FieldType();

    static {
        BODY_TYPE.setIndexOptions(IndexOptions.DOCS);
        BODY_TYPE.setTokenized(true);
        BODY_TYPE.setOmitNorms(true);
        BODY_TYPE.freeze();
    }

    /** The distinct words of a block as a token stream: Lucene hashes each once per block. */
    private static final class Words extends TokenStream {
        private final List<char[]> words;
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private int next;

        Words(List<char[]> words) {
            this.words = words;
        }

        @Override
        public boolean incrementToken() {
            if (next == words.size()) {
                return false;
            }
            clearAttributes();
            char[] w = words.get(next++);
            term.copyBuffer(w, 0, w.length);
            return true;
        }

        @Override
        public void reset() throws IOException {
            super.reset();
            next = 0;
        }
    }

    private static final String[] LEVEL_NAMES = new String[SeverityLevel.values().length];

    static {
        for (SeverityLevel l : SeverityLevel.values()) {
            LEVEL_NAMES[l.ordinal()] = l.name();
        }
    }

    private LogBlocks() {}

    /** Fingerprints computed once per distinct resource object of a write. */
    static final class Fingerprints {
        private final Map<Resource, BytesRef> rids = new IdentityHashMap<>();

        BytesRef of(Resource r) {
            return rids.computeIfAbsent(r, ResourceTable::fingerprint);
        }
    }

    /**
     * The block document of {@code records} (sorted newest first). Resources go to the partition's table
     * while it has room, else inline into the block.
     */
    static Document document(List<LogRecord> records, long baseId, Fingerprints fingerprints, Partition p)
            throws IOException {
        ResourceTable table = p.resources;
        int n = records.size();
        Document doc = new Document();
        long newest = records.getFirst().effectiveTimeUnixNano();
        long oldest = records.getLast().effectiveTimeUnixNano();
        doc.add(new LongPoint(TIME_SPAN, oldest, newest));
        doc.add(new NumericDocValuesField(LogIndex.TS, newest));
        doc.add(new NumericDocValuesField(LogIndex.ID, baseId));

        List<LogBlock.Entry> entries = new ArrayList<>();
        Map<Resource, Integer> entryOf = new IdentityHashMap<>();
        int[] resourceOf = new int[n];
        boolean[] levels = new boolean[LEVEL_NAMES.length];
        // distinct values per key first: most values repeat within a block, so few terms are built
        Map<String, Set<String>> keywords = new HashMap<>();
        // severity texts and scope names: a handful per block, so terms are built per distinct string
        Set<String> severityTexts = new HashSet<>();
        Set<String> scopeNames = new HashSet<>();
        String lastSeverityText = null;
        String lastScopeName = null;
        Map<String, double[]> numeric = new HashMap<>();
        long[] idHashes = new long[n * 4];
        int ids = 0;
        // distinct words of the block: one copy per distinct word, none per occurrence
        CharArraySet seen = new CharArraySet(1024, false);
        List<char[]> words = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            LogRecord r = records.get(i);
            Integer e = entryOf.get(r.resource());
            if (e == null) {
                BytesRef rid = fingerprints.of(r.resource());
                boolean inTable = table.tryEnsure(p.writer, rid, r.resource());
                e = entries.size();
                entries.add(new LogBlock.Entry(rid, r.resource(), !inTable));
                entryOf.put(r.resource(), e);
                doc.add(new Field(LogIndex.RID, inTable ? rid : INLINE_RESOURCE, LogIndex.KEYWORD_TYPE));
            }
            resourceOf[i] = e;
            levels[r.severityLevel().ordinal()] = true;
            // distinct words as terms, high-entropy ones (ids, long numbers) into the block's filter
            try (TokenStream ts = LogIndex.ANALYZER.tokenStream(LogIndex.BODY, r.bodyText())) {
                CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
                ts.reset();
                while (ts.incrementToken()) {
                    if (IdFilter.highEntropy(term.buffer(), term.length())) {
                        if (ids == idHashes.length) {
                            idHashes = java.util.Arrays.copyOf(idHashes, ids * 2);
                        }
                        idHashes[ids++] = IdFilter.hashWord(term.buffer(), term.length());
                    } else if (!seen.contains(term.buffer(), 0, term.length())) {
                        char[] w = java.util.Arrays.copyOf(term.buffer(), term.length());
                        seen.add(w);
                        words.add(w);
                    }
                }
                ts.end();
            }
            for (Map.Entry<String, AttributeValue> a : r.attributes().asMap().entrySet()) {
                String key = a.getKey();
                if (!Terms.indexableKey(key)) {
                    continue;
                }
                Set<String> values = keywords.computeIfAbsent(key, k -> new HashSet<>());
                if (a.getValue() instanceof AttributeValue.StringValue sv) {
                    values.add(sv.value());
                } else {
                    values.addAll(FieldValues.keywords(a.getValue()));
                }
                OptionalDouble num = FieldValues.number(a.getValue());
                if (num.isPresent() && !Double.isNaN(num.getAsDouble())) {
                    double v = num.getAsDouble();
                    double[] span = numeric.computeIfAbsent(key, k -> new double[] {v, v});
                    span[0] = Math.min(span[0], v);
                    span[1] = Math.max(span[1], v);
                }
            }
            if (r.severityText() != lastSeverityText) {
                lastSeverityText = r.severityText();
                severityTexts.add(lastSeverityText);
            }
            if (r.scope().name() != lastScopeName) {
                lastScopeName = r.scope().name();
                scopeNames.add(lastScopeName);
            }
            if (ids + 2 > idHashes.length) {
                idHashes = java.util.Arrays.copyOf(idHashes, idHashes.length * 2);
            }
            if (r.traceId() != null) {
                idHashes[ids++] = IdFilter.hash(r.traceId());
            }
            if (r.spanId() != null) {
                idHashes[ids++] = IdFilter.hash(r.spanId());
            }
        }
        for (int l = 0; l < levels.length; l++) {
            if (levels[l]) {
                doc.add(new Field(LogIndex.LEVEL, new BytesRef(LEVEL_NAMES[l]), LogIndex.KEYWORD_TYPE));
            }
        }
        doc.add(new Field(LogIndex.BODY, new Words(words), BODY_TYPE));
        for (Map.Entry<String, Set<String>> k : keywords.entrySet()) {
            for (String v : k.getValue()) {
                BytesRef t = Terms.keyword(k.getKey(), v);
                if (IdFilter.highEntropy(v)) {
                    if (ids == idHashes.length) {
                        idHashes = java.util.Arrays.copyOf(idHashes, ids * 2);
                    }
                    idHashes[ids++] = IdFilter.hashTerm(t);
                } else {
                    doc.add(new Field(LogIndex.ATTRIBUTE, t, LogIndex.KEYWORD_TYPE));
                }
            }
        }
        for (String t : severityTexts) {
            if (!t.isEmpty()) {
                doc.add(new Field(LogIndex.INTRINSIC, Terms.keyword(FieldRef.SEVERITY_TEXT, t), LogIndex.KEYWORD_TYPE));
            }
        }
        for (String t : scopeNames) {
            if (!t.isEmpty()) {
                doc.add(new Field(LogIndex.INTRINSIC, Terms.keyword(FieldRef.SCOPE_NAME, t), LogIndex.KEYWORD_TYPE));
            }
        }
        for (Map.Entry<String, double[]> e : numeric.entrySet()) {
            doc.add(new LongPoint(
                    NUMERIC_SPAN,
                    Terms.keyHash(e.getKey()),
                    Terms.sortable(e.getValue()[0]),
                    Terms.sortable(e.getValue()[1])));
        }
        if (ids > 0) {
            doc.add(new BinaryDocValuesField(ID_FILTER, new BytesRef(IdFilter.build(idHashes, ids))));
        }
        doc.add(new BinaryDocValuesField(BLOCK, new BytesRef(LogBlock.encode(records, baseId, entries, resourceOf))));
        return doc;
    }
}
