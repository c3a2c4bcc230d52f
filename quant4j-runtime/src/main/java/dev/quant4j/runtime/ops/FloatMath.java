package dev.quant4j.runtime.ops;

/**
 * The float loops that dominate Softmax and the smooth activations: exp, tanh and sigmoid over
 * arrays. {@link #get()} is the Vector API implementation (the JDK's short-vector math routines,
 * within a few ulp of the correctly rounded result) when the incubator module is present, else
 * {@link Scalar}, which is also the test oracle.
 */
interface FloatMath {

    /** y[i] = exp(x[xo + i] − shift) for i &lt; n; returns Σ y[i] (accumulated in float lanes, then double). */
    double expShifted(float[] x, int xo, float shift, float[] y, int yo, int n);

    /** max of x[xo .. xo + n), −∞ when n = 0. */
    float max(float[] x, int xo, int n);

    void tanh(float[] x, float[] y, int n);

    void sigmoid(float[] x, float[] y, int n);

    static FloatMath get() { return Holder.INSTANCE; }

    final class Holder {
        private Holder() {}

        static final FloatMath INSTANCE = choose();

        private static FloatMath choose() {
            try {
                if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) return new VectorFloatMath();
            } catch (LinkageError e) {
                // no Vector API at run time: the scalar loops serve
            }
            return new Scalar();
        }
    }

    /** The reference: each element through Math in double, rounded once to float. */
    final class Scalar implements FloatMath {
        @Override
        public double expShifted(float[] x, int xo, float shift, float[] y, int yo, int n) {
            double sum = 0;
            for (int i = 0; i < n; i++) { y[yo + i] = (float) Math.exp(x[xo + i] - shift); sum += y[yo + i]; }
            return sum;
        }

        @Override
        public float max(float[] x, int xo, int n) {
            float m = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) m = Math.max(m, x[xo + i]);
            return m;
        }

        @Override
        public void tanh(float[] x, float[] y, int n) {
            for (int i = 0; i < n; i++) y[i] = (float) Math.tanh(x[i]);
        }

        @Override
        public void sigmoid(float[] x, float[] y, int n) {
            for (int i = 0; i < n; i++) y[i] = ElementwiseOps.sigmoid(x[i]);
        }
    }
}
