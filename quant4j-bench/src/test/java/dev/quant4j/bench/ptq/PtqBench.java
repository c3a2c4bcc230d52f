package dev.quant4j.bench.ptq;

import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.fusion.QdqFusion;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Post-training quantization, speed and size: each real model in every PTQ mode (made by
 * quant4j-quantize), run by quant4j's runtime (QDQ/dynamic/blocked patterns fused onto the int8
 * and weight-only kernels) and by ONNX Runtime, one thread each, batch 1. After a warm-up, each
 * timed round runs every (variant, engine) pair once, in the same order, so load from other
 * processes falls on all of them alike. Reported per pair: median and p90 wall milliseconds, median
 * thread CPU milliseconds (ThreadMXBean; both engines compute on the calling thread with one
 * thread), and CPU-time ratios to fp32 on the same engine and of quant4j to ONNX Runtime.
 *
 * <pre>
 *   java ... dev.quant4j.bench.ptq.PtqBench [runs=30] [warmup=5] [model-filter] [fashion-cnn.onnx]
 * </pre>
 */
public final class PtqBench {
    private PtqBench() {}

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String filter = args.length > 2 ? args[2].toLowerCase() : "";
        Path cnn = Path.of(args.length > 3 ? args[3] : "quant4j-train/src/main/resources/dev/quant4j/models/fashion-cnn.onnx");
        Path dir = Files.createTempDirectory("quant4j-ptq-bench");
        List<PtqModels> models = new ArrayList<>();
        if ("blazeface".contains(filter) || filter.isEmpty()) models.add(PtqModels.blazeFace());
        if ("minilm-l6".contains(filter) || filter.isEmpty()) models.add(PtqModels.miniLm(dir));
        if ("pp-ocrv4 rec".contains(filter) || filter.isEmpty()) models.add(PtqModels.ppOcrRec());
        if (("fashion cnn".contains(filter) || filter.isEmpty()) && Files.exists(cnn)) models.add(PtqModels.fashionCnn(cnn));
        System.out.printf("PtqBench: 1 thread per engine, batch 1, %d warm-up + %d timed rounds, engines and variants interleaved; JDK %s, %d CPUs%n",
                warmup, runs, Runtime.version(), Runtime.getRuntime().availableProcessors());
        System.out.printf("%-13s %-8s %9s %6s | %25s %8s %7s | %25s %8s %7s | %7s%n", "model", "variant", "size MB", "/fp32",
                "quant4j ms med p90 cpu", "cpu/fp32", "", "ORT ms med p90 cpu", "cpu/fp32", "", "q4j/ORT");
        try {
            for (PtqModels m : models) {
                Map<String, Path> variants = PtqVariants.make(m, dir, 16);
                bench(m, variants, runs, warmup);
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
    }

    private static void bench(PtqModels m, Map<String, Path> variants, int runs, int warmup) throws Exception {
        Map<String, Tensor> feeds = m.sample().apply(100);   // not among the calibration samples
        Map<String, Engines> engines = new LinkedHashMap<>();
        Map<String, String> fused = new LinkedHashMap<>();
        for (var e : variants.entrySet()) {
            try {
                Engines en = new Engines(e.getValue(), 1, true);
                engines.put(e.getKey(), en);
                fused.put(e.getKey(), summary(QdqFusion.apply(en.model.graph(), en.model.onnxOpset())));
            } catch (Exception ex) {
                System.out.printf("%-13s %-8s cannot open: %s%n", m.name(), e.getKey(), ex.getMessage());
            }
        }
        // An engine that cannot run a variant (e.g. ORT's QGemm refusing a per-channel weight without
        // zero-points) is named and left out of the timing.
        Map<String, String> failed = new LinkedHashMap<>();
        for (var e : engines.entrySet()) {
            for (String engine : new String[] {"q4j", "ort"}) {
                try {
                    if (engine.equals("q4j")) e.getValue().runQuant4j(feeds);
                    else e.getValue().runOrt(feeds);
                } catch (Exception ex) {
                    failed.put(e.getKey() + "/" + engine, String.valueOf(ex.getMessage()).lines().findFirst().orElse(""));
                }
            }
        }
        Map<String, double[][]> times = new LinkedHashMap<>();   // key "variant/engine" -> [wall, cpu][run]
        for (int r = -warmup; r < runs; r++) {
            for (var e : engines.entrySet()) {
                for (String engine : new String[] {"q4j", "ort"}) {
                    if (failed.containsKey(e.getKey() + "/" + engine)) continue;
                    long w0 = System.nanoTime(), c0 = CPU.getCurrentThreadCpuTime();
                    if (engine.equals("q4j")) e.getValue().runQuant4j(feeds);
                    else e.getValue().runOrt(feeds);
                    long c1 = CPU.getCurrentThreadCpuTime(), w1 = System.nanoTime();
                    if (r < 0) continue;
                    double[][] t = times.computeIfAbsent(e.getKey() + "/" + engine, k -> new double[2][runs]);
                    t[0][r] = (w1 - w0) / 1e6;
                    t[1][r] = (c1 - c0) / 1e6;
                }
            }
        }
        double q32 = median(times.get("fp32/q4j")[1]), o32 = median(times.get("fp32/ort")[1]);
        long size32 = Files.size(variants.get("fp32"));
        for (String v : engines.keySet()) {
            double[][] q = times.get(v + "/q4j"), o = times.get(v + "/ort");
            long size = Files.size(variants.get(v));
            System.out.printf("%-13s %-8s %9.2f %6.2f | %s | %s | %7s   %s%n", m.name(), v, size / 1e6, size / (double) size32,
                    cells(q, q32), cells(o, o32), q != null && o != null ? String.format("%7.2f", median(q[1]) / median(o[1])) : "-", fused.get(v));
        }
        failed.forEach((k, why) -> System.out.printf("%-13s %-12s fails: %s%n", m.name(), k, why));
        for (Engines e : engines.values()) e.close();
    }

    /** "wall median, wall p90, cpu median, cpu / fp32 cpu" or dashes when the engine could not run it. */
    private static String cells(double[][] t, double fp32Cpu) {
        if (t == null) return String.format("%8s %8s %7s %8s %7s", "-", "-", "-", "-", "");
        return String.format("%8.2f %8.2f %7.2f %8.2f %7s", median(t[0]), p90(t[0]), median(t[1]), median(t[1]) / fp32Cpu, "");
    }

    private static String summary(QdqFusion.Result r) {
        Map<String, Integer> n = new TreeMap<>();
        for (String f : r.fused()) n.merge(f.substring(0, f.indexOf(':')), 1, Integer::sum);
        return n.isEmpty() ? "" : "fused " + n;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static double p90(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(0.9 * s.length) - 1)];
    }
}
