package dev.quant4j.train;

/**
 * Float64 evaluators of the data-movement operators (Transpose, Concat, Slice, Gather) written
 * from the ONNX definitions by decoding each output index into coordinates, unlike the backward
 * rules' stride walks. Their values are exact, so the checks are about where each gradient goes.
 */
final class Ref64Layout {
    private Ref64Layout() {}

    /** Row-major coordinates of flat index {@code i} in shape {@code s}. */
    private static int[] coords(int i, long[] s) {
        int[] c = new int[s.length];
        for (int k = s.length - 1; k >= 0; k--) { c[k] = (int) (i % s[k]); i /= (int) s[k]; }
        return c;
    }

    private static int flat(int[] c, long[] s) {
        int f = 0;
        for (int k = 0; k < s.length; k++) f = f * (int) s[k] + c[k];
        return f;
    }

    /** y[i_0..] = x[j] with j[perm[a]] = i[a]; perm empty means reversed axes. */
    static double[] transpose(double[] x, long[] xs, int... perm) {
        int r = xs.length;
        if (perm.length == 0) { perm = new int[r]; for (int a = 0; a < r; a++) perm[a] = r - 1 - a; }
        long[] ys = new long[r];
        for (int a = 0; a < r; a++) ys[a] = xs[perm[a]];
        double[] y = new double[x.length];
        for (int i = 0; i < y.length; i++) {
            int[] c = coords(i, ys), j = new int[r];
            for (int a = 0; a < r; a++) j[perm[a]] = c[a];
            y[i] = x[flat(j, xs)];
        }
        return y;
    }

    /** Concatenation along {@code axis} of inputs whose shapes differ only there. */
    static double[] concat(int axis, double[][] xs, long[][] shapes) {
        long[] ys = shapes[0].clone();
        ys[axis] = 0;
        for (long[] s : shapes) ys[axis] += s[axis];
        int n = 0;
        for (double[] x : xs) n += x.length;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            int[] c = coords(i, ys);
            int k = 0;
            while (c[axis] >= shapes[k][axis]) c[axis] -= (int) shapes[k++][axis];
            y[i] = xs[k][flat(c, shapes[k])];
        }
        return y;
    }

    /**
     * Slice: for each listed axis the positions start, start+step, … before end, with negative
     * starts/ends counted from the end and then clamped to [0, dim] (step > 0) or [−1, dim−1] (step < 0).
     */
    static double[] slice(double[] x, long[] xs, long[] starts, long[] ends, long[] axes, long[] steps) {
        int r = xs.length;
        int[][] picks = new int[r][];
        for (int a = 0; a < r; a++) { picks[a] = new int[(int) xs[a]]; for (int p = 0; p < xs[a]; p++) picks[a][p] = p; }
        for (int k = 0; k < starts.length; k++) {
            int a = (int) (axes == null ? k : axes[k] < 0 ? axes[k] + r : axes[k]);
            long dim = xs[a], st = steps == null ? 1 : steps[k];
            long b = starts[k] < 0 ? starts[k] + dim : starts[k], e = ends[k] < 0 ? ends[k] + dim : ends[k];
            if (st > 0) { b = Math.clamp(b, 0, dim); e = Math.clamp(e, 0, dim); }
            else { b = Math.clamp(b, -1, dim - 1); e = Math.clamp(e, -1, dim - 1); }
            java.util.List<Integer> l = new java.util.ArrayList<>();
            for (long p = b; st > 0 ? p < e : p > e; p += st) l.add((int) p);
            picks[a] = l.stream().mapToInt(Integer::intValue).toArray();
        }
        long[] ys = new long[r];
        int n = 1;
        for (int a = 0; a < r; a++) { ys[a] = picks[a].length; n *= picks[a].length; }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            int[] c = coords(i, ys);
            for (int a = 0; a < r; a++) c[a] = picks[a][c[a]];
            y[i] = x[flat(c, xs)];
        }
        return y;
    }

    /** Gather along {@code axis}: the output's axis dimensions are replaced by the indices' shape (flattened here). */
    static double[] gather(double[] x, long[] xs, int axis, long[] idx) {
        int outer = 1, inner = 1, dim = (int) xs[axis];
        for (int a = 0; a < axis; a++) outer *= (int) xs[a];
        for (int a = axis + 1; a < xs.length; a++) inner *= (int) xs[a];
        double[] y = new double[outer * idx.length * inner];
        for (int i = 0; i < y.length; i++) {
            int o = i / (idx.length * inner), j = i / inner % idx.length, p = i % inner;
            int row = (int) (idx[j] < 0 ? idx[j] + dim : idx[j]);
            y[i] = x[(o * dim + row) * inner + p];
        }
        return y;
    }
}
