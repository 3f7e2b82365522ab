package dev.nightjar.ingest.otlp;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * OTLP/JSON (the OTLP spec's JSON encoding) to protobuf messages. Protobuf's own {@link JsonFormat}
 * already follows most of the rules (lowerCamelCase or original field names, enums as integers, 64-bit
 * integers as strings or numbers, unknown fields ignored) but reads {@code bytes} as base64, while OTLP
 * writes trace and span ids as hex. So the ids are rewritten from hex to base64 first; an id that is not
 * hex becomes a one-byte id, which the mapper rejects as that item's error instead of failing the request.
 */
public final class OtlpJson {
    private static final Set<String> ID_FIELDS =
            Set.of("traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        MAPPER.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(64)
                        .maxStringLength(64 << 20)
                        .build());
        MAPPER.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private OtlpJson() {}

    /** Parses UTF-8 OTLP/JSON into {@code builder}; malformed input is an {@link InvalidProtocolBufferException}. */
    public static void merge(byte[] json, Message.Builder builder) throws InvalidProtocolBufferException {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new InvalidProtocolBufferException("malformed JSON: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidProtocolBufferException("the JSON body must be an object");
        }
        rewriteIds(tree);
        try {
            PARSER.merge(tree.toString(), builder);
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidProtocolBufferException("invalid OTLP JSON: " + e.getMessage());
        }
    }

    public static String print(Message message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void rewriteIds(JsonNode node) {
        if (node.isArray()) {
            for (JsonNode child : node) {
                rewriteIds(child);
            }
        } else if (node.isObject()) {
            ObjectNode obj = (ObjectNode) node;
            Iterator<Map.Entry<String, JsonNode>> fields = obj.properties().iterator();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (ID_FIELDS.contains(field.getKey()) && field.getValue().isTextual()) {
                    field.setValue(new TextNode(hexToBase64(field.getValue().asText())));
                } else {
                    rewriteIds(field.getValue());
                }
            }
        }
    }

    private static String hexToBase64(String hex) {
        if (hex.isEmpty()) {
            return "";
        }
        byte[] bytes;
        try {
            bytes = hex.length() % 2 == 0 ? HexFormat.of().parseHex(hex) : new byte[1];
        } catch (IllegalArgumentException notHex) {
            bytes = new byte[1];
        }
        return Base64.getEncoder().encodeToString(bytes);
    }
}
