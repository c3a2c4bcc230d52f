package dev.quant4j.nativekernels;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Row dots of GGML block-quantized weights (Q4_0, Q8_0, Q4_K) with activations quantized to 8 bits
 * per group of 32, in libquant4j.so (ggml_dots.c): y[yOff + r] = row r · x for {@code rows}
 * consecutive rows, one downcall for all of them. The activations come as the LLM runtime holds
 * them (codes as shorts, |code| ≤ 127; per group of 32 the scale, the code sum and scale × sum), so
 * nothing is quantized again here.
 *
 * <p>Every size is checked before the downcall (a wrong size is an {@link IllegalArgumentException}
 * or {@link IndexOutOfBoundsException}, never a crash). Weights may be native (a mapped model file)
 * or heap segments: the downcall is critical and reads heap memory in place.
 */
public final class GgmlDots {
    private GgmlDots() {}

    /** The block types with a native dot; {@code id} is GGML's type number. */
    public enum Type {
        Q4_0(2, 32, 18), Q8_0(8, 32, 34), Q4_K(12, 256, 144);

        final int id, blockSize, blockBytes;

        Type(int id, int blockSize, int blockBytes) {
            this.id = id;
            this.blockSize = blockSize;
            this.blockBytes = blockBytes;
        }

        /** Bytes of a row of {@code n} weights. */
        public long rowBytes(int n) { return (long) n / blockSize * blockBytes; }
    }

    /** True when libquant4j.so is loaded here (any ISA level serves these dots). */
    public static boolean available() { return NativeLibrary.get() != null; }

    /** Why {@link #available()} is false; empty when it is true. */
    public static String unavailableReason() { return NativeLibrary.failure(); }

    /** The ISA level {@link #rows(Type, MemorySegment, long, long, int, int, short[], float[], int[], float[], float[], int)} runs at: {@link Isa#requested()}. */
    public static Isa isa() { return Isa.requested(); }

    /** As {@link #rows(Isa, Type, MemorySegment, long, long, int, int, short[], float[], int[], float[], float[], int)} at {@link #isa()}. */
    public static void rows(Type type, MemorySegment w, long off, long rowBytes, int rows, int n,
                            short[] xq, float[] xd, int[] xsum, float[] xdsum, float[] y, int yOff) {
        rows(isa(), type, w, off, rowBytes, rows, n, xq, xd, xsum, xdsum, y, yOff);
    }

    /**
     * y[yOff + r] = Σ_i w_r[i] · xd[i/32]·xq[i] for r in [0, rows), row r starting at byte
     * {@code off + r·rowBytes} of {@code w}, {@code n} weights per row.
     *
     * @param xq    n activation codes, each within ±127 (as Q8 activations are)
     * @param xd    the scale of each group of 32 codes (n/32 of them)
     * @param xsum  the sum of each group's codes (used by Q4_0)
     * @param xdsum xd × xsum per group (used by Q4_K)
     */
    public static void rows(Isa isa, Type type, MemorySegment w, long off, long rowBytes, int rows, int n,
                            short[] xq, float[] xd, int[] xsum, float[] xdsum, float[] y, int yOff) {
        NativeLibrary lib = NativeLibrary.get();
        if (lib == null) throw new IllegalStateException("native GGML dots unavailable: " + NativeLibrary.failure());
        Objects.requireNonNull(isa, "isa");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(w, "w");
        if (!isa.supported()) throw new IllegalArgumentException("ISA " + isa.label() + " is not supported by this CPU");
        if (n <= 0 || n % type.blockSize != 0)
            throw new IllegalArgumentException(type + " rows need a positive multiple of " + type.blockSize + " weights, got " + n);
        if (rows < 0) throw new IllegalArgumentException("rows = " + rows);
        if (rowBytes < type.rowBytes(n))
            throw new IllegalArgumentException("row stride " + rowBytes + " < " + type.rowBytes(n) + " bytes of a " + type + " row of " + n);
        if (off < 0) throw new IndexOutOfBoundsException("weight offset " + off);
        if (rows > 0) {
            long end = Math.addExact(off, Math.addExact(Math.multiplyExact(rowBytes, (long) rows - 1), type.rowBytes(n)));
            if (end > w.byteSize())
                throw new IndexOutOfBoundsException(rows + " " + type + " rows of " + n + " from byte " + off + " end at " + end
                        + ", past the " + w.byteSize() + " bytes of the weights");
        }
        int groups = n / 32;
        need("xq", Objects.requireNonNull(xq, "xq").length, n);
        need("xd", Objects.requireNonNull(xd, "xd").length, groups);
        need("xsum", Objects.requireNonNull(xsum, "xsum").length, groups);
        need("xdsum", Objects.requireNonNull(xdsum, "xdsum").length, groups);
        Objects.checkFromIndexSize(yOff, rows, Objects.requireNonNull(y, "y").length);
        if (rows == 0) return;
        int rc;
        try {
            rc = (int) lib.ggmlDots.invokeExact(isa.ordinal(), type.id, w.asSlice(off), rowBytes, rows,
                    MemorySegment.ofArray(xq), MemorySegment.ofArray(xd), MemorySegment.ofArray(xsum),
                    MemorySegment.ofArray(xdsum), n, MemorySegment.ofArray(y).asSlice(4L * yOff));
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
        if (rc != 0) throw new IllegalStateException("q4j_ggml_dots failed with code " + rc);
    }

    private static void need(String what, int have, int need) {
        if (have < need) throw new IllegalArgumentException(what + " holds " + have + " values, needs " + need);
    }
}
