package dev.quant4j.report;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartSpecsTest {
    @Test
    void int4GridOverItsRangeDrawsEveryLevel() {
        QuantGrid g = new QuantGrid(0.5, 0, -8, 7);
        assertEquals(List.of(-4.0, -3.5, -3.0, -2.5, -2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5),
                ChartSpecs.gridLines(g, g.low(), g.high()));
        assertEquals(List.of(-1.0, -0.5, 0.0, 0.5), ChartSpecs.gridLines(g, -1.2, 0.7));
        assertEquals(List.of(), ChartSpecs.gridLines(g, 3.6, 9.0));
    }

    @Test
    void denseGridIsThinnedRegularlyAndKeepsZero() {
        QuantGrid g = new QuantGrid(0.125, 0, -127, 127); // 255 levels
        List<Double> lines = ChartSpecs.gridLines(g, g.low(), g.high());
        assertTrue(lines.size() <= ChartSpecs.MAX_GRID_LINES && lines.size() >= ChartSpecs.MAX_GRID_LINES / 2, "" + lines.size());
        assertTrue(lines.contains(0.0));
        for (int i = 1; i < lines.size(); i++) assertEquals(0.5, lines.get(i) - lines.get(i - 1), 1e-12); // every 4th level

        QuantGrid u8 = new QuantGrid(0.25, 100, 0, 255); // zero point inside, asymmetric
        List<Double> ul = ChartSpecs.gridLines(u8, u8.low(), u8.high());
        assertTrue(ul.contains(0.0), ul.toString());
        assertTrue(ul.get(0) >= u8.low() && ul.get(ul.size() - 1) <= u8.high());
    }

    @Test
    void histogramBinsCoverDataAndGrid() {
        float[] v = {-1f, -0.5f, 0f, 0.5f, 1f};
        Histogram plain = Histogram.of("t", "weight", v, 4, null);
        assertEquals(-1.0, plain.min());
        assertEquals(1.0, plain.max());
        assertEquals(List.of(1L, 1L, 1L, 2L), plain.counts()); // the maximum falls in the last bin

        Histogram gridded = Histogram.of("t", "weight", v, 4, new QuantGrid(1.0, 0, -2, 2));
        assertEquals(-2.0, gridded.min());
        assertEquals(2.0, gridded.max());
        assertEquals(List.of(0L, 2L, 2L, 1L), gridded.counts());
        assertEquals(5, gridded.total());

        assertThrows(IllegalArgumentException.class, () -> Histogram.of("t", "weight", new float[] {Float.NaN}, 4, null));
        assertThrows(IllegalArgumentException.class, () -> Histogram.of("t", "weight", new float[0], 4, null));
        assertEquals(List.of(3L), Histogram.of("c", "weight", new float[] {2f, 2f, 2f}, 1, null).counts());
    }

    @Test
    void layersRankByHarmInTheMetricsDirection() {
        List<LayerSensitivity> layers = new ArrayList<>();
        double[] deltas = {0.5, -2.0, 3.0};
        for (int i = 0; i < 3; i++)
            layers.add(new LayerSensitivity("n" + i, "Conv", "int8", null, null, deltas[i], null, null, null, 0, 0, null));
        Report accuracy = new Report("a", "", List.of(), List.of(), List.of(), layers, null, List.of(), List.of(), null);
        assertEquals(List.of("n1", "n0", "n2"), ChartSpecs.ranked(accuracy).stream().map(LayerSensitivity::node).toList());
        // For an error rate (lower is better) a rise is the harm.
        SearchResult cer = new SearchResult("CER", false, "smallest", "", null, List.of(), List.of());
        Report errorRate = new Report("c", "", List.of(), List.of(), List.of(), layers, cer, List.of(), List.of(), null);
        assertEquals(List.of("n2", "n0", "n1"), ChartSpecs.ranked(errorRate).stream().map(LayerSensitivity::node).toList());
    }

    @Test
    void chartsFollowTheSections() {
        List<ChartSpec> charts = ChartSpecs.of(SampleReport.build());
        assertEquals(List.of("chart-size", "chart-latency-0", "chart-latency-1", "chart-metric-0", "chart-metric-1",
                "chart-pareto", "chart-sensitivity", "chart-histogram-0", "chart-histogram-1", "chart-histogram-2"),
                charts.stream().map(ChartSpec::id).toList());
        ChartSpec metric = charts.get(3);
        assertEquals(List.of("fp32", "int8", "auto"), metric.categories());
        assertEquals(java.util.Arrays.asList(0.9044, null, null), metric.series().get(0).y()); // the reference
        assertEquals(java.util.Arrays.asList(null, 0.8871, 0.9019), metric.series().get(1).y());
        assertEquals(java.util.Arrays.asList(null, 0.8670, 0.8830), metric.series().get(1).low());
        assertEquals(java.util.Arrays.asList(null, 0.9060, 0.9200), metric.series().get(1).high());
        assertTrue(ChartSpecs.of(Report.builder("none").build()).isEmpty());
    }

    @Test
    void recordsRejectImpossibleFigures() {
        assertThrows(IllegalArgumentException.class, () -> new Estimate(1, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new Estimate(Double.NaN, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LatencyRow("m", "e", 1, 3, 2, 4, 1, null));
        assertThrows(IllegalArgumentException.class, () -> new QuantGrid(0, 0, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new QuantGrid(1, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ModelSummary("m", "f", -1, null));
        assertThrows(NullPointerException.class, () -> new LayerSensitivity(null, "", "", null, null, null, null, null, null, 0, 0, null));
    }
}
