package dev.quant4j.report;

import java.util.List;
import java.util.Map;

/**
 * The report's tables, written as static HTML so the figures read without the script. Every text from the
 * report goes through {@link Html#text}.
 */
final class HtmlTables {
    private final StringBuilder out;

    HtmlTables(StringBuilder out) {
        this.out = out;
    }

    private void table(String id, String... headers) {
        out.append("<table id=\"").append(id).append("\"><thead><tr>");
        for (String h : headers) out.append("<th>").append(Html.text(h)).append("</th>");
        out.append("</tr></thead><tbody>\n");
    }

    private void row(String... cells) {
        out.append("<tr>");
        for (String c : cells) out.append("<td>").append(Html.text(c)).append("</td>");
        out.append("</tr>\n");
    }

    private void end() {
        out.append("</tbody></table>\n");
    }

    /**
     * One row per model against the reference: size ratio, median-latency ratio per engine and metric changes.
     * A model is called faster or smaller only from measured figures; a missing measurement says so.
     */
    void summary(Report r) {
        ModelSummary ref = r.models().get(0);
        List<String> engines = r.latency().stream().map(LatencyRow::engine).distinct().toList();
        List<MetricComparison> keys = r.metrics().stream().filter(m -> m.reference().equals(ref.label()))
                .filter(distinctBy(m -> m.metric() + "\u0000" + m.dataset())).toList();
        List<String> headers = new java.util.ArrayList<>(List.of("model", "size vs " + ref.label()));
        for (String e : engines) headers.add("p50 latency on " + e + " vs " + ref.label());
        for (MetricComparison k : keys) headers.add(k.metric() + (k.dataset().isEmpty() ? "" : " (" + k.dataset() + ")") + " change");
        table("table-summary", headers.toArray(String[]::new));
        for (ModelSummary m : r.models().subList(1, r.models().size())) {
            List<String> cells = new java.util.ArrayList<>(List.of(m.label(), ratio(ref.sizeBytes(), m.sizeBytes(), "smaller", "larger")));
            for (String e : engines) {
                LatencyRow a = find(r.latency(), ref.label(), e), b = find(r.latency(), m.label(), e);
                cells.add(a == null || b == null ? "not measured" : ratio(a.p50Ms(), b.p50Ms(), "faster", "slower"));
            }
            for (MetricComparison k : keys) {
                cells.add(r.metrics().stream().filter(x -> x.reference().equals(ref.label()) && x.candidate().equals(m.label())
                                && x.metric().equals(k.metric()) && x.dataset().equals(k.dataset()))
                        .findFirst().map(x -> Html.signedEstimate(x.delta(), 4)).orElse("not measured"));
            }
            row(cells.toArray(String[]::new));
        }
        end();
    }

    /** "3.57x smaller" when reference/candidate > 1, "1.18x larger" when below (always the ratio above 1). */
    private static String ratio(double reference, double candidate, String better, String worse) {
        if (reference <= 0 || candidate <= 0) return "–";
        if (reference == candidate) return "same";
        return reference > candidate ? Html.num(reference / candidate, 2) + "x " + better
                : Html.num(candidate / reference, 2) + "x " + worse;
    }

    private static LatencyRow find(List<LatencyRow> rows, String model, String engine) {
        return rows.stream().filter(l -> l.model().equals(model) && l.engine().equals(engine)).findFirst().orElse(null);
    }

