/*
 * Weight-only GEMM: Y[m x n] = X[m x k] . W^T with W [n x k] block-quantized (q4j_bqm layout).
 *
 * Rows of W are dequantized two at a time into fp32, exactly as the format defines a weight,
 *   w = (code - zp) * scale   (int times float, rounded once),
 * and meet 4 rows of X at a time (8 ymm accumulators; 2 W and 4 X loads per 8 FMAs).
 * For 4-bit weights both sides use the per-16 order of gemvq.c (8 low nibbles, then 8 high
 * nibbles of 8 bytes), so that dequantization needs no interleaving: X is copied once per call
 * in that order, zero-padded to whole blocks, in chunks of XC rows so the copy stays small.
 * Dequantization costs O(n.k) per chunk against the chunk's O(XC.n.k) products. k is cut into
 * blocks of KC whose partial sums are added into y (so the summation order differs from a
 * single pass, by rounding only).
 */
#include <stdlib.h>
#include <immintrin.h>
#include "q4j.h"

#define XC 64   /* rows of X per chunk */
#define KC 1024 /* k per block: the chunk's X block (XC*KC floats) stays in L2, the W pair in L1 */

/* Position in the per-16 order of element c (identity for 8-bit). */
static inline int64_t perm16(int bits, int64_t c) {
    if (bits != 4) return c;
    int64_t g = c / 16, t = c % 16;
    return g * 16 + (t % 2 ? 8 + t / 2 : t / 2);
}

static void dequant_row_portable(const q4j_bqm *w, int r, float *out) {
    int64_t rowbytes = (int64_t) w->bpr * w->block * w->bits / 8;
    const uint8_t *row = w->data + (int64_t) r * rowbytes;
    for (int64_t c = 0; c < (int64_t) w->bpr * w->block; c++) {
        int64_t blk = (int64_t) r * w->bpr + c / w->block;
        int code = w->bits == 8 ? row[c] : (c & 1) ? row[c >> 1] >> 4 : row[c >> 1] & 15;
        int zp = w->zps ? w->zps[blk] : (w->bits == 4 ? 8 : 128);
        out[perm16(w->bits, c)] = (float) (code - zp) * w->scales[blk];
    }
}

__attribute__((target("avx2,fma")))
static void dequant_row_avx2(const q4j_bqm *w, int r, float *out) {
    int64_t rowbytes = (int64_t) w->bpr * w->block * w->bits / 8;
    const uint8_t *row = w->data + (int64_t) r * rowbytes;
    const __m256i mask = _mm256_set1_epi32(15);
    for (int b = 0; b < w->bpr; b++) {
        int64_t blk = (int64_t) r * w->bpr + b;
        __m256i zp = _mm256_set1_epi32(w->zps ? w->zps[blk] : (w->bits == 4 ? 8 : 128));
        __m256 sc = _mm256_set1_ps(w->scales[blk]);
        float *o = out + (int64_t) b * w->block;
        if (w->bits == 4) {
            const uint8_t *p = row + (int64_t) b * w->block / 2;
            for (int g = 0; g < w->block / 16; g++) {
                __m256i v = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *) (p + g * 8)));
                __m256i lo = _mm256_sub_epi32(_mm256_and_si256(v, mask), zp), hi = _mm256_sub_epi32(_mm256_srli_epi32(v, 4), zp);
                _mm256_storeu_ps(o + g * 16, _mm256_mul_ps(_mm256_cvtepi32_ps(lo), sc));
                _mm256_storeu_ps(o + g * 16 + 8, _mm256_mul_ps(_mm256_cvtepi32_ps(hi), sc));
            }
        } else {
            const uint8_t *p = row + (int64_t) b * w->block;
            for (int c = 0; c < w->block; c += 8) {
                __m256i v = _mm256_sub_epi32(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *) (p + c))), zp);
                _mm256_storeu_ps(o + c, _mm256_mul_ps(_mm256_cvtepi32_ps(v), sc));
            }
        }
    }
}

