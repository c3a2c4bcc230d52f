package dev.quant4j.graph.infer;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Dim;
import dev.quant4j.graph.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Layers: MatMul, Gemm, Conv and pooling, normalisations, Softmax, reductions, recurrent cells, and the quantized forms. */
final class NeuralRules {
    private NeuralRules() {}

    static void register(ShapeRules r) {
        r.register("MatMul", ctx -> ctx.setOutput(0, ctx.sameType(0, 1), matmul(ctx, ctx.shape(0), ctx.shape(1))));
        r.register("MatMulInteger", ctx -> ctx.setOutput(0, DataType.INT32, matmul(ctx, ctx.shape(0), ctx.shape(1))));
        r.register("QLinearMatMul", ctx -> ctx.setOutput(0, ctx.dtype(7), matmul(ctx, ctx.shape(0), ctx.shape(3))));
        r.register("Gemm", NeuralRules::gemm);
        r.register("Conv", ctx -> ctx.setOutput(0, ctx.sameType(0, 1, 2), conv(ctx, ctx.shape(0), ctx.shape(1))));
        r.register("ConvInteger", ctx -> ctx.setOutput(0, DataType.INT32, conv(ctx, ctx.shape(0), ctx.shape(1))));
        r.register("QLinearConv", ctx -> ctx.setOutput(0, ctx.dtype(7), conv(ctx, ctx.shape(0), ctx.shape(3))));
        r.register("MaxPool", ctx -> { Shape s = pool(ctx); ctx.setOutput(0, ctx.dtype(0), s); ctx.setOutput(1, DataType.INT64, s); });
        r.register("AveragePool", ctx -> ctx.setOutput(0, ctx.dtype(0), pool(ctx)));
        r.register("LpPool", ctx -> ctx.setOutput(0, ctx.dtype(0), pool(ctx)));
        for (String op : new String[] {"GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool"}) r.register(op, NeuralRules::globalPool);
        for (String op : new String[] {"InstanceNormalization", "LRN", "Softmax", "LogSoftmax", "Hardmax",
                "MeanVarianceNormalization"}) {
            r.register(op, ElementwiseRules::sameAsInput);
        }
        for (String op : new String[] {"ReduceMean", "ReduceMax", "ReduceMin", "ReduceSum", "ReduceProd", "ReduceL1", "ReduceL2",
                "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"}) {
            r.register(op, ctx -> ctx.setOutput(0, ctx.dtype(0), reduce(ctx, true)));
        }
        for (String op : new String[] {"ArgMax", "ArgMin"}) r.register(op, ctx -> ctx.setOutput(0, DataType.INT64, reduce(ctx, false)));
        for (String op : new String[] {"LSTM", "GRU", "RNN"}) r.register(op, NeuralRules::recurrent);
        r.register("QuantizeLinear", ctx -> {
            DataType out = ctx.hasInput(2) ? ctx.dtype(2) : DataType.UINT8;
            long attr = ctx.attrs().getInt("output_dtype", 0);
            if (attr != 0) out = DataType.fromOnnx((int) attr);
            ctx.setOutput(0, out, ctx.shape(0));
        });
        r.register("DequantizeLinear", ctx -> ctx.setOutput(0, ctx.opset() >= 19 && ctx.dtype(1) != null ? ctx.dtype(1) : DataType.FLOAT32, ctx.shape(0)));
        r.register("DynamicQuantizeLinear", ctx -> {
            ctx.setOutput(0, DataType.UINT8, ctx.shape(0));
            ctx.setOutput(1, DataType.FLOAT32, Shape.SCALAR);
            ctx.setOutput(2, DataType.UINT8, Shape.SCALAR);
        });
    }

