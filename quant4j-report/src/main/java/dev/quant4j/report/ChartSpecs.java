package dev.quant4j.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Turns a report into the charts the page draws. */
final class ChartSpecs {
    static final String REFERENCE_COLOR = "#9aa5b1";
    static final String CANDIDATE_COLOR = "#2f6fdf";
    /** Sensitivity charts show the most harmful layers; the table lists all. */
    static final int MAX_LAYER_BARS = 40;
    /** More grid lines than this would paint the histogram solid: draw every k-th level instead. */
    static final int MAX_GRID_LINES = 64;

    private ChartSpecs() {}

    static List<ChartSpec> of(Report r) {
        List<ChartSpec> charts = new ArrayList<>();
        if (!r.models().isEmpty()) charts.add(size(r));
        latency(r, charts);
        metrics(r, charts);
        if (r.search() != null && !r.search().candidates().isEmpty()) {
            ChartSpec p = pareto(r.search());
            if (p != null) charts.add(p);
        }
        ChartSpec s = sensitivity(r);
        if (s != null) charts.add(s);
        for (int i = 0; i < r.histograms().size(); i++) charts.add(histogram(r.histograms().get(i), i));
        return charts;
    }

    private static List<String> colors(List<String> labels, String reference) {
        return labels.stream().map(l -> l.equals(reference) ? REFERENCE_COLOR : CANDIDATE_COLOR).toList();
    }

    private static ChartSpec size(Report r) {
        List<String> labels = r.models().stream().map(ModelSummary::label).toList();
        List<Double> mib = r.models().stream().map(m -> Html.mib(m.sizeBytes())).toList();
        var series = new ChartSpec.Series("size (MiB)", "bar", CANDIDATE_COLOR, mib, null, null,
                colors(labels, labels.get(0)));
        return new ChartSpec("chart-size", "bars", "Size on disk", "model", "MiB", labels, null, List.of(series),
                null, null, null);
    }

    private static void latency(Report r, List<ChartSpec> charts) {
        String reference = r.models().isEmpty() ? null : r.models().get(0).label();
        Set<String> engines = new LinkedHashSet<>();
        r.latency().forEach(l -> engines.add(l.engine()));
        int n = 0;
        for (String engine : engines) {
            List<LatencyRow> rows = r.latency().stream().filter(l -> l.engine().equals(engine)).toList();
            List<String> labels = rows.stream().map(LatencyRow::model).toList();
            var series = new ChartSpec.Series("p50 (ms)", "bar", CANDIDATE_COLOR,
                    rows.stream().map(LatencyRow::p50Ms).toList(), rows.stream().map(LatencyRow::p50Ms).toList(),
                    rows.stream().map(LatencyRow::p90Ms).toList(), colors(labels, reference));
            charts.add(new ChartSpec("chart-latency-" + n++, "bars", "Latency on " + engine + " (bar p50, whisker to p90)",
                    "model", "ms", labels, null, List.of(series), null, null, null));
        }
    }

    /** One chart per metric and reference: the reference's value and each candidate's, with intervals. */
    private static void metrics(Report r, List<ChartSpec> charts) {
        List<String> keys = new ArrayList<>(new LinkedHashSet<>(
                r.metrics().stream().map(m -> m.metric() + "\u0000" + m.dataset() + "\u0000" + m.reference()).toList()));
        for (int k = 0; k < keys.size(); k++) {
            String key = keys.get(k);
            List<MetricComparison> rows = r.metrics().stream()
                    .filter(m -> (m.metric() + "\u0000" + m.dataset() + "\u0000" + m.reference()).equals(key)).toList();
            MetricComparison first = rows.get(0);
            List<String> labels = new ArrayList<>(List.of(first.reference()));
            List<Estimate> values = new ArrayList<>(List.of(first.before()));
            for (MetricComparison m : rows) {
                labels.add(m.candidate());
                values.add(m.after());
            }
            // Dots on a zoomed axis: bars from zero would hide a one-point change inside their height. The
            // reference and the candidates are two series so that they get their own colours.
            List<ChartSpec.Series> series = new ArrayList<>();
            for (boolean reference : new boolean[] {true, false}) {
                List<Double> y = new ArrayList<>(), low = new ArrayList<>(), high = new ArrayList<>();
                for (int i = 0; i < values.size(); i++) {
                    boolean mine = (i == 0) == reference;
                    y.add(mine ? values.get(i).value() : null);
                    low.add(mine ? values.get(i).low() : null);
                    high.add(mine ? values.get(i).high() : null);
                }
                series.add(new ChartSpec.Series(reference ? first.reference() : "candidates", "dot",
                        reference ? REFERENCE_COLOR : CANDIDATE_COLOR, y, low, high, null));
            }
            String title = first.metric() + (first.dataset().isEmpty() ? "" : " on " + first.dataset())
                    + " (" + Html.num(100 * first.confidence(), 0) + "% interval)";
            charts.add(new ChartSpec("chart-metric-" + k, "bars", title, "model", first.metric(), labels, null,
                    series, null, null, null));
        }
    }

