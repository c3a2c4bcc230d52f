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
        int qmin = p.spec().qmin(), qmax = p.spec().qmax();
        switch (p.granularity()) {
            case PER_TENSOR -> {
                float s = p.scale(0);
                int z = p.zeroPoint(0);
                for (int i = 0; i < x.length; i++) out[i] = quantizeChecked(x, i, s, z, qmin, qmax);
            }
            case PER_CHANNEL -> {
                int idx = 0;
                for (int o = 0; o < l.outer(); o++) {
                    for (int d = 0; d < l.dim(); d++) {
                        float s = p.scale(d);
                        int z = p.zeroPoint(d);
                        for (int i = 0; i < l.inner(); i++, idx++) out[idx] = quantizeChecked(x, idx, s, z, qmin, qmax);
                    }
                }
            }
            case PER_BLOCK -> {
                int idx = 0, blocks = l.dim() / p.blockSize();
                for (int o = 0; o < l.outer(); o++) {
                    for (int d = 0; d < l.dim(); d++) {
                        int base = (o * blocks + d / p.blockSize()) * l.inner();
                        for (int i = 0; i < l.inner(); i++, idx++) {
                            out[idx] = quantizeChecked(x, idx, p.scale(base + i), p.zeroPoint(base + i), qmin, qmax);
                        }
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
        ParamLayout l = p.layout(shape);
        l.checkLength(q.length, "input");
        l.checkLength(out.length, "output");
        switch (p.granularity()) {
            case PER_TENSOR -> {
                float s = p.scale(0);
                int z = p.zeroPoint(0);
                for (int i = 0; i < q.length; i++) out[i] = (float) ((long) q[i] - z) * s;
            }
            case PER_CHANNEL -> {
                int idx = 0;
                for (int o = 0; o < l.outer(); o++) {
                    for (int d = 0; d < l.dim(); d++) {
                        float s = p.scale(d);
                        int z = p.zeroPoint(d);
                        for (int i = 0; i < l.inner(); i++, idx++) out[idx] = (float) ((long) q[idx] - z) * s;
                    }
                }
            }
            case PER_BLOCK -> {
                int idx = 0, blocks = l.dim() / p.blockSize();
                for (int o = 0; o < l.outer(); o++) {
                    for (int d = 0; d < l.dim(); d++) {
                        int base = (o * blocks + d / p.blockSize()) * l.inner();
                        for (int i = 0; i < l.inner(); i++, idx++) {
                            out[idx] = (float) ((long) q[idx] - p.zeroPoint(base + i)) * p.scale(base + i);
                        }
                    }
                }
            }
        }
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
