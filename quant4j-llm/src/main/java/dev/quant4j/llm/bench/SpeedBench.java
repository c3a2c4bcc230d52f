package dev.quant4j.llm.bench;

import dev.quant4j.llm.model.Forward;
import dev.quant4j.llm.model.LlamaConfig;
import dev.quant4j.llm.model.LlamaModel;
import dev.quant4j.llm.quant.GgmlType;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Decode and prefill speed of the Llama forward pass on a ~1.1B-parameter model with random
 * weights, per weight type and thread count, next to the machine's read bandwidth measured in the
 * same run with the same thread count. Achieved bandwidth = weight bytes streamed per token ×
 * tokens/s. The fraction of the read bandwidth is taken token by token: the read bandwidth is
 * measured right before each timed decode token, and the fraction reported is the median of the
 * per-token ratios (with the 25th-75th percentiles), so that the load of this shared machine, which
 * moves both figures by ±20% within seconds, weighs on both sides of every ratio alike.
 *
 * <pre>java --add-modules=jdk.incubator.vector -Xmx3g -cp ... dev.quant4j.llm.bench.SpeedBench [types] [threads] [decodeTokens] [prefillTokens]</pre>
 * e.g. {@code F32,F16,Q8_0,Q4_0,Q4_K 1,2 16 64}. One model is held at a time (F32: 4.4 GB off-heap).
 * With {@code --jvm-per-type} (anywhere in the arguments) each type runs in a fresh JVM started with this
 * one's options and class path, so that no type's figures depend on which types the JIT saw before it
 * (its compiled code and profiles); the table says which mode produced it.
 */
public final class SpeedBench {
    private SpeedBench() {}

    /** Rates in tokens/s by the wall clock; the *Cpu rates by this thread's CPU time (one-thread runs only, else NaN). */
    /** bandwidth: the median of the per-token read measurements; fraction, fractionP25/P75: of the per-token ratios achieved / read. */
    public record Row(GgmlType type, int threads, long weightBytes, double decodeTokS, double decodeSpread, double prefillTokS, double bandwidth,
                      double decodeCpuTokS, double prefillCpuTokS, double fraction, double fractionP25, double fractionP75) {
        double achieved() { return weightBytes * decodeTokS; }
    }

    private static final String PER_JVM = "--jvm-per-type", CHILD = "--child", ROW = "ROW ";

