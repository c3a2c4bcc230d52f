package dev.quant4j.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClassificationTest {

    @Test
    void topKByHand() {
        float[] s = {0.1f, 0.5f, 0.2f, 0.9f};
        assertTrue(TopKAccuracy.inTopK(s, 3, 1));
        assertFalse(TopKAccuracy.inTopK(s, 1, 1));
        assertTrue(TopKAccuracy.inTopK(s, 1, 2));
        assertFalse(TopKAccuracy.inTopK(s, 2, 2));
        assertTrue(TopKAccuracy.inTopK(s, 0, 4));
        // ties: the lower index ranks first
        float[] t = {1f, 1f, 0f};
        assertTrue(TopKAccuracy.inTopK(t, 0, 1));
        assertFalse(TopKAccuracy.inTopK(t, 1, 1));
        assertTrue(TopKAccuracy.inTopK(t, 1, 2));
        assertFalse(TopKAccuracy.inTopK(new float[] {Float.NaN, 0f}, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> TopKAccuracy.inTopK(s, 4, 1));
        // rows of a [samples][classes] buffer
        TopKAccuracy acc = TopKAccuracy.top1();
        float[] batch = {0f, 1f, 0f, 5f, 2f, 1f};
        acc.add(batch, 0, 3, 1);
        acc.add(batch, 3, 3, 1);
        assertArrayEquals(new boolean[] {true, false}, acc.hits());
        assertEquals(0.5, acc.statistic().value());
    }

    /** Top-k against a reference that sorts class indices by descending score (stable). */
    @Test
    void topKMatchesSortReference() {
        SplittableRandom rng = new SplittableRandom(1);
        TopKAccuracy top1 = TopKAccuracy.top1(), top3 = new TopKAccuracy(3);
        int n = 400, classes = 10, hits1 = 0, hits3 = 0;
        for (int i = 0; i < n; i++) {
            float[] s = new float[classes];
            for (int c = 0; c < classes; c++) s[c] = rng.nextInt(6);   // many ties
            int label = rng.nextInt(classes);
            top1.add(s, label);
            top3.add(s, label);
            List<Integer> ranked = java.util.stream.IntStream.range(0, classes).boxed()
                    .sorted((a, b) -> Float.compare(s[b], s[a])).toList();
            if (ranked.indexOf(label) < 1) hits1++;
            if (ranked.indexOf(label) < 3) hits3++;
        }
        Bootstrap bs = Bootstrap.of(3);
        MetricResult r1 = top1.result(bs), r3 = top3.result(bs);
        assertEquals((double) hits1 / n, r1.value(), 1e-15);
        assertEquals((double) hits3 / n, r3.value(), 1e-15);
        assertTrue(r1.ciLow() < r1.value() && r1.value() < r1.ciHigh(), r1.toString());
        assertEquals(n, top1.hits().length);
    }

    /** scikit-learn's documented example: y_true [0,1,2,0,1,2], y_pred [0,2,1,0,0,1]. */
    @Test
    void precisionRecallF1ByHand() {
        int[] t = {0, 1, 2, 0, 1, 2}, p = {0, 2, 1, 0, 0, 1};
        ClassificationCounts cc = new ClassificationCounts(3);
        for (int i = 0; i < t.length; i++) cc.add(t[i], p[i]);
        List<ClassificationCounts.ClassScores> per = cc.perClass();
        assertEquals(3, per.size());
        // class 0: tp 2, fp 1, fn 0 -> P 2/3, R 1, F1 0.8
        assertEquals(2.0 / 3, per.get(0).precision(), 1e-15);
        assertEquals(1.0, per.get(0).recall(), 1e-15);
        assertEquals(0.8, per.get(0).f1(), 1e-15);
        assertEquals(2, per.get(0).support());
        assertEquals(0.0, per.get(1).f1());
        assertEquals(0.0, per.get(2).f1());
        assertEquals(2.0 / 9, cc.macroPrecision().value(), 1e-15);
        assertEquals(1.0 / 3, cc.macroRecall().value(), 1e-15);
        assertEquals(0.8 / 3, cc.macroF1().value(), 1e-15);
    }

    /** Macro F1 against a float64 reference counting each class's tp/fp/fn by a separate scan. */
    @Test
    void macroF1MatchesReference() {
        SplittableRandom rng = new SplittableRandom(8);
        int classes = 7, n = 1000;
        int[] t = new int[n], p = new int[n];
        ClassificationCounts cc = new ClassificationCounts(classes);
        for (int i = 0; i < n; i++) {
            t[i] = rng.nextInt(classes - 1);               // class 6 never true
            p[i] = rng.nextDouble() < 0.6 ? t[i] : rng.nextInt(classes);
            cc.add(t[i], p[i]);
        }
        double sum = 0;
        int present = 0;
        for (int k = 0; k < classes; k++) {
            int tp = 0, fp = 0, fn = 0;
            for (int i = 0; i < n; i++) {
                if (p[i] == k && t[i] == k) tp++;
                else if (p[i] == k) fp++;
                else if (t[i] == k) fn++;
            }
            if (tp + fp + fn == 0) continue;
            present++;
            sum += tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
        }
        assertEquals(sum / present, cc.macroF1().value(), 1e-12);
        MetricResult r = Bootstrap.of(2).percentile(cc.macroF1());
        assertTrue(r.ciLow() < r.value() && r.value() < r.ciHigh(), r.toString());
        assertThrows(IllegalArgumentException.class, () -> cc.add(7, 0));
    }
}
