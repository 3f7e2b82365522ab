package dev.nightjar.storage.lucene;

import dev.nightjar.core.telemetry.AttributeFilter;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.FieldRef;
import dev.nightjar.core.telemetry.FieldValues;
import dev.nightjar.core.telemetry.NumericRangeFilter;
import dev.nightjar.core.telemetry.Resource;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.BytesRef;

/**
 * The distinct resources of one partition. Each is stored once, as its own document ({@code resid} +
 * {@code rsrc}); records point at it with {@code rid} (its 128-bit fingerprint). Most records share a few
 * hundred resources, so this keeps ~18 resource attributes per record out of the index and the stored
 * fields. The whole table is held in memory: resource filters are evaluated here, with core's {@link
 * FieldValues}, and become a term-set query on {@code rid}.
 */
final class ResourceTable {

    static final String RESOURCE_KEY = "resid";
    static final String RESOURCE_SOURCE = "rsrc";

    /**
     * At most this many resources per log partition are kept in the table (and in memory). Resources are
     * meant to be few (pods, hosts, not requests); a client sending a new resource with every record would
     * otherwise grow the table without bound. Past the cap, log blocks carry their new resources inline:
     * nothing is lost and filters stay exact, only such records cost more disk and slower resource filters.
     */
    static final int MAX_LOG_RESOURCES = 10_000;

    /**
     * The same cap for span partitions. Past it a span carries its resource inline (stored with the span,
     * its attributes indexed on the span document, {@code rid} = {@link SpanIndex#INLINE}).
     */
    static final int MAX_SPAN_RESOURCES = 10_000;

    private final Map<BytesRef, Resource> known = new ConcurrentHashMap<>();

    /** Loads the resources already in the index (on opening a partition). */
    void load(IndexWriter writer) throws IOException {
        try (DirectoryReader reader = DirectoryReader.open(writer)) {
            for (LeafReaderContext ctx : reader.leaves()) {
                org.apache.lucene.index.Terms terms = ctx.reader().terms(RESOURCE_KEY);
                if (terms == null) {
                    continue;
                }
                StoredFields stored = ctx.reader().storedFields();
                TermsEnum te = terms.iterator();
                PostingsEnum postings = null;
                for (BytesRef t = te.next(); t != null; t = te.next()) {
                    postings = te.postings(postings, PostingsEnum.NONE);
                    int doc = postings.nextDoc();
                    if (doc != DocIdSetIterator.NO_MORE_DOCS) {
                        BytesRef src = stored.document(doc).getBinaryValue(RESOURCE_SOURCE);
                        known.put(
                                BytesRef.deepCopyOf(t), RecordCodec.decodeResource(src.bytes, src.offset, src.length));
                    }
                }
            }
        }
    }

    /** Adds the resource's document unless the partition has it. Registered only once written, so a
     * record committed after it always finds its resource. Two threads may both add it: harmless. */
    void ensure(IndexWriter writer, BytesRef rid, Resource resource) throws IOException {
        if (!known.containsKey(rid)) {
            Document doc = new Document();
            doc.add(new Field(RESOURCE_KEY, rid, LogIndex.KEYWORD_TYPE));
            doc.add(new StoredField(RESOURCE_SOURCE, RecordCodec.encode(resource)));
            writer.addDocument(doc);
            known.put(rid, resource);
        }
    }

    /**
     * Like {@link #ensure}, but refuses a new resource once the table holds {@link #MAX_LOG_RESOURCES}:
     * true when the resource is (now) in the table. Concurrent writers may overshoot the cap by at most
     * one resource each.
     */
    boolean tryEnsure(IndexWriter writer, BytesRef rid, Resource resource) throws IOException {
        return tryEnsure(writer, rid, resource, MAX_LOG_RESOURCES);
    }

    /** {@link #tryEnsure(IndexWriter, BytesRef, Resource)} with the given cap. */
    boolean tryEnsure(IndexWriter writer, BytesRef rid, Resource resource, int cap) throws IOException {
        if (known.containsKey(rid)) {
            return true;
        }
        if (known.size() >= cap) {
            return false;
        }
        ensure(writer, rid, resource);
        return true;
    }

    int size() {
        return known.size();
    }

    Resource get(BytesRef rid) {
        Resource r = known.get(rid);
        if (r == null) {
            throw new IllegalStateException("record points at an unknown resource");
        }
        return r;
    }

    /** Fingerprints of the resources matching every filter and range (all of them resource-scoped). */
    List<BytesRef> matching(List<AttributeFilter> filters, List<NumericRangeFilter> ranges) {
        List<BytesRef> out = new ArrayList<>();
        for (Map.Entry<BytesRef, Resource> e : known.entrySet()) {
            if (matches(e.getValue().attributes(), filters, ranges)) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    private static boolean matches(Attributes attrs, List<AttributeFilter> filters, List<NumericRangeFilter> ranges) {
        for (AttributeFilter f : filters) {
            if (!FieldValues.keywords(attrs.get(f.field().key())).contains(f.value())) {
                return false;
            }
        }
        for (NumericRangeFilter r : ranges) {
            OptionalDouble v = FieldValues.number(attrs.get(r.field().key()).orElse(null));
            if (v.isEmpty() || !r.matches(v.getAsDouble())) {
                return false;
            }
        }
        return true;
    }

    static boolean isResource(FieldRef field) {
        return field.scope() == FieldRef.Scope.RESOURCE;
    }

    /** The 128-bit fingerprint of a resource: the first 16 bytes of SHA-256 over its encoding. */
    static BytesRef fingerprint(Resource resource) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(RecordCodec.encode(resource));
            return new BytesRef(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
