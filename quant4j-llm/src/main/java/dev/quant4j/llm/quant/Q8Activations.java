package dev.quant4j.llm.quant;

/**
 * The input vector of a matrix-vector product quantized once per product, as llama.cpp quantizes
 * activations for its 4-bit dots: per group of 32 values, d = max|x| / 127 and q = round(x / d),
 * so x ≈ d·q with q ∈ [−127, 127]. The codes are held as shorts (the width the integer dots
 * multiply in). Per group, derived once here and shared by every row of the product:
 * <ul>
 *   <li>{@code sums}: Σq, and {@code dsums} = d·Σq, for kernels that take a per-group offset out
 *       with one scalar term (Q4_K's mins);</li>
 *   <li>{@code minus8}: 16 shorts −8·(q[j] + q[16+j]), j = 0..15 — the −8 offset of Q4_0's codes
 *       laid out as the lanes of its 16-bit products (low nibble × q[j] + high nibble × q[16+j]),
 *       so that the kernel adds one vector instead of correcting each block with scalar code.</li>
 * </ul>
 */
record Q8Activations(short[] q, float[] d, int[] sums, float[] dsums, short[] minus8) {
    static final int GROUP = 32;

    static Q8Activations of(float[] x, int xOff, int n) {
        if (n % GROUP != 0) throw new IllegalArgumentException("length " + n + " is not a multiple of " + GROUP);
        short[] q = new short[n], minus8 = new short[n / 2];
        float[] d = new float[n / GROUP], dsums = new float[n / GROUP];
        int[] sums = new int[n / GROUP];
        if (Q8Quantizer.USABLE && !SCALAR) Q8Quantizer.quantize(x, xOff, n, q, d, sums, dsums, minus8);
        else scalar(x, xOff, n, q, d, sums, dsums, minus8);
        return new Q8Activations(q, d, sums, dsums, minus8);
    }

    /** {@code -Dquant4j.llm.scalarActivations=true}: the scalar loop below even where {@link Q8Quantizer} could serve (read once). */
    private static final boolean SCALAR = Boolean.getBoolean("quant4j.llm.scalarActivations");

    /**
     * 127 / amax, or 0 for a group of zeros and for one so small (below 2^-100) that 127 / amax
     * would overflow: its codes are then 0, not the garbage Math.round(±Infinity) would give.
     */
    static float inverseScale(float amax) {
        return amax < 0x1p-100f ? 0 : 127 / amax;
    }

    /** The reference: what {@link Q8Quantizer} computes with vectors. */
    static void scalar(float[] x, int xOff, int n, short[] q, float[] d, int[] sums, float[] dsums, short[] minus8) {
        for (int g = 0; g < n / GROUP; g++) {
            int o = xOff + GROUP * g;
            float amax = 0;
            for (int i = 0; i < GROUP; i++) amax = Math.max(amax, Math.abs(x[o + i]));
            float dg = amax / 127, inv = inverseScale(amax);
            d[g] = dg;
            int s = 0;
            for (int i = 0; i < GROUP; i++) {
                int v = Math.round(x[o + i] * inv);
                q[GROUP * g + i] = (short) v;
                s += v;
            }
            sums[g] = s;
            dsums[g] = dg * s;
            for (int j = 0; j < GROUP / 2; j++) minus8[GROUP / 2 * g + j] = (short) (-8 * (q[GROUP * g + j] + q[GROUP * g + GROUP / 2 + j]));
        }
    }

    int length() { return q.length; }
}
