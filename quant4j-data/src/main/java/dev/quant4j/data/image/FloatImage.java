package dev.quant4j.data.image;

/**
 * An image as planar floats: {@code data[(c·height + y)·width + x]}, channels first. Values are in
 * whatever scale the source had (0..255 for 8-bit images, 0..1 for lfw_subset).
 */
public record FloatImage(int channels, int height, int width, float[] data) {
    public FloatImage {
        if (channels < 1 || height < 1 || width < 1)
            throw new IllegalArgumentException("image " + channels + "×" + height + "×" + width);
        if ((long) channels * height * width != data.length)
            throw new IllegalArgumentException(channels + "×" + height + "×" + width + " image with " + data.length + " values");
    }

    public static FloatImage blank(int channels, int height, int width, float value) {
        float[] d = new float[channels * height * width];
        java.util.Arrays.fill(d, value);
        return new FloatImage(channels, height, width, d);
    }

    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }

    /** One grey channel copied to three (RGB models fed a grey image). */
    public FloatImage greyToThree() {
        if (channels != 1) throw new IllegalStateException("not a grey image: " + channels + " channels");
        int n = height * width;
        float[] d = new float[3 * n];
        for (int c = 0; c < 3; c++) System.arraycopy(data, 0, d, c * n, n);
        return new FloatImage(3, height, width, d);
    }

    /** Luma by ITU-R BT.601 (0.299 R + 0.587 G + 0.114 B), as JPEG and most libraries define grey. */
    public FloatImage toGrey() {
        if (channels == 1) return this;
        if (channels != 3) throw new IllegalStateException("cannot make grey from " + channels + " channels");
        int n = height * width;
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = (float) (0.299 * data[i] + 0.587 * data[n + i] + 0.114 * data[2 * n + i]);
        return new FloatImage(1, height, width, d);
    }

    /** Channels in reverse order (RGB ↔ BGR). */
    public FloatImage reverseChannels() {
        int n = height * width;
        float[] d = new float[data.length];
        for (int c = 0; c < channels; c++) System.arraycopy(data, c * n, d, (channels - 1 - c) * n, n);
        return new FloatImage(channels, height, width, d);
    }

    /**
     * The {@code h×w} window at {@code (top, left)}; parts outside this image take {@code fill},
     * so the same call crops and pads.
     */
    public FloatImage window(int top, int left, int h, int w, float fill) {
        float[] d = new float[channels * h * w];
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < h; y++) {
                int sy = top + y;
                for (int x = 0; x < w; x++) {
                    int sx = left + x;
                    d[(c * h + y) * w + x] = sy >= 0 && sy < height && sx >= 0 && sx < width ? data[(c * height + sy) * width + sx] : fill;
                }
            }
        return new FloatImage(channels, h, w, d);
    }

    /** Rotated by 180° (upside down), as the PP-OCR direction classifier's class 1 expects. */
    public FloatImage rotate180() {
        int n = height * width;
        float[] d = new float[data.length];
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < n; i++) d[c * n + i] = data[c * n + (n - 1 - i)];
        return new FloatImage(channels, height, width, d);
    }
}
