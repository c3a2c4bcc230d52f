package dev.quant4j.graph.infer;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Dim;
import dev.quant4j.graph.Shape;
import dev.quant4j.graph.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Operators that resample or move data between axes: ConvTranspose, Resize, Upsample,
 * DepthToSpace, SpaceToDepth, TopK, and the extra outputs of the normalisations.
 */
final class LayoutRules {
    private LayoutRules() {}

    static void register(ShapeRules r) {
        for (String op : new String[] {"Acos", "Acosh", "Asin", "Asinh", "Atanh", "Cosh", "Sinh", "Trilu", "CumSum",
                "Scatter", "ScatterElements", "ScatterND"}) {
            r.register(op, ElementwiseRules::sameAsInput);
        }
        r.register("EyeLike", ctx -> ctx.setOutput(0, ctx.attrs().has("dtype")
                ? DataType.fromOnnx((int) ctx.attrs().getInt("dtype", 1)) : ctx.dtype(0), ctx.shape(0)));
        r.register("ConvTranspose", LayoutRules::convTranspose);
        r.register("Resize", ctx -> resize(ctx, ctx.opset() >= 11 ? 2 : 1, ctx.opset() >= 11 ? 3 : -1));
        r.register("Upsample", ctx -> resize(ctx, 1, -1));
        r.register("DepthToSpace", ctx -> blocks(ctx, false));
        r.register("SpaceToDepth", ctx -> blocks(ctx, true));
        r.register("TopK", LayoutRules::topK);
        r.register("LayerNormalization", LayoutRules::layerNorm);
        r.register("BatchNormalization", ctx -> {
            ElementwiseRules.sameAsInput(ctx);
            // Training mode also returns the running mean and variance, shaped like the inputs they update.
            ctx.setOutput(1, ctx.dtype(3), ctx.shape(3));
            ctx.setOutput(2, ctx.dtype(4), ctx.shape(4));
        });
    }

    private static void convTranspose(InferenceContext ctx) {
        Shape x = ctx.shape(0), w = ctx.shape(1);
        if (x == null || w == null) { ctx.setOutput(0, ctx.dtype(0), x == null ? null : Shape.unknownDims(x.rank())); return; }
        int sp = x.rank() - 2;
        var a = ctx.attrs();
        long group = a.getInt("group", 1);
        long[] kernel = a.getInts("kernel_shape");
        if (kernel == null) kernel = new Shape(w.dims().subList(2, w.rank())).toArray();
        long[] strides = a.getInts("strides"), dil = a.getInts("dilations"), pads = a.getInts("pads"), outPad = a.getInts("output_padding"), outShape = a.getInts("output_shape");
        List<Dim> out = new ArrayList<>(List.of(x.dim(0), Dims.mul(w.dim(1), Dim.of(group))));
        String auto = a.getString("auto_pad", "NOTSET");
        for (int i = 0; i < sp; i++) {
            if (outShape != null) { out.add(Dim.of(outShape[outShape.length - sp + i])); continue; }
            Dim d = x.dim(i + 2);
            long s = strides == null ? 1 : strides[i];
            if (!d.isKnown() || kernel[i] < 0) { out.add(Dim.UNKNOWN); continue; }
            if (auto.startsWith("SAME")) { out.add(Dim.of(d.value() * s)); continue; }
            long k = (dil == null ? 1 : dil[i]) * (kernel[i] - 1) + 1;
            long p = pads == null || auto.equals("VALID") ? 0 : pads[i] + pads[i + sp];
            out.add(Dim.of(s * (d.value() - 1) + (outPad == null ? 0 : outPad[i]) + k - p));
        }
        ctx.setOutput(0, ctx.dtype(0), new Shape(out));
    }

