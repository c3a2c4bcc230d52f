package dev.quant4j.data;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.data.idx.IdxDataset;
import dev.quant4j.testkit.TestData;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Memory stays flat in the number of samples: what the data set and its batch iterator retain is
 * counted (deterministically, by walking the object graph) after the first batch and after all
 * 60,000 Fashion-MNIST training images, and must be the same.
 */
class DatasetMemoryTest {

    @Test
    void iteratingAllOfFashionMnistRetainsNothingPerSample() {
        IdxDataset ds = IdxDataset.fashionMnist(TestData.require("datasets/fashion-mnist"), "train");
        assertEquals(60_000, ds.size());
        long[] calls = new long[2];
        ProgressListener listener = (done, total) -> {
            assertTrue(done > calls[0], "progress goes forward");
            calls[0] = done;
            calls[1] = total;
        };
        Batches it = new Batches(ds, 100, listener);
        int[] perClass = new int[10];
        Batch b = it.next();
        for (int l : b.labels()) perClass[l]++;
        long afterFirst = ReachableHeap.count(ds, it, listener);
        long samples = b.size();
        double sum = 0;
        while (it.hasNext()) {
            b = it.next();
            samples += b.size();
            for (int l : b.labels()) perClass[l]++;
            sum += b.data()[0] + b.data()[b.data().length - 1];
        }
        long afterAll = ReachableHeap.count(ds, it, listener);
        assertEquals(60_000, samples);
        System.out.printf("Fashion-MNIST train: units reachable from data set + iterator after 100 samples %d, after 60,000 %d%n", afterFirst, afterAll);
        assertEquals(afterFirst, afterAll, "units retained after 100 vs 60,000 samples");
        assertEquals(60_000, calls[0]);
        assertEquals(60_000, calls[1]);
        // Fashion-MNIST's training set is balanced: 6,000 images of each class.
        for (int c = 0; c < 10; c++) assertEquals(6_000, perClass[c], "class " + c);
        assertTrue(sum >= 0);
    }

    @Test
    void theCountCatchesAReaderThatKeepsItsSamples() {
        // A negative control: if a reader cached samples, the same measurement would grow.
        IdxDataset base = IdxDataset.fashionMnist(TestData.require("datasets/fashion-mnist"), "t10k");
        List<Sample> cache = new ArrayList<>();
        Dataset<Sample> leaky = base.map(s -> {
            cache.add(s);
            return s;
        });
        Iterator<Sample> it = leaky.iterator();
        for (int i = 0; i < 10; i++) it.next();
        long small = ReachableHeap.count(leaky, it);
        for (int i = 0; i < 1000; i++) it.next();
        long large = ReachableHeap.count(leaky, it);
        assertTrue(large > small + 1000 * 784, small + " -> " + large);
    }
}
