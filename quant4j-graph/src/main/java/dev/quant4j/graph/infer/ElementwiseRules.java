package dev.quant4j.graph.infer;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Shape;
import dev.quant4j.graph.Tensor;
import java.util.function.LongBinaryOperator;

/** Element-wise operators: unary maps, broadcasting binary and variadic ops, comparisons, Where, Cast. */
final class ElementwiseRules {
    private ElementwiseRules() {}

    static void register(ShapeRules r) {
        for (String op : new String[] {"Relu", "LeakyRelu", "Sigmoid", "Tanh", "HardSigmoid", "HardSwish", "Erf", "Sqrt", "Log",
                "Exp", "Abs", "Floor", "Ceil", "Round", "Reciprocal", "Sin", "Cos", "Tan", "Atan", "Elu", "Selu", "Celu", "Softplus",
                "Softsign", "Gelu", "Clip", "Sign", "ThresholdedRelu", "Shrink", "Mish", "BitwiseNot"}) {
            r.register(op, ElementwiseRules::sameAsInput);
        }
        r.register("Identity", ctx -> { sameAsInput(ctx); if (ctx.constant(0) != null) ctx.setConstant(0, ctx.constant(0)); });
        r.register("Neg", ctx -> {
            sameAsInput(ctx);
            Tensor c = ctx.constant(0);
            if (Consts.isSmallInt(c)) ctx.setConstant(0, Consts.broadcast(c, Tensor.scalarLong(0), c.dtype(), (a, b) -> -a));
        });
        r.register("Not", ctx -> {
            ctx.setOutput(0, DataType.BOOL, ctx.shape(0));
            Tensor c = ctx.constant(0);
            if (Consts.isSmallInt(c)) ctx.setConstant(0, Consts.broadcast(c, Tensor.scalarLong(0), DataType.BOOL, (a, b) -> a == 0 ? 1 : 0));
        });
        for (String op : new String[] {"IsNaN", "IsInf"}) r.register(op, ctx -> ctx.setOutput(0, DataType.BOOL, ctx.shape(0)));
        r.register("Dropout", ctx -> {
            sameAsInput(ctx);
            ctx.setOutput(1, DataType.BOOL, ctx.shape(0));
        });
        binary(r, "Add", (a, b) -> a + b);
        binary(r, "Sub", (a, b) -> a - b);
        binary(r, "Mul", (a, b) -> a * b);
        binary(r, "Div", (a, b) -> b == 0 ? fail("division by zero") : a / b);
        binary(r, "Mod", (a, b) -> b == 0 ? fail("division by zero") : Math.floorMod(a, b));
        r.register("Pow", ctx -> ctx.setOutput(0, ctx.dtype(0), Dims.broadcast(ctx.shape(0), ctx.shape(1), ctx)));
        // The slope broadcasts to X one way only (per channel in opsets before 7): Y has X's shape.
        r.register("PRelu", ElementwiseRules::sameAsInput);
        binary(r, "BitShift", null);
        binary(r, "BitwiseAnd", (a, b) -> a & b);
        binary(r, "BitwiseOr", (a, b) -> a | b);
        binary(r, "BitwiseXor", (a, b) -> a ^ b);
        variadic(r, "Max", Math::max);
        variadic(r, "Min", Math::min);
        variadic(r, "Sum", (a, b) -> a + b);
        variadic(r, "Mean", null);
        compare(r, "Equal", (a, b) -> a == b ? 1 : 0);
        compare(r, "Less", (a, b) -> a < b ? 1 : 0);
        compare(r, "Greater", (a, b) -> a > b ? 1 : 0);
        compare(r, "LessOrEqual", (a, b) -> a <= b ? 1 : 0);
        compare(r, "GreaterOrEqual", (a, b) -> a >= b ? 1 : 0);
        compare(r, "And", (a, b) -> a != 0 && b != 0 ? 1 : 0);
        compare(r, "Or", (a, b) -> a != 0 || b != 0 ? 1 : 0);
        compare(r, "Xor", (a, b) -> (a != 0) != (b != 0) ? 1 : 0);
        r.register("Where", ElementwiseRules::where);
        r.register("Cast", ElementwiseRules::cast);
        r.register("CastLike", ctx -> ctx.setOutput(0, ctx.dtype(1), ctx.shape(0)));
    }

