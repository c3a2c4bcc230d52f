package dev.quant4j.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A report with every section filled, as the CLI would produce for a small CNN. The histograms bin real sample
 * values on the grids a symmetric int8, an asymmetric uint8 and an int4 quantizer would choose for them; one
 * node name is hostile markup, as a model file could hold.
 */
final class SampleReport {
    static final String HOSTILE = "<img src=x onerror=\"window.__pwned=1\"></script><script>window.__pwned=2</script>&amp;";

    private SampleReport() {}

    static Report build() {
        Report.Builder b = Report.builder("fashion-cnn: fp32 vs int8 & auto <test>").createdAt("2026-11-27T01:30:00Z");
        b.model(new ModelSummary("fp32", "fashion-cnn.onnx", 1_234_567,
                List.of(new PrecisionShare("fp32", 8, 306_250, 1_225_000))));
        b.model(new ModelSummary("int8", "fashion-cnn.int8.onnx", 345_678,
                List.of(new PrecisionShare("int8", 6, 300_000, 300_000), new PrecisionShare("fp32", 2, 6_250, 25_000))));
        b.model(new ModelSummary("auto", "fashion-cnn.auto.onnx", 456_789,
                List.of(new PrecisionShare("int8", 5, 250_000, 250_000), new PrecisionShare("fp32", 3, 56_250, 225_000))));
        b.metric(new MetricComparison("top-1 accuracy", "eval slice", "fp32", "int8", 1000, 0.95, true,
                new Estimate(0.9044, 0.8860, 0.9220), new Estimate(0.8871, 0.8670, 0.9060), new Estimate(-0.0173, -0.0260, -0.0090)));
        b.metric(new MetricComparison("top-1 accuracy", "eval slice", "fp32", "auto", 1000, 0.95, true,
                new Estimate(0.9044, 0.8860, 0.9220), new Estimate(0.9019, 0.8830, 0.9200), new Estimate(-0.0025, -0.0070, 0.0020)));
        b.metric(new MetricComparison("top-1 agreement", "eval slice", "fp32", "int8", 1000, 0.95, true,
                Estimate.of(1.0), new Estimate(0.9710, 0.9600, 0.9810), new Estimate(-0.0290, -0.0400, -0.0190)));
        b.latency(new LatencyRow("fp32", "quant4j", 200, 12.345, 13.5, 15.25, 81.0, 52_428_800L));
        b.latency(new LatencyRow("int8", "quant4j", 200, 7.125, 7.9, 9.0, 140.4, 40_000_000L));
        b.latency(new LatencyRow("auto", "quant4j", 200, 8.5, 9.25, 10.75, 117.6, null));
        b.latency(new LatencyRow("fp32", "onnxruntime", 200, 2.25, 2.5, 3.0, 444.4, null));
        b.latency(new LatencyRow("int8", "onnxruntime", 200, 1.5, 1.75, 2.0, 666.7, null));

        String[] ops = {"Conv", "Conv", "Conv", "MatMul", "Gemm"};
        for (int i = 0; i < 12; i++) {
            String node = i == 4 ? HOSTILE : "block" + i + "/" + ops[i % ops.length].toLowerCase();
            double only = -0.0005 * ((i * 7) % 12) - (i == 0 ? 0.011 : 0);
            ValueRange w = new ValueRange(-0.4 - 0.1 * i, 0.5 + 0.1 * i, -0.12, 0.13, 3.0 + i, 3.8 + 0.5 * i);
            ValueRange a = i % 4 == 3 ? null : new ValueRange(0, 6.0 + i, 0.0, 4.1, null, 1.46 + 0.1 * i);
            b.layer(new LayerSensitivity(node, ops[i % ops.length], "int8", 38.0 - i, 31.5 - 0.75 * i, only,
                    -0.017 - only, w, a, 40_000L * (i + 1), 10_000L * (i + 1), i % 3 == 0 ? 0.85 : 1.6));
        }

        List<SearchCandidate> candidates = List.of(
                new SearchCandidate("all fp32", 1_234_567, 12.345, 0.9044, true, false),
                new SearchCandidate("all int8", 345_678, 7.125, 0.8871, false, false),
                new SearchCandidate("revert block0/conv", 380_000, 7.6, 0.8990, false, false),
                new SearchCandidate("revert block0/conv, block7/conv", 420_000, 8.1, 0.9002, true, false),
                new SearchCandidate("revert block0/conv, block7/conv, block4", 456_789, 8.5, 0.9019, true, true),
                new SearchCandidate("revert block0/conv, block11", 470_000, 8.9, 0.8985, false, false),
                new SearchCandidate("all fp16", 617_284, 11.0, 0.9043, true, false));
        List<SearchStep> path = List.of(
                new SearchStep(1, "start", List.of(new PrecisionChange("*", "fp32", "int8")), 0.8871, false, true,
                        "all quantizable layers int8"),
                new SearchStep(2, "revert the most harmful layer", List.of(new PrecisionChange("block0/conv", "int8", "fp32")),
                        0.8990, false, true, "most harmful alone: -1.10 points"),
                new SearchStep(3, "revert the next two", List.of(new PrecisionChange("block7/conv", "int8", "fp32"),
                        new PrecisionChange(HOSTILE, "int8", "fp32")), 0.9019, true, true, "meets --max-drop 0.5"),
                new SearchStep(4, "speed gate", List.of(new PrecisionChange("block3/matmul", "int8", "fp32")), null, true,
                        false, "int8 0.85x of fp32: kept float"));
        b.search(new SearchResult("top-1 accuracy", true, "smallest", "--max-drop 0.5", 0.8994, candidates, path));

        Random rnd = new Random(42);
        float[] weights = new float[20_000];
        for (int i = 0; i < weights.length; i++) weights[i] = (float) (0.05 * rnd.nextGaussian());
        weights[17] = 0.41f; // an outlier stretches the symmetric grid
        b.histogram(Histogram.of("block0/conv.weight", "weight", weights, 120, new QuantGrid(absMax(weights) / 127, 0, -127, 127)));
        float[] acts = new float[20_000];
        for (int i = 0; i < acts.length; i++) acts[i] = (float) Math.max(0, 1.2 * rnd.nextGaussian() + 0.3);
        float p999 = percentile(acts, 0.999);
        b.histogram(Histogram.of("block0/relu:0", "activation", acts, 100, new QuantGrid(p999 / 255, 0, 0, 255)));
        b.histogram(Histogram.of("block3/matmul.weight", "weight", weights, 80, new QuantGrid(absMax(weights) / 7, 0, -8, 7)));

        b.deployability(new DeployabilityRow("block0/conv", "Conv", "int8", "onnxruntime", true, true, "QLinearConv, measured 1.5x"));
        b.deployability(new DeployabilityRow("block3/matmul", "MatMul", "int8", "quant4j", true, false, "measured 0.85x: kept fp32"));
        b.deployability(new DeployabilityRow("block9/gemm", "Gemm", "int8", "quant4j", true, null, "not timed"));
        b.deployability(new DeployabilityRow(HOSTILE, "Gemm", "int4", "onnxruntime", false, false, "no int4 Gemm kernel"));

        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("mode", "auto");
        settings.put("max-drop", "0.5");
        settings.put("objective", "smallest");
        settings.put("calibration", "fashion-eval-slice.idx (first 200 images)");
        List<TensorDecision> decisions = new ArrayList<>();
        decisions.add(new TensorDecision("block0/conv.weight", "fp32", "search step 2", "most harmful alone"));
        decisions.add(new TensorDecision("block1/conv.weight", "int8", "default", "per-channel symmetric, minmax"));
        b.provenance(new Provenance("quant4j", "0.1.0-SNAPSHOT",
                "9f2c0a6c3b1e8d7f4a5b6c7d8e9f00112233445566778899aabbccddeeff0011", settings, decisions));
        return b.build();
    }

    static double absMax(float[] v) {
        double m = 0;
        for (float x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    static float percentile(float[] v, double q) {
        float[] s = v.clone();
        java.util.Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.floor(q * s.length))];
    }
}
