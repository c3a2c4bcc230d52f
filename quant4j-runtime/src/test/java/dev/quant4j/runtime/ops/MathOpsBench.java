package dev.quant4j.runtime.ops;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.quant4j.graph.Tensor;
import dev.quant4j.onnx.OnnxWriter;
import dev.quant4j.runtime.Session;
import dev.quant4j.runtime.SessionOptions;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * Times the math operators at the shapes the MiniLM / speech models use, quant4j's runtime and
 * ONNX Runtime side by side in one JVM (same thread count, warm-up, median of many runs). Not a
 * test: run with
 * {@code java -cp <test classpath> dev.quant4j.runtime.ops.MathOpsBench [threads] [runs]}.
 */
public final class MathOpsBench {
    private MathOpsBench() {}

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1, runs = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Random r = new Random(1);
        Tensor attn = MathOpsTest.scaled(r, 8, 0, 1, 12, 128, 128), ffn = MathOpsTest.scaled(r, 4, 0, 1, 128, 1536), hid = NodeCheck.random(r, 1, 128, 384);
        System.out.printf("threads %d, %d runs each, median [min, max] microseconds%n", threads, runs);
        System.out.printf("%-34s %22s %22s %8s%n", "op", "quant4j", "onnxruntime", "ratio");
        bench("Softmax 1x12x128x128", attn, new NodeCheck("Softmax").opset(13).feed("x", attn).outputs("y"), threads, runs);
        bench("Erf 1x128x1536", ffn, new NodeCheck("Erf").feed("x", ffn).outputs("y"), threads, runs);
        bench("Gelu 1x128x1536", ffn, new NodeCheck("Gelu").opset(20).feed("x", ffn).outputs("y"), threads, runs);
        bench("Pow x^2 1x128x384", hid, new NodeCheck("Pow").feed("x", hid).constant("p", Tensor.scalar(2f)).outputs("y"), threads, runs);
        Tensor pos = MathOpsTest.scaled(r, 1, 1.5f, 1, 128, 384);
        bench("Sqrt 1x128x384", pos, new NodeCheck("Sqrt").feed("x", pos).outputs("y"), threads, runs);
        bench("ReduceMean last axis 1x128x384", hid, new NodeCheck("ReduceMean").opset(13).ints("axes", -1).feed("x", hid).outputs("y"), threads, runs);
        bench("ReduceSum axis 1 1x128x384", hid, new NodeCheck("ReduceSum").opset(13).feed("x", hid).constant("a", Tensor.vectorOfLongs(1)).outputs("y"), threads, runs);
        bench("Tanh 1x128x1536", ffn, new NodeCheck("Tanh").feed("x", ffn).outputs("y"), threads, runs);
    }

    private static void bench(String name, Tensor x, NodeCheck c, int threads, int runs) throws Exception {
        Map<String, Tensor> feeds = Map.of("x", x);
        long[] q, o;
        try (Session s = Session.create(c.model(), SessionOptions.threads(threads))) {
            q = time(runs, () -> s.run(feeds));
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opt = new OrtSession.SessionOptions()) {
            opt.setIntraOpNumThreads(threads);
            try (OrtSession s = env.createSession(OnnxWriter.toBytes(c.model()), opt)) {
                try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.floats()), x.shape())) {
                    o = time(runs, () -> { try (var res = s.run(Map.of("x", t))) { return res.size(); } });
                }
            }
        }
        System.out.printf("%-34s %8.1f [%5.1f, %6.1f] %8.1f [%5.1f, %6.1f] %8.2f%n", name, q[1] / 1e3, q[0] / 1e3, q[2] / 1e3,
                o[1] / 1e3, o[0] / 1e3, o[2] / 1e3, (double) q[1] / o[1]);
    }

    /** {min, median, max} nanoseconds of {@code runs} calls after as many warm-up calls. */
    private static long[] time(int runs, java.util.concurrent.Callable<?> body) throws Exception {
        for (int i = 0; i < runs; i++) body.call();
        long[] t = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            body.call();
            t[i] = System.nanoTime() - t0;
        }
        Arrays.sort(t);
        return new long[] {t[0], t[runs / 2], t[runs - 1]};
    }
}