    /** Resize/Upsample: output sizes from a constant sizes input, else floor(dim × scale). */
    private static void resize(InferenceContext ctx, int scalesInput, int sizesInput) {
        Shape x = ctx.shape(0);
        if (x == null) { ctx.setOutput(0, ctx.dtype(0), null); return; }
        if (ctx.attrs().has("axes")) { ctx.setOutput(0, ctx.dtype(0), Shape.unknownDims(x.rank())); return; }
        Tensor sizes = sizesInput >= 0 ? ctx.constant(sizesInput) : null;
        if (sizes != null && sizes.elementCount() == x.rank()) { ctx.setOutput(0, ctx.dtype(0), Shape.of(sizes.toLongs())); return; }
        Tensor scales = ctx.constant(scalesInput);
        float[] sc = ctx.attrs().getFloats("scales");
        if (sc == null && scales != null && scales.dtype() == DataType.FLOAT32 && scales.elementCount() == x.rank()) sc = scales.floats();
        if (sc == null || sc.length != x.rank()) { ctx.setOutput(0, ctx.dtype(0), Shape.unknownDims(x.rank())); return; }
        Dim[] out = new Dim[x.rank()];
        for (int i = 0; i < out.length; i++) out[i] = x.dim(i).isKnown() ? Dim.of((long) Math.floor(x.dim(i).value() * (double) sc[i])) : Dim.UNKNOWN;
        ctx.setOutput(0, ctx.dtype(0), Shape.of(out));
    }

    private static void blocks(InferenceContext ctx, boolean toDepth) {
        Shape x = ctx.shape(0);
        long b = ctx.attrs().getInt("blocksize", 1);
        if (x == null || x.rank() != 4) { ctx.setOutput(0, ctx.dtype(0), x == null ? null : Shape.unknownDims(x.rank())); return; }
        Dim bb = Dim.of(b * b);
        if (toDepth) {
            ctx.setOutput(0, ctx.dtype(0), Shape.of(x.dim(0), Dims.mul(x.dim(1), bb), div(x.dim(2), b, ctx), div(x.dim(3), b, ctx)));
        } else {
            ctx.setOutput(0, ctx.dtype(0), Shape.of(x.dim(0), div(x.dim(1), b * b, ctx), Dims.mul(x.dim(2), Dim.of(b)), Dims.mul(x.dim(3), Dim.of(b))));
        }
    }

    private static Dim div(Dim d, long by, InferenceContext ctx) {
        if (!d.isKnown()) return Dim.UNKNOWN;
        if (d.value() % by != 0) throw ctx.fail("dimension " + d + " is not divisible by " + by);
        return Dim.of(d.value() / by);
    }

    private static void topK(InferenceContext ctx) {
        Shape x = ctx.shape(0);
        if (x == null) { ctx.setOutput(0, ctx.dtype(0), null); ctx.setOutput(1, DataType.INT64, null); return; }
        int axis = Dims.axis(ctx.attrs().getInt("axis", -1), x.rank(), ctx);
        Tensor k = ctx.hasInput(1) ? ctx.constant(1) : null;
        Dim kd = k != null ? Dim.of(k.getLong(0)) : ctx.attrs().has("k") ? Dim.of(ctx.attrs().getInt("k", 0)) : Dim.UNKNOWN;
        Dim[] out = x.dims().toArray(new Dim[0]);
        out[axis] = kd;
        ctx.setOutput(0, ctx.dtype(0), Shape.of(out));
        ctx.setOutput(1, DataType.INT64, Shape.of(out));
    }

    private static void layerNorm(InferenceContext ctx) {
        ElementwiseRules.sameAsInput(ctx);
        Shape x = ctx.shape(0);
        if (x == null) return;
        int axis = Dims.axis(ctx.attrs().getInt("axis", -1), x.rank(), ctx);
        Dim[] stat = x.dims().toArray(new Dim[0]);
        for (int i = axis; i < stat.length; i++) stat[i] = Dim.of(1);
        DataType stash = DataType.fromOnnx((int) ctx.attrs().getInt("stash_type", 1));
        ctx.setOutput(1, stash, Shape.of(stat));
        ctx.setOutput(2, stash, Shape.of(stat));
    }
}
