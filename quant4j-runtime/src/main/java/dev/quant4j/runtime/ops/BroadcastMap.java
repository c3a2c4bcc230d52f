package dev.quant4j.runtime.ops;

import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.Broadcast;
import dev.quant4j.runtime.Tensors;
import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * A broadcasting binary function applied to any numeric pair of tensors: in double when the
 * first input is floating-point, in long when it is an integer, with the result in the first
 * input's type. Used by the operators whose inner loop is not worth specialising (Pow on exotic
 * types, Mod, PRelu, variadic Max/Min/Sum/Mean beyond float32).
 */
final class BroadcastMap {
    private BroadcastMap() {}

    static Tensor apply(Tensor a, Tensor b, DoubleBinaryOperator fd, LongBinaryOperator fl) {
        Numeric.requireNumeric(a);
        Numeric.requireNumeric(b);
        Broadcast bc = Broadcast.of(a.shape(), b.shape());
        if (a.dtype().isFloatingPoint()) {
            double[] x = Numeric.doubles(a), y = Numeric.doubles(b), o = new double[bc.size()];
            bc.forEachRun((oo, ao, as, bo, bs, n) -> {
                for (int i = 0; i < n; i++) o[oo + i] = fd.applyAsDouble(x[ao + i * as], y[bo + i * bs]);
            });
            return Numeric.ofDoubles(a.dtype(), o, bc.outShape);
        }
        if (fl == null) throw new IllegalArgumentException("not defined on " + a.dtype());
        long[] x = a.toLongs(), y = b.toLongs(), o = new long[bc.size()];
        bc.forEachRun((oo, ao, as, bo, bs, n) -> {
            for (int i = 0; i < n; i++) o[oo + i] = fl.applyAsLong(x[ao + i * as], y[bo + i * bs]);
        });
        return Numeric.ofLongs(a.dtype(), o, bc.outShape);
    }
}
