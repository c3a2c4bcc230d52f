package dev.quant4j.runtime.ops;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.Op;
import dev.quant4j.runtime.OpRegistry;

/**
 * Dropout. In inference (every opset's default) the output is the input and the mask all true.
 * In training mode (opset 12+, training_mode input true) element i is kept when the i-th uniform
 * draw u ∈ [0, 1) satisfies u ≥ ratio and scaled by 1/(1 − ratio). The draws come from MT19937
 * seeded with the {@code seed} attribute, taken 53 bits at a time the way numpy's legacy
 * generator makes doubles, which is the generator the ONNX reference implementation uses; without
 * a seed attribute the seed is taken from the clock.
 */
final class DropoutOps {
    private DropoutOps() {}

    static void register(OpRegistry r) {
        r.register("Dropout", DropoutOps::dropout);
    }

    private static Op dropout(NodeSetup s) {
        long opset = s.opset();
        boolean seeded = s.attributes().has("seed");
        long seed = s.attributes().getInt("seed", 0);
        // Opsets 7–9 typed the mask like the input; from 10 it is BOOL.
        DataType maskType = opset >= 10 ? DataType.BOOL : null;
        return (in, ctx) -> {
            Tensor x = in[0];
            boolean training = opset >= 12 && in.length > 2 && in[2] != null && in[2].getLong(0) != 0;
            double ratio = opset >= 12 && in.length > 1 && in[1] != null ? in[1].getDouble(0) : 0.5;
            if (!training || ratio == 0) return new Tensor[] {x, ones(maskType == null ? x.dtype() : maskType, x.shape())};
            if (!(ratio >= 0 && ratio < 1)) throw new IllegalArgumentException("ratio must lie in [0, 1), is " + ratio);
            if (!x.dtype().isFloatingPoint()) throw new IllegalArgumentException("Dropout needs a floating-point tensor, got " + x.dtype());
            Mt19937 rng = new Mt19937(seeded ? seed : System.nanoTime());
            double[] v = Numeric.doubles(x);
            boolean[] keep = new boolean[v.length];
            double scale = 1 / (1 - ratio);
            for (int i = 0; i < v.length; i++) {
                keep[i] = rng.nextDouble() >= ratio;
                v[i] = keep[i] ? v[i] * scale : 0;
            }
            return new Tensor[] {Numeric.ofDoubles(x.dtype(), v, x.shape()), Numeric.ofBooleans(keep, x.shape())};
        };
    }

    private static Tensor ones(DataType type, long[] shape) {
        int n = Math.toIntExact(Tensor.elementCount(shape));
        if (type == DataType.BOOL) {
            boolean[] b = new boolean[n];
            java.util.Arrays.fill(b, true);
            return Numeric.ofBooleans(b, shape);
        }
        double[] d = new double[n];
        java.util.Arrays.fill(d, 1);
        return Numeric.ofDoubles(type, d, shape);
    }
}
