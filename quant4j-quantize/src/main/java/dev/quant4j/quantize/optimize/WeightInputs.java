package dev.quant4j.quantize.optimize;

import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.quantize.Precision;
import dev.quant4j.quantize.PrecisionPolicy;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The inputs of the MatMuls a weight-only pass will quantize, and their Hessians gathered over
 * calibration batches for {@link GptqRounding}. MatMuls reading the same value share one Hessian.
 */
public final class WeightInputs {
    private WeightInputs() {}

    /** Input value → K, for every MatMul with a constant float [K][N] weight that {@code policy} gives a weight-only precision. */
    public static Map<String, Integer> of(Model model, PrecisionPolicy policy) {
        Graph g = model.graph();
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Node n : g.nodes()) {
            if (!n.isOnnxDomain() || !n.opType().equals("MatMul")) continue;
            Precision p = policy.decide(n).precision();
            if (p != Precision.INT4_WEIGHT && p != Precision.INT8_WEIGHT) continue;
            Tensor w = Constants.floatConstant(g, n.input(1));
            if (w == null || w.rank() != 2) continue;
            out.put(n.input(0), Math.toIntExact(w.dim(0)));
        }
        return out;
    }

    /** Streams {@code batches} through the float model and returns the Hessian of each weight-only MatMul's input. */
    public static Map<String, InputHessian> hessians(Model model, PrecisionPolicy policy, Iterable<Map<String, Tensor>> batches,
                                                     Function<Map<String, Tensor>, boolean[]> rowMask) {
        Map<String, InputHessian> h = new HashMap<>();
        of(model, policy).forEach((v, k) -> h.put(v, new InputHessian(k)));
        try (LayerInputs in = new LayerInputs(model, h.keySet(), rowMask)) {
            for (Map<String, Tensor> feeds : batches) in.observe(feeds, (v, t, mask) -> h.get(v).add(t.floats(), mask));
        }
        return h;
    }
}
