package dev.quant4j.quantize.optimize;

import dev.quant4j.graph.Tensor;

/**
 * Index arithmetic of a Conv weight W[Cout][Cin/G][kernel...] with G groups: which weights connect
 * output channel o, and which output channels read input channel c.
 *
 * <pre>
 *   group of output o: g = o / (Cout/G)      input channel of W[o][l]: c = g·(Cin/G) + l
 * </pre>
 */
record ConvWeights(float[] w, int cout, int cinPerGroup, int kernel, int groups) {

    static ConvWeights of(Tensor t, long groups) {
        if (t.rank() < 3) throw new IllegalArgumentException("Conv weight of rank " + t.rank());
        int cout = Math.toIntExact(t.dim(0)), cpg = Math.toIntExact(t.dim(1));
        int kernel = Math.toIntExact(t.elementCount() / ((long) cout * cpg));
        if (groups < 1 || cout % groups != 0) throw new IllegalArgumentException("Conv with " + cout + " outputs in " + groups + " groups");
        return new ConvWeights(t.floats(), cout, cpg, kernel, (int) groups);
    }

    int cin() { return cinPerGroup * groups; }

    int coutPerGroup() { return cout / groups; }

    /** Offset of W[o][l][0]. */
    int at(int o, int l) { return (o * cinPerGroup + l) * kernel; }

    /** The input channel W[o][l] reads. */
    int inputChannel(int o, int l) { return o / coutPerGroup() * cinPerGroup + l; }

    float absMaxOfOutput(int o) {
        float m = 0;
        for (int i = o * cinPerGroup * kernel, e = i + cinPerGroup * kernel; i < e; i++) m = Math.max(m, Math.abs(w[i]));
        return m;
    }

    /** max |W| over every weight that reads input channel c. */
    float absMaxOfInput(int c) {
        int g = c / cinPerGroup, l = c % cinPerGroup, m0 = g * coutPerGroup();
        float m = 0;
        for (int o = m0; o < m0 + coutPerGroup(); o++) for (int i = at(o, l), e = i + kernel; i < e; i++) m = Math.max(m, Math.abs(w[i]));
        return m;
    }

    void scaleOutput(int o, float s) { for (int i = o * cinPerGroup * kernel, e = i + cinPerGroup * kernel; i < e; i++) w[i] *= s; }

    void scaleInput(int c, float s) {
        int g = c / cinPerGroup, l = c % cinPerGroup, m0 = g * coutPerGroup();
        for (int o = m0; o < m0 + coutPerGroup(); o++) for (int i = at(o, l), e = i + kernel; i < e; i++) w[i] *= s;
    }
}
