package dev.quant4j.core.calibration;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.core.DataType;
import dev.quant4j.core.quant.QuantSpec;
import dev.quant4j.testkit.TestData;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Calibration on real data: the first 4,000 of the Fashion-MNIST test images, normalised as a network input
 * ((pixel/255 - mean) / std), streamed in batches of [100, 1, 28, 28]. Two shards observed on two
 * threads and merged must equal one pass, for every observer kind, per tensor and per channel.
 */
class FashionMnistCalibrationTest {
    static float[] images;   // 10000 x 784
    static final int FILE_IMAGES = 10_000, N = 4_000, PIXELS = 784, BATCH = 100;

    @BeforeAll
    static void load() throws IOException {
        Path f = TestData.require("datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(f)); DataInputStream d = new DataInputStream(in)) {
            int magic = d.readInt(), n = d.readInt(), rows = d.readInt(), cols = d.readInt();
            if (magic != 0x803 || n != FILE_IMAGES || rows != 28 || cols != 28) {
                throw new IOException(f + ": unexpected IDX header " + Integer.toHexString(magic) + " " + n + "x" + rows + "x" + cols);
            }
            byte[] px = d.readNBytes(N * PIXELS);
            if (px.length != N * PIXELS) throw new IOException(f + ": " + px.length + " pixel bytes, the header promises " + FILE_IMAGES * PIXELS);
            double sum = 0, sq = 0;
            for (byte b : px) { double v = (b & 0xFF) / 255.0; sum += v; sq += v * v; }
            double mean = sum / px.length, std = Math.sqrt(sq / px.length - mean * mean);
            images = new float[px.length];
            for (int i = 0; i < px.length; i++) images[i] = (float) (((px[i] & 0xFF) / 255.0 - mean) / std);
        }
    }

    static void observe(Observer o, int fromImage, int toImage) {
        for (int b = fromImage; b < toImage; b += BATCH) {
            o.observe(Arrays.copyOfRange(images, b * PIXELS, (b + BATCH) * PIXELS), new long[] {BATCH, 1, 28, 28});
        }
    }

    @Test
    void shardsObservedInParallelMergeToTheOnePassResult() {
        List<Supplier<Observer>> kinds = List.of(
                MinMaxObserver::perTensor, () -> MinMaxObserver.perChannel(-1),
                () -> MovingAverageMinMaxObserver.perTensor(0.01),
                HistogramObserver::entropy, HistogramObserver::mse, () -> HistogramObserver.percentile(99.99),
                () -> HistogramObserver.perChannel(3, new PercentileRange(99.9), 512));
        QuantSpec spec = QuantSpec.affine(DataType.UINT8);
        for (Supplier<Observer> kind : kinds) {
            Observer one = kind.get();
            observe(one, 0, N);
            Observer a = kind.get(), b = kind.get();
            CompletableFuture<Void> fa = CompletableFuture.runAsync(() -> observe(a, 0, 2_300));
            CompletableFuture<Void> fb = CompletableFuture.runAsync(() -> observe(b, 2_300, N));
            fa.join();
            fb.join();
            a.merge(b);
            if (one instanceof MovingAverageMinMaxObserver) {
                ChannelRanges r1 = one.ranges(spec), r2 = a.ranges(spec);
                assertEquals(r1.min(0), r2.min(0), 1e-5f);
                assertEquals(r1.max(0), r2.max(0), 1e-5f);
            } else {
                assertEquals(one.ranges(spec), a.ranges(spec), one.name());
                assertEquals(one.params(spec), a.params(spec), one.name());
            }
        }
    }

    @Test
    void rangesOnRealPixelsAreSound() {
        MinMaxObserver mm = MinMaxObserver.perTensor();
        HistogramObserver pct = HistogramObserver.percentile(99.9), mse = HistogramObserver.mse();
        for (Observer o : new Observer[] {mm, pct, mse}) observe(o, 0, N);
        float[] sorted = images.clone();
        Arrays.sort(sorted);
        int k = (int) Math.ceil(0.999 * sorted.length);
        double w = pct.histogram(0).binWidth();
        float hi = pct.ranges(QuantSpec.affine(DataType.UINT8)).max(0);
        assertTrue(hi >= sorted[k - 1] && hi - sorted[k - 1] <= w, "99.9th percentile " + hi + " vs exact " + sorted[k - 1] + " (bin " + w + ")");
        for (QuantSpec spec : new QuantSpec[] {QuantSpec.affine(DataType.UINT8), QuantSpec.affine(DataType.UINT4)}) {
            double eMm = HistogramMethodsTest.actualMse(images, mm.params(spec)), eMse = HistogramMethodsTest.actualMse(images, mse.params(spec));
            System.out.printf("Fashion-MNIST pixels, %s affine: quantization MSE min/max %.3e, MSE-search %.3e%n", spec.type(), eMm, eMse);
            assertTrue(eMse <= eMm * 1.001, spec + ": MSE search " + eMse + " vs min/max " + eMm);
        }
    }
}
