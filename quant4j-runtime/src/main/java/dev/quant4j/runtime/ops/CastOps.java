package dev.quant4j.runtime.ops;

import dev.quant4j.core.DataType;
import dev.quant4j.core.numerics.BFloat16;
import dev.quant4j.core.numerics.Float16;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;
import java.nio.charset.StandardCharsets;

/**
 * Cast and CastLike between the numeric types, BOOL and STRING. Values travel as double (from
 * floating-point and string sources) or as long (from integer and boolean sources), so integer
 * values keep all 64 bits. Floating-point to integer truncates toward zero and then wraps to the
 * target width (ONNX leaves out-of-range results undefined); FLOAT16 rounds to nearest even through
 * quant4j-core's conversion. BFLOAT16 follows the opset: up to opset 18 the ONNX reference (and
 * its backend test data) truncates the low 16 bits (onnx/onnx#3876); from opset 19 the
 * specification asks for round-to-nearest-even.
 */
final class CastOps {
    private CastOps() {}

    static void register(OpRegistry r) {
        r.register("Cast", s -> {
            DataType to = DataType.fromOnnx((int) s.attributes().getInt("to", 0));
            boolean truncate = s.opset() < 19;
            return (in, ctx) -> new Tensor[] {cast(in[0], to, truncate)};
        });
        r.register("CastLike", s -> {
            boolean truncate = s.opset() < 19;
            return (in, ctx) -> new Tensor[] {cast(in[0], in[1].dtype(), truncate)};
        });
    }

    /** Cast with round-to-nearest-even everywhere (what quant4j needs internally). */
    static Tensor cast(Tensor t, DataType to) { return cast(t, to, false); }

    static Tensor cast(Tensor t, DataType to, boolean truncateBf16) {
        DataType from = t.dtype();
        if (from == to) return t;
        long[] shape = t.shape();
        int n = Tensors.size(t);
        if (to == DataType.STRING) {
            byte[][] out = new byte[n][];
            for (int i = 0; i < n; i++) out[i] = format(t, i).getBytes(StandardCharsets.UTF_8);
            return Elements.wrap(to, out, shape);
        }
        if (from == DataType.STRING) {
            byte[][] src = (byte[][]) Elements.array(t);
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = parse(new String(src[i], StandardCharsets.UTF_8));
            return fromDoubles(to, v, shape, truncateBf16);
        }
        if (from.isFloatingPoint()) {
            double[] v;
            if (from == DataType.FLOAT64) v = (double[]) Elements.array(t);
            else if (from == DataType.FLOAT32) {
                float[] f = Tensors.floats(t);
                v = new double[n];
                for (int i = 0; i < n; i++) v[i] = f[i];
            } else {
                v = new double[n];
                for (int i = 0; i < n; i++) v[i] = t.getDouble(i);
            }
            return fromDoubles(to, v, shape, truncateBf16);
        }
        long[] v = Tensors.toLongs(t);
        if (to.isFloatingPoint()) {
            double[] d = new double[n];
            boolean unsigned64 = from == DataType.UINT64;
            for (int i = 0; i < n; i++) d[i] = unsigned64 && v[i] < 0 ? 0x1p64 + v[i] : v[i];
            return fromDoubles(to, d, shape, truncateBf16);
        }
        if (to == DataType.BOOL) {
            long[] b = new long[n];
            for (int i = 0; i < n; i++) b[i] = v[i] != 0 ? 1 : 0;
            return Tensors.fromLongs(to, b, shape);
        }
        return Tensors.fromLongs(to, v, shape);
    }

    private static Tensor fromDoubles(DataType to, double[] v, long[] shape, boolean truncateBf16) {
        int n = v.length;
        switch (to) {
            case FLOAT64 -> { return Elements.wrap(to, v, shape); }
            case FLOAT32 -> {
                float[] o = new float[n];
                for (int i = 0; i < n; i++) o[i] = (float) v[i];
                return Tensors.ofFloats(o, shape);
            }
            case FLOAT16, BFLOAT16 -> {
                short[] o = new short[n];
                for (int i = 0; i < n; i++) {
                    float f = (float) v[i];
                    o[i] = to == DataType.FLOAT16 ? Float16.fromFloat(f)
                            : truncateBf16 && !Float.isNaN(f) ? (short) (Float.floatToRawIntBits(f) >>> 16) : BFloat16.fromFloat(f);
                }
                return Elements.wrap(to, o, shape);
            }
            case BOOL -> {
                long[] o = new long[n];
                for (int i = 0; i < n; i++) o[i] = v[i] != 0 ? 1 : 0;
                return Tensors.fromLongs(to, o, shape);
            }
            default -> {
                if (!to.isInteger() || to.bits() < 8) throw new IllegalArgumentException("Cast to " + to + " is not supported");
                long[] o = new long[n];
                for (int i = 0; i < n; i++) o[i] = to == DataType.UINT64 && v[i] >= 0x1p63 ? (long) (v[i] - 0x1p63) ^ Long.MIN_VALUE : (long) v[i];
                return Tensors.fromLongs(to, o, shape);
            }
        }
    }

    private static String format(Tensor t, int i) {
        DataType d = t.dtype();
        if (d == DataType.BOOL) return t.getLong(i) != 0 ? "1" : "0";
        if (!d.isFloatingPoint()) return d == DataType.UINT64 ? Long.toUnsignedString(t.getLong(i)) : Long.toString(t.getLong(i));
        double v = t.getDouble(i);
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "INF" : "-INF";
        // The shortest decimal that reads back as the same value of the source type.
        return d == DataType.FLOAT64 ? Double.toString(v) : Float.toString((float) v);
    }

    private static double parse(String s) {
        String v = s.strip();
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            case "nan", "+nan", "-nan" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Cast: '" + s + "' is not a number");
                }
            }
        };
    }
}
