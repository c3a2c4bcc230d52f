package dev.quant4j.runtime.ops;

import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.Broadcast;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.Op;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;
import java.util.Arrays;

/**
 * Operators that rearrange or repeat elements without looking at them: Transpose, DepthToSpace,
 * SpaceToDepth, Expand, Tile. Each is one {@link AxisGather} over a view of the input; the
 * block rearrangements are transposes of a 6-D reshape, as the ONNX specification defines them.
 */
final class LayoutOps {
    private LayoutOps() {}

    static void register(OpRegistry r) {
        r.register("Transpose", s -> {
            long[] perm = s.attributes().getInts("perm");
            return (in, ctx) -> new Tensor[] {transpose(in[0], perm)};
        });
        r.register("DepthToSpace", LayoutOps::depthToSpace);
        r.register("SpaceToDepth", s -> {
            long b = s.attributes().getInt("blocksize", 0);
            return (in, ctx) -> {
                long[] x = rank4(in[0], "SpaceToDepth");
                if (b <= 0 || x[2] % b != 0 || x[3] % b != 0) throw new IllegalArgumentException("SpaceToDepth: blocksize " + b + " does not divide " + Arrays.toString(x));
                Tensor v = in[0].reshape(x[0], x[1], x[2] / b, b, x[3] / b, b);
                return new Tensor[] {transpose(v, new long[] {0, 3, 5, 1, 2, 4}).reshape(x[0], x[1] * b * b, x[2] / b, x[3] / b)};
            };
        });
        r.register("Expand", s -> (in, ctx) -> new Tensor[] {expand(in[0], Broadcast.shape(in[0].shape(), Tensors.toLongs(in[1])))});
        r.register("Tile", s -> (in, ctx) -> new Tensor[] {tile(in[0], Tensors.toLongs(in[1]))});
    }

    private static Op depthToSpace(NodeSetup s) {
        long b = s.attributes().getInt("blocksize", 0);
        boolean crd = s.attributes().getString("mode", "DCR").equals("CRD");
        return (in, ctx) -> {
            long[] x = rank4(in[0], "DepthToSpace");
            if (b <= 0 || x[1] % (b * b) != 0) throw new IllegalArgumentException("DepthToSpace: blocksize " + b + " does not divide the channels of " + Arrays.toString(x));
            long c = x[1] / (b * b);
            Tensor t = crd
                    ? transpose(in[0].reshape(x[0], c, b, b, x[2], x[3]), new long[] {0, 1, 4, 2, 5, 3})
                    : transpose(in[0].reshape(x[0], b, b, c, x[2], x[3]), new long[] {0, 3, 4, 1, 5, 2});
            return new Tensor[] {t.reshape(x[0], c, x[2] * b, x[3] * b)};
        };
    }

    private static long[] rank4(Tensor t, String op) {
        if (t.rank() != 4) throw new IllegalArgumentException(op + " needs a 4-D input, got " + Arrays.toString(t.shape()));
        return t.shape();
    }

    /** Transpose with {@code perm} (null reverses the axes). */
    static Tensor transpose(Tensor t, long[] perm) {
        long[] s = t.shape();
        int r = s.length;
        if (perm == null) {
            perm = new long[r];
            for (int i = 0; i < r; i++) perm[i] = r - 1 - i;
        }
        if (perm.length != r) throw new IllegalArgumentException("Transpose: perm " + Arrays.toString(perm) + " for rank " + r);
        long[] stride = AxisGather.strides(s), out = new long[r];
        boolean[] seen = new boolean[r];
        int[][] off = new int[r][];
        for (int i = 0; i < r; i++) {
            int p = ShapeOps.axis(perm[i], r);
            if (seen[p]) throw new IllegalArgumentException("Transpose: perm " + Arrays.toString(perm) + " repeats an axis");
            seen[p] = true;
            out[i] = s[p];
            off[i] = AxisGather.strided(Math.toIntExact(s[p]), 0, 1, stride[p]);
        }
        return AxisGather.gather(t, out, off);
    }

    /** Broadcasts {@code t} to {@code shape} (which must already be a valid broadcast of t's shape). */
    static Tensor expand(Tensor t, long[] shape) {
        long[] s = t.shape();
        if (Arrays.equals(s, shape)) return t;
        int r = shape.length, lead = r - s.length;
        long[] stride = AxisGather.strides(s);
        int[][] off = new int[r][];
        for (int i = 0; i < r; i++) {
            boolean real = i >= lead && s[i - lead] != 1;
            off[i] = AxisGather.strided(Math.toIntExact(shape[i]), 0, real ? 1 : 0, real ? stride[i - lead] : 0);
        }
        return AxisGather.gather(t, shape, off);
    }

    /** Tile: the input viewed as [1, d0, 1, d1, …] and read with stride 0 along the repeat axes. */
    static Tensor tile(Tensor t, long[] repeats) {
        long[] s = t.shape();
        int r = s.length;
        if (repeats.length != r) throw new IllegalArgumentException("Tile: " + repeats.length + " repeats for rank " + r);
        long[] stride = AxisGather.strides(s), view = new long[2 * r], out = new long[r];
        int[][] off = new int[2 * r][];
        for (int i = 0; i < r; i++) {
            if (repeats[i] < 0) throw new IllegalArgumentException("Tile: negative repeat " + repeats[i]);
            view[2 * i] = repeats[i];
            view[2 * i + 1] = s[i];
            out[i] = repeats[i] * s[i];
            off[2 * i] = new int[Math.toIntExact(repeats[i])];
            off[2 * i + 1] = AxisGather.strided(Math.toIntExact(s[i]), 0, 1, stride[i]);
        }
        return AxisGather.gather(t, view, off).reshape(out);
    }
}
