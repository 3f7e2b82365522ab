package dev.nightjar.core.telemetry;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * An OTLP {@code AnyValue}: a string, bool, 64-bit integer, double, bytes, array or key-value list.
 *
 * <p>Stores index scalar values by their {@linkplain #asText() text form}, so an exact filter
 * {@code key=value} compares that text: {@code 200} matches the integer 200, {@code true} the bool.
 */
public sealed interface AttributeValue
        permits AttributeValue.StringValue,
                AttributeValue.BoolValue,
                AttributeValue.LongValue,
                AttributeValue.DoubleValue,
                AttributeValue.BytesValue,
                AttributeValue.ArrayValue,
                AttributeValue.MapValue {

    /** The canonical text of the value; for arrays and maps a JSON-like rendering. */
    String asText();

    static AttributeValue of(String value) {
        return new StringValue(value);
    }

    static AttributeValue of(long value) {
        return new LongValue(value);
    }

    static AttributeValue of(double value) {
        return new DoubleValue(value);
    }

    static AttributeValue of(boolean value) {
        return new BoolValue(value);
    }

    static AttributeValue ofBytes(byte[] value) {
        return new BytesValue(value);
    }

    static AttributeValue ofArray(List<AttributeValue> values) {
        return new ArrayValue(values);
    }

    /** True for string, bool, long and double: the values exact filters and top values see. */
    default boolean isScalar() {
        return this instanceof StringValue
                || this instanceof BoolValue
                || this instanceof LongValue
                || this instanceof DoubleValue;
    }

    record StringValue(String value) implements AttributeValue {
        public StringValue {
            Objects.requireNonNull(value, "string value");
        }

        @Override
        public String asText() {
            return value;
        }
    }

    record BoolValue(boolean value) implements AttributeValue {
        @Override
        public String asText() {
            return Boolean.toString(value);
        }
    }

    record LongValue(long value) implements AttributeValue {
        @Override
        public String asText() {
            return Long.toString(value);
        }
    }

    record DoubleValue(double value) implements AttributeValue {
        @Override
        public String asText() {
            return Double.toString(value);
        }
    }

    /** Bytes; the array is copied in and out so the value stays immutable. */
    record BytesValue(byte[] value) implements AttributeValue {
        public BytesValue {
            value = Objects.requireNonNull(value, "bytes value").clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public String asText() {
            return Base64.getEncoder().encodeToString(value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BytesValue other && Arrays.equals(value, other.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "BytesValue[" + asText() + "]";
        }
    }

    record ArrayValue(List<AttributeValue> values) implements AttributeValue {
        public ArrayValue {
            values = List.copyOf(values);
        }

        @Override
        public String asText() {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                Json.appendValue(sb, values.get(i));
            }
            return sb.append(']').toString();
        }
    }

    /** An OTLP {@code KeyValueList}. */
    record MapValue(Attributes values) implements AttributeValue {
        public MapValue {
            Objects.requireNonNull(values, "map value");
        }

        @Override
        public String asText() {
            StringBuilder sb = new StringBuilder();
            Json.appendMap(sb, values);
            return sb.toString();
        }
    }
}
