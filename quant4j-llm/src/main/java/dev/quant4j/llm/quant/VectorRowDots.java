package dev.quant4j.llm.quant;

/** Vector API dot products for the hot types; null where only the scalar reference exists. */
final class VectorRowDots {
    private VectorRowDots() {}

    static RowDot of(GgmlType type) {
        return null;
    }
}