    public static void main(String[] argv) throws Exception {
        List<String> all = Arrays.asList(argv);
        boolean perJvm = all.contains(PER_JVM), child = all.contains(CHILD);
        String[] args = all.stream().filter(a -> !a.equals(PER_JVM) && !a.equals(CHILD)).toArray(String[]::new);
        List<GgmlType> types = Arrays.stream((args.length > 0 ? args[0] : "F32,F16,Q8_0,Q4_0,Q4_K").split(",")).map(GgmlType::byName).toList();
        int[] threads = Arrays.stream((args.length > 1 ? args[1] : "1,2").split(",")).mapToInt(Integer::parseInt).toArray();
        int decode = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int prefill = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        LlamaConfig c = RandomLlama.oneBillion(256);
        System.out.printf(Locale.ROOT, "model: dim %d, %d layers, %d heads (%d KV), FFN %d, vocab %d: %.3f B parameters; %d CPUs%n",
                c.dim(), c.nLayers(), c.nHeads(), c.nKvHeads(), c.hiddenDim(), c.vocabSize(), RandomLlama.parameters(c) / 1e9,
                Runtime.getRuntime().availableProcessors());
        List<Row> rows = new ArrayList<>();
        for (GgmlType t : types) {
            if (perJvm) { rows.addAll(inChildJvm(t, args)); continue; }
            try (Arena arena = Arena.ofShared()) {
                long b0 = System.nanoTime();
                LlamaModel m = RandomLlama.build(c, t, 42, arena);
                // Decoding streams every matrix once except the embedding, of which one row is read.
                long streamed = m.weightBytes() - m.matrix("token_embd.weight").byteSize();
                System.out.printf(Locale.ROOT, "%s: %.2f GB of weights streamed per token (built in %.0f s)%n", t, streamed / 1e9, (System.nanoTime() - b0) / 1e9);
                for (int i = 0; i < threads.length; i++) {
                    double[] dec = decode(m, threads[i], decode, streamed);
                    double[] pre = prefill(m, threads[i], prefill);
                    boolean one = threads[i] == 1; // other threads' CPU time is not counted
                    Row r = new Row(t, threads[i], streamed, dec[0], dec[1], pre[0], dec[3], one ? dec[2] : Double.NaN, one ? pre[1] : Double.NaN,
                            dec[4], dec[5], dec[6]);
                    rows.add(r);
                    System.out.printf(Locale.ROOT, "  %d thread(s): decode %.2f tok/s (spread %.2f), prefill %.2f tok/s, %.1f GB/s; read bandwidth (median of %d"
                                    + " measurements, one before each token) %.1f GB/s; per-token fraction median %.0f%% (p25 %.0f%%, p75 %.0f%%)%n",
                            threads[i], r.decodeTokS(), r.decodeSpread(), r.prefillTokS(), r.achieved() / 1e9, decode, r.bandwidth() / 1e9,
                            100 * r.fraction(), 100 * r.fractionP25(), 100 * r.fractionP75());
                    if (child) System.out.println(ROW + encode(r));
                }
            }
        }
        if (child) return;
        System.out.println();
        System.out.println(perJvm ? "mode: one JVM per type (" + PER_JVM + ")" : "mode: all types in one JVM, in the order given");
        System.out.println("| type | threads | GB/token | decode tok/s | vs F32 (same threads) | decode tok/s by CPU time | vs F32 by CPU time"
                + " | prefill tok/s | prefill tok/s by CPU time | achieved GB/s | measured read GB/s | fraction (per-token median) | fraction p25-p75 |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            Row f32 = rows.stream().filter(x -> x.type() == GgmlType.F32 && x.threads() == r.threads()).findFirst().orElse(null);
            System.out.printf(Locale.ROOT, "| %s | %d | %.2f | %.2f | %s | %s | %s | %.2f | %s | %.1f | %.1f | %.0f%% | %.0f-%.0f%% |%n", r.type(), r.threads(), r.weightBytes() / 1e9,
                    r.decodeTokS(), f32 == null ? "-" : String.format(Locale.ROOT, "%.2f×", r.decodeTokS() / f32.decodeTokS()),
                    fmt(r.decodeCpuTokS(), ""), f32 == null ? "-" : fmt(r.decodeCpuTokS() / f32.decodeCpuTokS(), "×"),
                    r.prefillTokS(), fmt(r.prefillCpuTokS(), ""), r.achieved() / 1e9, r.bandwidth() / 1e9, 100 * r.fraction(),
                    100 * r.fractionP25(), 100 * r.fractionP75());
        }
    }

