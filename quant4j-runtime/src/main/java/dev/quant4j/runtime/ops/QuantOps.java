package dev.quant4j.runtime.ops;

import dev.quant4j.core.DataType;
import dev.quant4j.core.numerics.BFloat16;
import dev.quant4j.core.numerics.Float16;
import dev.quant4j.core.numerics.Float8Format;
import dev.quant4j.core.quant.Float8Quantizer;
import dev.quant4j.core.quant.Granularity;
import dev.quant4j.core.quant.QuantParams;
import dev.quant4j.core.quant.QuantSpec;
import dev.quant4j.core.quant.QuantizedStorage;
import dev.quant4j.core.quant.Quantizer;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.Op;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;
import java.lang.foreign.MemorySegment;

/**
 * QuantizeLinear, DequantizeLinear (per tensor, per axis, blocked; 4-, 8-, 16-bit integers and the
 * float8 types) and DynamicQuantizeLinear. The arithmetic is quant4j-core's {@link Quantizer} and
 * {@link Float8Quantizer}; this class only maps ONNX tensors and attributes onto {@link QuantParams}.
 */
final class QuantOps {
    private QuantOps() {}

    static void register(OpRegistry r) {
        r.register("QuantizeLinear", QuantOps::quantize);
        r.register("DequantizeLinear", QuantOps::dequantize);
        r.register("DynamicQuantizeLinear", s -> (in, ctx) -> dynamicQuantize(in[0]));
    }

    private static Op quantize(NodeSetup s) {
        int axis = (int) s.attributes().getInt("axis", 1);
        int block = (int) s.attributes().getInt("block_size", 0);
        boolean saturate = s.attributes().getInt("saturate", 1) != 0;
        long outAttr = s.attributes().getInt("output_dtype", 0);
        return (in, ctx) -> {
            Tensor x = in[0], zp = in.length > 2 ? in[2] : null;
            DataType type = zp != null ? zp.dtype() : outAttr != 0 ? DataType.fromOnnx((int) outAttr) : DataType.UINT8;
            float[] xf = Tensors.toFloats(x);
            long[] shape = x.shape();
            QuantParams p = params(s, type, in[1], zp, axis, block, shape);
            if (p.spec().isFloat8())
                return new Tensor[] {Tensor.wrap(type, MemorySegment.ofArray(Float8Quantizer.quantize(xf, shape, p, saturate)), shape)};
            if (p.granularity() == Granularity.PER_TENSOR && type.bits() == 8) {
                // The common activation case, straight into bytes (same arithmetic as Quantizer.quantize).
                float sc = p.scale(0);
                int zp0 = p.zeroPoint(0), lo = p.spec().qmin(), hi = p.spec().qmax();
                byte[] q = new byte[xf.length];
                for (int i = 0; i < q.length; i++) q[i] = (byte) Quantizer.quantize(xf[i], sc, zp0, lo, hi);
                return new Tensor[] {Tensors.ofBytes(type, q, shape)};
            }
            return new Tensor[] {codes(type, Quantizer.quantize(xf, shape, p), shape)};
        };
    }

    private static Op dequantize(NodeSetup s) {
        int axis = (int) s.attributes().getInt("axis", 1);
        int block = (int) s.attributes().getInt("block_size", 0);
        return (in, ctx) -> {
            Tensor x = in[0], scale = in[1], zp = in.length > 2 ? in[2] : null;
            long[] shape = x.shape();
            QuantParams p = params(s, x.dtype(), scale, zp, axis, block, shape);
            float[] y;
            if (p.spec().isFloat8()) y = Float8Quantizer.dequantize(Tensors.bytes(x), shape, p);
            else {
                y = new float[Tensors.size(x)];
                Quantizer.dequantize(ints(x), shape, p, y);
            }
            return new Tensor[] {floatsAs(scale.dtype(), y, shape)};
        };
    }

    /**
     * The parameters of one Q/DQ node: a scalar or one-element scale is per tensor, a 1-D scale per
     * axis, a scale of the input's rank blocked along {@code axis} (opset 21).
     */
    static QuantParams params(NodeSetup s, DataType type, Tensor scale, Tensor zp, int axis, int block, long[] shape) {
        float[] sc = Tensors.toFloats(scale);
        int[] z = zp == null ? new int[sc.length] : zeroPoints(s, zp);
        if (z.length != sc.length)
            throw s.error(sc.length + " scales but " + z.length + " zero-points");
        QuantSpec spec = isFloat8(type) ? QuantSpec.symmetric(type) : QuantSpec.affine(type);
        try {
            if (block > 0) return QuantParams.perBlock(spec, axis, block, sc, z);
            if (sc.length == 1 && scale.rank() <= 1) return new QuantParams(spec, Granularity.PER_TENSOR, 0, 0, sc, z);
            if (scale.rank() != 1) throw s.error("scale of shape " + java.util.Arrays.toString(scale.shape())
                    + " is neither per tensor nor per axis (set block_size for blocked quantization)");
            return QuantParams.perChannel(spec, axis, sc, z);
        } catch (IllegalArgumentException e) {
            throw s.error(e.getMessage());
        }
    }

