package dev.quant4j.runtime.ops;

import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;
import java.util.Arrays;

/** Shape, Size, Reshape, Flatten, Squeeze, Unsqueeze: views and shape arithmetic, no element copies. */
final class ShapeOps {
    private ShapeOps() {}

    static void register(OpRegistry r) {
        r.register("Shape", ShapeOps::shape);
        r.register("Reshape", s -> {
            boolean allowZero = s.attributes().getInt("allowzero", 0) != 0;
            return (in, ctx) -> new Tensor[] {in[0].reshape(reshapeTarget(in[0].shape(), Tensors.toLongs(in[1]), allowZero))};
        });
        r.register("Size", s -> (in, ctx) -> new Tensor[] {Tensors.ofLongs(new long[] {in[0].elementCount()})});
        r.register("Flatten", s -> {
            long axisAttr = s.attributes().getInt("axis", 1);
            return (in, ctx) -> {
                long[] shape = in[0].shape();
                int axis = (int) (axisAttr < 0 ? axisAttr + shape.length : axisAttr);
                if (axis < 0 || axis > shape.length) throw new IllegalArgumentException("Flatten: axis " + axisAttr + " outside rank " + shape.length);
                return new Tensor[] {in[0].reshape(prod(shape, 0, axis), tail(shape, axis))};
            };
        });
        r.register("Squeeze", s -> {
            long[] attr = s.opset() < 13 ? s.attributes().getInts("axes") : null;
            return (in, ctx) -> new Tensor[] {in[0].reshape(squeezed(in[0].shape(), attr != null ? attr : in.length > 1 && in[1] != null ? Tensors.toLongs(in[1]) : null))};
        });
        r.register("Unsqueeze", s -> {
            long[] attr = s.opset() < 13 ? s.attributes().getInts("axes") : null;
            return (in, ctx) -> new Tensor[] {in[0].reshape(unsqueezed(in[0].shape(), attr != null ? attr : Tensors.toLongs(in[1])))};
        });
    }

    private static long tail(long[] shape, int from) { return prod(shape, from, shape.length); }

    static long prod(long[] shape, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) p *= shape[i];
        return p;
    }

    /** {@code a} as an axis of a rank-{@code rank} tensor (negative counts from the end); throws when outside. */
    static int axis(long a, int rank) {
        long v = a < 0 ? a + rank : a;
        if (v < 0 || v >= rank) throw new IllegalArgumentException("axis " + a + " is outside rank " + rank);
        return (int) v;
    }

    static long[] squeezed(long[] shape, long[] axes) {
        boolean[] drop = new boolean[shape.length];
        if (axes == null || axes.length == 0) {
            for (int i = 0; i < shape.length; i++) drop[i] = shape[i] == 1;
        } else {
            for (long a : axes) {
                int ax = axis(a, shape.length);
                if (shape[ax] != 1) throw new IllegalArgumentException("Squeeze: axis " + a + " of " + Arrays.toString(shape) + " is not 1");
                drop[ax] = true;
            }
        }
        return Arrays.stream(range(shape.length)).filter(i -> !drop[i]).mapToLong(i -> shape[i]).toArray();
    }

    static long[] unsqueezed(long[] shape, long[] axes) {
        int rank = shape.length + axes.length;
        boolean[] added = new boolean[rank];
        for (long a : axes) {
            int ax = axis(a, rank);
            if (added[ax]) throw new IllegalArgumentException("Unsqueeze: axis " + a + " repeated");
            added[ax] = true;
        }
        long[] out = new long[rank];
        for (int i = 0, j = 0; i < rank; i++) out[i] = added[i] ? 1 : shape[j++];
        return out;
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }

    private static dev.quant4j.runtime.Op shape(NodeSetup s) {
        long start = s.attributes().getInt("start", 0);
        boolean hasEnd = s.attributes().has("end");
        long endAttr = s.attributes().getInt("end", 0);
        return (in, ctx) -> {
            long[] shape = in[0].shape();
            int r = shape.length;
            int b = (int) clampAxis(start, r), e = hasEnd ? (int) clampAxis(endAttr, r) : r;
            long[] out = Arrays.copyOfRange(shape, b, Math.max(b, e));
            return new Tensor[] {Tensors.ofLongs(out, out.length)};
        };
    }

    private static long clampAxis(long a, int rank) {
        if (a < 0) a += rank;
        return Math.max(0, Math.min(rank, a));
    }

    /** The output shape of Reshape: 0 copies the input dimension (unless allowzero), -1 is inferred. */
    static long[] reshapeTarget(long[] in, long[] spec, boolean allowZero) {
        long[] out = spec.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0 && !allowZero) {
                if (i >= in.length) throw new IllegalArgumentException("Reshape: 0 at axis " + i + " but the input has rank " + in.length);
                out[i] = in[i];
            }
            if (out[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("Reshape: more than one -1 in " + Arrays.toString(spec));
                infer = i;
            } else if (out[i] < 0) {
                throw new IllegalArgumentException("Reshape: invalid dimension " + out[i] + " in " + Arrays.toString(spec));
            } else {
                known *= out[i];
            }
        }
        long total = Tensor.elementCount(in);
        if (infer >= 0) {
            if (known == 0 || total % known != 0) throw new IllegalArgumentException("Reshape: cannot infer -1 for " + Arrays.toString(in) + " -> " + Arrays.toString(spec));
            out[infer] = total / known;
        }
        if (Tensor.elementCount(out) != total) throw new IllegalArgumentException("Reshape: " + Arrays.toString(in) + " cannot become " + Arrays.toString(out));
        return out;
    }
}
