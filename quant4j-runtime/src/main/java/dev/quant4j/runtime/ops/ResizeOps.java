package dev.quant4j.runtime.ops;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.Op;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;

/**
 * Resize (opsets 10–18 without antialias) and Upsample. Every output coordinate is mapped back to a
 * source coordinate by the coordinate transformation mode, then
 * <ul>
 *   <li>nearest: one source index per axis (any element type), one {@link AxisGather};</li>
 *   <li>linear and cubic: a few weighted taps per axis, applied axis by axis (the kernels are
 *       separable, so this equals the N-D interpolation), in float32.</li>
 * </ul>
 * Taps outside the input repeat the edge, as the specification's edge padding does; with
 * {@code exclude_outside} they are dropped and the rest renormalized. With tf_crop_and_resize a
 * source coordinate outside the input on any axis gives {@code extrapolation_value}.
 */
final class ResizeOps {
    private ResizeOps() {}

    enum Mode { NEAREST, LINEAR, CUBIC }

    /** Everything a node's attributes fix. {@code simpleNearest}: Upsample and opset-10 rounding. */
    record Config(Mode mode, String transform, String nearest, float cubicA, boolean excludeOutside, float extrapolation, boolean simpleNearest) {}

    static void register(OpRegistry r) {
        r.register("Resize", ResizeOps::resize);
        r.register("Upsample", s -> {
            Config c = new Config(mode(s), "asymmetric", "floor", -0.75f, false, 0f, true);
            float[] attr = s.opset() < 9 ? s.attributes().getFloats("scales") : null;
            return (in, ctx) -> new Tensor[] {resize(in[0], attr != null ? attr : Tensors.toFloats(in[1]), null, null, c)};
        });
    }

    private static Mode mode(NodeSetup s) {
        return switch (s.attributes().getString("mode", "nearest")) {
            case "nearest" -> Mode.NEAREST;
            case "linear", "bilinear" -> Mode.LINEAR;
            case "cubic" -> Mode.CUBIC;
            default -> throw s.error("unknown resize mode '" + s.attributes().getString("mode", "") + "'");
        };
    }

    private static Op resize(NodeSetup s) {
        var a = s.attributes();
        if (a.getInt("antialias", 0) != 0) throw s.error("Resize with antialias is not supported");
        if (!a.getString("keep_aspect_ratio_policy", "stretch").equals("stretch")) throw s.error("Resize keep_aspect_ratio_policy other than stretch is not supported");
        if (a.has("axes")) throw s.error("Resize with the axes attribute is not supported");
        if (s.opset() < 11) {
            Config c = new Config(mode(s), "asymmetric", "floor", -0.75f, false, 0f, true);
            return (in, ctx) -> new Tensor[] {resize(in[0], Tensors.toFloats(in[1]), null, null, c)};
        }
        Config c = new Config(mode(s), a.getString("coordinate_transformation_mode", "half_pixel"), a.getString("nearest_mode", "round_prefer_floor"),
                a.getFloat("cubic_coeff_a", -0.75f), a.getInt("exclude_outside", 0) != 0, a.getFloat("extrapolation_value", 0f), false);
        return (in, ctx) -> {
            float[] roi = in.length > 1 && in[1] != null && in[1].elementCount() > 0 ? Tensors.toFloats(in[1]) : null;
            float[] scales = in.length > 2 && in[2] != null && in[2].elementCount() > 0 ? Tensors.toFloats(in[2]) : null;
            long[] sizes = in.length > 3 && in[3] != null && in[3].elementCount() > 0 ? Tensors.toLongs(in[3]) : null;
            return new Tensor[] {resize(in[0], scales, sizes, roi, c)};
        };
    }

    /** Taps of one axis: for output j, {@code taps} source indices from {@code index[j·taps]} with weights; {@code outside[j]} for extrapolation. */
    record AxisTaps(int out, int taps, int[] index, float[] weight, boolean[] outside) {
        boolean identity(int in) {
            if (out != in) return false;
            for (int j = 0; j < out; j++)
                for (int t = 0; t < taps; t++) {
                    float w = weight[j * taps + t];
                    if (w != 0 && (w != 1 || index[j * taps + t] != j)) return false;
                }
            for (boolean o : outside) if (o) return false;
            return true;
        }
    }

