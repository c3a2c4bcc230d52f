package dev.quant4j.runtime.ops;

import dev.quant4j.kernels.VectorExp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatMath} on the Vector API, with scalar tails. Sigmoid is 1 / (1 + e^(−x)), which
 * saturates correctly at both ends in float (e^(−x) → ∞ gives 0, → 0 gives 1).
 *
 * <p>exp is quant4j-kernels' {@link VectorExp}, never {@code lanewise(EXP)}, so a model's first run
 * gives the same bits as its later runs (see there). tanh goes through Math.tanh for the same
 * reason (it is rare enough not to matter for speed).
 */
final class VectorFloatMath implements FloatMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private final FloatMath.Scalar tail = new FloatMath.Scalar();

    @Override
    public double expShifted(float[] x, int xo, float shift, float[] y, int yo, int n) {
        int i = 0, bound = S.loopBound(n);
        FloatVector acc = FloatVector.zero(S);
        for (; i < bound; i += S.length()) {
            FloatVector e = VectorExp.exp(FloatVector.fromArray(S, x, xo + i).sub(shift));
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
            FloatVector e = VectorExp.exp(FloatVector.fromArray(S, x, i).neg());
            FloatVector.broadcast(S, 1f).div(e.add(1f)).intoArray(y, i);
        }
        for (; i < n; i++) y[i] = ElementwiseOps.sigmoid(x[i]);
    }
}
