package dev.quant4j.runtime.ops;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Shape;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.infer.InferenceResult;
import dev.quant4j.graph.infer.ShapeInference;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.onnx.OnnxWriter;
import dev.quant4j.runtime.Session;
import dev.quant4j.runtime.SessionOptions;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Times every Conv layer of the CNN models, one layer at a time, in quant4j's runtime and in ONNX
 * Runtime side by side (same thread count, warm-up, median of repeated runs), and prints each
 * layer's ratio and each model's total. Layer input shapes come from shape inference on the
 * model's real input size. With one thread the times are the calling thread's CPU time (both
 * engines then compute on that thread), which stays meaningful on a shared, loaded machine.
 *
 * <pre>
 *   java -cp … dev.quant4j.runtime.ops.ConvBench [threads] [testdata dir]
 * </pre>
 */
public final class ConvBench {
    private ConvBench() {}

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        Path data = Path.of(args.length > 1 ? args[1] : "../shared/testdata").resolve("models");
        Map<String, Map<String, long[]>> models = new LinkedHashMap<>();
        models.put("ppocr/ch_ppocr_mobile_v2.0_cls_infer.onnx", Map.of("x", new long[] {1, 3, 48, 192}));
        models.put("ppocr/ch_PP-OCRv4_rec_infer.onnx", Map.of("x", new long[] {1, 3, 48, 320}));
        models.put("blazeface/face_detection_front_128x128_barracuda.onnx", Map.of("input:0", new long[] {1, 128, 128, 3}));
        models.put("openwakeword/embedding_model.onnx", Map.of("input_1", new long[] {1, 76, 32, 1}));
        cpuTime = threads == 1;
        System.out.printf("threads %d; times are medians (%s, microseconds) of runs alternating between the engines; ratio = quant4j / ONNX Runtime%n",
                threads, cpuTime ? "CPU time of the calling thread" : "wall time");
        String only = System.getProperty("bench.model", "");
        for (Map.Entry<String, Map<String, long[]>> m : models.entrySet()) if (m.getKey().contains(only)) bench(data.resolve(m.getKey()), m.getValue(), threads);
    }

    private static void bench(Path file, Map<String, long[]> inputs, int threads) throws Exception {
        double ours = 0, theirs = 0;
        int layers = 0;
        System.out.println("== " + file.getFileName());
        try (Model model = OnnxReader.read(file)) {
            Graph g = model.graph();
            Map<String, Shape> shapes = new LinkedHashMap<>();
            inputs.forEach((k, v) -> shapes.put(k, Shape.of(v)));
            InferenceResult inf = new ShapeInference(dev.quant4j.graph.infer.ShapeRules.defaults()).infer(g, model.onnxOpset(), shapes, Map.of());
            for (Node n : g.nodes()) {
                if (!n.opType().equals("Conv")) continue;
                Shape xs = inf.shape(n.input(0));
                Tensor w = constant(g, n.input(1));
                if (xs == null || !xs.isFullyKnown() || w == null) continue;
                NodeCheck c = new NodeCheck("Conv").opset(model.onnxOpset()).feed("x", NodeCheck.random(new Random(1), xs.toArray()))
                        .constant("w", w);
                if (n.hasInput(2) && constant(g, n.input(2)) != null) c.constant("b", constant(g, n.input(2)));
                n.attributes().asMap().forEach((k, v) -> c.attrRaw(k, v));
                c.outputs("y");
                double[] t = time(c, threads);
                ours += t[0];
                theirs += t[1];
                layers++;
                System.out.printf("  %-40s x%-18s w%-18s g%-4d %9.1f %9.1f  %5.2f%n", trim(n.name()), Arrays.toString(xs.toArray()),
                        Arrays.toString(w.shape()), n.attributes().getInt("group", 1), t[0], t[1], t[0] / t[1]);
            }
        }
        System.out.printf("  total of %d Conv layers: quant4j %.0f us, ONNX Runtime %.0f us, ratio %.2f%n", layers, ours, theirs, ours / theirs);
    }

    /** An initializer or the value of a Constant node. */
    private static Tensor constant(Graph g, String name) {
        Tensor t = g.initializers().get(name);
        Node p = t == null ? g.producer(name) : null;
        return p != null && p.opType().equals("Constant") ? p.attributes().getTensor("value") : t;
    }

    private static String trim(String s) { return s.length() > 40 ? s.substring(s.length() - 40) : s; }

    /**
     * Median run times (µs) of quant4j and ONNX Runtime on the same one-node model and input. The
     * two engines alternate run by run, so that a change in the load of the (shared) machine
     * affects both alike.
     */
    private static double[] time(NodeCheck c, int threads) throws Exception {
        Tensor x = c.feeds().get("x");
        Map<String, Tensor> feeds = Map.of("x", x);
        int warmup = Integer.getInteger("bench.warmup", 100), reps = Integer.getInteger("bench.reps", 41);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (Session ours = Session.create(c.model(), SessionOptions.threads(threads));
             OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            try (OrtSession theirs = env.createSession(OnnxWriter.toBytes(c.model()), o);
                 OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.floats()), x.shape())) {
                Map<String, OnnxTensor> f = Map.of("x", in);
                Runnable a = () -> ours.run(feeds);
                Runnable b = () -> { try (OrtSession.Result r = theirs.run(f)) { r.get(0); } catch (Exception e) { throw new RuntimeException(e); } };
                for (int i = 0; i < warmup; i++) { a.run(); b.run(); }
                double[] ta = new double[reps], tb = new double[reps];
                for (int i = 0; i < reps; i++) { ta[i] = micros(a); tb[i] = micros(b); }
                return new double[] {median(ta), median(tb)};
            }
        }
    }

    private static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();
    /** With one thread every engine works on the calling thread, so its CPU time is the cost even on a loaded machine. */
    static boolean cpuTime;

    private static double micros(Runnable r) {
        long t0 = cpuTime ? MX.getCurrentThreadCpuTime() : System.nanoTime();
        r.run();
        return ((cpuTime ? MX.getCurrentThreadCpuTime() : System.nanoTime()) - t0) / 1e3;
    }

    private static double median(double[] t) {
        Arrays.sort(t);
        return t[t.length / 2];
    }
}
