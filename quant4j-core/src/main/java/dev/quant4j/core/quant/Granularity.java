package dev.quant4j.core.quant;

/** Which elements share one scale and zero-point. */
public enum Granularity {
    /** One scale for the whole tensor. */
    PER_TENSOR,
    /** One scale per index along an axis (ONNX QuantizeLinear with a 1-D scale). */
    PER_CHANNEL,
    /**
     * One scale per run of {@code blockSize} consecutive indices along an axis, separately for every
     * position of the other axes (ONNX opset-21 blocked quantization; GGUF blocks along rows).
     */
    PER_BLOCK
}
