package dev.quant4j.graph.infer;

import dev.quant4j.graph.Dim;
import dev.quant4j.graph.Shape;
import dev.quant4j.graph.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Operators that select parts of a tensor: Gather, GatherElements, Slice, Split, Pad, Tile. */
final class IndexingRules {
    private IndexingRules() {}

    static void register(ShapeRules r) {
        r.register("Gather", IndexingRules::gather);
        r.register("GatherElements", ctx -> ctx.setOutput(0, ctx.dtype(0), ctx.shape(1)));
        r.register("Slice", IndexingRules::slice);
        r.register("Split", IndexingRules::split);
        r.register("Pad", IndexingRules::pad);
        r.register("Tile", IndexingRules::tile);
    }

    private static void gather(InferenceContext ctx) {
        Shape data = ctx.shape(0), idx = ctx.shape(1);
        if (data == null || idx == null) { ctx.setOutput(0, ctx.dtype(0), null); return; }
        int a = Dims.axis(ctx.attrs().getInt("axis", 0), data.rank(), ctx);
        List<Dim> out = new ArrayList<>(data.dims().subList(0, a));
        out.addAll(idx.dims());
        out.addAll(data.dims().subList(a + 1, data.rank()));
        Shape os = new Shape(out);
        ctx.setOutput(0, ctx.dtype(0), os);
        Tensor d = ctx.constant(0), i = ctx.constant(1);
        if (Consts.isSmallInt(d) && Consts.isSmallInt(i) && os.isFullyKnown()) {
            long[] dv = d.toLongs(), iv = i.toLongs(), ds = d.shape();
            long outer = 1, inner = 1;
            for (int k = 0; k < a; k++) outer *= ds[k];
            for (int k = a + 1; k < ds.length; k++) inner *= ds[k];
            long n = ds[a];
            long[] v = new long[Math.toIntExact(os.elementCount())];
            int w = 0;
            for (long o = 0; o < outer; o++) {
                for (long j : iv) {
                    long jj = j < 0 ? j + n : j;
                    if (jj < 0 || jj >= n) throw ctx.fail("Gather index " + j + " is out of range for size " + n);
                    for (long q = 0; q < inner; q++) v[w++] = dv[(int) ((o * n + jj) * inner + q)];
                }
            }
            ctx.setConstant(0, Consts.fromLongs(d.dtype(), v, os.toArray()));
        }
    }

    private static void slice(InferenceContext ctx) {
        Shape in = ctx.shape(0);
        long[] starts, ends, axes, steps;
        if (ctx.opset() < 10 || ctx.attrs().has("starts")) {
            starts = ctx.attrs().getInts("starts");
            ends = ctx.attrs().getInts("ends");
            axes = ctx.attrs().getInts("axes");
            steps = null;
        } else {
            starts = TensorShapeRules.longs(ctx, 1);
            ends = TensorShapeRules.longs(ctx, 2);
            axes = ctx.hasInput(3) ? TensorShapeRules.longs(ctx, 3) : null;
            steps = ctx.hasInput(4) ? TensorShapeRules.longs(ctx, 4) : null;
            if ((ctx.hasInput(3) && axes == null) || (ctx.hasInput(4) && steps == null)) starts = null;
        }
        if (in == null) { ctx.setOutput(0, ctx.dtype(0), null); return; }
        if (starts == null || ends == null) { ctx.setOutput(0, ctx.dtype(0), Shape.unknownDims(in.rank())); return; }
        if (starts.length != ends.length) throw ctx.fail("Slice starts and ends differ in length");
        Dim[] out = in.dims().toArray(new Dim[0]);
        long[] begin = new long[in.rank()], step = new long[in.rank()];
        boolean[] sliced = new boolean[in.rank()];
        java.util.Arrays.fill(step, 1);
        for (int i = 0; i < starts.length; i++) {
            int ax = Dims.axis(axes == null ? i : axes[i], in.rank(), ctx);
            long st = steps == null ? 1 : steps[i];
            if (st == 0) throw ctx.fail("Slice step 0");
            Dim d = in.dim(ax);
            sliced[ax] = true;
            if (!d.isKnown()) { out[ax] = Dim.UNKNOWN; continue; }
            long n = d.value();
            long s = starts[i] < 0 ? starts[i] + n : starts[i], e = ends[i] < 0 ? ends[i] + n : ends[i];
            if (st > 0) { s = Math.clamp(s, 0, n); e = Math.clamp(e, 0, n); }
            else { s = Math.clamp(s, 0, Math.max(n - 1, 0)); e = Math.clamp(e, -1, n - 1); }
            long len = st > 0 ? Math.max(0, Math.ceilDiv(e - s, st)) : Math.max(0, Math.ceilDiv(s - e, -st));
            out[ax] = Dim.of(len);
            begin[ax] = s;
            step[ax] = st;
        }
        Shape os = Shape.of(out);
        ctx.setOutput(0, ctx.dtype(0), os);
        Tensor c = ctx.constant(0);
        if (Consts.isSmallInt(c) && os.isFullyKnown()) {
            long[] src = c.toLongs(), shape = c.shape(), o = os.toArray();
            long[] v = new long[Math.toIntExact(os.elementCount())];
            long[] idx = new long[o.length];
            for (int k = 0; k < v.length; k++) {
                long f = 0;
                for (int d = 0; d < o.length; d++) f = f * shape[d] + (sliced[d] ? begin[d] + idx[d] * step[d] : idx[d]);
                v[k] = src[(int) f];
                for (int d = o.length - 1; d >= 0; d--) { if (++idx[d] < o[d]) break; idx[d] = 0; }
            }
            ctx.setConstant(0, Consts.fromLongs(c.dtype(), v, o));
        }
    }

