package dev.quant4j.train;

import dev.quant4j.data.Dataset;
import dev.quant4j.data.Sample;

/** A labelled image set held in memory as one float array [n × pixels], for fast mini-batches. */
public record ImageSet(float[] pixels, int[] labels, long[] itemShape) {

    public int size() { return labels.length; }

    public int itemSize() { return pixels.length / labels.length; }

    public static ImageSet load(Dataset<Sample> ds, int limit) {
        int n = Math.min(ds.size(), limit);
        Sample first = ds.get(0);
        int sz = first.data().length;
        float[] px = new float[Math.multiplyExact(n, sz)];
        int[] lb = new int[n];
        for (int i = 0; i < n; i++) {
            Sample s = ds.get(i);
            System.arraycopy(s.data(), 0, px, i * sz, sz);
            lb[i] = s.label();
        }
        return new ImageSet(px, lb, first.shape());
    }

    /** Items {@code idx[from, to)} gathered into a batch. */
    public float[] gather(int[] idx, int from, int to) {
        int sz = itemSize();
        float[] out = new float[(to - from) * sz];
        for (int i = from; i < to; i++) System.arraycopy(pixels, idx[i] * sz, out, (i - from) * sz, sz);
        return out;
    }

    public long[] batchShape(int n) {
        long[] s = new long[itemShape.length + 1];
        s[0] = n;
        System.arraycopy(itemShape, 0, s, 1, itemShape.length);
        return s;
    }
}
