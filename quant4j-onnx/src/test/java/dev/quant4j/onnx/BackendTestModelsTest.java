package dev.quant4j.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.quant4j.graph.GraphDiff;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.graph.ValueType;
import java.util.Arrays;
import dev.quant4j.testkit.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every model.onnx of the ONNX project's backend tests parses, survives a byte-level round trip
 * (read, write, read: equal), and every test tensor (input_K.pb, output_K.pb) decodes with the
 * shape its model declares where the model declares one.
 */
class BackendTestModelsTest {
    @TempDir Path tmp;

    static List<Path> modelFiles() throws IOException {
        Path root = TestData.require("onnx-backend-tests");
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().equals("model.onnx")).sorted().toList();
        }
    }

    @Test
    void everyBackendModelReadsAndRoundTrips() throws Exception {
        List<Path> files = modelFiles();
        assertTrue(files.size() > 1000, "expected ~1,200 backend test models, found " + files.size());
        List<String> failures = new ArrayList<>();
        Path out = tmp.resolve("out.onnx");
        for (Path f : files) {
            try (Model a = OnnxReader.read(f)) {
                OnnxWriter.write(a, out);
                try (Model b = OnnxReader.read(out)) {
                    List<String> d = GraphDiff.of(a, b);
                    if (!d.isEmpty()) failures.add(f + ": round trip differs: " + d.getFirst());
                }
            } catch (ModelFormatException e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) fail(failures.size() + " of " + files.size() + " failed:\n" + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
    }

    /**
     * Test tensors whose model declares a tensor type for them decode as TensorProto with that
     * element type and the declared dimensions. The others (sequence and optional values) are
     * serialized SequenceProto/OptionalProto, which is not a TensorProto: they are counted and skipped.
     */
    @Test
    void everyBackendTestTensorDecodesWithItsDeclaredType() throws Exception {
        int decoded = 0, notTensors = 0;
        List<String> failures = new ArrayList<>();
        for (Path modelFile : modelFiles()) {
            List<ValueInfo> ins, outs;
            try (Model m = OnnxReader.read(modelFile)) {
                ins = m.graph().feedInputs();
                outs = m.graph().outputs();
            }
            try (Stream<Path> s = Files.walk(modelFile.getParent(), 2)) {
                for (Path pb : s.filter(p -> p.toString().endsWith(".pb")).sorted().toList()) {
                    String n = pb.getFileName().toString();
                    int k = Integer.parseInt(n.substring(n.indexOf('_') + 1, n.length() - 3));
                    List<ValueInfo> decl = n.startsWith("input") ? ins : outs;
                    ValueInfo vi = k < decl.size() ? decl.get(k) : null;
                    if (vi == null || !(vi.type() instanceof ValueType.TensorType tt)) { notTensors++; continue; }
                    try {
                        Tensor t = OnnxReader.readTensor(pb);
                        decoded++;
                        if (tt.elemType() != null && t.dtype() != tt.elemType()) failures.add(pb + ": " + t.dtype() + ", model declares " + tt.elemType());
                        if (tt.shape() != null) {
                            boolean ok = tt.shape().rank() == t.rank();
                            for (int i = 0; ok && i < t.rank(); i++) ok = !tt.shape().dim(i).isKnown() || tt.shape().dim(i).value() == t.dim(i);
                            if (!ok) failures.add(pb + ": shape " + Arrays.toString(t.shape()) + ", model declares " + tt.shape());
                        }
                    } catch (ModelFormatException e) {
                        failures.add(e.getMessage());
                    }
                }
            }
        }
        // Known defects of the ONNX 1.12 test data itself: its bfloat16 tensors are stored with
        // data_type UINT16 (the bit patterns), and CastLike's target-type input is [1] where the
        // model declares [3, 4]. Only those folders may disagree with their model.
        List<String> known = failures.stream().filter(f -> f.contains("BFLOAT16")).toList();
        failures.removeAll(known);
        assertTrue(known.size() <= 12, "more bfloat16 test-data disagreements than the known 12: " + known);
        assertTrue(decoded > 2000, "decoded only " + decoded + " tensors");
        assertTrue(notTensors < 100, notTensors + " test values were not tensors");
        if (!failures.isEmpty()) fail(failures.size() + " tensors failed:\n" + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
    }
}
