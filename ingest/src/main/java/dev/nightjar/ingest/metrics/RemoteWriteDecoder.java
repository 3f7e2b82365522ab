package dev.nightjar.ingest.metrics;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.MetricMetadata;
import dev.nightjar.core.metrics.MetricType;
import dev.nightjar.core.metrics.MetricsColumns;
import dev.nightjar.core.metrics.SeriesValidation;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.xerial.snappy.Snappy;

/**
 * Decodes Prometheus remote_write 1.0 bodies: snappy block format around a {@code prometheus.WriteRequest}
 * (remote.proto / types.proto). The five small messages are read field by field with
 * {@link CodedInputStream} instead of generated classes: no protoc in the build, no second copy of every
 * label in generated objects, and every limit is checked before the bytes it guards are turned into
 * strings. Samples go straight into primitive columns ({@link MetricsColumns}): no object per sample.
 * Exemplars and native histograms (remote_write 1.0 extensions) are skipped.
 */
public final class RemoteWriteDecoder {

    // WriteRequest
    private static final int WRITE_TIMESERIES = 1;
    private static final int WRITE_METADATA = 3;
    // TimeSeries
    private static final int SERIES_LABELS = 1;
    private static final int SERIES_SAMPLES = 2;
    // Label
    private static final int LABEL_NAME = 1;
    private static final int LABEL_VALUE = 2;
    // Sample
    private static final int SAMPLE_VALUE = 1;
    private static final int SAMPLE_TIMESTAMP = 2;
    // MetricMetadata
    private static final int META_TYPE = 1;
    private static final int META_FAMILY = 2;
    private static final int META_HELP = 4;
    private static final int META_UNIT = 5;

    private static final MetricType[] TYPES = {
        MetricType.UNKNOWN,
        MetricType.COUNTER,
        MetricType.GAUGE,
        MetricType.HISTOGRAM,
        MetricType.GAUGE_HISTOGRAM,
        MetricType.SUMMARY,
        MetricType.INFO,
        MetricType.STATESET
    };

    // Tags of a Sample's fields as every sender writes them: value (1, fixed64), timestamp (2, varint).
    private static final byte VALUE_TAG = 0x09;
    private static final byte TIMESTAMP_TAG = 0x10;
    private static final VarHandle DOUBLES =
            MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    private final RemoteWriteLimits limits;
    private final SeriesCache cache = new SeriesCache(SeriesCache.DEFAULT_ENTRIES);
    private final ThreadLocal<RemoteWriteBuffers> buffers = ThreadLocal.withInitial(RemoteWriteBuffers::new);

    public RemoteWriteDecoder(RemoteWriteLimits limits) {
        this.limits = limits;
    }

    /**
     * Snappy-decompresses and decodes; throws {@link RemoteWriteException} (HTTP 400) on any fault. The
     * returned columns' sample arrays belong to the calling thread and are overwritten by its next call:
     * hand them to the store, which does not keep them once the append has returned, before decoding again.
     */
    public MetricsColumns decodeSnappy(byte[] compressed) {
        if (compressed.length > limits.maxCompressedBytes()) {
            throw new RemoteWriteException(
                    413, "body larger than " + limits.maxCompressedBytes() + " bytes (compressed)");
        }
        byte[] raw;
        try {
            if (!Snappy.isValidCompressedBuffer(compressed)) {
                throw new RemoteWriteException(400, "body is not valid snappy (block format) data");
            }
            int length = Snappy.uncompressedLength(compressed);
            if (length < 0 || length > limits.maxDecompressedBytes()) {
                throw new RemoteWriteException(
                        413, "body decompresses to more than " + limits.maxDecompressedBytes() + " bytes");
            }
            RemoteWriteBuffers kept = buffers.get();
            raw = length <= RemoteWriteBuffers.KEPT_BODY_BYTES ? kept.body(length) : new byte[length];
            if (Snappy.uncompress(compressed, 0, compressed.length, raw, 0) != length) {
                throw new RemoteWriteException(400, "body is not valid snappy (block format) data: length mismatch");
            }
            return decode(raw, length, kept.columns(limits.maxSamplesPerRequest()));
        } catch (IOException e) {
            throw new RemoteWriteException(400, "body is not valid snappy (block format) data: " + e.getMessage());
        }
    }

