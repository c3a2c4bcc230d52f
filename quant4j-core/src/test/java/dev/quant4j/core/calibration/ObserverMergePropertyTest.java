package dev.quant4j.core.calibration;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.core.DataType;
import dev.quant4j.core.quant.QuantSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import net.jqwik.api.*;
import net.jqwik.api.constraints.*;

/**
 * merge(observe(A), observe(B)) equals observe(A then B), for every observer kind, per tensor and per
 * channel, with batches whose scales differ by orders of magnitude (so histograms widen at
 * different times in the two computations).
 */
class ObserverMergePropertyTest {

    record Batch(float[] data, long[] shape) {}

    static List<Batch> batches(long seed, int count, int channels) {
        Random rnd = new Random(seed);
        List<Batch> out = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            int rows = 1 + rnd.nextInt(6);
            double scale = Math.exp(rnd.nextGaussian() * 4);     // batches differ in range by orders of magnitude
            double shift = rnd.nextBoolean() ? 0 : rnd.nextGaussian() * scale;
            float[] x = new float[rows * channels];
            for (int i = 0; i < x.length; i++) x[i] = (float) (shift + rnd.nextGaussian() * scale);
            if (rnd.nextInt(5) == 0) x[rnd.nextInt(x.length)] = 0f;
            out.add(new Batch(x, new long[] {rows, channels}));
        }
        return out;
    }

    static final QuantSpec SPEC = QuantSpec.affine(DataType.INT8);
    static final QuantSpec SYM = QuantSpec.symmetric(DataType.INT8);

    void checkMergeEqualsOnePass(Supplier<Observer> make, List<Batch> data, int split, boolean exact) {
        Observer all = make.get(), a = make.get(), b = make.get();
        for (int i = 0; i < data.size(); i++) {
            all.observe(data.get(i).data(), data.get(i).shape());
            (i < split ? a : b).observe(data.get(i).data(), data.get(i).shape());
        }
        a.merge(b);
        for (QuantSpec spec : new QuantSpec[] {SPEC, SYM}) {
            ChannelRanges one = all.ranges(spec), merged = a.ranges(spec);
            if (exact) {
                assertEquals(one, merged, all.name());
                assertEquals(all.params(spec), a.params(spec), all.name());
            } else {
                for (int c = 0; c < one.channels(); c++) {
                    assertEquals(one.min(c), merged.min(c), 1e-5 * Math.abs(one.min(c)) + 1e-30, all.name());
                    assertEquals(one.max(c), merged.max(c), 1e-5 * Math.abs(one.max(c)) + 1e-30, all.name());
                }
            }
        }
        if (all instanceof HistogramObserver h) {
            for (int c = 0; c < one(h); c++) assertEquals(h.histogram(c), ((HistogramObserver) a).histogram(c), "histogram " + c);
        }
    }

    static int one(HistogramObserver h) {
        try { return h.ranges(SPEC).channels(); } catch (IllegalStateException e) { return 0; }
    }

    @Property(tries = 60)
    void everyObserverMergesToTheOnePassResult(@ForAll long seed, @ForAll @IntRange(min = 2, max = 12) int count,
                                               @ForAll @IntRange(min = 1, max = 3) int channels,
                                               @ForAll @IntRange(min = 1, max = 11) int splitSeed) {
        List<Batch> data = batches(seed, count, channels);
        int split = splitSeed % count;
        checkMergeEqualsOnePass(MinMaxObserver::perTensor, data, split, true);
        checkMergeEqualsOnePass(() -> MinMaxObserver.perChannel(1), data, split, true);
        checkMergeEqualsOnePass(() -> MovingAverageMinMaxObserver.perTensor(0.1), data, split, false);
        checkMergeEqualsOnePass(() -> MovingAverageMinMaxObserver.perChannel(-1, 0.3), data, split, false);
        for (HistogramRange m : new HistogramRange[] {new PercentileRange(99), new EntropyRange(), new MseRange(32)}) {
            checkMergeEqualsOnePass(() -> HistogramObserver.perTensor(m, 256), data, split, true);
            checkMergeEqualsOnePass(() -> HistogramObserver.perChannel(1, m, 128), data, split, true);
        }
    }

    @Property(tries = 100)
    void histogramMergeIsExactInAnyGrouping(@ForAll long seed, @ForAll @IntRange(min = 1, max = 20) int count) {
        List<Batch> data = batches(seed, count, 1);
        Histogram one = new Histogram(64);
        List<Histogram> parts = new ArrayList<>();
        for (Batch b : data) {
            one.add(b.data(), 0, b.data().length);
            Histogram h = new Histogram(64);
            h.add(b.data(), 0, b.data().length);
            parts.add(h);
        }
        // merge in a shuffled order, as a tree
        java.util.Collections.shuffle(parts, new Random(seed));
        while (parts.size() > 1) {
            Histogram x = parts.removeLast(), y = parts.removeLast();
            y.merge(x);
            parts.addFirst(y);
        }
        assertEquals(one, parts.getFirst());
        assertEquals(one.total(), java.util.Arrays.stream(one.counts()).sum());
    }
}
