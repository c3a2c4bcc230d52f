package dev.quant4j.tune;

import dev.quant4j.core.calibration.MinMaxObserver;
import dev.quant4j.core.calibration.Observer;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.quantize.Calibrator;
import dev.quant4j.quantize.DynamicQuantizer;
import dev.quant4j.quantize.HalfPrecisionWeights;
import dev.quant4j.quantize.PolicyQuantizer;
import dev.quant4j.quantize.Precision;
import dev.quant4j.quantize.PrecisionPolicy;
import dev.quant4j.quantize.QuantizationReport;
import dev.quant4j.quantize.StaticQdqQuantizer;
import dev.quant4j.quantize.WeightOnlyQuantizer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Applies {@link QuantizationPlan}s to one float model, each in one call: a copy of the float model
 * goes through {@link PolicyQuantizer} (static QDQ, dynamic, weight-only, fp16/bf16) with the plan
 * as its policy. Static ranges are calibrated once, on the float model, for every value any plan
 * could need, so many plans share one calibration.
 *
 * <p>Nodes a plan asks for but that did not get their precision (absent, or a quantizer kept them:
 * no constant weight, an unsupported attribute, an fp16 overflow) are reported with the quantizer's reason.
 */
public final class PlanApplier {
    /** The precisions a plan may use; BF16 is left out of {@link #allowed()}'s dry runs for time (it shares fp16's rules). */
    static final List<Precision> DRY_RUN = List.of(Precision.FP16, Precision.INT8_DYNAMIC, Precision.INT8_STATIC,
            Precision.INT8_WEIGHT, Precision.INT4_WEIGHT);

    /**
     * @param observer             calibration observer for static activations
     * @param maxSubnormalFraction fp16 storage check (see {@link HalfPrecisionWeights})
     */
    public record Options(StaticQdqQuantizer.Options staticOptions, Supplier<Observer> observer,
                          DynamicQuantizer.Options dynamicOptions, WeightOnlyQuantizer.Options weightOptions,
                          double maxSubnormalFraction) {
        /**
         * U8S8 static with min/max ranges and quantized outputs (what ONNX Runtime needs to run the
         * integer kernels), dynamic per-channel 7-bit, MatMulNBits blocks of 32 symmetric, fp16 with at most 1% subnormals.
         */
        public static Options defaults() {
            return new Options(StaticQdqQuantizer.Options.u8s8().withQuantizedOutputs(true), MinMaxObserver::perTensor, DynamicQuantizer.Options.defaults(),
                    new WeightOnlyQuantizer.Options(32, true, WeightOnlyQuantizer.Format.MATMUL_NBITS), 0.01);
        }

        /** The passes' options; BatchNormalization is not folded here (the caller folds the float model before calibrating it). */
        public PolicyQuantizer.Options passes() {
            return new PolicyQuantizer.Options(false, staticOptions, dynamicOptions, weightOptions, maxSubnormalFraction);
        }
    }

    /** A plan's node that did not get its precision, and why. */
    public record NotApplied(String node, Precision precision, String reason) {}

    /** The quantized copy, with every quantizer's report and what was not applied. */
    public record Applied(Model model, QuantizationPlan plan, List<QuantizationReport> reports, List<NotApplied> notApplied) implements AutoCloseable {
        @Override public void close() { model.close(); }
    }

    private final Model fp32;
    private final Iterable<Map<String, Tensor>> calibration;
    private final Options options;
    private Map<String, Observer> ranges;
    private Map<String, Set<Precision>> allowed;
    private final Map<Precision, String> refused = new java.util.EnumMap<>(Precision.class);

    /** @param calibration model inputs for static ranges (read once, when a plan first needs int8-static) */
    public PlanApplier(Model fp32, Iterable<Map<String, Tensor>> calibration, Options options) {
        this.fp32 = fp32;
        this.calibration = calibration;
        this.options = options;
    }

    public Model floatModel() { return fp32; }

    public Options options() { return options; }

    public Iterable<Map<String, Tensor>> calibration() { return calibration; }

    /** Static activation ranges of every value an int8-static plan may need, observed on the float model. */
    public synchronized Map<String, Observer> ranges() {
        if (ranges == null) {
            PrecisionPolicy all = PrecisionPolicy.uniform(Precision.INT8_STATIC);
            Calibrator c = new Calibrator(fp32, StaticQdqQuantizer.valuesToCalibrate(fp32, all), options.observer());
            for (Map<String, Tensor> feeds : calibration) c.observe(feeds);
            ranges = c.observers();
        }
        return ranges;
    }

