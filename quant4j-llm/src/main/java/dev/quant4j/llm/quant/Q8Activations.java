package dev.quant4j.llm.quant;

/**
 * The input vector of a matrix-vector product quantized once per product, as llama.cpp quantizes
 * activations for its 4-bit dots: per group of 32 values, d = max|x| / 127 and q = round(x / d),
 * so x ≈ d·q with q ∈ [−127, 127]. The codes are held as shorts (the width the integer dots
 * multiply in) and each group's code sum is kept for the kernels that fold a per-group offset.
 */
record Q8Activations(short[] q, float[] d, int[] sums) {
    static final int GROUP = 32;

    static Q8Activations of(float[] x, int xOff, int n) {
        if (n % GROUP != 0) throw new IllegalArgumentException("length " + n + " is not a multiple of " + GROUP);
        short[] q = new short[n];
        float[] d = new float[n / GROUP];
        int[] sums = new int[n / GROUP];
        for (int g = 0; g < d.length; g++) {
            int o = xOff + GROUP * g;
            float amax = 0;
            for (int i = 0; i < GROUP; i++) amax = Math.max(amax, Math.abs(x[o + i]));
            float dg = amax / 127, inv = amax == 0 ? 0 : 127 / amax;
            d[g] = dg;
            int s = 0;
            for (int i = 0; i < GROUP; i++) {
                int v = Math.round(x[o + i] * inv);
                q[GROUP * g + i] = (short) v;
                s += v;
            }
            sums[g] = s;
        }
        return new Q8Activations(q, d, sums);
    }

    int length() { return q.length; }
}
