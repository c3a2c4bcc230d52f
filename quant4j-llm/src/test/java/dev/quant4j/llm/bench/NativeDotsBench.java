package dev.quant4j.llm.bench;

import dev.quant4j.llm.quant.GgmlType;
import dev.quant4j.llm.quant.WeightMatrix;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * {@link WeightMatrix#matvecQuantizedInput} (what decode runs) with the native dots and with the
 * Vector API dots, alternating call by call in one JVM ({@code quant4j.llm.native} is read per
 * call), on one thread: medians of thread CPU time and wall time per call, the weight bytes
 * streamed per second, and the read bandwidth {@link Bandwidth} measures in the same run.
 * <pre>NativeDotsBench TYPES(Q4_0,Q8_0,Q4_K) SHAPES(32000x2048,5632x2048) CALLS</pre>
 * Not a test: a measurement on the test class path.
 */
public final class NativeDotsBench {
    private NativeDotsBench() {}

    public static void main(String[] a) throws Exception {
        List<GgmlType> types = Arrays.stream(a[0].split(",")).map(GgmlType::byName).toList();
        String[] shapes = a[1].split(",");
        int calls = Integer.parseInt(a[2]);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double bw = Bandwidth.measure(1L << 29, 1, 3);
        System.out.printf("read bandwidth, 1 thread, same run: %.1f GB/s%n", bw / 1e9);
        System.out.println("| type | rows×cols | MB | native ms (CPU) | Java ms (CPU) | Java/native (CPU) | native ms (wall) | Java ms (wall) "
                + "| native GB/s (CPU) | Java GB/s (CPU) | native / read bw (CPU) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        Random r = new Random(1);
        for (String shape : shapes) {
            int rows = Integer.parseInt(shape.split("x")[0]), cols = Integer.parseInt(shape.split("x")[1]);
            float[] w = new float[rows * cols], x = new float[cols], y = new float[rows];
            for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
            for (int i = 0; i < cols; i++) x[i] = (float) r.nextGaussian();
            for (GgmlType t : types) {
                WeightMatrix m = WeightMatrix.quantize(t, rows, cols, w, null);
                long[][] cpu = new long[2][calls], wall = new long[2][calls];
                for (int i = -calls / 4; i < calls; i++) { // the first quarter warms up both paths
                    for (int path = 0; path < 2; path++) {
                        System.setProperty("quant4j.llm.native", path == 0 ? "true" : "false");
                        long c0 = mx.getCurrentThreadCpuTime(), t0 = System.nanoTime();
                        m.matvecQuantizedInput(x, 0, y, 0, 1);
                        long dw = System.nanoTime() - t0, dc = mx.getCurrentThreadCpuTime() - c0;
                        if (i >= 0) { cpu[path][i] = dc; wall[path][i] = dw; }
                    }
                }
                double nc = median(cpu[0]), jc = median(cpu[1]), nw = median(wall[0]), jw = median(wall[1]);
                double bytes = m.byteSize();
                System.out.printf("| %s | %dx%d | %.1f | %.2f | %.2f | %.2f× | %.2f | %.2f | %.1f | %.1f | %.0f%% |%n", t, rows, cols, bytes / 1e6,
                        nc / 1e6, jc / 1e6, jc / nc, nw / 1e6, jw / 1e6, bytes / nc, bytes / jc, 100 * bytes / nc / (bw / 1e9));
            }
        }
        System.clearProperty("quant4j.llm.native");
    }

    private static double median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }
}
