package dev.quant4j.runtime.ops;

import dev.quant4j.runtime.Broadcast;
import java.util.Arrays;

/**
 * The shapes of a numpy-style matrix product, shared by the float and the integer MatMul: 1-D
 * operands are promoted ([K] → [1, K] on the left, [K, 1] on the right), leading axes broadcast,
 * and the promoted axes are dropped again from the output shape.
 *
 * @param batch the broadcast of the leading (batch) axes
 * @param outShape the product's shape, promoted axes removed
 */
record MatMulShape(int m, int k, int n, Broadcast batch, long[] outShape) {

    /** @throws IllegalArgumentException for a scalar operand or inner dimensions that differ, naming {@code what} */
    static MatMulShape of(long[] as, long[] bs, String what) {
        if (as.length == 0 || bs.length == 0) throw new IllegalArgumentException(what + " of a scalar");
        long[] a2 = as.length == 1 ? new long[] {1, as[0]} : as;
        long[] b2 = bs.length == 1 ? new long[] {bs[0], 1} : bs;
        int m = Math.toIntExact(a2[a2.length - 2]), k = Math.toIntExact(a2[a2.length - 1]);
        int kb = Math.toIntExact(b2[b2.length - 2]), n = Math.toIntExact(b2[b2.length - 1]);
        if (k != kb) throw new IllegalArgumentException(what + ": inner dimensions differ: " + Arrays.toString(as) + " × " + Arrays.toString(bs));
        Broadcast bc = Broadcast.of(Arrays.copyOf(a2, a2.length - 2), Arrays.copyOf(b2, b2.length - 2));
        long[] os = Arrays.copyOf(bc.outShape, bc.outShape.length + 2);
        os[os.length - 2] = m;
        os[os.length - 1] = n;
        if (as.length == 1 && bs.length == 1) os = new long[0];
        else if (as.length == 1) os = dropAxis(os, os.length - 2);
        else if (bs.length == 1) os = dropAxis(os, os.length - 1);
        return new MatMulShape(m, k, n, bc, os);
    }

    private static long[] dropAxis(long[] s, int axis) {
        long[] r = new long[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) if (i != axis) r[j++] = s[i];
        return r;
    }
}
