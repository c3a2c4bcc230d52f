package dev.quant4j.runtime.ops;

/**
 * The Mersenne Twister MT19937 (Matsumoto and Nishimura, 1998) seeded by its init_genrand rule,
 * with doubles made from two outputs as (a·2^26 + b) / 2^53 where a and b keep their top 27 and
 * 26 bits. That is numpy's legacy {@code np.random.seed(s); np.random.random_sample()}: seed 0
 * gives 0.5488135039273248 first.
 */
final class Mt19937 {
    private static final int N = 624, M = 397;
    private final int[] mt = new int[N];
    private int index = N;

    Mt19937(long seed) {
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
    }

    int nextInt() {
        if (index >= N) twist();
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    double nextDouble() {
        long a = Integer.toUnsignedLong(nextInt()) >>> 5, b = Integer.toUnsignedLong(nextInt()) >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff);
            int v = mt[(i + M) % N] ^ (y >>> 1);
            if ((y & 1) != 0) v ^= 0x9908b0df;
            mt[i] = v;
        }
        index = 0;
    }
}
