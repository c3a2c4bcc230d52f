package dev.quant4j.quantize.optimize;

/**
 * The second moment H = (1/n) Σ x·xᵀ of the input rows x (length k) of one linear layer, the
 * Hessian of its squared output error that GPTQ needs. Kept as a sum of the upper triangle and a
 * row count, so parts gathered on different batches {@link #merge} exactly (design note 3) and
 * memory is k² doubles whatever the number of rows.
 */
public final class InputHessian {
    private final int k;
    private final double[] upper; // k × k row-major, j >= i filled
    private long rows;

    public InputHessian(int k) {
        if (k <= 0 || k > 16384) throw new IllegalArgumentException("input width " + k + " outside 1..16384");
        this.k = k;
        this.upper = new double[k * k];
    }

    public int k() { return k; }

    public long rows() { return rows; }

    /** Adds the rows of {@code x} (row-major, {@code x.length / k} rows) whose {@code mask} entry is true (null: every row). */
    public void add(float[] x, boolean[] mask) {
        if (x.length % k != 0) throw new IllegalArgumentException(x.length + " values are not rows of " + k);
        int n = x.length / k;
        if (mask != null && mask.length != n) throw new IllegalArgumentException("mask has " + mask.length + " entries for " + n + " rows");
        double[] row = new double[k];
        for (int r = 0; r < n; r++) {
            if (mask != null && !mask[r]) continue;
            for (int j = 0; j < k; j++) row[j] = x[r * k + j];
            for (int i = 0; i < k; i++) {
                double xi = row[i];
                if (xi == 0) continue;
                int base = i * k;
                for (int j = i; j < k; j++) upper[base + j] += xi * row[j];
            }
            rows++;
        }
    }

    public void merge(InputHessian other) {
        if (other.k != k) throw new IllegalArgumentException("cannot merge Hessians of width " + other.k + " and " + k);
        for (int i = 0; i < upper.length; i++) upper[i] += other.upper[i];
        rows += other.rows;
    }

    /** H, full symmetric k × k row-major (a fresh array). */
    public double[] matrix() {
        if (rows == 0) throw new IllegalStateException("no input rows were observed");
        double[] h = new double[k * k];
        double inv = 1.0 / rows;
        for (int i = 0; i < k; i++) for (int j = i; j < k; j++) h[i * k + j] = h[j * k + i] = upper[i * k + j] * inv;
        return h;
    }
}