    private static ChartSpec pareto(SearchResult s) {
        boolean byLatency = s.byLatency();
        List<SearchCandidate> cs = s.candidates().stream()
                .filter(c -> ParetoFront.cost(c, byLatency) != null)
                .sorted(Comparator.comparingDouble(c -> ParetoFront.cost(c, byLatency))).toList();
        if (cs.isEmpty()) return null;
        Set<Integer> front = new java.util.HashSet<>(ParetoFront.indices(cs, byLatency, s.higherIsBetter()));
        List<Double> x = new ArrayList<>(), all = new ArrayList<>(), onFront = new ArrayList<>(), chosen = new ArrayList<>();
        for (int i = 0; i < cs.size(); i++) {
            SearchCandidate c = cs.get(i);
            double cost = ParetoFront.cost(c, byLatency);
            x.add(byLatency ? cost : Html.mib((long) cost));
            all.add(c.metric());
            onFront.add(front.contains(i) ? c.metric() : null);
            chosen.add(c.chosen() ? c.metric() : null);
        }
        List<String> labels = cs.stream().map(SearchCandidate::label).toList();
        var series = List.of(
                new ChartSpec.Series("candidates", "points", REFERENCE_COLOR, all, null, null, null),
                new ChartSpec.Series("Pareto front", "line", CANDIDATE_COLOR, onFront, null, null, null),
                new ChartSpec.Series("chosen", "highlight", "#d9480f", chosen, null, null, null));
        return new ChartSpec("chart-pareto", "pareto", "Automatic precision: " + s.metric() + " vs "
                + (byLatency ? "latency" : "size") + " (objective: " + s.objective() + ")",
                byLatency ? "latency (ms)" : "size (MiB)", s.metric(), labels, x, series, null, null, s.boundValue());
    }

    /** Layers ranked by harm: the largest metric loss when only that layer is quantized comes first. */
    static List<LayerSensitivity> ranked(Report r) {
        boolean higherIsBetter = higherIsBetter(r);
        List<LayerSensitivity> rows = new ArrayList<>(r.layers());
        Comparator<LayerSensitivity> byHarm = Comparator.comparing(
                l -> l.metricDeltaOnlyThis() == null ? null : (higherIsBetter ? l.metricDeltaOnlyThis() : -l.metricDeltaOnlyThis()),
                Comparator.nullsLast(Comparator.naturalOrder()));
        // Without metric deltas, the lowest output SQNR is the most harmful.
        rows.sort(byHarm.thenComparing(LayerSensitivity::outputSqnrDb, Comparator.nullsLast(Comparator.naturalOrder())));
        return rows;
    }

    static boolean higherIsBetter(Report r) {
        if (r.search() != null) return r.search().higherIsBetter();
        return r.metrics().isEmpty() || r.metrics().get(0).higherIsBetter();
    }

    private static ChartSpec sensitivity(Report r) {
        List<LayerSensitivity> rows = ranked(r);
        boolean deltas = rows.stream().anyMatch(l -> l.metricDeltaOnlyThis() != null);
        boolean sqnr = rows.stream().anyMatch(l -> l.outputSqnrDb() != null);
        if (!deltas && !sqnr) return null;
        rows = rows.subList(0, Math.min(rows.size(), MAX_LAYER_BARS));
        // An exact layer (infinite SQNR) has no bar height: it shows as a gap, its table row says "exact".
        List<Double> y = rows.stream().map(l -> deltas ? l.metricDeltaOnlyThis() : l.outputSqnrDb())
                .map(v -> v == null || Double.isInfinite(v) ? null : v).toList();
        String what = deltas ? "metric change when only this layer is quantized" : "output SQNR (dB)";
        var series = new ChartSpec.Series(what, "bar", CANDIDATE_COLOR, y, null, null, null);
        List<String> names = rows.stream().map(LayerSensitivity::node).toList();
        return new ChartSpec("chart-sensitivity", "bars", "Per-layer sensitivity, most harmful first: " + what,
                "layer rank", deltas ? "metric change" : "dB", names, null, List.of(series), null, null, null);
    }

    private static ChartSpec histogram(Histogram h, int index) {
        int bins = h.counts().size();
        double width = (h.max() - h.min()) / bins;
        List<Double> x = new ArrayList<>(bins);
        for (int i = 0; i < bins; i++) x.add(h.min() + (i + 0.5) * width);
        List<Double> counts = h.counts().stream().map(Long::doubleValue).toList();
        var series = new ChartSpec.Series("count", "bar", CANDIDATE_COLOR, counts, null, null, null);
        List<Double> marks = null, clip = null;
        String title = h.kind() + " " + h.tensor();
        if (h.grid() != null) {
            marks = gridLines(h.grid(), h.min(), h.max());
            clip = List.of(h.grid().low(), h.grid().high());
            title += " (grid: scale " + String.format(java.util.Locale.ROOT, "%.4g", h.grid().scale()) + ", zero-point "
                    + h.grid().zeroPoint() + ", q in [" + h.grid().qmin() + ", " + h.grid().qmax() + "])";
        }
        return new ChartSpec("chart-histogram-" + index, "histogram", title, "value", "count", null, x,
                List.of(series), marks, clip, null);
    }

    /**
     * The grid's levels inside [lo, hi]. When more than {@link #MAX_GRID_LINES} fall inside, every k-th level
     * counted from the zero point is kept, so 0.0 stays on the chart and the spacing stays regular.
     */
    static List<Double> gridLines(QuantGrid g, double lo, double hi) {
        long first = Math.max(g.qmin(), (long) Math.ceil(lo / g.scale() + g.zeroPoint()));
        long last = Math.min(g.qmax(), (long) Math.floor(hi / g.scale() + g.zeroPoint()));
        if (last < first) return List.of();
        long count = last - first + 1;
        long stride = Math.max(1, (count + MAX_GRID_LINES - 1) / MAX_GRID_LINES);
        long start = first + Math.floorMod(g.zeroPoint() - first, stride);
        List<Double> lines = new ArrayList<>();
        for (long q = start; q <= last; q += stride) {
            double v = g.value(q);
            if (v >= lo && v <= hi) lines.add(v);
        }
        return Collections.unmodifiableList(lines);
    }
}