    private static <T> java.util.function.Predicate<T> distinctBy(java.util.function.Function<T, String> key) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return t -> seen.add(key.apply(t));
    }

    void models(List<ModelSummary> models) {
        table("table-models", "model", "file", "size", "vs reference", "precisions (share of parameters)");
        long ref = models.get(0).sizeBytes();
        for (ModelSummary m : models) {
            String ratio = ref == 0 ? "–" : Html.num(100.0 * m.sizeBytes() / ref, 1) + "%";
            row(m.label(), m.file(), Html.size(m.sizeBytes()), ratio, precisions(m.precisions()));
        }
        end();
    }

    private static String precisions(List<PrecisionShare> shares) {
        long total = shares.stream().mapToLong(PrecisionShare::parameters).sum();
        StringBuilder sb = new StringBuilder();
        for (PrecisionShare p : shares) {
            if (!sb.isEmpty()) sb.append(", ");
            sb.append(p.precision()).append(' ');
            sb.append(total == 0 ? "–" : Html.num(100.0 * p.parameters() / total, 1) + "%");
            sb.append(" (").append(p.tensors()).append(" tensors)");
        }
        return sb.toString();
    }

    void metrics(List<MetricComparison> metrics) {
        table("table-metrics", "metric", "data", "reference", "candidate", "samples", "reference value",
                "candidate value", "change (paired)", "interval");
        for (MetricComparison m : metrics) {
            row(m.metric(), m.dataset(), m.reference(), m.candidate(), Integer.toString(m.samples()),
                    Html.estimate(m.before(), 4), Html.estimate(m.after(), 4), Html.signedEstimate(m.delta(), 4),
                    Html.num(100 * m.confidence(), 0) + "%");
        }
        end();
    }

    void latency(List<LatencyRow> rows) {
        table("table-latency", "model", "engine", "runs", "p50 (ms)", "p90 (ms)", "p99 (ms)", "throughput (/s)",
                "peak memory", "p50 speed-up vs first on engine");
        for (LatencyRow l : rows) {
            LatencyRow first = rows.stream().filter(o -> o.engine().equals(l.engine())).findFirst().orElseThrow();
            String speedup = l.p50Ms() > 0 ? Html.num(first.p50Ms() / l.p50Ms(), 2) + "x" : "–";
            row(l.model(), l.engine(), Integer.toString(l.runs()), Html.num(l.p50Ms(), 3), Html.num(l.p90Ms(), 3),
                    Html.num(l.p99Ms(), 3), Html.num(l.throughputPerS(), 1),
                    l.peakMemoryBytes() == null ? "–" : Html.size(l.peakMemoryBytes()), speedup);
        }
        end();
    }

    void layers(List<LayerSensitivity> ranked) {
        table("table-layers", "rank", "node", "op", "precision", "metric change (only this)",
                "metric change (all but this)", "weight SQNR (dB)", "output SQNR (dB)", "weight range",
                "weight max/p99.9", "activation range", "activation max/p99.9", "fp32 bytes", "quantized bytes",
                "speed-up");
        int rank = 1;
        for (LayerSensitivity l : ranked) {
            row(Integer.toString(rank++), l.node(), l.opType(), l.precision(), Html.optSigned(l.metricDeltaOnlyThis(), 4),
                    Html.optSigned(l.metricDeltaAllButThis(), 4), sqnr(l.weightSqnrDb()),
                    sqnr(l.outputSqnrDb()), range(l.weightRange()),
                    l.weightRange() == null ? "–" : Html.opt(l.weightRange().maxOverP999(), 2), range(l.activationRange()),
                    l.activationRange() == null ? "–" : Html.opt(l.activationRange().maxOverP999(), 2),
                    Long.toString(l.floatBytes()), Long.toString(l.quantizedBytes()),
                    l.speedup() == null ? "–" : Html.num(l.speedup(), 2) + "x");
        }
        end();
    }

    private static String sqnr(Double db) {
        return db != null && db == Double.POSITIVE_INFINITY ? "exact (∞)" : Html.opt(db, 2);
    }

    private static String range(ValueRange r) {
        return r == null ? "–" : "[" + Html.sig(r.min()) + ", " + Html.sig(r.max()) + "]";
    }

    void candidates(SearchResult s) {
        java.util.Set<Integer> front = new java.util.HashSet<>(
                ParetoFront.indices(s.candidates(), s.byLatency(), s.higherIsBetter()));
        table("table-candidates", "candidate", "size", "latency (ms)", s.metric(), "meets bound", "Pareto front",
                "chosen");
        for (int i = 0; i < s.candidates().size(); i++) {
            SearchCandidate c = s.candidates().get(i);
            row(c.label(), Html.size(c.sizeBytes()), Html.opt(c.latencyMs(), 3), Html.num(c.metric(), 4),
                    c.meetsBound() ? "yes" : "no", front.contains(i) ? "yes" : "", c.chosen() ? "chosen" : "");
        }
        end();
    }

    void path(List<SearchStep> steps) {
        table("table-path", "step", "action", "changes", "metric after", "meets bound", "kept", "reason");
        for (SearchStep s : steps) {
            String changes = String.join("; ", s.changes().stream().map(PrecisionChange::toString).toList());
            row(Integer.toString(s.step()), s.action(), changes, Html.opt(s.metric(), 4), s.meets() ? "yes" : "no",
                    s.accepted() ? "yes" : "no", s.reason());
        }
        end();
    }

    void deployability(List<DeployabilityRow> rows) {
        table("table-deployability", "node", "op", "precision", "engine", "runs", "fast", "why");
        for (DeployabilityRow d : rows) {
            String fast = d.fast() == null ? "not measured" : d.fast() ? "yes" : "no";
            row(d.node(), d.opType(), d.precision(), d.engine(), d.supported() ? "yes" : "NO", fast, d.note());
        }
        end();
    }

    void provenance(Provenance p) {
        table("table-provenance", "setting", "value");
        row("tool", p.tool() + " " + p.toolVersion());
        if (!p.calibrationSha256().isEmpty()) row("calibration data SHA-256", p.calibrationSha256());
        for (Map.Entry<String, String> e : p.settings().entrySet()) row(e.getKey(), e.getValue());
        end();
        if (!p.decisions().isEmpty()) {
            table("table-decisions", "tensor", "precision", "rule", "reason");
            for (TensorDecision d : p.decisions()) row(d.tensor(), d.precision(), d.rule(), d.reason());
            end();
        }
    }
}
