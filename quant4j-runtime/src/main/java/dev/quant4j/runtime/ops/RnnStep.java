package dev.quant4j.runtime.ops;

import dev.quant4j.kernels.Kernels;

/**
 * One time step of one direction of a recurrent layer, over the whole batch: the hidden state
 * times Rᵀ by GEMM, then the cell's gate arithmetic per batch entry. {@code time[b]} is the row of
 * the input projection that entry b reads at this step, or −1 when its sequence has ended.
 */
final class RnnStep {
    private final RecurrentOps.Config c;
    private final int d, batch, h;
    private final float[] xw, hs, cs, rbh, peep;
    private final float[] hr, hrh, rIn, z, r;
    private final RnnActivation f, g, act3;

    RnnStep(RecurrentOps.Config c, int d, int batch, int h, float[] xw, float[] hs, float[] cs, float[] rbh, float[] peep) {
        this.c = c;
        this.d = d;
        this.batch = batch;
        this.h = h;
        this.xw = xw;
        this.hs = hs;
        this.cs = cs;
        this.rbh = rbh;
        this.peep = peep;
        boolean gru = c.cell() == RecurrentOps.Cell.GRU;
        this.hr = new float[batch * (gru ? 2 * h : c.gh())];
        this.hrh = gru ? new float[batch * h] : null;
        this.rIn = gru ? new float[batch * h] : null;
        this.z = gru ? new float[batch * h] : null;
        this.r = gru ? new float[batch * h] : null;
        int per = c.cell().defaults.size();
        RnnActivation[] acts = c.acts();
        this.f = acts[d * per];
        this.g = per > 1 ? acts[d * per + 1] : null;
        this.act3 = per > 2 ? acts[d * per + 2] : null;
    }

    void run(Kernels k, RecurrentOps.Weights w, int[] time) {
        if (batch == 0) return;
        int rn = hr.length / batch;
        k.sgemm(batch, hs, 0, h, w.r()[d], hr, 0, rn, false);
        switch (c.cell()) {
            case RNN -> rnn(time);
            case LSTM -> lstm(time);
            case GRU -> gru(k, w, time);
        }
    }

    private void rnn(int[] time) {
        for (int b = 0; b < batch; b++) {
            if (time[b] < 0) continue;
            int x = (time[b] * batch + b) * h;
            for (int j = 0; j < h; j++) hs[b * h + j] = f.apply(c.clip(xw[x + j] + hr[b * h + j]));
        }
    }

    private void lstm(int[] time) {
        int gh = 4 * h;
        for (int b = 0; b < batch; b++) {
            if (time[b] < 0) continue;
            int x = (time[b] * batch + b) * gh, q = b * gh;
            for (int j = 0; j < h; j++) {
                float cp = cs[b * h + j];
                float pi = peep == null ? 0 : peep[j], po = peep == null ? 0 : peep[h + j], pf = peep == null ? 0 : peep[2 * h + j];
                float iv = f.apply(c.clip(xw[x + j] + hr[q + j] + pi * cp));
                float fv = c.inputForget() ? 1 - iv : f.apply(c.clip(xw[x + 2 * h + j] + hr[q + 2 * h + j] + pf * cp));
                float cv = g.apply(c.clip(xw[x + 3 * h + j] + hr[q + 3 * h + j]));
                float cn = fv * cp + iv * cv;
                float ov = f.apply(c.clip(xw[x + h + j] + hr[q + h + j] + po * cn));
                cs[b * h + j] = cn;
                hs[b * h + j] = ov * act3.apply(cn);
            }
        }
    }

    private void gru(Kernels k, RecurrentOps.Weights w, int[] time) {
        int gh = 3 * h;
        for (int b = 0; b < batch; b++) {
            if (time[b] < 0) continue;
            int x = (time[b] * batch + b) * gh, q = b * 2 * h;
            for (int j = 0; j < h; j++) {
                z[b * h + j] = f.apply(c.clip(xw[x + j] + hr[q + j]));
                r[b * h + j] = f.apply(c.clip(xw[x + h + j] + hr[q + h + j]));
                rIn[b * h + j] = c.linearBeforeReset() ? hs[b * h + j] : r[b * h + j] * hs[b * h + j];
            }
        }
        k.sgemm(batch, rIn, 0, h, w.rh()[d], hrh, 0, h, false);
        for (int b = 0; b < batch; b++) {
            if (time[b] < 0) continue;
            int x = (time[b] * batch + b) * gh + 2 * h;
            for (int j = 0; j < h; j++) {
                int i = b * h + j;
                float pre = c.linearBeforeReset() ? xw[x + j] + r[i] * (hrh[i] + rbh[j]) : xw[x + j] + hrh[i];
                float hh = g.apply(c.clip(pre));
                hs[i] = (1 - z[i]) * hh + z[i] * hs[i];
            }
        }
    }
}
