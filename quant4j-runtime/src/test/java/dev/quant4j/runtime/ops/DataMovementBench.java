package dev.quant4j.runtime.ops;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.quant4j.graph.Tensor;
import dev.quant4j.onnx.OnnxWriter;
import dev.quant4j.runtime.Session;
import dev.quant4j.runtime.SessionOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Times the data-movement operators on the shapes the models give them (NCHW↔NHWC transposes,
 * attention head transposes, an embedding lookup, strided slices, concat, reflect pad, resize, a
 * CTC-sized TopK), in quant4j's runtime and in ONNX Runtime side by side on one thread: the two
 * engines alternate run by run, and each time is the median CPU time of the calling thread.
 * Float inputs are fed as array-backed tensors, as an operator inside a model receives them.
 *
 * <pre>
 *   java -cp … dev.quant4j.runtime.ops.DataMovementBench    (-Dbench.warmup=100 -Dbench.reps=41)
 * </pre>
 */
public final class DataMovementBench {
    private DataMovementBench() {}

    public static void main(String[] args) throws Exception {
        Random r = new Random(3);
        long[] ids = new long[128];
        for (int i = 0; i < ids.length; i++) ids[i] = r.nextInt(30522);
        boolean[] mask = new boolean[128 * 128];
        for (int i = 0; i < mask.length; i++) mask[i] = r.nextBoolean();
        Map<String, NodeCheck> cases = new LinkedHashMap<>();
        cases.put("Transpose NCHW->NHWC [1,64,112,112]", new NodeCheck("Transpose").feed("x", NodeCheck.random(r, 1, 64, 112, 112)).ints("perm", 0, 2, 3, 1));
        cases.put("Transpose heads [1,128,12,64]->[1,12,128,64]", new NodeCheck("Transpose").feed("x", NodeCheck.random(r, 1, 128, 12, 64)).ints("perm", 0, 2, 1, 3));
        cases.put("Gather embedding [30522,384] x 128 ids", new NodeCheck("Gather").constant("t", NodeCheck.random(r, 30522, 384)).feed("x", Tensor.ofLongs(ids, 1, 128)));
        cases.put("Slice stride 2 [1,64,112,112]", new NodeCheck("Slice").feed("x", NodeCheck.random(r, 1, 64, 112, 112)).constant("s", longs(0, 0))
                .constant("e", longs(112, 112)).constant("a", longs(2, 3)).constant("p", longs(2, 2)));
        cases.put("Concat 3 x [1,64,56,56] axis 1", new NodeCheck("Concat").feed("x", NodeCheck.random(r, 1, 64, 56, 56)).feed("w", NodeCheck.random(r, 1, 64, 56, 56))
                .feed("z", NodeCheck.random(r, 1, 64, 56, 56)).attr("axis", 1));
        cases.put("Pad reflect 3 [1,32,112,112]", new NodeCheck("Pad").feed("x", NodeCheck.random(r, 1, 32, 112, 112)).constant("p", longs(0, 0, 3, 3, 0, 0, 3, 3)).attr("mode", "reflect"));
        cases.put("Resize linear x2 [1,32,80,80]", new NodeCheck("Resize").feed("x", NodeCheck.random(r, 1, 32, 80, 80)).none()
                .constant("s", Tensor.of(new float[] {1, 1, 2, 2}, 4)).attr("mode", "linear"));
        cases.put("Resize nearest x2 [1,32,80,80]", new NodeCheck("Resize").feed("x", NodeCheck.random(r, 1, 32, 80, 80)).none()
                .constant("s", Tensor.of(new float[] {1, 1, 2, 2}, 4)).attr("mode", "nearest"));
        cases.put("Where [128,128] mask, scalar", new NodeCheck("Where").constant("c", Tensor.ofBooleans(mask, 1, 1, 128, 128)).constant("m", Tensor.of(new float[] {-1e4f}))
                .feed("x", NodeCheck.random(r, 1, 12, 128, 128)));
        cases.put("TopK k=5 of [40,6625]", new NodeCheck("TopK").feed("x", NodeCheck.random(r, 40, 6625)).constant("k", longs(5)));
        System.out.println("one thread; medians of the calling thread's CPU time in microseconds, engines alternating; ratio = quant4j / ONNX Runtime");
        for (Map.Entry<String, NodeCheck> e : cases.entrySet()) {
            NodeCheck c = e.getValue();
            if (e.getKey().startsWith("TopK")) c.outputs("v").output("i", dev.quant4j.core.DataType.INT64); else c.outputs("y");
            double[] t = time(c);
            System.out.printf("  %-46s %10.1f %10.1f  %5.2f%n", e.getKey(), t[0], t[1], t[0] / t[1]);
        }
    }

    private static Tensor longs(long... v) { return Tensor.ofLongs(v, v.length); }

    private static double[] time(NodeCheck c) throws Exception {
        int warmup = Integer.getInteger("bench.warmup", 100), reps = Integer.getInteger("bench.reps", 41);
        // Inside a model an operator reads tensors the runtime made (array-backed); feed those.
        c.feeds().replaceAll((k, t) -> t.dtype() == dev.quant4j.core.DataType.FLOAT32 ? dev.quant4j.runtime.Tensors.ofFloats(t.floats(), t.shape()) : t);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> f = new HashMap<>();
        try (Session ours = Session.create(c.model(), SessionOptions.threads(1));
             OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            o.setInterOpNumThreads(1);
            try (OrtSession theirs = env.createSession(OnnxWriter.toBytes(c.model()), o)) {
                for (Map.Entry<String, Tensor> e : c.feeds().entrySet()) {
                    Tensor t = e.getValue();
                    f.put(e.getKey(), switch (t.dtype()) {
                        case FLOAT32 -> OnnxTensor.createTensor(env, FloatBuffer.wrap(t.floats()), t.shape());
                        case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap(t.longs()), t.shape());
                        default -> throw new IllegalArgumentException(t.toString());
                    });
                }
                Runnable a = () -> ours.run(c.feeds());
                Runnable b = () -> { try (OrtSession.Result res = theirs.run(f)) { res.get(0); } catch (Exception e) { throw new RuntimeException(e); } };
                for (int i = 0; i < warmup; i++) { a.run(); b.run(); }
                double[] ta = new double[reps], tb = new double[reps];
                for (int i = 0; i < reps; i++) { ta[i] = micros(a); tb[i] = micros(b); }
                return new double[] {median(ta), median(tb)};
            } finally {
                f.values().forEach(OnnxTensor::close);
            }
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static double micros(Runnable r) {
        long t0 = THREADS.getCurrentThreadCpuTime();
        r.run();
        return (THREADS.getCurrentThreadCpuTime() - t0) / 1e3;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
