package dev.quant4j.cli;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Model;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.onnx.OnnxWriter;
import dev.quant4j.quantize.Precision;
import dev.quant4j.quantize.PrecisionPolicy;
import dev.quant4j.quantize.WeightOnlyQuantizer;
import dev.quant4j.report.HtmlReport;
import dev.quant4j.report.Report;
import dev.quant4j.train.ImageSet;
import dev.quant4j.quantize.ConvBatchNormFolder;
import dev.quant4j.train.quant.FakeQuantizer;
import dev.quant4j.tune.PlanApplier;
import dev.quant4j.tune.auto.Objective;
import dev.quant4j.tune.task.ClassificationTask;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quant4j demo}: the main job on the built-in default, with no arguments and no test data.
 * The shipped Fashion-MNIST CNN and its 1,000-image slice, cut into three parts that never share an
 * image: images [0, 200) calibrate, [200, 500) are the automatic search's held-out part (with
 * [0, 200) again as its calibration), [500, 1000) score every model at the end. Made in this run:
 * static INT8 (QDQ), W4A8 by post-training quantization, and automatic precision under --max-drop;
 * the W4A8 model quant4j-train fine-tuned (QAT) ships alongside. Both W4A8 models get their 4-bit
 * weights stored as INT4 codes ({@link WeightCodes}). All are scored on the
 * same images with intervals and paired drops, timed side by side, and written up as an HTML report.
 */
@Command(name = "demo", description = {"The main job on the built-in example: quantize, evaluate, time and report, no arguments.",
        "Calibrates and quantizes the shipped Fashion-MNIST CNN (static INT8, W4A8, automatic precision under --max-drop), score every model on held-out images with intervals, time them side by side,",
        "print the before/after table and write an HTML report (its path is printed)."})
final class DemoCommand implements Callable<Integer> {
    static final int CALIBRATION = 200, SEARCH_END = 500;

    @Option(names = "--max-drop", defaultValue = "0.01", description = "Automatic precision's bound on the top-1 drop (default: ${DEFAULT-VALUE} = 1 point).")
    String maxDrop;

    @Option(names = "--objective", defaultValue = "smallest", description = "Automatic precision's objective: smallest or fastest (default: ${DEFAULT-VALUE}).")
    Objective objective;

    @Option(names = "--engine", defaultValue = "quant4j", converter = EngineChoice.Converter.class, paramLabel = "quant4j|ort",
            description = "The engine that scores and times every model, one thread (default: ${DEFAULT-VALUE}).")
    EngineChoice engine;

    @Option(names = "--runs", defaultValue = "50", description = "Timed runs per model, batch 1, interleaved (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to write the models and the report (default: a new temporary folder).")
    Path dir;

    @Option(names = "--json", description = "Print the table as JSON.")
    boolean json;

    record Result(String folder, String report, int calibrationImages, int searchImages, int heldOutImages, Comparison.Result table) {}

