package dev.quant4j.core.quant;

/**
 * Quantize, dequantize and fake-quantize float arrays with {@link QuantParams}, following ONNX
 * QuantizeLinear / DequantizeLinear:
 *
 * <pre>
 *   q = clamp(rint(x / scale) + zeroPoint, qmin, qmax)     rint: round half to even
 *   x' = (q - zeroPoint) * scale
 * </pre>
 *
 * {@code x / scale} is a float32 division and the dequantization a float32 product, as in the ONNX
 * reference, so results match ONNX Runtime to the bit. {@code qmin..qmax} is the spec's range (the
 * whole type unless narrow or reduced range). ±Inf saturates; NaN is rejected with its index,
 * since no code represents it.
 */
public final class Quantizer {
    private Quantizer() {}

    /** One element. */
    public static int quantize(float x, float scale, int zeroPoint, int qmin, int qmax) {
        double r = Math.rint(x / scale) + zeroPoint;
        if (r != r) throw new IllegalArgumentException("cannot quantize NaN");
        return (int) Math.min(Math.max(r, qmin), qmax);
    }

    public static float dequantize(int q, float scale, int zeroPoint) {
        return (float) ((long) q - zeroPoint) * scale;
    }

    public static int[] quantize(float[] x, int[] shape, QuantParams p) {
        return quantize(x, ParamLayout.toLong(shape), p);
    }

    public static int[] quantize(float[] x, long[] shape, QuantParams p) {
        int[] out = new int[x.length];
        quantize(x, shape, p, out);
        return out;
    }

    /** Quantizes {@code x} (of {@code shape}) into {@code out}. */
    public static void quantize(float[] x, long[] shape, QuantParams p, int[] out) {
        ParamLayout l = p.layout(shape);
        l.checkLength(x.length, "input");
        l.checkLength(out.length, "output");
        if (p.spec().isFloat8()) throw new IllegalArgumentException(p.spec().type() + " codes are not integers; use Float8Quantizer");
        int qmin = p.spec().qmin(), qmax = p.spec().qmax();
        forEachRun(l, p.granularity(), p.blockSize(), (from, len, param, step) -> {
            for (int i = from, k = param; i < from + len; i++, k += step) {
                out[i] = quantizeChecked(x, i, p.scale(k), p.zeroPoint(k), qmin, qmax);
            }
        });
    }

    /** Visits contiguous runs of elements with the parameter index of the first and its step. */
    interface RunVisitor {
        void run(int from, int len, int paramIndex, int paramStep);
    }

    /**
     * Splits a tensor into runs of consecutive elements whose parameters are one index (step 0:
     * per-tensor, per-channel) or consecutive indices (step 1: per-block, along the inner axes).
     */
    static void forEachRun(ParamLayout l, Granularity g, int blockSize, RunVisitor v) {
        switch (g) {
            case PER_TENSOR -> v.run(0, l.count(), 0, 0);
            case PER_CHANNEL -> {
                for (int o = 0, idx = 0; o < l.outer(); o++) {
                    for (int d = 0; d < l.dim(); d++, idx += l.inner()) v.run(idx, l.inner(), d, 0);
                }
            }
            case PER_BLOCK -> {
                int blocks = l.dim() / blockSize;
                for (int o = 0, idx = 0; o < l.outer(); o++) {
                    for (int d = 0; d < l.dim(); d++, idx += l.inner()) {
                        v.run(idx, l.inner(), (o * blocks + d / blockSize) * l.inner(), 1);
                    }
                }
            }
        }
    }

    private static int quantizeChecked(float[] x, int i, float s, int z, int qmin, int qmax) {
        double r = Math.rint(x[i] / s) + z;
        if (r != r) throw new IllegalArgumentException("cannot quantize NaN at index " + i);
        return (int) Math.min(Math.max(r, qmin), qmax);
    }

    public static float[] dequantize(int[] q, int[] shape, QuantParams p) {
        return dequantize(q, ParamLayout.toLong(shape), p);
    }

    public static float[] dequantize(int[] q, long[] shape, QuantParams p) {
        float[] out = new float[q.length];
        dequantize(q, shape, p, out);
        return out;
    }

    /** Dequantizes {@code q} (of {@code shape}) into {@code out}. Codes are not range-checked. */
    public static void dequantize(int[] q, long[] shape, QuantParams p, float[] out) {
        if (p.spec().isFloat8()) throw new IllegalArgumentException(p.spec().type() + " codes are not integers; use Float8Quantizer");
        ParamLayout l = p.layout(shape);
        l.checkLength(q.length, "input");
        l.checkLength(out.length, "output");
        forEachRun(l, p.granularity(), p.blockSize(), (from, len, param, step) -> {
            for (int i = from, k = param; i < from + len; i++, k += step) {
                out[i] = (float) ((long) q[i] - p.zeroPoint(k)) * p.scale(k);
            }
        });
    }

    /** {@code dequantize(quantize(x))}: what the network computes with after quantization. */
    public static float[] fakeQuantize(float[] x, long[] shape, QuantParams p) {
        int[] q = quantize(x, shape, p);
        float[] out = new float[x.length];
        dequantize(q, shape, p, out);
        return out;
    }

    public static float[] fakeQuantize(float[] x, int[] shape, QuantParams p) {
        return fakeQuantize(x, ParamLayout.toLong(shape), p);
    }
}