    /** numpy matmul: 1-D operands are promoted and the promoted axis dropped; batch axes broadcast. */
    static Shape matmul(InferenceContext ctx, Shape a, Shape b) {
        if (a == null || b == null) return null;
        if (a.rank() == 0 || b.rank() == 0) throw ctx.fail("MatMul of a scalar");
        List<Dim> x = new ArrayList<>(a.dims()), y = new ArrayList<>(b.dims());
        boolean va = x.size() == 1, vb = y.size() == 1;
        if (va) x.addFirst(Dim.of(1));
        if (vb) y.add(Dim.of(1));
        Dims.unify(x.getLast(), y.get(y.size() - 2), "MatMul inner dimensions of " + a + " and " + b, ctx);
        Shape batch = Dims.broadcast(new Shape(x.subList(0, x.size() - 2)), new Shape(y.subList(0, y.size() - 2)), ctx);
        List<Dim> out = new ArrayList<>(batch.dims());
        if (!va) out.add(x.get(x.size() - 2));
        if (!vb) out.add(y.getLast());
        return new Shape(out);
    }

    private static void gemm(InferenceContext ctx) {
        Shape a = ctx.shape(0), b = ctx.shape(1);
        if (a == null || b == null) { ctx.setOutput(0, ctx.dtype(0), Shape.unknownDims(2)); return; }
        if (a.rank() != 2 || b.rank() != 2) throw ctx.fail("Gemm needs 2-D inputs, got " + a + " and " + b);
        boolean ta = ctx.attrs().getInt("transA", 0) != 0, tb = ctx.attrs().getInt("transB", 0) != 0;
        Dim m = a.dim(ta ? 1 : 0), ka = a.dim(ta ? 0 : 1), kb = b.dim(tb ? 1 : 0), n = b.dim(tb ? 0 : 1);
        Dims.unify(ka, kb, "Gemm inner dimensions of " + a + " and " + b, ctx);
        ctx.setOutput(0, ctx.sameType(0, 1, 2), Shape.of(m, n));
    }

    /** Spatial output sizes for a convolution or pool over {@code in} (rank N+2) with the node's attributes. */
    private static Shape window(InferenceContext ctx, Shape in, Dim channels, long[] kernel) {
        int sp = in.rank() - 2;
        long[] strides = orOnes(ctx.attrs().getInts("strides"), sp);
        long[] dil = orOnes(ctx.attrs().getInts("dilations"), sp);
        long[] pads = ctx.attrs().getInts("pads");
        if (pads == null) pads = new long[2 * sp];
        String auto = ctx.attrs().getString("auto_pad", "NOTSET");
        boolean ceil = ctx.attrs().getInt("ceil_mode", 0) != 0;
        if (kernel.length != sp || strides.length != sp || dil.length != sp || pads.length != 2 * sp) {
            throw ctx.fail("kernel, strides, dilations or pads do not match " + sp + " spatial axes of " + in);
        }
        List<Dim> out = new ArrayList<>(List.of(in.dim(0), channels));
        for (int i = 0; i < sp; i++) {
            Dim d = in.dim(i + 2);
            switch (auto) {
                case "SAME_UPPER", "SAME_LOWER" -> out.add(d.isKnown() ? Dim.of(Math.ceilDiv(d.value(), strides[i])) : Dim.UNKNOWN);
                case "VALID" -> out.add(Dims.window(d, kernel[i], strides[i], dil[i], 0, 0, ceil));
                default -> out.add(Dims.window(d, kernel[i], strides[i], dil[i], pads[i], pads[i + sp], ceil));
            }
        }
        return new Shape(out);
    }

    private static long[] orOnes(long[] v, int n) {
        if (v != null) return v;
        long[] o = new long[n];
        Arrays.fill(o, 1);
        return o;
    }

