package dev.nightjar.storage.lucene;

import dev.nightjar.core.logs.LogFields;
import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.logs.SeverityLevel;
import dev.nightjar.core.telemetry.AttributeFilter;
import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.FieldRef;
import dev.nightjar.core.telemetry.FieldValues;
import dev.nightjar.core.telemetry.NumericRangeFilter;
import dev.nightjar.core.telemetry.Timestamps;
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
import org.apache.lucene.document.SortedSetDocValuesField;
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
    static final String RESOURCE = "r";
    static final String ATTRIBUTE = "a";
    static final String INTRINSIC = "i";
    static final String RESOURCE_NUM = "rn";
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

    /** Builds documents for a batch; resource fields are computed once per distinct resource object. */
    static final class Builder {
        private final Map<Object, List<IndexableField>> resourceFields = new IdentityHashMap<>();

        Document document(LogRecord r, long id) {
            Document doc = new Document();
            long ts = r.effectiveTimeUnixNano();
            doc.add(new LongPoint(TS, ts));
            doc.add(new NumericDocValuesField(TS, ts));
            doc.add(new NumericDocValuesField(ID, id));
            doc.add(new NumericDocValuesField(SEVERITY, r.severityNumber()));
            doc.add(new StringField(LEVEL, LEVEL_NAMES[r.severityLevel().ordinal()], Field.Store.NO));
            doc.add(new Field(BODY, r.bodyText(), BODY_TYPE));
            for (IndexableField f : resourceFields.computeIfAbsent(
                    r.resource(), k -> attributeFields(r.resource().attributes(), RESOURCE, RESOURCE_NUM))) {
                doc.add(f);
            }
            for (IndexableField f : attributeFields(r.attributes(), ATTRIBUTE, ATTRIBUTE_NUM)) {
                doc.add(f);
            }
            for (Map.Entry<String, String> e : LogFields.intrinsics(r).entrySet()) {
                addKeyword(doc::add, INTRINSIC, e.getKey(), e.getValue());
            }
            doc.add(new StoredField(SOURCE, RecordCodec.encode(r)));
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

    static void addKeyword(java.util.function.Consumer<IndexableField> sink, String field, String key, String value) {
        BytesRef term = Terms.keyword(key, value);
        sink.accept(new Field(field, term, KEYWORD_TYPE));
        sink.accept(new SortedSetDocValuesField(field, term));
    }

    // ---- queries ----

    static Query query(LogFilter filter) {
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
        for (AttributeFilter f : filter.filters()) {
            b.add(keywordQuery(f, RESOURCE, ATTRIBUTE, INTRINSIC), BooleanClause.Occur.FILTER);
        }
        for (NumericRangeFilter r : filter.ranges()) {
            b.add(numericQuery(r, RESOURCE_NUM, ATTRIBUTE_NUM), BooleanClause.Occur.FILTER);
        }
        return new ConstantScoreQuery(b.build());
    }

    static Query textQuery(List<String> tokens) {
        if (tokens.size() == 1) {
            return new TermQuery(new Term(BODY, tokens.getFirst()));
        }
        return new PhraseQuery(BODY, tokens.toArray(String[]::new));
    }

    static String keywordField(FieldRef field, String resource, String attribute, String intrinsic) {
        return switch (field.scope()) {
            case RESOURCE -> resource;
            case ATTRIBUTE -> attribute;
            case INTRINSIC -> intrinsic;
        };
    }

    static Query keywordQuery(AttributeFilter f, String resource, String attribute, String intrinsic) {
        String field = keywordField(f.field(), resource, attribute, intrinsic);
        return new TermQuery(new Term(field, Terms.keyword(f.field().key(), f.value())));
    }

    static Query numericQuery(NumericRangeFilter r, String resource, String attribute) {
        String field = r.field().scope() == FieldRef.Scope.RESOURCE ? resource : attribute;
        long h = Terms.keyHash(r.field().key());
        long lo = Terms.sortable(r.min() == null ? Double.NEGATIVE_INFINITY : r.min());
        long hi = Terms.sortable(r.max() == null ? Double.POSITIVE_INFINITY : r.max());
        return LongPoint.newRangeQuery(field, new long[] {h, lo}, new long[] {h, hi});
    }
}
