package dev.quant4j.train.grad;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Tensor;
import dev.quant4j.train.GradContext;
import dev.quant4j.train.GradRegistry;

/**
 * QuantizeLinear and DequantizeLinear with a straight-through estimator for the rounding, per
 * tensor or per axis. Written per node, their composition y = s·(clamp(round(x/s) + z) − z) gets
 * exactly the LSQ gradients (Esser et al., "Learned Step Size Quantization"):
 * <pre>
 *   Quantize:    dq/dx = 1/s and dq/ds = −x/s²  where qmin ≤ x/s + z ≤ qmax, else 0
 *   Dequantize:  dy/dq = s,  dy/ds = q − z
 *   together:    dy/dx = 1 inside the range;  dy/ds = round(x/s) − x/s inside, qmin−z or qmax−z outside
 * </pre>
 * The integer tensor between them carries a float gradient; zero-points get none.
 */
public final class QdqGrad {
    private QdqGrad() {}

    public static void register(GradRegistry r) {
        r.register("QuantizeLinear", QdqGrad::quantize);
        r.register("DequantizeLinear", QdqGrad::dequantize);
    }

    static long[] range(DataType t) {
        return switch (t) {
            case INT8 -> new long[] {-128, 127};
            case UINT8 -> new long[] {0, 255};
            case INT4 -> new long[] {-8, 7};
            case UINT4 -> new long[] {0, 15};
            case INT16 -> new long[] {-32768, 32767};
            case UINT16 -> new long[] {0, 65535};
            default -> throw new IllegalArgumentException("no straight-through gradient for quantized type " + t);
        };
    }

    /** Per element, the index into the scale (0 for per-tensor). */
    private static int[] channelOf(GradContext c, Tensor x, Tensor scale) {
        int n = Math.toIntExact(x.elementCount());
        int[] ch = new int[n];
        if (scale.elementCount() == 1) return ch;
        if (scale.rank() != 1) throw c.error("blocked quantization has no backward yet");
        int axis = (int) c.attributes().getInt("axis", 1);
        if (axis < 0) axis += x.rank();
        long inner = 1;
        for (int a = axis + 1; a < x.rank(); a++) inner *= x.dim(a);
        long dim = x.dim(axis);
        for (int i = 0; i < n; i++) ch[i] = (int) ((i / inner) % dim);
        return ch;
    }

    private static float[] zeroPoints(GradContext c, int count) {
        return c.hasInput(2) ? c.in(2) : new float[count];
    }

    static float[][] quantize(GradContext c) {
        float[] x = c.in(0), s = c.in(1), z = zeroPoints(c, s.length), dq = c.dy();
        long[] r = range(c.outputs()[0].dtype());
        int[] ch = channelOf(c, c.inputs()[0], c.inputs()[1]);
        float[] dx = c.needs(0) ? new float[x.length] : null;
        double[] ds = new double[s.length];
        for (int i = 0; i < x.length; i++) {
            int k = ch[i];
            double v = x[i] / (double) s[k] + z[k];
            if (v < r[0] || v > r[1]) continue;
            if (dx != null) dx[i] = dq[i] / s[k];
            ds[k] -= dq[i] * x[i] / ((double) s[k] * s[k]);
        }
        return new float[][] {dx, c.needs(1) ? toFloat(ds) : null, null};
    }

    static float[][] dequantize(GradContext c) {
        float[] q = c.in(0), s = c.in(1), z = zeroPoints(c, s.length), dy = c.dy();
        int[] ch = channelOf(c, c.inputs()[0], c.inputs()[1]);
        float[] dq = c.needs(0) ? new float[q.length] : null;
        double[] ds = new double[s.length];
        for (int i = 0; i < q.length; i++) {
            int k = ch[i];
            if (dq != null) dq[i] = dy[i] * s[k];
            ds[k] += dy[i] * (q[i] - (double) z[k]);
        }
        return new float[][] {dq, c.needs(1) ? toFloat(ds) : null, null};
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }
}
