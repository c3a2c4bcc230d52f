package dev.quant4j.runtime;

import java.util.Arrays;

/**
 * Multidirectional (numpy-style) broadcasting of two shapes, as ONNX defines it, reduced to runs:
 * the output is walked as {@code outer} runs of {@code inner} contiguous elements, and each input
 * advances by 0 or 1 per element inside a run (0 when it is broadcast along the innermost
 * dimensions). Adjacent dimensions that broadcast alike are merged so the runs are long.
 */
public final class Broadcast {
    public final long[] outShape;
    final int inner;        // elements per run
    final int innerStrideA; // 0 or 1
    final int innerStrideB;
    final int runs;
    final int[] runStartA;  // start offset of each run in A
    final int[] runStartB;

    private Broadcast(long[] outShape, int inner, int sa, int sb, int[] startA, int[] startB) {
        this.outShape = outShape;
        this.inner = inner;
        this.innerStrideA = sa;
        this.innerStrideB = sb;
        this.runs = startA.length;
        this.runStartA = startA;
        this.runStartB = startB;
    }

    /** The broadcast shape; throws when the shapes are not compatible. */
    public static long[] shape(long[] a, long[] b) {
        int r = Math.max(a.length, b.length);
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            long da = i < r - a.length ? 1 : a[i - (r - a.length)];
            long db = i < r - b.length ? 1 : b[i - (r - b.length)];
            if (da != db && da != 1 && db != 1)
                throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    public static Broadcast of(long[] a, long[] b) {
        long[] out = shape(a, b);
        int r = out.length;
        long[] pa = pad(a, r), pb = pad(b, r);
        // Merge dimensions into groups where each input is either full or broadcast throughout.
        int[] dims = new int[r];
        boolean[] fullA = new boolean[r], fullB = new boolean[r];
        int g = 0;
        for (int i = 0; i < r; i++) {
            if (out[i] == 1) continue; // size-1 output dims carry nothing
            boolean fa = pa[i] != 1, fb = pb[i] != 1;
            if (g > 0 && fullA[g - 1] == fa && fullB[g - 1] == fb) {
                dims[g - 1] = Math.multiplyExact(dims[g - 1], Math.toIntExact(out[i]));
            } else {
                dims[g] = Math.toIntExact(out[i]);
                fullA[g] = fa;
                fullB[g] = fb;
                g++;
            }
        }
        if (g == 0) return new Broadcast(out, 1, 0, 0, new int[] {0}, new int[] {0});
        int inner = dims[g - 1];
        int sa = fullA[g - 1] ? 1 : 0, sb = fullB[g - 1] ? 1 : 0;
        // Strides of each merged group in A and B (0 where broadcast).
        long[] strideA = new long[g], strideB = new long[g];
        long accA = 1, accB = 1;
        for (int i = g - 1; i >= 0; i--) {
            strideA[i] = fullA[i] ? accA : 0;
            strideB[i] = fullB[i] ? accB : 0;
            if (fullA[i]) accA *= dims[i];
            if (fullB[i]) accB *= dims[i];
        }
        int runs = 1;
        for (int i = 0; i < g - 1; i++) runs = Math.multiplyExact(runs, dims[i]);
        int[] startA = new int[runs], startB = new int[runs];
        int[] idx = new int[Math.max(0, g - 1)];
        long oa = 0, ob = 0;
        for (int run = 0; run < runs; run++) {
            startA[run] = (int) oa;
            startB[run] = (int) ob;
            for (int d = g - 2; d >= 0; d--) {
                if (++idx[d] < dims[d]) { oa += strideA[d]; ob += strideB[d]; break; }
                idx[d] = 0;
                oa -= strideA[d] * (dims[d] - 1);
                ob -= strideB[d] * (dims[d] - 1);
            }
        }
        return new Broadcast(out, inner, sa, sb, startA, startB);
    }

    private static long[] pad(long[] s, int r) {
        long[] p = new long[r];
        Arrays.fill(p, 1);
        System.arraycopy(s, 0, p, r - s.length, s.length);
        return p;
    }

    /** Calls {@code body} once per run: (output offset, offset in A, stride in A, offset in B, stride in B, length). */
    public void forEachRun(RunBody body) {
        for (int r = 0; r < runs; r++) body.run(r * inner, runStartA[r], innerStrideA, runStartB[r], innerStrideB, inner);
    }

    @FunctionalInterface
    public interface RunBody {
        void run(int out, int a, int sa, int b, int sb, int n);
    }

    public int size() { return runs * inner; }
}