    @Override
    public Integer call() throws Exception {
        Path out = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("quant4j-demo-");
        Path fp32 = copy("fashion-cnn.onnx", out.resolve("fashion-cnn-fp32.onnx"));
        Path qatFake = copy("fashion-cnn-w4a8-qat.onnx", out.resolve("fashion-cnn-w4a8-qat-fake.onnx")), qat = out.resolve("fashion-cnn-w4a8-qat.onnx");
        Path int8 = out.resolve("fashion-cnn-int8-static.onnx"), w4a8 = out.resolve("fashion-cnn-w4a8-ptq.onnx"), auto = out.resolve("fashion-cnn-auto.onnx"),
                folded = out.resolve("fashion-cnn-fp32-bn-folded.onnx");
        List<Model> open = new ArrayList<>();
        try {
            Model ref = OnnxReader.read(fp32);
            open.add(ref);
            SampleData all = SampleData.open(SampleData.BUILTIN_FASHION, null, 1, ref, Integer.MAX_VALUE);
            SampleData calib = all.slice(0, CALIBRATION), heldOut = all.slice(SEARCH_END, all.size());

            // every quantized model below starts from the BN-folded graph: timed next to it, the speed of the folding
            // alone is not credited to quantization
            try (Model m = OnnxReader.read(fp32)) {
                ConvBatchNormFolder.apply(m);
                OnnxWriter.write(m, folded);
            }
            Progress.note("static INT8 (QDQ, U8 activations, per-channel weights), calibrated on images [0, %d)", CALIBRATION);
            try (Model m = OnnxReader.read(fp32)) {
                Ptq.Outcome o = Ptq.apply(m, PrecisionPolicy.uniform(Precision.INT8_STATIC), new Ptq.Settings(32, true, WeightOnlyQuantizer.Format.MATMUL_NBITS,
                        true, DataType.UINT8, true, 32, true), calib, CalibrationMethod.MINMAX.observer(99.99), null);
                m.metadata().put(RunRecord.KEY, Json.write(java.util.Map.of("tool", "quant4j " + RunRecord.version(), "command", "demo", "mode", "static",
                        "calibrationSamples", o.calibrationSamples(), "calibrationSha256", o.calibrationSha256())));
                OnnxWriter.write(m, int8);
            }
            Progress.note("W4A8 by post-training quantization (4-bit per-channel weights stored as INT4, 8-bit activations), same calibration images");
            try (Model m = OnnxReader.read(fp32)) {
                ConvBatchNormFolder.apply(m);
                String input = m.graph().feedInputs().getFirst().name();
                var t = calib.batch(0, calib.size()).get(input);
                long[] s = t.shape();
                ImageSet images = new ImageSet(t.floats(), calib.labels(), java.util.Arrays.copyOfRange(s, 1, s.length));
                try (Model q = FakeQuantizer.apply(m, DataType.INT4, DataType.UINT8, images, 50).model()) {
                    WeightCodes.fold(q);
                    OnnxWriter.write(q, w4a8);
                }
            }
            try (Model q = OnnxReader.read(qatFake)) {
                WeightCodes.fold(q); // the shipped QAT export keeps fp32 weights behind QuantizeLinear; store their 4-bit codes
                OnnxWriter.write(q, qat);
            }
            Progress.note("automatic precision, --max-drop %s: calibration on images [0, %d), search on [%d, %d)", maxDrop, CALIBRATION, CALIBRATION, SEARCH_END);
            AutoQuantize.Outcome ao;
            try (Model m = OnnxReader.read(fp32)) {
                ConvBatchNormFolder.apply(m);
                PlanApplier.Options opts = PlanApplier.Options.defaults();
                ao = AutoQuantize.run(m, all.slice(0, SEARCH_END), engine.engine(1),
                        new AutoQuantize.Settings(AutoQuantize.bound(maxDrop), maxDrop, objective, 16, (double) CALIBRATION / SEARCH_END, 2026, opts), auto);
            }
            List<Comparison.Candidate> cands = new ArrayList<>();
            cands.add(new Comparison.Candidate("fp32", fp32.toString(), Files.size(fp32), ref));
            for (Object[] x : new Object[][] {{"fp32 BN folded", folded}, {"int8 static", int8}, {"w4a8 ptq", w4a8}, {"w4a8 qat (shipped)", qat},
                    {"auto (max-drop " + maxDrop + ")", auto}}) {
                Path p = (Path) x[1];
                Model m = OnnxReader.read(p);
                open.add(m);
                cands.add(new Comparison.Candidate((String) x[0], p.toString(), Files.size(p), m));
            }
            ClassificationTask task = new ClassificationTask("Fashion-MNIST CNN top-1 on held-out images [" + SEARCH_END + ", " + all.size() + ")",
                    EvalSetup.samples(heldOut, ref), ref.graph().outputNames().getFirst());
            Comparison.Result table = Comparison.run(cands, task, heldOut.labels(), engine.engine(1), 1, heldOut.batch(0, 1), 10, runs);
            Report.Builder rb = ReportFactory.build("quant4j demo: Fashion-MNIST CNN, fp32 vs quantized", table, open, heldOut);
            rb.search(ReportFactory.search(ao, maxDrop));
            Path html = out.resolve("report.html");
            HtmlReport.write(rb.build(), html);
            Result r = new Result(out.toString(), html.toString(), CALIBRATION, SEARCH_END - CALIBRATION, heldOut.size(), table);
            if (json) {
                System.out.println(Json.write(r));
            } else {
                Comparison.print(table);
                System.out.println();
                AutoQuantize.print(ao);
                System.out.println();
                System.out.printf(Locale.ROOT, "images: calibration [0, %d), search held-out [%d, %d), final held-out [%d, %d): no image in two parts%n", CALIBRATION,
                        CALIBRATION, SEARCH_END, SEARCH_END, all.size());
                System.out.println("w4a8: 4-bit weights stored as INT4 codes (opset-21 DequantizeLinear), 8-bit activations (QDQ); qat = quant4j-train's fine-tuned export.");
                System.out.println("models: " + out);
                System.out.println("report: " + html);
            }
        } finally {
            for (Model m : open) m.close();
        }
        return Quant4j.OK;
    }

    private static Path copy(String resource, Path to) throws java.io.IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream("/dev/quant4j/models/" + resource)) {
            if (in == null) throw new IllegalStateException("the built-in model " + resource + " is missing from the class path (quant4j-train's resources)");
            Files.copy(in, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return to;
    }
}
