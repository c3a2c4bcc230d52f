package dev.quant4j.runtime.ops;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Tensor;
import dev.quant4j.kernels.Kernels;
import dev.quant4j.kernels.PackedF32;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.Op;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * RNN, GRU and LSTM on fp32: forward, reverse and bidirectional, sequence_lens, initial states,
 * peepholes, clip, input_forget, linear_before_reset, both layouts and the activations attribute.
 *
 * <p>Per direction, the input projection of every time step is one GEMM (X·Wᵀ, biases added), and
 * each step then multiplies the hidden state by Rᵀ. W and R are packed once when they are
 * constants. Gate rows follow ONNX: LSTM i, o, f, c; GRU z, r, h; peepholes i, o, f.
 * A batch entry whose sequence has ended keeps its state, and its outputs stay zero.
 */
final class RecurrentOps {
    private RecurrentOps() {}

    enum Cell {
        RNN(1, List.of("Tanh")), GRU(3, List.of("Sigmoid", "Tanh")), LSTM(4, List.of("Sigmoid", "Tanh", "Tanh"));
        final int gates;
        final List<String> defaults;
        Cell(int gates, List<String> defaults) { this.gates = gates; this.defaults = defaults; }
    }

    static void register(OpRegistry r) {
        for (Cell c : Cell.values()) r.register(c.name(), s -> create(s, c));
    }

    record Config(Cell cell, int hidden, int dirs, boolean reverseOnly, RnnActivation[] acts, float clip,
                  boolean batchFirst, boolean inputForget, boolean linearBeforeReset) {
        int gh() { return cell.gates * hidden; }
        float clip(float v) { return clip > 0 ? Math.max(-clip, Math.min(clip, v)) : v; }
    }

    /** W and R of every direction, packed; GRU keeps R's h rows apart, they multiply r ⊙ h. */
    record Weights(PackedF32[] w, PackedF32[] r, PackedF32[] rh) {
        static Weights pack(Kernels k, Config c, float[] w, float[] r, int inSize) {
            int h = c.hidden, gh = c.gh();
            PackedF32[] pw = new PackedF32[c.dirs], pr = new PackedF32[c.dirs], prh = c.cell == Cell.GRU ? new PackedF32[c.dirs] : null;
            MemorySegment ws = MemorySegment.ofArray(w), rs = MemorySegment.ofArray(r);
            if (w.length != c.dirs * gh * inSize || r.length != c.dirs * gh * h)
                throw new IllegalArgumentException("W or R does not hold " + c.dirs + "×" + gh + " rows of the input and hidden sizes");
            for (int d = 0; d < c.dirs; d++) {
                pw[d] = k.packF32(inSize, gh, ws, (long) d * gh * inSize, inSize, true);
                int rn = c.cell == Cell.GRU ? 2 * h : gh;
                pr[d] = k.packF32(h, rn, rs, (long) d * gh * h, h, true);
                if (prh != null) prh[d] = k.packF32(h, h, rs, (long) d * gh * h + 2L * h * h, h, true);
            }
            return new Weights(pw, pr, prh);
        }
    }

    private static Op create(NodeSetup s, Cell cell) {
        var a = s.attributes();
        int hidden = Math.toIntExact(a.getInt("hidden_size", -1));
        if (hidden < 1) throw s.error("hidden_size is required");
        String direction = a.getString("direction", "forward");
        if (!List.of("forward", "reverse", "bidirectional").contains(direction)) throw s.error("unknown direction '" + direction + "'");
        int dirs = direction.equals("bidirectional") ? 2 : 1;
        RnnActivation[] acts = RnnActivation.parse(a.getStrings("activations"), a.getFloats("activation_alpha"), a.getFloats("activation_beta"), cell.defaults, dirs);
        Config cfg = new Config(cell, hidden, dirs, direction.equals("reverse"), acts, a.has("clip") ? a.getFloat("clip", 0) : 0,
                a.getInt("layout", 0) != 0, a.getInt("input_forget", 0) != 0, a.getInt("linear_before_reset", 0) != 0);
        Tensor w = s.constant(1), r = s.constant(2);
        Weights pre = w != null && r != null && w.dtype() == DataType.FLOAT32 && w.rank() == 3
                ? Weights.pack(s.kernels(), cfg, Tensors.floats(w), Tensors.floats(r), Math.toIntExact(w.dim(2))) : null;
        return (in, ctx) -> run(ctx.kernels(), cfg, in, pre);
    }

    private static Tensor opt(Tensor[] in, int i) { return i < in.length ? in[i] : null; }

