package dev.quant4j.llm.bench;

import dev.quant4j.llm.model.Forward;
import dev.quant4j.llm.model.LlamaConfig;
import dev.quant4j.llm.model.LlamaModel;
import dev.quant4j.llm.quant.GgmlType;
import dev.quant4j.llm.quant.WeightMatrix;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where one decode token's time goes: a whole {@link Forward#forward} step next to the same
 * model's matrix-vector products run alone in decode order, grouped by kind. The difference is
 * everything that is not a matvec (attention, norms, RoPE, residuals, the hand-offs between
 * parallel products). One thread: thread CPU time and wall time; more threads: wall time only.
 * Each type is profiled with fp32 and with 8-bit activations ({@link WeightMatrix#matvecQuantizedInput}).
 *
 * <pre>java --add-modules=jdk.incubator.vector -cp ... dev.quant4j.llm.bench.DecodeProfile [types] [threads] [tokens]</pre>
 */
public final class DecodeProfile {
    private DecodeProfile() {}

    public static void main(String[] args) {
        GgmlType[] types = Arrays.stream((args.length > 0 ? args[0] : "Q4_0").split(",")).map(GgmlType::byName).toArray(GgmlType[]::new);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int tokens = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        LlamaConfig c = RandomLlama.oneBillion(256);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "model: dim %d, %d layers, FFN %d, vocab %d%n", c.dim(), c.nLayers(), c.hiddenDim(), c.vocabSize());
        for (GgmlType t : types) {
            try (Arena arena = Arena.ofShared()) {
                LlamaModel m = RandomLlama.build(c, t, 42, arena);
                for (boolean q8 : new boolean[] {false, true}) profile(m, t, threads, tokens, q8, mx);
            }
        }
    }

    private static void profile(LlamaModel m, GgmlType t, int threads, int tokens, boolean q8, ThreadMXBean mx) {
        LlamaConfig c = m.config();
        Forward f = new Forward(m, threads, q8);
        for (int pos = 0; pos < 3; pos++) f.forward(pos + 1, pos);
        long[] fw = new long[tokens], fc = new long[tokens];
        for (int i = 0; i < tokens; i++) {
            long c0 = mx.getCurrentThreadCpuTime(), t0 = System.nanoTime();
            f.forward(100 + i, 3 + i);
            fw[i] = System.nanoTime() - t0;
            fc[i] = mx.getCurrentThreadCpuTime() - c0;
        }
        // the same products alone, in decode order, grouped by the matrix kind
        Map<String, long[]> kindWall = new LinkedHashMap<>(), kindCpu = new LinkedHashMap<>();
        float[] x = new float[Math.max(c.dim(), c.hiddenDim())], y = new float[c.vocabSize()];
        Arrays.fill(x, 0.01f);
        long[] mw = new long[tokens], mc = new long[tokens];
        for (int i = 0; i < tokens; i++) {
            for (Map.Entry<String, WeightMatrix> e : m.matrices().entrySet()) {
                if (e.getKey().equals("token_embd.weight")) continue;
                String kind = e.getKey().replaceFirst("^blk\\.\\d+\\.", "");
                long c0 = mx.getCurrentThreadCpuTime(), t0 = System.nanoTime();
                if (q8) e.getValue().matvecQuantizedInput(x, 0, y, 0, threads);
                else e.getValue().matvec(x, 0, y, 0, threads);
                long dw = System.nanoTime() - t0, dc = mx.getCurrentThreadCpuTime() - c0;
                mw[i] += dw;
                mc[i] += dc;
                kindWall.computeIfAbsent(kind, k -> new long[1])[0] += dw;
                kindCpu.computeIfAbsent(kind, k -> new long[1])[0] += dc;
            }
        }
        double fwm = median(fw), fcm = median(fc), mwm = median(mw), mcm = median(mc);
        System.out.printf(Locale.ROOT, "%s%s, %d thread(s), %d tokens (medians): forward %.1f ms wall / %.1f ms CPU; matvecs alone %.1f ms wall / %.1f ms CPU;"
                + " the rest %.1f ms wall / %.1f ms CPU (%.0f%% of the forward's wall time)%n",
                t, q8 ? " (8-bit activations)" : " (fp32 activations)", threads, tokens, fwm, fcm, mwm, mcm, fwm - mwm, fcm - mcm, 100 * (fwm - mwm) / fwm);
        kindWall.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-20s %7.2f ms wall %7.2f ms CPU per token (%.0f%%)%n",
                k, v[0] / 1e6 / tokens, kindCpu.get(k)[0] / 1e6 / tokens, 100.0 * v[0] / tokens / 1e6 / mwm));
    }

    private static double median(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1e6;
    }
}
