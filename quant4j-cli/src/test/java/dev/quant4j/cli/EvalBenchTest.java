package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eval}, {@code compare} and {@code bench} on the shipped model and its int8 twin; accuracies checked against ONNX Runtime's own predictions. */
class EvalBenchTest {
    static final int N = 200;
    @TempDir
    static Path dir;
    static Path fp32, int8;
    static double ortFp32, ortInt8, ortAgreement;
    static int onlyFp32, onlyInt8;

    @BeforeAll
    static void models() throws Exception {
        fp32 = Shipped.fashionModel(dir);
        int8 = dir.resolve("int8.onnx");
        Cli.Result q = Cli.run("quantize", fp32.toString(), "-o", int8.toString(), "--mode", "static", "--calibration", "builtin:fashion", "--samples", "100");
        assertEquals(0, q.code(), q.err());
        float[] x = Shipped.images(N);
        long[] y = Shipped.labels(N);
        float[][] a = Shipped.ortLogits(fp32, x, N), b = Shipped.ortLogits(int8, x, N);
        ortFp32 = Shipped.accuracy(a, y);
        ortInt8 = Shipped.accuracy(b, y);
        int same = 0;
        for (int i = 0; i < N; i++) {
            int pa = argmax(a[i]), pb = argmax(b[i]);
            if (pa == pb) same++;
            if (pa == y[i] && pb != y[i]) onlyFp32++;
            if (pb == y[i] && pa != y[i]) onlyInt8++;
        }
        ortAgreement = (double) same / N;
    }

    static int argmax(float[] v) {
        int arg = 0;
        for (int j = 1; j < v.length; j++) if (v[j] > v[arg]) arg = j;
        return arg;
    }

