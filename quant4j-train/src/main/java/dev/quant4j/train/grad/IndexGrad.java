package dev.quant4j.train.grad;

import dev.quant4j.train.GradContext;
import dev.quant4j.train.GradRegistry;

/**
 * Concat (dy split along the axis), Gather (dy scatter-added to the gathered rows; repeated
 * indices sum) and Slice (dy placed at the sliced positions, zeros elsewhere).
 */
public final class IndexGrad {
    private IndexGrad() {}

    public static void register(GradRegistry r) {
        r.register("Concat", IndexGrad::concat);
        r.register("Gather", IndexGrad::gather);
        r.register("Slice", IndexGrad::slice);
    }

    static float[][] concat(GradContext c) {
        long[] ys = c.outShape(0);
        int axis = (int) c.attributes().getInt("axis", 0);
        if (axis < 0) axis += ys.length;
        long outer = 1, inner = 1;
        for (int a = 0; a < axis; a++) outer *= ys[a];
        for (int a = axis + 1; a < ys.length; a++) inner *= ys[a];
        float[] dy = c.dy();
        float[][] d = new float[c.inputs().length][];
        int rowOut = (int) (ys[axis] * inner), off = 0;
        for (int k = 0; k < d.length; k++) {
            int chunk = (int) (c.inShape(k)[axis] * inner);
            if (c.needs(k)) {
                d[k] = new float[(int) (outer * chunk)];
                for (int o = 0; o < outer; o++) System.arraycopy(dy, o * rowOut + off, d[k], o * chunk, chunk);
            }
            off += chunk;
        }
        return d;
    }

    static float[][] gather(GradContext c) {
        long[] xs = c.inShape(0);
        int axis = (int) c.attributes().getInt("axis", 0);
        if (axis < 0) axis += xs.length;
        long[] idx = c.inputs()[1].toLongs();
        long outer = 1, inner = 1;
        for (int a = 0; a < axis; a++) outer *= xs[a];
        for (int a = axis + 1; a < xs.length; a++) inner *= xs[a];
        int dim = (int) xs[axis];
        float[] dy = c.dy(), dx = new float[(int) c.inputs()[0].elementCount()];
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < idx.length; j++) {
                int row = (int) (idx[j] < 0 ? idx[j] + dim : idx[j]);
                int src = (int) ((o * idx.length + j) * inner), dst = (int) ((o * dim + row) * inner);
                for (int p = 0; p < inner; p++) dx[dst + p] += dy[src + p];
            }
        return new float[][] {dx, null};
    }

    static float[][] slice(GradContext c) {
        long[] xs = c.inShape(0), ys = c.outShape(0);
        int r = xs.length;
        long[] start = new long[r], step = new long[r];
        java.util.Arrays.fill(step, 1);
        // before opset 10, starts/ends/axes were attributes
        long[] starts = c.hasInput(1) ? c.inputs()[1].toLongs() : c.attributes().getInts("starts");
        long[] axes = c.hasInput(3) ? c.inputs()[3].toLongs() : c.hasInput(1) ? null : c.attributes().getInts("axes");
        if (starts == null) throw c.error("Slice without starts");
        long[] steps = c.hasInput(4) ? c.inputs()[4].toLongs() : null;
        for (int k = 0; k < starts.length; k++) {
            int a = (int) (axes == null ? k : axes[k] < 0 ? axes[k] + r : axes[k]);
            long st = steps == null ? 1 : steps[k], dim = xs[a], s0 = starts[k];
            if (s0 < 0) s0 += dim;
            s0 = st > 0 ? Math.clamp(s0, 0, dim) : Math.clamp(s0, 0, dim - 1);
            start[a] = s0;
            step[a] = st;
        }
        long[] xStride = new long[r];
        long s = 1;
        for (int a = r - 1; a >= 0; a--) { xStride[a] = s; s *= xs[a]; }
        float[] dy = c.dy(), dx = new float[(int) c.inputs()[0].elementCount()];
        int[] i = new int[r];
        for (int k = 0; k < dy.length; k++) {
            long pos = 0;
            for (int a = 0; a < r; a++) pos += (start[a] + i[a] * step[a]) * xStride[a];
            dx[(int) pos] += dy[k];
            for (int a = r - 1; a >= 0; a--) { if (++i[a] < ys[a]) break; i[a] = 0; }
        }
        return new float[][] {dx, null, null, null, null};
    }
}
