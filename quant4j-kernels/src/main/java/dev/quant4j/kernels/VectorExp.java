package dev.quant4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * e^x lane by lane on the Vector API, the same bits whether the calling loop runs interpreted or
 * compiled. The runtime's Softmax and Sigmoid and the LLM decoder's softmax and SwiGLU use it.
 *
 * <p>Why not {@code lanewise(EXP)}: the JDK's vector math stubs give different bits in C2-compiled
 * code than the Java fallback the same loop runs before it is compiled. A model's first run then
 * differed from its later runs: a Softmax one ulp off flips quantization codes downstream, 0.16 on
 * MiniLM's dynamic-int8 output.
 *
 * <p>How: adds, multiplies and FMAs only. The reduction x = n·ln2 + r (Cody–Waite, |r| ≤ ln2/2)
 * and a degree-7 Taylor polynomial give exp(r) within about 1 ulp, and 2^n is put into the
 * exponent bits.
 */
public final class VectorExp {
    private VectorExp() {}

    private static final float LOG2E = 1.44269504f, LN2_HI = 0.693145752f, LN2_LO = 1.42860677e-6f;
    private static final float ROUND = 12582912f; // 1.5·2^23: adding and subtracting it rounds to an integer
    private static final float MAX_ARG = 88.72283f, MIN_ARG = -103.97208f;

    /** e^x per lane: +∞ above 88.72, 0 below −103.97 (subnormal results between), NaN for NaN. */
    public static FloatVector exp(FloatVector x) {
        var over = x.compare(VectorOperators.GT, MAX_ARG);
        var under = x.compare(VectorOperators.LT, MIN_ARG);
        var nan = x.test(VectorOperators.IS_NAN);
        FloatVector y = inRange(x.max(MIN_ARG).min(MAX_ARG));
        y = y.blend(Float.POSITIVE_INFINITY, over).blend(0f, under);
        return y.blend(x, nan);
    }

    /*
     * e^xc for xc within [MIN_ARG, MAX_ARG]. A method of its own so that each part stays under C2's
     * inlining limit for hot methods (325 bytecodes): as one 334-byte method it was called, not
     * inlined, and every vector crossing the call was boxed (SwiGLU 3x slower).
     */
    private static FloatVector inRange(FloatVector xc) {
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
        IntVector ni = (IntVector) n.convert(VectorOperators.F2I, 0);
        IntVector half = ni.lanewise(VectorOperators.ASHR, 1);
        FloatVector s1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = ni.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }
}
