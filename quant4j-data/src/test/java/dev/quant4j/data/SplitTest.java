package dev.quant4j.data;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.data.idx.IdxDataset;
import dev.quant4j.testkit.TestData;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

class SplitTest {
    /** A data set whose item is its own index, so a view reveals which base items it holds. */
    static Dataset<Integer> indices(int n) {
        return new Dataset<>() {
            @Override public int size() { return n; }
            @Override public Integer get(int i) {
                if (i < 0 || i >= n) throw new IndexOutOfBoundsException(i);
                return i;
            }
        };
    }

    @Test
    void splitIsDisjointAndCoversEveryIndexOnce() {
        for (int n : new int[] {0, 1, 2, 7, 1000, 10_001}) {
            for (double frac : new double[] {0, 0.1, 0.5, 1}) {
                Dataset.Split<Integer> s = indices(n).split(frac, 42);
                assertEquals(Math.round(frac * n), s.calibration().size());
                assertEquals(n, s.calibration().size() + s.evaluation().size());
                BitSet cal = new BitSet(), all = new BitSet();
                for (int v : s.calibration()) assertFalse(cal.get(v)); // no repeats
                for (int v : s.calibration()) cal.set(v);
                for (int v : s.evaluation()) {
                    assertFalse(cal.get(v), "index " + v + " in both parts");
                    assertFalse(all.get(v), "index " + v + " twice in evaluation");
                    all.set(v);
                }
                all.or(cal);
                assertEquals(n, all.cardinality(), "coverage");
            }
        }
    }

    @Test
    void shufflingAndSplittingAreFixedBySeed() {
        Dataset<Integer> d = indices(500);
        int[] a = toArray(d.shuffled(7)), b = toArray(d.shuffled(7)), c = toArray(d.shuffled(8));
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
        assertFalse(java.util.Arrays.equals(a, toArray(d)), "a shuffle moves items");
        int[] sorted = a.clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(toArray(d), sorted, "a shuffle is a permutation");
        assertArrayEquals(toArray(d.split(0.2, 3).calibration()), toArray(d.split(0.2, 3).calibration()));
    }

    @Test
    void splitOfFashionMnistTestSetKeepsLabelsWithTheirImages() {
        IdxDataset ds = IdxDataset.fashionMnist(TestData.require("datasets/fashion-mnist"), "t10k");
        Dataset.Split<Sample> s = ds.split(0.1, 1);
        assertEquals(1000, s.calibration().size());
        assertEquals(9000, s.evaluation().size());
        Subset<Sample> cal = (Subset<Sample>) s.calibration();
        for (int i = 0; i < 20; i++) {
            Sample viaSplit = cal.get(i), direct = ds.get(cal.baseIndex(i));
            assertEquals(direct.label(), viaSplit.label());
            assertArrayEquals(direct.data(), viaSplit.data());
        }
    }

    @Test
    void rejectsFractionsOutsideZeroToOne() {
        assertThrows(IllegalArgumentException.class, () -> indices(3).split(1.5, 0));
        assertThrows(IllegalArgumentException.class, () -> indices(3).split(Double.NaN, 0));
    }

    static int[] toArray(Dataset<Integer> d) {
        int[] out = new int[d.size()];
        for (int i = 0; i < out.length; i++) out[i] = d.get(i);
        return out;
    }
}