    static Shape conv(InferenceContext ctx, Shape x, Shape w) {
        if (x == null || w == null) return x == null ? null : Shape.unknownDims(x.rank());
        if (x.rank() < 3 || w.rank() != x.rank()) throw ctx.fail("Conv input " + x + " and weight " + w + " do not match");
        long group = ctx.attrs().getInt("group", 1);
        if (x.dim(1).isKnown() && w.dim(1).isKnown() && x.dim(1).value() != w.dim(1).value() * group) {
            throw ctx.fail("Conv input has " + x.dim(1) + " channels, weight expects " + w.dim(1) + " x group " + group);
        }
        long[] kernel = ctx.attrs().getInts("kernel_shape");
        if (kernel == null) {
            Shape k = new Shape(w.dims().subList(2, w.rank()));
            if (!k.isFullyKnown()) return Shape.unknownDims(x.rank());
            kernel = k.toArray();
        }
        return window(ctx, x, w.dim(0), kernel);
    }

    private static Shape pool(InferenceContext ctx) {
        Shape x = ctx.shape(0);
        long[] kernel = ctx.attrs().getInts("kernel_shape");
        if (x == null) return null;
        if (kernel == null) throw ctx.fail("pooling without kernel_shape");
        if (x.rank() != kernel.length + 2) throw ctx.fail("kernel_shape " + Arrays.toString(kernel) + " does not match input " + x);
        return window(ctx, x, x.dim(1), kernel);
    }

    private static void globalPool(InferenceContext ctx) {
        Shape x = ctx.shape(0);
        if (x == null) { ctx.setOutput(0, ctx.dtype(0), null); return; }
        List<Dim> out = new ArrayList<>(x.dims().subList(0, Math.min(2, x.rank())));
        for (int i = 2; i < x.rank(); i++) out.add(Dim.of(1));
        ctx.setOutput(0, ctx.dtype(0), new Shape(out));
    }

    /** Reductions (axes as attribute or, from ReduceSum-13 and the others at 18, as input 1) and ArgMax/ArgMin (one axis). */
    private static Shape reduce(InferenceContext ctx, boolean multiAxis) {
        Shape x = ctx.shape(0);
        if (x == null) return null;
        boolean keep = ctx.attrs().getInt("keepdims", 1) != 0;
        long[] axes;
        if (multiAxis) {
            axes = TensorShapeRules.axes(ctx, 1);
            if (axes == null && ctx.hasInput(1)) return keep ? Shape.unknownDims(x.rank()) : null;
            if (axes == null || axes.length == 0) {
                if (ctx.attrs().getInt("noop_with_empty_axes", 0) != 0) return x;
                axes = new long[x.rank()];
                for (int i = 0; i < axes.length; i++) axes[i] = i;
            }
        } else {
            axes = new long[] {ctx.attrs().getInt("axis", 0)};
        }
        boolean[] red = new boolean[x.rank()];
        for (long a : axes) red[Dims.axis(a, x.rank(), ctx)] = true;
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            if (!red[i]) out.add(x.dim(i));
            else if (keep) out.add(Dim.of(1));
        }
        return new Shape(out);
    }

    private static void recurrent(InferenceContext ctx) {
        Shape x = ctx.shape(0), w = ctx.shape(1);
        long hidden = ctx.attrs().getInt("hidden_size", -1);
        Dim h = hidden > 0 ? Dim.of(hidden) : Dim.UNKNOWN;
        String dir = ctx.attrs().getString("direction", "forward");
        Dim dirs = w != null ? w.dim(0) : Dim.of(dir.equals("bidirectional") ? 2 : 1);
        boolean batchFirst = ctx.attrs().getInt("layout", 0) != 0;
        Dim seq = x == null ? Dim.UNKNOWN : x.dim(batchFirst ? 1 : 0), batch = x == null ? Dim.UNKNOWN : x.dim(batchFirst ? 0 : 1);
        DataType dt = ctx.dtype(0);
        ctx.setOutput(0, dt, batchFirst ? Shape.of(batch, seq, dirs, h) : Shape.of(seq, dirs, batch, h));
        Shape state = batchFirst ? Shape.of(batch, dirs, h) : Shape.of(dirs, batch, h);
        ctx.setOutput(1, dt, state);
        ctx.setOutput(2, dt, state);
    }
}
