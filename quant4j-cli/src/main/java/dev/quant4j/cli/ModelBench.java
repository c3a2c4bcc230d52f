package dev.quant4j.cli;

import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.tune.Engine;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Latency, throughput and memory of models on one engine, measured side by side in one run: after
 * warm-up, each round runs every model once, starting with a different one each round, so load from
 * other processes falls on all of them alike. Wall time and the calling thread's CPU time are both
 * kept (on a shared machine CPU time is the steadier figure for single-threaded runs).
 *
 * Memory, measured in a separate untimed pass so the probes do not disturb the timings: the Java
 * heap bytes one run allocates on the calling thread (HotSpot's per-thread allocation counter; the
 * heap's peak itself is only sampled at garbage collections, so it cannot be read per run), and the
 * JVM's direct + mapped buffer memory the runner holds once opened. ONNX Runtime's own native
 * allocations are invisible to the JVM and are reported as not measured.
 */
final class ModelBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** One model's figures; times in milliseconds, throughput in samples per second of wall time. */
    record Row(String model, String engine, long fileBytes, int batch, int warmup, int runs, double p50Ms, double p90Ms, double p99Ms, double minMs,
               double cpuP50Ms, double throughput, long heapAllocatedBytes, Long nativeBytes) {}

    /** What to run: a label, the model (kept open by the caller) and its file size. */
    record Subject(String label, Model model, long fileBytes) {}

    private ModelBench() {}

    static List<Row> run(List<Subject> subjects, Engine engine, Map<String, Tensor> feeds, int batch, int warmup, int runs) throws Exception {
        if (runs < 1) throw new IllegalArgumentException("runs must be at least 1");
        boolean cpu = THREADS.isCurrentThreadCpuTimeSupported();
        if (cpu && !THREADS.isThreadCpuTimeEnabled()) THREADS.setThreadCpuTimeEnabled(true);
        int n = subjects.size();
        List<Engine.Runner> runners = new ArrayList<>();
        long[] nativeBytes = new long[n];
        try {
            for (Subject s : subjects) {
                long before = jvmNativeBytes();
                runners.add(engine.open(s.model()));
                nativeBytes[runners.size() - 1] = jvmNativeBytes() - before;
            }
            try (Progress p = Progress.start("timing " + n + " model" + (n > 1 ? "s" : "") + " on " + engine.name(), (long) (warmup + runs) * n)) {
                long done = 0;
                for (int r = 0; r < warmup; r++) for (Engine.Runner x : runners) { x.run(feeds); p.update(++done); }
                long[][] wall = new long[n][runs], cpuNs = new long[n][runs];
                for (int r = 0; r < runs; r++) {
                    for (int j = 0; j < n; j++) {
                        int i = (r + j) % n;
                        long c0 = cpu ? THREADS.getCurrentThreadCpuTime() : 0, t0 = System.nanoTime();
                        runners.get(i).run(feeds);
                        long t1 = System.nanoTime(), c1 = cpu ? THREADS.getCurrentThreadCpuTime() : 0;
                        wall[i][r] = t1 - t0;
                        cpuNs[i][r] = c1 - c0;
                        p.update(++done);
                    }
                }
                List<Row> rows = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    Subject s = subjects.get(i);
                    double[] w = sortedMillis(wall[i]), c = sortedMillis(cpuNs[i]);
                    double p50 = quantile(w, 0.5);
                    rows.add(new Row(s.label(), engine.name(), s.fileBytes(), batch, warmup, runs, p50, quantile(w, 0.9), quantile(w, 0.99), w[0],
                            cpu ? quantile(c, 0.5) : Double.NaN, batch * 1000.0 / p50, heapAllocated(runners.get(i), feeds),
                            engine.name().equals("quant4j") ? nativeBytes[i] : null));
                }
                return rows;
            }
        } finally {
            for (Engine.Runner r : runners) r.close();
        }
    }

    /** Heap bytes one run allocates on this thread, or -1 where the JVM does not count them. */
    private static long heapAllocated(Engine.Runner r, Map<String, Tensor> feeds) {
        if (!(THREADS instanceof com.sun.management.ThreadMXBean t) || !t.isThreadAllocatedMemorySupported()) return -1;
        if (!t.isThreadAllocatedMemoryEnabled()) t.setThreadAllocatedMemoryEnabled(true);
        long before = t.getCurrentThreadAllocatedBytes();
        r.run(feeds);
        return t.getCurrentThreadAllocatedBytes() - before;
    }

    private static long jvmNativeBytes() {
        long sum = 0;
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) sum += Math.max(0, b.getMemoryUsed());
        return sum;
    }

    private static double[] sortedMillis(long[] ns) {
        double[] d = new double[ns.length];
        for (int i = 0; i < d.length; i++) d[i] = ns[i] / 1e6;
        Arrays.sort(d);
        return d;
    }

    /** Linear interpolation between order statistics (type 7). */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos), hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /** Process peak resident memory (Linux VmHWM), or -1 where not available: the whole run, all models together. */
    static long processPeakRss() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")))
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
