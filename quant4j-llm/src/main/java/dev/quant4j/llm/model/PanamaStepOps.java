package dev.quant4j.llm.model;

import dev.quant4j.kernels.VectorExp;
import jdk.incubator.vector.FloatVector;
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
 * exponential is quant4j-kernels' {@link VectorExp}, not {@code VectorOperators.EXP}, whose
 * compiled and interpreted forms round differently. Otherwise one model and input could decode to
 * different logits before and after the JIT warmed up.
 */
final class PanamaStepOps implements StepOps {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    static boolean usable() { return F.vectorBitSize() >= 256; }

    /** Four vectors of the output at a time, each a multiply-add chain over k held in a register: no lane sums. */
    @Override public void combineRows(float[] a, int ao, int count, float[] m, int mo, int stride, int width, float[] out, int oo) {
        int j = 0;
        for (; j <= width - 4 * L; j += 4 * L) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int k = 0, r = mo + j; k < count; k++, r += stride) {
                FloatVector ak = FloatVector.broadcast(F, a[ao + k]);
                a0 = FloatVector.fromArray(F, m, r).fma(ak, a0);
                a1 = FloatVector.fromArray(F, m, r + L).fma(ak, a1);
                a2 = FloatVector.fromArray(F, m, r + 2 * L).fma(ak, a2);
                a3 = FloatVector.fromArray(F, m, r + 3 * L).fma(ak, a3);
            }
            a0.intoArray(out, oo + j);
            a1.intoArray(out, oo + j + L);
            a2.intoArray(out, oo + j + 2 * L);
            a3.intoArray(out, oo + j + 3 * L);
        }
        for (; j <= width - L; j += L) {
            FloatVector acc = FloatVector.zero(F);
            for (int k = 0, r = mo + j; k < count; k++, r += stride) acc = FloatVector.fromArray(F, m, r).fma(FloatVector.broadcast(F, a[ao + k]), acc);
            acc.intoArray(out, oo + j);
        }
        for (; j < width; j++) {
            float s = 0;
            for (int k = 0; k < count; k++) s = Math.fma(a[ao + k], m[mo + k * stride + j], s);
            out[oo + j] = s;
        }
    }

    /** The last partial vector is computed masked, so every element goes through the same exponential. */
    @Override public float expShifted(float[] s, int n, float max) {
        FloatVector acc = FloatVector.zero(F);
        for (int t = 0; t < n; t += L) {
            VectorMask<Float> m = F.indexInRange(t, n);
            FloatVector e = VectorExp.exp(FloatVector.fromArray(F, s, t, m).sub(max));
            e.intoArray(s, t, m);
            acc = acc.add(e, m);
        }
        return sumLanes(acc);
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

    /** silu(g)·u with sigmoid(g) = 1/(1+e) for g ≥ 0 and e/(1+e) below, e = exp(−|g|) ∈ [0, 1]: never overflows. */
    @Override public void swiglu(float[] g, float[] u, int off, int n) {
        int i = off;
        for (; i <= off + n - L; i += L) {
            FloatVector gv = FloatVector.fromArray(F, g, i);
            FloatVector e = VectorExp.exp(gv.abs().neg());
            FloatVector sig = e.blend(1f, gv.compare(VectorOperators.GE, 0f)).div(e.add(1f));
            gv.mul(sig).mul(FloatVector.fromArray(F, u, i)).intoArray(g, i);
        }
        for (; i < off + n; i++) g[i] = (float) (g[i] / (1 + Math.exp(-g[i]))) * u[i];
    }

    @Override public String name() { return "panama(" + F.vectorBitSize() + "-bit)"; }
}