    static Tensor resize(Tensor x, float[] scales, long[] sizes, float[] roi, Config c) {
        long[] s = x.shape();
        int r = s.length;
        if ((scales == null) == (sizes == null)) throw new IllegalArgumentException("Resize needs exactly one of scales and sizes");
        if ((scales != null ? scales.length : sizes.length) != r) throw new IllegalArgumentException("Resize: scales/sizes do not match rank " + r);
        long[] out = new long[r];
        double[] scale = new double[r];
        for (int d = 0; d < r; d++) {
            if (sizes != null) { out[d] = sizes[d]; scale[d] = s[d] == 0 ? 1 : (double) sizes[d] / s[d]; }
            else {
                if (!(scales[d] > 0)) throw new IllegalArgumentException("Resize: scale " + scales[d] + " must be positive");
                scale[d] = scales[d];
                out[d] = (long) Math.floor(s[d] * (double) scales[d]);
            }
            if (out[d] < 0 || out[d] > Integer.MAX_VALUE) throw new IllegalArgumentException("Resize: output size " + out[d]);
        }
        AxisTaps[] taps = new AxisTaps[r];
        for (int d = 0; d < r; d++) {
            double roiStart = roi == null ? 0 : roi[d], roiEnd = roi == null ? 1 : roi[d + r];
            taps[d] = taps(c, (int) s[d], (int) out[d], scale[d], roiStart, roiEnd);
        }
        if (c.mode == Mode.NEAREST) return nearest(x, out, taps, c);
        DataType dt = x.dtype();
        if (!dt.isFloatingPoint()) throw new IllegalArgumentException("Resize " + c.mode + " on " + dt + " is not supported");
        float[] data = Tensors.toFloats(x);
        long[] cur = s.clone();
        for (int d = r - 1; d >= 0; d--) {
            if (taps[d].identity((int) cur[d])) continue;
            data = pass(data, cur, d, taps[d]);
            cur[d] = out[d];
        }
        if (c.transform.equals("tf_crop_and_resize")) extrapolate(data, out, taps, c.extrapolation);
        Tensor result = Tensors.ofFloats(data, out);
        return dt == DataType.FLOAT32 ? result : CastOps.cast(result, dt);
    }

    private static Tensor nearest(Tensor x, long[] out, AxisTaps[] taps, Config c) {
        long[] stride = AxisGather.strides(x.shape());
        int[][] off = new int[out.length][];
        for (int d = 0; d < out.length; d++) {
            AxisTaps t = taps[d];
            off[d] = new int[t.out];
            for (int j = 0; j < t.out; j++) off[d][j] = t.outside[j] ? -1 : Math.toIntExact(t.index[j] * stride[d]);
        }
        Object dst = Elements.allocate(x.dtype(), Math.toIntExact(Tensor.elementCount(out)));
        if (c.transform.equals("tf_crop_and_resize") && c.extrapolation != 0)
            Elements.fill(dst, Elements.array(CastOps.cast(Tensors.ofFloats(new float[] {c.extrapolation}, 1), x.dtype())));
        AxisGather.gather(Elements.array(x), off, dst);
        return Elements.wrap(x.dtype(), dst, out);
    }

