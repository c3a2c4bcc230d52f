package dev.quant4j.runtime.ops;

import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.Broadcast;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.Op;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;
import java.util.Arrays;

/**
 * The normalizations over fp32: BatchNormalization (inference, and the training form that also
 * returns updated running statistics), InstanceNormalization, LayerNormalization (with its Mean
 * and InvStdDev outputs) and GroupNormalization. Statistics are summed in double; variances are
 * population variances, as ONNX defines them.
 */
final class NormOps {
    private NormOps() {}

    static void register(OpRegistry r) {
        r.register("BatchNormalization", NormOps::batchNorm);
        r.register("InstanceNormalization", s -> {
            float eps = s.attributes().getFloat("epsilon", 1e-5f);
            return (in, ctx) -> new Tensor[] {instanceNorm(in[0], Tensors.toFloats(in[1]), Tensors.toFloats(in[2]), eps)};
        });
        r.register("LayerNormalization", NormOps::layerNorm);
        r.register("GroupNormalization", s -> {
            float eps = s.attributes().getFloat("epsilon", 1e-5f);
            long groups = s.attributes().getInt("num_groups", -1);
            if (groups < 1) throw s.error("num_groups is required");
            return (in, ctx) -> new Tensor[] {groupNorm(in[0], Tensors.toFloats(in[1]), Tensors.toFloats(in[2]), (int) groups, eps)};
        });
    }

    private static Op batchNorm(NodeSetup s) {
        float eps = s.attributes().getFloat("epsilon", 1e-5f), momentum = s.attributes().getFloat("momentum", 0.9f);
        if (s.attributes().getInt("spatial", 1) == 0) throw s.error("spatial=0 is not supported");
        boolean training = s.opset() >= 14 ? s.attributes().getInt("training_mode", 0) != 0
                : s.node().outputs().size() > 1 && s.attributes().getInt("is_test", 0) == 0;
        return (in, ctx) -> {
            Tensor x = in[0];
            long[] xs = x.shape();
            int n = Math.toIntExact(xs[0]), c = xs.length > 1 ? Math.toIntExact(xs[1]) : 1;
            float[] xv = Tensors.floats(x), scale = Tensors.toFloats(in[1]), bias = Tensors.toFloats(in[2]);
            float[] mean = Tensors.toFloats(in[3]), var = Tensors.toFloats(in[4]);
            int inner = n * c == 0 ? 0 : xv.length / (n * c);
            float[] y = new float[xv.length];
            if (!training) {
                affinePerChannel(xv, n, c, inner, scale, bias, mean, var, eps, y);
                return new Tensor[] {Tensors.ofFloats(y, xs)};
            }
            float[] bm = new float[c], bv = new float[c];
            for (int j = 0; j < c; j++) {
                double sum = 0, sq = 0;
                for (int i = 0; i < n; i++) {
                    int o = (i * c + j) * inner;
                    for (int p = 0; p < inner; p++) { double v = xv[o + p]; sum += v; sq += v * v; }
                }
                double cnt = (double) n * inner, mu = sum / cnt;
                bm[j] = (float) mu;
                bv[j] = (float) Math.max(0, sq / cnt - mu * mu);
            }
            affinePerChannel(xv, n, c, inner, scale, bias, bm, bv, eps, y);
            float[] rm = new float[c], rv = new float[c];
            for (int j = 0; j < c; j++) {
                rm[j] = mean[j] * momentum + bm[j] * (1 - momentum);
                rv[j] = var[j] * momentum + bv[j] * (1 - momentum);
            }
            return new Tensor[] {Tensors.ofFloats(y, xs), Tensors.ofFloats(rm, c), Tensors.ofFloats(rv, c)};
        };
    }

    /** y = (x − mean[c]) / sqrt(var[c] + eps) · scale[c] + bias[c], folded to one multiply-add. */
    private static void affinePerChannel(float[] x, int n, int c, int inner, float[] scale, float[] bias, float[] mean, float[] var, float eps, float[] y) {
        for (int j = 0; j < c; j++) {
            float a = (float) (scale[j] / Math.sqrt((double) var[j] + eps));
            float b = bias[j] - mean[j] * a;
            for (int i = 0; i < n; i++) {
                int o = (i * c + j) * inner;
                for (int p = 0; p < inner; p++) y[o + p] = x[o + p] * a + b;
            }
        }
    }

    /** Mean and 1/sqrt(var + eps) of x[off, off + len). */
    private static double[] stats(float[] x, int off, int len, float eps) {
        double sum = 0;
        for (int i = 0; i < len; i++) sum += x[off + i];
        double mu = sum / len, sq = 0;
        for (int i = 0; i < len; i++) { double d = x[off + i] - mu; sq += d * d; }
        return new double[] {mu, 1.0 / Math.sqrt(sq / len + eps)};
    }

