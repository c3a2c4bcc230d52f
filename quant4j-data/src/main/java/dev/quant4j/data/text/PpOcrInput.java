package dev.quant4j.data.text;

import dev.quant4j.data.Sample;
import dev.quant4j.data.image.Bilinear;
import dev.quant4j.data.image.FloatImage;

/**
 * PP-OCR's input conventions for a text line (PaddleOCR {@code resize_norm_img}): keep the aspect
 * ratio, resize to height 48 and width {@code min(maxWidth, ceil(48·w/h))} (bilinear), normalize
 * each value to {@code (x/255 − 0.5)/0.5}, and pad on the right with 0 — in the normalized scale,
 * i.e. mid-grey — up to the input width. Three channels, NCHW.
 *
 * <pre>
 *   direction classifier  3 × 48 × 192           (content at most 192 wide)
 *   recognizer            3 × 48 × max(320, Wc)  (content Wc ≤ maxWidth)
 * </pre>
 */
public final class PpOcrInput {
    private PpOcrInput() {}

    public static final int HEIGHT = 48;
    public static final int CLS_WIDTH = 192;
    /** The recognizer's nominal width (rec_image_shape 3,48,320); narrower lines are padded to it. */
    public static final int REC_MIN_WIDTH = 320;

    /** Input of the direction classifier: 3×48×192. */
    public static Sample cls(FloatImage line, int label, String text) {
        return prepare(line, CLS_WIDTH, CLS_WIDTH, label, text);
    }

    /** Input of the recognizer: 3×48×W, W = max(320, min(maxWidth, ceil(48·aspect))). */
    public static Sample rec(FloatImage line, int maxWidth, String text) {
        if (maxWidth < 1) throw new IllegalArgumentException("maxWidth " + maxWidth);
        return prepare(line, maxWidth, REC_MIN_WIDTH, Sample.NO_LABEL, text);
    }

    /** The content width PP-OCR resizes a line to before padding. */
    public static int contentWidth(FloatImage line, int maxWidth) {
        double ratio = (double) line.width() / line.height();
        return (int) Math.min(maxWidth, Math.ceil(HEIGHT * ratio));
    }

    private static Sample prepare(FloatImage line, int maxWidth, int minWidth, int label, String text) {
        FloatImage img = line.channels() == 1 ? line.greyToThree() : line;
        if (img.channels() != 3) throw new IllegalArgumentException("a text line needs 1 or 3 channels, got " + img.channels());
        int w = contentWidth(img, maxWidth);
        FloatImage r = Bilinear.resize(img, HEIGHT, w);
        int outW = Math.max(minWidth, w);
        float[] out = new float[3 * HEIGHT * outW]; // zero = the padding value
        float[] src = r.data();
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < HEIGHT; y++)
                for (int x = 0; x < w; x++) out[(c * HEIGHT + y) * outW + x] = (src[(c * HEIGHT + y) * w + x] / 255f - 0.5f) / 0.5f;
        return new Sample(out, new long[] {3, HEIGHT, outW}, label, text);
    }
}