    /** Decodes an uncompressed {@code WriteRequest} into columns of its own. */
    public MetricsColumns decode(byte[] raw) {
        return decode(raw, raw.length, new RemoteWriteColumns(raw.length, limits.maxSamplesPerRequest()));
    }

    private MetricsColumns decode(byte[] raw, int length, RemoteWriteColumns columns) {
        if (length > limits.maxDecompressedBytes()) {
            throw new RemoteWriteException(
                    413, "body decompresses to more than " + limits.maxDecompressedBytes() + " bytes");
        }
        List<MetricMetadata> metadata = new ArrayList<>();
        try {
            CodedInputStream in = CodedInputStream.newInstance(raw, 0, length);
            in.setSizeLimit(length);
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    break;
                }
                int field = WireFormat.getTagFieldNumber(tag);
                if (field == WRITE_TIMESERIES && isLengthDelimited(tag)) {
                    if (columns.series.size() >= limits.maxSeriesPerRequest()) {
                        throw new RemoteWriteException(
                                400, "request has more than " + limits.maxSeriesPerRequest() + " time series");
                    }
                    int old = in.pushLimit(in.readRawVarint32());
                    timeSeries(raw, in, columns);
                    in.popLimit(old);
                } else if (field == WRITE_METADATA && isLengthDelimited(tag)) {
                    int old = in.pushLimit(in.readRawVarint32());
                    MetricMetadata m = metadata(in);
                    if (m != null && metadata.size() < limits.maxSeriesPerRequest()) {
                        metadata.add(m);
                    }
                    in.popLimit(old);
                } else if (!in.skipField(tag)) {
                    break;
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new RemoteWriteException(400, "malformed protobuf WriteRequest: " + e.getMessage());
        } catch (IOException e) {
            throw new RemoteWriteException(400, "malformed protobuf WriteRequest: " + e.getMessage());
        }
        return columns.finish(metadata);
    }

