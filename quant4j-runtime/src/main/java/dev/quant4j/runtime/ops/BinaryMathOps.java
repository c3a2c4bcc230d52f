package dev.quant4j.runtime.ops;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.Broadcast;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.Op;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;
import java.util.Arrays;

/** Pow (mixed base and exponent types), Mod (both sign conventions), PRelu and Clip. */
final class BinaryMathOps {
    private BinaryMathOps() {}

    static void register(OpRegistry r) {
        r.register("Pow", s -> (in, ctx) -> new Tensor[] {pow(in[0], in[1])});
        r.register("Mod", BinaryMathOps::mod);
        r.register("PRelu", s -> {
            boolean legacy = s.opset() < 7;
            return (in, ctx) -> new Tensor[] {prelu(in[0], legacy ? perChannel(in[0], in[1]) : in[1])};
        });
        r.register("Clip", BinaryMathOps::clip);
    }

    /** x^y with the result in x's type; integer powers of integers are exact. */
    static Tensor pow(Tensor a, Tensor b) {
        DataType ta = a.dtype(), tb = b.dtype();
        if (ta == DataType.FLOAT32 && tb == DataType.FLOAT32) {
            float[] x = Tensors.floats(a), y = Tensors.floats(b);
            Broadcast bc = Broadcast.of(a.shape(), b.shape());
            float[] o = new float[bc.size()];
            bc.forEachRun((oo, ao, as, bo, bs, n) -> {
                if (bs == 0 && y[bo] == 2f) { // x², the form LayerNorm decompositions use
                    for (int i = 0; i < n; i++) { float v = x[ao + i * as]; o[oo + i] = v * v; }
                } else {
                    for (int i = 0; i < n; i++) o[oo + i] = (float) Math.pow(x[ao + i * as], y[bo + i * bs]);
                }
            });
            return Tensors.ofFloats(o, bc.outShape);
        }
        Numeric.requireNumeric(a);
        Numeric.requireNumeric(b);
        if (ta.isFloatingPoint()) return BroadcastMap.apply(a, asDoubles(b), Math::pow, null);
        if (tb.isInteger()) return BroadcastMap.apply(a, b, null, BinaryMathOps::intPow);
        // Integer base, floating exponent: the power in double, truncated to the base's type.
        Broadcast bc = Broadcast.of(a.shape(), b.shape());
        double[] x = Numeric.doubles(a), y = Numeric.doubles(b);
        long[] o = new long[bc.size()];
        bc.forEachRun((oo, ao, as, bo, bs, n) -> {
            for (int i = 0; i < n; i++) o[oo + i] = (long) Math.pow(x[ao + i * as], y[bo + i * bs]);
        });
        return Numeric.ofLongs(ta, o, bc.outShape);
    }

    /** A tensor whose elements BroadcastMap reads as double, whatever its numeric type. */
    private static Tensor asDoubles(Tensor t) {
        return t.dtype().isFloatingPoint() ? t : Tensor.ofDoubles(Numeric.doubles(t), t.shape());
    }

    /** Exact integer power by squaring (wrapping like the type); negative exponents truncate toward 0. */
    static long intPow(long base, long e) {
        if (e < 0) return base == 1 ? 1 : base == -1 ? ((e & 1) == 0 ? 1 : -1) : 0;
        long r = 1;
        while (e > 0) {
            if ((e & 1) != 0) r *= base;
            base *= base;
            e >>= 1;
        }
        return r;
    }

    private static Op mod(NodeSetup s) {
        boolean fmod = s.attributes().getInt("fmod", 0) != 0;
        return (in, ctx) -> {
            Numeric.requireSameType(in[0], in[1]);
            DataType t = in[0].dtype();
            if (t.isFloatingPoint() && !fmod) throw s.error("Mod of " + t + " needs fmod=1");
            boolean u = Numeric.unsigned64(t);
            return new Tensor[] {BroadcastMap.apply(in[0], in[1], (x, y) -> x % y, (x, y) -> {
                if (y == 0) throw new ArithmeticException("integer Mod by zero");
                if (u) return Long.remainderUnsigned(x, y);
                return fmod ? x % y : Math.floorMod(x, y); // fmod: sign of the dividend; else of the divisor
            })};
        };
    }

