package dev.nightjar.storage.lucene;

import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.logs.SeverityLevel;
import dev.nightjar.core.telemetry.AttributeFilter;
import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.FieldRef;
import dev.nightjar.core.telemetry.FieldValues;
import dev.nightjar.core.telemetry.NumericRangeFilter;
import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.Timestamps;
import dev.nightjar.core.telemetry.TraceId;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * The log index: which Lucene fields a record becomes, and how a {@link LogFilter} becomes a typed Lucene
 * query (never parsed query syntax). Field layout is documented in the module README.
 */
final class LogIndex {

    static final String TS = "ts";
    static final String ID = "id";
    static final String SEVERITY = "sev";
    static final String LEVEL = "lvl";
    static final String BODY = "body";
    /** Fingerprint of the record's resource (see {@link ResourceTable}). */
    static final String RID = "rid";

    static final String TRACE = "tid";
    static final String SPAN = "sid";
    static final String ATTRIBUTE = "a";
    static final String INTRINSIC = "i";
    static final String ATTRIBUTE_NUM = "an";
    static final String SOURCE = "src";

    static final Analyzer ANALYZER = new BodyAnalyzer();

    /** Body: words and positions (for phrases), no norms (results are sorted by time, never scored). */
    private static final FieldType BODY_TYPE = new FieldType();
    /** Keywords: docs only, no norms, no frequencies. */
    static final FieldType KEYWORD_TYPE = new FieldType();

    static {
        BODY_TYPE.setIndexOptions(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS);
        BODY_TYPE.setTokenized(true);
        BODY_TYPE.setOmitNorms(true);
        BODY_TYPE.freeze();
        KEYWORD_TYPE.setIndexOptions(IndexOptions.DOCS);
        KEYWORD_TYPE.setTokenized(false);
        KEYWORD_TYPE.setOmitNorms(true);
        KEYWORD_TYPE.freeze();
    }

    private static final String[] LEVEL_NAMES = new String[SeverityLevel.values().length];

    static {
        for (SeverityLevel l : SeverityLevel.values()) {
            LEVEL_NAMES[l.ordinal()] = l.name();
        }
    }

    private LogIndex() {}

    /** Documents of one partition in one write, and the resources they point at. */
    static final class Pending {
        final List<Document> docs = new ArrayList<>();
        final Map<BytesRef, dev.nightjar.core.telemetry.Resource> resources = new java.util.HashMap<>();
    }

    /** Builds documents for a batch; a resource's fingerprint is computed once per distinct resource object. */
    static final class Builder {
        private final Map<Object, BytesRef> rids = new IdentityHashMap<>();

        BytesRef rid(dev.nightjar.core.telemetry.Resource resource, Pending pending) {
            BytesRef rid = rids.computeIfAbsent(resource, k -> ResourceTable.fingerprint(resource));
            pending.resources.putIfAbsent(rid, resource);
            return rid;
        }

        Document document(LogRecord r, long id, Pending pending) {
            Document doc = new Document();
            long ts = r.effectiveTimeUnixNano();
            doc.add(new LongPoint(TS, ts));
            doc.add(new NumericDocValuesField(TS, ts));
            doc.add(new NumericDocValuesField(ID, id));
            doc.add(new NumericDocValuesField(SEVERITY, r.severityNumber()));
            doc.add(new StringField(LEVEL, LEVEL_NAMES[r.severityLevel().ordinal()], Field.Store.NO));
            doc.add(new Field(BODY, r.bodyText(), BODY_TYPE));
            BytesRef rid = rid(r.resource(), pending);
            doc.add(new Field(RID, rid, KEYWORD_TYPE));
            doc.add(new SortedDocValuesField(RID, rid));
            for (IndexableField f : attributeFields(r.attributes(), ATTRIBUTE, ATTRIBUTE_NUM)) {
                doc.add(f);
            }
            if (r.traceId() != null) {
                doc.add(new Field(TRACE, new BytesRef(r.traceId().toBytes()), KEYWORD_TYPE));
            }
            if (r.spanId() != null) {
                doc.add(new Field(SPAN, new BytesRef(r.spanId().toBytes()), KEYWORD_TYPE));
            }
            if (!r.severityText().isEmpty()) {
                addKeyword(doc::add, INTRINSIC, FieldRef.SEVERITY_TEXT, r.severityText());
            }
            if (!r.scope().name().isEmpty()) {
                addKeyword(doc::add, INTRINSIC, FieldRef.SCOPE_NAME, r.scope().name());
            }
            doc.add(new StoredField(SOURCE, RecordCodec.encode(r)));
            pending.docs.add(doc);
            return doc;
        }
    }

