package dev.quant4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the kernel benchmarks the foundation issue asks for in one session (one fork per
 * benchmark, so each kernel keeps a clean JIT profile: machine-limits.md pitfall 3) and prints the
 * ratios with min/median/max over the measurement iterations.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -cp quant4j-bench/target/benchmarks.jar dev.quant4j.bench.KernelReport [--conversions] [--only TEXT]
 * </pre>
 * {@code --only TEXT} runs the FMA ceiling and the benchmarks whose label contains TEXT (e.g. {@code gemv}).
 * The paired figures ({@link PairedBench}) time the two kernels of each ratio back to back in one
 * fork, so both see the same machine conditions; the separate-fork figures are kept beside them.
 * A ratio's min and max pair the worst numerator with the best denominator and vice versa, so the
 * range is the widest the samples allow.
 */
public final class KernelReport {

    /** Per-iteration times of one benchmark, in its output unit (ms or µs per call). */
    record Sample(String name, String unit, double[] times) {
        double min() { return times[0]; }
        double median() {
            int n = times.length;
            return n % 2 == 1 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
        }
        double max() { return times[times.length - 1]; }
    }

    private final Map<String, Sample> samples = new LinkedHashMap<>();
    /** The same runs measured in CPU time of the calling thread ({@link CpuTime}), ns per call. */
    private final Map<String, Sample> cpuSamples = new LinkedHashMap<>();

    public static void main(String[] args) throws RunnerException {
        List<String> a = Arrays.asList(args);
        int i = a.indexOf("--only");
        KernelReport r = new KernelReport(i >= 0 && i + 1 < a.size() ? a.get(i + 1) : "");
        r.run("fma", FmaPeakBench.class.getName() + ".fmaChains", Map.of());
        r.run("sgemm packed 1t", GemmBench.class.getName() + ".sgemmPacked", Map.of("threads", "1"));
        r.run("sgemm packed 2t", GemmBench.class.getName() + ".sgemmPacked", Map.of("threads", "2"));
        r.run("sgemm unpacked 1t", GemmBench.class.getName() + ".sgemm$", Map.of("threads", "1"));
        r.run("int8 gemm float 1t", GemmBench.class.getName() + ".gemmU8S8", Map.of("threads", "1", "i8", "float"));
        r.run("int8 gemm int 1t", GemmBench.class.getName() + ".gemmU8S8", Map.of("threads", "1", "i8", "int"));
        r.run("int8 gemm float 2t", GemmBench.class.getName() + ".gemmU8S8", Map.of("threads", "2", "i8", "float"));
        r.run("sgemv 1t", GemvBench.class.getName() + ".sgemv", Map.of("threads", "1"));
        r.run("gemv int8 1t", GemvBench.class.getName() + ".gemvInt8", Map.of("threads", "1"));
        r.run("gemv int4 1t", GemvBench.class.getName() + ".gemvInt4", Map.of("threads", "1"));
        r.run("sgemv 2t", GemvBench.class.getName() + ".sgemv", Map.of("threads", "2"));
        r.run("gemv int4 2t", GemvBench.class.getName() + ".gemvInt4", Map.of("threads", "2"));
        double gemmFlop = GemmBench.opsPerCall(1024);
        r.runPaired("paired: fp32 GEMM 1024³ 1t / FMA peak", PairedBench.class.getName() + ".peakThenSgemm",
                Map.of("threads", "1"), FmaPeakBench.flopPerCall(), gemmFlop);
        r.runPaired("paired: INT4 GEMV 4096² / fp32 GEMV (speed-up), 1t", PairedBench.class.getName() + ".sgemvThenInt4",
                Map.of("threads", "1"), 1, 1);
        r.runPaired("paired: INT8 GEMV 4096² / fp32 GEMV (speed-up), 1t", PairedBench.class.getName() + ".sgemvThenInt8",
                Map.of("threads", "1"), 1, 1);
        if (Arrays.asList(args).contains("--conversions"))
            for (String p : List.of("panama", "scalar"))
                for (String m : List.of("f16ToF32", "f32ToF16", "bf16ToF32", "f32ToBf16"))
                    r.run(m + " " + p, ConvertBench.class.getName() + "." + m, Map.of("provider", p));
        r.print();
    }

    private final String only;

    private KernelReport(String only) { this.only = only; }

    private void run(String label, String regex, Map<String, String> params) throws RunnerException {
        if (!label.equals("fma") && !label.contains(only)) return;
        ChainedOptionsBuilder o = new OptionsBuilder().include(regex).forks(1).shouldFailOnError(true);
        params.forEach(o::param);
        for (RunResult rr : new Runner(o.build()).run()) {
            BenchmarkResult br = rr.getAggregatedResult();
            List<Double> t = new ArrayList<>();
            for (IterationResult ir : br.getIterationResults()) t.add(ir.getPrimaryResult().getScore());
            double[] times = t.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            samples.put(label, new Sample(label, br.getPrimaryResult().getScoreUnit(), times));
            List<Double> cpu = new ArrayList<>();
            for (IterationResult ir : br.getIterationResults()) {
                var sec = ir.getSecondaryResults();
                if (sec.containsKey("cpuNanos") && sec.containsKey("calls") && sec.get("calls").getScore() > 0)
                    cpu.add(sec.get("cpuNanos").getScore() / sec.get("calls").getScore());
            }
            if (!cpu.isEmpty())
                cpuSamples.put(label, new Sample(label, "ns/op", cpu.stream().mapToDouble(Double::doubleValue).sorted().toArray()));
        }
    }

