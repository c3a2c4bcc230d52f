package dev.quant4j.train.grad;

import dev.quant4j.train.GradContext;
import dev.quant4j.train.GradRegistry;
import java.util.Arrays;

/**
 * Conv (2-D, NCHW, any strides/pads/dilations/groups). The whole batch is laid out side by side
 * as one im2col matrix col[C·kh·kw × N·P], so the two products are one GEMM each:
 * <pre>
 *   dWᵀ[CK × M] = col[CK × NP] · dYᵀ[NP × M]      (dY transposed: M is the small side)
 *   dcol[CK × NP] = Wᵀ[CK × M] · dY[M × NP]        then col2im → dX
 *   dB[m] = Σ dY[m, ·]
 * </pre>
 */
public final class ConvGrad {
    private ConvGrad() {}

    public static void register(GradRegistry r) {
        r.register("Conv", ConvGrad::conv);
    }

    static float[][] conv(GradContext c) {
        long[] xs = c.inShape(0), ws = c.inShape(1);
        int group = (int) c.attributes().getInt("group", 1);
        Geometry2d g = Geometry2d.of(c, Arrays.copyOfRange(ws, 2, ws.length));
        int n = (int) xs[0], ch = (int) xs[1], m = (int) ws[0], cg = ch / group, mg = m / group;
        int p = g.outSize(), np = n * p, ck = cg * g.kh() * g.kw(), isz = g.inSize();
        float[] x = c.in(0), w = c.in(1), dy = c.dy();
        float[] dx = c.needs(0) ? new float[x.length] : null;
        float[] dw = c.needs(1) ? new float[w.length] : null;
        float[] db = c.hasInput(2) && c.needs(2) ? new float[m] : null;
        float[] col = new float[ck * np], dym = new float[mg * np];
        float[] dymT = dw != null ? new float[np * mg] : null, dwT = dw != null ? new float[ck * mg] : null;
        float[] wT = dx != null ? new float[ck * mg] : null, dcol = dx != null ? new float[ck * np] : null;
        for (int gi = 0; gi < group; gi++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < mg; j++) System.arraycopy(dy, (i * m + gi * mg + j) * p, dym, j * np + i * p, p);
            }
            if (db != null)
                for (int j = 0; j < mg; j++) {
                    double s = 0;
                    for (int q = 0; q < np; q++) s += dym[j * np + q];
                    db[gi * mg + j] = (float) s;
                }
            if (dw != null) {
                for (int i = 0; i < n; i++) g.im2col(x, (i * ch + gi * cg) * isz, cg, col, i * p, np);
                for (int j = 0; j < mg; j++)
                    for (int q = 0; q < np; q++) dymT[q * mg + j] = dym[j * np + q];
                c.kernels().sgemm(ck, mg, np, col, 0, np, dymT, 0, mg, dwT, 0, mg, false);
                for (int j = 0; j < mg; j++)
                    for (int r = 0; r < ck; r++) dw[(gi * mg + j) * ck + r] = dwT[r * mg + j];
            }
            if (dx != null) {
                for (int j = 0; j < mg; j++)
                    for (int r = 0; r < ck; r++) wT[r * mg + j] = w[(gi * mg + j) * ck + r];
                c.kernels().sgemm(ck, np, mg, wT, 0, mg, dym, 0, np, dcol, 0, np, false);
                for (int i = 0; i < n; i++) g.col2im(dcol, i * p, np, cg, dx, (i * ch + gi * cg) * isz);
            }
        }
        return new float[][] {dx, dw, db};
    }
}
