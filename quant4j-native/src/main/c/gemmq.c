/*
 * Weight-only GEMM: Y[m x n] = X[m x k] . W^T with W [n x k] block-quantized (q4j_bqm layout).
 * A panel of 2 rows of W is dequantized once into fp32, exactly as the format defines a weight,
 *   w = (code - zp) * scale   (int times float, rounded once)
 * and then meets 4 rows of X at a time (8 ymm accumulators; 2 W and 4 X loads per 8 FMAs).
 * The dequantization costs O(n.k) per call against the O(m.n.k) of the products.
 */
#include <stdlib.h>
#include <immintrin.h>
#include "q4j.h"

static void dequant_row(const q4j_bqm *w, int r, float *out, int kpad) {
    int64_t rowbytes = (int64_t) w->bpr * w->block * w->bits / 8;
    const uint8_t *row = w->data + (int64_t) r * rowbytes;
    for (int c = 0; c < kpad; c++) {
        if (c >= w->cols) { out[c] = 0; continue; }
        int64_t blk = (int64_t) r * w->bpr + c / w->block;
        int code = w->bits == 8 ? row[c] : (c & 1) ? row[c >> 1] >> 4 : row[c >> 1] & 15;
        int zp = w->zps ? w->zps[blk] : (w->bits == 4 ? 8 : 128);
        out[c] = (float) (code - zp) * w->scales[blk];
    }
}

static float dot_portable(const float *a, const float *b, int k) {
    float s = 0;
    for (int c = 0; c < k; c++) s += a[c] * b[c];
    return s;
}

__attribute__((target("avx2,fma")))
static inline float hsum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/* y[i][j] for 4 rows of X and 2 dequantized W rows; k8 = k rounded down to 8, the rest scalar. */
__attribute__((target("avx2,fma")))
static void tile4x2(const float *x, int64_t ldx, const float *w0, const float *w1, int k,
                    float *y, int64_t ldy) {
    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    int k8 = k & ~7, c = 0;
    for (; c < k8; c += 8) {
        __m256 b0 = _mm256_loadu_ps(w0 + c), b1 = _mm256_loadu_ps(w1 + c), a;
        a = _mm256_loadu_ps(x + c);           c00 = _mm256_fmadd_ps(a, b0, c00); c01 = _mm256_fmadd_ps(a, b1, c01);
        a = _mm256_loadu_ps(x + ldx + c);     c10 = _mm256_fmadd_ps(a, b0, c10); c11 = _mm256_fmadd_ps(a, b1, c11);
        a = _mm256_loadu_ps(x + 2 * ldx + c); c20 = _mm256_fmadd_ps(a, b0, c20); c21 = _mm256_fmadd_ps(a, b1, c21);
        a = _mm256_loadu_ps(x + 3 * ldx + c); c30 = _mm256_fmadd_ps(a, b0, c30); c31 = _mm256_fmadd_ps(a, b1, c31);
    }
    float t[4][2] = {{hsum8(c00), hsum8(c01)}, {hsum8(c10), hsum8(c11)}, {hsum8(c20), hsum8(c21)}, {hsum8(c30), hsum8(c31)}};
    for (int i = 0; i < 4; i++) {
        for (int cc = c; cc < k; cc++) { t[i][0] += x[i * ldx + cc] * w0[cc]; t[i][1] += x[i * ldx + cc] * w1[cc]; }
        y[i * ldy] = t[i][0];
        y[i * ldy + 1] = t[i][1];
    }
}

__attribute__((target("avx2,fma")))
static float dot_avx2(const float *a, const float *b, int k) {
    __m256 s0 = _mm256_setzero_ps(), s1 = s0;
    int c = 0;
    for (; c + 16 <= k; c += 16) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + c), _mm256_loadu_ps(b + c), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + c + 8), _mm256_loadu_ps(b + c + 8), s1);
    }
    float s = hsum8(_mm256_add_ps(s0, s1));
    for (; c < k; c++) s += a[c] * b[c];
    return s;
}

/* Output columns (= W rows) [r0, r1) for all m rows of X. x and y point at element (0,0). */
Q4J_EXPORT int q4j_gemmq(int isa, int m, int rows, int cols, int bits, int block,
                         const uint8_t *data, const float *scales, const uint8_t *zps,
                         const float *x, int64_t ldx, float *y, int64_t ldy, int r0, int r1) {
    q4j_bqm w = { rows, cols, bits, block, (cols + block - 1) / block, data, scales, zps };
    int kpad = (cols + 7) & ~7;
    float *wb = aligned_alloc(64, (size_t) kpad * 2 * sizeof(float));
    if (!wb) return -3;
    float *w0 = wb, *w1 = wb + kpad;
    int simd = isa >= ISA_AVX2;
    for (int r = r0; r < r1; r += 2) {
        int pair = r + 1 < r1;
        dequant_row(&w, r, w0, kpad);
        if (pair) dequant_row(&w, r + 1, w1, kpad);
        int i = 0;
        if (simd && pair)
            for (; i + 4 <= m; i += 4) tile4x2(x + i * ldx, ldx, w0, w1, cols, y + i * ldy + r, ldy);
        for (; i < m; i++) {
            const float *xi = x + i * ldx;
            y[i * ldy + r] = simd ? dot_avx2(xi, w0, cols) : dot_portable(xi, w0, cols);
            if (pair) y[i * ldy + r + 1] = simd ? dot_avx2(xi, w1, cols) : dot_portable(xi, w1, cols);
        }
    }
    free(wb);
    return 0;
}
