package dev.nightjar.storage.lucene;

import dev.nightjar.core.telemetry.AttributeFilter;
import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.FieldRef;
import dev.nightjar.core.telemetry.FieldValues;
import dev.nightjar.core.telemetry.NumericRangeFilter;
import dev.nightjar.core.telemetry.Resource;
import dev.nightjar.core.telemetry.Timestamps;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.traces.Span;
import dev.nightjar.core.traces.SpanKind;
import dev.nightjar.core.traces.SpanQuery;
import dev.nightjar.core.traces.StatusCode;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DocValuesType;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.IndexSortSortedNumericDocValuesRangeQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.NumericUtils;

/** The span index: fields of a span and typed queries over them (layout in the module README). */
final class SpanIndex {

    static final String TRACE_ID = "tid";
    static final String START = "start";
    static final String SID = "sid";
    static final String DURATION = "dur";
    static final String SERVICE = "svc";
    static final String NAME = "name";
    /**
     * Kind, status and the entry flag packed into one int ({@link #flags}): one point and one doc value per
     * span instead of three of each. The entry flag is the top bit, so entry spans are one point range.
     */
    static final String FLAGS = "ks";

    static final String RID = "rid";
    static final String ATTRIBUTE = "a";
    static final String ATTRIBUTE_NUM = "an";
    static final String SOURCE = "src";
    /** Past the resource table's cap: the span's resource, stored with it. */
    static final String INLINE_RESOURCE = "irsrc";
    /** Past the cap: the resource's attributes as {@code key\0value} terms ({@link #ATTRIBUTE}'s layout). */
    static final String RESOURCE_ATTRIBUTE = "ra";
    /** Past the cap: the resource's numeric attributes as points ({@link #ATTRIBUTE_NUM}'s layout). */
    static final String RESOURCE_ATTRIBUTE_NUM = "ran";
    /** The {@code rid} of a span whose resource is inline (not a fingerprint: those are 16 bytes). */
    static final BytesRef INLINE = new BytesRef("inline");

    private SpanIndex() {}

    private static final int KIND_BITS = 3;
    private static final int STATUS_BITS = 2;
    private static final int ENTRY_BIT = 1 << (KIND_BITS + STATUS_BITS);
    /** Entry spans (SERVER, CONSUMER or roots): every flags value with the entry bit. */
    static final int ENTRY_MIN = ENTRY_BIT;

    static final int ENTRY_MAX = 2 * ENTRY_BIT - 1;

    static int flags(Span s) {
        return s.kind().ordinal() | (s.status().code().ordinal() << KIND_BITS) | (s.isEntry() ? ENTRY_BIT : 0);
    }

    static int kind(long flags) {
        return (int) flags & ((1 << KIND_BITS) - 1);
    }

    static int status(long flags) {
        return (int) (flags >>> KIND_BITS) & ((1 << STATUS_BITS) - 1);
    }

    /** Spans of this kind and/or status (null: any): the flags values that say so. */
    static Query flagsQuery(SpanKind kind, StatusCode status) {
        int[] values = new int[2 * SpanKind.values().length * StatusCode.values().length];
        int n = 0;
        for (SpanKind k : SpanKind.values()) {
            for (StatusCode c : StatusCode.values()) {
                if ((kind == null || k == kind) && (status == null || c == status)) {
                    int v = k.ordinal() | (c.ordinal() << KIND_BITS);
                    values[n++] = v;
                    values[n++] = v | ENTRY_BIT;
                }
            }
        }
        return IntPoint.newSetQuery(FLAGS, java.util.Arrays.copyOf(values, n));
    }

    static BytesRef traceTerm(TraceId id) {
        return new BytesRef(id.toBytes());
    }

    // IntPoint/LongPoint make a new FieldType per field per document; shared frozen types are enough.
    // A point and numeric doc values of one field in one field instance: Lucene indexes both from it
    // (the point from binaryValue, the doc value from numericValue), one pass through the indexing chain.
    private static final FieldType LONG_POINT_AND_VALUE = pointAndValueType(Long.BYTES);
    private static final FieldType INT_POINT_AND_VALUE = pointAndValueType(Integer.BYTES);

