package dev.quant4j.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.core.calibration.HistogramObserver;
import dev.quant4j.data.Dataset;
import dev.quant4j.data.Sample;
import dev.quant4j.data.faces.LfwSubset;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.testkit.TestData;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Calibration memory stays flat in the number of samples: BlazeFace is calibrated with entropy
 * histograms on every activation over a lazily read data set, and the memory still reachable
 * (heap + native segments, after collection) is compared after 40 and after 400 samples. The 360
 * extra samples carry 70 MB of input alone and several times that in activations, so any per-sample
 * retention shows; the observers' own state is fixed-size, so their ranges must not grow the
 * footprint either.
 */
class CalibrationMemoryTest {

    @Test
    void retainedMemoryDoesNotGrowWithTheNumberOfCalibrationSamples() throws Exception {
        Path fp32 = TestData.require("models/blazeface/face_detection_front_128x128_barracuda.onnx");
        Dataset<Sample> faces = LfwSubset.open(TestData.require("datasets/images/lfw_subset.npy")).blazeFace();
        // 400 samples, read one at a time: the 200 images twice, the second pass mirrored left-right
        Dataset<Map<String, Tensor>> stream = new Dataset<>() {
            @Override public int size() { return 400; }
            @Override public Map<String, Tensor> get(int i) { return feed(faces.get(i % faces.size()), i >= faces.size()); }
        };
        PrecisionPolicy policy = PrecisionPolicy.uniform(Precision.INT8_STATIC);
        int[] progress = new int[2];
        try (Model m = OnnxReader.read(fp32)) {
            var values = StaticQdqQuantizer.valuesToCalibrate(m, policy);
            Calibrator c = new Calibrator(m, values, HistogramObserver::entropy);
            var it = stream.iterator((done, total) -> { progress[0] = (int) done; progress[1] = (int) total; });
            long after40 = 0;
            for (int i = 0; it.hasNext(); i++) {
                c.observe(it.next());
                if (i == 39) after40 = retained();
            }
            long after400 = retained();
            assertEquals(400, progress[0]);
            assertEquals(400, progress[1]);
            assertEquals(values.size(), c.observers().size(), "every value observed");
            long growth = after400 - after40;
            assertTrue(growth < 8L << 20, "memory grew by " + (growth >> 20) + " MB from 40 to 400 samples ("
                    + (after40 >> 20) + " MB → " + (after400 >> 20) + " MB)");
        }
    }

    private static Map<String, Tensor> feed(Sample s, boolean mirror) {
        float[] x = s.data().clone();
        long[] shape = s.shape();
        if (mirror) { // NHWC: swap columns within each row
            int h = (int) shape[0], w = (int) shape[1], ch = (int) shape[2];
            for (int r = 0; r < h; r++) for (int col = 0; col < w / 2; col++) for (int k = 0; k < ch; k++) {
                int a = (r * w + col) * ch + k, b = (r * w + (w - 1 - col)) * ch + k;
                float t = x[a]; x[a] = x[b]; x[b] = t;
            }
        }
        long[] batched = new long[shape.length + 1];
        batched[0] = 1;
        System.arraycopy(shape, 0, batched, 1, shape.length);
        return Map.of("input:0", Tensor.of(x, batched));
    }

    /** Heap in use plus native memory held by direct buffers and native segments, after collections settle. */
    private static long retained() throws InterruptedException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(40);
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long nativeBytes = 0;
            for (BufferPoolMXBean p : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) nativeBytes += p.getMemoryUsed();
            best = Math.min(best, heap + nativeBytes);
        }
        return best;
    }
}
