package dev.quant4j.llm.quant;

/**
 * GGML tensor types with their numeric ids as written in GGUF tensor infos, the number of
 * weights per block and the bytes per block. Only the types with a {@link BlockFormat} can be
 * decoded or written by quant4j ({@link #isSupported()}); the others are listed so that a file
 * holding them is reported by name rather than as an unknown id.
 */
public enum GgmlType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, 32, 18),
    Q4_1(3, 32, 20),
    Q5_0(6, 32, 22),
    Q5_1(7, 32, 24),
    Q8_0(8, 32, 34),
    Q8_1(9, 32, 36),
    Q2_K(10, 256, 84),
    Q3_K(11, 256, 110),
    Q4_K(12, 256, 144),
    Q5_K(13, 256, 176),
    Q6_K(14, 256, 210),
    Q8_K(15, 256, 292),
    I8(24, 1, 1),
    I16(25, 1, 2),
    I32(26, 1, 4),
    I64(27, 1, 8),
    F64(28, 1, 8),
    BF16(30, 1, 2);

    private final int id;
    private final int blockSize;
    private final int bytesPerBlock;

    GgmlType(int id, int blockSize, int bytesPerBlock) {
        this.id = id;
        this.blockSize = blockSize;
        this.bytesPerBlock = bytesPerBlock;
    }

    /** The id GGML and GGUF use for this type ({@code enum ggml_type}). */
    public int id() { return id; }

    /** Weights per block (1 for the plain element types). */
    public int blockSize() { return blockSize; }

    /** Bytes one block takes. */
    public int bytesPerBlock() { return bytesPerBlock; }

    /** Bits per weight, including the scales stored in the block. */
    public double bitsPerWeight() { return 8.0 * bytesPerBlock / blockSize; }

    /** Whether quant4j has a {@link BlockFormat} for this type. */
    public boolean isSupported() {
        return switch (this) {
            case F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K, Q5_K, Q6_K -> true;
            default -> false;
        };
    }

    /** The codec of this type; throws for types quant4j cannot decode. */
    public BlockFormat format() {
        return BlockFormats.of(this);
    }

    /**
     * Bytes taken by {@code count} weights; {@code count} must be a multiple of the block size.
     * Throws ArithmeticException on overflow so that sizes taken from files never wrap.
     */
    public long byteSize(long count) {
        if (count < 0 || count % blockSize != 0)
            throw new IllegalArgumentException(this + ": " + count + " weights is not a multiple of the block size " + blockSize);
        return Math.multiplyExact(count / blockSize, (long) bytesPerBlock);
    }

    /** The type with GGML id {@code id}, or null when the id is unknown to quant4j. */
    public static GgmlType byId(int id) {
        for (GgmlType t : values()) if (t.id == id) return t;
        return null;
    }

    /** The type with this name ("Q4_K", case-insensitive); throws listing the names otherwise. */
    public static GgmlType byName(String name) {
        for (GgmlType t : values()) if (t.name().equalsIgnoreCase(name)) return t;
        throw new IllegalArgumentException("unknown GGML type '" + name + "'; known: " + java.util.Arrays.toString(values()));
    }
}
