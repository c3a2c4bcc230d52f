package dev.quant4j.runtime.ops;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.Op;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;
import java.util.Arrays;

/**
 * MaxPool (with the optional Indices output), AveragePool (count_include_pad, ceil_mode, dilations),
 * LpPool, and the global forms, over 1-D to 3-D inputs in NC… layout. MaxPool also runs on 8-bit
 * integers (exactly, through float). Planes go to threads.
 */
final class PoolOps {
    private PoolOps() {}

    enum Kind { MAX, AVERAGE, LP }

    static void register(OpRegistry r) {
        r.register("MaxPool", s -> pool(s, Kind.MAX));
        r.register("AveragePool", s -> pool(s, Kind.AVERAGE));
        r.register("LpPool", s -> pool(s, Kind.LP));
        r.register("GlobalMaxPool", s -> (in, ctx) -> new Tensor[] {global(in[0], Kind.MAX, 0)});
        r.register("GlobalAveragePool", s -> (in, ctx) -> new Tensor[] {global(in[0], Kind.AVERAGE, 0)});
        r.register("GlobalLpPool", s -> {
            float p = lpNorm(s);
            return (in, ctx) -> new Tensor[] {global(in[0], Kind.LP, p)};
        });
    }

    private static Op pool(NodeSetup s, Kind kind) {
        Window.Spec spec = Window.Spec.of(s);
        if (spec.kernelShape() == null) throw s.error("kernel_shape is required");
        boolean includePad = s.attributes().getInt("count_include_pad", 0) != 0;
        boolean columnMajor = s.attributes().getInt("storage_order", 0) != 0;
        float p = kind == Kind.LP ? lpNorm(s) : 0;
        boolean wantIndices = kind == Kind.MAX && s.node().outputs().size() > 1 && !s.node().output(1).isEmpty();
        return (in, ctx) -> {
            Tensor x = in[0];
            long[] xs = x.shape();
            if (xs.length < 3 || xs.length > 5) throw new IllegalArgumentException("pooling input must have rank 3 to 5, got " + Arrays.toString(xs));
            Window w = spec.resolve(Arrays.copyOfRange(xs, 2, xs.length), null);
            int planes = Math.toIntExact(xs[0] * xs[1]);
            float[] xv = floatsOf(x, kind);
            float[] y = new float[Math.multiplyExact(planes, w.outSize())];
            long[] idx = wantIndices ? new long[y.length] : null;
            OpThreads.forEach(ctx.kernels().threads(), planes, (long) y.length * w.kernelSize(),
                    pl -> plane(kind, xv, pl, w, includePad, p, y, idx, columnMajor));
            long[] os = w.outShape(xs[0], xs[1], xs.length);
            Tensor out = x.dtype() == DataType.FLOAT32 ? Tensors.ofFloats(y, os) : fromFloats(x.dtype(), y, os);
            return wantIndices ? new Tensor[] {out, Tensors.ofLongs(idx, os)} : new Tensor[] {out};
        };
    }

    private static float lpNorm(NodeSetup s) {
        // p is a FLOAT before opset 2, an INT since.
        return s.attributes().getFloat("p", 2f);
    }

    private static float[] floatsOf(Tensor x, Kind kind) {
        if (x.dtype() == DataType.FLOAT32) return Tensors.floats(x);
        if (kind == Kind.MAX && (x.dtype() == DataType.UINT8 || x.dtype() == DataType.INT8)) return Tensors.toFloats(x);
        throw new IllegalArgumentException(kind + " pooling does not support " + x.dtype());
    }

    private static Tensor fromFloats(DataType type, float[] y, long[] shape) {
        long[] v = new long[y.length];
        for (int i = 0; i < v.length; i++) v[i] = (long) y[i];
        return Tensors.fromLongs(type, v, shape);
    }

    private static void plane(Kind kind, float[] x, int pl, Window w, boolean includePad, float p, float[] y, long[] idx, boolean colMajor) {
        int[] in = w.in(), out = w.out(), k = w.kernel(), s = w.strides(), dl = w.dilations(), pb = w.padBegin(), pe = w.padEnd();
        int xOff = pl * w.inSize(), yi = pl * w.outSize();
        for (int od = 0; od < out[0]; od++) {
            for (int oh = 0; oh < out[1]; oh++) {
                for (int ow = 0; ow < out[2]; ow++, yi++) {
                    int d0 = od * s[0] - pb[0], h0 = oh * s[1] - pb[1], w0 = ow * s[2] - pb[2];
                    double acc = kind == Kind.MAX ? Double.NEGATIVE_INFINITY : 0;
                    int best = -1, valid = 0;
                    for (int a = 0; a < k[0]; a++) {
                        int id = d0 + a * dl[0];
                        if (id >= in[0] + pe[0]) break;
                        boolean dIn = id >= 0 && id < in[0];
                        for (int b = 0; b < k[1]; b++) {
                            int ih = h0 + b * dl[1];
                            if (ih >= in[1] + pe[1]) break;
                            boolean hIn = dIn && ih >= 0 && ih < in[1];
                            for (int e = 0; e < k[2]; e++) {
                                int iw = w0 + e * dl[2];
                                if (iw >= in[2] + pe[2]) break;
                                if (!hIn || iw < 0 || iw >= in[2]) continue;
                                int at = (id * in[1] + ih) * in[2] + iw;
                                float v = x[xOff + at];
                                valid++;
                                switch (kind) {
                                    case MAX -> { if (v > acc || best < 0 && Float.isNaN(v)) { acc = v; best = colMajor ? (iw * in[1] + ih) * in[0] + id : at; } }
                                    case AVERAGE -> acc += v;
                                    case LP -> acc += Math.pow(Math.abs(v), p);
                                }
                            }
                        }
                    }
                    y[yi] = switch (kind) {
                        case MAX -> (float) acc;
                        // With count_include_pad every tap counts, also those a ceil-mode window puts past
                        // the end padding (as ONNX Runtime 1.23 divides).
                        case AVERAGE -> (float) (acc / Math.max(1, includePad ? w.kernelSize() : valid));
                        case LP -> (float) Math.pow(acc, 1.0 / p);
                    };
                    if (idx != null) idx[yi] = (long) pl * w.inSize() + Math.max(best, 0);
                }
            }
        }
    }

    static Tensor global(Tensor x, Kind kind, float p) {
        long[] xs = x.shape();
        if (xs.length < 2) throw new IllegalArgumentException("global pooling needs rank ≥ 2, got " + Arrays.toString(xs));
        float[] xv = Tensors.floats(x);
        int planes = Math.toIntExact(xs[0] * xs[1]);
        int size = planes == 0 ? 0 : xv.length / planes;
        float[] y = new float[planes];
        for (int pl = 0; pl < planes; pl++) {
            int o = pl * size;
            switch (kind) {
                case MAX -> { float m = Float.NEGATIVE_INFINITY; for (int i = 0; i < size; i++) m = Math.max(m, xv[o + i]); y[pl] = m; }
                case AVERAGE -> { double sum = 0; for (int i = 0; i < size; i++) sum += xv[o + i]; y[pl] = (float) (sum / size); }
                case LP -> { double sum = 0; for (int i = 0; i < size; i++) sum += Math.pow(Math.abs(xv[o + i]), p); y[pl] = (float) Math.pow(sum, 1.0 / p); }
            }
        }
        long[] os = xs.clone();
        for (int i = 2; i < os.length; i++) os[i] = 1;
        return Tensors.ofFloats(y, os);
    }
}
