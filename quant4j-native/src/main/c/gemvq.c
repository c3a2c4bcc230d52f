/*
 * Weight-only GEMV on the block-quantized layout of dev.quant4j.kernels.BlockQuantizedMatrix
 * (ONNX Runtime MatMulNBits), read in place: each row is one sequential stream.
 *
 *   y[r] = sum_b scale[r][b] * ( sum_{c in b} code[r][c]*x[c]  -  zp[r][b] * xsum[b] )
 *
 * The zero point leaves the inner loop: xsum[b] (per call) turns it into one term per block.
 * 4-bit codes come two per byte (low nibble = even element). Instead of interleaving nibbles
 * in the kernel, x is permuted once per call, per group of 16 elements:
 *   xp[16g + t] = x[16g + 2t], xp[16g + 8 + t] = x[16g + 2t + 1]   (t = 0..7)
 * so that the 8 low nibbles of 8 bytes meet xp[16g..16g+7] and the high ones xp[16g+8..].
 * x is zero-padded to whole blocks, so padding codes contribute nothing.
 */
#include <stdlib.h>
#include <immintrin.h>
#include "q4j.h"

static inline int zp_of(const q4j_bqm *w, int64_t blk) {
    return w->zps ? w->zps[blk] : (w->bits == 4 ? 8 : 128);
}

/* Adds the zero-point and scale terms of one row given per-block code dot products. */
void q4j_gemvq_rows_portable(const q4j_bqm *w, const float *xp, const float *xsum, float *y, int r0, int r1) {
    int64_t rowbytes = (int64_t) w->bpr * w->block * w->bits / 8;
    for (int r = r0; r < r1; r++) {
        const uint8_t *row = w->data + (int64_t) r * rowbytes;
        float sum = 0;
        for (int b = 0; b < w->bpr; b++) {
            int64_t blk = (int64_t) r * w->bpr + b;
            float d = 0;
            if (w->bits == 8) {
                const uint8_t *p = row + (int64_t) b * w->block;
                const float *x = xp + (int64_t) b * w->block;
                for (int c = 0; c < w->block; c++) d += (float) p[c] * x[c];
            } else {
                const uint8_t *p = row + (int64_t) b * w->block / 2;
                const float *x = xp + (int64_t) b * w->block;
                for (int g = 0; g < w->block / 16; g++)
                    for (int t = 0; t < 8; t++) {
                        uint8_t v = p[g * 8 + t];
                        d += (float) (v & 15) * x[g * 16 + t] + (float) (v >> 4) * x[g * 16 + 8 + t];
                    }
            }
            sum += w->scales[blk] * (d - (float) zp_of(w, blk) * xsum[b]);
        }
        y[r] = sum;
    }
}

__attribute__((target("avx2,fma")))
static inline float hsum256(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/* One block of one row: code.x as an 8-lane partial sum. Bytes are zero-extended straight from
 * memory into 32-bit lanes (vpmovzxbd m64), where the low nibble is an AND and the high one a
 * shift; xp's per-16 permutation puts the matching x values side by side. */
__attribute__((target("avx2,fma")))
static inline __m256 dot_block4(const uint8_t *p, const float *x, int block) {
    const __m256i mask = _mm256_set1_epi32(15);
    __m256 d0 = _mm256_setzero_ps(), d1 = _mm256_setzero_ps();
    for (int g = 0; g < block / 16; g++) {
        __m256i v = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *) (p + g * 8)));
        d0 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_and_si256(v, mask)), _mm256_loadu_ps(x + g * 16), d0);
        d1 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_srli_epi32(v, 4)), _mm256_loadu_ps(x + g * 16 + 8), d1);
    }
    return _mm256_add_ps(d0, d1);
}

__attribute__((target("avx2,fma")))
static inline __m256 dot_block8(const uint8_t *p, const float *x, int block) {
    __m256 d0 = _mm256_setzero_ps(), d1 = _mm256_setzero_ps();
    for (int c = 0; c < block; c += 16) {
        d0 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *) (p + c)))),
                             _mm256_loadu_ps(x + c), d0);
        d1 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *) (p + c + 8)))),
                             _mm256_loadu_ps(x + c + 8), d1);
    }
    return _mm256_add_ps(d0, d1);
}

