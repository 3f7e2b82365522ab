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
    static final FieldType BODY_TYPE = new FieldType();

    static {
        BODY_TYPE.setIndexOptions(IndexOptions.DOCS);
        BODY_TYPE.setTokenized(true);
        BODY_TYPE.setOmitNorms(true);
        BODY_TYPE.freeze();
    }

    /** The distinct words of a block as a token stream: Lucene hashes each once per block. */
    static final class Words extends TokenStream {
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

    static final String[] LEVEL_NAMES = new String[SeverityLevel.values().length];

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

    /** The hashes a block's {@link IdFilter} is built from. */
    static final class IdHashes {
        long[] hashes;
        int count;

        IdHashes(int expected) {
            hashes = new long[Math.max(16, expected)];
        }

        void add(long hash) {
            if (count == hashes.length) {
                hashes = java.util.Arrays.copyOf(hashes, count * 2);
            }
            hashes[count++] = hash;
        }
    }

    /**
     * The block document of {@code records} (sorted newest first). Resources go to the partition's table
     * while it has room, else inline into the block. The per-record work is split into small methods: one
     * large method took the JIT seconds to compile, and again after each deoptimisation.
     */
    static Document document(List<LogRecord> records, long baseId, Fingerprints fingerprints, Partition p)
            throws IOException {
        return document(
                records, baseId, LogBlock.Sources.single(baseId, records.size()), fingerprints, p, LogBlock.ZSTD_LEVEL);
    }

    /**
     * The block document of records whose ids come from {@code ids} (a merge keeps them), at a zstd level;
     * {@code blockId} is the block's own sort key ({@code id} doc value), unique among the partition's blocks.
     */
    static Document document(
            List<LogRecord> records,
            long blockId,
            LogBlock.Sources recordIds,
            Fingerprints fingerprints,
            Partition p,
            int level)
            throws IOException {
        ResourceTable table = p.resources;
        int n = records.size();
        Document doc = new Document();
        long newest = records.getFirst().effectiveTimeUnixNano();
        long oldest = records.getLast().effectiveTimeUnixNano();
        doc.add(new LongPoint(TIME_SPAN, oldest, newest));
        doc.add(new NumericDocValuesField(LogIndex.TS, newest));
        doc.add(new NumericDocValuesField(LogIndex.ID, blockId));

        List<LogBlock.Entry> entries = new ArrayList<>();
        Map<Resource, Integer> entryOf = new IdentityHashMap<>();
        int[] resourceOf = new int[n];
        boolean[] levels = new boolean[LEVEL_NAMES.length];
        // distinct values per key first: most values repeat within a block, so few terms are built
        Map<String, Set<String>> keywords = new HashMap<>();
        Map<String, double[]> numeric = new HashMap<>();
        // severity texts and scope names: a handful per block, so terms are built per distinct string
        Set<String> severityTexts = new HashSet<>();
        Set<String> scopeNames = new HashSet<>();
        String lastSeverityText = null;
        String lastScopeName = null;
        IdHashes ids = new IdHashes(n * 4);
        // distinct words of the block: one copy per distinct word, none per occurrence
        CharArraySet seen = new CharArraySet(1024, false);
        List<char[]> words = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            LogRecord r = records.get(i);
            Integer e = entryOf.get(r.resource());
            if (e == null) {
                e = entries.size();
                entryOf.put(r.resource(), e);
                doc.add(entry(r.resource(), fingerprints, table, p, entries));
            }
            resourceOf[i] = e;
            levels[r.severityLevel().ordinal()] = true;
            words(r.bodyText(), seen, words, ids);
            attributes(r.attributes(), keywords, numeric);
            if (r.severityText() != lastSeverityText) {
                lastSeverityText = r.severityText();
                severityTexts.add(lastSeverityText);
            }
            if (r.scope().name() != lastScopeName) {
                lastScopeName = r.scope().name();
                scopeNames.add(lastScopeName);
            }
            if (r.traceId() != null) {
                ids.add(IdFilter.hash(r.traceId()));
            }
            if (r.spanId() != null) {
                ids.add(IdFilter.hash(r.spanId()));
            }
        }
        indexFields(doc, levels, words, keywords, severityTexts, scopeNames, numeric, ids);
        doc.add(new BinaryDocValuesField(
                BLOCK, new BytesRef(LogBlockEncoder.encode(records, recordIds, entries, resourceOf, level))));
        return doc;
    }

    /**
     * The fields that select the block, from what its records hold: levels, distinct body words, attribute
     * terms, severity-text and scope-name terms, numeric spans and the Bloom filter. Shared by a fresh
     * block and a merged one ({@link LogBlockMerge}), so both index the same way.
     */
    static void indexFields(
            Document doc,
            boolean[] levels,
            List<char[]> words,
            Map<String, Set<String>> keywords,
            Set<String> severityTexts,
            Set<String> scopeNames,
            Map<String, double[]> numeric,
            IdHashes ids) {
        for (int l = 0; l < levels.length; l++) {
            if (levels[l]) {
                doc.add(new Field(LogIndex.LEVEL, new BytesRef(LEVEL_NAMES[l]), LogIndex.KEYWORD_TYPE));
            }
        }
        doc.add(new Field(LogIndex.BODY, new Words(words), BODY_TYPE));
        keywordFields(keywords, doc, ids);
        intrinsicFields(severityTexts, FieldRef.SEVERITY_TEXT, doc);
        intrinsicFields(scopeNames, FieldRef.SCOPE_NAME, doc);
        for (Map.Entry<String, double[]> e : numeric.entrySet()) {
            doc.add(new LongPoint(
                    NUMERIC_SPAN,
                    Terms.keyHash(e.getKey()),
                    Terms.sortable(e.getValue()[0]),
                    Terms.sortable(e.getValue()[1])));
        }
        if (ids.count > 0) {
            doc.add(new BinaryDocValuesField(ID_FILTER, new BytesRef(IdFilter.build(ids.hashes, ids.count))));
        }
    }

    /** Adds a resource to the block's entries (and to the partition's table while it has room); its rid field. */
    static Field entry(
            Resource resource,
            Fingerprints fingerprints,
            ResourceTable table,
            Partition p,
            List<LogBlock.Entry> entries)
            throws IOException {
        BytesRef rid = fingerprints.of(resource);
        boolean inTable = table.tryEnsure(p.writer, rid, resource);
        entries.add(new LogBlock.Entry(rid, resource, !inTable));
        return new Field(LogIndex.RID, inTable ? rid : INLINE_RESOURCE, LogIndex.KEYWORD_TYPE);
    }

    /** The body's words: distinct ones into {@code words}, high-entropy ones (ids, long numbers) into the filter. */
    static void words(String body, CharArraySet seen, List<char[]> words, IdHashes ids) throws IOException {
        try (TokenStream ts = LogIndex.ANALYZER.tokenStream(LogIndex.BODY, body)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                char[] buffer = term.buffer();
                int length = term.length();
                if (IdFilter.highEntropy(buffer, length)) {
                    ids.add(IdFilter.hashWord(buffer, length));
                } else if (!seen.contains(buffer, 0, length)) {
                    char[] w = java.util.Arrays.copyOf(buffer, length);
                    seen.add(w);
                    words.add(w);
                }
            }
            ts.end();
        }
    }

    /** A record's attributes into the block's distinct values per key and numeric spans per key. */
    private static void attributes(
            dev.nightjar.core.telemetry.Attributes attributes,
            Map<String, Set<String>> keywords,
            Map<String, double[]> numeric) {
        for (Map.Entry<String, AttributeValue> a : attributes.asMap().entrySet()) {
            attribute(a.getKey(), a.getValue(), keywords, numeric);
        }
    }

    /** One record attribute into the block's distinct values and numeric spans per key. */
    static void attribute(
            String key, AttributeValue value, Map<String, Set<String>> keywords, Map<String, double[]> numeric) {
        if (!Terms.indexableKey(key)) {
            return;
        }
        Set<String> values = keywords.computeIfAbsent(key, k -> new HashSet<>());
        if (value instanceof AttributeValue.StringValue sv) {
            values.add(sv.value());
            return; // a string has no number
        }
        values.addAll(FieldValues.keywords(value));
        OptionalDouble num = FieldValues.number(value);
        if (num.isPresent() && !Double.isNaN(num.getAsDouble())) {
            double v = num.getAsDouble();
            double[] span = numeric.computeIfAbsent(key, k -> new double[] {v, v});
            span[0] = Math.min(span[0], v);
            span[1] = Math.max(span[1], v);
        }
    }

    /** Terms of the distinct attribute values; high-entropy values go to the filter instead. */
    static void keywordFields(Map<String, Set<String>> keywords, Document doc, IdHashes ids) {
        for (Map.Entry<String, Set<String>> k : keywords.entrySet()) {
            for (String v : k.getValue()) {
                BytesRef t = Terms.keyword(k.getKey(), v);
                if (IdFilter.highEntropy(v)) {
                    ids.add(IdFilter.hashTerm(t));
                } else {
                    doc.add(new Field(LogIndex.ATTRIBUTE, t, LogIndex.KEYWORD_TYPE));
                }
            }
        }
    }

    static void intrinsicFields(Set<String> values, String key, Document doc) {
        for (String v : values) {
            if (!v.isEmpty()) {
                doc.add(new Field(LogIndex.INTRINSIC, Terms.keyword(key, v), LogIndex.KEYWORD_TYPE));
            }
        }
    }
}
