package dev.quant4j.train;

import static org.junit.jupiter.api.Assertions.fail;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.runtime.Session;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Checks a node's backward rule against central finite differences of the runtime's forward.
 * The scalar is L = Σ r_i·y_i over the node's first output with fixed random weights r, summed in
 * float64; each input element is perturbed by ±h and the forward re-run, so the reference never
 * touches the backward rules. The runtime's operators compute in fp32, which bounds how small h
 * can be (round-off ~ 1e-7·|L|/h), hence the tolerance.
 */
final class GradCheck {
    private final String op;
    private final Attributes attrs = new Attributes();
    private final Map<String, Tensor> inputs = new LinkedHashMap<>();
    private final Map<String, Tensor> constants = new LinkedHashMap<>();
    private final List<String> order = new ArrayList<>();
    private int outputs = 1;
    private long opset = 21;
    private double h = 1e-2, atol = 2e-3, rtol = 1e-2;
    private final SplittableRandom rnd = new SplittableRandom(7);
    private java.util.function.Function<double[][], double[]> reference;
    private double refH = 1e-6, refAtol = 2e-5, refRtol = 2e-4;

    private Model given;

    GradCheck(String op) { this.op = op; }

    /**
     * Check a whole graph instead of one node: its graph inputs must be named in0, in1, … in the
     * order of the {@code input} calls, and its output y0; {@code label} names it in failures.
     */
    static GradCheck graph(String label, Model m) {
        GradCheck c = new GradCheck(label);
        c.given = m;
        return c;
    }

    GradCheck attr(String name, long v) { attrs.put(name, v); return this; }
    GradCheck attr(String name, float v) { attrs.put(name, v); return this; }
    GradCheck attr(String name, long... v) { attrs.put(name, v); return this; }
    GradCheck attr(String name, String v) { attrs.put(name, v); return this; }
    GradCheck outputs(int n) { outputs = n; return this; }
    GradCheck opset(long v) { opset = v; return this; }
    GradCheck step(double v) { h = v; return this; }
    GradCheck tolerance(double abs, double rel) { atol = abs; rtol = rel; return this; }

    /**
     * Differentiate a float64 evaluator of the op's formula (given the differentiated inputs in
     * order) instead of the runtime's fp32 forward: its central differences are exact to ~1e-10,
     * so the backward is held to fp32 accuracy. The evaluator's forward must match the runtime's.
     */
    GradCheck reference(java.util.function.Function<double[][], double[]> f) { reference = f; return this; }
    GradCheck referenceTolerance(double abs, double rel) { refAtol = abs; refRtol = rel; return this; }

    /** A differentiated input of random values in [lo, hi), kept at least {@code gap} from each other where asked. */
    GradCheck input(long[] shape, double lo, double hi) {
        int n = (int) Tensor.elementCount(shape);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (lo + (hi - lo) * rnd.nextDouble());
        return input(v, shape);
    }

