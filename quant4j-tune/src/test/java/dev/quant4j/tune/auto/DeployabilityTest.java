package dev.quant4j.tune.auto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.quantize.Precision;
import dev.quant4j.tune.Engine;
import dev.quant4j.tune.PlanApplier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeployabilityTest {
    static final List<Precision> LADDER = List.of(Precision.INT4_WEIGHT, Precision.INT8_DYNAMIC, Precision.INT8_STATIC, Precision.FP16);

    @Test
    void everyQuantizedFormOfTheChainRunsOnBothEngines() throws Exception {
        Model fp32 = ChainModel.build(1);
        List<LayerLadder> ladders = ChainModel.LAYERS.stream().map(n -> new LayerLadder(n, "MatMul", LADDER)).toList();
        List<LayerForms.Form> forms = LayerForms.build(fp32, ladders, ChainModel.inputs(1, 3).getFirst(), PlanApplier.Options.defaults());
        assertEquals(12, forms.size());
        for (LayerForms.Form f : forms) {
            assertTrue(f.built(), f.problem());
            // the form alone computes what the node computes in the model (same real input)
            try (Engine.Runner a = Engine.quant4j().open(f.floatForm().model())) {
                assertEquals(1, a.run(f.floatForm().feeds()).size());
            }
        }
        Map<String, Precision> plan = Map.of("mm1", Precision.INT4_WEIGHT, "harmful", Precision.INT8_STATIC, "mm3", Precision.INT8_DYNAMIC);
        for (Engine e : List.of(Engine.quant4j(), Engine.onnxRuntime(1))) {
            List<Deployability.Row> rows = Deployability.check(forms, plan, e, null);
            System.out.print(Deployability.table(rows));
            assertEquals(3, rows.size());
            for (Deployability.Row r : rows) {
                assertTrue(r.runs(), r.toString());
                assertNull(r.fast(), "not timed, so not called fast");
            }
            Deployability.Row mm1 = rows.stream().filter(r -> r.node().equals("mm1")).findFirst().orElseThrow();
            assertEquals(List.of("com.microsoft.MatMulNBits"), mm1.ops());
        }
    }

    /**
     * ONNX Runtime says what it runs after its rewrites: the Fashion CNN's first Conv in static form with
     * a quantized output becomes QLinearConv; the inputs-only form has no integer kernel, and the row warns.
     * (A MatMul needs no output Q: ORT turns DQ→MatMul into MatMulIntegerToFloat.)
     */
    @Test
    void onnxRuntimeRowsSayWhetherAnIntegerKernelRuns() throws Exception {
        try (Model fp32 = dev.quant4j.tune.task.FashionExample.openModel()) {
            List<LayerLadder> ladders = List.of(new LayerLadder("conv_0", "Conv", List.of(Precision.INT8_STATIC)));
            var feeds = dev.quant4j.tune.task.FashionExample.evaluationSlice().feeds(0);
            PlanApplier.Options d = PlanApplier.Options.defaults();
            PlanApplier.Options inputsOnly = new PlanApplier.Options(d.staticOptions().withQuantizedOutputs(false), d.observer(), d.dynamicOptions(),
                    d.weightOptions(), d.maxSubnormalFraction());
            LayerForms.Form withQ = LayerForms.build(fp32, ladders, feeds, d).getFirst(), without = LayerForms.build(fp32, ladders, feeds, inputsOnly).getFirst();
            Deployability.Row fused = Deployability.check(withQ, Engine.onnxRuntime(1), null), plain = Deployability.check(without, Engine.onnxRuntime(1), null);
            System.out.println(fused.reason() + "\n" + plain.reason());
            assertTrue(fused.runs() && plain.runs());
            assertTrue(fused.reason().contains(" as ") && fused.reason().contains("QLinearConv") && !fused.reason().contains("WARNING"), fused.reason());
            assertTrue(plain.reason().contains("WARNING: no integer kernel"), plain.reason());
            assertFalse(Deployability.check(withQ, Engine.quant4j(), null).reason().contains(" as "), "quant4j's runtime does not say what it fuses");
        }
    }

    @Test
    void anOperatorAnEngineLacksIsNamed() {
        Model fp32 = ChainModel.build(1);
        LayerLadder l = new LayerLadder("mm1", "MatMul", List.of(Precision.INT8_DYNAMIC));
        SingleNodeModel alone = SingleNodeModel.of(fp32, "mm1", NodeProbe.capture(fp32, java.util.Set.of("mm1"), ChainModel.inputs(1, 3).getFirst()));
        Model odd = new Model(alone.model().graph().copy());
        odd.opsets().putAll(alone.model().opsets());
        odd.opsets().put("com.example", 1L);
        Node n = odd.graph().nodes().getFirst();
        n.setOpType("FancyMatMul");
        n.setDomain("com.example");
        LayerForms.Form f = new LayerForms.Form(l, Precision.INT8_DYNAMIC, alone, odd, null);
        Deployability.Row q = Deployability.check(f, Engine.quant4j(), null);
        assertFalse(q.runs());
        assertTrue(q.reason().contains("no implementation of com.example.FancyMatMul"), q.reason());
        Deployability.Row o = Deployability.check(f, Engine.onnxRuntime(1), null);
        assertFalse(o.runs());
        assertTrue(o.reason().startsWith("onnxruntime cannot run it"), o.reason());
    }

    @Test
    void aSingleNodeModelReproducesTheNodeOutput() {
        Model fp32 = ChainModel.build(1);
        Map<String, Tensor> feeds = ChainModel.inputs(1, 4).getFirst();
        Map<String, Tensor> seen = NodeProbe.capture(fp32, java.util.Set.of("harmful"), feeds);
        SingleNodeModel alone = SingleNodeModel.of(fp32, "harmful", seen);
        assertEquals(List.of("h"), List.copyOf(alone.feeds().keySet()));
        try (Engine.Runner r = Engine.quant4j().open(alone.model())) {
            float[] got = r.run(alone.feeds()).get("b").floats(), want = seen.get("b").floats();
            // the same kernel on the same input: exactly the value seen inside the model
            assertEquals(java.util.Arrays.toString(want), java.util.Arrays.toString(got));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
