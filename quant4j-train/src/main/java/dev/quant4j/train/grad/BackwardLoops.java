package dev.quant4j.train.grad;

/**
 * The element loops of the non-GEMM backward rules that dominate a CNN's backward after the
 * GEMMs (Relu and training-mode BatchNormalization), over one contiguous span each. The scalar
 * implementation is the reference; the Vector API one ({@link VectorBackwardLoops}) is used when
 * the incubator module is present, unless {@code -Dquant4j.train.scalarLoops=true}.
 * Sums are returned in double; the vector version adds float lanes within a span (spans are a
 * feature map's plane, hundreds of values), then adds the lanes in double.
 */
interface BackwardLoops {
    /** dx[i] = x[i] > 0 ? dy[i] : 0 for i in [0, n). */
    void reluBackward(float[] x, float[] dy, float[] dx, int n);

    /** Σ a[off..off+len). */
    double sum(float[] a, int off, int len);

    /** Σ (a − mu)² over the span. */
    double sumSquaredDeviation(float[] a, int off, int len, float mu);

    /** Σ dy·(x − mu) over the span. */
    double dotDeviation(float[] dy, float[] x, int off, int len, float mu);

    /** dx = p·dy + q·(x − mu) + r over the span. */
    void affine(float[] dy, float[] x, float[] dx, int off, int len, float p, float q, float mu, float r);

    /** dst[dstOff + i] += src[srcOff + i] for i in [0, len) (col2im's rows at stride 1). */
    void addInto(float[] src, int srcOff, float[] dst, int dstOff, int len);

    BackwardLoops SCALAR = new Scalar();

    static BackwardLoops best() { return Holder.BEST; }

    final class Holder {
        private Holder() {}

        static final BackwardLoops BEST = choose();

        private static BackwardLoops choose() {
            if (Boolean.getBoolean("quant4j.train.scalarLoops") || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) return SCALAR;
            return new VectorBackwardLoops();
        }
    }

    final class Scalar implements BackwardLoops {
        @Override public void reluBackward(float[] x, float[] dy, float[] dx, int n) {
            for (int i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : 0f;
        }

        @Override public double sum(float[] a, int off, int len) {
            double s = 0;
            for (int i = off; i < off + len; i++) s += a[i];
            return s;
        }

        @Override public double sumSquaredDeviation(float[] a, int off, int len, float mu) {
            double s = 0;
            for (int i = off; i < off + len; i++) { double d = a[i] - mu; s += d * d; }
            return s;
        }

        @Override public double dotDeviation(float[] dy, float[] x, int off, int len, float mu) {
            double s = 0;
            for (int i = off; i < off + len; i++) s += dy[i] * (double) (x[i] - mu);
            return s;
        }

        @Override public void affine(float[] dy, float[] x, float[] dx, int off, int len, float p, float q, float mu, float r) {
            for (int i = off; i < off + len; i++) dx[i] = p * dy[i] + q * (x[i] - mu) + r;
        }

        @Override public void addInto(float[] src, int srcOff, float[] dst, int dstOff, int len) {
            for (int i = 0; i < len; i++) dst[dstOff + i] += src[srcOff + i];
        }
    }
}
