package dev.quant4j.kernels;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * A float array whose element {@code offset} starts on a 64-byte boundary, where the JVM lets that
 * be known; otherwise an ordinary array and offset 0.
 *
 * <p>Why: the GEMM micro-kernel reads its pre-broadcast A panel with six 32-byte loads per k step.
 * An ordinary array lands wherever the allocator put it (8-byte granularity), and when its
 * elements start 8, 16 or 24 bytes off a 32-byte boundary, every other load straddles two cache
 * lines. Same JVM, same array, panel started at each of the four offsets (thread CPU time): the
 * micro-kernel alone 1.09–1.13× faster when aligned, the 1024³ GEMM 1.10–1.14× (0.78 → 0.86 of
 * the FMA peak). Which offset an allocation got was chance, so the GEMM's speed changed from JVM
 * to JVM by that much.
 *
 * <p>How: Java does not expose an array's address, but G1 allocates an object of at least half a
 * heap region ("humongous") at the start of a region, which is a power of two ≥ 1 MB; the elements
 * then start one array header past that boundary. So under G1 with a header size known from the
 * VM's flags (16 bytes, or 12 with compact object headers), the array is made that large (half a
 * region: 1 MB per thread for the usual 2 MB regions) and the offset skips to the first 64-byte
 * boundary. Under any other collector or layout nothing changes from a plain array.
 * <pre>
 *   region start (64-byte aligned) | header 16 B | 12 floats (48 B) | element 12: 64-byte aligned ...
 * </pre>
 */
record AlignedFloats(float[] data, int offset) {

    /** Bytes of a humongous G1 object at least, or 0 when G1's layout does not apply. */
    private static final long HUMONGOUS_BYTES;
    /** Bytes from a float[]'s start to its element 0, when known. */
    private static final int HEADER_BYTES;

    static {
        long humongous = 0;
        int header = 0;
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            boolean g1 = Boolean.parseBoolean(vm.getVMOption("UseG1GC").getValue());
            boolean compressedClasses = Boolean.parseBoolean(vm.getVMOption("UseCompressedClassPointers").getValue());
            boolean compactHeaders = Boolean.parseBoolean(vm.getVMOption("UseCompactObjectHeaders").getValue());
            long region = Long.parseLong(vm.getVMOption("G1HeapRegionSize").getValue());
            header = compactHeaders ? 12 : compressedClasses ? 16 : 0;
            if (g1 && header > 0 && region >= 1 << 20 && Long.bitCount(region) == 1) humongous = region / 2;
        } catch (RuntimeException | LinkageError e) {
            humongous = 0; // not HotSpot, or a flag it does not have: plain arrays
        }
        HUMONGOUS_BYTES = humongous;
        HEADER_BYTES = header;
    }

    /** At least {@code floats} usable floats from {@code offset} on. */
    static AlignedFloats allocate(int floats) {
        if (HUMONGOUS_BYTES == 0) return new AlignedFloats(new float[floats], 0);
        int offset = ((64 - HEADER_BYTES % 64) % 64) / 4;
        long size = Math.max(floats + offset, HUMONGOUS_BYTES / 4 + 16);
        return new AlignedFloats(new float[(int) size], offset);
    }

    /** Whether allocations are aligned (G1 layout known), for tests and the start-up log. */
    static boolean aligned() { return HUMONGOUS_BYTES > 0; }
}
