package dev.quant4j.llm.calib;

import dev.quant4j.llm.quant.GgmlType;
import dev.quant4j.llm.quant.WeightMatrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * GPTQ (Frantar et al., 2022, "GPTQ: Accurate Post-Training Quantization for Generative
 * Pre-trained Transformers"), written from the paper, quantizing onto a GGML block grid.
 *
 * <p>For W [rows × cols] and the input Hessian H = E[x·xᵀ]: damp H by λ·mean(diag H), take U,
 * the upper Cholesky factor of H⁻¹ (H⁻¹ = Uᵀ·U), then quantize the columns left to right; the
 * error of column i, divided by U[i,i], is spread over the columns not yet quantized through
 * row i of U. Updates are applied lazily: inside a batch of columns at once, to the columns
 * after the batch in one product at its end. When a column starts a GGML block, every row's block
 * scales are chosen first (by the format's own encoder, from the weights as updated so far, with
 * diag(H) as importance) and the block's columns are then rounded onto that fixed grid.
 */
public final class Gptq {
    private Gptq() {}

    /** Relative damping λ added to the diagonal (the paper's 1%). */
    public static final double DEFAULT_DAMP = 0.01;

    public static boolean supports(GgmlType t) { return CodeGrid.supports(t); }

    /**
     * Quantizes the row-major fp32 matrix {@code w} [rows × cols] to {@code type} given the
     * cols × cols Hessian of its input (row-major, symmetric).
     */
    public static WeightMatrix quantize(GgmlType type, int rows, int cols, float[] w, double[] hessian, double damp) {
        if (!supports(type)) throw new IllegalArgumentException("GPTQ has no grid for " + type);
        int bs = type.blockSize();
        if (cols % bs != 0) throw new IllegalArgumentException(type + " needs cols (" + cols + ") to be a multiple of " + bs);
        if (hessian.length != (long) cols * cols) throw new IllegalArgumentException("Hessian has " + hessian.length + " entries, need " + cols + "²");
        double[] H = hessian.clone();
        double[] W = new double[rows * cols];
        for (int i = 0; i < W.length; i++) W[i] = w[i];
        float[] importance = new float[cols];
        double meanDiag = 0;
        for (int i = 0; i < cols; i++) {
            // A column never activated carries no information: its weights cannot matter, zero them.
            if (H[i * cols + i] == 0) {
                H[i * cols + i] = 1;
                for (int r = 0; r < rows; r++) W[r * cols + i] = 0;
            }
            importance[i] = (float) H[i * cols + i];
            meanDiag += H[i * cols + i] / cols;
        }
        double[] U = null;
        for (double d = damp; U == null; d *= 10) {
            double[] Hd = H.clone();
            for (int i = 0; i < cols; i++) Hd[i * cols + i] += d * meanDiag;
            U = Cholesky.upperOfInverse(Hd, cols);
            if (d > 1e3) throw new IllegalStateException("GPTQ: Hessian is not positive definite even with damping " + d);
        }

        long rowBytes = type.byteSize(cols);
        MemorySegment out = Arena.ofAuto().allocate(rowBytes * rows, 64);
        int maxCode = CodeGrid.maxCode(type);
        int batch = Math.max(128, bs) / bs * bs; // a GGML block never straddles a lazy batch
        float[] blockW = new float[bs];
        float[][] ga = new float[rows][bs], gb = new float[rows][bs];
        double[] err = new double[rows * batch];
        for (int i1 = 0; i1 < cols; i1 += batch) {
            int i2 = Math.min(cols, i1 + batch);
            for (int i = i1; i < i2; i++) {
                if (i % bs == 0) {
                    for (int r = 0; r < rows; r++) {
                        for (int j = 0; j < bs; j++) blockW[j] = (float) W[r * cols + i + j];
                        CodeGrid.choose(type, blockW, 0, importance, i, out, r * rowBytes + (long) (i / bs) * type.bytesPerBlock(), ga[r], gb[r]);
                    }
                }
                int k = i % bs;
                double uii = U[i * cols + i];
                long blockOff = (long) (i / bs) * type.bytesPerBlock();
                for (int r = 0; r < rows; r++) {
                    double v = W[r * cols + i];
                    int c = CodeGrid.nearest(v, ga[r][k], gb[r][k], maxCode);
                    CodeGrid.setCode(type, out, r * rowBytes + blockOff, k, c);
                    double q = (double) ga[r][k] * c + gb[r][k];
                    double e = (v - q) / uii;
                    err[r * batch + (i - i1)] = e;
                    int row = r * cols;
                    for (int j = i + 1; j < i2; j++) W[row + j] -= e * U[i * cols + j];
                }
            }
            // lazy update of everything after this batch
            for (int r = 0; r < rows; r++) {
                int row = r * cols;
                for (int t = 0; t < i2 - i1; t++) {
                    double e = err[r * batch + t];
                    if (e == 0) continue;
                    int urow = (i1 + t) * cols;
                    for (int j = i2; j < cols; j++) W[row + j] -= e * U[urow + j];
                }
            }
        }
        return new WeightMatrix(type, rows, cols, out);
    }
}
