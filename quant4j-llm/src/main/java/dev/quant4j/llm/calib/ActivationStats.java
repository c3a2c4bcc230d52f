package dev.quant4j.llm.calib;

/**
 * Statistics of the input vectors x (length cols) of one linear layer over calibration tokens:
 * Σ x_j², Σ |x_j| per column and optionally the Hessian proxy Σ x·xᵀ that GPTQ needs. All are sums,
 * so parts computed on different batches {@link #merge} exactly; memory is independent of the
 * number of tokens.
 */
public final class ActivationStats {
    private final int cols;
    private final double[] sumSq, sumAbs;
    private final double[] xxt; // cols × cols, row-major, or null
    private long count;

    public ActivationStats(int cols, boolean hessian) {
        if (cols <= 0) throw new IllegalArgumentException("cols = " + cols);
        this.cols = cols;
        sumSq = new double[cols];
        sumAbs = new double[cols];
        xxt = hessian ? new double[Math.multiplyExact(cols, cols)] : null;
    }

    public int cols() { return cols; }
    public long count() { return count; }
    public boolean hasHessian() { return xxt != null; }

    public void add(float[] x, int off, int len) {
        if (len != cols) throw new IllegalArgumentException("input of length " + len + " for statistics of " + cols + " columns");
        for (int j = 0; j < cols; j++) {
            double v = x[off + j];
            sumSq[j] += v * v;
            sumAbs[j] += Math.abs(v);
        }
        if (xxt != null)
            for (int i = 0; i < cols; i++) {
                double xi = x[off + i];
                if (xi == 0) continue;
                int row = i * cols;
                for (int j = i; j < cols; j++) xxt[row + j] += xi * x[off + j]; // upper triangle; mirrored on read
            }
        count++;
    }

    /** Adds {@code other}'s samples to this one. */
    public void merge(ActivationStats other) {
        if (other.cols != cols || other.hasHessian() != hasHessian())
            throw new IllegalArgumentException("cannot merge statistics of different shapes");
        for (int j = 0; j < cols; j++) { sumSq[j] += other.sumSq[j]; sumAbs[j] += other.sumAbs[j]; }
        if (xxt != null) for (int i = 0; i < xxt.length; i++) xxt[i] += other.xxt[i];
        count += other.count;
    }

    /** Mean x_j² per column: the importance of each column's weights for weighted rounding. */
    public float[] meanSquare() {
        float[] m = new float[cols];
        for (int j = 0; j < cols; j++) m[j] = (float) (sumSq[j] / Math.max(1, count));
        return m;
    }

    /** Mean |x_j| per column (AWQ's activation scale). */
    public double[] meanAbs() {
        double[] m = new double[cols];
        for (int j = 0; j < cols; j++) m[j] = sumAbs[j] / Math.max(1, count);
        return m;
    }

    /** H = (1/n) Σ x·xᵀ, full symmetric cols × cols, row-major (a fresh array). */
    public double[] hessian() {
        if (xxt == null) throw new IllegalStateException("these statistics were gathered without the Hessian");
        double[] h = new double[xxt.length];
        double inv = 1.0 / Math.max(1, count);
        for (int i = 0; i < cols; i++)
            for (int j = i; j < cols; j++) h[i * cols + j] = h[j * cols + i] = xxt[i * cols + j] * inv;
        return h;
    }
}