    private static FieldType pointAndValueType(int bytes) {
        FieldType t = new FieldType();
        t.setDimensions(1, bytes);
        t.setDocValuesType(DocValuesType.NUMERIC);
        t.freeze();
        return t;
    }

    private static final class PointAndValue extends Field {
        private final long value;

        PointAndValue(String name, BytesRef packed, FieldType type, long value) {
            super(name, packed, type);
            this.value = value;
        }

        @Override
        public Number numericValue() {
            return value;
        }
    }

    /** {@code new LongPoint(name, v)} and {@code new NumericDocValuesField(name, v)} as one field. */
    static Field longPointAndValue(String name, long v) {
        byte[] packed = new byte[Long.BYTES];
        NumericUtils.longToSortableBytes(v, packed, 0);
        return new PointAndValue(name, new BytesRef(packed), LONG_POINT_AND_VALUE, v);
    }

    /** {@code new IntPoint(name, v)} and {@code new NumericDocValuesField(name, v)} as one field. */
    static Field intPointAndValue(String name, int v) {
        byte[] packed = new byte[Integer.BYTES];
        NumericUtils.intToSortableBytes(v, packed, 0);
        return new PointAndValue(name, new BytesRef(packed), INT_POINT_AND_VALUE, v);
    }

    /** A keyword term and sorted doc values of the same bytes, as one field. */
    private static final FieldType KEYWORD_SORTED = keywordType(DocValuesType.SORTED, false);
    /** A keyword term that is also stored (the resource fingerprint a span is decoded with). */
    private static final FieldType KEYWORD_STORED = keywordType(DocValuesType.NONE, true);

    private static FieldType keywordType(DocValuesType docValues, boolean stored) {
        FieldType t = new FieldType(LogIndex.KEYWORD_TYPE);
        t.setDocValuesType(docValues);
        t.setStored(stored);
        t.freeze();
        return t;
    }

    /**
     * Fingerprints of resources seen lately. Every export carries its resources again as new objects, and
     * a fingerprint is a SHA-256 over the encoded resource (~5 % of a span export's CPU when computed per
     * export); equal resources hash and compare much faster. Bounded: emptied when full, so a client
     * sending a new resource with every span costs only the fingerprints it would have cost anyway.
     */
    private static final Map<Resource, BytesRef> FINGERPRINTS = new ConcurrentHashMap<>();

    private static final int MAX_FINGERPRINTS = 4096;

    static BytesRef fingerprint(Resource resource) {
        BytesRef rid = FINGERPRINTS.get(resource);
        if (rid == null) {
            rid = ResourceTable.fingerprint(resource);
            if (FINGERPRINTS.size() >= MAX_FINGERPRINTS) {
                FINGERPRINTS.clear();
            }
            FINGERPRINTS.put(resource, rid);
        }
        return rid;
    }

    /** Numeric attributes as {@code (hash(key), sortable(value))}, the same point as a 2-D {@code LongPoint}. */
    private static final FieldType ATTRIBUTE_POINT = pointType2(Long.BYTES);

    private static FieldType pointType2(int bytes) {
        FieldType t = new FieldType();
        t.setDimensions(2, bytes);
        t.freeze();
        return t;
    }

    /**
     * The term of {@code key=value}, the same bytes as {@link Terms#keyword}: ASCII keys and values (nearly
     * all of them) are copied straight into an array of the exact size instead of being concatenated into a
     * string and encoded into a buffer of three bytes per character.
     */
    static BytesRef keyword(String key, String value) {
        int k = key.length();
        int n = k + 1 + value.length();
        if (n > Terms.MAX_INLINE_BYTES) {
            return Terms.keyword(key, value);
        }
        byte[] out = new byte[n];
        if (!ascii(key, out, 0) || !ascii(value, out, k + 1)) {
            return Terms.keyword(key, value);
        }
        return new BytesRef(out); // out[k] is already the separator, U+0000
    }

