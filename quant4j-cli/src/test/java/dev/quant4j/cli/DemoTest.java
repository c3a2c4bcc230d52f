package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quant4j.graph.Model;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.tune.auto.Provenance;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job ({@code quant4j demo}) and {@code quantize --mode auto}, checked against ONNX Runtime on the same held-out images. */
class DemoTest {
    @Test
    void demoScoresEveryModelOnImagesNoStepSaw(@TempDir Path dir) throws Exception {
        Cli.Result r = Cli.run("demo", "--dir", dir.toString(), "--runs", "3", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(1000, j.get("calibrationImages").asInt() + j.get("searchImages").asInt() + j.get("heldOutImages").asInt());
        JsonNode rows = j.get("table").get("rows");
        assertEquals(6, rows.size(), "fp32, fp32 BN folded, int8 static, w4a8 ptq, w4a8 qat, auto");
        // the final held-out images are [500, 1000): score fp32 and int8 there in ONNX Runtime ourselves
        float[] all = Shipped.images(1000);
        long[] labels = Shipped.labels(1000);
        float[] x = java.util.Arrays.copyOfRange(all, 500 * 784, 1000 * 784);
        long[] y = java.util.Arrays.copyOfRange(labels, 500, 1000);
        for (int i : new int[] {0, 1, 2}) {
            Path model = Path.of(rows.get(i).get("file").asText());
            double ort = Shipped.accuracy(Shipped.ortLogits(model, x, 500), y);
            assertEquals(ort, rows.get(i).get("metric").get("value").asDouble(), 2.0 / 500, rows.get(i).get("label") + ": quant4j vs ONNX Runtime");
        }
        // the shipped QAT model with its weights stored as INT4 codes computes exactly what its fake-quantized form computes
        Path fake = dir.resolve("fashion-cnn-w4a8-qat-fake.onnx"), codes = dir.resolve("fashion-cnn-w4a8-qat.onnx");
        float[][] a = Shipped.ortLogits(fake, x, 500), b = Shipped.ortLogits(codes, x, 500);
        for (int i = 0; i < 500; i++) assertArrayEquals(a[i], b[i], 1e-6f, "image " + (500 + i));
        assertTrue(Files.size(codes) < Files.size(fake) / 3, Files.size(codes) + " vs " + Files.size(fake));
        assertTrue(rows.get(3).get("bytes").asLong() < rows.get(2).get("bytes").asLong(), "w4a8 is smaller than int8");
        assertTrue(rows.get(1).get("bytes").asLong() < rows.get(0).get("bytes").asLong(), "folding BN drops its parameters");
        JsonNode auto = rows.get(5);
        assertTrue(auto.get("bytes").asLong() < rows.get(0).get("bytes").asLong(), "auto is smaller than fp32");
        try (Model m = OnnxReader.read(Path.of(auto.get("file").asText()))) {
            Provenance p = Provenance.readFrom(m).orElseThrow();
            assertEquals(64, p.calibration().sha256().length());
            assertEquals(200, p.calibration().samples());
            assertTrue(p.deltas().drop().value() <= 0.01, "the search met its bound on its held-out part: " + p.deltas());
        }
        Path report = Path.of(j.get("report").asText());
        assertTrue(Files.size(report) > 10_000 && Files.readString(report).contains("Fashion-MNIST CNN"), "report written");
        Cli.Result text = Cli.run("demo", "--help");
        assertEquals(0, text.code());
    }

    @Test
    void autoModeMeetsItsBoundAndRecordsWhy(@TempDir Path dir) throws Exception {
        Path in = Shipped.fashionModel(dir), out = dir.resolve("auto.onnx");
        Cli.Result r = Cli.run("quantize", in.toString(), "-o", out.toString(), "--mode", "auto", "--calibration", "builtin:fashion", "--samples", "300",
                "--max-drop", "1%", "--max-evaluations", "6", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode s = new ObjectMapper().readTree(r.out()).get("search");
        JsonNode chosen = s.get("steps").get(s.get("best").asInt()).get("measurement");
        double ref = s.get("steps").get(0).get("measurement").get("metric").get("value").asDouble();
        assertTrue(chosen.get("drop").get("value").asDouble() <= 0.01 * ref + 1e-12, chosen.toString());
        try (Model m = OnnxReader.read(out)) {
            assertTrue(Provenance.readFrom(m).isPresent(), "provenance in the written model");
        }
        Cli.Result noBound = Cli.run("quantize", in.toString(), "-o", out.toString(), "--mode", "auto", "--calibration", "builtin:fashion");
        assertEquals(2, noBound.code(), noBound.err());
        assertTrue(noBound.err().contains("--max-drop"), noBound.err());
    }
}
