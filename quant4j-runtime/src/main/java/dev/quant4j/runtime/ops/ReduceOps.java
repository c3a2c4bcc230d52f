package dev.quant4j.runtime.ops;

import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.Op;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;
import java.util.ArrayList;
import java.util.List;

/**
 * The Reduce* family and ArgMax/ArgMin. Axes come from the attribute (ReduceSum before opset 13,
 * the others before 18) or from the optional second input; keepdims and noop_with_empty_axes as
 * ONNX defines them. Values accumulate in double and the result takes the input's type (integer
 * results are truncated toward zero, so integer sums are exact only below 2^53).
 */
final class ReduceOps {
    private ReduceOps() {}

    static void register(OpRegistry r) {
        for (Reduction.Kind k : Reduction.Kind.values()) r.register(k.opType, s -> reduce(s, k));
        r.register("ArgMax", s -> arg(s, true));
        r.register("ArgMin", s -> arg(s, false));
    }

    private static Op reduce(NodeSetup s, Reduction.Kind kind) {
        boolean keep = s.attributes().getInt("keepdims", 1) != 0;
        boolean noop = s.attributes().getInt("noop_with_empty_axes", 0) != 0;
        long axesFromInput = kind == Reduction.Kind.SUM ? 13 : 18;
        if (s.opset() < axesFromInput) {
            long[] axes = s.attributes().getInts("axes");
            long[] a = axes == null ? new long[0] : axes;
            return (in, ctx) -> new Tensor[] {reduce(kind, in[0], a, keep, false)};
        }
        if (s.attributes().has("axes")) throw s.error("axes is an input from opset " + axesFromInput + ", not an attribute");
        return (in, ctx) -> {
            long[] axes = in.length > 1 && in[1] != null ? Tensors.toLongs(in[1]) : new long[0];
            return new Tensor[] {reduce(kind, in[0], axes, keep, noop)};
        };
    }

    /** Reduces {@code t} over {@code axes} (all axes when empty, unless {@code noop}). */
    static Tensor reduce(Reduction.Kind kind, Tensor t, long[] axes, boolean keepDims, boolean noop) {
        Numeric.requireNumeric(t);
        if (axes.length == 0 && noop) return t;
        long[] shape = t.shape();
        boolean[] reduced = reducedAxes(axes, shape.length);
        double[] out = Reduction.run(kind, Numeric.doubles(t), Tensors.intShape(t), reduced);
        long[] os = outShape(shape, reduced, keepDims);
        if (t.dtype().isFloatingPoint()) return Numeric.ofDoubles(t.dtype(), out, os);
        long[] l = new long[out.length];
        for (int i = 0; i < l.length; i++) l[i] = (long) out[i];
        return Numeric.ofLongs(t.dtype(), l, os);
    }

    private static boolean[] reducedAxes(long[] axes, int rank) {
        boolean[] red = new boolean[rank];
        if (axes.length == 0) java.util.Arrays.fill(red, true);
        for (long a : axes) {
            long n = a < 0 ? a + rank : a;
            if (n < 0 || n >= rank) throw new IllegalArgumentException("axis " + a + " is outside rank " + rank);
            red[(int) n] = true;
        }
        return red;
    }

    private static long[] outShape(long[] shape, boolean[] reduced, boolean keepDims) {
        List<Long> os = new ArrayList<>();
        for (int i = 0; i < shape.length; i++) {
            if (!reduced[i]) os.add(shape[i]);
            else if (keepDims) os.add(1L);
        }
        return os.stream().mapToLong(Long::longValue).toArray();
    }

    private static Op arg(NodeSetup s, boolean max) {
        long axis = s.attributes().getInt("axis", 0);
        boolean keep = s.attributes().getInt("keepdims", 1) != 0;
        boolean last = s.attributes().getInt("select_last_index", 0) != 0;
        return (in, ctx) -> new Tensor[] {arg(in[0], axis, keep, last, max)};
    }

    /** Index of the first (or last) maximum (or minimum) along {@code axis}, as INT64. */
    static Tensor arg(Tensor t, long axis, boolean keepDims, boolean last, boolean max) {
        Numeric.requireNumeric(t);
        long[] shape = t.shape();
        int rank = shape.length;
        int ax = (int) (axis < 0 ? axis + rank : axis);
        if (ax < 0 || ax >= rank) throw new IllegalArgumentException("axis " + axis + " is outside rank " + rank);
        int len = Math.toIntExact(shape[ax]);
        if (len == 0) throw new IllegalArgumentException("ArgMax/ArgMin over an empty axis");
        int inner = 1, outer = 1;
        for (int i = ax + 1; i < rank; i++) inner *= (int) shape[i];
        for (int i = 0; i < ax; i++) outer *= (int) shape[i];
        double[] x = Numeric.doubles(t);
        long[] o = new long[outer * inner];
        for (int p = 0; p < outer; p++) {
            for (int q = 0; q < inner; q++) {
                int base = p * len * inner + q, best = 0;
                double bv = x[base];
                for (int i = 1; i < len; i++) {
                    double v = x[base + i * inner];
                    boolean better = max ? (last ? v >= bv : v > bv) : (last ? v <= bv : v < bv);
                    if (better) { bv = v; best = i; }
                }
                o[p * inner + q] = best;
            }
        }
        boolean[] red = new boolean[rank];
        red[ax] = true;
        return Tensors.ofLongs(o, outShape(shape, red, keepDims));
    }
}
