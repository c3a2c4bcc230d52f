package dev.quant4j.llm.safetensors;

/**
 * A tensor listed in a safetensors header: {@code dtype} as written ("F32", "BF16", ...), the
 * row-major {@code shape}, and its byte range [begin, end) relative to the data section.
 */
public record SafetensorsTensor(String name, String dtype, long[] shape, long begin, long end) {

    public SafetensorsTensor {
        shape = shape.clone();
    }

    @Override public long[] shape() { return shape.clone(); }

    public long byteSize() { return end - begin; }

    public long elementCount() {
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    /** Bytes per element of a safetensors dtype, or -1 when the dtype is unknown. */
    static int elementSize(String dtype) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2" -> 1;
            default -> -1;
        };
    }
}
