/*
 * Ceiling microbenchmarks: many independent chains of one instruction, no memory traffic.
 * Each returns the number of integer (or fp) operations performed (a multiply-add counts 2);
 * the caller times it. The empty asm statements make the operands opaque so that the compiler
 * cannot hoist a loop-invariant multiply out of the loop.
 *   kind 0: vpdpbusd zmm (AVX-512 VNNI)   kind 1: vpdpbusd ymm (AVX-VNNI)
 *   kind 2: vpmaddwd+vpaddd ymm (AVX2, the exact 16-bit path used here)
 *   kind 3: vpmaddubsw+vpmaddwd+vpaddd ymm (AVX2 int8 without VNNI; saturating, not used)
 *   kind 4: vfmadd ymm fp32 (AVX2)        kind 5: vfmadd zmm fp32 (AVX-512)
 */
#include <immintrin.h>
#include "q4j.h"

#define CHAINS 12

__attribute__((target("avx512f,avx512bw,avx512vnni"), noinline))
static int64_t peak_vnni512(int64_t iters, int32_t *sink) {
    __m512i c[CHAINS]; __m512i a = _mm512_set1_epi32(0x01020304), b = _mm512_set1_epi32(0x01010101);
    for (int i = 0; i < CHAINS; i++) c[i] = _mm512_set1_epi32(i);
    for (int64_t it = 0; it < iters; it++) {
#pragma GCC unroll 12
        for (int i = 0; i < CHAINS; i++) c[i] = _mm512_dpbusd_epi32(c[i], a, b);
    }
    __m512i s = c[0]; for (int i = 1; i < CHAINS; i++) s = _mm512_add_epi32(s, c[i]);
    *sink = _mm512_reduce_add_epi32(s);
    return iters * CHAINS * 64 * 2;
}

__attribute__((target("avxvnni,avx2"), noinline))
static int64_t peak_avxvnni(int64_t iters, int32_t *sink) {
    __m256i c[CHAINS]; __m256i a = _mm256_set1_epi32(0x01020304), b = _mm256_set1_epi32(0x01010101);
    for (int i = 0; i < CHAINS; i++) c[i] = _mm256_set1_epi32(i);
    for (int64_t it = 0; it < iters; it++) {
#pragma GCC unroll 12
        for (int i = 0; i < CHAINS; i++) c[i] = _mm256_dpbusd_avx_epi32(c[i], a, b);
    }
    __m256i s = c[0]; for (int i = 1; i < CHAINS; i++) s = _mm256_add_epi32(s, c[i]);
    *sink = _mm256_extract_epi32(s, 0);
    return iters * CHAINS * 32 * 2;
}

__attribute__((target("avx2,fma"), noinline))
static int64_t peak_maddwd(int64_t iters, int32_t *sink) {
    __m256i c[CHAINS]; __m256i a = _mm256_set1_epi32(0x00030004), b = _mm256_set1_epi32(0x00010001);
    for (int i = 0; i < CHAINS; i++) c[i] = _mm256_set1_epi32(i);
    for (int64_t it = 0; it < iters; it++) {
        __asm__ volatile("" : "+x"(a), "+x"(b));
#pragma GCC unroll 12
        for (int i = 0; i < CHAINS; i++) c[i] = _mm256_add_epi32(c[i], _mm256_madd_epi16(a, b));
    }
    __m256i s = c[0]; for (int i = 1; i < CHAINS; i++) s = _mm256_add_epi32(s, c[i]);
    *sink = _mm256_extract_epi32(s, 0);
    return iters * CHAINS * 16 * 2;
}

__attribute__((target("avx2,fma"), noinline))
static int64_t peak_maddubs(int64_t iters, int32_t *sink) {
    __m256i c[CHAINS]; __m256i a = _mm256_set1_epi32(0x01020304), b = _mm256_set1_epi32(0x01010101);
    __m256i one = _mm256_set1_epi16(1);
    for (int i = 0; i < CHAINS; i++) c[i] = _mm256_set1_epi32(i);
    for (int64_t it = 0; it < iters; it++) {
        __asm__ volatile("" : "+x"(a), "+x"(b));
#pragma GCC unroll 12
        for (int i = 0; i < CHAINS; i++)
            c[i] = _mm256_add_epi32(c[i], _mm256_madd_epi16(_mm256_maddubs_epi16(a, b), one));
    }
    __m256i s = c[0]; for (int i = 1; i < CHAINS; i++) s = _mm256_add_epi32(s, c[i]);
    *sink = _mm256_extract_epi32(s, 0);
    return iters * CHAINS * 32 * 2;
}

__attribute__((target("avx2,fma"), noinline))
static int64_t peak_fma256(int64_t iters, int32_t *sink) {
    __m256 c[CHAINS]; __m256 a = _mm256_set1_ps(0.999f), b = _mm256_set1_ps(1e-3f);
    for (int i = 0; i < CHAINS; i++) c[i] = _mm256_set1_ps((float) i);
    for (int64_t it = 0; it < iters; it++) {
#pragma GCC unroll 12
        for (int i = 0; i < CHAINS; i++) c[i] = _mm256_fmadd_ps(c[i], a, b);
    }
    __m256 s = c[0]; for (int i = 1; i < CHAINS; i++) s = _mm256_add_ps(s, c[i]);
    *sink = (int32_t) _mm256_cvtss_f32(s);
    return iters * CHAINS * 8 * 2;
}

__attribute__((target("avx512f"), noinline))
static int64_t peak_fma512(int64_t iters, int32_t *sink) {
    __m512 c[CHAINS]; __m512 a = _mm512_set1_ps(0.999f), b = _mm512_set1_ps(1e-3f);
    for (int i = 0; i < CHAINS; i++) c[i] = _mm512_set1_ps((float) i);
    for (int64_t it = 0; it < iters; it++) {
#pragma GCC unroll 12
        for (int i = 0; i < CHAINS; i++) c[i] = _mm512_fmadd_ps(c[i], a, b);
    }
    __m512 s = c[0]; for (int i = 1; i < CHAINS; i++) s = _mm512_add_ps(s, c[i]);
    *sink = (int32_t) _mm512_reduce_add_ps(s);
    return iters * CHAINS * 16 * 2;
}

static volatile int32_t peak_sink;

/* Returns operations done, or -1 if this CPU lacks the instruction. */
Q4J_EXPORT int64_t q4j_peak(int kind, int64_t iters) {
    int32_t s = 0; int64_t ops;
    __builtin_cpu_init();
    int avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
    switch (kind) {
        case 0: if (!avx512 || !__builtin_cpu_supports("avx512vnni")) return -1; ops = peak_vnni512(iters, &s); break;
        case 1: if (!__builtin_cpu_supports("avxvnni")) return -1; ops = peak_avxvnni(iters, &s); break;
        case 2: if (!__builtin_cpu_supports("avx2")) return -1; ops = peak_maddwd(iters, &s); break;
        case 3: if (!__builtin_cpu_supports("avx2")) return -1; ops = peak_maddubs(iters, &s); break;
        case 4: if (!__builtin_cpu_supports("fma")) return -1; ops = peak_fma256(iters, &s); break;
        case 5: if (!avx512) return -1; ops = peak_fma512(iters, &s); break;
        default: return -1;
    }
    peak_sink = s;
    return ops;
}
