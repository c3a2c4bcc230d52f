package dev.quant4j.quantize.optimize;

import dev.quant4j.core.DataType;
import dev.quant4j.core.quant.ParamsFromRange;
import dev.quant4j.core.quant.QuantSpec;
import dev.quant4j.core.quant.Quantizer;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.quantize.ConstantWeights;
import dev.quant4j.quantize.Precision;
import dev.quant4j.quantize.QuantizationReport;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bias correction (Nagel et al., 2019), written from the paper: quantizing W to W̃ = W + ε shifts
 * the expected output of a layer by ε·E[x]; subtracting that from the bias removes the shift.
 *
 * <pre>
 *   Conv:  b'[o] = b[o] − Σ_{l,kernel} ε[o][l][kernel] · E[x_c(o,l)]      (E over batch and space)
 *   Gemm:  b'[n] = b[n] − Σ_k ε[k][n] · E[x_k]
 * </pre>
 *
 * E[x] per input channel comes from calibration batches run through the float model. ε is the
 * error of the same weight grid the static QDQ pass then writes (symmetric narrow INT8, per channel
 * of the output axis or per tensor, optionally 7-bit), so the corrected float bias is what that
 * pass quantizes. Border effects of zero padding are ignored (E[x] is the interior mean).
 */
public final class BiasCorrection {
    private BiasCorrection() {}

    /** Per-channel means (axis 1) of the first input of every Conv and Gemm with constant weights, on the float model. */
    public static Map<String, double[]> inputMeans(Model model, Iterable<Map<String, Tensor>> batches) {
        Graph g = model.graph();
        Map<String, double[]> sums = new LinkedHashMap<>();
        Map<String, long[]> counts = new LinkedHashMap<>();
        for (Node n : g.nodes()) if (isTarget(g, n)) { sums.put(n.input(0), null); counts.put(n.input(0), new long[1]); }
        try (LayerInputs in = new LayerInputs(model, sums.keySet(), null)) {
            for (Map<String, Tensor> feeds : batches) in.observe(feeds, (v, t, mask) -> {
                if (t.rank() < 2) return;
                int c = (int) t.dim(1), inner = (int) (t.elementCount() / (t.dim(0) * c));
                double[] s = sums.computeIfAbsent(v, x -> new double[c]);
                if (s == null || s.length != c) { s = new double[c]; sums.put(v, s); }
                float[] x = t.floats();
                for (int i = 0; i < x.length; i++) s[(i / inner) % c] += x[i];
                counts.get(v)[0] += t.dim(0) * inner;
            });
        }
        Map<String, double[]> means = new LinkedHashMap<>();
        sums.forEach((v, s) -> {
            if (s == null) return;
            double[] m = s.clone();
            for (int i = 0; i < m.length; i++) m[i] /= counts.get(v)[0];
            means.put(v, m);
        });
        return means;
    }

    private static boolean isTarget(Graph g, Node n) {
        if (!n.isOnnxDomain() || ConstantWeights.floatConstant(g, n.input(1)) == null) return false;
        if (n.hasInput(2) && ConstantWeights.floatConstant(g, n.input(2)) == null) return false;
        if (n.opType().equals("Conv")) return true;
        return n.opType().equals("Gemm") && n.attributes().getInt("transA", 0) == 0
                && n.attributes().getFloat("alpha", 1f) == 1f && n.attributes().getFloat("beta", 1f) == 1f;
    }

    /**
     * Corrects, in place, the bias of every Conv and Gemm whose input mean is known, for weights
     * quantized to symmetric narrow INT8 per output channel ({@code perChannel}) or per tensor.
     */
    public static QuantizationReport apply(Model model, Map<String, double[]> inputMeans, boolean perChannel, boolean reducedRange) {
        Graph g = model.graph();
        QuantizationReport report = new QuantizationReport("bias correction");
        QuantSpec spec = QuantSpec.symmetric(DataType.INT8).withNarrowRange();
        if (reducedRange) spec = spec.withReducedRange();
        for (Node n : g.nodes()) {
            if (!isTarget(g, n) || !inputMeans.containsKey(n.input(0))) continue;
            double[] mean = inputMeans.get(n.input(0));
            Tensor wt = ConstantWeights.floatConstant(g, n.input(1));
            boolean conv = n.opType().equals("Conv"), transB = !conv && n.attributes().getInt("transB", 0) != 0;
            int outAxis = conv || transB ? 0 : 1;
            int cout = Math.toIntExact(wt.dim(outAxis));
            float[] w = wt.floats();
            float[] err = quantizationError(w, wt.shape(), outAxis, perChannel, spec);
            double[] shift = new double[cout];
            if (conv) {
                ConvWeights cw = new ConvWeights(err, cout, (int) wt.dim(1), (int) (wt.elementCount() / (cout * wt.dim(1))), (int) n.attributes().getInt("group", 1));
                if (cw.cin() != mean.length) continue;
                for (int o = 0; o < cout; o++)
                    for (int l = 0; l < cw.cinPerGroup(); l++) {
                        double m = mean[cw.inputChannel(o, l)];
                        for (int i = cw.at(o, l), e = i + cw.kernel(); i < e; i++) shift[o] += err[i] * m;
                    }
            } else {
                int k = (int) wt.dim(1 - outAxis);
                if (k != mean.length) continue;
                for (int o = 0; o < cout; o++) for (int kk = 0; kk < k; kk++) shift[o] += err[transB ? o * k + kk : kk * cout + o] * mean[kk];
            }
            float[] b = n.hasInput(2) ? ConstantWeights.floatConstant(g, n.input(2)).floats() : new float[cout];
            double largest = 0;
            for (int o = 0; o < cout; o++) { b[o] -= (float) shift[o]; largest = Math.max(largest, Math.abs(shift[o])); }
            if (n.hasInput(2)) Constants.replace(g, n, 2, Tensor.of(b, cout));
            else n.addInput(ConstantWeights.addInitializer(g, (n.name().isEmpty() ? n.output(0) : n.name()) + "_corrected_bias", Tensor.of(b, cout)));
            report.quantized(n.name(), n.opType(), Precision.INT8_STATIC, String.format("bias corrected; largest |shift| %.3g", largest));
        }
        report.recordIn(model);
        return report;
    }

    /** Q(W) − W for the grid the static pass uses. */
    static float[] quantizationError(float[] w, long[] shape, int axis, boolean perChannel, QuantSpec spec) {
        int c = (int) shape[axis];
        long inner = 1;
        for (int i = axis + 1; i < shape.length; i++) inner *= shape[i];
        float[] absmax = new float[perChannel ? c : 1];
        for (int i = 0; i < w.length; i++) {
            int ch = perChannel ? (int) ((i / inner) % c) : 0;
            absmax[ch] = Math.max(absmax[ch], Math.abs(w[i]));
        }
        float[] err = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            var p = ParamsFromRange.choose(spec, -absmax[perChannel ? (int) ((i / inner) % c) : 0], absmax[perChannel ? (int) ((i / inner) % c) : 0]);
            err[i] = Quantizer.dequantize(Quantizer.quantize(w[i], p.scale(), p.zeroPoint(), spec.qmin(), spec.qmax()), p.scale(), p.zeroPoint()) - w[i];
        }
        return err;
    }
}