    /** Per-iteration ratios of the paired benchmarks: (work₂/time₂)/(work₁/time₁), CPU time. */
    private final Map<String, double[]> paired = new LinkedHashMap<>();

    private void runPaired(String label, String regex, Map<String, String> params, double workFirst, double workSecond)
            throws RunnerException {
        if (!label.contains(only)) return;
        ChainedOptionsBuilder o = new OptionsBuilder().include(regex).forks(1).shouldFailOnError(true);
        params.forEach(o::param);
        for (RunResult rr : new Runner(o.build()).run()) {
            List<Double> ratios = new ArrayList<>();
            for (IterationResult ir : rr.getAggregatedResult().getIterationResults()) {
                var sec = ir.getSecondaryResults();
                double first = sec.get("firstNanos").getScore(), second = sec.get("secondNanos").getScore();
                if (first > 0 && second > 0) ratios.add((workSecond / second) / (workFirst / first));
            }
            paired.put(label, ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray());
        }
    }

    private void print() {
        System.out.println();
        System.out.println("| benchmark | unit | min | median | max | iterations |");
        System.out.println("|---|---|---|---|---|---|");
        for (Sample s : samples.values())
            System.out.printf("| %s | %s | %.3f | %.3f | %.3f | %d |%n", s.name, s.unit, s.min(), s.median(), s.max(), s.times.length);
        System.out.println();
        System.out.println("Figures from wall time (JMH's score):");
        figures(samples);
        System.out.println();
        System.out.println("Figures from the calling thread's CPU time (single-threaded rows only; steadier on a shared machine):");
        Map<String, Sample> oneThread = new LinkedHashMap<>();
        cpuSamples.forEach((k, v) -> { if (!k.endsWith("2t")) oneThread.put(k, v); });
        figures(oneThread);
        if (paired.isEmpty()) return;
        System.out.println();
        System.out.println("Paired in one fork (PairedBench: every call times both kernels back to back, thread CPU time; ratio per iteration):");
        System.out.println("| figure | min | median | max | iterations |");
        System.out.println("|---|---|---|---|---|");
        paired.forEach((k, v) -> System.out.printf("| %s | %.3f | %.3f | %.3f | %d |%n", k.substring("paired: ".length()),
                v[0], v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2, v[v.length - 1], v.length));
    }

    private static void figures(Map<String, Sample> samples) {
        Sample fma = samples.get("fma");
        double fmaFlop = FmaPeakBench.flopPerCall(), gemmFlop = GemmBench.opsPerCall(1024);
        System.out.println("| figure | min | median | max |");
        System.out.println("|---|---|---|---|");
        rate("FMA peak GFLOP/s (1 core)", fma, fmaFlop);
        for (String g : List.of("sgemm packed 1t", "sgemm packed 2t", "sgemm unpacked 1t", "int8 gemm float 1t", "int8 gemm int 1t", "int8 gemm float 2t"))
            rate(g + (g.startsWith("int8") ? " GOP/s" : " GFLOP/s"), samples.get(g), gemmFlop);
        // ratio of throughputs = inverse ratio of times
        ratio("fp32 GEMM 1024³ 1t / FMA peak", fma, fmaFlop, samples.get("sgemm packed 1t"), gemmFlop);
        ratio("fp32 GEMM 1024³ 2t / FMA peak (1 core)", fma, fmaFlop, samples.get("sgemm packed 2t"), gemmFlop);
        ratio("int8 GEMM (float strategy) / fp32 GEMM, 1t", samples.get("sgemm packed 1t"), 1, samples.get("int8 gemm float 1t"), 1);
        ratio("int8 GEMM (int-lane strategy) / fp32 GEMM, 1t", samples.get("sgemm packed 1t"), 1, samples.get("int8 gemm int 1t"), 1);
        ratio("INT8 GEMV 4096² / fp32 GEMV (speed-up), 1t", samples.get("sgemv 1t"), 1, samples.get("gemv int8 1t"), 1);
        ratio("INT4 GEMV 4096² / fp32 GEMV (speed-up), 1t", samples.get("sgemv 1t"), 1, samples.get("gemv int4 1t"), 1);
        ratio("INT4 GEMV 4096² / fp32 GEMV (speed-up), 2t", samples.get("sgemv 2t"), 1, samples.get("gemv int4 2t"), 1);
    }

    private static void rate(String what, Sample s, double opsPerCall) {
        if (s == null) return;
        double scale = opsPerCall / 1e9 / switch (s.unit) {
            case "ms/op" -> 1e-3;
            case "us/op" -> 1e-6;
            case "ns/op" -> 1e-9;
            default -> throw new IllegalStateException("unit " + s.unit);
        };
        System.out.printf("| %s | %.1f | %.1f | %.1f |%n", what, scale / s.max(), scale / s.median(), scale / s.min());
    }

    /** (work_b / time_b) / (work_a / time_a): how many times faster b does its work than a. */
    private static void ratio(String what, Sample a, double workA, Sample b, double workB) {
        if (a == null || b == null) return;
        if (!a.unit.equals(b.unit)) throw new IllegalStateException("units differ: " + a.unit + " vs " + b.unit);
        double k = workB / workA;
        System.out.printf("| %s | %.3f | %.3f | %.3f |%n", what,
                k * a.min() / b.max(), k * a.median() / b.median(), k * a.max() / b.min());
    }
}
