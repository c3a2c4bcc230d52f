package dev.quant4j.data.image;

import dev.quant4j.data.Sample;

/**
 * A declared image preprocessing, applied in this order:
 * <ol>
 *   <li>channels: 1 → 3 by copying grey, 3 → 1 by BT.601 luma ({@code channels = 0} keeps them),
 *       then RGB → BGR if {@code bgr};</li>
 *   <li>geometry ({@link Fit}) to {@code height × width} with {@link Bilinear} (0 keeps the size);</li>
 *   <li>{@link Normalization} of every value;</li>
 *   <li>padding — what {@link Fit#PAD} leaves uncovered, right and bottom — with {@code padValue},
 *       given in the normalized scale (PP-OCR pads with 0 after normalizing);</li>
 *   <li>layout: {@code [C, H, W]} for NCHW or {@code [H, W, C]} for NHWC (the batch dimension is
 *       added when samples are batched).</li>
 * </ol>
 */
public record Preprocessing(int height, int width, Fit fit, int channels, boolean bgr, Normalization normalization, float padValue,
                            Layout layout) {

    public enum Fit {
        /** Resize to exactly height × width, ignoring the aspect ratio. */
        STRETCH,
        /** Keep the aspect ratio, fit inside height × width, pad the rest (right and bottom). */
        PAD,
        /** Keep the aspect ratio, cover height × width, crop the centre. */
        CROP,
        /** No resizing; crop or pad (right and bottom) to height × width. */
        NONE
    }

    public enum Layout { NCHW, NHWC }

    public Preprocessing {
        if (height < 0 || width < 0) throw new IllegalArgumentException("size " + height + "×" + width);
        if ((height == 0) != (width == 0)) throw new IllegalArgumentException("give both height and width, or neither");
        if (channels != 0 && channels != 1 && channels != 3) throw new IllegalArgumentException("channels must be 0 (keep), 1 or 3");
    }

    /**
     * BlazeFace front-128 (testdata README): 128×128 stretched, [0, inputMax] → [−1, 1], grey
     * copied to three channels, NHWC.
     */
    public static Preprocessing blazeFace(float inputMax) {
        return new Preprocessing(128, 128, Fit.STRETCH, 3, false, new Normalization.Range(inputMax, -1, 1), 0, Layout.NHWC);
    }

    public FloatImage applyToImage(FloatImage img) {
        if (channels == 3 && img.channels() == 1) img = img.greyToThree();
        else if (channels == 1 && img.channels() == 3) img = img.toGrey();
        else if (channels != 0 && img.channels() != channels)
            throw new IllegalArgumentException("cannot turn " + img.channels() + " channels into " + channels);
        if (bgr) img = img.reverseChannels();
        if (height > 0) {
            switch (fit) {
                case STRETCH -> img = Bilinear.resize(img, height, width);
                case PAD -> {
                    double s = Math.min((double) height / img.height(), (double) width / img.width());
                    img = Bilinear.resize(img, (int) Math.clamp(Math.round(img.height() * s), 1, height),
                            (int) Math.clamp(Math.round(img.width() * s), 1, width));
                }
                case CROP -> {
                    double s = Math.max((double) height / img.height(), (double) width / img.width());
                    int h = Math.max(height, (int) Math.round(img.height() * s)), w = Math.max(width, (int) Math.round(img.width() * s));
                    img = Bilinear.resize(img, h, w).window((h - height) / 2, (w - width) / 2, height, width, 0);
                }
                case NONE -> { }
            }
        }
        float[] d = img.data().clone(); // never change the caller's image
        int n = img.height() * img.width();
        for (int c = 0; c < img.channels(); c++)
            for (int i = 0; i < n; i++) d[c * n + i] = normalization.apply(d[c * n + i], c);
        img = new FloatImage(img.channels(), img.height(), img.width(), d);
        if (height > 0 && (img.height() != height || img.width() != width))
            img = img.window(0, 0, height, width, padValue);
        return img;
    }

    /** Preprocesses and lays out one image as a sample. */
    public Sample apply(FloatImage img, int label, String text) {
        FloatImage p = applyToImage(img);
        int C = p.channels(), H = p.height(), W = p.width();
        if (layout == Layout.NCHW) return new Sample(p.data(), new long[] {C, H, W}, label, text);
        float[] src = p.data(), hwc = new float[src.length];
        for (int c = 0; c < C; c++)
            for (int i = 0; i < H * W; i++) hwc[i * C + c] = src[c * H * W + i];
        return new Sample(hwc, new long[] {H, W, C}, label, text);
    }
}
