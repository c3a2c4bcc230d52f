package dev.quant4j.train.grad;

import dev.quant4j.kernels.Kernels;
import dev.quant4j.train.GradContext;
import dev.quant4j.train.GradRegistry;

/**
 * Gemm (transA, transB, alpha, beta, broadcast C) and MatMul (2-D, or batched A [..., M, K] with
 * B either 2-D or of the same batch shape).
 * <pre>
 *   Y = A·B:   dA = dY·Bᵀ,  dB = Aᵀ·dY
 * </pre>
 */
public final class MatMulGrad {
    private MatMulGrad() {}

    public static void register(GradRegistry r) {
        r.register("Gemm", MatMulGrad::gemm);
        r.register("MatMul", MatMulGrad::matMul);
    }

    static float[] transpose(float[] a, int off, int rows, int cols) {
        float[] t = new float[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) t[j * rows + i] = a[off + i * cols + j];
        return t;
    }

    static float[][] gemm(GradContext c) {
        boolean ta = c.attributes().getInt("transA", 0) != 0, tb = c.attributes().getInt("transB", 0) != 0;
        float alpha = c.attributes().getFloat("alpha", 1f), beta = c.attributes().getFloat("beta", 1f);
        long[] as = c.inShape(0), bs = c.inShape(1);
        int m = (int) (ta ? as[1] : as[0]), k = (int) (ta ? as[0] : as[1]), n = (int) (tb ? bs[0] : bs[1]);
        float[] a = c.in(0), b = c.in(1), dy = c.dy();
        Kernels kr = c.kernels();
        float[] da = null, db = null, dc = null;
        if (c.needs(0)) {
            // dA' [m×k] = dY [m×n] · B'ᵀ; B'ᵀ is B itself when transB (B stored [n×k]).
            float[] bt = tb ? b : transpose(b, 0, k, n);
            float[] d = new float[m * k];
            kr.sgemm(m, k, n, dy, 0, n, bt, 0, k, d, 0, k, false);
            da = ta ? transpose(d, 0, m, k) : d;
            scale(da, alpha);
        }
        if (c.needs(1)) {
            // dB' [k×n] = A'ᵀ · dY; A'ᵀ is A itself when transA (A stored [k×m]).
            float[] at = ta ? a : transpose(a, 0, m, k);
            float[] d = new float[k * n];
            kr.sgemm(k, n, m, at, 0, m, dy, 0, n, d, 0, n, false);
            db = tb ? transpose(d, 0, k, n) : d;
            scale(db, alpha);
        }
        if (c.hasInput(2) && c.needs(2)) {
            dc = Broadcasting.reduceTo(dy, new long[] {m, n}, c.inShape(2));
            if (dc == dy) dc = dy.clone();
            scale(dc, beta);
        }
        return new float[][] {da, db, dc};
    }

    private static void scale(float[] v, float s) {
        if (s != 1f) for (int i = 0; i < v.length; i++) v[i] *= s;
    }

    static float[][] matMul(GradContext c) {
        long[] as = c.inShape(0), bs = c.inShape(1);
        if (as.length < 2 || bs.length < 2) throw c.error("1-D MatMul operands have no backward yet");
        int m = (int) as[as.length - 2], k = (int) as[as.length - 1], n = (int) bs[bs.length - 1];
        int batchA = (int) (c.inputs()[0].elementCount() / ((long) m * k));
        int batchB = (int) (c.inputs()[1].elementCount() / ((long) k * n));
        if (batchB != 1 && batchB != batchA) throw c.error("MatMul backward needs B 2-D or of A's batch shape");
        float[] a = c.in(0), b = c.in(1), dy = c.dy();
        Kernels kr = c.kernels();
        float[] da = c.needs(0) ? new float[a.length] : null, db = c.needs(1) ? new float[b.length] : null;
        if (batchB == 1 && db != null) {
            // Rows of all batches stack: dB = A_allᵀ · dY_all over the stacked [batch·m] rows.
            kr.sgemm(k, n, batchA * m, transpose(a, 0, batchA * m, k), 0, batchA * m, dy, 0, n, db, 0, n, false);
        }
        float[] bt = batchB == 1 ? transpose(b, 0, k, n) : null;
        for (int i = 0; i < batchA; i++) {
            int aOff = i * m * k, yOff = i * m * n, bOff = batchB == 1 ? 0 : i * k * n;
            if (da != null) {
                float[] t = batchB == 1 ? bt : transpose(b, bOff, k, n);
                kr.sgemm(m, k, n, dy, yOff, n, t, 0, k, da, aOff, k, false);
            }
            if (db != null && batchB != 1)
                kr.sgemm(k, n, m, transpose(a, aOff, m, k), 0, m, dy, yOff, n, db, bOff, n, false);
        }
        return new float[][] {da, db};
    }
}