    private void timeSeries(byte[] raw, CodedInputStream in, RemoteWriteColumns columns) throws IOException {
        int index = columns.series.size();
        // The label fields' bytes identify the series: when they sit together (every sender writes labels
        // first) and were seen before, the decoded, validated Labels are reused without making a string.
        int labelsFrom = -1;
        int labelsTo = -1;
        boolean contiguous = true;
        int labelCount = 0;
        while (true) {
            int fieldStart = in.getTotalBytesRead();
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == SERIES_LABELS && isLengthDelimited(tag)) {
                if (++labelCount > limits.maxLabelsPerSeries()) {
                    throw new RemoteWriteException(
                            400, "time series " + index + " has more than " + limits.maxLabelsPerSeries() + " labels");
                }
                if (labelsFrom < 0) {
                    labelsFrom = fieldStart;
                } else if (labelsTo != fieldStart) {
                    contiguous = false;
                }
                in.skipField(tag);
                labelsTo = in.getTotalBytesRead();
            } else if (field == SERIES_SAMPLES && isLengthDelimited(tag)) {
                if (columns.samples >= limits.maxSamplesPerRequest()) {
                    throw new RemoteWriteException(
                            400, "request has more than " + limits.maxSamplesPerRequest() + " samples");
                }
                int length = in.readRawVarint32();
                if (length < 0 || length > in.getBytesUntilLimit()) {
                    throw new InvalidProtocolBufferException("a sample runs past the end of its time series");
                }
                sample(raw, in.getTotalBytesRead(), length, columns);
                in.skipRawBytes(length);
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        Labels set = contiguous && labelsFrom >= 0 ? cache.get(raw, labelsFrom, labelsTo) : null;
        if (set == null) {
            set = labels(raw, labelsFrom, labelsTo, labelCount, index);
            if (contiguous && labelsFrom >= 0) {
                cache.put(raw, labelsFrom, labelsTo, set);
            }
        }
        columns.endSeries(set);
    }

    /** Decodes and validates the label fields found in {@code raw[from, to)} (other fields skipped). */
    private Labels labels(byte[] raw, int from, int to, int count, int index) throws IOException {
        String[] names = new String[count];
        String[] values = new String[count];
        int n = 0;
        if (from >= 0) {
            CodedInputStream in = CodedInputStream.newInstance(raw, from, to - from);
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    break;
                }
                if (WireFormat.getTagFieldNumber(tag) == SERIES_LABELS && isLengthDelimited(tag) && n < count) {
                    int old = in.pushLimit(in.readRawVarint32());
                    label(in, index, names, values, n++);
                    in.popLimit(old);
                } else if (!in.skipField(tag)) {
                    break;
                }
            }
        }
        try {
            Labels set = Labels.fromPairs(names, values, n);
            SeriesValidation.check(set);
            return set;
        } catch (IllegalArgumentException e) {
            throw new RemoteWriteException(400, "time series " + index + ": " + e.getMessage());
        }
    }

    private void label(CodedInputStream in, int index, String[] names, String[] values, int at) throws IOException {
        String name = "";
        String value = "";
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == LABEL_NAME && isLengthDelimited(tag)) {
                name = boundedString(in, limits.maxLabelNameLength(), index, "label name");
            } else if (field == LABEL_VALUE && isLengthDelimited(tag)) {
                value = boundedString(in, limits.maxLabelValueLength(), index, "label value");
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        names[at] = name;
        values[at] = value;
    }

    /**
     * Reads the {@code Sample} message at {@code raw[at, at + length)}. Every sender writes the value, then
     * the timestamp; those bytes are read in place. Anything else (other order, missing or unknown fields)
     * takes the general protobuf path.
     */
    private static void sample(byte[] raw, int at, int length, RemoteWriteColumns columns) throws IOException {
        int end = at + length;
        if (length >= 11 && raw[at] == VALUE_TAG && raw[at + 9] == TIMESTAMP_TAG) {
            long timestamp = 0;
            int shift = 0;
            int p = at + 10;
            while (p < end && shift < 64) {
                byte b = raw[p++];
                timestamp |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    if (p == end) {
                        columns.add(timestamp, (double) DOUBLES.get(raw, at + 1));
                        return;
                    }
                    break;
                }
                shift += 7;
            }
        }
        sampleFields(CodedInputStream.newInstance(raw, at, length), columns);
    }

    private static void sampleFields(CodedInputStream in, RemoteWriteColumns columns) throws IOException {
        double value = 0;
        long timestamp = 0;
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == SAMPLE_VALUE && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_FIXED64) {
                value = in.readDouble();
            } else if (field == SAMPLE_TIMESTAMP && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
                timestamp = in.readInt64();
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        columns.add(timestamp, value);
    }

    private MetricMetadata metadata(CodedInputStream in) throws IOException {
        int type = 0;
        String family = "";
        String help = "";
        String unit = "";
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == META_TYPE && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
                type = in.readEnum();
            } else if (field == META_FAMILY && isLengthDelimited(tag)) {
                family = boundedString(in, limits.maxLabelValueLength(), -1, "metric family name");
            } else if (field == META_HELP && isLengthDelimited(tag)) {
                help = boundedString(in, MetricMetadata.MAX_HELP_LENGTH * 4, -1, "help text");
            } else if (field == META_UNIT && isLengthDelimited(tag)) {
                unit = boundedString(in, limits.maxLabelValueLength(), -1, "unit");
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        try {
            String shortHelp = help.length() > MetricMetadata.MAX_HELP_LENGTH
                    ? help.substring(0, MetricMetadata.MAX_HELP_LENGTH)
                    : help;
            return new MetricMetadata(
                    family, type >= 0 && type < TYPES.length ? TYPES[type] : MetricType.UNKNOWN, shortHelp, unit);
        } catch (IllegalArgumentException invalid) {
            // Metadata is advisory: a bad family name drops the entry, never the samples.
            return null;
        }
    }

    /** Reads a string whose byte length is checked first, so an oversized value is never materialised. */
    private static String boundedString(CodedInputStream in, int maxChars, int index, String what) throws IOException {
        int bytes = in.readRawVarint32();
        // A UTF-8 character is at most 4 bytes; beyond that the value cannot be within the limit.
        if (bytes < 0 || bytes > maxChars * 4L) {
            throw new RemoteWriteException(400, where(index) + what + " longer than " + maxChars + " characters");
        }
        String text = new String(in.readRawBytes(bytes), java.nio.charset.StandardCharsets.UTF_8);
        if (text.length() > maxChars) {
            throw new RemoteWriteException(400, where(index) + what + " longer than " + maxChars + " characters");
        }
        return text;
    }

    private static String where(int index) {
        return index < 0 ? "metadata: " : "time series " + index + ": ";
    }

    private static boolean isLengthDelimited(int tag) {
        return WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }
}
