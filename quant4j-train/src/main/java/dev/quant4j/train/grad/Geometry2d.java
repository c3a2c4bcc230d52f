package dev.quant4j.train.grad;

import dev.quant4j.graph.Attributes;
import dev.quant4j.train.GradContext;

/**
 * The window of a 2-D Conv or pool over NCHW: kernel, strides, dilations and explicit pads
 * (auto_pad NOTSET or VALID; the SAME forms are resolved like ONNX does). Output size from the
 * saved output tensor, so ceil_mode needs no separate handling.
 */
record Geometry2d(int kh, int kw, int sh, int sw, int dh, int dw, int padTop, int padLeft,
                  int ih, int iw, int oh, int ow) {

    static Geometry2d of(GradContext c, long[] kernel) {
        long[] xs = c.inShape(0), ys = c.outShape(0);
        if (xs.length != 4) throw c.error("only 2-D (NCHW) windows have a backward, got input rank " + xs.length);
        Attributes a = c.attributes();
        long[] st = a.has("strides") ? a.getInts("strides") : new long[] {1, 1};
        long[] dl = a.has("dilations") ? a.getInts("dilations") : new long[] {1, 1};
        long[] pads = a.has("pads") ? a.getInts("pads") : new long[4];
        int ih = (int) xs[2], iw = (int) xs[3], oh = (int) ys[2], ow = (int) ys[3];
        String auto = a.getString("auto_pad", "NOTSET");
        int pt = (int) pads[0], pl = (int) pads[1];
        if (auto.startsWith("SAME")) {
            int th = Math.max(0, (oh - 1) * (int) st[0] + (int) ((kernel[0] - 1) * dl[0] + 1) - ih);
            int tw = Math.max(0, (ow - 1) * (int) st[1] + (int) ((kernel[1] - 1) * dl[1] + 1) - iw);
            pt = auto.equals("SAME_UPPER") ? th / 2 : th - th / 2;
            pl = auto.equals("SAME_UPPER") ? tw / 2 : tw - tw / 2;
        } else if (auto.equals("VALID")) {
            pt = 0; pl = 0;
        }
        return new Geometry2d((int) kernel[0], (int) kernel[1], (int) st[0], (int) st[1], (int) dl[0], (int) dl[1], pt, pl, ih, iw, oh, ow);
    }

    int outSize() { return oh * ow; }

    int inSize() { return ih * iw; }

    /**
     * col[(ch·kh·kw + ky·kw + kx)][colOff + oy·ow + ox] = x[xOff + ch·ih·iw + iy·iw + ix] for
     * {@code channels} channels; ldCol is the row stride of col (so a batch can sit side by side).
     */
    void im2col(float[] x, int xOff, int channels, float[] col, int colOff, int ldCol) {
        for (int ch = 0; ch < channels; ch++)
            for (int ky = 0; ky < kh; ky++)
                for (int kx = 0; kx < kw; kx++) {
                    int row = (ch * kh + ky) * kw + kx, base = row * ldCol + colOff, plane = xOff + ch * ih * iw;
                    int shift = kx * dw - padLeft, lo = validFrom(shift), hi = validTo(shift, lo);
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * sh - padTop + ky * dh, o = base + oy * ow;
                        if (iy < 0 || iy >= ih) { java.util.Arrays.fill(col, o, o + ow, 0f); continue; }
                        int r = plane + iy * iw;
                        if (sw == 1) { // a row of the window is a contiguous run of x, zero-padded at both ends
                            java.util.Arrays.fill(col, o, o + lo, 0f);
                            System.arraycopy(x, r + lo + shift, col, o + lo, hi - lo);
                            java.util.Arrays.fill(col, o + hi, o + ow, 0f);
                            continue;
                        }
                        for (int ox = 0; ox < ow; ox++) {
                            int ix = ox * sw + shift;
                            col[o + ox] = ix >= 0 && ix < iw ? x[r + ix] : 0f;
                        }
                    }
                }
    }

    /** At stride 1, the first output column whose input column ox + shift is inside the image. */
    private int validFrom(int shift) { return Math.min(ow, Math.max(0, -shift)); }

    /** At stride 1, one past the last output column whose input column is inside the image. */
    private int validTo(int shift, int lo) { return Math.max(lo, Math.min(ow, iw - shift)); }

    /** The adjoint of {@link #im2col}: adds col's entries back into dx. */
    void col2im(float[] col, int colOff, int ldCol, int channels, float[] dx, int xOff) {
        col2im(col, colOff, ldCol, channels, dx, xOff, BackwardLoops.best());
    }

    void col2im(float[] col, int colOff, int ldCol, int channels, float[] dx, int xOff, BackwardLoops loops) {
        for (int ch = 0; ch < channels; ch++)
            for (int ky = 0; ky < kh; ky++)
                for (int kx = 0; kx < kw; kx++) {
                    int row = (ch * kh + ky) * kw + kx, base = row * ldCol + colOff, plane = xOff + ch * ih * iw;
                    int shift = kx * dw - padLeft, lo = validFrom(shift), hi = validTo(shift, lo);
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * sh - padTop + ky * dh;
                        if (iy < 0 || iy >= ih) continue;
                        int r = plane + iy * iw, o = base + oy * ow;
                        if (sw == 1) { loops.addInto(col, o + lo, dx, r + lo + shift, hi - lo); continue; }
                        for (int ox = 0; ox < ow; ox++) {
                            int ix = ox * sw + shift;
                            if (ix >= 0 && ix < iw) dx[r + ix] += col[o + ox];
                        }
                    }
                }
    }
}
