package dev.quant4j.runtime.ops;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatMath} on the Vector API, with scalar tails. Sigmoid is 1 / (1 + e^(−x)), which
 * saturates correctly at both ends in float (e^(−x) → ∞ gives 0, → 0 gives 1).
 *
 * <p>exp is computed here from adds, multiplies and FMAs only, never with {@code lanewise(EXP)}:
 * the JDK's vector math stubs give different bits in C2-compiled code than the Java fallback the
 * same loop runs before it is compiled, so a model's first run differed from its later runs (a
 * Softmax one ulp off flips quantization codes downstream: 0.16 on MiniLM's dynamic-int8 output).
 * The reduction x = n·ln2 + r (Cody–Waite, |r| ≤ ln2/2) and a degree-7 Taylor polynomial give
 * exp(r) within about 1 ulp; 2^n is put into the exponent bits. tanh goes through Math.tanh for
 * the same reason (it is rare enough not to matter for speed).
 */
final class VectorFloatMath implements FloatMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private final FloatMath.Scalar tail = new FloatMath.Scalar();

    @Override
    public double expShifted(float[] x, int xo, float shift, float[] y, int yo, int n) {
        int i = 0, bound = S.loopBound(n);
        FloatVector acc = FloatVector.zero(S);
        for (; i < bound; i += S.length()) {
            FloatVector e = exp(FloatVector.fromArray(S, x, xo + i).sub(shift));
            e.intoArray(y, yo + i);
            acc = acc.add(e);
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        return sum + tail.expShifted(x, xo + i, shift, y, yo + i, n - i);
    }

    @Override
    public float max(float[] x, int xo, int n) {
        int i = 0, bound = S.loopBound(n);
        FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (; i < bound; i += S.length()) m = m.max(FloatVector.fromArray(S, x, xo + i));
        return Math.max(m.reduceLanes(VectorOperators.MAX), tail.max(x, xo + i, n - i));
    }

    @Override
    public void tanh(float[] x, float[] y, int n) {
        tail.tanh(x, y, n);
    }

    @Override
    public void sigmoid(float[] x, float[] y, int n) {
        int i = 0, bound = S.loopBound(n);
        for (; i < bound; i += S.length()) {
            FloatVector e = exp(FloatVector.fromArray(S, x, i).neg());
            FloatVector.broadcast(S, 1f).div(e.add(1f)).intoArray(y, i);
        }
        for (; i < n; i++) y[i] = ElementwiseOps.sigmoid(x[i]);
    }

    private static final float LOG2E = 1.44269504f, LN2_HI = 0.693145752f, LN2_LO = 1.42860677e-6f;
    private static final float ROUND = 12582912f; // 1.5·2^23: adding and subtracting it rounds to an integer
    private static final float MAX_ARG = 88.72283f, MIN_ARG = -103.97208f;

    /** e^x lane by lane, the same bits whether or not the loop is compiled (see the class comment). */
    static FloatVector exp(FloatVector x) {
        var over = x.compare(VectorOperators.GT, MAX_ARG);
        var under = x.compare(VectorOperators.LT, MIN_ARG);
        var nan = x.test(VectorOperators.IS_NAN);
        FloatVector xc = x.max(MIN_ARG).min(MAX_ARG);
        FloatVector n = xc.mul(LOG2E).add(ROUND).sub(ROUND);
        FloatVector r = n.mul(-LN2_HI).add(xc).sub(n.mul(LN2_LO));
        FloatVector p = FloatVector.broadcast(xc.species(), 1f / 5040);
        p = p.fma(r, FloatVector.broadcast(xc.species(), 1f / 720));
        p = p.fma(r, FloatVector.broadcast(xc.species(), 1f / 120));
        p = p.fma(r, FloatVector.broadcast(xc.species(), 1f / 24));
        p = p.fma(r, FloatVector.broadcast(xc.species(), 1f / 6));
        p = p.fma(r, FloatVector.broadcast(xc.species(), 0.5f));
        p = p.fma(r, FloatVector.broadcast(xc.species(), 1f));
        p = p.fma(r, FloatVector.broadcast(xc.species(), 1f));
        // 2^n in two halves, so that n down to -150 (subnormal results) and up to 128 stay representable
        var ni = (jdk.incubator.vector.IntVector) n.convert(VectorOperators.F2I, 0);
        var half = ni.lanewise(VectorOperators.ASHR, 1);
        FloatVector s1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = ni.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector y = p.mul(s1).mul(s2);
        y = y.blend(Float.POSITIVE_INFINITY, over).blend(0f, under);
        return y.blend(x, nan);
    }
}
