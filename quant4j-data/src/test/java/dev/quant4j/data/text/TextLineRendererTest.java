package dev.quant4j.data.text;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.data.Sample;
import dev.quant4j.data.image.FloatImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextLineRendererTest {
    static final TextLineRenderer R = new TextLineRenderer("DejaVu Sans");

    static int darkPixels(FloatImage img) {
        int n = 0;
        for (float v : img.data()) if (v < 128) n++;
        return n;
    }

    @Test
    void fontsAreListedAndAMissingFamilyFallsBack() {
        List<String> fams = TextLineRenderer.installedFamilies();
        assertFalse(fams.isEmpty(), "Java2D sees no fonts; install fonts-dejavu-core");
        assertTrue(fams.contains(TextLineRenderer.FALLBACK));
        assertEquals(TextLineRenderer.FALLBACK, new TextLineRenderer("No Such Font 123").family());
    }

    @Test
    void linesAre48HighWithInkInsideMargins() {
        TextLineRenderer.Variation v = new TextLineRenderer.Variation(30, 8, 0);
        FloatImage a = R.render("Hg", v, false), b = R.render("Hg Hg Hg Hg", v, false);
        assertEquals(48, a.height());
        assertEquals(1, a.channels());
        assertTrue(b.width() > 3 * a.width(), a.width() + " vs " + b.width());
        assertTrue(darkPixels(b) > 3 * darkPixels(a));
        for (int y = 0; y < 48; y++) {
            assertEquals(255f, a.get(0, y, 0), "left margin is white");
            assertEquals(255f, a.get(0, y, a.width() - 1), "right margin is white");
        }
        // "g" descends below the baseline and "H" rises above it: ink in the top and bottom thirds
        int top = 0, bottom = 0;
        for (int x = 0; x < a.width(); x++) {
            for (int y = 0; y < 16; y++) if (a.get(0, y, x) < 128) top++;
            for (int y = 32; y < 48; y++) if (a.get(0, y, x) < 128) bottom++;
        }
        assertTrue(top > 0 && bottom > 0);
        assertEquals(0, darkPixels(R.render(" ", v, false)));
    }

    @Test
    void rotationIsExactly180Degrees() {
        TextLineRenderer.Variation v = TextLineRenderer.Variation.PLAIN;
        FloatImage up = R.render("Direction 42", v, false), down = R.render("Direction 42", v, true);
        for (int y = 0; y < 48; y++)
            for (int x = 0; x < up.width(); x++) assertEquals(up.get(0, y, x), down.get(0, 47 - y, up.width() - 1 - x));
    }

    @Test
    void ppOcrShapesAndNormalization() {
        FloatImage line = R.render("a fairly long line of text for the recognizer", TextLineRenderer.Variation.PLAIN, false);
        Sample cls = PpOcrInput.cls(line, 0, "x");
        assertArrayEquals(new long[] {3, 48, 192}, cls.shape());
        int w = PpOcrInput.contentWidth(line, 2000);
        assertEquals((int) Math.ceil(48.0 * line.width() / 48), w);
        Sample rec = PpOcrInput.rec(line, 2000, "x");
        assertArrayEquals(new long[] {3, 48, Math.max(320, w)}, rec.shape());
        assertEquals(1f, rec.data()[0], 1e-6f, "white → (255/255 − 0.5)/0.5 = 1");
        Sample capped = PpOcrInput.rec(line, 400, "x");
        assertArrayEquals(new long[] {3, 48, 400}, capped.shape());
        Sample shortLine = PpOcrInput.rec(R.render("ok", TextLineRenderer.Variation.PLAIN, false), 2000, "ok");
        assertEquals(320, shortLine.shape()[2]);
        assertEquals(0f, shortLine.data()[319], "padding is 0 in the normalized scale");
        float min = 1;
        for (float v : rec.data()) min = Math.min(min, v);
        assertTrue(min < -0.9f, "black ink reaches −1: " + min);
    }

    @Test
    void datasetIsReproduciblePerIndex() {
        List<String> lines = List.of("one line", "another line", "a third");
        TextLineDataset a = new TextLineDataset(lines, R, TextLineDataset.Task.DIRECTION, 960, 11);
        TextLineDataset b = new TextLineDataset(lines, R, TextLineDataset.Task.DIRECTION, 960, 11);
        assertArrayEquals(a.get(2).data(), b.get(2).data());
        assertEquals(a.get(1).label(), b.get(1).label());
        assertEquals("another line", a.get(1).text());
        int rotated = 0;
        TextLineDataset many = new TextLineDataset(java.util.Collections.nCopies(200, "x"), R, TextLineDataset.Task.DIRECTION, 960, 3);
        for (int i = 0; i < 200; i++) rotated += many.get(i).label();
        assertTrue(rotated > 60 && rotated < 140, "about half rotated: " + rotated);
    }
}
