package dev.quant4j.runtime.ops;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.Broadcast;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;

/**
 * Broadcasting comparisons (Equal, Less, Greater, LessOrEqual, GreaterOrEqual → BOOL), logical
 * And/Or/Xor/Not on BOOL, and BitShift on the unsigned integer types. Integers compare exactly in
 * long (UINT64 as unsigned); floating-point values compare in double, where NaN is unequal to all.
 */
final class CompareOps {
    private CompareOps() {}

    enum Cmp { EQ, LT, GT, LE, GE }

    enum Logic { AND, OR, XOR }

    static void register(OpRegistry r) {
        r.register("Equal", s -> (in, ctx) -> new Tensor[] {compare(Cmp.EQ, in[0], in[1])});
        r.register("Less", s -> (in, ctx) -> new Tensor[] {compare(Cmp.LT, in[0], in[1])});
        r.register("Greater", s -> (in, ctx) -> new Tensor[] {compare(Cmp.GT, in[0], in[1])});
        r.register("LessOrEqual", s -> (in, ctx) -> new Tensor[] {compare(Cmp.LE, in[0], in[1])});
        r.register("GreaterOrEqual", s -> (in, ctx) -> new Tensor[] {compare(Cmp.GE, in[0], in[1])});
        r.register("And", s -> (in, ctx) -> new Tensor[] {logic(Logic.AND, in[0], in[1])});
        r.register("Or", s -> (in, ctx) -> new Tensor[] {logic(Logic.OR, in[0], in[1])});
        r.register("Xor", s -> (in, ctx) -> new Tensor[] {logic(Logic.XOR, in[0], in[1])});
        r.register("Not", s -> (in, ctx) -> new Tensor[] {not(in[0])});
        r.register("BitShift", s -> {
            String dir = s.attributes().getString("direction", "");
            if (!dir.equals("LEFT") && !dir.equals("RIGHT")) throw s.error("direction must be LEFT or RIGHT, is '" + dir + "'");
            boolean left = dir.equals("LEFT");
            return (in, ctx) -> new Tensor[] {shift(in[0], in[1], left)};
        });
    }

    static Tensor compare(Cmp op, Tensor a, Tensor b) {
        Numeric.requireSameType(a, b);
        Broadcast bc = Broadcast.of(a.shape(), b.shape());
        byte[] o = new byte[bc.size()];
        DataType t = a.dtype();
        if (t == DataType.FLOAT32) {
            float[] x = Tensors.floats(a), y = Tensors.floats(b);
            bc.forEachRun((oo, ao, as, bo, bs, n) -> {
                for (int i = 0; i < n; i++) o[oo + i] = holds(op, x[ao + i * as], y[bo + i * bs]);
            });
        } else if (t.isFloatingPoint()) {
            double[] x = Numeric.doubles(a), y = Numeric.doubles(b);
            bc.forEachRun((oo, ao, as, bo, bs, n) -> {
                for (int i = 0; i < n; i++) o[oo + i] = holds(op, x[ao + i * as], y[bo + i * bs]);
            });
        } else if (t.isInteger() || t == DataType.BOOL) {
            long[] x = a.toLongs(), y = b.toLongs();
            boolean u = Numeric.unsigned64(t);
            bc.forEachRun((oo, ao, as, bo, bs, n) -> {
                for (int i = 0; i < n; i++) {
                    long p = x[ao + i * as], q = y[bo + i * bs];
                    o[oo + i] = bit(op, u ? Long.compareUnsigned(p, q) : Long.compare(p, q));
                }
            });
        } else if (t == DataType.STRING && op == Cmp.EQ) {
            var x = a.strings(); var y = b.strings();
            bc.forEachRun((oo, ao, as, bo, bs, n) -> {
                for (int i = 0; i < n; i++) o[oo + i] = (byte) (x.get(ao + i * as).equals(y.get(bo + i * bs)) ? 1 : 0);
            });
        } else {
            throw new IllegalArgumentException(op + " on " + t + " is not supported");
        }
        return Tensors.ofBytes(DataType.BOOL, o, bc.outShape);
    }

    /** IEEE comparison (false whenever a NaN takes part, except that nothing is equal to NaN). */
    private static byte holds(Cmp op, double x, double y) {
        boolean r = switch (op) {
            case EQ -> x == y;
            case LT -> x < y;
            case GT -> x > y;
            case LE -> x <= y;
            case GE -> x >= y;
        };
        return (byte) (r ? 1 : 0);
    }

    private static byte bit(Cmp op, int c) {
        boolean r = switch (op) {
            case EQ -> c == 0;
            case LT -> c < 0;
            case GT -> c > 0;
            case LE -> c <= 0;
            case GE -> c >= 0;
        };
        return (byte) (r ? 1 : 0);
    }

    static Tensor logic(Logic op, Tensor a, Tensor b) {
        requireBool(a);
        requireBool(b);
        byte[] x = Tensors.bytes(a), y = Tensors.bytes(b);
        Broadcast bc = Broadcast.of(a.shape(), b.shape());
        byte[] o = new byte[bc.size()];
        bc.forEachRun((oo, ao, as, bo, bs, n) -> {
            for (int i = 0; i < n; i++) {
                boolean p = x[ao + i * as] != 0, q = y[bo + i * bs] != 0;
                boolean r = switch (op) { case AND -> p & q; case OR -> p | q; case XOR -> p ^ q; };
                o[oo + i] = (byte) (r ? 1 : 0);
            }
        });
        return Tensors.ofBytes(DataType.BOOL, o, bc.outShape);
    }

    static Tensor not(Tensor a) {
        requireBool(a);
        byte[] x = Tensors.bytes(a), o = new byte[x.length];
        for (int i = 0; i < x.length; i++) o[i] = (byte) (x[i] == 0 ? 1 : 0);
        return Tensors.ofBytes(DataType.BOOL, o, a.shape());
    }

    private static void requireBool(Tensor t) {
        if (t.dtype() != DataType.BOOL) throw new IllegalArgumentException("expected a BOOL tensor, got " + t.dtype());
    }

    /** Shifts of unsigned integers; a shift by the type's width or more gives 0. */
    static Tensor shift(Tensor a, Tensor b, boolean left) {
        Numeric.requireSameType(a, b);
        DataType t = a.dtype();
        if (!t.isInteger() || t.isSigned()) throw new IllegalArgumentException("BitShift needs an unsigned integer type, got " + t);
        int width = t.bits();
        long[] x = a.toLongs(), y = b.toLongs();
        Broadcast bc = Broadcast.of(a.shape(), b.shape());
        long[] o = new long[bc.size()];
        bc.forEachRun((oo, ao, as, bo, bs, n) -> {
            for (int i = 0; i < n; i++) {
                long v = x[ao + i * as], s = y[bo + i * bs];
                o[oo + i] = Long.compareUnsigned(s, width) >= 0 ? 0 : left ? v << s : v >>> s;
            }
        });
        return Numeric.ofLongs(t, o, bc.outShape);
    }
}