__attribute__((target("avx2,fma")))
static inline float hsum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/* y[i][j] (+)= partial dot over [c0, c1) (multiples of 16), i < 4, j < 2, X rows of stride kp. */
__attribute__((target("avx2,fma")))
static void tile4x2(const float *x, int64_t kp, const float *w0, const float *w1, int64_t c0, int64_t c1,
                    float *y, int64_t ldy, int add) {
    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    for (int64_t c = c0; c < c1; c += 8) {
        __m256 b0 = _mm256_loadu_ps(w0 + c), b1 = _mm256_loadu_ps(w1 + c), a;
        a = _mm256_loadu_ps(x + c);          c00 = _mm256_fmadd_ps(a, b0, c00); c01 = _mm256_fmadd_ps(a, b1, c01);
        a = _mm256_loadu_ps(x + kp + c);     c10 = _mm256_fmadd_ps(a, b0, c10); c11 = _mm256_fmadd_ps(a, b1, c11);
        a = _mm256_loadu_ps(x + 2 * kp + c); c20 = _mm256_fmadd_ps(a, b0, c20); c21 = _mm256_fmadd_ps(a, b1, c21);
        a = _mm256_loadu_ps(x + 3 * kp + c); c30 = _mm256_fmadd_ps(a, b0, c30); c31 = _mm256_fmadd_ps(a, b1, c31);
    }
    float t[8] = {hsum8(c00), hsum8(c01), hsum8(c10), hsum8(c11), hsum8(c20), hsum8(c21), hsum8(c30), hsum8(c31)};
    for (int i = 0; i < 4; i++) {
        y[i * ldy] = add ? y[i * ldy] + t[2 * i] : t[2 * i];
        y[i * ldy + 1] = add ? y[i * ldy + 1] + t[2 * i + 1] : t[2 * i + 1];
    }
}

__attribute__((target("avx2,fma")))
static float dot_avx2(const float *a, const float *b, int64_t kp) {
    __m256 s0 = _mm256_setzero_ps(), s1 = s0;
    for (int64_t c = 0; c < kp; c += 16) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + c), _mm256_loadu_ps(b + c), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + c + 8), _mm256_loadu_ps(b + c + 8), s1);
    }
    return hsum8(_mm256_add_ps(s0, s1));
}

static float dot_portable(const float *a, const float *b, int64_t kp) {
    float s = 0;
    for (int64_t c = 0; c < kp; c++) s += a[c] * b[c];
    return s;
}

/* Output columns (= W rows) [r0, r1) for all m rows of X. x and y point at element (0,0). */
Q4J_EXPORT int q4j_gemmq(int isa, int m, int rows, int cols, int bits, int block,
                         const uint8_t *data, const float *scales, const uint8_t *zps,
                         const float *x, int64_t ldx, float *y, int64_t ldy, int r0, int r1) {
    q4j_bqm w = { rows, cols, bits, block, (cols + block - 1) / block, data, scales, zps };
    int64_t kp = (int64_t) w.bpr * block; /* a multiple of 16 */
    int simd = isa >= ISA_AVX2;
    float *wb = aligned_alloc(64, (size_t) kp * 2 * sizeof(float));
    float *xp = aligned_alloc(64, (size_t) kp * XC * sizeof(float));
    if (!wb || !xp) { free(wb); free(xp); return -3; }
    float *w0 = wb, *w1 = wb + kp;
    for (int i0 = 0; i0 < m; i0 += XC) {
        int mc = m - i0 < XC ? m - i0 : XC;
        for (int i = 0; i < mc; i++)
            for (int64_t c = 0; c < kp; c++)
                xp[i * kp + perm16(bits, c)] = c < cols ? x[(int64_t) (i0 + i) * ldx + c] : 0.0f;
        for (int r = r0; r < r1; r += 2) {
            int pair = r + 1 < r1;
            if (simd) { dequant_row_avx2(&w, r, w0); if (pair) dequant_row_avx2(&w, r + 1, w1); }
            else { dequant_row_portable(&w, r, w0); if (pair) dequant_row_portable(&w, r + 1, w1); }
            float *yr = y + (int64_t) i0 * ldy + r;
            int i = 0;
            if (simd && pair) {
                int m4 = mc & ~3;
                for (int64_t c0 = 0; c0 < kp; c0 += KC) {
                    int64_t c1 = c0 + KC < kp ? c0 + KC : kp;
                    for (i = 0; i < m4; i += 4) tile4x2(xp + i * kp, kp, w0, w1, c0, c1, yr + i * ldy, ldy, c0 > 0);
                }
                i = m4;
            }
            for (; i < mc; i++) {
                const float *xi = xp + i * kp;
                yr[i * ldy] = simd ? dot_avx2(xi, w0, kp) : dot_portable(xi, w0, kp);
                if (pair) yr[i * ldy + 1] = simd ? dot_avx2(xi, w1, kp) : dot_portable(xi, w1, kp);
            }
        }
    }
    free(wb);
    free(xp);
    return 0;
}
