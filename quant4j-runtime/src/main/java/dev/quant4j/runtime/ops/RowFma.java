package dev.quant4j.runtime.ops;

/**
 * The inner loops of {@link DepthwiseConv}: an output row segment accumulates one or three weighted
 * input rows. The Vector API form is the default; the scalar form is the reference
 * ({@code -Dquant4j.rowFma=scalar}).
 *
 * <pre>
 *   tap1:  y[yo + o] += w0·s[p0 + o]                               for o in [lo, hi)
 *   tap3:  y[yo + o] += w0·s[p0 + o] + w1·s[p1 + o] + w2·s[p2 + o]
 * </pre>
 */
interface RowFma {
    void tap1(float[] y, int yo, float[] s, int p0, float w0, int lo, int hi);

    void tap3(float[] y, int yo, float[] s, int p0, int p1, int p2, float w0, float w1, float w2, int lo, int hi);

    RowFma PREFERRED = "scalar".equals(System.getProperty("quant4j.rowFma")) ? new Scalar() : new VectorRowFma();

    final class Scalar implements RowFma {
        @Override
        public void tap1(float[] y, int yo, float[] s, int p0, float w0, int lo, int hi) {
            for (int o = lo; o < hi; o++) y[yo + o] += w0 * s[p0 + o];
        }

        @Override
        public void tap3(float[] y, int yo, float[] s, int p0, int p1, int p2, float w0, float w1, float w2, int lo, int hi) {
            for (int o = lo; o < hi; o++) y[yo + o] += w0 * s[p0 + o] + w1 * s[p1 + o] + w2 * s[p2 + o];
        }
    }
}
