package dev.quant4j.quantize;

import dev.quant4j.core.calibration.Observer;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The passes one precision policy asks for, in their one order: BatchNormalization folded into its
 * Conv (exact in float) when static INT8 is asked for, static ranges obtained once, then static QDQ,
 * dynamic, weight-only and FP16/BF16. Each pass touches only the nodes the policy gives its
 * precision, so one policy can mix them.
 *
 * <p>Static runs first because its ranges are keyed by the float model's value names, which the
 * later passes rename (their dequantized weights, half-precision casts).
 */
public final class PolicyQuantizer {
    /**
     * The quantizers' options.
     *
     * @param foldBatchNorm        fold BatchNormalization into its Conv before static quantization
     * @param maxSubnormalFraction fp16 storage check (see {@link HalfPrecisionWeights})
     */
    public record Options(boolean foldBatchNorm, StaticQdqQuantizer.Options staticOptions, DynamicQuantizer.Options dynamicOptions,
                          WeightOnlyQuantizer.Options weightOptions, double maxSubnormalFraction) {
        public Options {
            Objects.requireNonNull(staticOptions, "staticOptions");
            Objects.requireNonNull(dynamicOptions, "dynamicOptions");
            Objects.requireNonNull(weightOptions, "weightOptions");
        }
    }

    /**
     * Where static activation ranges come from: read from a file, calibrated on the model as it
     * stands after folding, or observed earlier for a superset of the values. Asked at most once per
     * {@link #apply}, and only when the policy gives some node static INT8.
     */
    @FunctionalInterface
    public interface Ranges {
        /**
         * @param model  the model about to be quantized (BatchNormalization already folded)
         * @param values the values whose ranges the static pass reads
         */
        Map<String, Observer> of(Model model, Set<String> values);

        static Ranges fixed(Map<String, Observer> ranges) {
            Objects.requireNonNull(ranges, "ranges");
            return (m, v) -> ranges;
        }

        /** For policies without static INT8. */
        static Ranges none() {
            return (m, v) -> { throw new IllegalStateException("static INT8 needs activation ranges, and none were given"); };
        }
    }

    /** Every pass's report, in the order run, and how many BatchNormalization nodes were folded. */
    public record Result(List<QuantizationReport> reports, int foldedBatchNorms) {}

    private PolicyQuantizer() {}

    /** The precisions {@code policy} gives the nodes of {@code model} (FP32 included when some node stays float). */
    public static Set<Precision> precisionsAsked(Model model, PrecisionPolicy policy) {
        Set<Precision> out = EnumSet.noneOf(Precision.class);
        for (Node n : model.graph().nodes()) out.add(policy.decide(n).precision());
        return out;
    }

    /** Quantizes {@code model} in place as {@code policy} says. */
    public static Result apply(Model model, PrecisionPolicy policy, Options options, Ranges ranges) {
        List<QuantizationReport> reports = new ArrayList<>();
        int folded = 0;
        Set<Precision> asked = precisionsAsked(model, policy);
        if (asked.contains(Precision.INT8_STATIC)) {
            if (options.foldBatchNorm()) folded = ConvBatchNormFolder.apply(model);
            Map<String, Observer> r = ranges.of(model, StaticQdqQuantizer.valuesToCalibrate(model, policy));
            reports.add(StaticQdqQuantizer.apply(model, policy, r, options.staticOptions()));
        }
        if (asked.contains(Precision.INT8_DYNAMIC)) reports.add(DynamicQuantizer.apply(model, policy, options.dynamicOptions()));
        if (asked.contains(Precision.INT4_WEIGHT) || asked.contains(Precision.INT8_WEIGHT))
            reports.add(WeightOnlyQuantizer.apply(model, policy, options.weightOptions()));
        if (asked.contains(Precision.FP16) || asked.contains(Precision.BF16))
            reports.add(HalfPrecisionWeights.apply(model, policy, options.maxSubnormalFraction()));
        return new Result(List.copyOf(reports), folded);
    }
}
