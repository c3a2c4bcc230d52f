package dev.quant4j.tune;

import dev.quant4j.data.Sample;
import dev.quant4j.eval.Bootstrap;
import dev.quant4j.graph.Model;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.quantize.Precision;
import dev.quant4j.tune.task.BlazeFaceInputs;
import dev.quant4j.tune.task.MiniLmInputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The full sensitivity tables (every layer also measured with all others quantized, larger held-out
 * subsets than the tests use), printed and written as JSON to the folder given (default: a temp folder).
 * Takes minutes; not a test (the tests run smaller versions). Run with the module's test class path:
 *
 * <pre>
 *   mvn -o -q -pl quant4j-tune test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 *   java --add-modules=jdk.incubator.vector -Dquant4j.testdata=../shared/testdata \
 *        -cp quant4j-tune/target/test-classes:quant4j-tune/target/classes:$(cat quant4j-tune/cp.txt) dev.quant4j.tune.SensitivityReport [DIR]
 * </pre>
 */
public final class SensitivityReport {
    private SensitivityReport() {}

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("quant4j-sensitivity");
        Files.createDirectories(dir);
        var tok = RealModels.miniLmTokenizer(dir);
        EvalData.Split<String> sentences = MiniLmInputs.sentences(RealModels.brownSentences(120), tok).split(0.25, 7);
        try (Model fp32 = OnnxReader.read(RealModels.miniLm(dir))) {
            PlanApplier applier = new PlanApplier(fp32, sentences.calibration().feedsIterable(), PlanApplier.Options.defaults());
            Map<String, Precision> layers = new LinkedHashMap<>();
            for (String n : applier.allowing(Precision.INT8_DYNAMIC)) layers.put(n, Precision.INT8_DYNAMIC);
            var ev = new Evaluator<>(MiniLmInputs.task(sentences.evaluation().limit(32)), Engine.onnxRuntime(1), fp32, Bootstrap.of(1));
            write(dir, "minilm-dynamic-int8", Sensitivity.analyze("all-MiniLM-L6-v2", applier, ev, layers, new Sensitivity.Options(4, -1)));
        }
        EvalData.Split<Sample> faces = BlazeFaceInputs.lfw(RealModels.lfw()).split(0.2, 11);
        try (Model fp32 = OnnxReader.read(RealModels.blazeFace())) {
            PlanApplier applier = new PlanApplier(fp32, faces.calibration().feedsIterable(), PlanApplier.Options.defaults());
            Map<String, Precision> layers = new LinkedHashMap<>();
            for (String n : applier.allowing(Precision.INT8_STATIC)) layers.put(n, Precision.INT8_STATIC);
            var ev = new Evaluator<>(BlazeFaceInputs.task(faces.evaluation()), Engine.onnxRuntime(1), fp32, Bootstrap.of(1));
            write(dir, "blazeface-static-int8", Sensitivity.analyze("BlazeFace", applier, ev, layers, new Sensitivity.Options(4, -1)));
        }
    }

    private static void write(Path dir, String name, SensitivityTable t) throws Exception {
        System.out.println(t.format(t.rows().size()));
        Path tmp = dir.resolve(name + ".json.tmp");
        Files.writeString(tmp, t.toJson());
        Files.move(tmp, dir.resolve(name + ".json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.println("wrote " + dir.resolve(name + ".json"));
    }
}
