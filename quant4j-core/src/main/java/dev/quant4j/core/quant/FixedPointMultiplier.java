package dev.quant4j.core.quant;

/**
 * A positive real multiplier {@code M} (for requantization, {@code M = sa * sb / sy}) stored as a
 * Q31 fixed-point mantissa and a power-of-two exponent, for integer-only arithmetic:
 *
 * <pre>
 *   M = multiplier * 2^(shift - 31),   multiplier in [2^30, 2^31) (or 0 when M == 0)
 * </pre>
 *
 * {@link #apply} computes {@code x * M} in int32 the way gemmlowp and TFLite do:
 * <ol>
 *   <li>if {@code shift > 0}: {@code x << shift}, saturated to int32;
 *   <li>saturating rounding doubling high multiply: {@code (x * multiplier + 2^30) >> 31}, computed
 *       as a division truncating toward zero after adding a nudge of {@code 2^30} (product &ge; 0) or
 *       {@code 1 - 2^30} (product &lt; 0), which rounds ties toward +infinity; the only overflow,
 *       {@code MIN * MIN}, saturates to {@code Integer.MAX_VALUE};
 *   <li>if {@code shift < 0}: rounding arithmetic right shift by {@code -shift}, ties away from zero.
 * </ol>
 * Two roundings happen, so the result can differ from {@code round(x * M)} by one: when the first
 * rounding lands exactly on a half of the second step. That happens for a fraction of about
 * {@code 2^-(1 - shift)} of inputs: a quarter when M is in [0.25, 0.5), 0.2% near M = 2^-8 (the
 * tests measure it). {@link #applySingleRounding} rounds the 64-bit product once (ties toward
 * +infinity) and equals {@code round(x * M)} except at exact ties; both stay within 1.
 */
public record FixedPointMultiplier(int multiplier, int shift) {

    /** Largest left shift accepted (M below 2^30). */
    public static final int MAX_SHIFT = 30;
    /** Smallest right shift accepted; anything smaller makes every int32 product round to 0. */
    public static final int MIN_SHIFT = -62;

    public FixedPointMultiplier {
        if (multiplier < 0 || (multiplier != 0 && multiplier < (1 << 30))) {
            throw new IllegalArgumentException("fixed-point multiplier " + multiplier + " is not normalised to [2^30, 2^31)");
        }
        if (shift > MAX_SHIFT || shift < MIN_SHIFT) {
            throw new IllegalArgumentException("shift " + shift + " outside " + MIN_SHIFT + ".." + MAX_SHIFT);
        }
    }

    /** The nearest representation of {@code real} (must be finite, &ge; 0 and &lt; 2^30). */
    public static FixedPointMultiplier of(double real) {
        if (!(real >= 0) || !Double.isFinite(real)) {
            throw new IllegalArgumentException("requantization multiplier must be finite and >= 0, got " + real);
        }
        if (real == 0) return new FixedPointMultiplier(0, 0);
        int e = Math.getExponent(real) + 1;                  // real = q * 2^e, q in [0.5, 1)
        long q = Math.round(Math.scalb(real, 31 - e));        // q * 2^31, in [2^30, 2^31]
        if (q == (1L << 31)) { q >>= 1; e++; }
        if (e > MAX_SHIFT) throw new IllegalArgumentException("requantization multiplier " + real + " is too large (>= 2^30)");
        if (e < MIN_SHIFT) return new FixedPointMultiplier(0, 0);
        return new FixedPointMultiplier((int) q, e);
    }

    /** The real value represented. */
    public double value() {
        return Math.scalb((double) multiplier, shift - 31);
    }

    /** {@code x * M} rounded as described in the class comment. */
    public int apply(int x) {
        int left = Math.max(shift, 0), right = Math.max(-shift, 0);
        int shifted = (int) Math.clamp((long) x << left, Integer.MIN_VALUE, Integer.MAX_VALUE);
        return roundingRightShift(roundingDoublingHighMul(shifted, multiplier), right);
    }

    /**
     * {@code x * M} with one rounding of the exact 64-bit product {@code x * multiplier / 2^(31 - shift)},
     * ties toward +infinity, saturated to int32.
     */
    public int applySingleRounding(int x) {
        int total = 31 - shift;
        long p = (long) x * multiplier;
        if (total > 62) return 0;  // |p| < 2^62 <= 2^(total-1): rounds to 0
        long r = (p + (1L << (total - 1))) >> total;
        return (int) Math.clamp(r, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** {@code round(a * b / 2^31)}, ties toward +infinity, saturating the single overflow case. */
    static int roundingDoublingHighMul(int a, int b) {
        if (a == Integer.MIN_VALUE && b == Integer.MIN_VALUE) return Integer.MAX_VALUE;
        long ab = (long) a * b;
        long nudge = ab >= 0 ? (1L << 30) : 1 - (1L << 30);
        return (int) ((ab + nudge) / (1L << 31));
    }

    /** {@code round(x / 2^exponent)}, ties away from zero. */
    static int roundingRightShift(int x, int exponent) {
        if (exponent == 0) return x;
        long mask = (1L << exponent) - 1;
        long remainder = x & mask;
        long threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (int) (((long) x >> exponent) + (remainder > threshold ? 1 : 0));
    }
}
