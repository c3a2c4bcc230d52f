package dev.quant4j.llm.quantize;

import dev.quant4j.llm.quant.GgmlType;

/**
 * What the quantizer did with one tensor.
 *
 * @param requested the type the rules asked for
 * @param type the type written
 * @param method the rounding method actually used
 * @param reason which rule or default chose {@code requested}
 * @param fallback why {@code type} or {@code method} differs from the request, or null
 */
public record TensorDecision(String tensor, int rows, int cols, GgmlType requested, GgmlType type, Method method, String reason, String fallback) {
    public long weights() { return (long) rows * cols; }

    @Override public String toString() {
        return String.format("%-28s %5d×%-5d %-5s %-10s %s%s", tensor, rows, cols, type, method, reason, fallback == null ? "" : "  FALLBACK: " + fallback);
    }
}
