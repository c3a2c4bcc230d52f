package dev.quant4j.data.npy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The NPY element types quant4j reads and writes, by their numpy {@code descr} string. Only
 * little-endian multi-byte types are accepted: that is what numpy writes on every platform quant4j
 * runs on, and a big-endian file is rejected with its descr rather than misread.
 */
public enum NpyDtype {
    F2("<f2", 2), F4("<f4", 4), F8("<f8", 8), I1("|i1", 1), U1("|u1", 1), I4("<i4", 4), I8("<i8", 8);

    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final String descr;
    private final int size;

    NpyDtype(String descr, int size) {
        this.descr = descr;
        this.size = size;
    }

    public String descr() { return descr; }

    public int itemSize() { return size; }

    /**
     * The type for a descr. numpy writes one-byte types with '|' but also accepts '<' and '=' for
     * them, so those are read too; anything else is null.
     */
    public static NpyDtype fromDescr(String d) {
        for (NpyDtype t : values()) {
            if (t.descr.equals(d)) return t;
            if (t.size == 1 && d.length() == 3 && (d.charAt(0) == '<' || d.charAt(0) == '=') && d.substring(1).equals(t.descr.substring(1)))
                return t;
        }
        return null;
    }

    /** The element at byte offset {@code off}, converted exactly to double (int64 beyond 2^53 rounds). */
    public double get(MemorySegment s, long off) {
        return switch (this) {
            case F2 -> Float.float16ToFloat(s.get(SHORT, off));
            case F4 -> s.get(FLOAT, off);
            case F8 -> s.get(DOUBLE, off);
            case I1 -> s.get(ValueLayout.JAVA_BYTE, off);
            case U1 -> s.get(ValueLayout.JAVA_BYTE, off) & 0xFF;
            case I4 -> s.get(INT, off);
            case I8 -> s.get(LONG, off);
        };
    }

    /** The element at byte offset {@code off} as a long; for integer types only. */
    public long getLong(MemorySegment s, long off) {
        return switch (this) {
            case I1 -> s.get(ValueLayout.JAVA_BYTE, off);
            case U1 -> s.get(ValueLayout.JAVA_BYTE, off) & 0xFF;
            case I4 -> s.get(INT, off);
            case I8 -> s.get(LONG, off);
            default -> throw new UnsupportedOperationException(descr + " is not an integer type");
        };
    }

    /**
     * Stores {@code v} at byte offset {@code off}: rounded to nearest for floats (float16 by
     * {@link Float#floatToFloat16}), and for integer types required to be an integer in range.
     */
    public void set(MemorySegment s, long off, double v) {
        switch (this) {
            case F2 -> s.set(SHORT, off, Float.floatToFloat16((float) v));
            case F4 -> s.set(FLOAT, off, (float) v);
            case F8 -> s.set(DOUBLE, off, v);
            case I1 -> s.set(ValueLayout.JAVA_BYTE, off, (byte) checkInt(v, Byte.MIN_VALUE, Byte.MAX_VALUE));
            case U1 -> s.set(ValueLayout.JAVA_BYTE, off, (byte) checkInt(v, 0, 255));
            case I4 -> s.set(INT, off, (int) checkInt(v, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case I8 -> s.set(LONG, off, checkInt(v, Long.MIN_VALUE, Long.MAX_VALUE));
        }
    }

    private long checkInt(double v, long lo, long hi) {
        if (v != Math.rint(v) || v < lo || v > hi) throw new IllegalArgumentException(v + " does not fit " + descr);
        return (long) v;
    }
}
