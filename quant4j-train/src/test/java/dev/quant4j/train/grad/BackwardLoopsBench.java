package dev.quant4j.train.grad;

import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.kernels.KernelsFactory;
import dev.quant4j.train.GradContext;
import dev.quant4j.train.bench.StepCounters;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The vectorized backward loops against their scalar reference, side by side in one run, on the
 * Fashion CNN's first feature map ([64, 16, 28, 28]): training-mode BatchNormalization backward
 * and Relu backward, each through its GradRule.
 */
@State(Scope.Thread)
public class BackwardLoopsBench {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    @Param({"scalar", "vector"})
    public String loops;

    private BackwardLoops impl;
    private GradContext bn, relu;
    /** Conv2 of the Fashion CNN: 16 channels of 14×14, 3×3 pad 1, batch 64 side by side. */
    private final Geometry2d conv2 = new Geometry2d(3, 3, 1, 1, 1, 1, 1, 1, 14, 14, 14, 14);
    private float[] dcol, dx2;

    @Setup
    public void setUp() {
        impl = loops.equals("scalar") ? BackwardLoops.SCALAR : new VectorBackwardLoops();
        long[] shape = {64, 16, 28, 28};
        int n = (int) Tensor.elementCount(shape);
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[n], dy = new float[n], g = new float[16], b = new float[16];
        for (int i = 0; i < n; i++) { x[i] = (float) r.nextGaussian(); dy[i] = (float) (r.nextGaussian() * 1e-3); }
        for (int i = 0; i < 16; i++) { g[i] = (float) (0.5 + r.nextDouble()); b[i] = (float) r.nextGaussian(); }
        Tensor xt = Tensor.of(x, shape);
        Attributes train = new Attributes();
        train.put("training_mode", 1L);
        Node bnNode = new Node("bn", "BatchNormalization", "", List.of("x", "g", "b", "m", "v"), List.of("y"), train);
        bn = new GradContext(bnNode, new Tensor[] {xt, Tensor.of(g, 16), Tensor.of(b, 16), Tensor.of(new float[16], 16), Tensor.of(new float[16], 16)},
                new Tensor[] {xt}, new float[][] {dy}, new boolean[] {true, true, true, false, false}, KernelsFactory.create(1), 21);
        Node reluNode = new Node("relu", "Relu", "", List.of("x"), List.of("y"), new Attributes());
        dcol = new float[16 * 9 * 64 * 196];
        for (int i = 0; i < dcol.length; i++) dcol[i] = (float) r.nextGaussian();
        dx2 = new float[64 * 16 * 196];
        relu = new GradContext(reluNode, new Tensor[] {xt}, new Tensor[] {xt}, new float[][] {dy}, new boolean[] {true}, KernelsFactory.create(1), 21);
    }

    @Benchmark
    public float[][] batchNormTrainingBackward(StepCounters c) {
        long t0 = MX.getCurrentThreadCpuTime();
        float[][] r = BatchNormGrad.grad(bn, impl);
        c.cpuNanos += MX.getCurrentThreadCpuTime() - t0;
        c.calls++;
        return r;
    }

    @Benchmark
    public float[][] reluBackward(StepCounters c) {
        long t0 = MX.getCurrentThreadCpuTime();
        float[][] r = ActivationGrad.relu(relu, impl);
        c.cpuNanos += MX.getCurrentThreadCpuTime() - t0;
        c.calls++;
        return r;
    }

    @Benchmark
    public float[] col2im(StepCounters c) {
        long t0 = MX.getCurrentThreadCpuTime();
        java.util.Arrays.fill(dx2, 0f);
        for (int i = 0; i < 64; i++) conv2.col2im(dcol, i * 196, 64 * 196, 16, dx2, i * 16 * 196, impl);
        c.cpuNanos += MX.getCurrentThreadCpuTime() - t0;
        c.calls++;
        return dx2;
    }
}