    static Tensor instanceNorm(Tensor x, float[] scale, float[] bias, float eps) {
        long[] xs = x.shape();
        int n = Math.toIntExact(xs[0]), c = Math.toIntExact(xs[1]);
        float[] xv = Tensors.floats(x), y = new float[xv.length];
        int inner = n * c == 0 ? 0 : xv.length / (n * c);
        for (int p = 0; p < n * c; p++) {
            int j = p % c, o = p * inner;
            double[] st = stats(xv, o, inner, eps);
            float a = (float) (scale[j] * st[1]), b = (float) (bias[j] - st[0] * scale[j] * st[1]);
            for (int i = 0; i < inner; i++) y[o + i] = xv[o + i] * a + b;
        }
        return Tensors.ofFloats(y, xs);
    }

    static Tensor groupNorm(Tensor x, float[] scale, float[] bias, int groups, float eps) {
        long[] xs = x.shape();
        int n = Math.toIntExact(xs[0]), c = Math.toIntExact(xs[1]);
        if (c % groups != 0) throw new IllegalArgumentException("GroupNormalization: " + c + " channels do not split into " + groups + " groups");
        // Opset 18 scales per group, opset 21 per channel; the lengths tell the two apart.
        boolean perChannel = scale.length == c;
        if (!perChannel && scale.length != groups) throw new IllegalArgumentException("GroupNormalization: scale has " + scale.length + " values for " + c + " channels in " + groups + " groups");
        float[] xv = Tensors.floats(x), y = new float[xv.length];
        int inner = n * c == 0 ? 0 : xv.length / (n * c), cg = c / groups, len = cg * inner;
        for (int i = 0; i < n; i++) {
            for (int g = 0; g < groups; g++) {
                int o = (i * c + g * cg) * inner;
                double[] st = stats(xv, o, len, eps);
                for (int j = 0; j < cg; j++) {
                    int ch = g * cg + j, pi = perChannel ? ch : g;
                    float a = (float) (scale[pi] * st[1]), b = (float) (bias[pi] - st[0] * scale[pi] * st[1]);
                    for (int p = o + j * inner; p < o + (j + 1) * inner; p++) y[p] = xv[p] * a + b;
                }
            }
        }
        return Tensors.ofFloats(y, xs);
    }

    private static Op layerNorm(NodeSetup s) {
        long axisAttr = s.attributes().getInt("axis", -1);
        float eps = s.attributes().getFloat("epsilon", 1e-5f);
        return (in, ctx) -> {
            Tensor x = in[0];
            long[] xs = x.shape();
            int axis = (int) (axisAttr < 0 ? axisAttr + xs.length : axisAttr);
            if (axis < 0 || axis >= xs.length) throw new IllegalArgumentException("LayerNormalization axis " + axisAttr + " out of range for rank " + xs.length);
            long[] normShape = Arrays.copyOfRange(xs, axis, xs.length);
            float[] xv = Tensors.floats(x), y = new float[xv.length];
            int inner = Math.toIntExact(Tensor.elementCount(normShape)), outer = inner == 0 ? 0 : xv.length / inner;
            float[] scale = expand(in[1], normShape), bias = in.length > 2 && in[2] != null ? expand(in[2], normShape) : null;
            float[] means = new float[outer], inv = new float[outer];
            for (int r = 0; r < outer; r++) {
                int o = r * inner;
                double[] st = stats(xv, o, inner, eps);
                means[r] = (float) st[0];
                inv[r] = (float) st[1];
                for (int i = 0; i < inner; i++) {
                    float v = (float) ((xv[o + i] - st[0]) * st[1]) * scale[i];
                    y[o + i] = bias == null ? v : v + bias[i];
                }
            }
            long[] statShape = xs.clone();
            for (int i = axis; i < statShape.length; i++) statShape[i] = 1;
            return new Tensor[] {Tensors.ofFloats(y, xs), Tensors.ofFloats(means, statShape), Tensors.ofFloats(inv, statShape)};
        };
    }

    /** A scale or bias broadcast (unidirectionally) to the normalized shape, as a flat array. */
    private static float[] expand(Tensor t, long[] shape) {
        float[] v = Tensors.toFloats(t);
        if (Arrays.equals(t.shape(), shape)) return v;
        if (!Arrays.equals(Broadcast.shape(shape, t.shape()), shape))
            throw new IllegalArgumentException("shape " + Arrays.toString(t.shape()) + " does not broadcast to " + Arrays.toString(shape));
        float[] out = new float[Math.toIntExact(Tensor.elementCount(shape))];
        Broadcast.of(shape, t.shape()).forEachRun((oo, ao, as, bo, bs, n) -> {
            for (int i = 0; i < n; i++) out[oo + i] = v[bo + i * bs];
        });
        return out;
    }
}
