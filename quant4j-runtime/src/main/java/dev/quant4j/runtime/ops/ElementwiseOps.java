package dev.quant4j.runtime.ops;

import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.Broadcast;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;

/**
 * Broadcasting binary arithmetic (Add, Sub, Mul, Div) over float, double, int32 and int64, and the
 * float unary activations. Loops are written per operation, so each stays a simple counted loop
 * that C2 vectorizes.
 */
final class ElementwiseOps {
    private ElementwiseOps() {}

    enum Arith { ADD, SUB, MUL, DIV }

    static void register(OpRegistry r) {
        for (Arith op : Arith.values()) {
            String name = switch (op) { case ADD -> "Add"; case SUB -> "Sub"; case MUL -> "Mul"; case DIV -> "Div"; };
            r.register(name, s -> (in, ctx) -> new Tensor[] {arith(op, in[0], in[1])});
        }
        r.register("Relu", s -> (in, ctx) -> new Tensor[] {unary(in[0], Unary.RELU, 0, 0)});
        r.register("Sigmoid", s -> (in, ctx) -> new Tensor[] {unary(in[0], Unary.SIGMOID, 0, 0)});
        r.register("Tanh", s -> (in, ctx) -> new Tensor[] {unary(in[0], Unary.TANH, 0, 0)});
        r.register("LeakyRelu", s -> {
            float alpha = s.attributes().getFloat("alpha", 0.01f);
            return (in, ctx) -> new Tensor[] {unary(in[0], Unary.LEAKY_RELU, alpha, 0)};
        });
        r.register("HardSigmoid", s -> {
            float alpha = s.attributes().getFloat("alpha", 0.2f), beta = s.attributes().getFloat("beta", 0.5f);
            return (in, ctx) -> new Tensor[] {unary(in[0], Unary.HARD_SIGMOID, alpha, beta)};
        });
    }

    static Tensor arith(Arith op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) throw new IllegalArgumentException("input types differ: " + a.dtype() + " and " + b.dtype());
        Broadcast bc = Broadcast.of(a.shape(), b.shape());
        return switch (a.dtype()) {
            case FLOAT32 -> {
                float[] x = Tensors.floats(a), y = Tensors.floats(b), o = new float[bc.size()];
                bc.forEachRun((oo, ao, as, bo, bs, n) -> floatRun(op, x, ao, as, y, bo, bs, o, oo, n));
                yield Tensors.ofFloats(o, bc.outShape);
            }
            case INT64 -> {
                long[] x = Tensors.longs(a), y = Tensors.longs(b), o = new long[bc.size()];
                bc.forEachRun((oo, ao, as, bo, bs, n) -> {
                    for (int i = 0; i < n; i++) o[oo + i] = longOp(op, x[ao + i * as], y[bo + i * bs]);
                });
                yield Tensors.ofLongs(o, bc.outShape);
            }
            case INT32 -> {
                int[] x = Tensors.ints(a), y = Tensors.ints(b), o = new int[bc.size()];
                bc.forEachRun((oo, ao, as, bo, bs, n) -> {
                    for (int i = 0; i < n; i++) o[oo + i] = (int) longOp(op, x[ao + i * as], y[bo + i * bs]);
                });
                yield Tensors.ofInts(o, bc.outShape);
            }
            case FLOAT64 -> {
                double[] x = a.doubles(), y = b.doubles(), o = new double[bc.size()];
                bc.forEachRun((oo, ao, as, bo, bs, n) -> {
                    for (int i = 0; i < n; i++) o[oo + i] = doubleOp(op, x[ao + i * as], y[bo + i * bs]);
                });
                yield Tensor.ofDoubles(o, bc.outShape);
            }
            default -> {
                if (!a.dtype().isInteger()) throw new IllegalArgumentException(op + " on " + a.dtype() + " is not supported");
                long[] x = a.toLongs(), y = b.toLongs(), o = new long[bc.size()];
                bc.forEachRun((oo, ao, as, bo, bs, n) -> {
                    for (int i = 0; i < n; i++) o[oo + i] = longOp(op, x[ao + i * as], y[bo + i * bs]);
                });
                yield Numeric.ofLongs(a.dtype(), o, bc.outShape);
            }
        };
    }

    private static void floatRun(Arith op, float[] x, int ao, int as, float[] y, int bo, int bs, float[] o, int oo, int n) {
        if (as == 1 && bs == 1) {
            switch (op) {
                case ADD -> { for (int i = 0; i < n; i++) o[oo + i] = x[ao + i] + y[bo + i]; }
                case SUB -> { for (int i = 0; i < n; i++) o[oo + i] = x[ao + i] - y[bo + i]; }
                case MUL -> { for (int i = 0; i < n; i++) o[oo + i] = x[ao + i] * y[bo + i]; }
                case DIV -> { for (int i = 0; i < n; i++) o[oo + i] = x[ao + i] / y[bo + i]; }
            }
        } else if (bs == 0) {
            float c = y[bo];
            switch (op) {
                case ADD -> { for (int i = 0; i < n; i++) o[oo + i] = x[ao + i * as] + c; }
                case SUB -> { for (int i = 0; i < n; i++) o[oo + i] = x[ao + i * as] - c; }
                case MUL -> { for (int i = 0; i < n; i++) o[oo + i] = x[ao + i * as] * c; }
                case DIV -> { for (int i = 0; i < n; i++) o[oo + i] = x[ao + i * as] / c; }
            }
        } else {
            float c = x[ao]; // as == 0
            switch (op) {
                case ADD -> { for (int i = 0; i < n; i++) o[oo + i] = c + y[bo + i]; }
                case SUB -> { for (int i = 0; i < n; i++) o[oo + i] = c - y[bo + i]; }
                case MUL -> { for (int i = 0; i < n; i++) o[oo + i] = c * y[bo + i]; }
                case DIV -> { for (int i = 0; i < n; i++) o[oo + i] = c / y[bo + i]; }
            }
        }
    }

    private static long longOp(Arith op, long a, long b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> {
                if (b == 0) throw new ArithmeticException("integer division by zero");
                yield a / b; // ONNX integer Div truncates toward zero, as Java does
            }
        };
    }

    private static double doubleOp(Arith op, double a, double b) {
        return switch (op) { case ADD -> a + b; case SUB -> a - b; case MUL -> a * b; case DIV -> a / b; };
    }

    enum Unary { RELU, SIGMOID, TANH, LEAKY_RELU, HARD_SIGMOID }

    static Tensor unary(Tensor t, Unary f, float p, float q) {
        float[] x = Tensors.floats(t);
        float[] o = new float[x.length];
        switch (f) {
            case RELU -> { for (int i = 0; i < x.length; i++) o[i] = Math.max(x[i], 0f); }
            case SIGMOID -> FloatMath.get().sigmoid(x, o, x.length);
            case TANH -> FloatMath.get().tanh(x, o, x.length);
            case LEAKY_RELU -> { for (int i = 0; i < x.length; i++) o[i] = x[i] >= 0 ? x[i] : p * x[i]; }
            case HARD_SIGMOID -> { for (int i = 0; i < x.length; i++) o[i] = Math.max(0f, Math.min(1f, p * x[i] + q)); }
        }
        return Tensors.ofFloats(o, t.shape());
    }

    static float sigmoid(float x) {
        // Split by sign so exp never overflows.
        if (x >= 0) return (float) (1.0 / (1.0 + Math.exp(-x)));
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }

}