    private static long fail(String why) { throw new ArithmeticException(why); }

    static void sameAsInput(InferenceContext ctx) {
        ctx.setOutput(0, ctx.dtype(0), ctx.shape(0));
    }

    private static void binary(ShapeRules r, String op, LongBinaryOperator eval) {
        r.register(op, ctx -> {
            ctx.setOutput(0, ctx.sameType(0, 1), Dims.broadcast(ctx.shape(0), ctx.shape(1), ctx));
            Tensor a = ctx.constant(0), b = ctx.constant(1);
            if (eval != null && Consts.isSmallInt(a) && Consts.isSmallInt(b) && a.dtype() == b.dtype()) {
                ctx.setConstant(0, Consts.broadcast(a, b, a.dtype(), eval));
            }
        });
    }

    private static void variadic(ShapeRules r, String op, LongBinaryOperator eval) {
        r.register(op, ctx -> {
            Shape s = ctx.shape(0);
            for (int i = 1; i < ctx.inputCount(); i++) s = Dims.broadcast(s, ctx.shape(i), ctx);
            ctx.setOutput(0, ctx.sameType(ctx.allInputs()), s);
            if (eval == null) return;
            Tensor acc = ctx.constant(0);
            for (int i = 1; i < ctx.inputCount() && Consts.isSmallInt(acc); i++) {
                Tensor c = ctx.constant(i);
                acc = Consts.isSmallInt(c) && c.dtype() == acc.dtype() ? Consts.broadcast(acc, c, acc.dtype(), eval) : null;
            }
            if (Consts.isSmallInt(acc)) ctx.setConstant(0, acc);
        });
    }

    private static void compare(ShapeRules r, String op, LongBinaryOperator eval) {
        r.register(op, ctx -> {
            ctx.sameType(0, 1);
            ctx.setOutput(0, DataType.BOOL, Dims.broadcast(ctx.shape(0), ctx.shape(1), ctx));
            Tensor a = ctx.constant(0), b = ctx.constant(1);
            if (Consts.isSmallInt(a) && Consts.isSmallInt(b)) ctx.setConstant(0, Consts.broadcast(a, b, DataType.BOOL, eval));
        });
    }

    private static void where(InferenceContext ctx) {
        Shape s = Dims.broadcast(Dims.broadcast(ctx.shape(0), ctx.shape(1), ctx), ctx.shape(2), ctx);
        ctx.setOutput(0, ctx.sameType(1, 2), s);
        Tensor c = ctx.constant(0), x = ctx.constant(1), y = ctx.constant(2);
        if (Consts.isSmallInt(c) && Consts.isSmallInt(x) && Consts.isSmallInt(y) && x.dtype() == y.dtype()) {
            // where(c, x, y) = x where c else y, as two broadcasts: pick the index first, then the value.
            Tensor cx = Consts.broadcast(c, x, DataType.INT64, (cv, xv) -> cv != 0 ? xv : Long.MIN_VALUE);
            ctx.setConstant(0, Consts.broadcast(cx, y, x.dtype(), (v, yv) -> v == Long.MIN_VALUE ? yv : v));
        }
    }

    private static void cast(InferenceContext ctx) {
        long to = ctx.attrs().getInt("to", 0);
        DataType dt;
        try {
            dt = DataType.fromOnnx((int) to);
        } catch (IllegalArgumentException e) {
            throw ctx.fail("Cast to unsupported element type " + to);
        }
        ctx.setOutput(0, dt, ctx.shape(0));
        Tensor c = ctx.constant(0);
        if (Consts.isSmallInt(c) && (dt.isInteger() || dt == DataType.BOOL) && dt.bits() >= 8) {
            long[] v = c.toLongs();
            if (dt == DataType.BOOL) for (int i = 0; i < v.length; i++) v[i] = v[i] != 0 ? 1 : 0;
            ctx.setConstant(0, Consts.fromLongs(dt, v, c.shape()));
        }
    }
}
