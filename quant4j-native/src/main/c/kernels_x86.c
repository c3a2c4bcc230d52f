/*
 * SIMD micro-kernels, one per ISA level, each compiled for its own target only.
 * All of them keep the whole k loop in registers: acc[MR][NR] is written once at the end.
 */
#include <immintrin.h>
#include "q4j.h"

/* AVX2, layout W: W_MR rows x 16 columns, 2*W_MR ymm accumulators in named variables (GCC
 * spills an accumulator array here). Per k pair: broadcast the row's two int16 (one 32-bit
 * lane), vpmaddwd against two 8-column vectors, add. */
#define W_ROW(r) do { __m256i a = _mm256_set1_epi32(a32[q * W_MR + (r)]); \
        c##r##0 = _mm256_add_epi32(c##r##0, _mm256_madd_epi16(a, b0)); \
        c##r##1 = _mm256_add_epi32(c##r##1, _mm256_madd_epi16(a, b1)); } while (0)
#define W_STORE(r) do { _mm256_store_si256((__m256i *) (acc + (r) * W_NR), c##r##0); \
        _mm256_store_si256((__m256i *) (acc + (r) * W_NR + 8), c##r##1); } while (0)

__attribute__((target("avx2,fma")))
void q4j_kw_avx2(const int16_t *ap, const int16_t *bp, int kp, int32_t *acc) {
#if W_MR != 6
#error "q4j_kw_avx2 is written for W_MR = 6"
#endif
    __m256i c00 = _mm256_setzero_si256(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00,
            c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    const int32_t *a32 = (const int32_t *) ap;
    for (int q = 0; q < kp; q++) {
        __m256i b0 = _mm256_load_si256((const __m256i *) (bp + q * 32));
        __m256i b1 = _mm256_load_si256((const __m256i *) (bp + q * 32 + 16));
        W_ROW(0); W_ROW(1); W_ROW(2); W_ROW(3); W_ROW(4); W_ROW(5);
    }
    W_STORE(0); W_STORE(1); W_STORE(2); W_STORE(3); W_STORE(4); W_STORE(5);
}

/* AVX-VNNI, layout Q: 16 ymm registers only, so the 8x32 tile is done as four 4x16 sub-tiles
 * (8 accumulators each). */
__attribute__((target("avxvnni,avx2")))
void q4j_kq_avxvnni(const uint8_t *ap, const int8_t *bp, int kq, int32_t *acc) {
    for (int rh = 0; rh < 2; rh++) {
        for (int ch = 0; ch < 2; ch++) {
            __m256i c00 = _mm256_setzero_si256(), c01 = c00, c10 = c00, c11 = c00,
                    c20 = c00, c21 = c00, c30 = c00, c31 = c00;
            const int32_t *a32 = (const int32_t *) ap + rh * 4;
            const int8_t *b = bp + ch * 64;
            for (int q = 0; q < kq; q++) {
                __m256i b0 = _mm256_load_si256((const __m256i *) (b + q * 128));
                __m256i b1 = _mm256_load_si256((const __m256i *) (b + q * 128 + 32));
                __m256i a;
                a = _mm256_set1_epi32(a32[q * 8 + 0]);
                c00 = _mm256_dpbusd_avx_epi32(c00, a, b0); c01 = _mm256_dpbusd_avx_epi32(c01, a, b1);
                a = _mm256_set1_epi32(a32[q * 8 + 1]);
                c10 = _mm256_dpbusd_avx_epi32(c10, a, b0); c11 = _mm256_dpbusd_avx_epi32(c11, a, b1);
                a = _mm256_set1_epi32(a32[q * 8 + 2]);
                c20 = _mm256_dpbusd_avx_epi32(c20, a, b0); c21 = _mm256_dpbusd_avx_epi32(c21, a, b1);
                a = _mm256_set1_epi32(a32[q * 8 + 3]);
                c30 = _mm256_dpbusd_avx_epi32(c30, a, b0); c31 = _mm256_dpbusd_avx_epi32(c31, a, b1);
            }
            int32_t *o = acc + rh * 4 * Q_NR + ch * 16;
            _mm256_store_si256((__m256i *) (o + 0 * Q_NR), c00); _mm256_store_si256((__m256i *) (o + 0 * Q_NR + 8), c01);
            _mm256_store_si256((__m256i *) (o + 1 * Q_NR), c10); _mm256_store_si256((__m256i *) (o + 1 * Q_NR + 8), c11);
            _mm256_store_si256((__m256i *) (o + 2 * Q_NR), c20); _mm256_store_si256((__m256i *) (o + 2 * Q_NR + 8), c21);
            _mm256_store_si256((__m256i *) (o + 3 * Q_NR), c30); _mm256_store_si256((__m256i *) (o + 3 * Q_NR + 8), c31);
        }
    }
}

/* AVX-512 VNNI, layout Q: 8 rows x 32 columns, 16 zmm accumulators (enough independent chains
 * to cover vpdpbusd's latency at two per cycle). */
__attribute__((target("avx512f,avx512bw,avx512vnni")))
void q4j_kq_avx512vnni(const uint8_t *ap, const int8_t *bp, int kq, int32_t *acc) {
    __m512i c[Q_MR][2];
    for (int r = 0; r < Q_MR; r++) { c[r][0] = _mm512_setzero_si512(); c[r][1] = _mm512_setzero_si512(); }
    const int32_t *a32 = (const int32_t *) ap;
    for (int q = 0; q < kq; q++) {
        __m512i b0 = _mm512_load_si512((const void *) (bp + q * 128));
        __m512i b1 = _mm512_load_si512((const void *) (bp + q * 128 + 64));
#pragma GCC unroll 8
        for (int r = 0; r < Q_MR; r++) {
            __m512i a = _mm512_set1_epi32(a32[q * Q_MR + r]);
            c[r][0] = _mm512_dpbusd_epi32(c[r][0], a, b0);
            c[r][1] = _mm512_dpbusd_epi32(c[r][1], a, b1);
        }
    }
    for (int r = 0; r < Q_MR; r++) {
        _mm512_store_si512((void *) (acc + r * Q_NR), c[r][0]);
        _mm512_store_si512((void *) (acc + r * Q_NR + 16), c[r][1]);
    }
}
