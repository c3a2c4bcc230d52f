package dev.quant4j.tune.auto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.data.Sample;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.quantize.Precision;
import dev.quant4j.testkit.TestData;
import dev.quant4j.tune.Engine;
import dev.quant4j.tune.EvalData;
import dev.quant4j.tune.PlanApplier;
import dev.quant4j.tune.task.BlazeFaceInputs;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * BlazeFace's Conv layers alone, with the shapes they see on a real face: each float form computes
 * exactly what its node computes inside the model, every int8-static form runs on both
 * engines, and the speed gate times each of them (figures printed, not asserted).
 */
class BlazeFaceFormsTest {
    @Test
    void everyConvFormReproducesItsNodeRunsOnBothEnginesAndIsTimed() throws Exception {
        EvalData<Sample> faces = BlazeFaceInputs.lfw(TestData.require("datasets/images/lfw_subset.npy"));
        Map<String, Tensor> feeds = faces.feeds(3);
        try (Model fp32 = OnnxReader.read(TestData.require("models/blazeface/face_detection_front_128x128_barracuda.onnx"))) {
            List<LayerLadder> ladders = new ArrayList<>();
            Set<String> names = new LinkedHashSet<>();
            for (Node n : fp32.graph().nodes()) {
                if (!n.opType().equals("Conv")) continue;
                ladders.add(new LayerLadder(n.name(), "Conv", List.of(Precision.INT8_STATIC)));
                names.add(n.name());
            }
            assertEquals(37, ladders.size());
            Map<String, Tensor> seen = NodeProbe.capture(fp32, names, feeds);
            List<LayerForms.Form> forms = LayerForms.build(fp32, ladders, feeds, PlanApplier.Options.defaults());
            assertEquals(37, forms.size());
            for (LayerLadder l : ladders) {
                SingleNodeModel alone = forms.stream().filter(f -> f.layer().equals(l)).findFirst().orElseThrow().floatForm();
                String out = fp32.graph().node(l.node()).output(0);
                try (Engine.Runner r = Engine.quant4j().open(alone.model())) {
                    assertArrayEquals(seen.get(out).floats(), r.run(alone.feeds()).get(out).floats(), l.node());
                }
            }
            for (LayerForms.Form f : forms) assertTrue(f.built(), f.layer().node() + " " + f.precision() + ": " + f.problem());
            for (Engine e : List.of(Engine.quant4j(), Engine.onnxRuntime(1))) {
                for (LayerForms.Form f : forms) {
                    Deployability.Row row = Deployability.check(f, e, null);
                    assertTrue(row.runs(), row.toString());
                }
            }
            SpeedGate.Result gate = SpeedGate.time(forms, Engine.onnxRuntime(1), new SpeedGate.Settings(1, 3, 0.95));
            assertEquals(37, gate.timings().size());
            long pays = 0;
            for (LayerTiming t : gate.timings()) {
                assertTrue(t.ratio() > 0 && Double.isFinite(t.ratio()), t.toString());
                assertEquals(t.ratio() < 0.95, t.paysOff(), t.toString());
                if (t.paysOff()) pays++;
            }
            System.out.printf("BlazeFace speed gate on onnxruntime (1 thread, 3 rounds): %d of %d Conv forms measured faster than fp32%n", pays, gate.timings().size());
        }
    }
}
