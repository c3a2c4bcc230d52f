package dev.quant4j.llm.bench;

import dev.quant4j.llm.quant.GgmlType;
import dev.quant4j.llm.quant.WeightMatrix;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import jdk.incubator.vector.FloatVector;

/**
 * Times {@link WeightMatrix#matvec} on a rows × cols matrix for several GGML types side by side in
 * one JVM: the types are run round-robin, so machine noise hits all of them alike, and each
 * figure is the median of many calls (with the 10th-90th percentile spread). Bytes/s counts the
 * weight bytes streamed per call. A plain read of a large buffer, measured in the same run, gives
 * the memory bandwidth the figures can be compared with.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -cp quant4j-llm/target/classes:... dev.quant4j.llm.bench.MatvecBench
 *      [--rows 4096] [--cols 4096] [--threads 1,2] [--rounds 60] [--types F32,F16,Q8_0,Q4_0,Q4_K,Q6_K] [--scalar] [--q8]
 * </pre>
 * {@code --scalar} adds the scalar reference kernels of the quantized types as extra rows; {@code --q8} times
 * {@link WeightMatrix#matvecQuantizedInput} (8-bit activations, what decode runs) instead of the fp32-activation matvec.
 */
public final class MatvecBench {
    private MatvecBench() {}

    record Case(String label, WeightMatrix m, int threads) {}

    public static void main(String[] args) throws Exception {
        int rows = 4096, cols = 4096, rounds = 60;
        int[] threads = {1, 2};
        List<GgmlType> types = List.of(GgmlType.F32, GgmlType.F16, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_K, GgmlType.Q6_K);
        boolean scalar = false, q8 = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Integer.parseInt(args[++i]);
                case "--cols" -> cols = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--types" -> types = Arrays.stream(args[++i].split(",")).map(GgmlType::byName).toList();
                case "--scalar" -> scalar = true;
                case "--q8" -> q8 = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.printf("matvec %d x %d, %s activations, %d rounds, float species %s, %d processors%n",
                rows, cols, q8 ? "8-bit" : "fp32", rounds, FloatVector.SPECIES_PREFERRED, Runtime.getRuntime().availableProcessors());
        Random r = new Random(1);
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextGaussian() * 0.02);
        float[] x = new float[cols];
        for (int i = 0; i < cols; i++) x[i] = (float) r.nextGaussian();

        List<Case> cases = new ArrayList<>();
        for (GgmlType t : types) {
            WeightMatrix m = WeightMatrix.quantize(t, rows, cols, w, null);
            for (int th : threads) cases.add(new Case(t + " vector", m, th));
            if (scalar && t != GgmlType.F32) {
                System.setProperty("quant4j.llm.scalar", "true");
                WeightMatrix s = new WeightMatrix(t, rows, cols, m.data());
                System.clearProperty("quant4j.llm.scalar");
                cases.add(new Case(t + " scalar", s, 1));
            }
        }
        float[] y = new float[rows];
        // warm-up: every kernel reaches its compiled form before anything is timed
        for (Case c : cases) for (long end = System.nanoTime() + 1_500_000_000L; System.nanoTime() < end; ) product(c, x, y, q8);

        // CPU time of this thread next to wall time: on a shared machine the wall clock also counts
        // waiting for a core; for one-thread cases CPU time is the steadier figure.
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[][] ns = new long[cases.size()][rounds], cpu = new long[cases.size()][rounds];
        for (int k = 0; k < rounds; k++) {
            for (int c = 0; c < cases.size(); c++) {
                Case cs = cases.get(c);
                long c0 = mx.getCurrentThreadCpuTime(), t0 = System.nanoTime();
                product(cs, x, y, q8);
                ns[c][k] = System.nanoTime() - t0;
                cpu[c][k] = mx.getCurrentThreadCpuTime() - c0;
            }
        }
        double[] bw = new double[threads.length];
        for (int i = 0; i < threads.length; i++) bw[i] = Bandwidth.measure(512L << 20, threads[i], 8) / 1e9;

        System.out.printf("%-12s %7s %10s %10s %18s %9s %8s %12s %18s %11s%n", "type", "threads", "MB", "median ms", "p10-p90 ms", "GB/s", "vs F32",
                "cpu med ms", "cpu min-max ms", "cpu vs F32");
        double f32ms[] = new double[threads.length + 1];
        double f32cpu = 0;
        for (int c = 0; c < cases.size(); c++) {
            Case cs = cases.get(c);
            long[] s = ns[c].clone();
            Arrays.sort(s);
            double med = s[rounds / 2] / 1e6, p10 = s[rounds / 10] / 1e6, p90 = s[rounds * 9 / 10] / 1e6;
            int ti = indexOf(threads, cs.threads);
            if (cs.label.equals("F32 vector")) f32ms[ti] = med;
            double gbs = cs.m.byteSize() / (med / 1e3) / 1e9;
            System.out.printf("%-12s %7d %10.1f %10.3f %8.3f-%-9.3f %9.1f %7.2fx", cs.label, cs.threads, cs.m.byteSize() / 1e6, med, p10, p90, gbs,
                    f32ms[ti] > 0 ? f32ms[ti] / med : Double.NaN);
            if (cs.threads == 1) { // other threads' CPU time is not counted, so only one-thread rows have it
                long[] u = cpu[c].clone();
                Arrays.sort(u);
                double cmed = u[rounds / 2] / 1e6;
                if (cs.label.equals("F32 vector")) f32cpu = cmed;
                System.out.printf(" %12.3f %8.3f-%-9.3f %10.2fx", cmed, u[0] / 1e6, u[rounds - 1] / 1e6, f32cpu > 0 ? f32cpu / cmed : Double.NaN);
            }
            System.out.println();
        }
        for (int i = 0; i < threads.length; i++)
            System.out.printf("memory read bandwidth (512 MB buffer, %d thread%s, best of 8): %.1f GB/s%n", threads[i], threads[i] == 1 ? "" : "s", bw[i]);
    }

    private static void product(Case c, float[] x, float[] y, boolean q8) {
        if (q8) c.m.matvecQuantizedInput(x, 0, y, 0, c.threads);
        else c.m.matvec(x, y, c.threads);
    }

    static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) if (a[i] == v) return i;
        return a.length;
    }
}
