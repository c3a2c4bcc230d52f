package dev.quant4j.llm.gguf;

import java.util.List;
import java.util.Objects;

/**
 * One metadata value with its GGUF type, so that a value read from one file is written to another
 * with the same type. For arrays {@code value} is an unmodifiable {@code List} and
 * {@code elementType} the type of its elements; otherwise {@code elementType} is null.
 * {@code value} has the Java type {@link GgufValueType#javaType()} of its type.
 */
public record GgufValue(GgufValueType type, Object value, GgufValueType elementType) {

    public GgufValue {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if (type == GgufValueType.ARRAY) {
            Objects.requireNonNull(elementType, "elementType of an array");
            if (!(value instanceof List<?> l)) throw new IllegalArgumentException("an ARRAY value must be a List");
            value = List.copyOf(l);
        } else {
            if (elementType != null) throw new IllegalArgumentException(type + " has no element type");
            if (!type.javaType().isInstance(value))
                throw new IllegalArgumentException(type + " needs a " + type.javaType().getSimpleName() + ", got " + value.getClass().getSimpleName());
        }
    }

    public static GgufValue of(GgufValueType type, Object value) { return new GgufValue(type, value, null); }
    public static GgufValue string(String s) { return of(GgufValueType.STRING, s); }
    public static GgufValue uint32(long v) {
        if (v < 0 || v > 0xFFFF_FFFFL) throw new IllegalArgumentException("uint32 out of range: " + v);
        return of(GgufValueType.UINT32, v);
    }
    public static GgufValue int32(int v) { return of(GgufValueType.INT32, v); }
    public static GgufValue float32(float v) { return of(GgufValueType.FLOAT32, v); }
    public static GgufValue bool(boolean v) { return of(GgufValueType.BOOL, v); }
    public static GgufValue array(GgufValueType elementType, List<?> values) { return new GgufValue(GgufValueType.ARRAY, values, elementType); }
}