    /** Keyword (term + doc value) and numeric point fields of one attribute set. */
    static List<IndexableField> attributeFields(Attributes attributes, String keywordField, String numericField) {
        List<IndexableField> out = new ArrayList<>(attributes.size() * 2);
        for (Map.Entry<String, AttributeValue> e : attributes.asMap().entrySet()) {
            String key = e.getKey();
            if (!Terms.indexableKey(key)) {
                continue;
            }
            for (String v : FieldValues.keywords(e.getValue())) {
                addKeyword(out::add, keywordField, key, v);
            }
            OptionalDouble n = FieldValues.number(e.getValue());
            if (n.isPresent()) {
                out.add(new LongPoint(numericField, Terms.keyHash(key), Terms.sortable(n.getAsDouble())));
            }
        }
        return out;
    }

    /** Terms only: top values of a key come from its postings (see {@code LuceneLogs#topValues}). */
    static void addKeyword(java.util.function.Consumer<IndexableField> sink, String field, String key, String value) {
        sink.accept(new Field(field, Terms.keyword(key, value), KEYWORD_TYPE));
    }

    // ---- queries ----

    static Query query(LogFilter filter, ResourceTable resources) {
        long from = Timestamps.toNanos(filter.range().start());
        long to = Timestamps.toNanos(filter.range().end());
        if (to <= from) {
            return new MatchNoDocsQuery("empty time range");
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        b.add(LongPoint.newRangeQuery(TS, from, to - 1), BooleanClause.Occur.FILTER);
        for (List<String> tokens : filter.termTokens()) {
            b.add(textQuery(tokens), BooleanClause.Occur.FILTER);
        }
        if (!filter.severities().isEmpty()) {
            List<BytesRef> levels = filter.severities().stream()
                    .map(l -> new BytesRef(l.name()))
                    .toList();
            b.add(new TermInSetQuery(LEVEL, levels), BooleanClause.Occur.FILTER);
        }
        Query byResource = resourceQuery(filter.filters(), filter.ranges(), resources, RID);
        if (byResource != null) {
            b.add(byResource, BooleanClause.Occur.FILTER);
        }
        for (AttributeFilter f : filter.filters()) {
            if (f.field().scope() == FieldRef.Scope.INTRINSIC) {
                b.add(intrinsicQuery(f), BooleanClause.Occur.FILTER);
            } else if (f.field().scope() == FieldRef.Scope.ATTRIBUTE) {
                b.add(keywordQuery(f, ATTRIBUTE), BooleanClause.Occur.FILTER);
            }
        }
        for (NumericRangeFilter r : filter.ranges()) {
            if (r.field().scope() == FieldRef.Scope.ATTRIBUTE) {
                b.add(numericQuery(r, ATTRIBUTE_NUM), BooleanClause.Occur.FILTER);
            }
        }
        return new ConstantScoreQuery(b.build());
    }

    /** The resource-scoped filters as a term set over fingerprints; null when there are none. */
    static Query resourceQuery(
            List<AttributeFilter> filters, List<NumericRangeFilter> ranges, ResourceTable resources, String ridField) {
        List<AttributeFilter> rf = filters.stream()
                .filter(f -> ResourceTable.isResource(f.field()))
                .toList();
        List<NumericRangeFilter> rr =
                ranges.stream().filter(r -> ResourceTable.isResource(r.field())).toList();
        if (rf.isEmpty() && rr.isEmpty()) {
            return null;
        }
        List<BytesRef> rids = resources.matching(rf, rr);
        return rids.isEmpty() ? new MatchNoDocsQuery("no resource matches") : new TermInSetQuery(ridField, rids);
    }

    private static Query intrinsicQuery(AttributeFilter f) {
        try {
            return switch (f.field().key()) {
                case FieldRef.TRACE_ID ->
                    new TermQuery(new Term(
                            TRACE, new BytesRef(TraceId.fromHex(f.value()).toBytes())));
                case FieldRef.SPAN_ID ->
                    new TermQuery(new Term(
                            SPAN, new BytesRef(SpanId.fromHex(f.value()).toBytes())));
                default -> keywordQuery(f, INTRINSIC);
            };
        } catch (IllegalArgumentException notAnId) {
            return new MatchNoDocsQuery("not a valid id");
        }
    }

    static Query textQuery(List<String> tokens) {
        if (tokens.size() == 1) {
            return new TermQuery(new Term(BODY, tokens.getFirst()));
        }
        return new PhraseQuery(BODY, tokens.toArray(String[]::new));
    }

    static Query keywordQuery(AttributeFilter f, String field) {
        return new TermQuery(new Term(field, Terms.keyword(f.field().key(), f.value())));
    }

    static Query numericQuery(NumericRangeFilter r, String field) {
        long h = Terms.keyHash(r.field().key());
        long lo = Terms.sortable(r.min() == null ? Double.NEGATIVE_INFINITY : r.min());
        long hi = Terms.sortable(r.max() == null ? Double.POSITIVE_INFINITY : r.max());
        return LongPoint.newRangeQuery(field, new long[] {h, lo}, new long[] {h, hi});
    }
}
