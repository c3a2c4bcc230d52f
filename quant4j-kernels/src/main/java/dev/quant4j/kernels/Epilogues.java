package dev.quant4j.kernels;

/**
 * Applies an {@link Epilogue} to dense int32 accumulators. Every provider that ends in int32
 * accumulators shares this code, so integer results agree bit for bit across providers; the
 * epilogue is O(m·n) against the GEMM's O(m·n·k), so it is not worth a vector version.
 *
 * <p>Arithmetic, fixed here once: ToFloat computes {@code (float) acc * scale + bias} in float
 * (no fused multiply-add); ToInt8 adds the bias in int32, converts to float, multiplies in float,
 * rounds half to even, adds the zero-point and clamps.
 */
public final class Epilogues {
    private Epilogues() {}

    /** Rows {@code i0..i1} of {@code acc} (row stride {@code n}, row i0 at {@code accOff}) into the epilogue's output. */
    public static void apply(Epilogue e, int[] acc, int accOff, int i0, int i1, int n) {
        switch (e) {
            case Epilogue.ToInt32 t -> {
                for (int i = i0; i < i1; i++)
                    System.arraycopy(acc, accOff + (i - i0) * n, t.out(), t.off() + i * t.ldc(), n);
            }
            case Epilogue.ToFloat f -> {
                float[] s = f.scale(), b = f.bias();
                boolean one = s.length == 1;
                for (int i = i0; i < i1; i++) {
                    int src = accOff + (i - i0) * n, dst = f.off() + i * f.ldc();
                    for (int j = 0; j < n; j++) {
                        float v = (float) acc[src + j] * s[one ? 0 : j];
                        f.out()[dst + j] = b == null ? v : v + b[j];
                    }
                }
            }
            case Epilogue.ToInt8 q -> {
                float[] mul = q.multiplier();
                int[] b = q.bias();
                boolean one = mul.length == 1;
                for (int i = i0; i < i1; i++) {
                    int src = accOff + (i - i0) * n, dst = q.off() + i * q.ldc();
                    for (int j = 0; j < n; j++)
                        q.out()[dst + j] = requantize(acc[src + j] + (b == null ? 0 : b[j]), mul[one ? 0 : j],
                                q.outZeroPoint(), q.qmin(), q.qmax());
                }
            }
        }
    }

    static byte requantize(int acc, float multiplier, int zeroPoint, int qmin, int qmax) {
        float scaled = (float) acc * multiplier;
        double r = Math.rint(scaled);          // half to even; exact since |scaled| ≤ 2^31·|multiplier|
        long v = (long) r + zeroPoint;         // (long) saturates for huge values, so the clamp below is right
        if (Double.isNaN(r)) v = zeroPoint;
        if (v < qmin) v = qmin;
        if (v > qmax) v = qmax;
        return (byte) v;
    }
}
