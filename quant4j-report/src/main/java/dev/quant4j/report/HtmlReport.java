package dev.quant4j.report;

import dev.quant4j.core.io.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * One self-contained HTML page: tables as static HTML, charts drawn by uPlot (inlined from its webjar) from JSON
 * embedded in the page, the full report JSON embedded too. It opens offline and fetches nothing: no external
 * scripts, styles, fonts or images.
 */
public final class HtmlReport {
    private static final ObjectMapper CHART_MAPPER = JsonMapper.builder().build();

    private HtmlReport() {}

    /** Writes atomically (temporary file moved into place). */
    public static void write(Report report, Path file) throws IOException {
        byte[] content = render(report).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, o -> o.write(content));
    }

    public static String render(Report r) {
        ChartLibrary lib = ChartLibrary.get();
        List<ChartSpec> charts = ChartSpecs.of(r);
        StringBuilder out = new StringBuilder(256 * 1024);
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                // No network, even by mistake: the policy forbids every fetch that is not inline or a data: image.
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
                .append("script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"generator\" content=\"quant4j-report; charts: uPlot ").append(Html.text(lib.version))
                .append(" (MIT)\">\n")
                .append("<title>").append(Html.text(r.title())).append("</title>\n")
                .append("<style>\n").append(lib.uplotCss).append("\n").append(lib.pageCss).append("\n</style>\n")
                .append("</head><body>\n")
                .append("<h1>").append(Html.text(r.title())).append("</h1>\n");
        if (!r.createdAt().isEmpty()) out.append("<p class=\"meta\">measured ").append(Html.text(r.createdAt())).append("</p>\n");
        HtmlTables tables = new HtmlTables(out);

        if (!r.models().isEmpty()) {
            section(out, "models", "Before and after");
            if (r.models().size() > 1) tables.summary(r);
            out.append("<h3>Models</h3>\n");
            tables.models(r.models());
        }
        if (!r.metrics().isEmpty()) {
            out.append("<h3>Task metrics</h3>\n");
            tables.metrics(r.metrics());
        }
        if (!r.latency().isEmpty()) {
            out.append("<h3>Latency and throughput</h3>\n");
            tables.latency(r.latency());
        }
        chartDivs(out, charts, "bars", "chart-size", "chart-latency-", "chart-metric-");

        if (r.search() != null) {
            SearchResult s = r.search();
            section(out, "search", "Automatic precision");
            out.append("<p>metric ").append(Html.text(s.metric())).append(", objective ").append(Html.text(s.objective()));
            if (!s.bound().isEmpty()) out.append(", bound ").append(Html.text(s.bound()));
            if (s.boundValue() != null) out.append(" (").append(Html.text(Html.num(s.boundValue(), 4))).append(")");
            out.append("</p>\n");
            chartDivs(out, charts, "pareto", "chart-pareto");
            if (!s.candidates().isEmpty()) tables.candidates(s);
            if (!s.path().isEmpty()) {
                out.append("<h3>Decision path</h3>\n");
                tables.path(s.path());
            }
        }
        if (!r.layers().isEmpty()) {
            section(out, "sensitivity", "Per-layer sensitivity");
            chartDivs(out, charts, "bars", "chart-sensitivity");
            tables.layers(ChartSpecs.ranked(r));
        }
        if (!r.histograms().isEmpty()) {
            section(out, "histograms", "Weights and activations on their quantization grids");
            out.append("<p>Vertical lines: grid levels (every k-th when dense); red: clip bounds.</p>\n");
            chartDivs(out, charts, "histogram", "chart-histogram-");
        }
        if (!r.deployability().isEmpty()) {
            section(out, "deployability", "Deployability");
            tables.deployability(r.deployability());
        }
        if (r.provenance() != null) {
            section(out, "provenance", "Provenance");
            tables.provenance(r.provenance());
        }
        out.append("<script type=\"application/json\" id=\"quant4j-report\">\n")
                .append(Html.scriptJson(ReportJson.toJson(r))).append("\n</script>\n")
                .append("<script type=\"application/json\" id=\"quant4j-charts\">\n")
                .append(Html.scriptJson(chartJson(charts))).append("\n</script>\n")
                .append("<script>\n").append(lib.uplotJs).append("\n</script>\n")
                .append("<script>\n").append(lib.chartsJs).append("\n</script>\n")
                .append("</body></html>\n");
        return out.toString();
    }

    private static void section(StringBuilder out, String id, String heading) {
        out.append("<h2 id=\"").append(id).append("\">").append(Html.text(heading)).append("</h2>\n");
    }

    /** Placeholders the script fills; ids come from {@link ChartSpecs}, never from user text. */
    private static void chartDivs(StringBuilder out, List<ChartSpec> charts, String kind, String... idPrefixes) {
        out.append("<div class=\"charts\">");
        for (ChartSpec c : charts) {
            if (!c.kind().equals(kind)) continue;
            for (String p : idPrefixes) {
                if (c.id().equals(p) || (p.endsWith("-") && c.id().startsWith(p))) {
                    out.append("<div class=\"chart\" id=\"").append(c.id()).append("\"></div>");
                    break;
                }
            }
        }
        out.append("</div>\n");
    }

    private static String chartJson(List<ChartSpec> charts) {
        try {
            return CHART_MAPPER.writeValueAsString(charts);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize charts", e);
        }
    }
}
