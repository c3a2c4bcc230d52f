package dev.quant4j.bench.nativekernels;

import dev.quant4j.nativekernels.Isa;
import dev.quant4j.nativekernels.NativeCeilings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the native-kernel benchmarks in one session (one fork each) and prints the table:
 * int8 GEMM as a fraction of the integer dot-product ceiling measured in the same run and as a
 * ratio to the Java fp32 GEMM, and INT4 GEMV against fp32 GEMV. Rates use the median iteration;
 * the brackets give the range over iterations.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *   -cp quant4j-bench/target/benchmarks.jar dev.quant4j.bench.nativekernels.NativeBenchReport
 * </pre>
 */
public final class NativeBenchReport {

    /** Rate samples (operations per second) over the measurement iterations, sorted. */
    record Rate(double[] perSecond) {
        double median() {
            int n = perSecond.length;
            return n % 2 == 1 ? perSecond[n / 2] : (perSecond[n / 2 - 1] + perSecond[n / 2]) / 2;
        }
        double min() { return perSecond[0]; }
        double max() { return perSecond[perSecond.length - 1]; }
        String giga() { return String.format("%.1f [%.1f–%.1f]", median() / 1e9, min() / 1e9, max() / 1e9); }
    }

    private final Map<String, Rate> rates = new LinkedHashMap<>();

    public static void main(String[] args) throws RunnerException {
        Isa isa = Isa.best();
        if (isa == null) throw new IllegalStateException("native library unavailable");
        NativeBenchReport r = new NativeBenchReport();
        List<NativeCeilings.Kind> kinds = new ArrayList<>();
        kinds.add(NativeCeilings.intDotFor(isa));
        for (NativeCeilings.Kind k : List.of(NativeCeilings.Kind.MADDUBSW_256, NativeCeilings.Kind.FMA_256, NativeCeilings.Kind.FMA_512))
            if (!kinds.contains(k) && NativeCeilings.run(k, 1) > 0) kinds.add(k);
        for (NativeCeilings.Kind k : kinds) {
            long opsPerCall = NativeCeilings.run(k, 1) * NativeCeilingBench.ITERS;
            for (RunResult rr : run(NativeCeilingBench.class.getName() + ".peak", Map.of("kind", k.name())))
                r.add("ceiling " + k.name() + " " + rr.getParams().getParam("threads") + "t",
                        rr, opsPerCall * Integer.parseInt(rr.getParams().getParam("threads")));
        }
        for (RunResult rr : run(NativeGemmBench.class.getName() + ".", Map.of())) {
            int s = Integer.parseInt(rr.getParams().getParam("size"));
            String t = rr.getParams().getParam("threads");
            r.add(rr.getPrimaryResult().getLabel() + " " + s + " " + t + "t", rr, 2.0 * s * s * s);
        }
        for (RunResult rr : run(NativeGemvBench.class.getName() + ".", Map.of())) {
            int s = Integer.parseInt(rr.getParams().getParam("size"));
            String label = rr.getPrimaryResult().getLabel();
            r.add("gemv " + label, rr, 2.0 * s * s * (label.contains("Gemm") ? NativeGemvBench.BATCH : 1));
        }
        r.print(isa, kinds.getFirst());
    }

    private static Collection<RunResult> run(String include, Map<String, String> params) throws RunnerException {
        OptionsBuilder o = new OptionsBuilder();
        o.include(include.replace(".", "\\.") + (include.endsWith(".") ? "" : "$"));
        params.forEach(o::param);
        return new Runner(o.build()).run();
    }

    /** Converts JMH's per-call times (any time unit) to operations per second. */
    private void add(String label, RunResult rr, double opsPerCall) {
        List<Double> perSecond = new ArrayList<>();
        for (BenchmarkResult br : rr.getBenchmarkResults())
            for (IterationResult ir : br.getIterationResults()) {
                double time = ir.getPrimaryResult().getScore();
                double unitSeconds = switch (ir.getScoreUnit().split("/")[0]) {
                    case "s" -> 1; case "ms" -> 1e-3; case "us" -> 1e-6; case "ns" -> 1e-9;
                    default -> throw new IllegalStateException("unit " + ir.getScoreUnit());
                };
                perSecond.add(opsPerCall / (time * unitSeconds));
            }
        double[] v = perSecond.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        rates.put(label, new Rate(v));
    }

    private void print(Isa isa, NativeCeilings.Kind dot) {
        System.out.println();
        System.out.println("## Native kernels (" + isa.label() + "), one run; medians [min–max] over iterations");
        System.out.println();
        System.out.println("| ceiling | 1 thread | 2 threads |");
        System.out.println("|---|---|---|");
        for (String key : rates.keySet())
            if (key.startsWith("ceiling ") && key.endsWith(" 1t")) {
                String kind = key.substring(8, key.length() - 3);
                System.out.println("| " + NativeCeilings.Kind.valueOf(kind).label() + " (GOP/s) | " + rates.get(key).giga()
                        + " | " + rates.get("ceiling " + kind + " 2t").giga() + " |");
            }
        System.out.println();
        System.out.println("| int8 GEMM u8·s8→s32 | GOP/s | fraction of " + dot.label() + " ceiling | Java fp32 GEMM GFLOP/s | int8 native ÷ Java fp32 | Java int8 GOP/s | native ÷ Java int8 |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int s : new int[] {1024, 2048})
            for (String t : new String[] {"1t", "2t"}) {
                Rate i8 = rates.get("int8Native " + s + " " + t), f32 = rates.get("fp32Java " + s + " " + t);
                Rate j8 = rates.get("int8Java " + s + " " + t), peak = rates.get("ceiling " + dot.name() + " " + t);
                System.out.printf("| %d³ %s | %s | %.2f | %s | %.2f | %s | %.2f |%n", s, t, i8.giga(), i8.median() / peak.median(),
                        f32.giga(), i8.median() / f32.median(), j8.giga(), i8.median() / j8.median());
            }
        System.out.println();
        System.out.println("| GEMV 4096², 1 thread | GOP/s | time µs | vs Java fp32 GEMV |");
        System.out.println("|---|---|---|---|");
        Rate fp32 = rates.get("gemv fp32Java");
        for (String b : new String[] {"int4Native", "int8Native", "int4Java", "fp32Java"}) {
            Rate q = rates.get("gemv " + b);
            System.out.printf("| %s | %s | %.0f | %.2f× |%n", b, q.giga(), 2.0 * 4096 * 4096 / q.median() * 1e6, q.median() / fp32.median());
        }
        System.out.println();
        System.out.println("| INT4 GEMM " + NativeGemvBench.BATCH + "×4096 · (4096×4096)ᵀ, 1 thread | GFLOP/s | native ÷ Java |");
        System.out.println("|---|---|---|");
        Rate gn = rates.get("gemv int4GemmNative"), gj = rates.get("gemv int4GemmJava");
        System.out.printf("| native | %s | %.2f× |%n| Java | %s | 1.00× |%n", gn.giga(), gn.median() / gj.median(), gj.giga());
    }
}
