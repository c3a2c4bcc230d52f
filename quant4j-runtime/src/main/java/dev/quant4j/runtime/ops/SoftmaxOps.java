package dev.quant4j.runtime.ops;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.Op;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;

/**
 * Softmax, LogSoftmax and Hardmax. Before opset 13 the input is coerced to 2-D at {@code axis}
 * (default 1) and normalised over each whole row [axis, rank); from 13 it is normalised along the
 * one axis (default −1). Either way the tensor is viewed as [outer × len × inner] and each of the
 * outer·inner lines of len elements (stride inner) is independent, so lines split across threads.
 */
final class SoftmaxOps {
    private SoftmaxOps() {}

    enum Kind { SOFTMAX, LOG_SOFTMAX, HARDMAX }

    static void register(OpRegistry r) {
        r.register("Softmax", s -> op(s, Kind.SOFTMAX));
        r.register("LogSoftmax", s -> op(s, Kind.LOG_SOFTMAX));
        r.register("Hardmax", s -> op(s, Kind.HARDMAX));
    }

    private static Op op(NodeSetup s, Kind kind) {
        boolean coerce2d = s.opset() < 13;
        long axis = s.attributes().getInt("axis", coerce2d ? 1 : -1);
        return (in, ctx) -> new Tensor[] {apply(kind, in[0], axis, coerce2d, ctx.kernels().threads())};
    }

    static Tensor apply(Kind kind, Tensor t, long axis, boolean coerce2d, int threads) {
        long[] shape = t.shape();
        int rank = shape.length;
        int ax = (int) (axis < 0 ? axis + rank : axis);
        if (ax < 0 || ax >= Math.max(rank, 1)) throw new IllegalArgumentException("axis " + axis + " is outside rank " + rank);
        int outer = 1, len = 1, inner = 1;
        for (int i = 0; i < rank; i++) {
            int d = Math.toIntExact(shape[i]);
            if (i < ax) outer *= d;
            else if (i == ax || coerce2d) len *= d;
            else inner *= d;
        }
        if (!t.dtype().isFloatingPoint()) throw new IllegalArgumentException(kind + " needs a floating-point tensor, got " + t.dtype());
        boolean f32 = t.dtype() == DataType.FLOAT32;
        double[] x = f32 ? null : Numeric.doubles(t);
        float[] xf = f32 ? Tensors.floats(t) : null;
        double[] od = f32 ? null : new double[x.length];
        float[] of = f32 ? new float[xf.length] : null;
        int lines = outer * inner, n = len, in = inner;
        if (f32 && inner == 1 && kind != Kind.HARDMAX) {
            // Contiguous lines (the usual last-axis softmax): float kernels, no copies.
            FloatMath fm = FloatMath.get();
            OpThreads.forEach(threads, Math.min(lines, threads * 4), (long) lines * len * 8, part -> {
                int parts = Math.min(lines, threads * 4);
                for (int l = (int) ((long) lines * part / parts), to = (int) ((long) lines * (part + 1) / parts); l < to; l++)
                    contiguousLine(fm, kind, xf, of, l * n, n);
            });
            return Tensors.ofFloats(of, shape);
        }
        OpThreads.forEach(threads, Math.min(lines, threads * 4), (long) lines * len * 8, part -> {
            int parts = Math.min(lines, threads * 4);
            int from = (int) ((long) lines * part / parts), to = (int) ((long) lines * (part + 1) / parts);
            double[] buf = new double[n];
            for (int l = from; l < to; l++) {
                int base = (l / in) * n * in + l % in;
                for (int i = 0; i < n; i++) buf[i] = f32 ? xf[base + i * in] : x[base + i * in];
                line(kind, buf, n);
                if (f32) for (int i = 0; i < n; i++) of[base + i * in] = (float) buf[i];
                else for (int i = 0; i < n; i++) od[base + i * in] = buf[i];
            }
        });
        return f32 ? Tensors.ofFloats(of, shape) : Numeric.ofDoubles(t.dtype(), od, shape);
    }

    private static void contiguousLine(FloatMath fm, Kind kind, float[] x, float[] y, int off, int n) {
        if (n == 0) return;
        float max = fm.max(x, off, n);
        if (Float.isInfinite(max)) max = 0; // all −∞ (or an +∞): no shift, the IEEE result stands
        double sum = fm.expShifted(x, off, max, y, off, n);
        if (kind == Kind.SOFTMAX) {
            float inv = (float) (1 / sum);
            for (int i = 0; i < n; i++) y[off + i] *= inv;
        } else {
            float shift = (float) (max + Math.log(sum));
            for (int i = 0; i < n; i++) y[off + i] = x[off + i] - shift;
        }
    }

    /** Normalises one line in place (in double). */
    private static void line(Kind kind, double[] v, int n) {
        if (n == 0) return;
        double max = Double.NEGATIVE_INFINITY;
        int arg = 0;
        for (int i = 0; i < n; i++) if (v[i] > max) { max = v[i]; arg = i; }
        switch (kind) {
            case HARDMAX -> {
                java.util.Arrays.fill(v, 0, n, 0);
                v[arg] = 1;
            }
            case SOFTMAX -> {
                double sum = 0;
                for (int i = 0; i < n; i++) { v[i] = Math.exp(v[i] - max); sum += v[i]; }
                double inv = 1 / sum;
                for (int i = 0; i < n; i++) v[i] *= inv;
            }
            case LOG_SOFTMAX -> {
                double sum = 0;
                for (int i = 0; i < n; i++) sum += Math.exp(v[i] - max);
                double shift = max + Math.log(sum);
                for (int i = 0; i < n; i++) v[i] -= shift;
            }
        }
    }
}
