package dev.quant4j.tune.auto;

import dev.quant4j.quantize.StaticQdqQuantizer;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.quantize.Precision;
import dev.quant4j.tune.PlanApplier;
import dev.quant4j.tune.QuantizationPlan;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each candidate layer alone, in its float form and in each quantized form its ladder allows,
 * built once for the speed gate and the deployability check. The quantized form comes from the
 * same plan applier as the whole model (calibrated on the layer's real input), so what is timed
 * and checked is what would be written.
 */
public final class LayerForms {
    private LayerForms() {}

    /**
     * One layer at one precision: the float single-node model and its quantized twin.
     *
     * @param quantized null when the applier did not quantize the node ({@code problem} says why)
     */
    public record Form(LayerLadder layer, Precision precision, SingleNodeModel floatForm, Model quantized, String problem) {
        public boolean built() { return quantized != null; }
    }

    /** The forms of every non-fp32 level of {@code layers}, from one float run on {@code feeds}. */
    public static List<Form> build(Model fp32, List<LayerLadder> layers, Map<String, Tensor> feeds, PlanApplier.Options options) {
        Set<String> names = new LinkedHashSet<>();
        for (LayerLadder l : layers) names.add(l.node());
        Map<String, Tensor> values = NodeProbe.capture(fp32, names, feeds);
        List<Form> out = new ArrayList<>();
        for (LayerLadder l : layers) {
            SingleNodeModel alone = SingleNodeModel.of(fp32, l.node(), values);
            PlanApplier.Options o = aloneOptions(fp32, l.node(), options);
            PlanApplier applier = null;
            for (Precision p : l.levels()) {
                if (p == Precision.FP32) continue;
                try {
                    if (applier == null) applier = new PlanApplier(alone.model(), List.of(alone.feeds()), o);
                    PlanApplier.Applied a = applier.apply(QuantizationPlan.empty().with(l.node(), p));
                    if (!a.notApplied().isEmpty()) {
                        out.add(new Form(l, p, alone, null, "not quantized: " + a.notApplied().getFirst().reason()));
                    } else {
                        out.add(new Form(l, p, alone, a.model(), null));
                    }
                } catch (RuntimeException e) {
                    out.add(new Form(l, p, alone, null, "quantizing it alone failed: " + e.getMessage()));
                }
            }
        }
        return out;
    }

    /**
     * Alone, every node's output is a model output; the static quantizer would keep it float and the
     * timed form would not be the one the whole model gets. So the rule follows the node's place in
     * the whole model.
     */
    private static PlanApplier.Options aloneOptions(Model fp32, String node, PlanApplier.Options options) {
        var n = fp32.graph().node(node);
        boolean outputInWhole = n != null && n.outputs().size() == 1 && StaticQdqQuantizer.reachesModelOutput(fp32.graph(), n.output(0));
        if (outputInWhole || !options.staticOptions().modelOutputsFloat()) return options;
        return new PlanApplier.Options(options.staticOptions().withModelOutputsFloat(false), options.observer(), options.dynamicOptions(),
                options.weightOptions(), options.maxSubnormalFraction());
    }
}
