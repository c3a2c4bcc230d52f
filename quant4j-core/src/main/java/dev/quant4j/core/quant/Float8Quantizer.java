package dev.quant4j.core.quant;

import dev.quant4j.core.numerics.Float8Format;

/**
 * ONNX QuantizeLinear / DequantizeLinear to the 8-bit float types (opset 19+):
 *
 * <pre>
 *   q  = fp8(x / scale)       rounded to nearest even, with the format's saturation rules
 *   x' = float(q) * scale
 * </pre>
 *
 * The zero-point is 0 (checked by {@link QuantParams}). {@code x / scale} is a float32 division as
 * in ONNX. NaN stays NaN; with {@code saturate} out-of-range values and ±Inf become ±max, without
 * it they become NaN (E5M2: ±Inf); see {@link Float8Format}.
 */
public final class Float8Quantizer {
    private Float8Quantizer() {}

    private static Float8Format format(QuantParams p) {
        if (!p.spec().isFloat8()) throw new IllegalArgumentException(p.spec().type() + " is not an 8-bit float type; use Quantizer");
        return Float8Format.of(p.spec().type());
    }

    public static byte[] quantize(float[] x, long[] shape, QuantParams p, boolean saturate) {
        Float8Format f = format(p);
        ParamLayout l = p.layout(shape);
        l.checkLength(x.length, "input");
        byte[] out = new byte[x.length];
        Quantizer.forEachRun(l, p.granularity(), p.blockSize(), (from, len, param, step) -> {
            for (int i = from, k = param; i < from + len; i++, k += step) out[i] = f.encode(x[i] / p.scale(k), saturate);
        });
        return out;
    }

    public static float[] dequantize(byte[] q, long[] shape, QuantParams p) {
        Float8Format f = format(p);
        ParamLayout l = p.layout(shape);
        l.checkLength(q.length, "input");
        float[] out = new float[q.length];
        Quantizer.forEachRun(l, p.granularity(), p.blockSize(), (from, len, param, step) -> {
            for (int i = from, k = param; i < from + len; i++, k += step) out[i] = f.decode(q[i]) * p.scale(k);
        });
        return out;
    }

    public static float[] fakeQuantize(float[] x, long[] shape, QuantParams p, boolean saturate) {
        return dequantize(quantize(x, shape, p, saturate), shape, p);
    }
}