    /** A whole value as a term, the same bytes as {@link Terms#exact}, with the ASCII fast path. */
    static BytesRef exact(String value) {
        int n = value.length();
        if (n == 0 || n > Terms.MAX_INLINE_BYTES) {
            return Terms.exact(value);
        }
        byte[] out = new byte[n];
        return ascii(value, out, 0) ? new BytesRef(out) : Terms.exact(value);
    }

    private static boolean ascii(String s, byte[] out, int at) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return false;
            }
            out[at + i] = (byte) c;
        }
        return true;
    }

    /** Keyword terms and numeric points of a span's attributes, the layout {@code LogIndex.attributeFields} makes. */
    static void attributeFields(Document doc, Attributes attributes) {
        if (attributes.isEmpty()) {
            return;
        }
        for (Map.Entry<String, AttributeValue> e : attributes.asMap().entrySet()) {
            String key = e.getKey();
            if (!Terms.indexableKey(key)) {
                continue;
            }
            AttributeValue v = e.getValue();
            if (v.isScalar()) {
                doc.add(new Field(ATTRIBUTE, keyword(key, v.asText()), LogIndex.KEYWORD_TYPE));
            } else {
                for (String t : FieldValues.keywords(v)) {
                    doc.add(new Field(ATTRIBUTE, keyword(key, t), LogIndex.KEYWORD_TYPE));
                }
            }
            OptionalDouble number = FieldValues.number(v);
            if (number.isPresent()) {
                byte[] packed = new byte[2 * Long.BYTES];
                NumericUtils.longToSortableBytes(Terms.keyHash(key), packed, 0);
                NumericUtils.longToSortableBytes(Terms.sortable(number.getAsDouble()), packed, Long.BYTES);
                doc.add(new Field(ATTRIBUTE_NUM, new BytesRef(packed), ATTRIBUTE_POINT));
            }
        }
    }

    static final class Builder {
        /** A resource's fingerprint and service term, once per distinct resource object of a batch. */
        private record ResourceTerms(BytesRef rid, BytesRef service) {}

        private final Map<Resource, ResourceTerms> resources = new IdentityHashMap<>();

        private ResourceTerms resource(Resource resource, LogIndex.Pending pending) {
            ResourceTerms terms = resources.get(resource);
            if (terms == null) {
                terms = new ResourceTerms(fingerprint(resource), exact(resource.serviceName()));
                resources.put(resource, terms);
            }
            pending.resources.putIfAbsent(terms.rid(), resource);
            pending.docRids.add(terms.rid());
            return terms;
        }

        void document(Span s, LogIndex.Pending pending) {
            ResourceTerms resource = resource(s.resource(), pending);
            Document doc = new Document();
            doc.add(new Field(TRACE_ID, traceTerm(s.traceId()), LogIndex.KEYWORD_TYPE));
            doc.add(longPointAndValue(START, s.startTimeUnixNano()));
            doc.add(new NumericDocValuesField(SID, s.spanId().value()));
            doc.add(longPointAndValue(DURATION, s.durationNanos()));
            doc.add(new Field(SERVICE, resource.service(), KEYWORD_SORTED));
            doc.add(new Field(NAME, exact(s.name()), KEYWORD_SORTED));
            doc.add(intPointAndValue(FLAGS, flags(s)));
            doc.add(new Field(RID, resource.rid(), KEYWORD_STORED));
            attributeFields(doc, s.attributes());
            doc.add(new StoredField(SOURCE, RecordCodec.encodeSpan(s)));
            pending.docs.add(doc);
        }
    }

    /**
     * Makes a span document carry its resource itself, for a partition whose resource table is full: the
     * resource is stored with the span and its attributes are indexed on the span, so reads and resource
     * filters stay exact without the table growing. The service term is on every span already.
     */
    static void inline(Document doc, Resource resource) {
        if (doc.getField(INLINE_RESOURCE) != null) {
            return; // a retried write
        }
        doc.removeFields(RID);
        doc.add(new Field(RID, INLINE, KEYWORD_STORED));
        doc.add(new StoredField(INLINE_RESOURCE, RecordCodec.encode(resource)));
        for (IndexableField f :
                LogIndex.attributeFields(resource.attributes(), RESOURCE_ATTRIBUTE, RESOURCE_ATTRIBUTE_NUM)) {
            doc.add(f);
        }
    }

    /**
     * Resource filters: the matching fingerprints of the table, or spans with an inline resource whose own
     * indexed attributes match every filter; null when there are no resource filters.
     */
    static Query resourceQuery(List<AttributeFilter> filters, List<NumericRangeFilter> ranges, ResourceTable table) {
        Query inTable = LogIndex.resourceQuery(filters, ranges, table, RID);
        if (inTable == null) {
            return null;
        }
        BooleanQuery.Builder inline = new BooleanQuery.Builder();
        for (AttributeFilter f : filters) {
            if (ResourceTable.isResource(f.field())) {
                inline.add(LogIndex.keywordQuery(f, RESOURCE_ATTRIBUTE), BooleanClause.Occur.FILTER);
            }
        }
        for (NumericRangeFilter r : ranges) {
            if (ResourceTable.isResource(r.field())) {
                inline.add(LogIndex.numericQuery(r, RESOURCE_ATTRIBUTE_NUM), BooleanClause.Occur.FILTER);
            }
        }
        return new BooleanQuery.Builder()
                .add(inTable, BooleanClause.Occur.SHOULD)
                .add(inline.build(), BooleanClause.Occur.SHOULD)
                .build();
    }

    /**
     * Start time in {@code [from, to)}, plus the given clauses. Segments are sorted by start, so the range
     * is one run of documents per segment, found by a binary search over the start doc values instead of
     * a bit set of the matching documents built from the points.
     */
    static BooleanQuery.Builder inRange(long from, long to) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        b.add(
                new IndexSortSortedNumericDocValuesRangeQuery(
                        START, from, to - 1, LongPoint.newRangeQuery(START, from, to - 1)),
                BooleanClause.Occur.FILTER);
        return b;
    }

    static Query query(SpanQuery q, ResourceTable resources) {
        long from = Timestamps.toNanos(q.range().start());
        long to = Timestamps.toNanos(q.range().end());
        if (to <= from) {
            return new MatchNoDocsQuery("empty time range");
        }
        BooleanQuery.Builder b = inRange(from, to);
        if (q.service() != null) {
            b.add(new TermQuery(new Term(SERVICE, exact(q.service()))), BooleanClause.Occur.FILTER);
        }
        if (q.spanName() != null) {
            b.add(new TermQuery(new Term(NAME, exact(q.spanName()))), BooleanClause.Occur.FILTER);
        }
        if (q.kind() != null || q.status() != null) {
            b.add(flagsQuery(q.kind(), q.status()), BooleanClause.Occur.FILTER);
        }
        if (q.minDuration() != null || q.maxDuration() != null) {
            b.add(
                    LongPoint.newRangeQuery(DURATION, q.minDurationNanos(), q.maxDurationNanos()),
                    BooleanClause.Occur.FILTER);
        }
        Query byResource = resourceQuery(q.filters(), q.ranges(), resources);
        if (byResource != null) {
            b.add(byResource, BooleanClause.Occur.FILTER);
        }
        for (AttributeFilter f : q.filters()) {
            if (f.field().scope() == FieldRef.Scope.ATTRIBUTE) {
                b.add(LogIndex.keywordQuery(f, ATTRIBUTE), BooleanClause.Occur.FILTER);
            }
        }
        for (NumericRangeFilter r : q.ranges()) {
            if (r.field().scope() == FieldRef.Scope.ATTRIBUTE) {
                b.add(LogIndex.numericQuery(r, ATTRIBUTE_NUM), BooleanClause.Occur.FILTER);
            }
        }
        return new ConstantScoreQuery(b.build());
    }
}
