package dev.quant4j.llm.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Memory read bandwidth: the sum of a buffer far larger than the caches, read with the Vector API
 * by {@code threads} threads over disjoint contiguous parts (the access pattern of a matrix-vector
 * product). The best of several passes, in bytes per second.
 */
final class Bandwidth {
    private Bandwidth() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    static double measure(long bytes, int threads, int passes) throws Exception {
        try (Arena arena = Arena.ofShared(); ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            MemorySegment buf = arena.allocate(bytes, 64);
            buf.fill((byte) 1);
            double best = 0;
            float sink = 0;
            for (int p = 0; p < passes; p++) {
                long t0 = System.nanoTime();
                List<Future<Float>> fs = new ArrayList<>();
                long part = bytes / threads / 64 * 64;
                for (int t = 0; t < threads; t++) {
                    long from = t * part;
                    fs.add(pool.submit(() -> sum(buf, from, part)));
                }
                for (Future<Float> f : fs) sink += f.get();
                double s = (System.nanoTime() - t0) / 1e9;
                best = Math.max(best, part * threads / s);
            }
            if (sink == 42) System.out.print(""); // keep the sums alive
            return best;
        }
    }

    private static float sum(MemorySegment m, long from, long len) {
        FloatVector a = FloatVector.zero(S), b = FloatVector.zero(S), c = FloatVector.zero(S), d = FloatVector.zero(S);
        long step = S.vectorByteSize();
        long end = from + len - 4 * step;
        long i = from;
        for (; i <= end; i += 4 * step) {
            a = a.add(FloatVector.fromMemorySegment(S, m, i, ByteOrder.LITTLE_ENDIAN));
            b = b.add(FloatVector.fromMemorySegment(S, m, i + step, ByteOrder.LITTLE_ENDIAN));
            c = c.add(FloatVector.fromMemorySegment(S, m, i + 2 * step, ByteOrder.LITTLE_ENDIAN));
            d = d.add(FloatVector.fromMemorySegment(S, m, i + 3 * step, ByteOrder.LITTLE_ENDIAN));
        }
        float s = a.add(b).add(c).add(d).reduceLanes(VectorOperators.ADD);
        for (; i < from + len; i += 4) s += m.get(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
        return s;
    }
}
