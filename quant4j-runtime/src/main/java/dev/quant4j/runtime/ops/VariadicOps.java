package dev.quant4j.runtime.ops;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.Broadcast;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;

/**
 * Max, Min, Sum and Mean of any number of inputs, broadcast together: folded pairwise from the
 * left (each step broadcasts), Mean dividing the sum once at the end. float32 pairs run a float
 * loop; other types go through {@link BroadcastMap} (integers exact, UINT64 compared unsigned).
 */
final class VariadicOps {
    private VariadicOps() {}

    enum Fold { MAX, MIN, SUM, MEAN }

    static void register(OpRegistry r) {
        r.register("Max", s -> (in, ctx) -> new Tensor[] {fold(Fold.MAX, in)});
        r.register("Min", s -> (in, ctx) -> new Tensor[] {fold(Fold.MIN, in)});
        r.register("Sum", s -> (in, ctx) -> new Tensor[] {fold(Fold.SUM, in)});
        r.register("Mean", s -> (in, ctx) -> new Tensor[] {fold(Fold.MEAN, in)});
    }

    static Tensor fold(Fold op, Tensor[] in) {
        if (in.length == 0) throw new IllegalArgumentException(op + " needs at least one input");
        Tensor acc = in[0];
        for (int i = 1; i < in.length; i++) {
            Numeric.requireSameType(acc, in[i]);
            acc = pair(op, acc, in[i]);
        }
        if (op == Fold.MEAN) {
            if (!acc.dtype().isFloatingPoint()) throw new IllegalArgumentException("Mean of " + acc.dtype() + " is not supported");
            double n = in.length;
            double[] v = Numeric.doubles(acc);
            for (int i = 0; i < v.length; i++) v[i] /= n;
            return Numeric.ofDoubles(acc.dtype(), v, acc.shape());
        }
        return acc;
    }

    private static Tensor pair(Fold op, Tensor a, Tensor b) {
        if (a.dtype() == DataType.FLOAT32) {
            float[] x = Tensors.floats(a), y = Tensors.floats(b);
            Broadcast bc = Broadcast.of(a.shape(), b.shape());
            float[] o = new float[bc.size()];
            bc.forEachRun((oo, ao, as, bo, bs, n) -> {
                switch (op) {
                    case MAX -> { for (int i = 0; i < n; i++) o[oo + i] = Math.max(x[ao + i * as], y[bo + i * bs]); }
                    case MIN -> { for (int i = 0; i < n; i++) o[oo + i] = Math.min(x[ao + i * as], y[bo + i * bs]); }
                    default -> { for (int i = 0; i < n; i++) o[oo + i] = x[ao + i * as] + y[bo + i * bs]; }
                }
            });
            return Tensors.ofFloats(o, bc.outShape);
        }
        boolean u = Numeric.unsigned64(a.dtype());
        return switch (op) {
            case MAX -> BroadcastMap.apply(a, b, Math::max, (x, y) -> (u ? Long.compareUnsigned(x, y) : Long.compare(x, y)) >= 0 ? x : y);
            case MIN -> BroadcastMap.apply(a, b, Math::min, (x, y) -> (u ? Long.compareUnsigned(x, y) : Long.compare(x, y)) <= 0 ? x : y);
            case SUM, MEAN -> BroadcastMap.apply(a, b, Double::sum, Long::sum);
        };
    }
}
