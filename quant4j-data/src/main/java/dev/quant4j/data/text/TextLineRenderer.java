package dev.quant4j.data.text;

import dev.quant4j.data.image.FloatImage;
import dev.quant4j.data.image.Images;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Renders a string as a text-line image with Java2D (headless): black text on white, 48 pixels
 * high — the height PP-OCR's recognizer and direction classifier take — and as wide as the text
 * plus margins. Because the string is known, the image comes with exact ground truth.
 *
 * <p>The font is chosen by family name from those installed; a missing family falls back to the
 * logical font "SansSerif", which the JDK maps to an installed font.
 */
public final class TextLineRenderer {
    public static final int HEIGHT = 48;
    public static final String FALLBACK = Font.SANS_SERIF;

    private final String family;

    /** Small seeded changes between renderings, so a model sees more than one exact glyph image. */
    public record Variation(float fontSize, int xOffset, int yShift) {
        public static final Variation PLAIN = new Variation(30, 6, 0);

        /** Font size 26–34 pt, left margin 2–12 px, baseline moved by at most ±2 px. */
        public static Variation random(SplittableRandom r) {
            return new Variation((float) r.nextDouble(26, 34), r.nextInt(2, 13), r.nextInt(-2, 3));
        }
    }

    public TextLineRenderer(String family) {
        this.family = installedFamilies().contains(family) ? family : FALLBACK;
    }

    /** The font family names installed on this machine, as Java2D sees them. */
    public static List<String> installedFamilies() {
        return Arrays.asList(GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames());
    }

    /** The family actually used (the requested one, or the fallback). */
    public String family() {
        return family;
    }

    public BufferedImage renderImage(String text, Variation v) {
        Font font = new Font(family, Font.PLAIN, 1).deriveFont(v.fontSize());
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fm = pg.getFontMetrics(font);
        int textWidth = (int) Math.ceil(fm.getStringBounds(text, pg).getWidth());
        pg.dispose();
        int width = Math.max(1, v.xOffset() + textWidth + v.xOffset());
        BufferedImage img = new BufferedImage(width, HEIGHT, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, HEIGHT);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setColor(Color.BLACK);
        g.setFont(font);
        // centre the ascent+descent box vertically, so descenders and capitals both fit
        int baseline = (HEIGHT - (fm.getAscent() + fm.getDescent())) / 2 + fm.getAscent() + v.yShift();
        g.drawString(text, (float) v.xOffset(), (float) baseline);
        g.dispose();
        return img;
    }

    /** The line as a one-channel image on the 0..255 scale, optionally turned upside down. */
    public FloatImage render(String text, Variation v, boolean rotate180) {
        FloatImage img = Images.toFloat(renderImage(text, v));
        return rotate180 ? img.rotate180() : img;
    }
}
