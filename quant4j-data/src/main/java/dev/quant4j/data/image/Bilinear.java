package dev.quant4j.data.image;

/**
 * Bilinear resizing with half-pixel centres: output pixel {@code x} samples the input at
 * {@code (x + 0.5)·in/out − 0.5}, clamped to the image. This is OpenCV's {@code INTER_LINEAR},
 * ONNX Resize's {@code half_pixel} and PyTorch's {@code align_corners=False} without antialiasing,
 * the conventions the models here were trained with.
 *
 * <p>Separable: rows are interpolated first into a buffer, then columns, with the taps of each
 * axis computed once.
 */
public final class Bilinear {
    private Bilinear() {}

    public static FloatImage resize(FloatImage in, int outH, int outW) {
        if (outH < 1 || outW < 1) throw new IllegalArgumentException("resize to " + outH + "×" + outW);
        if (outH == in.height() && outW == in.width()) return in;
        Taps ty = Taps.of(in.height(), outH), tx = Taps.of(in.width(), outW);
        int inW = in.width(), inH = in.height(), C = in.channels();
        float[] src = in.data();
        float[] out = new float[C * outH * outW];
        float[] row0 = new float[outW], row1 = new float[outW];
        for (int c = 0; c < C; c++) {
            int plane = c * inH * inW;
            for (int y = 0; y < outH; y++) {
                horizontal(src, plane + ty.lo[y] * inW, tx, row0);
                horizontal(src, plane + ty.hi[y] * inW, tx, row1);
                float wy = ty.frac[y];
                int o = (c * outH + y) * outW;
                for (int x = 0; x < outW; x++) out[o + x] = row0[x] + wy * (row1[x] - row0[x]);
            }
        }
        return new FloatImage(C, outH, outW, out);
    }

    private static void horizontal(float[] src, int rowStart, Taps tx, float[] dst) {
        for (int x = 0; x < dst.length; x++) {
            float a = src[rowStart + tx.lo[x]], b = src[rowStart + tx.hi[x]];
            dst[x] = a + tx.frac[x] * (b - a);
        }
    }

    /** For each output index: the two input indices it blends and the weight of the second. */
    record Taps(int[] lo, int[] hi, float[] frac) {
        static Taps of(int in, int out) {
            int[] lo = new int[out], hi = new int[out];
            float[] frac = new float[out];
            double scale = (double) in / out;
            for (int i = 0; i < out; i++) {
                double s = Math.max(0, (i + 0.5) * scale - 0.5);
                int i0 = (int) Math.floor(s);
                if (i0 >= in - 1) {
                    lo[i] = hi[i] = in - 1;
                    frac[i] = 0;
                } else {
                    lo[i] = i0;
                    hi[i] = i0 + 1;
                    frac[i] = (float) (s - i0);
                }
            }
            return new Taps(lo, hi, frac);
        }
    }
}
