package dev.nightjar.storage.lucene;

import dev.nightjar.core.telemetry.AttributeFilter;
import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.FieldValues;
import dev.nightjar.core.telemetry.NumericRangeFilter;
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
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * Field names of the log index and the indexing and query helpers that logs and spans share (resource
 * fingerprints, attribute keywords and numeric points). How log records become block documents: {@link
 * LogBlocks}; how a log filter selects and checks them: {@link BlockFilter}. Layout: the module README.
 */
final class LogIndex {

    static final String TS = "ts";
    static final String ID = "id";
    static final String LEVEL = "lvl";
    static final String BODY = "body";
    /** Fingerprints of the block's resources (see {@link ResourceTable}). */
    static final String RID = "rid";

    static final String ATTRIBUTE = "a";
    static final String INTRINSIC = "i";

    static final Analyzer ANALYZER = new BodyAnalyzer();

    /** Keywords: docs only, no norms, no frequencies. */
    static final FieldType KEYWORD_TYPE = new FieldType();

    static {
        KEYWORD_TYPE.setIndexOptions(IndexOptions.DOCS);
        KEYWORD_TYPE.setTokenized(false);
        KEYWORD_TYPE.setOmitNorms(true);
        KEYWORD_TYPE.freeze();
    }

    private LogIndex() {}

    /** Documents of one partition in one write, and the resources they point at. */
    static final class Pending {
        final List<Document> docs = new ArrayList<>();
        /** Spans: the resource fingerprint of each document, parallel to {@link #docs}. */
        final List<BytesRef> docRids = new ArrayList<>();

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

    /** Terms only, no doc values: spans' top values and filters need no more. */
    static void addKeyword(java.util.function.Consumer<IndexableField> sink, String field, String key, String value) {
        sink.accept(new Field(field, Terms.keyword(key, value), KEYWORD_TYPE));
    }

    // ---- queries ----

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