    private static Tensor[] run(Kernels k, Config c, Tensor[] in, Weights pre) {
        Tensor x = in[0];
        if (x.rank() != 3) throw new IllegalArgumentException(c.cell + " input must be 3-D, got rank " + x.rank());
        int seq = Math.toIntExact(x.dim(c.batchFirst ? 1 : 0)), batch = Math.toIntExact(x.dim(c.batchFirst ? 0 : 1));
        int inSize = Math.toIntExact(x.dim(2)), h = c.hidden, gh = c.gh(), dirs = c.dirs;
        float[] xv = Tensors.floats(x);
        if (c.batchFirst) xv = swap01(xv, batch, seq, inSize);
        Weights wts = pre != null ? pre : Weights.pack(k, c, Tensors.floats(in[1]), Tensors.floats(in[2]), inSize);
        float[] bias = opt(in, 3) == null ? null : Tensors.floats(in[3]);
        int[] lens = opt(in, 4) == null ? null : java.util.Arrays.stream(Tensors.toLongs(in[4])).mapToInt(Math::toIntExact).toArray();
        float[] h0 = state(opt(in, 5), c, batch), c0 = c.cell == Cell.LSTM ? state(opt(in, 6), c, batch) : null;
        float[] peep = c.cell == Cell.LSTM && opt(in, 7) != null ? Tensors.floats(in[7]) : null;
        float[] y = new float[seq * dirs * batch * h], yh = new float[dirs * batch * h], yc = new float[dirs * batch * h];
        for (int d = 0; d < dirs; d++) {
            boolean reverse = c.reverseOnly || d == 1;
            float[] xw = new float[seq * batch * gh];
            if (seq * batch > 0) k.sgemm(seq * batch, xv, 0, inSize, wts.w[d], xw, 0, gh, false);
            float[] rbh = addBiases(c, bias, d, xw, seq * batch);
            float[] hs = new float[batch * h], cs = new float[batch * h];
            if (h0 != null) System.arraycopy(h0, d * batch * h, hs, 0, batch * h);
            if (c0 != null) System.arraycopy(c0, d * batch * h, cs, 0, batch * h);
            RnnStep step = new RnnStep(c, d, batch, h, xw, hs, cs, rbh, peep == null ? null : java.util.Arrays.copyOfRange(peep, d * 3 * h, (d + 1) * 3 * h));
            for (int t = 0; t < seq; t++) {
                int[] time = new int[batch];
                for (int b = 0; b < batch; b++) {
                    int len = lens == null ? seq : lens[b];
                    if (len < 0 || len > seq) throw new IllegalArgumentException("sequence_lens[" + b + "] = " + len + " is outside [0, " + seq + "]");
                    time[b] = t >= len ? -1 : reverse ? len - 1 - t : t;
                }
                step.run(k, wts, time);
                for (int b = 0; b < batch; b++)
                    if (time[b] >= 0) System.arraycopy(hs, b * h, y, ((time[b] * dirs + d) * batch + b) * h, h);
            }
            System.arraycopy(hs, 0, yh, d * batch * h, batch * h);
            System.arraycopy(cs, 0, yc, d * batch * h, batch * h);
        }
        Tensor yt, yht, yct;
        if (c.batchFirst) {
            yt = Tensors.ofFloats(swap01(y, seq * dirs, batch, h), batch, seq, dirs, h);
            yht = Tensors.ofFloats(swap01(yh, dirs, batch, h), batch, dirs, h);
            yct = Tensors.ofFloats(swap01(yc, dirs, batch, h), batch, dirs, h);
        } else {
            yt = Tensors.ofFloats(y, seq, dirs, batch, h);
            yht = Tensors.ofFloats(yh, dirs, batch, h);
            yct = Tensors.ofFloats(yc, dirs, batch, h);
        }
        return c.cell == Cell.LSTM ? new Tensor[] {yt, yht, yct} : new Tensor[] {yt, yht};
    }

    /** An initial state in [dirs, batch, H] order (null when absent). */
    private static float[] state(Tensor t, Config c, int batch) {
        if (t == null) return null;
        float[] v = Tensors.floats(t);
        if (v.length != c.dirs * batch * c.hidden) throw new IllegalArgumentException("initial state has " + v.length + " values, expected " + c.dirs * batch * c.hidden);
        return c.batchFirst ? swap01(v, batch, c.dirs, c.hidden) : v;
    }

    /**
     * Adds Wb + Rb of direction d to every row of the input projection; returns the GRU's Rb of
     * the h gate when linear_before_reset keeps it inside r ⊙ (·), else null.
     */
    private static float[] addBiases(Config c, float[] bias, int d, float[] xw, int rows) {
        int gh = c.gh(), h = c.hidden;
        if (bias == null) return c.linearBeforeReset && c.cell == Cell.GRU ? new float[h] : null;
        float[] add = new float[gh];
        int o = d * 2 * gh;
        for (int g = 0; g < gh; g++) add[g] = bias[o + g] + bias[o + gh + g];
        float[] rbh = null;
        if (c.cell == Cell.GRU && c.linearBeforeReset) {
            rbh = java.util.Arrays.copyOfRange(bias, o + gh + 2 * h, o + gh + 3 * h);
            for (int j = 0; j < h; j++) add[2 * h + j] = bias[o + 2 * h + j];
        }
        for (int r = 0; r < rows; r++)
            for (int g = 0; g < gh; g++) xw[r * gh + g] += add[g];
        return rbh;
    }

    /** [a × b × inner] → [b × a × inner]. */
    static float[] swap01(float[] v, int a, int b, int inner) {
        float[] out = new float[v.length];
        for (int i = 0; i < a; i++)
            for (int j = 0; j < b; j++) System.arraycopy(v, (i * b + j) * inner, out, (j * a + i) * inner, inner);
        return out;
    }
}