    @Test
    void evalGivesTheAccuracyOnnxRuntimeGivesWithAnInterval() throws Exception {
        Cli.Result r = Cli.run("eval", fp32.toString(), "--data", "builtin:fashion", "--samples", String.valueOf(N), "--engine", "ort", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode v = new ObjectMapper().readTree(r.out()).get("value");
        assertEquals(ortFp32, v.get("value").asDouble(), 1e-9, "same engine, same samples: the same accuracy");
        assertEquals(N, v.get("n").asInt());
        assertTrue(v.get("ciLow").asDouble() < ortFp32 && ortFp32 < v.get("ciHigh").asDouble(), v.toString());
        Cli.Result ours = Cli.run("eval", fp32.toString(), "--data", "builtin:fashion", "--samples", String.valueOf(N), "--json");
        assertEquals(0, ours.code(), ours.err());
        double q4j = new ObjectMapper().readTree(ours.out()).get("value").get("value").asDouble();
        assertEquals(ortFp32, q4j, 2.0 / N, "quant4j's runtime and ONNX Runtime disagree on at most a borderline image or two");
    }

    @Test
    void evalWithAReferenceGivesThePairedDrop() throws Exception {
        Cli.Result r = Cli.run("eval", int8.toString(), "--data", "builtin:fashion", "--samples", String.valueOf(N), "--reference", fp32.toString(),
                "--engine", "ort", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(ortInt8, j.get("value").get("value").asDouble(), 1e-9);
        assertEquals(ortFp32, j.get("referenceValue").get("value").asDouble(), 1e-9);
        assertEquals(ortFp32 - ortInt8, j.get("drop").get("value").asDouble(), 1e-9);
        Cli.Result noRef = Cli.run("eval", int8.toString(), "--data", "builtin:fashion", "--task", "cosine");
        assertEquals(2, noRef.code(), noRef.err());
        Cli.Result noLabels = Cli.run("eval", int8.toString(), "--data", "builtin:fashion", "--task", "kl", "--reference", fp32.toString(), "--samples", "20");
        assertEquals(0, noLabels.code(), noLabels.err());
        assertTrue(noLabels.out().contains("KL("), noLabels.out());
    }

    @Test
    void compareAgreesWithOnnxRuntimesPredictions() throws Exception {
        Cli.Result r = Cli.run("compare", fp32.toString(), int8.toString(), "--data", "builtin:fashion", "--samples", String.valueOf(N), "--engine", "ort",
                "--runs", "5", "--warmup", "1", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode rows = new ObjectMapper().readTree(r.out()).get("rows");
        assertEquals(2, rows.size());
        JsonNode q = rows.get(1);
        assertEquals(ortFp32, rows.get(0).get("metric").get("value").asDouble(), 1e-9);
        assertEquals(ortInt8, q.get("metric").get("value").asDouble(), 1e-9);
        assertEquals(ortFp32 - ortInt8, q.get("drop").get("value").asDouble(), 1e-9);
        assertEquals(ortAgreement, q.get("agreement").asDouble(), 1e-9);
        assertEquals(onlyFp32, q.get("mcNemar").get("onlyA").asInt());
        assertEquals(onlyInt8, q.get("mcNemar").get("onlyB").asInt());
        assertEquals(Files.size(int8), q.get("bytes").asLong());
        assertTrue(q.get("latency").get("p50Ms").asDouble() > 0);
    }

    @Test
    void reportWritesHtmlAndJsonThatRenderTheSame() throws Exception {
        Path html = dir.resolve("r.html"), json = dir.resolve("r.json"), again = dir.resolve("again.html");
        Cli.Result r = Cli.run("report", fp32.toString(), int8.toString(), "--data", "builtin:fashion", "--samples", "100", "--engine", "ort", "--runs", "3",
                "--warmup", "1", "-o", html.toString(), "--json-file", json.toString());
        assertEquals(0, r.code(), r.err());
        dev.quant4j.report.Report rep = dev.quant4j.report.ReportJson.read(json);
        assertEquals(2, rep.models().size());
        assertEquals(Files.size(int8), rep.models().get(1).sizeBytes());
        float[][] a = Shipped.ortLogits(fp32, Shipped.images(100), 100);
        assertEquals(Shipped.accuracy(a, Shipped.labels(100)), rep.metrics().getFirst().before().value(), 1e-9);
        assertTrue(rep.histograms().stream().anyMatch(h -> h.kind().equals("activation")), "activation histograms with grids");
        assertTrue(rep.provenance() != null && !rep.provenance().calibrationSha256().isEmpty(), "provenance from the model's metadata");
        String page = Files.readString(html);
        assertTrue(page.contains("int8.onnx") && !page.contains("src=\"http"), "names the models, loads nothing from the network");
        Cli.Result re = Cli.run("report", "--from", json.toString(), "-o", again.toString());
        assertEquals(0, re.code(), re.err());
        assertEquals(page, Files.readString(again), "the JSON holds everything the page shows");
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"format\": \"something else\"}");
        Cli.Result b = Cli.run("report", "--from", bad.toString(), "-o", again.toString());
        assertEquals(3, b.code(), b.err());
        assertTrue(b.err().startsWith("quant4j: " + bad + ": "), b.err());
    }

    @Test
    void benchTimesTwoModelsSideBySide() throws Exception {
        for (String engine : new String[] {"quant4j", "ort"}) {
            Cli.Result r = Cli.run("bench", fp32.toString(), int8.toString(), "--runs", "12", "--warmup", "2", "--engine", engine, "--json");
            assertEquals(0, r.code(), r.err());
            JsonNode j = new ObjectMapper().readTree(r.out());
            assertEquals(2, j.get("rows").size());
            for (JsonNode row : j.get("rows")) {
                assertEquals(12, row.get("runs").asInt());
                double p50 = row.get("p50Ms").asDouble(), p90 = row.get("p90Ms").asDouble(), p99 = row.get("p99Ms").asDouble();
                assertTrue(row.get("minMs").asDouble() <= p50 && p50 <= p90 && p90 <= p99 && p50 > 0, row.toString());
                assertEquals(1000 / p50, row.get("throughput").asDouble(), 1e-6 * row.get("throughput").asDouble());
            }
            assertEquals(Files.size(fp32), j.get("rows").get(0).get("fileBytes").asLong());
            assertEquals((double) Files.size(int8) / Files.size(fp32), j.get("ratios").get(0).get("size").asDouble(), 1e-12);
        }
        Cli.Result text = Cli.run("bench", fp32.toString(), "--runs", "3", "--warmup", "0", "--data", "builtin:fashion", "--batch", "4");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("first 4 samples of builtin:fashion"), text.out());
    }
}