    /** Random values away from 0 by at least {@code gap} (for kinks at zero). */
    GradCheck inputAwayFromZero(long[] shape, double scale, double gap) {
        int n = (int) Tensor.elementCount(shape);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double m = gap + (scale - gap) * rnd.nextDouble();
            v[i] = (float) (rnd.nextBoolean() ? m : -m);
        }
        return input(v, shape);
    }

    GradCheck input(float[] v, long... shape) {
        String name = "in" + order.size();
        inputs.put(name, Tensor.of(v, shape));
        order.add(name);
        return this;
    }

    GradCheck constant(Tensor t) {
        String name = "in" + order.size();
        constants.put(name, t);
        order.add(name);
        return this;
    }

    GradCheck absent() { order.add(""); return this; }

    private Model model() {
        if (given != null) return given;
        Graph g = new Graph("check");
        inputs.forEach((n, t) -> g.inputs().add(ValueInfo.tensor(n, DataType.FLOAT32, t.shape())));
        constants.forEach(g.initializers()::put);
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < outputs; i++) outs.add("y" + i);
        g.addNode(new Node("n", op, "", order, outs, attrs));
        g.outputs().add(new ValueInfo("y0", null));
        Model m = new Model(g);
        m.opsets().put("", opset);
        return m;
    }

    void run() {
        Model m = model();
        Map<String, Tensor> feeds = new HashMap<>(inputs);
        float[] y0;
        try (Session s = Session.create(m)) {
            y0 = s.run(feeds).get("y0").floats();
        }
        double[] r = new double[y0.length];
        float[] seed = new float[y0.length];
        for (int i = 0; i < r.length; i++) { seed[i] = (float) (rnd.nextDouble() * 2 - 1); r[i] = seed[i]; }
        Map<String, float[]> analytic;
        try (Backprop bp = new Backprop(m)) {
            analytic = bp.backward(bp.forward(feeds), Map.of("y0", seed), Set.copyOf(inputs.keySet()));
        }
        if (reference != null) { checkAgainstReference(y0, r, analytic); return; }
        try (Session s = Session.create(m)) {
            StringBuilder bad = new StringBuilder();
            double worst = 0;
            for (String name : inputs.keySet()) {
                float[] base = inputs.get(name).floats();
                long[] shape = inputs.get(name).shape();
                float[] a = analytic.get(name);
                for (int i = 0; i < base.length; i++) {
                    double lp = loss(s, feeds, name, base, shape, i, base[i] + h, r);
                    double lm = loss(s, feeds, name, base, shape, i, base[i] - h, r);
                    double num = (lp - lm) / (2 * h);
                    double err = Math.abs(num - a[i]);
                    worst = Math.max(worst, err);
                    if (err > atol + rtol * Math.abs(num) && bad.length() < 2000)
                        bad.append(String.format("%n  d/d%s[%d]: backward %.6g, finite difference %.6g", name, i, a[i], num));
                }
                feeds.put(name, Tensor.of(base, shape));
            }
            if (!bad.isEmpty()) fail(op + " gradient differs from central differences (h=" + h + "):" + bad);
        }
    }

    private void checkAgainstReference(float[] y0, double[] r, Map<String, float[]> analytic) {
        List<String> names = List.copyOf(inputs.keySet());
        double[][] x = new double[names.size()][];
        for (int k = 0; k < x.length; k++) {
            float[] f = inputs.get(names.get(k)).floats();
            x[k] = new double[f.length];
            for (int i = 0; i < f.length; i++) x[k][i] = f[i];
        }
        double[] y = reference.apply(x);
        if (y.length != y0.length) fail(op + ": the float64 reference gives " + y.length + " values, the runtime " + y0.length);
        for (int i = 0; i < y.length; i++)
            if (Math.abs(y[i] - y0[i]) > 1e-4 * (1 + Math.abs(y[i]))) fail(op + ": float64 reference y[" + i + "] = " + y[i] + ", runtime " + y0[i]);
        StringBuilder bad = new StringBuilder();
        for (int k = 0; k < x.length; k++) {
            float[] a = analytic.get(names.get(k));
            for (int i = 0; i < x[k].length; i++) {
                double keep = x[k][i];
                x[k][i] = keep + refH;
                double lp = dot(r, reference.apply(x));
                x[k][i] = keep - refH;
                double lm = dot(r, reference.apply(x));
                x[k][i] = keep;
                double num = (lp - lm) / (2 * refH);
                if (Math.abs(num - a[i]) > refAtol + refRtol * Math.abs(num) && bad.length() < 2000)
                    bad.append(String.format("%n  d/d%s[%d]: backward %.8g, float64 central difference %.8g", names.get(k), i, a[i], num));
            }
        }
        if (!bad.isEmpty()) fail(op + " gradient differs from float64 central differences (h=" + refH + "):" + bad);
    }

    private static double dot(double[] r, double[] y) {
        double l = 0;
        for (int k = 0; k < y.length; k++) l += r[k] * y[k];
        return l;
    }

    private static double loss(Session s, Map<String, Tensor> feeds, String name, float[] base, long[] shape, int i, double v, double[] r) {
        float[] p = base.clone();
        p[i] = (float) v;
        feeds.put(name, Tensor.of(p, shape));
        float[] y = s.run(feeds).get("y0").floats();
        double l = 0;
        for (int k = 0; k < y.length; k++) l += r[k] * y[k];
        return l;
    }
}
