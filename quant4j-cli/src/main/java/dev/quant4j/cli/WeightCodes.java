package dev.quant4j.cli;

import dev.quant4j.core.DataType;
import dev.quant4j.core.quant.QuantizedStorage;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import java.util.List;

/**
 * Stores fake-quantized weights as their integer codes. A QuantizeLinear whose input is a constant
 * float weight (as quant4j-train's FakeQuantizer writes them) always yields the same codes, so they
 * are computed once here and stored in the zero-point's type (INT4 packs two per byte); the
 * DequantizeLinear then reads them directly:
 *
 * <pre>
 *   W_fp32 --QuantizeLinear(s, z, axis)--> q --DequantizeLinear--> W'     becomes     q_int4 --DequantizeLinear--> W'
 *   q = saturate(rint(W / s[c]) + z[c])   (the division in float32, ties to even, as the ONNX operator defines it)
 * </pre>
 *
 * The graph computes exactly what it computed before. Belongs with quant4j-quantize's passes
 * (a constant-folding step for QDQ exports); kept here until it is there.
 */
final class WeightCodes {
    private WeightCodes() {}

    /** Folds every such QuantizeLinear; returns how many. */
    static int fold(Model model) {
        Graph g = model.graph();
        int folded = 0;
        java.util.Set<String> sources = new java.util.HashSet<>();
        for (Node q : List.copyOf(g.nodes())) {
            if (!q.opType().equals("QuantizeLinear") || q.inputs().size() < 3) continue;
            Tensor w = g.initializers().get(q.input(0)), s = g.initializers().get(q.input(1)), z = g.initializers().get(q.input(2));
            if (w == null || s == null || z == null || w.dtype() != DataType.FLOAT32 || s.dtype() != DataType.FLOAT32 || g.inputNames().contains(q.input(0))) continue;
            long[] range = range(z.dtype());
            if (range == null || g.isGraphOutput(q.output(0))) continue;
            long[] shape = w.shape();
            int channels = (int) s.elementCount();
            int axis = channels == 1 ? 0 : (int) q.attributes().getInt("axis", 1);
            if (axis < 0) axis += shape.length;
            if (channels > 1 && (axis >= shape.length || shape[axis] != channels)) continue;
            long inner = 1;
            for (int i = axis + 1; i < shape.length; i++) inner *= shape[i];
            float[] v = w.floats(), sc = s.floats();
            int[] codes = new int[v.length];
            for (int i = 0; i < v.length; i++) {
                int c = channels == 1 ? 0 : (int) ((i / inner) % channels);
                long code = (long) Math.rint(v[i] / sc[c]) + z.getLong(channels == 1 ? 0 : c);
                codes[i] = (int) Math.clamp(code, range[0], range[1]);
            }
            String name = g.uniqueName(q.input(0) + "_" + z.dtype().name().toLowerCase(java.util.Locale.ROOT));
            g.initializers().put(name, Tensor.ofBytes(z.dtype(), QuantizedStorage.pack(codes, z.dtype()), shape));
            for (Node reader : g.consumers(q.output(0)))
                for (int i = 0; i < reader.inputs().size(); i++) if (reader.input(i).equals(q.output(0))) reader.setInput(i, name);
            g.removeNode(q);
            sources.add(q.input(0));
            folded++;
        }
        if (folded > 0) g.eliminateDeadNodes();
        // the float weights the codes replace, once nothing reads them
        for (String k : sources)
            if (g.nodes().stream().noneMatch(n -> n.inputs().contains(k)) && !g.outputNames().contains(k)) g.initializers().remove(k);
        return folded;
    }

    private static long[] range(DataType t) {
        return switch (t) {
            case INT4 -> new long[] {-8, 7};
            case UINT4 -> new long[] {0, 15};
            case INT8 -> new long[] {-128, 127};
            case UINT8 -> new long[] {0, 255};
            default -> null;
        };
    }
}
