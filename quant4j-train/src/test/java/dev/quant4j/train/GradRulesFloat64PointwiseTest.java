package dev.quant4j.train;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The element-wise backward rules (broadcast arithmetic, Pow, activations, Erf/Gelu, ReduceMean and
 * the ReduceMean form of LayerNorm, GELU's decomposed forms) against central differences of float64 evaluators
 * ({@link Ref64Pointwise}), as {@link GradRulesFloat64Test} does for the heavy operators. Inputs
 * sit at least 0.02 from every kink, far beyond the 1e-6 step.
 */
class GradRulesFloat64PointwiseTest {
    private static long[] s(long... d) { return d; }

    private final SplittableRandom rnd = new SplittableRandom(11);

    /** Uniform values in [lo, hi) redrawn while within {@code gap} of a kink. */
    private float[] avoiding(int n, double lo, double hi, double gap, double... kinks) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            boolean near;
            do {
                v[i] = (float) (lo + (hi - lo) * rnd.nextDouble());
                near = false;
                for (double k : kinks) near |= Math.abs(v[i] - k) < gap;
            } while (near);
        }
        return v;
    }

    @Test void broadcastArithmetic() {
        // both operands broadcast: [2,1,4] with [3,1] gives [2,3,4]
        new GradCheck("Add").input(s(2, 1, 4), -1, 1).input(s(3, 1), -1, 1)
                .reference(x -> Ref64Pointwise.binary(x[0], s(2, 1, 4), x[1], s(3, 1), Double::sum)).run();
        new GradCheck("Sub").input(s(4), -1, 1).input(s(2, 3, 4), -1, 1)
                .reference(x -> Ref64Pointwise.binary(x[0], s(4), x[1], s(2, 3, 4), (a, b) -> a - b)).run();
        new GradCheck("Sub").input(s(2, 3, 4), -1, 1).input(s(1), -1, 1)
                .reference(x -> Ref64Pointwise.binary(x[0], s(2, 3, 4), x[1], s(1), (a, b) -> a - b)).run();
        new GradCheck("Mul").input(s(2, 3, 4), -1, 1).input(s(1, 3, 1), -1, 1)
                .reference(x -> Ref64Pointwise.binary(x[0], s(2, 3, 4), x[1], s(1, 3, 1), (a, b) -> a * b)).run();
        new GradCheck("Mul").input(s(3, 1, 2), -1, 1).input(s(1, 4, 2), -1, 1)
                .reference(x -> Ref64Pointwise.binary(x[0], s(3, 1, 2), x[1], s(1, 4, 2), (a, b) -> a * b)).run();
        // a rank-0 operand: its gradient is the sum over the whole output
        new GradCheck("Mul").input(s(2, 3), -1, 1).input(new float[] {0.7f})
                .reference(x -> Ref64Pointwise.binary(x[0], s(2, 3), x[1], s(), (a, b) -> a * b)).run();
        // divisors of both signs, kept away from zero
        new GradCheck("Div").input(s(2, 3, 4), -1, 1).input(avoiding(3, -2, 2, 0.5, 0), 3, 1)
                .reference(x -> Ref64Pointwise.binary(x[0], s(2, 3, 4), x[1], s(3, 1), (a, b) -> a / b)).run();
        new GradCheck("Div").input(s(4), -1, 1).input(avoiding(24, -2, 2, 0.5, 0), 2, 3, 4)
                .reference(x -> Ref64Pointwise.binary(x[0], s(4), x[1], s(2, 3, 4), (a, b) -> a / b)).run();
    }

    @Test void pow() {
        new GradCheck("Pow").input(s(2, 3), 0.5, 2).input(s(3), -1.5, 2.5)
                .reference(x -> Ref64Pointwise.binary(x[0], s(2, 3), x[1], s(3), Math::pow)).run();
        // a constant integral exponent, as LayerNorm's variance uses it: negative bases are fine
        new GradCheck("Pow").input(s(3, 4), -2, 2).constant(Tensor.scalar(2f))
                .reference(x -> Ref64Pointwise.unary(x[0], v -> v * v)).run();
        new GradCheck("Pow").input(s(3, 4), -2, 2).constant(Tensor.scalar(3f))
                .reference(x -> Ref64Pointwise.unary(x[0], v -> v * v * v)).run();
    }

    @Test void reluFamilyAndClip() {
        new GradCheck("Relu").input(avoiding(21, -2, 2, 0.02, 0), 3, 7).reference(x -> Ref64Pointwise.unary(x[0], v -> Math.max(v, 0))).run();
        new GradCheck("LeakyRelu").attr("alpha", 0.1f).input(avoiding(21, -2, 2, 0.02, 0), 3, 7)
                .reference(x -> Ref64Pointwise.unary(x[0], v -> v > 0 ? v : 0.1f * v)).run();
        new GradCheck("LeakyRelu").input(avoiding(21, -2, 2, 0.02, 0), 3, 7)
                .reference(x -> Ref64Pointwise.unary(x[0], v -> v > 0 ? v : 0.01f * v)).run();
        // values on both sides of both bounds
        new GradCheck("Clip").input(avoiding(28, -2, 2, 0.02, -1.2, 0.9), 4, 7).constant(Tensor.scalar(-1.2f)).constant(Tensor.scalar(0.9f))
                .reference(x -> Ref64Pointwise.unary(x[0], v -> Math.clamp(v, -1.2f, 0.9f))).run();
        new GradCheck("Clip").input(avoiding(28, -2, 2, 0.02, -0.3), 4, 7).constant(Tensor.scalar(-0.3f))
                .reference(x -> Ref64Pointwise.unary(x[0], v -> Math.max(v, -0.3f))).run();
        new GradCheck("Clip").input(avoiding(28, -2, 2, 0.02, 0.5), 4, 7).absent().constant(Tensor.scalar(0.5f))
                .reference(x -> Ref64Pointwise.unary(x[0], v -> Math.min(v, 0.5f))).run();
        // before opset 11 the bounds are attributes
        new GradCheck("Clip").opset(6).attr("min", 0f).attr("max", 6f).input(avoiding(28, -2, 8, 0.02, 0, 6), 4, 7)
                .reference(x -> Ref64Pointwise.unary(x[0], v -> Math.clamp(v, 0, 6))).run();
    }

    @Test void smoothActivations() {
        new GradCheck("Sigmoid").input(s(3, 7), -4, 4).reference(x -> Ref64Pointwise.unary(x[0], Ref64Pointwise::sigmoid)).run();
        new GradCheck("Tanh").input(s(3, 7), -2.5, 2.5).reference(x -> Ref64Pointwise.unary(x[0], Math::tanh)).run();
        // HardSigmoid's kinks where αx + β reaches 0 and 1: x = −4/3 and x = 2
        new GradCheck("HardSigmoid").attr("alpha", 0.3f).attr("beta", 0.4f).input(avoiding(28, -2.5, 3, 0.02, -4.0 / 3, 2), 4, 7)
                .reference(x -> Ref64Pointwise.unary(x[0], v -> Ref64Pointwise.hardSigmoid(v, 0.3f, 0.4f))).run();
        new GradCheck("HardSigmoid").input(avoiding(28, -4, 4, 0.02, -2.5, 2.5), 4, 7)
                .reference(x -> Ref64Pointwise.unary(x[0], v -> Ref64Pointwise.hardSigmoid(v, 0.2f, 0.5f))).run();
    }

    @Test void erfAndGelu() {
        new GradCheck("Erf").input(s(4, 7), -3, 3).reference(x -> Ref64Pointwise.unary(x[0], Ref64Pointwise::erf)).run();
        new GradCheck("Gelu").input(s(4, 7), -4, 4).reference(x -> Ref64Pointwise.unary(x[0], Ref64Pointwise::gelu)).run();
        new GradCheck("Gelu").attr("approximate", "tanh").input(s(4, 7), -4, 4)
                .reference(x -> Ref64Pointwise.unary(x[0], Ref64Pointwise::geluTanh)).run();
    }

    @Test void sqrtExpLogNegIdentity() {
        new GradCheck("Sqrt").input(s(2, 5), 0.2, 3).reference(x -> Ref64Pointwise.unary(x[0], Math::sqrt)).run();
        new GradCheck("Exp").input(s(2, 5), -2, 2).reference(x -> Ref64Pointwise.unary(x[0], Math::exp)).run();
        new GradCheck("Log").input(s(2, 5), 0.2, 3).reference(x -> Ref64Pointwise.unary(x[0], Math::log)).run();
        new GradCheck("Neg").input(s(2, 5), -1, 1).reference(x -> Ref64Pointwise.unary(x[0], v -> -v)).run();
        new GradCheck("Identity").input(s(2, 5), -1, 1).reference(x -> x[0].clone()).run();
    }

    @Test void reduceMean() {
        new GradCheck("ReduceMean").input(s(2, 3, 4), -1, 1).constant(Tensor.vectorOfLongs(1))
                .reference(x -> Ref64Pointwise.reduceMean(x[0], s(2, 3, 4), 1)).run();
        new GradCheck("ReduceMean").attr("keepdims", 0L).input(s(2, 3, 4), -1, 1).constant(Tensor.vectorOfLongs(0, -1))
                .reference(x -> Ref64Pointwise.reduceMean(x[0], s(2, 3, 4), 0, 2)).run();
        new GradCheck("ReduceMean").input(s(2, 3, 4), -1, 1).reference(x -> Ref64Pointwise.reduceMean(x[0], s(2, 3, 4))).run();
        new GradCheck("ReduceMean").opset(13).attr("axes", -1L).input(s(2, 3, 4), -1, 1)
                .reference(x -> Ref64Pointwise.reduceMean(x[0], s(2, 3, 4), 2)).run();
    }

    /**
     * LayerNorm as older exporters write it (ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul,
     * Add), the whole graph differentiated through x, γ and β, against the float64 LayerNorm.
     */
    @Test void layerNormReduceMeanForm() {
        Model m = graph(List.of(s(2, 3, 5), s(5), s(5)),
                Map.of("axes", Tensor.vectorOfLongs(-1), "two", Tensor.scalar(2f), "eps", Tensor.scalar(1e-5f)),
                new String[][] {
                    {"ReduceMean", "in0", "axes", "mu"}, {"Sub", "in0", "mu", "d"}, {"Pow", "d", "two", "sq"},
                    {"ReduceMean", "sq", "axes", "var"}, {"Add", "var", "eps", "ve"}, {"Sqrt", "ve", "std"},
                    {"Div", "d", "std", "xh"}, {"Mul", "xh", "in1", "sc"}, {"Add", "sc", "in2", "y0"}});
        GradCheck.graph("LayerNorm as ReduceMean…Add", m).input(s(2, 3, 5), -2, 2).input(s(5), 0.5, 1.5).input(s(5), -1, 1)
                .reference(x -> Ref64.layerNorm(x[0], 5, x[1], x[2], 1e-5f)).run();
    }

    /** GELU as exporters spell it out before opset 20: the Erf form and the tanh form, each a whole graph. */
    @Test void geluDecomposed() {
        Model erfForm = graph(List.of(s(4, 7)),
                Map.of("r2", Tensor.scalar((float) Math.sqrt(2)), "one", Tensor.scalar(1f), "half", Tensor.scalar(0.5f)),
                new String[][] {
                    {"Div", "in0", "r2", "u"}, {"Erf", "u", "e"}, {"Add", "e", "one", "p"}, {"Mul", "in0", "p", "q"}, {"Mul", "q", "half", "y0"}});
        GradCheck.graph("Gelu as Div, Erf, Add, Mul, Mul", erfForm).input(s(4, 7), -4, 4)
                .reference(x -> Ref64Pointwise.unary(x[0], v -> 0.5f * v * (1 + Ref64Pointwise.erf(v / (float) Math.sqrt(2))))).run();
        Model tanhForm = graph(List.of(s(4, 7)),
                Map.of("three", Tensor.scalar(3f), "c", Tensor.scalar(0.044715f), "k", Tensor.scalar((float) Math.sqrt(2 / Math.PI)),
                        "one", Tensor.scalar(1f), "half", Tensor.scalar(0.5f)),
                new String[][] {
                    {"Pow", "in0", "three", "x3"}, {"Mul", "x3", "c", "cx3"}, {"Add", "in0", "cx3", "in"}, {"Mul", "in", "k", "u"},
                    {"Tanh", "u", "t"}, {"Add", "t", "one", "p"}, {"Mul", "in0", "p", "q"}, {"Mul", "q", "half", "y0"}});
        GradCheck.graph("Gelu as Pow, Mul, Add, Mul, Tanh, Add, Mul, Mul", tanhForm).input(s(4, 7), -4, 4)
                .reference(x -> Ref64Pointwise.unary(x[0], v -> 0.5f * v * (1 + Math.tanh((float) Math.sqrt(2 / Math.PI) * (v + 0.044715f * v * v * v))))).run();
    }

    /** A float graph with inputs in0, in1, … of the given shapes, the given constants, and nodes {op, inputs…, output} ending in y0. */
    private static Model graph(List<long[]> inputs, Map<String, Tensor> constants, String[][] nodes) {
        Graph g = new Graph("check");
        for (int i = 0; i < inputs.size(); i++) g.inputs().add(ValueInfo.tensor("in" + i, DataType.FLOAT32, inputs.get(i)));
        g.initializers().putAll(constants);
        for (String[] n : nodes)
            g.addNode(new Node(n[n.length - 1], n[0], "", List.of(n).subList(1, n.length - 1), List.of(n[n.length - 1]), new Attributes()));
        g.outputs().add(new ValueInfo("y0", null));
        Model m = new Model(g);
        m.opsets().put("", 21L);
        return m;
    }
}
