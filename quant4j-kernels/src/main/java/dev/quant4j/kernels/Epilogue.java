package dev.quant4j.kernels;

/**
 * What an integer GEMM does with its exact int32 accumulator {@code acc[i][j]} for an m×n output.
 * Per-column arrays (bias, scale) have length n; a scale array of length 1 applies to every column.
 */
public sealed interface Epilogue {

    /** Raw accumulators: out[i][j] = acc[i][j]. */
    record ToInt32(int[] out, int off, int ldc) implements Epilogue {}

    /**
     * Dequantized output (dynamic quantization): out[i][j] = acc[i][j]·scale[j] + bias[j].
     * {@code bias} may be null.
     */
    record ToFloat(float[] out, int off, int ldc, float[] scale, float[] bias) implements Epilogue {}

    /**
     * Requantized 8-bit output (static quantization, QLinearMatMul/QLinearConv semantics):
     * out[i][j] = clamp(roundHalfEven((acc[i][j] + bias[j])·multiplier[j]) + outZeroPoint, qmin, qmax),
     * stored as a byte (two's complement for signed output, unsigned bits for uint8).
     * {@code bias} (int32, in accumulator units) may be null. {@code qmin..qmax} is the output
     * type's range, possibly narrowed further to fuse a Relu/Clip.
     */
    record ToInt8(byte[] out, int off, int ldc, int[] bias, float[] multiplier,
                  int outZeroPoint, int qmin, int qmax) implements Epilogue {}
}
