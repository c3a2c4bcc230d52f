package dev.quant4j.llm.bench;

import dev.quant4j.llm.model.Forward;
import dev.quant4j.llm.model.LlamaConfig;
import dev.quant4j.llm.quant.GgmlType;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * Decode speed of several weight types relative to the first, measured interleaved: every model is
 * held at once (F32 alone is 4.4 GB off-heap), and each round decodes one token with each type in
 * turn (the order rotating per round), so a burst of load from other processes on this shared
 * machine hits all types alike. Reports the median ms/token by wall clock and, for one thread, by
 * this thread's CPU time, and each type's speed-up over the first type from those medians.
 * SpeedBench's table, where each type runs for a minute in turn, is more exposed to load drift.
 *
 * <pre>java --add-modules=jdk.incubator.vector -Xmx3g -cp ... dev.quant4j.llm.bench.DecodeRatios [types] [threads] [rounds]</pre>
 * e.g. {@code F32,Q8_0,Q4_0,Q4_K 1 40}.
 */
public final class DecodeRatios {
    private DecodeRatios() {}

    public static void main(String[] args) {
        GgmlType[] types = Arrays.stream((args.length > 0 ? args[0] : "F32,Q8_0,Q4_0,Q4_K").split(",")).map(GgmlType::byName).toArray(GgmlType[]::new);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        LlamaConfig c = RandomLlama.oneBillion(Math.max(256, rounds + 64));
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (Arena arena = Arena.ofShared()) {
            Forward[] f = new Forward[types.length];
            for (int t = 0; t < types.length; t++) f[t] = new Forward(RandomLlama.build(c, types[t], 42, arena), threads);
            int[] pos = new int[types.length];
            // warm-up: every type until its kernels are compiled (by time: the JIT shares the cores)
            for (int t = 0; t < types.length; t++)
                for (long end = System.nanoTime() + 6_000_000_000L; pos[t] < 3 || System.nanoTime() < end && pos[t] < 30; pos[t]++)
                    f[t].forward(pos[t] + 1, pos[t]);
            long[][] wall = new long[types.length][rounds], cpu = new long[types.length][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < types.length; k++) {
                    int t = (k + r) % types.length;
                    long c0 = mx.getCurrentThreadCpuTime(), w0 = System.nanoTime();
                    f[t].forward((pos[t] * 7919) % c.vocabSize(), pos[t]);
                    wall[t][r] = System.nanoTime() - w0;
                    cpu[t][r] = mx.getCurrentThreadCpuTime() - c0;
                    pos[t]++;
                }
            }
            System.out.printf(Locale.ROOT, "decode, %d thread(s), %d interleaved rounds (random 1.1B TinyLlama-shaped model); medians%n", threads, rounds);
            System.out.println("| type | ms/token (wall) | p10-p90 | vs " + types[0] + " (wall) | ms/token (CPU) | vs " + types[0] + " (CPU) |");
            System.out.println("|---|---|---|---|---|---|");
            double w0 = median(wall[0]), c0 = median(cpu[0]);
            for (int t = 0; t < types.length; t++) {
                long[] s = wall[t].clone();
                Arrays.sort(s);
                double w = median(wall[t]), cp = median(cpu[t]);
                boolean one = threads == 1; // other threads' CPU time is not counted
                System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f-%.1f | %.2f× | %s | %s |%n", types[t], w, s[rounds / 10] / 1e6, s[rounds * 9 / 10] / 1e6, w0 / w,
                        one ? String.format(Locale.ROOT, "%.1f", cp) : "-", one ? String.format(Locale.ROOT, "%.2f×", c0 / cp) : "-");
            }
        }
    }

    private static double median(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1e6;
    }
}
