package dev.quant4j.tune.auto;

import java.util.Arrays;

/**
 * Repeated runs of one piece of work: median and spread (10th and 90th percentile) of wall time and
 * of the calling thread's CPU time, in milliseconds. On a shared machine the CPU time is the steadier
 * figure for single-threaded work (other processes stretch wall time, not the thread's own CPU time);
 * for work spread over other threads it undercounts, so both are kept.
 */
public record Latency(int runs, double medianWallMs, double p10WallMs, double p90WallMs,
                      double medianCpuMs, double p10CpuMs, double p90CpuMs) {

    /** From per-run nanoseconds; {@code cpuNanos} entries are negative when thread CPU time is unavailable. */
    public static Latency of(long[] wallNanos, long[] cpuNanos) {
        if (wallNanos.length == 0 || wallNanos.length != cpuNanos.length)
            throw new IllegalArgumentException("need as many CPU as wall times, at least one: " + wallNanos.length + " / " + cpuNanos.length);
        double[] w = millis(wallNanos), c = millis(cpuNanos);
        boolean cpu = Arrays.stream(cpuNanos).allMatch(v -> v >= 0);
        return new Latency(w.length, quantile(w, 0.5), quantile(w, 0.1), quantile(w, 0.9),
                cpu ? quantile(c, 0.5) : Double.NaN, cpu ? quantile(c, 0.1) : Double.NaN, cpu ? quantile(c, 0.9) : Double.NaN);
    }

    /** The figure to compare: thread CPU time when it was measured, else wall time. */
    public double medianMs() { return Double.isNaN(medianCpuMs) ? medianWallMs : medianCpuMs; }

    public boolean hasCpuTime() { return !Double.isNaN(medianCpuMs); }

    private static double[] millis(long[] nanos) {
        double[] d = new double[nanos.length];
        for (int i = 0; i < d.length; i++) d[i] = nanos[i] / 1e6;
        Arrays.sort(d);
        return d;
    }

    /** Linear interpolation between order statistics of sorted {@code v}. */
    static double quantile(double[] v, double q) {
        double pos = q * (v.length - 1);
        int lo = (int) Math.floor(pos), hi = (int) Math.ceil(pos);
        return v[lo] + (v[hi] - v[lo]) * (pos - lo);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "wall %.3f ms [%.3f, %.3f], cpu %.3f ms [%.3f, %.3f] (%d runs)",
                medianWallMs, p10WallMs, p90WallMs, medianCpuMs, p10CpuMs, p90CpuMs, runs);
    }
}
