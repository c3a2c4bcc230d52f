package dev.quant4j.llm.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link StepOps} with the Vector API: several independent multiply-add chains per loop, tails in
 * scalar code. Results differ from {@link ScalarStepOps} by multiply-adds rounding once where the
 * reference rounds twice, by the order of the sum of squares, and by the exponential below.
 *
 * <p>Every result is the same whether this code runs interpreted or compiled: lanes are summed in
 * lane order ({@code reduceLanes(ADD)} may sum in another order once compiled), and the
 * exponential is built from multiplications, additions and bit operations rather than {@code VectorOperators.EXP},
 * whose compiled form (a native math library) and interpreted form ({@code Math.exp} per lane)
 * round differently. Otherwise one model and input could decode to different logits before and
 * after the JIT warmed up.
 */
final class PanamaStepOps implements StepOps {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    static boolean usable() { return F.vectorBitSize() >= 256 && I.length() == L; }

    /** Positions in vectors: four at a time so that four multiply-add chains run side by side, no lane sums at all. */
    @Override public void scores(float[] q, int qo, float[] kT, int ko, int stride, int hs, int n, float[] out, int oo) {
        int t = 0;
        for (; t <= n - 4 * L; t += 4 * L) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int i = 0, k = ko + t; i < hs; i++, k += stride) {
                FloatVector qi = FloatVector.broadcast(F, q[qo + i]);
                a0 = FloatVector.fromArray(F, kT, k).fma(qi, a0);
                a1 = FloatVector.fromArray(F, kT, k + L).fma(qi, a1);
                a2 = FloatVector.fromArray(F, kT, k + 2 * L).fma(qi, a2);
                a3 = FloatVector.fromArray(F, kT, k + 3 * L).fma(qi, a3);
            }
            a0.intoArray(out, oo + t);
            a1.intoArray(out, oo + t + L);
            a2.intoArray(out, oo + t + 2 * L);
            a3.intoArray(out, oo + t + 3 * L);
        }
        for (; t <= n - L; t += L) {
            FloatVector a = FloatVector.zero(F);
            for (int i = 0, k = ko + t; i < hs; i++, k += stride) a = FloatVector.fromArray(F, kT, k).fma(FloatVector.broadcast(F, q[qo + i]), a);
            a.intoArray(out, oo + t);
        }
        for (; t < n; t++) {
            float s = 0;
            for (int i = 0; i < hs; i++) s = Math.fma(q[qo + i], kT[ko + i * stride + t], s);
            out[oo + t] = s;
        }
    }

    /** The last partial vector is computed masked, so every element goes through the same exponential. */
    @Override public float expShifted(float[] s, int n, float max) {
        FloatVector acc = FloatVector.zero(F);
        for (int t = 0; t < n; t += L) {
            VectorMask<Float> m = F.indexInRange(t, n);
            FloatVector e = expOfNonPositive(FloatVector.fromArray(F, s, t, m).sub(max));
            e.intoArray(s, t, m);
            acc = acc.add(e, m);
        }
        return sumLanes(acc);
    }

    /** Four vectors of the output at a time, held in registers over all positions. */
    @Override public void weightedSum(float[] p, int n, float[] v, int vo, int stride, int hs, float[] out, int oo) {
        int i = 0;
        for (; i <= hs - 4 * L; i += 4 * L) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int t = 0, k = vo + i; t < n; t++, k += stride) {
                FloatVector pt = FloatVector.broadcast(F, p[t]);
                a0 = FloatVector.fromArray(F, v, k).fma(pt, a0);
                a1 = FloatVector.fromArray(F, v, k + L).fma(pt, a1);
                a2 = FloatVector.fromArray(F, v, k + 2 * L).fma(pt, a2);
                a3 = FloatVector.fromArray(F, v, k + 3 * L).fma(pt, a3);
            }
            a0.intoArray(out, oo + i);
            a1.intoArray(out, oo + i + L);
            a2.intoArray(out, oo + i + 2 * L);
            a3.intoArray(out, oo + i + 3 * L);
        }
        for (; i <= hs - L; i += L) {
            FloatVector a = FloatVector.zero(F);
            for (int t = 0, k = vo + i; t < n; t++, k += stride) a = FloatVector.fromArray(F, v, k).fma(FloatVector.broadcast(F, p[t]), a);
            a.intoArray(out, oo + i);
        }
        for (; i < hs; i++) {
            float s = 0;
            for (int t = 0; t < n; t++) s = Math.fma(p[t], v[vo + t * stride + i], s);
            out[oo + i] = s;
        }
    }

    private static float sumLanes(FloatVector v) {
        float s = 0;
        for (int k = 0; k < L; k++) s += v.lane(k);
        return s;
    }

    @Override public float sumSquares(float[] x, int xo, int n) {
        FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
        int i = 0;
        for (; i <= n - 2 * L; i += 2 * L) {
            FloatVector a = FloatVector.fromArray(F, x, xo + i), b = FloatVector.fromArray(F, x, xo + i + L);
            s0 = a.fma(a, s0);
            s1 = b.fma(b, s1);
        }
        float s = sumLanes(s0.add(s1));
        for (; i < n; i++) s += x[xo + i] * x[xo + i];
        return s;
    }

    /** silu(g)·u with sigmoid(g) = 1/(1+e) for g ≥ 0 and e/(1+e) below, e = exp(−|g|) ∈ (0, 1]: never overflows. */
    @Override public void swiglu(float[] g, float[] u, int off, int n) {
        int i = off;
        for (; i <= off + n - L; i += L) {
            FloatVector gv = FloatVector.fromArray(F, g, i);
            FloatVector e = expOfNonPositive(gv.abs().neg());
            FloatVector sig = e.blend(1f, gv.compare(VectorOperators.GE, 0f)).div(e.add(1f));
            gv.mul(sig).mul(FloatVector.fromArray(F, u, i)).intoArray(g, i);
        }
        for (; i < off + n; i++) g[i] = (float) (g[i] / (1 + Math.exp(-g[i]))) * u[i];
    }

    /*
     * e^a for a <= 0 (NaN stays NaN), within about 2 ulps: a = -k ln2 + r with k = round(-a log2 e),
     * |r| <= ln2/2; e^r by a degree-7 polynomial (Taylor coefficients, Horner's scheme),
     * times 2^-k built in the exponent bits. Below -87.3 the result is 0 (the exact value is under
     * 1.2e-38, where 2^-k would leave the normal floats), so silu(g) there is ±0.
     */
    private static FloatVector expOfNonPositive(FloatVector a) {
        FloatVector x = a.max(-87.3f);
        IntVector k = x.mul(-LOG2E).add(0.5f).convert(VectorOperators.F2I, 0).reinterpretAsInts();
        FloatVector kf = (FloatVector) k.convert(VectorOperators.I2F, 0);
        FloatVector r = kf.mul(LN2_HI).add(x).add(kf.mul(LN2_LO)); // x + k ln2, ln2 split so that k·LN2_HI is exact
        FloatVector p = r.mul(C7).add(C6);
        p = p.mul(r).add(C5);
        p = p.mul(r).add(C4);
        p = p.mul(r).add(C3);
        p = p.mul(r).add(C2);
        p = p.mul(r).add(1f);
        p = p.mul(r).add(1f);
        FloatVector scale = IntVector.broadcast(I, 127).sub(k).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(scale).blend(0f, a.compare(VectorOperators.LT, -87.3f)).blend(a, a.test(VectorOperators.IS_NAN));
    }

    private static final float LOG2E = 1.44269504f, LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720, C7 = 1f / 5040;

    @Override public String name() { return "panama(" + F.vectorBitSize() + "-bit)"; }
}