    private static void split(InferenceContext ctx) {
        Shape in = ctx.shape(0);
        int n = ctx.outputCount();
        if (in == null) { for (int i = 0; i < n; i++) ctx.setOutput(i, ctx.dtype(0), null); return; }
        int a = Dims.axis(ctx.attrs().getInt("axis", 0), in.rank(), ctx);
        long[] parts = ctx.attrs().getInts("split");
        if (parts == null && ctx.hasInput(1)) parts = TensorShapeRules.longs(ctx, 1);
        Dim d = in.dim(a);
        for (int i = 0; i < n; i++) {
            Dim[] out = in.dims().toArray(new Dim[0]);
            if (parts != null && i < parts.length) out[a] = Dim.of(parts[i]);
            else if (parts == null && d.isKnown()) {
                long chunk = Math.ceilDiv(d.value(), n);
                out[a] = Dim.of(Math.max(0, Math.min(chunk, d.value() - chunk * i)));
            } else out[a] = Dim.UNKNOWN;
            ctx.setOutput(i, ctx.dtype(0), Shape.of(out));
        }
    }

    private static void pad(InferenceContext ctx) {
        Shape in = ctx.shape(0);
        if (in == null) { ctx.setOutput(0, ctx.dtype(0), null); return; }
        long[] pads = ctx.attrs().getInts("pads");
        if (pads == null && ctx.hasInput(1)) pads = TensorShapeRules.longs(ctx, 1);
        long[] axes = ctx.hasInput(3) ? TensorShapeRules.longs(ctx, 3) : null;
        if (pads == null || (ctx.hasInput(3) && axes == null)) { ctx.setOutput(0, ctx.dtype(0), Shape.unknownDims(in.rank())); return; }
        int r = in.rank();
        int na = axes == null ? r : axes.length;
        if (pads.length != 2L * na) throw ctx.fail("Pad has " + pads.length + " pads for " + na + " axes");
        Dim[] out = in.dims().toArray(new Dim[0]);
        for (int i = 0; i < na; i++) {
            int ax = axes == null ? i : Dims.axis(axes[i], r, ctx);
            out[ax] = in.dim(ax).isKnown() ? Dim.of(in.dim(ax).value() + pads[i] + pads[i + na]) : Dim.UNKNOWN;
        }
        ctx.setOutput(0, ctx.dtype(0), Shape.of(out));
    }

    private static void tile(InferenceContext ctx) {
        Shape in = ctx.shape(0);
        long[] rep = TensorShapeRules.longs(ctx, 1);
        if (in == null || rep == null) { ctx.setOutput(0, ctx.dtype(0), in == null ? null : Shape.unknownDims(in.rank())); return; }
        if (rep.length != in.rank()) throw ctx.fail("Tile repeats " + rep.length + " values for rank " + in.rank());
        Dim[] out = new Dim[in.rank()];
        for (int i = 0; i < out.length; i++) out[i] = Dims.mul(in.dim(i), Dim.of(rep[i]));
        ctx.setOutput(0, ctx.dtype(0), Shape.of(out));
    }

}
