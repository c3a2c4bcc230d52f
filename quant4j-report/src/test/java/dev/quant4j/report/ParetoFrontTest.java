package dev.quant4j.report;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParetoFrontTest {
    private static SearchCandidate c(long size, Double latency, double metric) {
        return new SearchCandidate("s" + size, size, latency, metric, true, false);
    }

    @Test
    void handWorkedExample() {
        List<SearchCandidate> cs = List.of(
                c(100, 9.0, 0.80),  // 0 smallest: front
                c(200, 5.0, 0.90),  // 1 front
                c(250, 6.0, 0.85),  // 2 beaten by 1 on size and metric
                c(300, 4.0, 0.95),  // 3 front
                c(300, 7.0, 0.95),  // 4 tie with 3 on size and metric: neither beats the other
                c(400, null, 0.96)); // 5 front by size; no latency
        assertEquals(List.of(0, 1, 3, 4, 5), ParetoFront.indices(cs, false, true));
        // By latency: 3 (4 ms, 0.95) is fastest and beats every other timed one; 5 has no latency.
        assertEquals(List.of(3), ParetoFront.indices(cs, true, true));
        List<SearchCandidate> timed = List.of(c(1, 4.0, 0.80), c(2, 5.0, 0.90), c(3, 6.0, 0.85));
        assertEquals(List.of(0, 1), ParetoFront.indices(timed, true, true));
        // Lower-is-better metric (an error rate): the smallest model with the lowest error wins.
        assertEquals(List.of(0), ParetoFront.indices(cs, false, false));
    }

    /** The defining properties: front members are beaten by no one; everyone else is beaten by a front member. */
    @Property(tries = 300)
    void frontIsExactlyTheUnbeaten(@ForAll @Size(max = 12) List<@IntRange(min = 1, max = 6) Integer> sizes,
                                   @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 6) Integer> metrics) {
        int n = Math.min(sizes.size(), metrics.size());
        List<SearchCandidate> cs = new ArrayList<>();
        for (int i = 0; i < n; i++) cs.add(c(sizes.get(i), null, metrics.get(i) / 6.0));
        List<Integer> front = ParetoFront.indices(cs, false, true);
        for (int i = 0; i < n; i++) {
            boolean beatenByAnyone = false, beatenByFront = false;
            for (int j = 0; j < n; j++) {
                boolean beats = cs.get(j).sizeBytes() <= cs.get(i).sizeBytes() && cs.get(j).metric() >= cs.get(i).metric()
                        && (cs.get(j).sizeBytes() < cs.get(i).sizeBytes() || cs.get(j).metric() > cs.get(i).metric());
                beatenByAnyone |= beats;
                beatenByFront |= beats && front.contains(j);
            }
            if (front.contains(i)) assertTrue(!beatenByAnyone, "front member " + i + " is beaten");
            else assertTrue(beatenByFront, "candidate " + i + " left out but no front member beats it");
        }
    }
}
