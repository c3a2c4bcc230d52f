package dev.quant4j.llm.quant;

/** The one codec instance per supported {@link GgmlType}. */
final class BlockFormats {
    private BlockFormats() {}

    private static final BlockFormat F32 = new FloatFormats.F32();
    private static final BlockFormat F16 = new FloatFormats.F16();
    private static final BlockFormat BF16 = new FloatFormats.BF16();
    private static final BlockFormat Q8_0 = new Q8_0Format();
    private static final BlockFormat Q4_0 = new Q4_0Format();
    private static final BlockFormat Q4_1 = new Q4_1Format();
    private static final BlockFormat Q5_0 = new Q5_0Format();
    private static final BlockFormat Q5_1 = new Q5_1Format();
    private static final BlockFormat Q4_K = new Q4_KFormat();
    private static final BlockFormat Q5_K = new Q5_KFormat();
    private static final BlockFormat Q6_K = new Q6_KFormat();

    static BlockFormat of(GgmlType t) {
        return switch (t) {
            case F32 -> F32;
            case F16 -> F16;
            case BF16 -> BF16;
            case Q8_0 -> Q8_0;
            case Q4_0 -> Q4_0;
            case Q4_1 -> Q4_1;
            case Q5_0 -> Q5_0;
            case Q5_1 -> Q5_1;
            case Q4_K -> Q4_K;
            case Q5_K -> Q5_K;
            case Q6_K -> Q6_K;
            default -> throw new UnsupportedOperationException("GGML type " + t + " (id " + t.id() + ") is not supported by quant4j");
        };
    }
}
