package dev.quant4j.runtime.ops;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link RowFma} with explicit vectors (C2 did not vectorize the scalar loops: y and s may alias). */
final class VectorRowFma implements RowFma {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    public void tap1(float[] y, int yo, float[] s, int p0, float w0, int lo, int hi) {
        int o = lo;
        FloatVector v0 = FloatVector.broadcast(S, w0);
        for (; o + L <= hi; o += L)
            FloatVector.fromArray(S, s, p0 + o).fma(v0, FloatVector.fromArray(S, y, yo + o)).intoArray(y, yo + o);
        for (; o < hi; o++) y[yo + o] += w0 * s[p0 + o];
    }

    @Override
    public void tap3(float[] y, int yo, float[] s, int p0, int p1, int p2, float w0, float w1, float w2, int lo, int hi) {
        int o = lo;
        FloatVector v0 = FloatVector.broadcast(S, w0), v1 = FloatVector.broadcast(S, w1), v2 = FloatVector.broadcast(S, w2);
        for (; o + L <= hi; o += L) {
            FloatVector acc = FloatVector.fromArray(S, y, yo + o);
            acc = FloatVector.fromArray(S, s, p0 + o).fma(v0, acc);
            acc = FloatVector.fromArray(S, s, p1 + o).fma(v1, acc);
            acc = FloatVector.fromArray(S, s, p2 + o).fma(v2, acc);
            acc.intoArray(y, yo + o);
        }
        for (; o < hi; o++) y[yo + o] += w0 * s[p0 + o] + w1 * s[p1 + o] + w2 * s[p2 + o];
    }
}
