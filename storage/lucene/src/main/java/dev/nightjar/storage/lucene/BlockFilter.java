package dev.nightjar.storage.lucene;

import dev.nightjar.core.logs.FullText;
import dev.nightjar.core.logs.LogFields;
import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.logs.SeverityLevel;
import dev.nightjar.core.telemetry.AttributeFilter;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.FieldRef;
import dev.nightjar.core.telemetry.FieldValues;
import dev.nightjar.core.telemetry.NumericRangeFilter;
import dev.nightjar.core.telemetry.Resource;
import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.Timestamps;
import dev.nightjar.core.telemetry.TraceId;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * A {@link LogFilter} over the block layout, in two steps: a typed Lucene query that finds every block
 * that MAY hold a matching record (never parsed syntax), and the exact per-record check on the decoded
 * block, with the same rules as core's reference store (so answers are exact, not approximate). The
 * per-record check looks at the block head first and decompresses the tail only when a term, record
 * attribute, severity text or scope filter needs it.
 */
final class BlockFilter {

    final long from;
    final long to;
    private final boolean[] levels;
    private final List<List<String>> phrases;
    private final List<AttributeFilter> resourceFilters = new ArrayList<>();
    private final List<NumericRangeFilter> resourceRanges = new ArrayList<>();
    /** Record-attribute and intrinsic (severity text, scope) filters and non-resource ranges. */
    private final List<AttributeFilter> tailFilters = new ArrayList<>();

    private final List<NumericRangeFilter> tailRanges = new ArrayList<>();
    private final List<TraceId> traces = new ArrayList<>();
    private final List<SpanId> spans = new ArrayList<>();
    /** Hashes of the high-entropy words and attribute values this filter names (see {@link IdFilter}). */
    private final List<Long> bloomHashes = new ArrayList<>();
    /** A trace/span filter that no record can match (not lower-case hex of the right length). */
    private boolean impossible;

    final boolean needsTail;

    /** {@code before}: an extra exclusive upper time bound (a page cursor's), or {@code Long.MAX_VALUE}. */
    BlockFilter(LogFilter filter, long before) {
        this.from = Timestamps.toNanos(filter.range().start());
        this.to = Math.min(before, Timestamps.toNanos(filter.range().end()));
        this.phrases = filter.termTokens();
        if (filter.severities().isEmpty()) {
            this.levels = null;
        } else {
            this.levels = new boolean[SeverityLevel.values().length];
            filter.severities().forEach(l -> levels[l.ordinal()] = true);
        }
        for (AttributeFilter f : filter.filters()) {
            FieldRef field = f.field();
            if (field.scope() == FieldRef.Scope.RESOURCE) {
                resourceFilters.add(f);
            } else if (field.scope() == FieldRef.Scope.INTRINSIC && field.key().equals(FieldRef.TRACE_ID)) {
                try {
                    TraceId id = TraceId.fromHex(f.value());
                    impossible |= !id.toHex().equals(f.value());
                    traces.add(id);
                } catch (IllegalArgumentException notAnId) {
                    impossible = true;
                }
            } else if (field.scope() == FieldRef.Scope.INTRINSIC && field.key().equals(FieldRef.SPAN_ID)) {
                try {
                    SpanId id = SpanId.fromHex(f.value());
                    impossible |= !id.toHex().equals(f.value());
                    spans.add(id);
                } catch (IllegalArgumentException notAnId) {
                    impossible = true;
                }
            } else {
                tailFilters.add(f);
            }
        }
        for (NumericRangeFilter r : filter.ranges()) {
            (r.field().scope() == FieldRef.Scope.RESOURCE ? resourceRanges : tailRanges).add(r);
        }
        this.needsTail = !phrases.isEmpty() || !tailFilters.isEmpty() || !tailRanges.isEmpty();
        for (List<String> phrase : phrases) {
            for (String word : phrase) {
                if (IdFilter.highEntropy(word)) {
                    bloomHashes.add(IdFilter.hashWord(word));
                }
            }
        }
        for (AttributeFilter f : tailFilters) {
            if (inBloom(f)) {
                bloomHashes.add(IdFilter.hashTerm(Terms.keyword(f.field().key(), f.value())));
            }
        }
    }

