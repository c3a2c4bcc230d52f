package dev.quant4j.runtime.ops;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Tensor;
import dev.quant4j.kernels.Epilogue;
import dev.quant4j.kernels.Epilogues;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.Tensors;

/**
 * How a fused QDQ node turns exact int32 accumulators into its output, fixed when the session is
 * prepared: either 8-bit codes, (acc + bias[j])·(x_s·w_s[j] / y_s) rounded once (the trailing
 * QuantizeLinear folded in, a Relu/Clip folded into the clamp bounds), or floats
 * acc·(x_s·w_s[j]) + bias[j] followed by the Relu/Clip. Channel j is a column for MatMul/Gemm and
 * a row block (NCHW) for Conv.
 */
final class FusedOutput {
    final int channels;
    final boolean quantized;
    final DataType outType;
    private final float[] multiplier;   // per channel: x_s·w_s[j] / y_s (quantized) or x_s·w_s[j] (float)
    private final int[] biasInt;        // quantized: int32 bias in accumulator units, or null
    private final int zeroPoint, qmin, qmax;
    private final float actMin, actMax;
    private final boolean activation;

    /**
     * From the fused node's inputs {@code x_s}, {@code w_s} at {@code xs, ws}, the int32 bias at {@code bInt},
     * and {@code y_s y_z} at {@code ys, ys + 1} (absent: float output).
     */
    FusedOutput(NodeSetup s, int channels, int xs, int ws, int bInt, int ys) {
        this.channels = channels;
        Attributes a = s.attributes();
        this.activation = a.has("act_min");
        this.actMin = a.getFloat("act_min", Float.NEGATIVE_INFINITY);
        this.actMax = a.getFloat("act_max", Float.POSITIVE_INFINITY);
        float x = scalar(s, xs);
        float[] w = Tensors.toFloats(constant(s, ws));
        if (w.length != 1 && w.length != channels) throw s.error(channels + " output channels but " + w.length + " weight scales");
        this.quantized = s.node().hasInput(ys);
        this.multiplier = new float[channels];
        float y = quantized ? scalar(s, ys) : 1f;
        for (int j = 0; j < channels; j++) multiplier[j] = quantized ? x * w[w.length == 1 ? 0 : j] / y : x * w[w.length == 1 ? 0 : j];
        if (quantized) {
            Tensor z = constant(s, ys + 1);
            this.outType = z.dtype();
            this.zeroPoint = QuantOps.ints(z)[0];
            int lo = (int) outType.minValue(), hi = (int) outType.maxValue();
            // Q is monotone, so Q(clamp(v, a, b)) = clamp(Q(v), Q(a), Q(b)): the activation becomes the clamp bounds.
            this.qmin = activation && actMin > Float.NEGATIVE_INFINITY ? Math.max(lo, q(actMin, y, lo, hi)) : lo;
            this.qmax = activation && actMax < Float.POSITIVE_INFINITY ? Math.min(hi, q(actMax, y, lo, hi)) : hi;
            this.biasInt = s.node().hasInput(bInt) ? Tensors.ints(constant(s, bInt)) : null;
            if (biasInt != null && biasInt.length != channels) throw s.error(channels + " output channels but " + biasInt.length + " biases");
        } else {
            this.outType = DataType.FLOAT32;
            this.zeroPoint = this.qmin = this.qmax = 0;
            this.biasInt = null;
        }
    }

    private int q(float v, float scale, int lo, int hi) {
        return dev.quant4j.core.quant.Quantizer.quantize(v, scale, zeroPoint, lo, hi);
    }

    static Tensor constant(NodeSetup s, int i) {
        Tensor t = s.constant(i);
        if (t == null) throw s.error("input " + i + " ('" + s.node().input(i) + "') must be a constant");
        return t;
    }

    static float scalar(NodeSetup s, int i) {
        float[] v = Tensors.toFloats(constant(s, i));
        if (v.length != 1) throw s.error("input " + i + " must hold one value, has " + v.length);
        return v[0];
    }

    /** The epilogue for a row-major [rows × channels] output block starting at {@code off}; {@code out} is byte[] or float[]. */
    Epilogue columns(Object out, int off, float[] biasFloat) {
        if (quantized) return new Epilogue.ToInt8((byte[]) out, off, channels, biasInt, multiplier, zeroPoint, qmin, qmax);
        return new Epilogue.ToFloat((float[]) out, off, channels, multiplier, biasFloat);
    }

    /**
     * Applies the output step to NCHW accumulators: {@code acc} is [batch][channels][positions] and
     * is consumed (the int32 bias is added into it in place, the same int32 sum the epilogue would form).
     * Each channel's positions run through the shared epilogue as one row with a single multiplier.
     */
    Object channelRows(int[] acc, int positions, float[] biasFloat) {
        Object out = quantized ? new byte[acc.length] : new float[acc.length];
        int rows = positions == 0 ? 0 : acc.length / positions;
        for (int r = 0; r < rows; r++) {
            int ch = r % channels, off = r * positions;
            if (quantized && biasInt != null) for (int p = off, b = biasInt[ch]; p < off + positions; p++) acc[p] += b;
            Epilogue e = quantized
                    ? new Epilogue.ToInt8((byte[]) out, off, positions, null, new float[] {multiplier[ch]}, zeroPoint, qmin, qmax)
                    : new Epilogue.ToFloat((float[]) out, off, positions, new float[] {multiplier[ch]}, null);
            Epilogues.apply(e, acc, off, 0, 1, positions);
            if (!quantized && biasFloat != null) {
                float[] y = (float[]) out;
                for (int p = off, end = off + positions; p < end; p++) y[p] += biasFloat[ch];
            }
        }
        return out;
    }

    /** Wraps the output array as a tensor, applying the activation to float output. */
    Tensor tensor(Object out, long[] shape) {
        if (quantized) return Tensors.ofBytes(outType, (byte[]) out, shape);
        float[] y = (float[]) out;
        if (activation) for (int i = 0; i < y.length; i++) y[i] = Math.min(Math.max(y[i], actMin), actMax);
        return Tensors.ofFloats(y, shape);
    }

    /** The float bias (input {@code i}), or null; checked against the channel count. */
    float[] biasFloat(NodeSetup s, Tensor[] in, int i) {
        if (quantized || in.length <= i || in[i] == null) return null;
        float[] b = Tensors.floats(in[i]);
        if (b.length != channels) throw s.error(channels + " output channels but " + b.length + " biases");
        return b;
    }
}
