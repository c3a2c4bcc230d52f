package dev.quant4j.quantize;

import dev.quant4j.core.DataType;
import dev.quant4j.core.numerics.Float16;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * FP16 / BF16 weight storage: the constant float inputs of nodes the policy gives
 * {@link Precision#FP16} or {@link Precision#BF16} are stored in 16 bits and cast back to float32
 * in front of the node (compute stays float32; converting the compute is not done here).
 *
 * <p>Overflow check (FP16 only; BF16 has float32's exponent range): a tensor with any finite
 * value above {@link Float16#MAX} in magnitude, or with more than {@code maxSubnormalFraction} of
 * its non-zero values below FP16's smallest normal (2^-14, where precision is lost), stays float32
 * and the report says which and why.
 */
public final class HalfPrecisionWeights {
    private static final float FP16_MIN_NORMAL = 0x1p-14f;

    private HalfPrecisionWeights() {}

    public static QuantizationReport apply(Model model, PrecisionPolicy policy, double maxSubnormalFraction) {
        QuantizationReport report = new QuantizationReport("fp16/bf16 weights");
        Graph g = model.graph();
        Map<String, String> converted = new HashMap<>(); // "type:value" -> float32 output of its Cast
        for (Node node : List.copyOf(g.nodes())) {
            PrecisionPolicy.Decision d = policy.decide(node);
            if (d.precision() != Precision.FP16 && d.precision() != Precision.BF16) continue;
            DataType type = d.precision() == Precision.FP16 ? DataType.FLOAT16 : DataType.BFLOAT16;
            StringBuilder done = new StringBuilder(), kept = new StringBuilder();
            for (int i = 0; i < node.inputs().size(); i++) {
                String x = node.input(i);
                Tensor w = ConstantWeights.floatConstant(g, x);
                if (w == null || w.elementCount() < 16) continue; // shape constants and scalars are not worth a Cast
                String why = type == DataType.FLOAT16 ? fp16Problem(w.floats(), maxSubnormalFraction) : null;
                if (why != null) { kept.append(x).append(": ").append(why).append("; "); continue; }
                String key = type + ":" + x;
                String cast = converted.computeIfAbsent(key, k -> insertConverted(g, node, x, w, type));
                node.setInput(i, cast);
                done.append(x).append(' ');
            }
            if (!done.isEmpty()) report.quantized(node.name(), node.opType(), d.precision(), d.reason() + "; " + type + " weights " + done.toString().trim()
                    + (kept.isEmpty() ? "" : "; kept float32: " + kept));
            else report.kept(node.name(), node.opType(), d.precision(), d.reason() + (kept.isEmpty() ? "; no constant float weights" : "; kept float32: " + kept));
        }
        g.eliminateDeadNodes();
        // Cast from bfloat16 exists from opset 13
        if (converted.keySet().stream().anyMatch(k -> k.startsWith(DataType.BFLOAT16 + ":")) && model.onnxOpset() < 13) OpsetUpgrade.to(model, 13);
        report.recordIn(model);
        return report;
    }

    /** Why {@code w} should not be stored in FP16, or null. */
    static String fp16Problem(float[] w, double maxSubnormalFraction) {
        long nonZero = 0, tiny = 0;
        for (float v : w) {
            float a = Math.abs(v);
            if (Float.isFinite(a) && a > Float16.MAX) return "value " + v + " overflows fp16 (max " + Float16.MAX + ")";
            if (a != 0) { nonZero++; if (a < FP16_MIN_NORMAL) tiny++; }
        }
        if (nonZero > 0 && (double) tiny / nonZero > maxSubnormalFraction)
            return String.format("%.2f%% of non-zero values would be fp16 subnormals", 100.0 * tiny / nonZero);
        return null;
    }

    private static String insertConverted(Graph g, Node before, String x, Tensor w, DataType type) {
        String base = x.replace('/', '_');
        String h = ConstantWeights.addInitializer(g, base + (type == DataType.FLOAT16 ? "_fp16" : "_bf16"), HalfPrecisionCompute.toHalf(w, type));
        String out = g.uniqueName(base + "_fp32");
        Node cast = Node.of("Cast", g.uniqueName(base + "_Cast"), List.of(h), List.of(out));
        cast.attributes().put("to", (long) DataType.FLOAT32.onnxCode());
        g.insertBefore(before, cast);
        return out;
    }
}
