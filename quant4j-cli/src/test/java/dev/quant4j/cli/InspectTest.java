package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quant4j.testkit.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code quant4j inspect} on the real models, against the facts stated in the test data's README. */
class InspectTest {
    @Test
    void blazefaceJson() throws Exception {
        Path f = TestData.require("models/blazeface/face_detection_front_128x128_barracuda.onnx");
        Cli.Result r = Cli.run("inspect", "--json", "--top", "3", f.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(Files.size(f), j.get("fileBytes").asLong());
        assertEquals("input:0", j.get("inputs").get(0).get("name").asText());
        assertEquals("[1,128,128,3]", j.get("inputs").get(0).get("shape").asText());
        List<String> outs = new ArrayList<>();
        j.get("outputs").forEach(o -> outs.add(o.get("name").asText() + " " + o.get("shape").asText()));
        assertEquals(List.of("Identity:0 [1,512,1]", "Identity_1:0 [1,384,1]", "Identity_2:0 [1,512,16]", "Identity_3:0 [1,384,16]"), outs);
        // README: Conv, Relu, Add, MaxPool, Transpose, Reshape, Concat
        for (String op : List.of("Conv", "Relu", "Add", "MaxPool", "Transpose", "Reshape", "Concat"))
            assertTrue(j.get("operators").get(op).asInt() > 0, op);
        int sum = 0;
        for (JsonNode n : j.get("operators")) sum += n.asInt();
        assertEquals(j.get("nodes").asInt(), sum);
        long bytes = 0;
        for (JsonNode n : j.get("parameters").get("bytesByDtype")) bytes += n.asLong();
        assertEquals(j.get("parameters").get("bytes").asLong(), bytes);
        // float32 weights: the parameter bytes are most of the file, and below it
        assertTrue(bytes < Files.size(f) && bytes > Files.size(f) * 0.9, bytes + " of " + Files.size(f));
        assertEquals(3, j.get("largestInitializers").size());
        long first = j.get("largestInitializers").get(0).get("bytes").asLong();
        JsonNode shape = j.get("largestInitializers").get(0).get("shape");
        long n = 1;
        for (JsonNode d : shape) n *= d.asLong();
        assertEquals(4 * n, first, "float32 bytes = 4 x product of the shape");
        assertTrue(first >= j.get("largestInitializers").get(2).get("bytes").asLong());
        assertEquals(12, j.get("opsets").get("").asInt());
    }

    @Test
    void ppocrText() {
        Path f = TestData.require("models/ppocr/ch_ppocr_mobile_v2.0_cls_infer.onnx");
        Cli.Result r = Cli.run("inspect", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("input       x  FLOAT32 ["), r.out());
        assertTrue(r.out().contains(",3,"), r.out());
        assertTrue(r.out().contains("output      softmax_0.tmp_0  FLOAT32 ["), r.out());
        for (String op : List.of("Conv ", "BatchNormalization ", "HardSigmoid ", "GlobalAveragePool ", "MatMul ", "Softmax "))
            assertTrue(r.out().contains(op), op + " in " + r.out());
    }

    @Test
    void subgraphNodesAndConstantNodeWeightsAreCounted() throws Exception {
        Path f = TestData.require("models/silero-vad/silero_vad.onnx");
        JsonNode j = new ObjectMapper().readTree(Cli.run("inspect", "--json", f.toString()).out());
        assertTrue(j.get("operators").get("If").asInt() > 0);
        assertTrue(j.get("operators").get("LSTM").asInt() > 0, "LSTM sits inside If branches");
        // README: weights in Constant nodes
        assertTrue(j.get("parameters").get("inConstantNodes").asInt() > 0);
        assertTrue(j.get("parameters").get("bytes").asLong() > Files.size(f) / 2);
    }
}