/* sum_b scale[b] * zp[b] * xsum[b] over one row's blocks, 8 blocks per step. */
__attribute__((target("avx2,fma")))
static float zero_point_term(const q4j_bqm *w, int64_t blk0, const float *xsum) {
    const float *s = w->scales + blk0;
    int b = 0;
    __m256 acc = _mm256_setzero_ps();
    float tail = 0;
    if (w->zps) {
        const uint8_t *z = w->zps + blk0;
        for (; b + 8 <= w->bpr; b += 8) {
            __m256 zf = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *) (z + b))));
            acc = _mm256_fmadd_ps(_mm256_mul_ps(_mm256_loadu_ps(s + b), zf), _mm256_loadu_ps(xsum + b), acc);
        }
        for (; b < w->bpr; b++) tail += s[b] * (float) z[b] * xsum[b];
        return hsum256(acc) + tail;
    }
    for (; b + 8 <= w->bpr; b += 8) acc = _mm256_fmadd_ps(_mm256_loadu_ps(s + b), _mm256_loadu_ps(xsum + b), acc);
    for (; b < w->bpr; b++) tail += s[b] * xsum[b];
    return (hsum256(acc) + tail) * (float) (w->bits == 4 ? 8 : 128);
}

/* INT4, four rows at a time: each x vector is loaded once for the four rows (x stays in
 * registers), and the four rows' accumulators are independent chains. */
#define GEMVQ4_ROWS4(BLOCK_EXPR)                                                                    \
    for (; r + 3 < r1; r += 4) {                                                                    \
        const uint8_t *p0 = w->data + (int64_t) r * rowbytes, *p1 = p0 + rowbytes,                  \
                      *p2 = p1 + rowbytes, *p3 = p2 + rowbytes;                                     \
        const float *sp = w->scales + (int64_t) r * w->bpr;                                         \
        __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;                                 \
        for (int b = 0; b < w->bpr; b++) {                                                          \
            const float *x = xp + (int64_t) b * (BLOCK_EXPR);                                       \
            int64_t o = b * bbytes;                                                                 \
            __m256 d0 = _mm256_setzero_ps(), d1 = d0, d2 = d0, d3 = d0;                             \
            for (int g = 0; g < (BLOCK_EXPR) / 16; g++, o += 8) {                                   \
                __m256 xl = _mm256_loadu_ps(x + g * 16), xh = _mm256_loadu_ps(x + g * 16 + 8);      \
                __m256i v;                                                                          \
                v = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *) (p0 + o)));              \
                d0 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_and_si256(v, mask)), xl, d0);        \
                d0 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_srli_epi32(v, 4)), xh, d0);          \
                v = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *) (p1 + o)));              \
                d1 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_and_si256(v, mask)), xl, d1);        \
                d1 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_srli_epi32(v, 4)), xh, d1);          \
                v = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *) (p2 + o)));              \
                d2 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_and_si256(v, mask)), xl, d2);        \
                d2 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_srli_epi32(v, 4)), xh, d2);          \
                v = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *) (p3 + o)));              \
                d3 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_and_si256(v, mask)), xl, d3);        \
                d3 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_srli_epi32(v, 4)), xh, d3);          \
            }                                                                                       \
            s0 = _mm256_fmadd_ps(d0, _mm256_broadcast_ss(sp + b), s0);                              \
            s1 = _mm256_fmadd_ps(d1, _mm256_broadcast_ss(sp + w->bpr + b), s1);                     \
            s2 = _mm256_fmadd_ps(d2, _mm256_broadcast_ss(sp + 2 * w->bpr + b), s2);                 \
            s3 = _mm256_fmadd_ps(d3, _mm256_broadcast_ss(sp + 3 * w->bpr + b), s3);                 \
        }                                                                                           \
        y[r] = hsum256(s0) - zero_point_term(w, (int64_t) r * w->bpr, xsum);                        \
        y[r + 1] = hsum256(s1) - zero_point_term(w, (int64_t) (r + 1) * w->bpr, xsum);              \
        y[r + 2] = hsum256(s2) - zero_point_term(w, (int64_t) (r + 2) * w->bpr, xsum);              \
        y[r + 3] = hsum256(s3) - zero_point_term(w, (int64_t) (r + 3) * w->bpr, xsum);              \
    }

/* Two rows at a time; per block the partial sums are scaled into the row's vector accumulator.
 * The block loop is instantiated for the common block sizes so that it unrolls. */
