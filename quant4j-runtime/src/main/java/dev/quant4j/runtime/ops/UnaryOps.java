package dev.quant4j.runtime.ops;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.Op;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;

/**
 * Element-wise unary math (Exp, Log, Sqrt, trigonometry, Erf, activations with attributes) over
 * the floating-point types, plus Abs, Neg and Sign over the integer types and the IsNaN/IsInf
 * tests. Each function is one {@link Fn} case evaluated in double, so float32 results are the
 * correctly rounded double result; the cheapest functions have their own float loops.
 */
final class UnaryOps {
    private UnaryOps() {}

    enum Fn {
        ABS, NEG, SIGN, EXP, LOG, SQRT, RECIPROCAL, FLOOR, CEIL, ROUND, ERF,
        SIN, COS, TAN, ASIN, ACOS, ATAN, SINH, COSH, ASINH, ACOSH, ATANH,
        SOFTPLUS, SOFTSIGN, ELU, SELU, CELU, HARD_SWISH, THRESHOLDED_RELU, SHRINK, GELU, GELU_TANH, MISH;

        /** The function at x; p and q are its attributes (alpha, gamma, lambd, bias as the op names them). */
        double eval(double x, double p, double q) {
            return switch (this) {
                case ABS -> Math.abs(x);
                case NEG -> -x;
                case SIGN -> Math.signum(x);
                case EXP -> Math.exp(x);
                case LOG -> Math.log(x);
                case SQRT -> Math.sqrt(x);
                case RECIPROCAL -> 1 / x;
                case FLOOR -> Math.floor(x);
                case CEIL -> Math.ceil(x);
                case ROUND -> Math.rint(x); // halves to even, as ONNX specifies
                case ERF -> Erf.fast(x);
                case SIN -> Math.sin(x);
                case COS -> Math.cos(x);
                case TAN -> Math.tan(x);
                case ASIN -> Math.asin(x);
                case ACOS -> Math.acos(x);
                case ATAN -> Math.atan(x);
                case SINH -> Math.sinh(x);
                case COSH -> Math.cosh(x);
                case ASINH -> x < 0 ? -asinh(-x) : asinh(x);
                case ACOSH -> Math.log(x + Math.sqrt(x * x - 1));
                case ATANH -> 0.5 * Math.log1p(2 * x / (1 - x));
                case SOFTPLUS -> softplus(x);
                case SOFTSIGN -> x / (1 + Math.abs(x));
                case ELU -> x >= 0 ? x : p * Math.expm1(x);
                case SELU -> x > 0 ? q * x : q * p * Math.expm1(x);
                case CELU -> Math.max(0, x) + Math.min(0, p * Math.expm1(x / p));
                case HARD_SWISH -> x * Math.max(0, Math.min(1, x / 6 + 0.5));
                case THRESHOLDED_RELU -> x > p ? x : 0;
                case SHRINK -> x < -p ? x + q : x > p ? x - q : 0;
                case GELU -> 0.5 * x * (1 + Erf.fast(x * 0.7071067811865476));
                case GELU_TANH -> 0.5 * x * (1 + Math.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)));
                case MISH -> x * Math.tanh(softplus(x));
            };
        }

        /** Whether the function is defined on integers (applied exactly, in long arithmetic). */
        boolean integral() { return this == ABS || this == NEG || this == SIGN || this == SHRINK; }
    }

    private static double asinh(double x) { return Math.log(x + Math.sqrt(x * x + 1)); }

    /** log(1 + e^x) without overflow for large x. */
    private static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    static void register(OpRegistry r) {
        plain(r, "Abs", Fn.ABS); plain(r, "Neg", Fn.NEG); plain(r, "Sign", Fn.SIGN);
        plain(r, "Exp", Fn.EXP); plain(r, "Log", Fn.LOG); plain(r, "Sqrt", Fn.SQRT);
        plain(r, "Reciprocal", Fn.RECIPROCAL); plain(r, "Floor", Fn.FLOOR); plain(r, "Ceil", Fn.CEIL);
        plain(r, "Round", Fn.ROUND); plain(r, "Erf", Fn.ERF);
        plain(r, "Sin", Fn.SIN); plain(r, "Cos", Fn.COS); plain(r, "Tan", Fn.TAN);
        plain(r, "Asin", Fn.ASIN); plain(r, "Acos", Fn.ACOS); plain(r, "Atan", Fn.ATAN);
        plain(r, "Sinh", Fn.SINH); plain(r, "Cosh", Fn.COSH); plain(r, "Asinh", Fn.ASINH);
        plain(r, "Acosh", Fn.ACOSH); plain(r, "Atanh", Fn.ATANH);
        plain(r, "Softplus", Fn.SOFTPLUS); plain(r, "Softsign", Fn.SOFTSIGN);
        plain(r, "HardSwish", Fn.HARD_SWISH); plain(r, "Mish", Fn.MISH);
        r.register("Elu", s -> op(Fn.ELU, s.attributes().getFloat("alpha", 1f), 0));
        r.register("Selu", s -> op(Fn.SELU, s.attributes().getFloat("alpha", 1.67326319217681884765625f),
                s.attributes().getFloat("gamma", 1.05070102214813232421875f)));
        r.register("Celu", s -> op(Fn.CELU, s.attributes().getFloat("alpha", 1f), 0));
        r.register("ThresholdedRelu", s -> op(Fn.THRESHOLDED_RELU, s.attributes().getFloat("alpha", 1f), 0));
        r.register("Shrink", s -> op(Fn.SHRINK, s.attributes().getFloat("lambd", 0.5f), s.attributes().getFloat("bias", 0f)));
        r.register("Gelu", UnaryOps::gelu);
        r.register("IsNaN", s -> (in, ctx) -> new Tensor[] {isNaN(in[0])});
        r.register("IsInf", s -> {
            boolean pos = s.attributes().getInt("detect_positive", 1) != 0, neg = s.attributes().getInt("detect_negative", 1) != 0;
            return (in, ctx) -> new Tensor[] {isInf(in[0], pos, neg)};
        });
    }

    private static void plain(OpRegistry r, String name, Fn f) {
        r.register(name, s -> op(f, 0, 0));
    }

    private static Op op(Fn f, double p, double q) {
        return (in, ctx) -> new Tensor[] {apply(f, in[0], p, q)};
    }

    private static Op gelu(NodeSetup s) {
        String approx = s.attributes().getString("approximate", "none");
        Fn f = switch (approx) {
            case "none" -> Fn.GELU;
            case "tanh" -> Fn.GELU_TANH;
            default -> throw s.error("unknown approximate='" + approx + "' (none or tanh)");
        };
        return op(f, 0, 0);
    }

    static Tensor apply(Fn f, Tensor t, double p, double q) {
        DataType type = t.dtype();
        if (type == DataType.FLOAT32) {
            float[] x = Tensors.floats(t), o = new float[x.length];
            floatLoop(f, x, o, p, q);
            return Tensors.ofFloats(o, t.shape());
        }
        Numeric.requireNumeric(t);
        if (type.isFloatingPoint()) {
            double[] x = Numeric.doubles(t);
            for (int i = 0; i < x.length; i++) x[i] = f.eval(x[i], p, q);
            return Numeric.ofDoubles(type, x, t.shape());
        }
        if (!f.integral()) throw new IllegalArgumentException(f + " is not defined on " + type);
        long[] x = t.toLongs();
        for (int i = 0; i < x.length; i++) {
            long v = x[i];
            x[i] = switch (f) {
                case ABS -> type.isSigned() ? Math.abs(v) : v;
                case NEG -> -v;
                case SIGN -> type.isSigned() || v >= 0 ? Long.signum(v) : 1; // UINT64 above 2^63 reads negative
                default -> (long) f.eval(v, p, q);
            };
        }
        return Numeric.ofLongs(type, x, t.shape());
    }

    private static void floatLoop(Fn f, float[] x, float[] o, double p, double q) {
        int n = x.length;
        switch (f) {
            case ABS -> { for (int i = 0; i < n; i++) o[i] = Math.abs(x[i]); }
            case NEG -> { for (int i = 0; i < n; i++) o[i] = -x[i]; }
            case SQRT -> { for (int i = 0; i < n; i++) o[i] = (float) Math.sqrt(x[i]); }
            case RECIPROCAL -> { for (int i = 0; i < n; i++) o[i] = 1f / x[i]; }
            case FLOOR -> { for (int i = 0; i < n; i++) o[i] = (float) Math.floor(x[i]); }
            case CEIL -> { for (int i = 0; i < n; i++) o[i] = (float) Math.ceil(x[i]); }
            case EXP -> { for (int i = 0; i < n; i++) o[i] = (float) Math.exp(x[i]); }
            // The eval switch is too large to inline; the models' hot activations get their own loops.
            case ERF -> { for (int i = 0; i < n; i++) o[i] = (float) Erf.fast(x[i]); }
            case GELU -> { for (int i = 0; i < n; i++) { double v = x[i]; o[i] = (float) (0.5 * v * (1 + Erf.fast(v * 0.7071067811865476))); } }
            default -> { for (int i = 0; i < n; i++) o[i] = (float) f.eval(x[i], p, q); }
        }
    }

    private static Tensor isNaN(Tensor t) {
        if (!t.dtype().isFloatingPoint()) throw new IllegalArgumentException("IsNaN needs a floating-point tensor, got " + t.dtype());
        double[] x = Numeric.doubles(t);
        boolean[] o = new boolean[x.length];
        for (int i = 0; i < x.length; i++) o[i] = Double.isNaN(x[i]);
        return Numeric.ofBooleans(o, t.shape());
    }

    private static Tensor isInf(Tensor t, boolean pos, boolean neg) {
        if (!t.dtype().isFloatingPoint()) throw new IllegalArgumentException("IsInf needs a floating-point tensor, got " + t.dtype());
        double[] x = Numeric.doubles(t);
        boolean[] o = new boolean[x.length];
        for (int i = 0; i < x.length; i++) o[i] = (pos && x[i] == Double.POSITIVE_INFINITY) || (neg && x[i] == Double.NEGATIVE_INFINITY);
        return Numeric.ofBooleans(o, t.shape());
    }
}
