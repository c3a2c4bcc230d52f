package dev.quant4j.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

/** Random operands for the provider comparisons; native segments live in one shared arena per test class. */
final class Operands {
    private Operands() {}

    static float[] floats(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = r.nextFloat() * 2 - 1;
        return a;
    }

    static byte[] bytes(Random r, int n) {
        byte[] a = new byte[n];
        r.nextBytes(a);
        return a;
    }

    static MemorySegment segment(float[] data, boolean offHeap, Arena arena) {
        if (!offHeap) return MemorySegment.ofArray(data);
        MemorySegment s = arena.allocate((long) data.length * 4, 64);
        MemorySegment.copy(data, 0, s, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, data.length);
        return s;
    }

    static MemorySegment segment(byte[] data, boolean offHeap, Arena arena) {
        if (!offHeap) return MemorySegment.ofArray(data);
        MemorySegment s = arena.allocate(data.length, 64);
        MemorySegment.copy(data, 0, s, ValueLayout.JAVA_BYTE, 0, data.length);
        return s;
    }

    /** Single-precision summation error bound for a k-term dot product with absolute sum {@code abs}, doubled for margin. */
    static double tolerance(int k, double abs) {
        return 2.0 * (k + 2) * 0x1p-24 * abs + 1e-30;
    }
}
