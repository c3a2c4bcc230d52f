package dev.quant4j.train.grad;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link BackwardLoops} with the Vector API at the preferred width; tails in scalar code. */
final class VectorBackwardLoops implements BackwardLoops {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override public void reluBackward(float[] x, float[] dy, float[] dx, int n) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - L; i += L) {
            VectorMask<Float> pos = FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(S, dy, i), pos).intoArray(dx, i);
        }
        for (; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : 0f;
    }

    @Override public double sum(float[] a, int off, int len) {
        FloatVector acc = FloatVector.zero(S);
        int i = off, end = off + len;
        for (; i <= end - L; i += L) acc = acc.add(FloatVector.fromArray(S, a, i));
        double s = lanes(acc);
        for (; i < end; i++) s += a[i];
        return s;
    }

    @Override public double sumSquaredDeviation(float[] a, int off, int len, float mu) {
        FloatVector acc = FloatVector.zero(S), m = FloatVector.broadcast(S, mu);
        int i = off, end = off + len;
        for (; i <= end - L; i += L) {
            FloatVector d = FloatVector.fromArray(S, a, i).sub(m);
            acc = d.fma(d, acc);
        }
        double s = lanes(acc);
        for (; i < end; i++) { double d = a[i] - mu; s += d * d; }
        return s;
    }

    @Override public double dotDeviation(float[] dy, float[] x, int off, int len, float mu) {
        FloatVector acc = FloatVector.zero(S), m = FloatVector.broadcast(S, mu);
        int i = off, end = off + len;
        for (; i <= end - L; i += L) acc = FloatVector.fromArray(S, x, i).sub(m).fma(FloatVector.fromArray(S, dy, i), acc);
        double s = lanes(acc);
        for (; i < end; i++) s += dy[i] * (double) (x[i] - mu);
        return s;
    }

    @Override public void affine(float[] dy, float[] x, float[] dx, int off, int len, float p, float q, float mu, float r) {
        FloatVector vp = FloatVector.broadcast(S, p), vq = FloatVector.broadcast(S, q), vm = FloatVector.broadcast(S, mu), vr = FloatVector.broadcast(S, r);
        int i = off, end = off + len;
        for (; i <= end - L; i += L)
            FloatVector.fromArray(S, dy, i).fma(vp, FloatVector.fromArray(S, x, i).sub(vm).fma(vq, vr)).intoArray(dx, i);
        for (; i < end; i++) dx[i] = p * dy[i] + q * (x[i] - mu) + r;
    }

    @Override public void addInto(float[] src, int srcOff, float[] dst, int dstOff, int len) {
        int i = 0;
        for (; i <= len - L; i += L)
            FloatVector.fromArray(S, dst, dstOff + i).add(FloatVector.fromArray(S, src, srcOff + i)).intoArray(dst, dstOff + i);
        for (; i < len; i++) dst[dstOff + i] += src[srcOff + i];
    }

    /** The lanes added in double. */
    private static double lanes(FloatVector v) {
        double s = 0;
        for (int k = 0; k < L; k++) s += v.lane(k);
        return s;
    }
}
