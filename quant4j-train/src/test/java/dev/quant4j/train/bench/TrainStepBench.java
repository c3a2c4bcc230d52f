package dev.quant4j.train.bench;

import dev.quant4j.data.Permutation;
import dev.quant4j.data.idx.IdxDataset;
import dev.quant4j.runtime.SessionOptions;
import dev.quant4j.testkit.TestData;
import dev.quant4j.train.AdamW;
import dev.quant4j.train.ImageSet;
import dev.quant4j.train.Trainer;
import dev.quant4j.train.examples.FashionCnn;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Set;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One training step of the built-in Fashion-MNIST CNN (16/32 channels, batch 64, AdamW) on real
 * training images, single-threaded kernels so the thread's CPU time covers all the work; once
 * with the Vector API backward loops and once with their scalar reference (a forked JVM with
 * {@code -Dquant4j.train.scalarLoops=true}).
 */
@State(Scope.Thread)
public class TrainStepBench {
    static final int BATCH = 64;
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private Trainer trainer;
    private ImageSet data;
    private int[] order;
    private int from;

    @Setup(Level.Trial)
    public void setUp() {
        data = ImageSet.load(IdxDataset.fashionMnist(TestData.require("datasets/fashion-mnist"), "train"), 64 * BATCH);
        order = Permutation.of(data.size(), 1);
        trainer = new Trainer(FashionCnn.build(FashionCnn.init(16, 32, 20261126), true), FashionCnn.trainable(), FashionCnn.runningStatOutputs(),
                AdamW.defaults(1e-4, Set.of()), SessionOptions.threads(1));
    }

    @TearDown(Level.Trial)
    public void tearDown() { trainer.close(); }

    private double step(StepCounters c) {
        int to = from + BATCH;
        int[] labels = new int[BATCH];
        for (int i = from; i < to; i++) labels[i - from] = data.labels()[order[i]];
        float[] x = data.gather(order, from, to);
        from = to + BATCH > data.size() ? 0 : to;
        trainer.resetTiming();
        long t0 = MX.getCurrentThreadCpuTime();
        double loss = trainer.step(x, data.batchShape(BATCH), labels, 1e-3).loss();
        c.cpuNanos += MX.getCurrentThreadCpuTime() - t0;
        Trainer.Timing tm = trainer.timing();
        c.forwardCpuNanos += tm.forwardCpuNanos();
        c.backwardCpuNanos += tm.backwardCpuNanos();
        c.optimizerCpuNanos += tm.optimizerCpuNanos();
        c.calls++;
        return loss;
    }

    @Benchmark
    public double stepVectorLoops(StepCounters c) { return step(c); }

    @Benchmark
    @Fork(jvmArgsAppend = "-Dquant4j.train.scalarLoops=true")
    public double stepScalarLoops(StepCounters c) { return step(c); }

}
