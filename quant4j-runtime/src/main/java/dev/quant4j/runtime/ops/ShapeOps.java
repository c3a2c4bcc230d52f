package dev.quant4j.runtime.ops;

import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;
import java.util.Arrays;

/** Shape and Reshape: views and shape arithmetic, no element copies. */
final class ShapeOps {
    private ShapeOps() {}

    static void register(OpRegistry r) {
        r.register("Shape", ShapeOps::shape);
        r.register("Reshape", s -> {
            boolean allowZero = s.attributes().getInt("allowzero", 0) != 0;
            return (in, ctx) -> new Tensor[] {in[0].reshape(reshapeTarget(in[0].shape(), Tensors.toLongs(in[1]), allowZero))};
        });
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