    /**
     * Before opset 7 a 1-D slope of C values (C the size of axis 1) was one slope per channel:
     * reshaped here to [C, 1, …, 1] so that it broadcasts the way opset 7 spells it.
     */
    private static Tensor perChannel(Tensor x, Tensor slope) {
        if (slope.rank() != 1 || x.rank() < 3 || slope.dim(0) != x.dim(1) || slope.dim(0) == 1) return slope;
        long[] s = new long[x.rank() - 1];
        Arrays.fill(s, 1);
        s[0] = slope.dim(0);
        return slope.reshape(s);
    }

    /** x where x ≥ 0, slope·x elsewhere; the slope broadcasts to x (one direction only). */
    static Tensor prelu(Tensor x, Tensor slope) {
        long[] out = Broadcast.shape(x.shape(), slope.shape());
        if (!Arrays.equals(out, x.shape()))
            throw new IllegalArgumentException("slope " + Arrays.toString(slope.shape()) + " does not broadcast to X " + Arrays.toString(x.shape()));
        if (x.dtype() == DataType.FLOAT32 && slope.dtype() == DataType.FLOAT32) {
            float[] v = Tensors.floats(x), a = Tensors.floats(slope);
            Broadcast bc = Broadcast.of(x.shape(), slope.shape());
            float[] o = new float[bc.size()];
            bc.forEachRun((oo, xo, xs, ao, as, n) -> {
                for (int i = 0; i < n; i++) { float e = v[xo + i * xs]; o[oo + i] = e < 0 ? a[ao + i * as] * e : e; }
            });
            return Tensors.ofFloats(o, out);
        }
        Numeric.requireSameType(x, slope);
        return BroadcastMap.apply(x, slope, (e, a) -> e < 0 ? a * e : e, (e, a) -> e < 0 ? a * e : e);
    }

    private static Op clip(NodeSetup s) {
        if (s.opset() < 11) {
            float lo = s.attributes().getFloat("min", -Float.MAX_VALUE), hi = s.attributes().getFloat("max", Float.MAX_VALUE);
            return (in, ctx) -> new Tensor[] {clip(in[0], Tensors.ofFloats(new float[] {lo}), Tensors.ofFloats(new float[] {hi}))};
        }
        return (in, ctx) -> new Tensor[] {clip(in[0], in.length > 1 ? in[1] : null, in.length > 2 ? in[2] : null)};
    }

    /** min(max(x, lo), hi); an absent bound does not clip. Bounds are scalars of x's type. */
    static Tensor clip(Tensor x, Tensor lo, Tensor hi) {
        for (Tensor b : new Tensor[] {lo, hi})
            if (b != null && b.elementCount() != 1) throw new IllegalArgumentException("Clip bounds must be scalars, got " + Arrays.toString(b.shape()));
        DataType t = x.dtype();
        if (t.isFloatingPoint()) {
            double l = lo == null ? Double.NEGATIVE_INFINITY : lo.getDouble(0), h = hi == null ? Double.POSITIVE_INFINITY : hi.getDouble(0);
            if (t == DataType.FLOAT32) {
                float fl = (float) l, fh = (float) h;
                float[] v = Tensors.floats(x), o = new float[v.length];
                for (int i = 0; i < v.length; i++) o[i] = Math.min(Math.max(v[i], fl), fh);
                return Tensors.ofFloats(o, x.shape());
            }
            double[] v = Numeric.doubles(x);
            for (int i = 0; i < v.length; i++) v[i] = Math.min(Math.max(v[i], l), h);
            return Numeric.ofDoubles(t, v, x.shape());
        }
        Numeric.requireNumeric(x);
        boolean u = Numeric.unsigned64(t);
        long[] v = x.toLongs();
        for (int i = 0; i < v.length; i++) {
            if (lo != null && (u ? Long.compareUnsigned(v[i], lo.getLong(0)) < 0 : v[i] < lo.getLong(0))) v[i] = lo.getLong(0);
            if (hi != null && (u ? Long.compareUnsigned(v[i], hi.getLong(0)) > 0 : v[i] > hi.getLong(0))) v[i] = hi.getLong(0);
        }
        return Numeric.ofLongs(t, v, x.shape());
    }
}
