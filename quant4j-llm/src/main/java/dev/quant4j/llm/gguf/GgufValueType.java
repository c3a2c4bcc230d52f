package dev.quant4j.llm.gguf;

/**
 * GGUF metadata value types ({@code enum gguf_type}) with their ids, their size in the file
 * (0 = variable: strings and arrays) and the Java type a value is read as.
 */
public enum GgufValueType {
    UINT8(0, 1, Integer.class),
    INT8(1, 1, Byte.class),
    UINT16(2, 2, Integer.class),
    INT16(3, 2, Short.class),
    UINT32(4, 4, Long.class),
    INT32(5, 4, Integer.class),
    FLOAT32(6, 4, Float.class),
    BOOL(7, 1, Boolean.class),
    STRING(8, 0, String.class),
    ARRAY(9, 0, java.util.List.class),
    /** Read as a long; values ≥ 2⁶³ appear negative (Long.toUnsignedString shows them). */
    UINT64(10, 8, Long.class),
    INT64(11, 8, Long.class),
    FLOAT64(12, 8, Double.class);

    private final int id;
    private final int size;
    private final Class<?> javaType;

    GgufValueType(int id, int size, Class<?> javaType) {
        this.id = id;
        this.size = size;
        this.javaType = javaType;
    }

    public int id() { return id; }

    /** Bytes of one value in the file; 0 for strings and arrays. */
    public int size() { return size; }

    public Class<?> javaType() { return javaType; }

    /** Fewest bytes one value can take in the file (a string is at least its 8-byte length). */
    int minSize() { return this == STRING ? 8 : this == ARRAY ? 12 : size; }

    /** The type with this id, or null. */
    public static GgufValueType byId(int id) {
        for (GgufValueType t : values()) if (t.id == id) return t;
        return null;
    }
}
