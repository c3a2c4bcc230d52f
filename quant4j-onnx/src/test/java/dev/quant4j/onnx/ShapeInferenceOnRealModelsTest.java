package dev.quant4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Shape;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.graph.infer.ConstantFolding;
import dev.quant4j.graph.infer.InferenceResult;
import dev.quant4j.graph.infer.ShapeInference;
import dev.quant4j.graph.infer.ShapeRules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Shape inference on the real models against ONNX Runtime (the output shapes it produces for
 * concrete inputs) and against the value_info shapes the models' producers recorded; constant
 * folding of the shape subgraphs checked by running the folded model in ONNX Runtime.
 */
class ShapeInferenceOnRealModelsTest {
    @TempDir static Path tmp;

    static Stream<Path> models() {
        return RealModels.allWithMiniLm(tmp);
    }

    /** Concrete input shapes (and the sample-rate value silero switches on) for inference. */
    private static Map<String, Shape> shapes(Map<String, Tensor> feeds) {
        Map<String, Shape> s = new HashMap<>();
        feeds.forEach((k, v) -> s.put(k, Shape.of(v.shape())));
        return s;
    }

    private static Map<String, Tensor> configValues(Map<String, Tensor> feeds) {
        return feeds.containsKey("sr") ? Map.of("sr", feeds.get("sr")) : Map.of();
    }

    @ParameterizedTest
    @MethodSource("models")
    void outputShapesMatchOnnxRuntime(Path file) throws Exception {
        String name = file.getFileName().toString().toLowerCase();
        try (Model m = OnnxReader.read(file)) {
            Map<String, Tensor> feeds = OrtOracle.feeds(name, m.graph(), 3);
            Map<String, Tensor> ort = OrtOracle.run(file, feeds);
            m.graph().valueInfos().clear(); // infer, do not copy the producer's annotations
            InferenceResult r = new ShapeInference(ShapeRules.defaults()).infer(m.graph(), m.onnxOpset(), shapes(feeds), configValues(feeds));
            for (Map.Entry<String, Tensor> e : ort.entrySet()) {
                Shape got = r.shape(e.getKey());
                assertEquals(Shape.of(e.getValue().shape()), got, name + ": output " + e.getKey());
                assertEquals(e.getValue().dtype(), r.dtype(e.getKey()), name + ": output type of " + e.getKey());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void inferredShapesAgreeWithTheModelsValueInfo(Path file) throws Exception {
        try (Model m = OnnxReader.read(file)) {
            Map<String, ValueInfo> declared = new HashMap<>(m.graph().valueInfos());
            m.graph().outputs().forEach(o -> declared.put(o.name(), o));
            m.graph().valueInfos().clear();
            InferenceResult r = ShapeInference.run(m.graph(), m.onnxOpset());
            List<String> disagree = new ArrayList<>();
            int compared = 0;
            for (ValueInfo d : declared.values()) {
                Shape want = d.shape(), got = r.shape(d.name());
                if (want == null || got == null) continue;
                compared++;
                boolean ok = want.rank() == got.rank();
                for (int i = 0; ok && i < want.rank(); i++) {
                    ok = !want.dim(i).isKnown() || !got.dim(i).isKnown() || want.dim(i).value() == got.dim(i).value();
                }
                if (!ok) disagree.add(d.name() + ": declared " + want + ", inferred " + got);
                if (d.dtype() != null && r.dtype(d.name()) != null && d.dtype() != r.dtype(d.name())) disagree.add(d.name() + ": type " + d.dtype() + " vs " + r.dtype(d.name()));
            }
            assertTrue(compared >= m.graph().outputs().size() - 1, "compared only " + compared);
            assertEquals(List.of(), disagree, file.getFileName().toString());
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void foldingShapeSubgraphsKeepsOnnxRuntimeOutputsIdentical(Path file) throws Exception {
        String name = file.getFileName().toString().toLowerCase();
        Path out = tmp.resolve("folded-" + name);
        Map<String, Tensor> feeds;
        int before, after;
        try (Model m = OnnxReader.read(file)) {
            feeds = OrtOracle.feeds(name, m.graph(), 5);
            before = m.graph().nodes().size();
            InferenceResult r = new ShapeInference(ShapeRules.defaults()).infer(m.graph(), m.onnxOpset(), shapes(feeds), Map.of());
            ConstantFolding.Report rep = ConstantFolding.fold(m.graph(), r);
            after = m.graph().nodes().size();
            assertEquals(before - rep.folded() - rep.removed(), after);
            long shapeOps = m.graph().nodes().stream().map(Node::opType).filter(op -> op.equals("Shape") || op.equals("Constant")).count();
            if (name.contains("minilm") || name.contains("rec_infer")) assertEquals(0, shapeOps, "shape subgraphs left in " + name);
            OnnxWriter.write(m, out);
        }
        Map<String, Tensor> want = OrtOracle.run(file, feeds, true), got = OrtOracle.run(out, feeds, true);
        for (String k : want.keySet()) {
            assertTrue(want.get(k).contentEquals(got.get(k)), name + " output " + k + " changed by folding (" + before + " -> " + after + " nodes)");
        }
        System.out.println("folded " + name + ": " + before + " -> " + after + " nodes");
    }

}