    /**
     * The nodes the quantizer of {@code p} accepts at {@code p}, from a dry run of that quantizer
     * alone on a copy (cheaper than {@link #allowed()} when one precision is all a caller needs).
     */
    public Set<String> allowing(Precision p) {
        synchronized (this) {
            if (allowed != null) {
                Set<String> s = new java.util.TreeSet<>();
                allowed.forEach((n, ps) -> { if (ps.contains(p)) s.add(n); });
                return s;
            }
        }
        Set<String> s = new java.util.TreeSet<>();
        try (Model copy = Models.copy(fp32)) {
            for (QuantizationReport r : run(copy, PrecisionPolicy.uniform(p))) for (QuantizationReport.Entry e : r.entries())
                if (e.outcome() == QuantizationReport.Outcome.QUANTIZED && !e.node().isEmpty()) s.add(e.node());
        }
        return s;
    }

    /**
     * For each node some quantizer accepts, the precisions it accepts there, found by a dry run of
     * each quantizer on a copy with every node at that precision (so it is exactly what
     * {@link #apply} can do, never a second copy of the quantizers' rules).
     */
    public synchronized Map<String, Set<Precision>> allowed() {
        if (allowed == null) {
            Map<String, Set<Precision>> m = new TreeMap<>();
            for (Precision p : DRY_RUN) {
                try (Model copy = Models.copy(fp32)) {
                    for (QuantizationReport r : run(copy, PrecisionPolicy.uniform(p))) for (QuantizationReport.Entry e : r.entries())
                        if (e.outcome() == QuantizationReport.Outcome.QUANTIZED && !e.node().isEmpty())
                            m.computeIfAbsent(e.node(), k -> EnumSet.noneOf(Precision.class)).add(p);
                } catch (RuntimeException e) {
                    // one quantizer refusing the model (e.g. an opset it cannot raise) leaves the others usable
                    refused.put(p, e.getMessage() == null ? e.toString() : e.getMessage());
                }
            }
            allowed = m;
        }
        return allowed;
    }

    /** Precisions whose quantizer refused the whole model in {@link #allowed()}'s dry run, with its message. */
    public synchronized Map<Precision, String> refused() {
        allowed();
        return Map.copyOf(refused);
    }

    /** The op type of each node {@link #allowed()} lists. */
    public Map<String, String> opTypes() {
        Map<String, String> out = new LinkedHashMap<>();
        for (var n : fp32.graph().nodes()) if (allowed().containsKey(n.name())) out.put(n.name(), n.opType());
        return out;
    }

    /** Quantizes a copy of the float model as {@code plan} says. The caller closes the result. */
    public Applied apply(QuantizationPlan plan) {
        Model m = Models.copy(fp32);
        List<QuantizationReport> reports = run(m, plan.toPolicy());
        return new Applied(m, plan, reports, notApplied(plan, reports));
    }

    /** The passes in {@link PolicyQuantizer}'s order; static reads the ranges observed once on the float model (a superset of any plan's). */
    private List<QuantizationReport> run(Model m, PrecisionPolicy policy) {
        return PolicyQuantizer.apply(m, policy, options.passes(), (model, values) -> ranges()).reports();
    }

    private List<NotApplied> notApplied(QuantizationPlan plan, List<QuantizationReport> reports) {
        List<NotApplied> out = new ArrayList<>();
        for (var e : plan.nodes().entrySet()) {
            if (fp32.graph().node(e.getKey()) == null) { out.add(new NotApplied(e.getKey(), e.getValue(), "no node of that name in the model")); continue; }
            boolean done = false;
            StringBuilder why = new StringBuilder();
            for (QuantizationReport r : reports) for (QuantizationReport.Entry x : r.entries()) {
                if (!x.node().equals(e.getKey()) || x.precision() != e.getValue()) continue;
                if (x.outcome() == QuantizationReport.Outcome.QUANTIZED) done = true;
                else why.append(why.isEmpty() ? "" : "; ").append(r.mode()).append(": ").append(x.reason());
            }
            if (!done) out.add(new NotApplied(e.getKey(), e.getValue(), why.isEmpty()
                    ? "no quantizer applies " + e.getValue().id() + " to a " + fp32.graph().node(e.getKey()).opType() + " node" : why.toString()));
        }
        return out;
    }
}
