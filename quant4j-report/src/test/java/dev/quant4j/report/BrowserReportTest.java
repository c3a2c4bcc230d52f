package dev.quant4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opens written reports in Debian's headless Chromium: no script errors, every chart drawn with its bars, points
 * and grid lines on the canvas, the tables hold the figures, hostile names stay text, and the page makes no
 * request besides itself. Leaves target/report-sample.html, target/report-screenshot.png and
 * target/report-variant-screenshot.png to look at.
 */
@Timeout(120)
class BrowserReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static HeadlessChromium browser;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (browser != null) browser.close();
    }

    /** Per chart: pixels in the series blue and in the bound/clip red, read back from its canvas. */
    private static final String CANVAS_PIXELS = """
            [...document.querySelectorAll('.chart')].map(div => {
              const c = div.querySelector('canvas');
              if (!c) return {id: div.id, canvas: false, blue: 0, red: 0};
              const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
              let blue = 0, red = 0;
              for (let i = 0; i < d.length; i += 4) {
                const r = d[i], g = d[i + 1], b = d[i + 2], a = d[i + 3];
                if (a < 100) continue;
                if (b > 180 && r < 100 && g > 80 && g < 150) blue++;
                if (r > 170 && g < 100 && b < 100) red++;
              }
              return {id: div.id, canvas: true, blue, red};
            })""";

    @Test
    void sampleReportRendersOfflineWithChartsAndFigures() throws Exception {
        Path html = Path.of("target/report-sample.html").toAbsolutePath();
        HtmlReport.write(SampleReport.build(), html);

        HeadlessChromium.PageLoad load = browser.open(html);
        byte[] png = browser.screenshot(); // first, so that a failing run leaves a picture to look at
        Files.write(Path.of("target/report-screenshot.png"), png);
        assertEquals(List.of(), load.errors(), "script errors, console errors or blocked loads");
        assertEquals(List.of(html.toUri().toString()), load.requests(), "the page must request nothing but itself");

        // size, 2 engines, 2 metric groups, Pareto, sensitivity, 3 histograms
        assertEquals(10, browser.evaluate("Number(document.body.dataset.chartsDrawn)").asInt());
        JsonNode charts = browser.evaluate(CANVAS_PIXELS);
        assertEquals(10, charts.size(), charts.toString());
        for (JsonNode c : charts) {
            String id = c.path("id").asText();
            assertTrue(c.path("canvas").asBoolean(), id + " has no canvas");
            // Dots of metric charts are small (one 12 px dot per candidate); bars, lines and histograms are large.
            int minBlue = id.startsWith("chart-metric-") ? 40 : 150;
            assertTrue(c.path("blue").asInt() > minBlue, id + ": bars/points not drawn: " + c);
            if (id.startsWith("chart-histogram-") || id.equals("chart-pareto"))
                assertTrue(c.path("red").asInt() > 100, id + ": clip bounds / bound line / chosen mark not drawn: " + c);
        }

        // int8: 1,234,567 / 345,678 = 3.571 smaller; 12.345 / 7.125 = 1.733 and 2.25 / 1.5 = 1.5 faster.
        assertContains(text("table-summary"), "3.57x smaller", "1.73x faster", "1.50x faster", "2.70x smaller",
                "1.45x faster", "not measured", "-0.0173 [-0.0260, -0.0090]", "-0.0290 [-0.0400, -0.0190]");
        String models = text("table-models");
        assertContains(models, "1.18 MiB (1,234,567 B)", "0.33 MiB (345,678 B)", "28.0%", "int8 98.0% (6 tensors)");
        assertContains(text("table-metrics"), "0.9044 [0.8860, 0.9220]", "0.8871 [0.8670, 0.9060]",
                "-0.0173 [-0.0260, -0.0090]", "+0.0020]");
        assertContains(text("table-layers"), "[-0.4000, 0.5000]", "3.80", "[0.000, 6.000]");
        assertContains(text("table-path"), "block7/conv: int8 -> fp32; ", "kept float");
        assertContains(text("table-deployability"), "not measured", "NO");
        assertContains(text("table-latency"), "12.345", "7.125", "1.73x", "1.50x", "50.00 MiB (52,428,800 B)");
        // Ranked by harm: block0 alone costs 0.011, block5 0.0055 (the sample's deltas).
        assertEquals("block0/conv", cell("table-layers", 0, 1));
        assertEquals("block5/conv", cell("table-layers", 1, 1));
        // The Pareto front over size: every candidate but the one beaten by a smaller, more accurate one.
        JsonNode front = browser.evaluate("[...document.querySelectorAll('#table-candidates tbody tr')]"
                + ".filter(tr => tr.cells[5].textContent === 'yes').map(tr => tr.cells[0].textContent)");
        assertEquals(6, front.size(), front.toString());
        assertTrue(!front.toString().contains("block11"), front.toString());

        // The hostile node name is shown as text and ran nothing.
        String hostile = JSON.writeValueAsString(SampleReport.HOSTILE);
        assertTrue(browser.evaluate("[...document.querySelectorAll('#table-layers td')].some(td => td.textContent === "
                + hostile + ")").asBoolean(), "hostile name not shown verbatim");
        assertTrue(browser.evaluate("typeof window.__pwned === 'undefined'").asBoolean(), "markup from a name ran");
        assertEquals(0, browser.evaluate("document.images.length").asInt());
        assertEquals(4, browser.evaluate("document.scripts.length").asInt());
        // The embedded JSON is the report, readable back.
        String embedded = browser.evaluate("document.getElementById('quant4j-report').textContent").asText();
        assertEquals(SampleReport.build(), ReportJson.fromJson(embedded, "embedded JSON"));

        assertTrue(png.length > 10_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "not a PNG");
    }

    /**
     * The other branches of the page's script: a search for the fastest model (front over latency, one candidate
     * never timed), sensitivity known only as output SQNR, a histogram of a tensor left in float (no grid), a
     * constant tensor, one model only, a lower-is-better metric.
     */
    @Test
    void otherShapesOfReportRenderWithoutErrors() throws Exception {
        Report r = Report.builder("PP-OCR rec: CER, fastest")
                .model(new ModelSummary("fp32", "rec.onnx", 10_000_000, List.of()))
                .metric(new MetricComparison("CER", "", "fp32", "auto", 300, 0.9, false,
                        new Estimate(0.021, 0.018, 0.025), new Estimate(0.024, 0.020, 0.028), new Estimate(0.003, 0.001, 0.005)))
                .latency(new LatencyRow("fp32", "onnxruntime", 50, 4.0, 4.5, 6.0, 250, null))
                .search(new SearchResult("CER", false, "fastest", "--max-drop 0.5", 0.026, List.of(
                        new SearchCandidate("fp32", 10_000_000, 4.0, 0.021, true, false),
                        new SearchCandidate("int8", 2_600_000, 2.5, 0.031, false, false),
                        new SearchCandidate("auto", 3_100_000, 2.8, 0.024, true, true),
                        new SearchCandidate("slow int8", 2_600_000, 3.5, 0.030, false, false),
                        new SearchCandidate("untimed", 3_000_000, null, 0.022, true, false)), List.of()))
                .layer(new LayerSensitivity("conv1", "Conv", "int8", null, 24.0, null, null, null, null, 100, 25, null))
                .layer(new LayerSensitivity("conv2", "Conv", "int8", null, 18.5, null, null, null, null, 100, 25, null))
                .histogram(Histogram.of("float tensor", "activation", new float[] {-1f, 0f, 0.5f, 2f}, 16, null))
                .histogram(Histogram.of("constant", "weight", new float[] {0.25f, 0.25f}, 8, new QuantGrid(0.01, 0, -127, 127)))
                .build();
        Path html = Files.createTempFile("quant4j-variant", ".html");
        try {
            HtmlReport.write(r, html);
            HeadlessChromium.PageLoad load = browser.open(html);
            Files.write(Path.of("target/report-variant-screenshot.png"), browser.screenshot());
            assertEquals(List.of(), load.errors());
            assertEquals(List.of(html.toUri().toString()), load.requests());
            // size, latency, metric, Pareto, sensitivity (SQNR), 2 histograms
            assertEquals(7, browser.evaluate("Number(document.body.dataset.chartsDrawn)").asInt());
            assertEquals(0, browser.evaluate("document.querySelectorAll('#table-summary').length").asInt());
            // Over latency: fp32 has the lowest CER, int8 is fastest, auto between; "slow int8" is beaten by auto
            // (faster, lower CER); "untimed" has no place on a latency front although its CER is second best.
            JsonNode front = browser.evaluate("[...document.querySelectorAll('#table-candidates tbody tr')]"
                    + ".filter(tr => tr.cells[5].textContent === 'yes').map(tr => tr.cells[0].textContent)");
            assertEquals("[\"fp32\",\"int8\",\"auto\"]", front.toString());
            assertEquals("conv2", cell("table-layers", 0, 1)); // lowest output SQNR first
        } finally {
            Files.deleteIfExists(html);
        }
    }

    @Test
    void emptyReportRendersWithoutErrors() throws Exception {
        Path html = Files.createTempFile("quant4j-empty", ".html");
        try {
            HtmlReport.write(Report.builder("nothing measured").build(), html);
            HeadlessChromium.PageLoad load = browser.open(html);
            assertEquals(List.of(), load.errors());
            assertEquals(List.of(html.toUri().toString()), load.requests());
            assertEquals(0, browser.evaluate("Number(document.body.dataset.chartsDrawn)").asInt());
        } finally {
            Files.deleteIfExists(html);
        }
    }

    private static String text(String tableId) throws Exception {
        return browser.evaluate("document.getElementById('" + tableId + "').innerText").asText();
    }

    private static String cell(String tableId, int row, int column) throws Exception {
        return browser.evaluate("document.querySelectorAll('#" + tableId + " tbody tr')[" + row + "].cells[" + column
                + "].textContent").asText();
    }

    private static void assertContains(String text, String... figures) {
        for (String f : figures) assertTrue(text.contains(f), "missing \"" + f + "\" in:\n" + text);
    }
}
