package dev.quant4j.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Shape;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.graph.infer.InferenceResult;
import dev.quant4j.graph.infer.ShapeInference;
import dev.quant4j.graph.infer.ShapeInferenceException;
import dev.quant4j.graph.infer.ShapeRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Shape inference against the ONNX backend tests: given the shapes of a test's inputs (and the
 * values of its integer inputs, which are shape arguments such as Reshape's), every output
 * shape and type inference states must equal those of the expected output tensor. Operators
 * without a rule may leave outputs unknown; they are counted, not failed.
 */
class BackendShapeInferenceTest {
    @Test
    void inferredShapesMatchTheExpectedOutputs() throws Exception {
        int matched = 0, unknown = 0, models = 0;
        Map<String, Integer> unknownOps = new java.util.TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (Path modelFile : BackendTestModelsTest.modelFiles()) {
            Path data = modelFile.resolveSibling("test_data_set_0");
            if (!Files.isDirectory(data)) continue;
            try (Model m = OnnxReader.read(modelFile)) {
                List<ValueInfo> feeds = m.graph().feedInputs();
                Map<String, Shape> shapes = new HashMap<>();
                Map<String, Tensor> values = new HashMap<>();
                boolean tensorsOnly = true;
                for (int k = 0; k < feeds.size(); k++) {
                    Path pb = data.resolve("input_" + k + ".pb");
                    if (!Files.exists(pb) || !(feeds.get(k).type() instanceof dev.quant4j.graph.ValueType.TensorType)) { tensorsOnly = false; break; }
                    Tensor t = OnnxReader.readTensor(pb);
                    shapes.put(feeds.get(k).name(), Shape.of(t.shape()));
                    if (t.dtype() == DataType.INT64 || t.dtype() == DataType.INT32) values.put(feeds.get(k).name(), t);
                }
                if (!tensorsOnly) continue;
                List<ValueInfo> outs = List.copyOf(m.graph().outputs());
                // Forget the declared output types so that nothing can be copied from them.
                m.graph().outputs().replaceAll(o -> new ValueInfo(o.name(), null));
                m.graph().valueInfos().clear();
                models++;
                InferenceResult r;
                try {
                    r = new ShapeInference(ShapeRules.defaults()).infer(m.graph(), m.onnxOpset(), shapes, values);
                } catch (ShapeInferenceException e) {
                    wrong.add(modelFile.getParent().getFileName() + ": " + e.getMessage());
                    continue;
                }
                for (int k = 0; k < outs.size(); k++) {
                    Path pb = data.resolve("output_" + k + ".pb");
                    if (!Files.exists(pb) || !(outs.get(k).type() instanceof dev.quant4j.graph.ValueType.TensorType)) continue;
                    Tensor want = OnnxReader.readTensor(pb);
                    Shape got = r.shape(outs.get(k).name());
                    DataType gotType = r.dtype(outs.get(k).name());
                    if (got == null || !got.isFullyKnown()) {
                        unknown++;
                        var producer = m.graph().producer(outs.get(k).name());
                        unknownOps.merge(producer == null ? "(none)" : producer.opType(), 1, Integer::sum);
                        continue;
                    }
                    if (!got.equals(Shape.of(want.shape())) || (gotType != null && gotType != want.dtype() && !modelFile.toString().contains("BFLOAT16"))) {
                        wrong.add(modelFile.getParent().getFileName() + " output " + k + ": inferred " + gotType + got + ", expected " + want.dtype() + Shape.of(want.shape()));
                    } else matched++;
                }
            }
        }
        System.out.printf("backend shape inference: %d models, %d outputs matched, %d left unknown, %d wrong%n", models, matched, unknown, wrong.size());
        System.out.println("left unknown, by operator: " + unknownOps);
        assertTrue(matched > 700, "only " + matched + " outputs matched");
        if (!wrong.isEmpty()) fail(wrong.size() + " wrong:\n" + String.join("\n", wrong.subList(0, Math.min(60, wrong.size()))));
    }
}
