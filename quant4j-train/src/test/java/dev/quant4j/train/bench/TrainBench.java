package dev.quant4j.train.bench;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The training benchmarks in one run, with the figures to read printed at the end: the Fashion
 * CNN's step time (wall and thread CPU), its split into forward / backward / optimizer (CPU), the
 * implied epoch (60,000 images = 938 steps of 64), and scalar/vector ratios of the backward loops,
 * alone and within a whole step.
 * <pre>
 *   mvn -o -f quant4j-train/pom.xml test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 *   java --add-modules=jdk.incubator.vector -cp quant4j-train/target/test-classes:quant4j-train/target/classes:$(cat cp.txt) \
 *        -Dquant4j.testdata=../shared/testdata dev.quant4j.train.bench.TrainBench [quick]
 * </pre>
 */
public final class TrainBench {
    private TrainBench() {}

    public static void main(String[] args) throws Exception {
        boolean quick = args.length > 0 && args[0].equals("quick");
        Map<String, RunResult> all = new LinkedHashMap<>();
        run(all, "dev.quant4j.train.grad.BackwardLoopsBench", quick ? 1 : 3, 1, quick ? 2 : 5, 1);
        run(all, "dev.quant4j.train.bench.TrainStepBench", quick ? 1 : 2, quick ? 3 : 5, quick ? 2 : 4, quick ? 4 : 8);

        System.out.println();
        System.out.println("benchmark                                   wall ms/op   cpu ms/op   forward   backward   optimizer (cpu shares)");
        for (var e : all.entrySet()) {
            RunResult r = e.getValue();
            double calls = aux(r, "calls"), cpu = aux(r, "cpuNanos") / calls / 1e6;
            String split = "";
            if (aux(r, "backwardCpuNanos") > 0) {
                double f = aux(r, "forwardCpuNanos"), b = aux(r, "backwardCpuNanos"), o = aux(r, "optimizerCpuNanos"), t = f + b + o;
                split = String.format("   %5.1f%%    %5.1f%%     %5.1f%%", 100 * f / t, 100 * b / t, 100 * o / t);
            }
            System.out.printf("%-42s %10.3f %11.3f%s%n", e.getKey(), r.getPrimaryResult().getScore(), cpu, split);
        }
        ratio(all, "batchNormTrainingBackward loops=scalar", "batchNormTrainingBackward loops=vector");
        ratio(all, "reluBackward loops=scalar", "reluBackward loops=vector");
        ratio(all, "col2im loops=scalar", "col2im loops=vector");
        ratio(all, "stepScalarLoops", "stepVectorLoops");
        RunResult v = all.get("stepVectorLoops");
        if (v != null) {
            double cpuStep = aux(v, "cpuNanos") / aux(v, "calls") / 1e9;
            System.out.printf("Fashion CNN epoch (938 steps of 64), from the vector step: %.1f s thread CPU, %.2f steps/s, %.0f images/s (one thread)%n",
                    938 * cpuStep, 1 / cpuStep, 64 / cpuStep);
        }
    }

    private static void run(Map<String, RunResult> all, String include, int warmups, int warmupSeconds, int iterations, int seconds) throws Exception {
        Options o = new OptionsBuilder().include(include + "\\.").forks(1).mode(Mode.AverageTime).timeUnit(TimeUnit.MILLISECONDS)
                .warmupIterations(warmups).warmupTime(TimeValue.seconds(warmupSeconds))
                .measurementIterations(iterations).measurementTime(TimeValue.seconds(seconds)).build();
        Collection<RunResult> results = new Runner(o).run();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            for (String k : r.getParams().getParamsKeys()) name += " " + k + "=" + r.getParams().getParam(k);
            all.put(name, r);
        }
    }

    private static double aux(RunResult r, String key) {
        var s = r.getSecondaryResults().get(key);
        return s == null ? 0 : s.getScore();
    }

    private static void ratio(Map<String, RunResult> all, String before, String after) {
        RunResult a = all.get(before), b = all.get(after);
        if (a == null || b == null) return;
        double cpuA = aux(a, "cpuNanos") / aux(a, "calls"), cpuB = aux(b, "cpuNanos") / aux(b, "calls");
        System.out.printf("%s / %s: cpu %.2fx, wall %.2fx%n", before, after, cpuA / cpuB, a.getPrimaryResult().getScore() / b.getPrimaryResult().getScore());
    }
}
