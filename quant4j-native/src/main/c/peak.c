/*
 * Ceiling microbenchmarks: many independent chains of one instruction, no memory traffic.
 * Each returns the number of integer (or fp) operations performed (a multiply-add counts 2);
 * the caller times it. No multiply may have loop-invariant operands shared by chains: the compiler
 * would compute it once (and the benchmark would measure vpaddd).
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

/* vpmaddwd needs no accumulator operand (as in the GEMM): 8 chains of acc += madd(x, b), written
 * in assembly because the compiler would compute a multiply of invariant operands only once.
 * Operand values do not change the instruction's speed. */
__attribute__((target("avx2,fma"), noinline))
static int64_t peak_maddwd(int64_t iters, int32_t *sink) {
    if (iters <= 0) return 0;
    int64_t n = iters;
    __asm__ volatile(
        "vpcmpeqd %%ymm10, %%ymm10, %%ymm10\n\t" "vpcmpeqd %%ymm11, %%ymm11, %%ymm11\n\t"
        "vpcmpeqd %%ymm12, %%ymm12, %%ymm12\n\t" "vpcmpeqd %%ymm13, %%ymm13, %%ymm13\n\t"
        "1:\n\t"
        "vpmaddwd %%ymm12, %%ymm10, %%ymm0\n\t" "vpaddd %%ymm0, %%ymm2, %%ymm2\n\t"
        "vpmaddwd %%ymm13, %%ymm10, %%ymm1\n\t" "vpaddd %%ymm1, %%ymm3, %%ymm3\n\t"
        "vpmaddwd %%ymm12, %%ymm11, %%ymm14\n\t" "vpaddd %%ymm14, %%ymm4, %%ymm4\n\t"
        "vpmaddwd %%ymm13, %%ymm11, %%ymm15\n\t" "vpaddd %%ymm15, %%ymm5, %%ymm5\n\t"
        "vpmaddwd %%ymm12, %%ymm10, %%ymm0\n\t" "vpaddd %%ymm0, %%ymm6, %%ymm6\n\t"
        "vpmaddwd %%ymm13, %%ymm10, %%ymm1\n\t" "vpaddd %%ymm1, %%ymm7, %%ymm7\n\t"
        "vpmaddwd %%ymm12, %%ymm11, %%ymm14\n\t" "vpaddd %%ymm14, %%ymm8, %%ymm8\n\t"
        "vpmaddwd %%ymm13, %%ymm11, %%ymm15\n\t" "vpaddd %%ymm15, %%ymm9, %%ymm9\n\t"
        "dec %0\n\t" "jnz 1b\n\t" "vzeroupper\n\t"
        : "+r"(n) : : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "cc");
    *sink = 0;
    return iters * 8 * 16 * 2;
}

/* The saturating u8*s8 pair (vpmaddubsw) widened by vpmaddwd against ones: 64 ops per three
 * instructions, but it saturates, so an exact kernel cannot use it. */
__attribute__((target("avx2,fma"), noinline))
static int64_t peak_maddubs(int64_t iters, int32_t *sink) {
    if (iters <= 0) return 0;
    int64_t n = iters;
    __asm__ volatile(
        "vpcmpeqd %%ymm10, %%ymm10, %%ymm10\n\t" "vpcmpeqd %%ymm11, %%ymm11, %%ymm11\n\t"
        "vpcmpeqd %%ymm12, %%ymm12, %%ymm12\n\t" "vpcmpeqd %%ymm13, %%ymm13, %%ymm13\n\t"
        "vpcmpeqw %%ymm15, %%ymm15, %%ymm15\n\t" "vpsrlw $15, %%ymm15, %%ymm15\n\t"
        "1:\n\t"
        "vpmaddubsw %%ymm12, %%ymm10, %%ymm0\n\t" "vpmaddwd %%ymm15, %%ymm0, %%ymm0\n\t" "vpaddd %%ymm0, %%ymm2, %%ymm2\n\t"
        "vpmaddubsw %%ymm13, %%ymm10, %%ymm1\n\t" "vpmaddwd %%ymm15, %%ymm1, %%ymm1\n\t" "vpaddd %%ymm1, %%ymm3, %%ymm3\n\t"
        "vpmaddubsw %%ymm12, %%ymm11, %%ymm14\n\t" "vpmaddwd %%ymm15, %%ymm14, %%ymm14\n\t" "vpaddd %%ymm14, %%ymm4, %%ymm4\n\t"
        "vpmaddubsw %%ymm13, %%ymm11, %%ymm0\n\t" "vpmaddwd %%ymm15, %%ymm0, %%ymm0\n\t" "vpaddd %%ymm0, %%ymm5, %%ymm5\n\t"
        "vpmaddubsw %%ymm12, %%ymm10, %%ymm1\n\t" "vpmaddwd %%ymm15, %%ymm1, %%ymm1\n\t" "vpaddd %%ymm1, %%ymm6, %%ymm6\n\t"
        "vpmaddubsw %%ymm13, %%ymm10, %%ymm14\n\t" "vpmaddwd %%ymm15, %%ymm14, %%ymm14\n\t" "vpaddd %%ymm14, %%ymm7, %%ymm7\n\t"
        "vpmaddubsw %%ymm12, %%ymm11, %%ymm0\n\t" "vpmaddwd %%ymm15, %%ymm0, %%ymm0\n\t" "vpaddd %%ymm0, %%ymm8, %%ymm8\n\t"
        "vpmaddubsw %%ymm13, %%ymm11, %%ymm1\n\t" "vpmaddwd %%ymm15, %%ymm1, %%ymm1\n\t" "vpaddd %%ymm1, %%ymm9, %%ymm9\n\t"
        "dec %0\n\t" "jnz 1b\n\t" "vzeroupper\n\t"
        : "+r"(n) : : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "cc");
    *sink = 0;
    return iters * 8 * 32 * 2;
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
