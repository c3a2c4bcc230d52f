package dev.quant4j.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.data.Sample;
import dev.quant4j.tune.task.FashionExample;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Calibration and evaluation parts of the built-in Fashion slice never share an image. */
class EvalDataTest {
    static EvalData<Sample> slice;

    @BeforeAll
    static void setUp() throws Exception { slice = FashionExample.evaluationSlice(); }

    static Set<Integer> indices(EvalData<?> d) {
        Set<Integer> s = new HashSet<>();
        for (int i = 0; i < d.size(); i++) assertTrue(s.add(d.baseIndex(i)), "index " + d.baseIndex(i) + " twice in one part");
        return s;
    }

    @Test
    void splitPartsAreDisjointAndCoverEverything() {
        EvalData.Split<Sample> s = slice.split(0.1, 2026);
        Set<Integer> cal = indices(s.calibration()), eval = indices(s.evaluation());
        assertEquals(100, cal.size());
        assertEquals(900, eval.size());
        Set<Integer> both = new HashSet<>(cal);
        both.retainAll(eval);
        assertTrue(both.isEmpty(), "shared indices " + both);
        Set<Integer> union = new HashSet<>(cal);
        union.addAll(eval);
        assertEquals(1000, union.size());
        // the items are what the indices say: the same pixels as the base slice
        for (int i : new int[] {0, 57, 99}) assertTrue(Arrays.equals(slice.item(s.calibration().baseIndex(i)).data(), s.calibration().item(i).data()));
    }

    @Test
    void splitIsFixedBySeedAndASplitOfAPartStaysInsideIt() {
        EvalData.Split<Sample> a = slice.split(0.1, 2026), b = slice.split(0.1, 2026), c = slice.split(0.1, 2027);
        assertEquals(indices(a.calibration()), indices(b.calibration()));
        assertNotEquals(indices(a.calibration()), indices(c.calibration()));
        EvalData.Split<Sample> inner = a.evaluation().split(0.5, 3);
        Set<Integer> outer = indices(a.evaluation());
        assertTrue(outer.containsAll(indices(inner.calibration())) && outer.containsAll(indices(inner.evaluation())));
        Set<Integer> x = indices(inner.calibration());
        x.retainAll(indices(a.calibration()));
        assertTrue(x.isEmpty());
        assertEquals(10, a.evaluation().limit(10).size());
        assertEquals(a.evaluation().baseIndex(9), a.evaluation().limit(10).baseIndex(9));
    }

    @Test
    void feedsAreABatchOfOne() {
        var f = slice.feeds(3);
        assertEquals(Set.of(FashionExample.INPUT), f.keySet());
        assertTrue(Arrays.equals(new long[] {1, 1, 28, 28}, f.get(FashionExample.INPUT).shape()));
    }
}
