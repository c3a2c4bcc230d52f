package dev.quant4j.quantize.optimize;

import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.quantize.Precision;
import dev.quant4j.quantize.QuantizationReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Cross-layer equalization (Nagel et al., 2019, "Data-Free Quantization Through Weight Equalization
 * and Bias Correction"), written from the paper. For two Convs A → B where B reads A's output
 * channels through nothing but positively homogeneous per-channel ops (Relu, MaxPool: f(x/s) = f(x)/s
 * for s > 0) or directly (depthwise → pointwise):
 *
 * <pre>
 *   r_A[c] = max|W_A[c,...]|   r_B[c] = max|W_B[:, c, ...]|   s_c = sqrt(r_A[c] / r_B[c])
 *   W_A[c] /= s_c, b_A[c] /= s_c          W_B[:, c] *= s_c          (exact in real arithmetic)
 * </pre>
 *
 * after which both channel ranges are sqrt(r_A·r_B): the channels of a per-tensor weight grid are
 * evenly used. Pairs are equalized in graph order, and the whole pass is repeated, since a Conv
 * can be the B of one pair and the A of the next. Every intermediate value must be read only by the
 * next node of the chain (a residual branch would see the rescaled channels), and A must not be a
 * graph output.
 */
public final class CrossLayerEqualization {
    private static final Set<String> HOMOGENEOUS = Set.of("Relu", "MaxPool");

    private CrossLayerEqualization() {}

    record Pair(Node a, Node b) {}

    /** The equalizable pairs of {@code g}, in graph order. */
    static List<Pair> pairs(Graph g) {
        List<Pair> out = new ArrayList<>();
        for (Node b : g.nodes()) {
            if (!isConv(g, b)) continue;
            String v = b.input(0);
            while (true) {
                if (g.isGraphOutput(v) || g.consumers(v).size() != 1) break;
                Node p = g.producer(v);
                if (p == null || !p.isOnnxDomain()) break;
                if (isConv(g, p)) { out.add(new Pair(p, b)); break; }
                if (!HOMOGENEOUS.contains(p.opType()) || p.outputs().size() != 1) break;
                v = p.input(0);
            }
        }
        return out;
    }

    private static boolean isConv(Graph g, Node n) {
        return n.isOnnxDomain() && n.opType().equals("Conv") && Constants.floatConstant(g, n.input(1)) != null
                && (!n.hasInput(2) || Constants.floatConstant(g, n.input(2)) != null);
    }

    /** Equalizes every pair of {@code model} in place, {@code passes} times; returns one entry per pair. */
    public static QuantizationReport apply(Model model, int passes) {
        if (passes < 1) throw new IllegalArgumentException("passes must be >= 1, got " + passes);
        Graph g = model.graph();
        QuantizationReport report = new QuantizationReport("cross-layer equalization");
        List<Pair> pairs = pairs(g);
        double[] spread = new double[pairs.size()];
        for (int pass = 0; pass < passes; pass++)
            for (int i = 0; i < pairs.size(); i++) spread[i] = equalize(g, pairs.get(i));
        for (int i = 0; i < pairs.size(); i++)
            report.quantized(pairs.get(i).b().name(), "Conv", Precision.FP32, "equalized with " + pairs.get(i).a().name()
                    + String.format("; largest channel-scale change in the last pass %.3g", spread[i]));
        report.recordIn(model);
        return report;
    }

    /** Equalizes one pair; returns max |log s| (how far from converged it was). */
    private static double equalize(Graph g, Pair p) {
        Node a = p.a(), b = p.b();
        ConvWeights wa = ConvWeights.of(Constants.floatConstant(g, a.input(1)), a.attributes().getInt("group", 1));
        ConvWeights wb = ConvWeights.of(Constants.floatConstant(g, b.input(1)), b.attributes().getInt("group", 1));
        if (wa.cout() != wb.cin()) return 0; // shapes disagree: not a plain channel-to-channel chain
        float[] bias = a.hasInput(2) ? Constants.floatConstant(g, a.input(2)).floats() : null;
        double change = 0;
        for (int c = 0; c < wa.cout(); c++) {
            float ra = wa.absMaxOfOutput(c), rb = wb.absMaxOfInput(c);
            if (ra == 0 || rb == 0) continue;
            float s = (float) Math.sqrt((double) ra / rb);
            wa.scaleOutput(c, 1 / s);
            if (bias != null) bias[c] /= s;
            wb.scaleInput(c, s);
            change = Math.max(change, Math.abs(Math.log(s)));
        }
        Constants.replace(g, a, 1, Tensor.of(wa.w(), Constants.floatConstant(g, a.input(1)).shape()));
        if (bias != null) Constants.replace(g, a, 2, Tensor.of(bias, bias.length));
        Constants.replace(g, b, 1, Tensor.of(wb.w(), Constants.floatConstant(g, b.input(1)).shape()));
        return change;
    }
}
