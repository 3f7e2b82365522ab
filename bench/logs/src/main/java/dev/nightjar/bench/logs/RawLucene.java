package dev.nightjar.bench.logs;

import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.AttributeValue;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;

/**
 * The peer: a plain Lucene {@link IndexWriter} (default codec and settings, {@link StandardAnalyzer}) indexing
 * the same records the way a straightforward application would: body as text, one keyword field per
 * attribute key, the time as a point and doc value, the record as stored OTLP-JSON.
 */
final class RawLucene implements AutoCloseable {

    private final FSDirectory dir;
    private final IndexWriter writer;

    RawLucene(Path path) throws IOException {
        dir = FSDirectory.open(path);
        IndexWriterConfig config = new IndexWriterConfig(new StandardAnalyzer()).setRAMBufferSizeMB(64);
        writer = new IndexWriter(dir, config);
    }

    void add(LogRecord r) throws IOException {
        Document doc = new Document();
        long ts = r.effectiveTimeUnixNano();
        doc.add(new LongPoint("ts", ts));
        doc.add(new NumericDocValuesField("ts", ts));
        doc.add(new TextField("body", r.bodyText(), Field.Store.NO));
        doc.add(new StringField("severity_text", r.severityText(), Field.Store.NO));
        if (r.traceId() != null) {
            doc.add(new StringField("trace_id", r.traceId().toHex(), Field.Store.NO));
        }
        for (Map.Entry<String, AttributeValue> e :
                r.resource().attributes().asMap().entrySet()) {
            doc.add(new StringField("resource." + e.getKey(), e.getValue().asText(), Field.Store.NO));
        }
        for (Map.Entry<String, AttributeValue> e : r.attributes().asMap().entrySet()) {
            doc.add(new StringField("attribute." + e.getKey(), e.getValue().asText(), Field.Store.NO));
        }
        doc.add(new StoredField("source", OtlpJson.standalone(r)));
        writer.addDocument(doc);
    }

    void commit() throws IOException {
        writer.commit();
    }

    @Override
    public void close() throws IOException {
        writer.close();
        dir.close();
    }
}
