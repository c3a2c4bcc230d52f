package dev.quant4j.quantize.optimize;

import dev.quant4j.core.quant.ParamsFromRange.ScaleZeroPoint;
import dev.quant4j.core.quant.QuantSpec;
import dev.quant4j.graph.Node;
import dev.quant4j.quantize.BlockQuantizedWeight;
import dev.quant4j.quantize.WeightOnlyQuantizer;

/**
 * Data-free error-minimizing rounding: each block's scale and zero-point come from a search over
 * clipping ratios minimizing the block's weight MSE ({@link BlockGrid}); weights are then rounded
 * to nearest on that grid. Needs no calibration data.
 */
public final class ClipSearchRounding implements WeightOnlyQuantizer.Rounding {
    @Override public String name() { return "clip-ratio search (weight MSE)"; }

    @Override
    public BlockQuantizedWeight quantize(Node matMul, float[] w, int k, int n, int bits, int blockSize, boolean symmetric) {
        QuantSpec spec = BlockGrid.spec(bits, symmetric);
        BlockCodes out = new BlockCodes(k, n, bits, blockSize, symmetric);
        double[] v = new double[blockSize];
        for (int col = 0; col < n; col++)
            for (int b = 0; b < out.blocks(); b++) {
                int k0 = b * blockSize, len = Math.min(k, k0 + blockSize) - k0;
                for (int i = 0; i < len; i++) v[i] = w[(k0 + i) * n + col];
                ScaleZeroPoint p = BlockGrid.choose(spec, v, len, null, true);
                out.setBlock(col, b, p);
                for (int i = 0; i < len; i++) out.setCode(col, k0 + i, BlockGrid.code(spec, p, v[i]));
            }
        return out.build();
    }
}