    /** A record-attribute value the index keeps in the block's filter rather than as a term. */
    private static boolean inBloom(AttributeFilter f) {
        return f.field().scope() == FieldRef.Scope.ATTRIBUTE
                && Terms.indexableKey(f.field().key())
                && IdFilter.highEntropy(f.value());
    }

    // ---- step 1: candidate blocks ----

    /** The Lucene query for the blocks that may hold a match. */
    Query candidates(ResourceTable resources) {
        if (to <= from || impossible) {
            return new MatchNoDocsQuery("no record can match");
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        b.add(
                LongPoint.newRangeQuery(
                        LogBlocks.TIME_SPAN, new long[] {Long.MIN_VALUE, from}, new long[] {to - 1, Long.MAX_VALUE}),
                BooleanClause.Occur.FILTER);
        for (List<String> phrase : phrases) {
            for (String word : phrase) {
                if (IdFilter.highEntropy(word)) {
                    continue; // in the block's filter, checked on each candidate
                }
                b.add(new TermQuery(new Term(LogIndex.BODY, word)), BooleanClause.Occur.FILTER);
            }
        }
        if (levels != null) {
            List<BytesRef> names = new ArrayList<>();
            for (SeverityLevel l : SeverityLevel.values()) {
                if (levels[l.ordinal()]) {
                    names.add(new BytesRef(l.name()));
                }
            }
            b.add(new TermInSetQuery(LogIndex.LEVEL, names), BooleanClause.Occur.FILTER);
        }
        if (!resourceFilters.isEmpty() || !resourceRanges.isEmpty()) {
            List<BytesRef> rids = new ArrayList<>(resources.matching(resourceFilters, resourceRanges));
            rids.add(LogBlocks.INLINE_RESOURCE); // blocks with resources past the table's cap: checked per record
            b.add(new TermInSetQuery(LogIndex.RID, rids), BooleanClause.Occur.FILTER);
        }
        for (AttributeFilter f : tailFilters) {
            if (!Terms.indexableKey(f.field().key()) || inBloom(f)) {
                continue; // not indexed, or in the block's filter: checked per block and per record
            }
            String field = f.field().scope() == FieldRef.Scope.ATTRIBUTE ? LogIndex.ATTRIBUTE : LogIndex.INTRINSIC;
            b.add(LogIndex.keywordQuery(f, field), BooleanClause.Occur.FILTER);
        }
        for (NumericRangeFilter r : tailRanges) {
            if (r.field().scope() != FieldRef.Scope.ATTRIBUTE) {
                return new MatchNoDocsQuery("no numeric intrinsic");
            }
            long h = Terms.keyHash(r.field().key());
            long lo = Terms.sortable(r.min() == null ? Double.NEGATIVE_INFINITY : r.min());
            long hi = Terms.sortable(r.max() == null ? Double.POSITIVE_INFINITY : r.max());
            // the block's [min, max] of the key overlaps [lo, hi]
            b.add(
                    LongPoint.newRangeQuery(LogBlocks.NUMERIC_SPAN, new long[] {h, Long.MIN_VALUE, lo}, new long[] {
                        h, hi, Long.MAX_VALUE
                    }),
                    BooleanClause.Occur.FILTER);
        }
        return new ConstantScoreQuery(b.build());
    }

    /**
     * Whether the block's {@link IdFilter} may hold every id, high-entropy word and attribute value this
     * filter names (true when it names none).
     */
    boolean mayHoldIds(BytesRef idFilter) {
        if (!namesIds()) {
            return true;
        }
        if (idFilter == null) {
            return false;
        }
        for (TraceId t : traces) {
            if (!IdFilter.mightContain(idFilter, IdFilter.hash(t))) {
                return false;
            }
        }
        for (SpanId s : spans) {
            if (!IdFilter.mightContain(idFilter, IdFilter.hash(s))) {
                return false;
            }
        }
        for (long h : bloomHashes) {
            if (!IdFilter.mightContain(idFilter, h)) {
                return false;
            }
        }
        return true;
    }

    /** Whether candidates must pass the block's {@link IdFilter}. */
    boolean namesIds() {
        return !traces.isEmpty() || !spans.isEmpty() || !bloomHashes.isEmpty();
    }

    // ---- step 2: exact check per record ----

    /** Which of the block's resources pass the resource filters. */
    boolean[] resources(LogBlock b) {
        boolean[] ok = new boolean[b.resources.length];
        for (int e = 0; e < ok.length; e++) {
            ok[e] = resourceMatches(b.resources[e]);
        }
        return ok;
    }

    private boolean resourceMatches(Resource r) {
        for (AttributeFilter f : resourceFilters) {
            if (!FieldValues.keywords(r.attributes().get(f.field().key())).contains(f.value())) {
                return false;
            }
        }
        for (NumericRangeFilter range : resourceRanges) {
            OptionalDouble v =
                    FieldValues.number(r.attributes().get(range.field().key()).orElse(null));
            if (v.isEmpty() || !range.matches(v.getAsDouble())) {
                return false;
            }
        }
        return true;
    }

    /** The checks on the head: time, level, resource, ids. */
    boolean head(LogBlock b, int i, boolean[] resourceOk) {
        long t = b.times[i];
        if (t < from || t >= to || !resourceOk[b.resourceOf[i]]) {
            return false;
        }
        if (levels != null && !levels[SeverityLevel.fromNumber(b.severity[i]).ordinal()]) {
            return false;
        }
        for (TraceId id : traces) {
            if (!id.equals(b.traces[i])) {
                return false;
            }
        }
        for (SpanId id : spans) {
            if (!id.equals(b.spans[i])) {
                return false;
            }
        }
        return true;
    }

    /** The word checks, on the body alone. */
    boolean words(String body) {
        for (List<String> phrase : phrases) {
            for (String word : phrase) {
                if (!mayContain(body, word)) {
                    return false; // most records of a block lack a needle: no need to cut them into words
                }
            }
        }
        if (!phrases.isEmpty()) {
            List<String> words = FullText.tokenize(body);
            for (List<String> phrase : phrases) {
                if (!FullText.containsPhrase(words, phrase)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The checks that need the whole record: words, record attributes, severity text, scope. */
    boolean tail(LogRecord r) {
        return words(r.bodyText()) && attributes(r);
    }

    /** Record attributes, severity text, scope. */
    private boolean attributes(LogRecord r) {
        for (AttributeFilter f : tailFilters) {
            if (!LogFields.keywords(r, f.field()).contains(f.value())) {
                return false;
            }
        }
        for (NumericRangeFilter range : tailRanges) {
            Attributes source = FieldValues.attributesOf(range.field(), r.resource(), r.attributes());
            OptionalDouble v =
                    FieldValues.number(source.get(range.field().key()).orElse(null));
            if (v.isEmpty() || !range.matches(v.getAsDouble())) {
                return false;
            }
        }
        return true;
    }

    /**
     * False only when {@code text} cannot hold the word {@code word} (folded, as {@code FullText} cuts
     * it): no run of characters whose lower case is the word. A word is a run of characters that each
     * fold ({@code Character.toLowerCase}) to the word's characters, so for a word of ASCII characters
     * (each one UTF-16 unit, folded one by one) this is exact as a necessary condition; other words
     * always pass.
     */
    static boolean mayContain(String text, String word) {
        int m = word.length();
        for (int j = 0; j < m; j++) {
            if (word.charAt(j) >= 0x80) {
                return true;
            }
        }
        char first = word.charAt(0);
        outer:
        for (int i = 0, last = text.length() - m; i <= last; i++) {
            if (Character.toLowerCase(text.charAt(i)) != first) {
                continue;
            }
            for (int j = 1; j < m; j++) {
                if (Character.toLowerCase(text.charAt(i + j)) != word.charAt(j)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Head and, when needed, tail. */
    boolean matches(LogBlock b, int i, boolean[] resourceOk) {
        if (!head(b, i, resourceOk)) {
            return false;
        }
        if (!needsTail) {
            return true;
        }
        // words first, on the body alone: the rest of the tail is only built for records that pass
        return (phrases.isEmpty() || words(b.body(i).asText())) && attributes(b.record(i));
    }
}