    /** Runs {@code t} alone in a new JVM with this JVM's options and class path; its output is passed through, its rows returned. */
    private static List<Row> inChildJvm(GgmlType t, String[] args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SpeedBench.class.getName(), t.name()));
        cmd.addAll(Arrays.asList(args).subList(1, args.length));
        cmd.add(CHILD);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<Row> rows = new ArrayList<>();
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith(ROW)) rows.add(decode(line.substring(ROW.length())));
                else System.out.println("  [" + t + " JVM] " + line);
            }
        }
        if (p.waitFor() != 0) throw new IllegalStateException("the " + t + " JVM exited with " + p.exitValue());
        return rows;
    }

    private static String encode(Row r) {
        return String.join(" ", r.type().name(), Integer.toString(r.threads()), Long.toString(r.weightBytes()), Double.toString(r.decodeTokS()),
                Double.toString(r.decodeSpread()), Double.toString(r.prefillTokS()), Double.toString(r.bandwidth()),
                Double.toString(r.decodeCpuTokS()), Double.toString(r.prefillCpuTokS()), Double.toString(r.fraction()),
                Double.toString(r.fractionP25()), Double.toString(r.fractionP75()));
    }

    private static Row decode(String s) {
        String[] f = s.trim().split(" ");
        return new Row(GgmlType.byName(f[0]), Integer.parseInt(f[1]), Long.parseLong(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]), Double.parseDouble(f[8]),
                Double.parseDouble(f[9]), Double.parseDouble(f[10]), Double.parseDouble(f[11]));
    }

    private static String fmt(double v, String unit) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f%s", v, unit);
    }

    /**
     * Over {@code n} decode steps after at least 3 warm-up steps and 8 s: the median tokens/s, the
     * spread (max − min of the per-token rates), the median rate by this thread's CPU time, the
     * median read bandwidth, and the median, 25th and 75th percentile of the per-token fraction
     * (streamed bytes / token time) / (read bandwidth measured right before that token, with as many
     * threads: best of 3 passes over 256 MiB).
     */
    static double[] decode(LlamaModel m, int threads, int n, long streamed) throws Exception {
        Forward f = new Forward(m, threads);
        // warm-up by time, not by count: on a loaded machine the JIT's compiler threads wait for a
        // core too, and 2 warm-up tokens left the kernels interpreted or C1-compiled for the first timed ones
        int pos = 0;
        for (long w0 = System.nanoTime(); pos < 3 || (System.nanoTime() - w0 < WARM_UP_NS && pos < 40); pos++) f.forward(pos + 1, pos);
        double[] rate = new double[n], cpuRate = new double[n], bw = new double[n], frac = new double[n];
        for (int i = 0; i < n; i++, pos++) {
            bw[i] = Bandwidth.measure(1L << 28, threads, 3);
            long c0 = CPU.getCurrentThreadCpuTime(), t0 = System.nanoTime();
            f.forward((pos * 7919) % m.config().vocabSize(), pos);
            rate[i] = 1e9 / (System.nanoTime() - t0);
            cpuRate[i] = 1e9 / (CPU.getCurrentThreadCpuTime() - c0);
            frac[i] = streamed * rate[i] / bw[i];
        }
        Arrays.sort(rate);
        Arrays.sort(cpuRate);
        Arrays.sort(bw);
        Arrays.sort(frac);
        return new double[] {rate[n / 2], rate[n - 1] - rate[0], cpuRate[n / 2], bw[n / 2], frac[n / 2], frac[n / 4], frac[(3 * n) / 4]};
    }

    /** Decode warm-up (prefill: half of it); {@code -Dquant4j.llm.bench.warmUpMs} shortens it for quick comparisons. */
    private static final long WARM_UP_NS = Long.getLong("quant4j.llm.bench.warmUpMs", 8_000) * 1_000_000L;

    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    /** Tokens/s of one batched prefill of {@code n} tokens after warm-up prefills of up to 16 (at least 2, and 4 s), by the wall clock and by this thread's CPU time. */
    static double[] prefill(LlamaModel m, int threads, int n) {
        int[] warm = new int[Math.min(n, 16)], toks = new int[n];
        for (int i = 0; i < toks.length; i++) toks[i] = (i * 31 + 5) % m.config().vocabSize();
        for (long w0 = System.nanoTime(), k = 0; k < 2 || System.nanoTime() - w0 < WARM_UP_NS / 2; k++) new Forward(m, threads).prefill(warm, 0);
        Forward f = new Forward(m, threads);
        long c0 = CPU.getCurrentThreadCpuTime(), t0 = System.nanoTime();
        f.prefill(toks, 0);
        return new double[] {n / ((System.nanoTime() - t0) / 1e9), n / ((CPU.getCurrentThreadCpuTime() - c0) / 1e9)};
    }
}
