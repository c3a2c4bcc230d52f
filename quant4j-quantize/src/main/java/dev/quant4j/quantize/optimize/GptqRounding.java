package dev.quant4j.quantize.optimize;

import dev.quant4j.core.quant.ParamsFromRange.ScaleZeroPoint;
import dev.quant4j.core.quant.QuantSpec;
import dev.quant4j.graph.Node;
import dev.quant4j.quantize.BlockQuantizedWeight;
import dev.quant4j.quantize.WeightOnlyQuantizer;
import java.util.Map;

/**
 * GPTQ (Frantar et al., 2022), written from the paper, onto the blocks of a MatMul weight W[K][N]
 * (blocks run along K, one grid per output column n and block).
 *
 * <p>With H = E[x·xᵀ] of the MatMul's input (K × K), damped by λ·mean(diag H), and U the upper
 * factor of H⁻¹ = Uᵀ·U: the input rows k are quantized in order; the error of row k, divided by
 * U[k][k], is spread over the rows not yet quantized through row k of U, so that later weights
 * compensate the output error of earlier ones. Updates are lazy: inside a batch of 128 rows at
 * once, to the rows after the batch in one pass at its end. When k starts a block, every column's
 * block scale (and zero-point) is chosen from the weights as updated so far, with diag(H) as the
 * importance of each row when the clip search is on.
 *
 * <p>The core is the same loop as quant4j-llm's GPTQ onto GGML grids; the two differ in the grid
 * (here: the ONNX block layout of {@link BlockQuantizedWeight}) and should share one
 * implementation over a "block grid" interface once it lives in quant4j-core.
 */
public final class GptqRounding implements WeightOnlyQuantizer.Rounding {
    public static final double DEFAULT_DAMP = 0.01;

    private final Map<String, InputHessian> hessians;
    private final double damp;
    private final boolean clipSearch;
    private final Map<String, Prepared> prepared = new java.util.HashMap<>(); // Q, K and V share their input: factor once

    /** H⁻¹'s upper factor, diag(H) and the inputs never active, for one input value. */
    private record Prepared(double[] u, double[] importance, boolean[] dead) {}

    /**
     * @param hessians the input Hessian of each MatMul, keyed by the name of its first input
     * @param clipSearch choose each block's grid by the importance-weighted clip search, else from min/max
     */
    public GptqRounding(Map<String, InputHessian> hessians, double damp, boolean clipSearch) {
        if (!(damp > 0)) throw new IllegalArgumentException("damping must be > 0, got " + damp);
        this.hessians = Map.copyOf(hessians);
        this.damp = damp;
        this.clipSearch = clipSearch;
    }

    @Override public String name() { return "GPTQ (damp " + damp + (clipSearch ? ", clip search" : "") + ")"; }

    @Override
    public BlockQuantizedWeight quantize(Node matMul, float[] w, int k, int n, int bits, int blockSize, boolean symmetric) {
        InputHessian stats = hessians.get(matMul.input(0));
        if (stats == null) throw new IllegalArgumentException("GPTQ: no input Hessian for " + matMul.label() + " (input '" + matMul.input(0) + "')");
        if (stats.k() != k) throw new IllegalArgumentException("GPTQ: Hessian of width " + stats.k() + " for " + matMul.label() + " with K=" + k);
        Prepared p = prepared.computeIfAbsent(matMul.input(0), v -> prepare(stats, matMul));
        double[] wt = new double[n * k]; // W transposed: row = output column, the order GPTQ walks is along a row
        for (int kk = 0; kk < k; kk++) for (int c = 0; c < n; c++) wt[c * k + kk] = p.dead()[kk] ? 0 : w[kk * n + c];
        return run(wt, p.u(), p.importance(), k, n, bits, blockSize, symmetric);
    }

    private Prepared prepare(InputHessian stats, Node matMul) {
        int k = stats.k();
        double[] h = stats.matrix();
        double meanDiag = 0;
        double[] importance = new double[k];
        boolean[] dead = new boolean[k];
        for (int i = 0; i < k; i++) {
            if (h[i * k + i] == 0) { h[i * k + i] = 1; dead[i] = true; } // an input never non-zero: its weights cannot matter
            importance[i] = h[i * k + i];
            meanDiag += h[i * k + i] / k;
        }
        double[] u = null;
        for (double d = damp; u == null; d *= 10) {
            if (d > 1e3) throw new IllegalStateException("GPTQ: Hessian of " + matMul.label() + " is not positive definite even damped by " + d);
            double[] hd = h.clone();
            for (int i = 0; i < k; i++) hd[i * k + i] += d * meanDiag;
            u = SpdInverse.upperFactorOfInverse(hd, k);
        }
        return new Prepared(u, importance, dead);
    }

    private BlockQuantizedWeight run(double[] wt, double[] u, double[] importance, int k, int n, int bits, int blockSize, boolean symmetric) {
        QuantSpec spec = BlockGrid.spec(bits, symmetric);
        BlockCodes out = new BlockCodes(k, n, bits, blockSize, symmetric);
        ScaleZeroPoint[] grid = new ScaleZeroPoint[n];
        int batch = Math.max(128, blockSize); // a multiple of the block size: a block never straddles two batches
        double[] err = new double[n * batch];
        double[] v = new double[blockSize], imp = new double[blockSize];
        for (int i1 = 0; i1 < k; i1 += batch) {
            int i2 = Math.min(k, i1 + batch);
            for (int i = i1; i < i2; i++) {
                if (i % blockSize == 0) {
                    int len = Math.min(k, i + blockSize) - i;
                    System.arraycopy(importance, i, imp, 0, len);
                    for (int c = 0; c < n; c++) {
                        System.arraycopy(wt, c * k + i, v, 0, len);
                        grid[c] = BlockGrid.choose(spec, v, len, imp, clipSearch);
                        out.setBlock(c, i / blockSize, grid[c]);
                    }
                }
                double uii = u[i * k + i];
                int urow = i * k;
                for (int c = 0; c < n; c++) {
                    int row = c * k;
                    double x = wt[row + i];
                    int code = BlockGrid.code(spec, grid[c], x);
                    out.setCode(c, i, code);
                    double e = (x - dev.quant4j.core.quant.Quantizer.dequantize(code, grid[c].scale(), grid[c].zeroPoint())) / uii;
                    err[c * batch + (i - i1)] = e;
                    if (e != 0) for (int j = i + 1; j < i2; j++) wt[row + j] -= e * u[urow + j];
                }
            }
            if (i2 == k) break;
            for (int c = 0; c < n; c++) {
                int row = c * k;
                for (int t = 0; t < i2 - i1; t++) {
                    double e = err[c * batch + t];
                    if (e == 0) continue;
                    int urow = (i1 + t) * k;
                    for (int j = i2; j < k; j++) wt[row + j] -= e * u[urow + j];
                }
            }
        }
        return out.build();
    }
}
