package dev.quant4j.llm.tokenizer;

import dev.quant4j.llm.gguf.GgufFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Tokenizer speed on real text: construction time from GGUF metadata, then encode and decode
 * throughput over a corpus (one text per line, optionally gzipped). Times are medians of several
 * runs with min..max; the first runs warm the JIT and are not counted. Both wall time and the
 * thread's CPU time are reported: on a shared machine the CPU time is the steadier figure.
 *
 * <pre>
 *   java -cp … dev.quant4j.llm.tokenizer.TokenizerBenchmark CORPUS.txt[.gz] MAX_LINES VOCAB.gguf...
 * </pre>
 */
public final class TokenizerBenchmark {
    private static final int WARMUP = 3;
    private static final int RUNS = 7;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private TokenizerBenchmark() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: TokenizerBenchmark CORPUS.txt[.gz] MAX_LINES VOCAB.gguf...");
            System.exit(2);
        }
        List<String> lines = readLines(Path.of(args[0]), Integer.parseInt(args[1]));
        long chars = lines.stream().mapToLong(String::length).sum();
        System.out.printf("corpus %s: %d lines, %d chars%n", args[0], lines.size(), chars);
        for (int a = 2; a < args.length; a++) {
            Path vocab = Path.of(args[a]);
            Map<String, Object> meta;
            try (GgufFile f = GgufFile.open(vocab)) {
                meta = f.metadata();
            }
            double[] build = time(() -> GgufTokenizers.fromMetadata(meta));
            Tokenizer t = GgufTokenizers.fromMetadata(meta);
            List<int[]> encoded = new ArrayList<>(lines.size());
            double[] enc = time(() -> {
                encoded.clear();
                for (String l : lines) encoded.add(t.encode(l));
            });
            long tokens = encoded.stream().mapToLong(x -> x.length).sum();
            double[] dec = time(() -> {
                for (int[] ids : encoded) t.decode(ids);
            });
            System.out.printf("%s (%s, %d tokens)%n  build  %s ms%n  encode %s ms: %d tokens, %.2f M tokens/s by CPU time (%.2f wall)%n"
                            + "  decode %s ms: %.2f M tokens/s by CPU time (%.2f wall)%n",
                    vocab.getFileName(), t.getClass().getSimpleName(), t.vocabulary().size(), fmt(build), fmt(enc), tokens,
                    tokens / cpuMedian(enc) / 1e3, tokens / median(enc) / 1e3, fmt(dec), tokens / cpuMedian(dec) / 1e3, tokens / median(dec) / 1e3);
        }
    }

    private static List<String> readLines(Path p, int max) throws IOException {
        var in = Files.newInputStream(p);
        var stream = p.toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String l; out.size() < max && (l = r.readLine()) != null; ) out.add(l);
        }
        return out;
    }

    /** Milliseconds of each counted run, sorted: wall times, then (from RUNS on) CPU times. */
    private static double[] time(Runnable r) {
        for (int i = 0; i < WARMUP; i++) r.run();
        double[] wall = new double[RUNS];
        double[] cpu = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            r.run();
            wall[i] = (System.nanoTime() - t0) / 1e6;
            cpu[i] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        double[] both = Arrays.copyOf(wall, 2 * RUNS);
        System.arraycopy(cpu, 0, both, RUNS, RUNS);
        return both;
    }

    private static double median(double[] times) {
        return times[RUNS / 2];
    }

    private static double cpuMedian(double[] times) {
        return times[RUNS + RUNS / 2];
    }

    private static String fmt(double[] t) {
        return String.format("%.1f (%.1f..%.1f) wall, %.1f cpu", t[RUNS / 2], t[0], t[RUNS - 1], t[RUNS + RUNS / 2]);
    }

}
