package dev.quant4j.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.data.Sample;
import dev.quant4j.eval.Bootstrap;
import dev.quant4j.graph.Model;
import dev.quant4j.quantize.Precision;
import dev.quant4j.tune.task.ClassificationTask;
import dev.quant4j.tune.task.FashionExample;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The built-in Fashion-MNIST CNN (no test data needed): static int8 sensitivity on held-out slice images. */
class FashionSensitivityTest {
    static Model fp32;
    static EvalData.Split<Sample> split;

    @BeforeAll
    static void setUp() throws Exception {
        fp32 = FashionExample.openModel();
        split = FashionExample.evaluationSlice().split(0.1, 2026);
    }

    @AfterAll
    static void tearDown() { fp32.close(); }

    @Test
    void staticInt8Table() {
        PlanApplier applier = new PlanApplier(fp32, split.calibration().limit(64).feedsIterable(), PlanApplier.Options.defaults());
        Map<String, Precision> layers = new LinkedHashMap<>();
        applier.allowed().forEach((n, ps) -> { if (ps.contains(Precision.INT8_STATIC)) layers.put(n, Precision.INT8_STATIC); });
        System.out.println("allowed: " + applier.allowed());
        ClassificationTask task = FashionExample.task(split.evaluation());
        long t0 = System.nanoTime();
        Evaluator<Integer> ev = new Evaluator<>(task, Engine.quant4j(), fp32, Bootstrap.of(1));
        SensitivityTable t = Sensitivity.analyze("fashion-cnn", applier, ev, layers, Sensitivity.Options.defaults());
        System.out.println(t.format(20));
        System.out.printf("%.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(layers.size(), t.rows().size());
    }
}
