package dev.nightjar.storage.lucene;

import dev.nightjar.core.telemetry.Resource;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.util.BytesRef;

/** Adds span documents to their partitions, with the partition's resource table and retries across retention. */
final class SpanPartitionWrites {

    private SpanPartitionWrites() {}

    static void add(LuceneStorage storage, PartitionSet set, Map<Long, LogIndex.Pending> byPartition) {
        for (Map.Entry<Long, LogIndex.Pending> e : byPartition.entrySet()) {
            LogIndex.Pending pending = e.getValue();
            int[] done = {0};
            PartitionWrite.run(storage, set, e.getKey(), p -> {
                // past the table's cap, a span carries its resource inline
                Set<BytesRef> inline = null;
                for (Map.Entry<BytesRef, Resource> r : pending.resources.entrySet()) {
                    if (!p.resources.tryEnsure(p.writer, r.getKey(), r.getValue(), ResourceTable.MAX_SPAN_RESOURCES)) {
                        inline = inline != null ? inline : new HashSet<>();
                        inline.add(r.getKey());
                    }
                }
                // one by one: addDocuments would make a block, which index sorting refuses; done survives a retry
                for (; done[0] < pending.docs.size(); done[0]++) {
                    Document doc = pending.docs.get(done[0]);
                    BytesRef rid = pending.docRids.get(done[0]);
                    if (inline != null && inline.contains(rid)) {
                        SpanIndex.inline(doc, pending.resources.get(rid));
                    }
                    p.writer.addDocument(doc);
                }
                p.dirty.set(true);
            });
        }
    }
}
