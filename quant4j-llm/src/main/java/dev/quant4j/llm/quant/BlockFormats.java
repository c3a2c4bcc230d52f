package dev.quant4j.llm.quant;

/** The one codec instance per supported {@link GgmlType}. */
final class BlockFormats {
    private BlockFormats() {}

    private static final BlockFormat F32 = new FloatFormats.F32();
    private static final BlockFormat F16 = new FloatFormats.F16();
    private static final BlockFormat BF16 = new FloatFormats.BF16();

    static BlockFormat of(GgmlType t) {
        return switch (t) {
            case F32 -> F32;
            case F16 -> F16;
            case BF16 -> BF16;
            default -> throw new UnsupportedOperationException("GGML type " + t + " (id " + t.id() + ") is not supported by quant4j");
        };
    }
}
