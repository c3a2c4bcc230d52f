package dev.quant4j.train.grad;

/** NumPy-style broadcasting for gradients: expanding an input to the output's shape, and summing back. */
final class Broadcasting {
    private Broadcasting() {}

    /** For each output element, the index of the input element broadcast into it. */
    static int[] indexMap(long[] in, long[] out) {
        int n = 1;
        for (long d : out) n *= (int) d;
        int r = out.length, off = r - in.length;
        long[] strides = new long[r];
        long s = 1;
        for (int a = r - 1; a >= 0; a--) {
            int ia = a - off;
            long dim = ia >= 0 ? in[ia] : 1;
            strides[a] = dim == 1 ? 0 : s;
            s *= dim;
        }
        int[] map = new int[n];
        int[] idx = new int[r];
        long cur = 0;
        for (int i = 0; i < n; i++) {
            map[i] = (int) cur;
            for (int a = r - 1; a >= 0; a--) {
                idx[a]++;
                cur += strides[a];
                if (idx[a] < out[a]) break;
                cur -= strides[a] * idx[a];
                idx[a] = 0;
            }
        }
        return map;
    }

    static boolean same(long[] a, long[] b) { return java.util.Arrays.equals(a, b); }

    /** {@code values} of shape {@code in} broadcast to {@code out}. */
    static float[] expand(float[] values, long[] in, long[] out) {
        if (same(in, out)) return values;
        int[] map = indexMap(in, out);
        float[] r = new float[map.length];
        for (int i = 0; i < r.length; i++) r[i] = values[map[i]];
        return r;
    }

    /** A gradient of shape {@code out} summed over the axes broadcast from {@code in}. */
    static float[] reduceTo(float[] grad, long[] out, long[] in) {
        if (same(in, out)) return grad;
        int[] map = indexMap(in, out);
        int n = 1;
        for (long d : in) n *= (int) d;
        double[] acc = new double[n];
        for (int i = 0; i < map.length; i++) acc[map[i]] += grad[i];
        float[] r = new float[n];
        for (int i = 0; i < n; i++) r[i] = (float) acc[i];
        return r;
    }
}
