package dev.quant4j.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The page's text, read without a browser: escaping, inlining and the absence of any external reference. */
class HtmlReportTest {
    private static final String PAGE = HtmlReport.render(SampleReport.build());

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.CASE_INSENSITIVE).matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    @Test
    void userTextIsEscaped() {
        assertFalse(PAGE.contains(SampleReport.HOSTILE));
        assertFalse(PAGE.contains("<img"));
        assertTrue(PAGE.contains("&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;&lt;/script&gt;"));
        assertTrue(PAGE.contains("<title>fashion-cnn: fp32 vs int8 &amp; auto &lt;test&gt;</title>"));
        // Exactly the page's own four script elements open and close.
        assertEquals(4, count(PAGE, "<script"));
        assertEquals(4, count(PAGE, "</script"));
        assertEquals(0, count(PAGE, "<!--"));
    }

    @Test
    void nothingIsFetched() {
        // Markup outside the scripts: no element attribute that loads something (escaped text has no tags).
        String markup = PAGE.replaceAll("(?s)<script[^>]*>.*?</script>", "<script></script>");
        assertEquals(0, count(markup, "<[a-z][^>]*\\s(src|href|action|srcset|poster|data)\\s*="), "an attribute that loads something");
        // Scripts: no API that reaches the network.
        assertEquals(0, count(PAGE, "fetch\\(|XMLHttpRequest|WebSocket|EventSource|import\\(|sendBeacon|new Image"));
        assertEquals(0, count(PAGE, "@import"));
        assertEquals(0, count(PAGE, "url\\("), "a stylesheet url()");
        // The only URL is uPlot's licence banner, inside a comment.
        Matcher m = Pattern.compile("https?://").matcher(PAGE);
        String banner = "/*! https://github.com/leeoniya/uPlot (v1.6.30) */";
        int bannerAt = PAGE.indexOf(banner);
        assertTrue(bannerAt >= 0, "uPlot banner missing");
        while (m.find()) assertEquals(bannerAt + 4, m.start(), "URL outside the banner at " + m.start());
        assertTrue(PAGE.contains("default-src 'none'"), "Content-Security-Policy missing");
    }

    @Test
    void uplotIsInlinedWhole() throws Exception {
        String path = "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.iife.min.js";
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(path)) {
            String js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(js.length() > 40_000);
            assertTrue(PAGE.contains(js));
        }
    }

    @Test
    void scriptJsonParsesBackToTheSameValue() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String nasty = "</script><!-- \u2028 \u2029 & < > \" ' \\ \u0001";
        String original = json.writeValueAsString(java.util.Map.of("name", nasty));
        String embedded = Html.scriptJson(original);
        assertFalse(embedded.contains("<") || embedded.contains(">") || embedded.contains("&"));
        assertEquals(nasty, json.readTree(embedded).get("name").asText());
    }

    @Test
    void htmlTextEscapesMarkupCharacters() {
        assertEquals("a&lt;b&gt;c&amp;d&quot;e&#39;f", Html.text("a<b>c&d\"e'f"));
        assertEquals("x&#xFFFD;y\tz", Html.text("x\u0000y\tz"));
    }
}