    /** One interpolation pass along {@code axis}: [outer × in × inner] → [outer × out × inner]. */
    private static float[] pass(float[] src, long[] shape, int axis, AxisTaps t) {
        int in = (int) shape[axis], outer = Math.toIntExact(ShapeOps.prod(shape, 0, axis)), inner = Math.toIntExact(ShapeOps.prod(shape, axis + 1, shape.length));
        float[] dst = new float[Math.multiplyExact(Math.multiplyExact(outer, t.out), inner)];
        if (inner == 1) {
            // The last axis: one dot product of a few taps per output element.
            for (int o = 0; o < outer; o++) {
                int sBase = o * in, dBase = o * t.out;
                for (int j = 0, q = 0; j < t.out; j++) {
                    float acc = 0;
                    for (int k = 0; k < t.taps; k++, q++) acc += t.weight[q] * src[sBase + t.index[q]];
                    dst[dBase + j] = acc;
                }
            }
            return dst;
        }
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < t.out; j++) {
                int dBase = (o * t.out + j) * inner;
                for (int k = 0; k < t.taps; k++) {
                    float w = t.weight[j * t.taps + k];
                    if (w == 0) continue;
                    int sBase = (o * in + t.index[j * t.taps + k]) * inner;
                    for (int i = 0; i < inner; i++) dst[dBase + i] += w * src[sBase + i];
                }
            }
        }
        return dst;
    }

    private static void extrapolate(float[] data, long[] out, AxisTaps[] taps, float value) {
        int r = out.length;
        int[] pos = new int[r];
        for (int e = 0; e < data.length; e++) {
            for (int d = 0; d < r; d++) if (taps[d].outside[pos[d]]) { data[e] = value; break; }
            for (int d = r - 1; d >= 0; d--) {
                if (++pos[d] < out[d]) break;
                pos[d] = 0;
            }
        }
    }

    static AxisTaps taps(Config c, int in, int out, double scale, double roiStart, double roiEnd) {
        int n = switch (c.mode) { case NEAREST -> 1; case LINEAR -> 2; case CUBIC -> 4; };
        int[] index = new int[out * n];
        float[] weight = new float[out * n];
        boolean[] outside = new boolean[out];
        for (int j = 0; j < out; j++) {
            double xo = original(c.transform, j, in, out, scale, roiStart, roiEnd);
            if (c.transform.equals("tf_crop_and_resize") && (xo < 0 || xo > in - 1)) { outside[j] = true; continue; }
            if (c.mode == Mode.NEAREST) {
                index[j] = (int) Math.clamp(nearest(c, xo, scale), 0, in - 1);
                weight[j] = 1;
                continue;
            }
            double f = Math.floor(xo), t = xo - f;
            int i0 = (int) f - (n == 4 ? 1 : 0);
            double[] w = n == 2 ? new double[] {1 - t, t} : cubic(t, c.cubicA);
            double sum = 0;
            for (int k = 0; k < n; k++) {
                int idx = i0 + k;
                if (c.excludeOutside && (idx < 0 || idx >= in)) w[k] = 0;
                sum += w[k];
            }
            for (int k = 0; k < n; k++) {
                index[j * n + k] = Math.clamp(i0 + k, 0, in - 1);
                weight[j * n + k] = (float) (c.excludeOutside ? w[k] / sum : w[k]);
            }
        }
        return new AxisTaps(out, n, index, weight, outside);
    }

    /** Weights of the taps at distances 1+t, t, 1−t, 2−t (Keys' cubic convolution with coefficient a). */
    private static double[] cubic(double t, double a) {
        return new double[] {
            ((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a,
            ((a + 2) * t - (a + 3)) * t * t + 1,
            ((a + 2) * (1 - t) - (a + 3)) * (1 - t) * (1 - t) + 1,
            ((a * (2 - t) - 5 * a) * (2 - t) + 8 * a) * (2 - t) - 4 * a,
        };
    }

    /**
     * The source coordinate of output coordinate {@code x}. As in the specification's reference,
     * the output length in align_corners and tf_crop_and_resize is in·scale before flooring (equal
     * to the integer length when sizes are given or the scale divides evenly).
     */
    private static double original(String mode, int x, int in, int outInt, double scale, double roiStart, double roiEnd) {
        double out = in * scale;
        return switch (mode) {
            case "half_pixel" -> (x + 0.5) / scale - 0.5;
            case "pytorch_half_pixel" -> outInt > 1 ? (x + 0.5) / scale - 0.5 : 0;
            case "align_corners" -> out == 1 ? 0 : x * (in - 1) / (out - 1);
            case "asymmetric" -> x / scale;
            case "tf_half_pixel_for_nn" -> (x + 0.5) / scale;
            case "half_pixel_symmetric" -> {
                double adj = outInt / out, center = in / 2.0, offset = center * (1 - adj);
                yield offset + (x + 0.5) / scale - 0.5;
            }
            case "tf_crop_and_resize" -> out != 1
                    ? roiStart * (in - 1) + x * (roiEnd - roiStart) * (in - 1) / (out - 1)
                    : 0.5 * (roiStart + roiEnd) * (in - 1);
            default -> throw new IllegalArgumentException("unknown coordinate_transformation_mode '" + mode + "'");
        };
    }

    private static double nearest(Config c, double x, double scale) {
        if (c.simpleNearest) return scale < 1 ? Math.ceil(x) : Math.floor(x);
        return switch (c.nearest) {
            case "round_prefer_floor" -> x == Math.floor(x) + 0.5 ? Math.floor(x) : Math.round(x);
            case "round_prefer_ceil" -> Math.round(x);
            case "floor" -> Math.floor(x);
            case "ceil" -> Math.ceil(x);
            default -> throw new IllegalArgumentException("unknown nearest_mode '" + c.nearest + "'");
        };
    }
}
