package dev.quant4j.quantize;

import dev.quant4j.core.DataType;
import dev.quant4j.core.calibration.Observer;
import dev.quant4j.core.numerics.BFloat16;
import dev.quant4j.core.numerics.Float16;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.graph.ValueType;
import dev.quant4j.graph.infer.InferenceResult;
import dev.quant4j.graph.infer.ShapeInference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * FP16 / BF16 compute: the nodes the policy gives {@link Precision#FP16} or {@link Precision#BF16}
 * read, compute and write 16-bit floats; their constant inputs are stored in 16 bits. Every float
 * value has one home type (that of the node computing it); a reader that computes in another type
 * gets one shared Cast:
 *
 * <pre>
 *   x (fp32 input) --Cast--> x16 --Conv16--> y16 --Relu16--> z16 --Cast--> z (fp32 output, keepIoFloat32)
 *                                             \--Cast--> y32 --Node32 (kept: its output overflows fp16)
 * </pre>
 *
 * A node stays float32, with the reason in the report, when
 * <ul>
 *   <li>the activation-range check flags a float value it reads or writes ({@link HalfRangeObserver}
 *       from calibration: a value above fp16's maximum, or mostly fp16 subnormals; FP16 only, BF16
 *       has float32's exponent range) — reading such a value in fp16 would overflow as well;
 *   <li>a constant input fails the same check ({@link HalfPrecisionWeights#fp16Problem});
 *   <li>it computes on integers cast to float (shape arithmetic: integers above 2048 are not exact in fp16);
 *   <li>it is not an ONNX-domain operator, or creates values of a type named by a {@code dtype} attribute.
 * </ul>
 * Resize/Upsample scales and roi stay float32 (the operators require it). The model's value_info
 * is dropped (types changed; engines infer them again).
 *
 * <p>Engines: ONNX Runtime's CPU engine runs FP16 graphs (operators without fp16 kernels between
 * Casts it inserts). BF16 output follows the opset-13 schemas, but neither ONNX Runtime's CPU
 * engine (no bfloat16 kernels) nor quant4j's runtime (no 16-bit float arithmetic) executes it, so
 * it is unverified here.
 */
public final class HalfPrecisionCompute {
    /**
     * @param keepIoFloat32 graph inputs and outputs stay float32 (Casts at the edges), else they become 16-bit
     * @param maxSubnormalFraction the share of fp16 subnormals above which a value stays float32
     */
    public record Options(boolean keepIoFloat32, double maxSubnormalFraction) {
        public static Options defaults() { return new Options(true, 0.5); }
    }

    private HalfPrecisionCompute() {}

    /** The float values nodes compute: what the activation-range check observes (with {@link HalfRangeObserver}). */
    public static Set<String> valuesToCalibrate(Model model) {
        Graph g = model.graph();
        InferenceResult types = ShapeInference.run(g, model.onnxOpset());
        Set<String> out = new HashSet<>();
        for (Node n : g.nodes()) {
            if (n.opType().equals("Constant")) continue;
            for (String o : n.outputs()) if (!o.isEmpty() && types.dtype(o) == DataType.FLOAT32) out.add(o);
        }
        return out;
    }

    /**
     * Converts {@code model} in place.
     *
     * @param calibration {@link HalfRangeObserver}s by value name (from {@link Calibrator}); null skips the activation check
     */
    public static QuantizationReport apply(Model model, PrecisionPolicy policy, Map<String, Observer> calibration, Options options) {
        Graph g = model.graph();
        boolean anyBf16 = g.nodes().stream().anyMatch(n -> policy.decide(n).precision() == Precision.BF16);
        if (anyBf16 && model.onnxOpset() < 13) OpsetUpgrade.to(model, 13); // bfloat16 operators and Cast: opset 13
        InferenceResult types = ShapeInference.run(g, model.onnxOpset());
        QuantizationReport report = new QuantizationReport("fp16/bf16 compute");
        Converter c = new Converter(g, types);
        Map<Node, DataType> computeType = decide(g, c, policy, calibration, options, report);
        for (Node n : List.copyOf(g.nodes())) c.rewrite(n, computeType.getOrDefault(n, DataType.FLOAT32));
        c.fixOutputs(options.keepIoFloat32(), halfType(computeType));
        g.valueInfos().clear();
        g.eliminateDeadNodes();
        report.recordIn(model);
        return report;
    }

    private static DataType halfType(Map<Node, DataType> computeType) {
        return computeType.values().stream().filter(t -> t != DataType.FLOAT32).findFirst().orElse(DataType.FLOAT16);
    }

    /** Each float node's compute type; the reasons go to the report. */
    private static Map<Node, DataType> decide(Graph g, Converter c, PrecisionPolicy policy, Map<String, Observer> calibration,
                                              Options options, QuantizationReport report) {
        Map<Node, DataType> out = new HashMap<>();
        Set<String> integerDerived = new HashSet<>();
        for (Node n : g.nodes()) {
            if (n.opType().equals("Constant") || !c.touchesFloat(n)) continue;
            boolean fromIntegers = c.computesOnIntegers(n, integerDerived);
            if (fromIntegers) for (String o : n.outputs()) if (c.isFloat(o)) integerDerived.add(o);
            PrecisionPolicy.Decision d = policy.decide(n);
            if (d.precision() != Precision.FP16 && d.precision() != Precision.BF16) { report.kept(n.name(), n.opType(), d.precision(), d.reason()); continue; }
            DataType t = d.precision() == Precision.FP16 ? DataType.FLOAT16 : DataType.BFLOAT16;
            String why = !n.isOnnxDomain() ? "not an ONNX-domain operator"
                    : !n.subgraphs().isEmpty() ? "control flow (subgraphs are not converted)"
                    : n.attributes().has("dtype") ? "creates values of the type its dtype attribute names"
                    : fromIntegers ? "computes on integers cast to float (shape arithmetic)"
                    : t == DataType.BFLOAT16 && !BF16_OPS.contains(n.opType()) ? "ONNX defines no bfloat16 form of " + n.opType() + " at opset 13"
                    : t == DataType.FLOAT16 ? fp16Problem(g, c, n, calibration, options.maxSubnormalFraction()) : null;
            if (why != null) { report.kept(n.name(), n.opType(), d.precision(), d.reason() + "; stays float32: " + why); continue; }
            out.put(n, t);
            report.quantized(n.name(), n.opType(), d.precision(), d.reason() + "; computes in " + t);
        }
        return out;
    }

    private static String fp16Problem(Graph g, Converter c, Node n, Map<String, Observer> calibration, double maxSubnormal) {
        for (int i = 0; i < n.inputs().size(); i++) {
            String v = n.input(i);
            if (v.isEmpty() || !c.isFloat(v) || c.fixedFloat32(n, i)) continue;
            Tensor w = ConstantWeights.floatConstant(g, v);
            String why = w != null ? constantProblem(w, maxSubnormal) : activationProblem(calibration, v, maxSubnormal);
            if (why != null) return "input '" + v + "': " + why;
        }
        for (String o : n.outputs()) {
            if (o.isEmpty() || !c.isFloat(o)) continue;
            String why = activationProblem(calibration, o, maxSubnormal);
            if (why != null) return "output '" + o + "': " + why;
        }
        return null;
    }

    /**
     * Tensors are judged like stored weights ({@link HalfPrecisionWeights#fp16Problem}); a handful of
     * values (an epsilon such as 1e-6, a scale) only by overflow or by vanishing to zero, since a
     * lone fp16 subnormal still carries its magnitude.
     */
    private static String constantProblem(Tensor w, double maxSubnormal) {
        float[] f = w.floats();
        if (f.length >= 16) return HalfPrecisionWeights.fp16Problem(f, maxSubnormal);
        for (float v : f) {
            if (Math.abs(v) > Float16.MAX) return "value " + v + " overflows fp16";
            if (v != 0 && Float16.round(v) == 0) return "value " + v + " vanishes in fp16";
        }
        return null;
    }

    private static String activationProblem(Map<String, Observer> calibration, String v, double maxSubnormal) {
        if (calibration == null) return null;
        Observer o = calibration.get(v);
        if (o == null) return null; // graph inputs and values calibration never saw: nothing is known against them
        if (!(o instanceof HalfRangeObserver h)) throw new IllegalArgumentException("value '" + v + "' was calibrated with " + o.name() + ", not a HalfRangeObserver");
        return h.fp16Problem(maxSubnormal);
    }

    /**
     * Operators whose opset-13 schema admits bfloat16 (Conv, pooling and HardSigmoid, among others, do
     * not; Clip does, but its function body uses Where, which gains bfloat16 only at opset 16).
     */
    private static final Set<String> BF16_OPS = Set.of("Add", "Sub", "Mul", "Div", "MatMul", "Gemm", "Relu", "Sigmoid", "Tanh", "Softmax",
            "ReduceMean", "ReduceSum", "Sqrt", "Pow", "Neg", "Abs", "Exp", "Log", "Erf", "Cast", "Reshape", "Transpose", "Concat",
            "Slice", "Squeeze", "Unsqueeze", "Flatten", "Identity", "Gather", "Shape", "Size", "Max", "Min");

    /** Operators whose input may have any element type: they never need a Cast in front. */
    private static final Set<String> READS_ANY_TYPE = Set.of("Cast", "Shape", "Size");

    /** Rewrites nodes to their compute types, remembering each float value's home type and the Casts made. */
    private static final class Converter {
        private final Graph g;
        private final InferenceResult types;
        private final Map<String, DataType> home = new HashMap<>();
        private final Map<String, String> converted = new HashMap<>(); // "TYPE:value" -> the value in that type

        Converter(Graph g, InferenceResult types) {
            this.g = g;
            this.types = types;
            for (ValueInfo in : g.inputs()) if (isFloat(in.name())) home.put(in.name(), DataType.FLOAT32);
        }

        boolean isFloat(String v) {
            if (v.isEmpty()) return false;
            if (ConstantWeights.floatConstant(g, v) != null) return true;
            return types.dtype(v) == DataType.FLOAT32;
        }

        boolean touchesFloat(Node n) {
            return n.inputs().stream().anyMatch(this::isFloat) || n.outputs().stream().anyMatch(this::isFloat);
        }

        /** Whether every non-constant input of {@code n} is an integer or a float made from integers, and one of them is. */
        boolean computesOnIntegers(Node n, Set<String> integerDerived) {
            if (n.opType().equals("Cast")) return !isFloat(n.input(0));
            boolean any = false;
            for (String v : n.inputs()) {
                if (v.isEmpty() || ConstantWeights.floatConstant(g, v) != null) continue;
                if (!isFloat(v)) continue;
                if (!integerDerived.contains(v)) return false;
                any = true;
            }
            return any;
        }

        /** Inputs the operator defines as float32 whatever the data type (Resize roi/scales, Upsample scales). */
        boolean fixedFloat32(Node n, int i) {
            return (n.opType().equals("Resize") && (i == 1 || i == 2)) || (n.opType().equals("Upsample") && i == 1);
        }

        void rewrite(Node n, DataType t) {
            for (int i = 0; i < n.inputs().size(); i++) {
                String v = n.input(i);
                if (!isFloat(v) || READS_ANY_TYPE.contains(n.opType())) continue;
                DataType want = fixedFloat32(n, i) ? DataType.FLOAT32 : t;
                Tensor w = ConstantWeights.floatConstant(g, v);
                if (w != null) { if (want != DataType.FLOAT32) n.setInput(i, constantIn(v, w, want)); continue; }
                DataType h = home.getOrDefault(v, DataType.FLOAT32);
                if (h != want) n.setInput(i, castBefore(n, v, want));
            }
            if (t != DataType.FLOAT32) {
                if (n.opType().equals("Cast") && n.attributes().getInt("to", 0) == DataType.FLOAT32.onnxCode()) n.attributes().put("to", (long) t.onnxCode());
                if (n.opType().equals("ConstantOfShape") && n.attributes().has("value")) {
                    Tensor v = n.attributes().getTensor("value");
                    if (v.dtype() == DataType.FLOAT32) n.attributes().put("value", toHalf(v, t));
                }
            }
            for (String o : n.outputs()) if (isFloat(o)) home.put(o, t);
        }

        private String constantIn(String v, Tensor w, DataType t) {
            return converted.computeIfAbsent(t + ":" + v, k -> ConstantWeights.addInitializer(g, v.replace('/', '_') + suffix(t), toHalf(w, t)));
        }

        private String castBefore(Node reader, String v, DataType t) {
            return converted.computeIfAbsent(t + ":" + v, k -> {
                String out = g.uniqueName(v.replace('/', '_') + suffix(t));
                Node cast = Node.of("Cast", g.uniqueName(v.replace('/', '_') + "_Cast" + suffix(t)), List.of(v), List.of(out));
                cast.attributes().put("to", (long) t.onnxCode());
                g.insertBefore(reader, cast);
                return out;
            });
        }

        /** Graph outputs computed in 16 bits get a Cast back to float32 under their own name (or are declared 16-bit). */
        void fixOutputs(boolean keepIoFloat32, DataType half) {
            for (int i = 0; i < g.outputs().size(); i++) {
                ValueInfo out = g.outputs().get(i);
                String v = out.name();
                DataType h = home.get(v);
                if (h == null || h == DataType.FLOAT32) continue;
                if (!keepIoFloat32) { g.outputs().set(i, out.withType(ValueType.tensor(h, out.shape()))); continue; }
                String inner = g.uniqueName(v.replace('/', '_') + suffix(h));
                Node p = g.producer(v);
                for (int k = 0; k < p.outputs().size(); k++) if (p.output(k).equals(v)) p.setOutput(k, inner);
                for (Node n : g.nodes()) n.replaceInput(v, inner);
                Node cast = Node.of("Cast", g.uniqueName(v.replace('/', '_') + "_Cast_fp32"), List.of(inner), List.of(v));
                cast.attributes().put("to", (long) DataType.FLOAT32.onnxCode());
                g.addNode(cast);
            }
            if (keepIoFloat32) return;
            for (int i = 0; i < g.inputs().size(); i++) {
                ValueInfo in = g.inputs().get(i);
                String as16 = converted.get(half + ":" + in.name());
                if (in.dtype() != DataType.FLOAT32 || as16 == null || g.initializers().containsKey(in.name())) continue;
                // the input becomes 16-bit when its only reader is the Cast to 16 bits; a float32 reader keeps it float32
                List<Node> readers = g.consumers(in.name());
                Node cast = g.producer(as16);
                if (readers.size() != 1 || readers.get(0) != cast) continue;
                g.inputs().set(i, in.withType(ValueType.tensor(half, in.shape())));
                g.removeNode(cast);
                for (Node n : g.nodes()) n.replaceInput(as16, in.name());
            }
        }

        private static String suffix(DataType t) {
            return switch (t) { case FLOAT16 -> "_fp16"; case BFLOAT16 -> "_bf16"; default -> "_fp32"; };
        }
    }

    static Tensor toHalf(Tensor w, DataType t) {
        float[] f = w.floats();
        ByteBuffer b = ByteBuffer.allocate(f.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : f) b.putShort(t == DataType.FLOAT16 ? Float16.fromFloat(v) : BFloat16.fromFloat(v));
        return Tensor.ofBytes(t, b.array(), w.shape());
    }
}