    private static int[] zeroPoints(NodeSetup s, Tensor zp) {
        if (isFloat8(zp.dtype())) {
            Float8Format f = Float8Format.of(zp.dtype());
            for (byte b : Tensors.bytes(zp)) if (f.decode(b) != 0f) throw s.error("a float8 zero-point must be 0");
            return new int[Tensors.size(zp)];
        }
        return ints(zp);
    }

    static boolean isFloat8(DataType t) {
        return t == DataType.FLOAT8E4M3FN || t == DataType.FLOAT8E4M3FNUZ || t == DataType.FLOAT8E5M2 || t == DataType.FLOAT8E5M2FNUZ;
    }

    /** The elements of an integer tensor (4-bit types unpacked, unsigned zero-extended) as int. */
    static int[] ints(Tensor t) {
        if (t.dtype() == DataType.INT32) return Tensors.ints(t);
        if (t.dtype() == DataType.UINT8 || t.dtype() == DataType.INT8) {
            byte[] b = Tensors.bytes(t);
            int[] r = new int[b.length];
            if (t.dtype() == DataType.UINT8) for (int i = 0; i < b.length; i++) r[i] = b[i] & 0xFF;
            else for (int i = 0; i < b.length; i++) r[i] = b[i];
            return r;
        }
        int n = Tensors.size(t);
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = (int) t.getLong(i);
        return r;
    }

    /** Integer codes as a tensor of {@code type} (4-bit types packed two to a byte). */
    static Tensor codes(DataType type, int[] q, long[] shape) {
        return switch (type) {
            case INT8, UINT8 -> {
                byte[] b = new byte[q.length];
                for (int i = 0; i < b.length; i++) b[i] = (byte) q[i];
                yield Tensors.ofBytes(type, b, shape);
            }
            case INT32 -> Tensors.ofInts(q, shape);
            case INT16, UINT16 -> {
                short[] a = new short[q.length];
                for (int i = 0; i < a.length; i++) a[i] = (short) q[i];
                yield Tensor.wrap(type, MemorySegment.ofArray(a), shape);
            }
            default -> Tensor.wrap(type, MemorySegment.ofArray(QuantizedStorage.pack(q, type)), shape);
        };
    }

    /** fp32 results in the scale's type (FLOAT16/BFLOAT16 outputs from opset 19). */
    private static Tensor floatsAs(DataType type, float[] y, long[] shape) {
        return switch (type) {
            case FLOAT16 -> { short[] h = new short[y.length]; Float16.fromFloat(y, 0, h, 0, y.length); yield Tensor.wrap(type, MemorySegment.ofArray(h), shape); }
            case BFLOAT16 -> { short[] h = new short[y.length]; BFloat16.fromFloat(y, 0, h, 0, y.length); yield Tensor.wrap(type, MemorySegment.ofArray(h), shape); }
            default -> Tensors.ofFloats(y, shape);
        };
    }

    /**
     * DynamicQuantizeLinear: uint8 codes, scale and zero-point from the range of x widened to hold 0.
     * As ONNX Runtime: scale = (max − min) / 255 (1 when the range is empty) and the zero-point is
     * clamped to 0..255 before it is rounded half to even.
     */
    static Tensor[] dynamicQuantize(Tensor x) {
        float[] v = Tensors.floats(x);
        float[] range = range(v);
        float scale = scale(range);
        int zp = zeroPoint(range, scale);
        byte[] q = new byte[v.length];
        for (int i = 0; i < v.length; i++) q[i] = (byte) Quantizer.quantize(v[i], scale, zp, 0, 255);
        return new Tensor[] {Tensors.ofBytes(DataType.UINT8, q, x.shape()), Tensors.ofFloats(new float[] {scale}),
                Tensors.ofBytes(DataType.UINT8, new byte[] {(byte) zp})};
    }

    /** {min(0, min x), max(0, max x)}; NaN is an error, as no code represents it. */
    static float[] range(float[] v) {
        float lo = 0, hi = 0;
        for (float f : v) {
            if (f != f) throw new IllegalArgumentException("cannot quantize NaN");
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
        }
        return new float[] {lo, hi};
    }

    static float scale(float[] range) {
        return range[1] == range[0] ? 1f : (range[1] - range[0]) / 255f;
    }

    static int zeroPoint(float[] range, float scale) {
        float initial = 0f - range[0] / scale;
        return (int) Math.rint(Math.max(0f, Math.min(255f, initial)));
    }
}
