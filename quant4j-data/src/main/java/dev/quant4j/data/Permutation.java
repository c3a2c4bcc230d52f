package dev.quant4j.data;

import java.util.SplittableRandom;

/** Seeded permutations, so shuffles and splits are the same on every run and every JVM. */
public final class Permutation {
    private Permutation() {}

    /**
     * A permutation of {@code 0..n-1} by Fisher–Yates with {@link SplittableRandom}, whose sequence
     * for a seed is specified by the JDK and does not change between versions.
     */
    public static int[] of(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i]; p[i] = p[j]; p[j] = t;
        }
        return p;
    }
}
