package dev.quant4j.report;

/**
 * How much of a model is held at one precision: tensors, parameters (elements) and bytes on disk.
 *
 * @param precision e.g. "fp32", "fp16", "int8", "int4"
 */
public record PrecisionShare(String precision, long tensors, long parameters, long bytes) {
    public PrecisionShare {
        Check.text(precision, "precision");
        Check.nonNegative(tensors, "tensors");
        Check.nonNegative(parameters, "parameters");
        Check.nonNegative(bytes, "bytes");
    }
}
