package dev.quant4j.runtime.ops;

import dev.quant4j.graph.Attributes;
import dev.quant4j.runtime.NodeSetup;
import java.util.Arrays;

/**
 * The sliding-window geometry shared by Conv, ConvTranspose and the pools, resolved for one input
 * shape. Every 1-D and 2-D case is lifted to 3-D by leading spatial dimensions of size 1 (kernel 1,
 * stride 1, no padding), so one loop nest serves all ranks:
 *
 * <pre>
 *   spatial index 0 1 2  =  D H W      1-D: [1, 1, W]   2-D: [1, H, W]   3-D: [D, H, W]
 *   input position of output o, tap k:  i = o·stride − padBegin + k·dilation
 * </pre>
 */
record Window(int[] in, int[] out, int[] kernel, int[] strides, int[] dilations, int[] padBegin, int[] padEnd) {

    int inSize() { return in[0] * in[1] * in[2]; }

    int outSize() { return out[0] * out[1] * out[2]; }

    int kernelSize() { return kernel[0] * kernel[1] * kernel[2]; }

    /** The window attributes of a node, read once when it is prepared. */
    record Spec(long[] kernelShape, long[] strides, long[] dilations, long[] pads, String autoPad, boolean ceilMode) {

        static Spec of(NodeSetup s) {
            Attributes a = s.attributes();
            String autoPad = a.getString("auto_pad", "NOTSET");
            if (!Arrays.asList("NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID").contains(autoPad))
                throw s.error("unknown auto_pad '" + autoPad + "'");
            return new Spec(a.getInts("kernel_shape"), a.getInts("strides"), a.getInts("dilations"), a.getInts("pads"),
                    autoPad, a.getInt("ceil_mode", 0) != 0);
        }

        /**
         * Resolves the window for input spatial dims {@code inDims} and kernel dims {@code kernelDims}
         * (the kernel_shape attribute when null).
         */
        Window resolve(long[] inDims, long[] kernelDims) {
            int r = inDims.length;
            if (r < 1 || r > 3) throw new IllegalArgumentException("1 to 3 spatial dimensions are supported, got " + r);
            long[] k = kernelDims != null ? kernelDims : kernelShape;
            if (k == null) throw new IllegalArgumentException("kernel_shape is missing");
            check("kernel_shape", k, r);
            check("strides", strides, r);
            check("dilations", dilations, r);
            if (pads != null && pads.length != 2 * r)
                throw new IllegalArgumentException("pads has " + pads.length + " values, expected " + 2 * r);
            Window w = new Window(ones(), ones(), ones(), ones(), ones(), new int[3], new int[3]);
            for (int i = 0; i < r; i++) {
                int d = 3 - r + i;
                int in = Math.toIntExact(inDims[i]), kk = Math.toIntExact(k[i]);
                int s = strides == null ? 1 : Math.toIntExact(strides[i]);
                int dil = dilations == null ? 1 : Math.toIntExact(dilations[i]);
                if (kk < 1 || s < 1 || dil < 1) throw new IllegalArgumentException("kernel, strides and dilations must be positive");
                int span = (kk - 1) * dil + 1;
                int pb = 0, pe = 0, out;
                switch (autoPad) {
                    case "VALID" -> out = floorDivPos(in - span, s) + 1;
                    case "SAME_UPPER", "SAME_LOWER" -> {
                        out = (in + s - 1) / s;
                        int total = Math.max(0, (out - 1) * s + span - in);
                        pb = autoPad.equals("SAME_UPPER") ? total / 2 : total - total / 2;
                        pe = total - pb;
                    }
                    default -> {
                        if (pads != null) { pb = Math.toIntExact(pads[i]); pe = Math.toIntExact(pads[i + r]); }
                        int room = in + pb + pe - span;
                        out = ceilMode ? ceilDivPos(room, s) + 1 : floorDivPos(room, s) + 1;
                        // A window that would start past the input and its begin padding is dropped (ceil mode).
                        if (ceilMode && out > 0 && (long) (out - 1) * s >= in + pb) out--;
                    }
                }
                if (out < 0) out = 0;
                w.in[d] = in;
                w.out[d] = out;
                w.kernel[d] = kk;
                w.strides[d] = s;
                w.dilations[d] = dil;
                w.padBegin[d] = pb;
                w.padEnd[d] = pe;
            }
            return w;
        }

        private static void check(String name, long[] v, int r) {
            if (v != null && v.length != r) throw new IllegalArgumentException(name + " has " + v.length + " values, expected " + r);
        }
    }

    static int floorDivPos(int a, int b) { return Math.floorDiv(a, b); }

    static int ceilDivPos(int a, int b) { return -Math.floorDiv(-a, b); }

    private static int[] ones() { return new int[] {1, 1, 1}; }

    /** The output shape [N, channels, out spatial...] for an input of rank {@code rank}. */
    long[] outShape(long n, long channels, int rank) {
        long[] s = new long[rank];
        s[0] = n;
        s[1] = channels;
        for (int i = 2; i < rank; i++) s[i] = out[3 - (rank - 2) + (i - 2)];
        return s;
    }

    /** First and one-past-last output index o along dim d whose tap k lands inside the input. */
    int validLo(int d, int k) {
        int off = k * dilations[d] - padBegin[d];
        return off >= 0 ? 0 : Math.min(out[d], ceilDivPos(-off, strides[d]));
    }

    int validHi(int d, int k) {
        int off = k * dilations[d] - padBegin[d];
        int last = in[d] - 1 - off;
        return last < 0 ? 0 : Math.min(out[d], last / strides[d] + 1);
    }
}