#define GEMVQ_ROWS(BLOCK_EXPR)                                                                      \
    for (; r + 1 < r1; r += 2) {                                                                    \
        const uint8_t *p0 = w->data + (int64_t) r * rowbytes, *p1 = p0 + rowbytes;                  \
        const float *s0p = w->scales + (int64_t) r * w->bpr, *s1p = s0p + w->bpr;                   \
        __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();                                  \
        for (int b = 0; b < w->bpr; b++) {                                                          \
            const float *x = xp + (int64_t) b * (BLOCK_EXPR);                                       \
            __m256 d0, d1;                                                                          \
            if (w->bits == 4) { d0 = dot_block4(p0 + b * bbytes, x, (BLOCK_EXPR));                  \
                                d1 = dot_block4(p1 + b * bbytes, x, (BLOCK_EXPR)); }                \
            else { d0 = dot_block8(p0 + b * bbytes, x, (BLOCK_EXPR));                               \
                   d1 = dot_block8(p1 + b * bbytes, x, (BLOCK_EXPR)); }                             \
            s0 = _mm256_fmadd_ps(d0, _mm256_broadcast_ss(s0p + b), s0);                             \
            s1 = _mm256_fmadd_ps(d1, _mm256_broadcast_ss(s1p + b), s1);                             \
        }                                                                                           \
        y[r] = hsum256(s0) - zero_point_term(w, (int64_t) r * w->bpr, xsum);                        \
        y[r + 1] = hsum256(s1) - zero_point_term(w, (int64_t) (r + 1) * w->bpr, xsum);              \
    }

__attribute__((target("avx2,fma")))
void q4j_gemvq_rows_avx2(const q4j_bqm *w, const float *xp, const float *xsum, float *y, int r0, int r1) {
    int64_t rowbytes = (int64_t) w->bpr * w->block * w->bits / 8;
    int64_t bbytes = (int64_t) w->block * w->bits / 8;
    int r = r0;
    if (w->bits == 4) {
        const __m256i mask = _mm256_set1_epi32(15);
        if (w->block == 16) { GEMVQ4_ROWS4(16) }
        else if (w->block == 32) { GEMVQ4_ROWS4(32) }
        else if (w->block == 64) { GEMVQ4_ROWS4(64) }
        else { GEMVQ4_ROWS4(w->block) }
    }
    if (w->block == 16) { GEMVQ_ROWS(16) }
    else if (w->block == 32) { GEMVQ_ROWS(32) }
    else if (w->block == 64) { GEMVQ_ROWS(64) }
    else { GEMVQ_ROWS(w->block) }
    if (r < r1) q4j_gemvq_rows_portable(w, xp, xsum, y, r, r1);
}

/*
 * y[r0..r1) of W.x. scales/zps are indexed by absolute block; y points at y[0].
 * Returns 0, or a negative code when scratch memory is exhausted.
 */
Q4J_EXPORT int q4j_gemvq(int isa, int rows, int cols, int bits, int block,
                         const uint8_t *data, const float *scales, const uint8_t *zps,
                         const float *x, float *y, int r0, int r1) {
    int bpr = (cols + block - 1) / block;
    int64_t kp = (int64_t) bpr * block;
    float *xp = aligned_alloc(64, (size_t) ((kp * 4 + 63) / 64 * 64));
    float *xsum = malloc(sizeof(float) * (size_t) bpr);
    if (!xp || !xsum) { free(xp); free(xsum); return -3; }
    for (int64_t c = 0; c < kp; c++) {
        int64_t src = c;
        if (bits == 4) { int64_t g = c / 16, t = c % 16; src = g * 16 + (t < 8 ? 2 * t : 2 * (t - 8) + 1); }
        xp[c] = src < cols ? x[src] : 0.0f;
    }
    for (int b = 0; b < bpr; b++) {
        float s = 0;
        for (int c = 0; c < block; c++) { int64_t i = (int64_t) b * block + c; if (i < cols) s += x[i]; }
        xsum[b] = s;
    }
    q4j_bqm w = { rows, cols, bits, block, bpr, data, scales, zps };
    if (isa >= ISA_AVX2) q4j_gemvq_rows_avx2(&w, xp, xsum, y, r0, r1);
    else q4j_gemvq_rows_portable(&w, xp, xsum, y, r0, r1);
    free(xp); free(xsum);
    return 0;
}
