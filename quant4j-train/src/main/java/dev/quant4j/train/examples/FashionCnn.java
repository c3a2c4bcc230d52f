package dev.quant4j.train.examples;

import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Model;
import dev.quant4j.train.NetBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The built-in example network for 28×28 grey images, 10 classes:
 * <pre>
 *   x[N,1,28,28] → Conv3×3(c1) → BN → Relu → MaxPool2 → Conv3×3(c2) → BN → Relu → MaxPool2
 *                → Flatten → Gemm(10) → logits
 * </pre>
 * Convolutions have no bias (the BatchNormalization after them has one). Parameters are named
 * c1.w, bn1.scale, bn1.bias, bn1.mean, bn1.var, c2.w, bn2.*, fc.w, fc.b.
 */
public final class FashionCnn {
    private FashionCnn() {}

    public static final String INPUT = "image", OUTPUT = "logits";

    /** He-normal initial weights from a seed; BN scale 1, bias 0, running mean 0, var 1. */
    public static Map<String, float[]> init(int c1, int c2, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, float[]> p = new LinkedHashMap<>();
        p.put("c1.w", he(r, c1 * 9, 9));
        bn(p, "bn1", c1);
        p.put("c2.w", he(r, c2 * c1 * 9, c1 * 9));
        bn(p, "bn2", c2);
        p.put("fc.w", he(r, 10 * c2 * 49, c2 * 49));
        p.put("fc.b", new float[10]);
        return p;
    }

    private static void bn(Map<String, float[]> p, String n, int c) {
        float[] one = new float[c];
        java.util.Arrays.fill(one, 1f);
        p.put(n + ".scale", one.clone());
        p.put(n + ".bias", new float[c]);
        p.put(n + ".mean", new float[c]);
        p.put(n + ".var", one.clone());
    }

    private static float[] he(SplittableRandom r, int n, int fanIn) {
        float[] w = new float[n];
        double sd = Math.sqrt(2.0 / fanIn);
        for (int i = 0; i < n; i++) w[i] = (float) (gaussian(r) * sd);
        return w;
    }

    /** Box–Muller (SplittableRandom has no nextGaussian with a fixed algorithm across JDKs). */
    static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble(), v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    public static int c1(Map<String, float[]> p) { return p.get("bn1.scale").length; }

    public static int c2(Map<String, float[]> p) { return p.get("bn2.scale").length; }

    /**
     * The graph. {@code training}: parameters are graph inputs and BatchNormalization runs in
     * training mode (batch statistics; running statistics as extra outputs named in
     * {@link #runningStatOutputs}).
     */
    public static Model build(Map<String, float[]> p, boolean training) {
        int c1 = c1(p), c2 = c2(p);
        NetBuilder b = new NetBuilder("fashion_cnn", training);
        String x = b.input(INPUT, 1, 28, 28);
        x = block(b, p, x, "c1", "bn1", c1, 1, training);
        x = block(b, p, x, "c2", "bn2", c2, c1, training);
        x = b.op("Flatten", new Attributes().put("axis", 1L), x);
        String y = b.node("Gemm", java.util.List.of(x, b.param("fc.w", p.get("fc.w"), 10, c2 * 49L), b.param("fc.b", p.get("fc.b"), 10)),
                1, new Attributes().put("transB", 1L))[0];
        b.graph().renameValue(y, OUTPUT);
        return b.output(OUTPUT, 10);
    }

    private static String block(NetBuilder b, Map<String, float[]> p, String x, String conv, String bn, int c, int cin, boolean training) {
        String w = b.param(conv + ".w", p.get(conv + ".w"), c, cin, 3, 3);
        String y = b.op("Conv", new Attributes().put("kernel_shape", 3L, 3L).put("pads", 1L, 1L, 1L, 1L), x, w);
        var ins = java.util.List.of(y, b.param(bn + ".scale", p.get(bn + ".scale"), c), b.param(bn + ".bias", p.get(bn + ".bias"), c),
                b.param(bn + ".mean", p.get(bn + ".mean"), c), b.param(bn + ".var", p.get(bn + ".var"), c));
        Attributes a = new Attributes().put("epsilon", 1e-5f).put("momentum", 0.9f);
        String[] outs;
        if (training) {
            a.put("training_mode", 1L);
            outs = b.node("BatchNormalization", ins, 3, a);
            b.graph().renameValue(outs[1], bn + ".running_mean");
            b.graph().renameValue(outs[2], bn + ".running_var");
        } else {
            outs = b.node("BatchNormalization", ins, 1, a);
        }
        String r = b.op("Relu", null, outs[0]);
        return b.op("MaxPool", new Attributes().put("kernel_shape", 2L, 2L).put("strides", 2L, 2L), r);
    }

    /** BN running-statistic outputs of the training graph → the parameter they update. */
    public static Map<String, String> runningStatOutputs() {
        return Map.of("bn1.running_mean", "bn1.mean", "bn1.running_var", "bn1.var", "bn2.running_mean", "bn2.mean", "bn2.running_var", "bn2.var");
    }

    public static java.util.Set<String> trainable() {
        return java.util.Set.of("c1.w", "bn1.scale", "bn1.bias", "c2.w", "bn2.scale", "bn2.bias", "fc.w", "fc.b");
    }
}
