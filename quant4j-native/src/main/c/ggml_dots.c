/*
 * Row dots of GGML block-quantized weight rows with activations quantized to 8 bits per group of
 * 32 (x[i] ~ xd[g] * xq[i], g = i / 32, |xq| <= 127), for LLM decoding: y[r] = row r . x for a
 * range of rows, one call per chunk of rows. Written from the block layouts:
 *
 *   Q4_0 (18 bytes / 32 weights)   | d fp16 | qs[16] |   qs[j] = q[j] | q[j+16] << 4, w = d (q - 8)
 *   Q8_0 (34 bytes / 32 weights)   | d fp16 | q[32] int8 |                            w = d q
 *   Q4_K (144 bytes / 256 weights) | d | dmin | scales[12] | qs[128] |
 *        chunk c = 0..3: qs[32c + l] low nibble = q[64c + l] (sub-block 2c),
 *                                    high nibble = q[64c + 32 + l] (sub-block 2c + 1)
 *        w = d sc[s] q - dmin mn[s], 6-bit sc/mn packed as in get_k_scales below
 *
 * Per group of 32 the integer sum S = sum q_w * xq is exact in int32; the float work is one
 * multiply-add per group: y += (d_w * xd[g]) * S. Q4_0's -8 is taken out as 8 * xsum[g]
 * (xsum[g] = sum of the group's xq), Q4_K's mins as dmin * mn[s] * xdsum[g] (xdsum = xd * xsum).
 *
 * AVX2: vpmaddubsw multiplies unsigned bytes by signed bytes and adds pairs into int16. 4-bit codes
 * are unsigned already (|pair| <= 2 * 15 * 127 = 3810); for Q8_0 the weight's sign moves onto the
 * activation (|w| * sign(w) xq: |w| <= 128 as an unsigned byte, pair <= 2 * 128 * 127 = 32512,
 * never saturating). vpmaddwd against ones then sums the int16 pairs into 8 int32 lanes.
 */
#include <stdlib.h>
#include <string.h>
#include <immintrin.h>
#include "q4j.h"

enum { GGML_Q4_0 = 2, GGML_Q8_0 = 8, GGML_Q4_K = 12 };

/* IEEE half to float, every case (subnormals, Inf, NaN), for the portable path. */
static float f16_to_f32(uint16_t h) {
    uint32_t sign = (uint32_t) (h & 0x8000) << 16, exp = (h >> 10) & 31, man = h & 0x3FF, bits;
    if (exp == 31) bits = sign | 0x7F800000u | (man << 13);
    else if (exp != 0) bits = sign | ((exp + 112) << 23) | (man << 13);
    else if (man == 0) bits = sign;
    else { /* subnormal: normalise */
        int e = -1;
        do { man <<= 1; e++; } while (!(man & 0x400));
        bits = sign | ((uint32_t) (112 - e) << 23) | ((man & 0x3FF) << 13);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

static inline uint16_t rd16(const uint8_t *p) { return (uint16_t) (p[0] | p[1] << 8); }

/*
 * The 12 scale bytes of Q4_K:
 *   byte j   (j = 0..3): bits 0-5 sc[j]   bits 6-7 = bits 4-5 of sc[j+4]
 *   byte j+4 (j = 0..3): bits 0-5 mn[j]   bits 6-7 = bits 4-5 of mn[j+4]
 *   byte j+8 (j = 0..3): bits 0-3 = bits 0-3 of sc[j+4], bits 4-7 = bits 0-3 of mn[j+4]
 */
static inline void get_k_scales(const uint8_t *s, int sc[8], int mn[8]) {
    for (int j = 0; j < 4; j++) {
        sc[j] = s[j] & 63;
        mn[j] = s[j + 4] & 63;
        sc[j + 4] = (s[j + 8] & 15) | (s[j] >> 6) << 4;
        mn[j + 4] = (s[j + 8] >> 4) | (s[j + 4] >> 6) << 4;
    }
}

/* ------------------------------------------------------------------ portable */

static float q4_0_row_portable(const uint8_t *w, const int8_t *xq, const float *xd, const int32_t *xsum, int n) {
    float total = 0;
    for (int g = 0; g < n / 32; g++, w += 18) {
        int32_t acc = 0;
        for (int j = 0; j < 16; j++)
            acc += (w[2 + j] & 15) * xq[32 * g + j] + (w[2 + j] >> 4) * xq[32 * g + 16 + j];
        total += f16_to_f32(rd16(w)) * xd[g] * (float) (acc - 8 * xsum[g]);
    }
    return total;
}

static float q8_0_row_portable(const uint8_t *w, const int8_t *xq, const float *xd, int n) {
    float total = 0;
    for (int g = 0; g < n / 32; g++, w += 34) {
        int32_t acc = 0;
        for (int j = 0; j < 32; j++) acc += (int8_t) w[2 + j] * xq[32 * g + j];
        total += f16_to_f32(rd16(w)) * xd[g] * (float) acc;
    }
    return total;
}

static float q4_k_row_portable(const uint8_t *w, const int8_t *xq, const float *xd, const float *xdsum, int n) {
    float total = 0;
    for (int sb = 0; sb < n / 256; sb++, w += 144) {
        float d = f16_to_f32(rd16(w)), dmin = f16_to_f32(rd16(w + 2));
        int sc[8], mn[8];
        get_k_scales(w + 4, sc, mn);
        for (int s = 0; s < 8; s++) {
            int g = 8 * sb + s;
            const uint8_t *qs = w + 16 + 32 * (s / 2);
            int32_t acc = 0;
            for (int l = 0; l < 32; l++) acc += ((s & 1) ? qs[l] >> 4 : qs[l] & 15) * xq[32 * g + l];
            total += d * (float) sc[s] * xd[g] * (float) acc - dmin * (float) mn[s] * xdsum[g];
        }
    }
    return total;
}

/* ------------------------------------------------------------------ AVX2 */

/*
 * Software prefetch this many bytes ahead of the weight stream. One thread's hardware prefetch
 * alone left the dots waiting on DRAM: in an A/B on this VM (8 matrices of 5632x2048 in turn, so
 * each call streams from DRAM; thread CPU time medians) 4 KB ahead gave Q4_0 6.1 -> 8.1 GB/s,
 * Q8_0 7.4 -> 9.0, Q4_K 6.1 -> 8.0 (256 B: +6%, 16 KB: no better than 4 KB). A prefetch never
 * faults, so reading ahead past the last row is harmless.
 */
#define PREFETCH_AHEAD 4096
#define PREFETCH(p, bytes) do { for (int pf_ = 0; pf_ < (bytes); pf_ += 64) \
        _mm_prefetch((const char *) (p) + PREFETCH_AHEAD + pf_, _MM_HINT_T0); } while (0)

__attribute__((target("avx2,fma,f16c")))
static inline float hsum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

__attribute__((target("avx2,fma,f16c")))
static inline float h2f(const uint8_t *p) { return _cvtsh_ss(rd16(p)); }

/* 32 codes of a Q4_0 block as bytes 0..15 in block order: low nibbles then high nibbles. */
__attribute__((target("avx2,fma,f16c")))
static inline __m256i q4_0_codes(const uint8_t *qs) {
    __m128i b = _mm_loadu_si128((const __m128i *) qs);
    __m256i v = _mm256_set_m128i(_mm_srli_epi16(b, 4), b);
    return _mm256_and_si256(v, _mm256_set1_epi8(15));
}

/* sum of unsigned u[i] * signed s[i] into 8 int32 lanes. */
__attribute__((target("avx2,fma,f16c")))
static inline __m256i dot_us(__m256i u, __m256i s) {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), _mm256_set1_epi16(1));
}

/* One Q4_0 block's integer sum (8 lanes) with the -8 taken out of lane 0. */
__attribute__((target("avx2,fma,f16c")))
static inline __m256 q4_0_block(const uint8_t *w, const int8_t *x, int32_t xsum) {
    __m256i p = dot_us(q4_0_codes(w + 2), _mm256_loadu_si256((const __m256i *) x));
    return _mm256_cvtepi32_ps(_mm256_sub_epi32(p, _mm256_castsi128_si256(_mm_cvtsi32_si128(8 * xsum))));
}

/*
 * The scales of 8 consecutive blocks (fp16 at a stride of bb bytes) times the activations' scales
 * xd[0..8), in one conversion and one multiply instead of 8 scalar conversions.
 */
__attribute__((target("avx2,fma,f16c")))
static inline __m256 scales8(const uint8_t *w, int bb, const float *xd) {
    uint16_t h[8];
    for (int k = 0; k < 8; k++) h[k] = rd16(w + k * bb);
    return _mm256_mul_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *) h)), _mm256_loadu_ps(xd));
}

/*
 * Two Q4_0 blocks a, b in one 256-bit register: a's 16 code bytes in the low lane, b's in the
 * high lane, so one AND gives both blocks' low nibbles and one shift + AND both high nibbles:
 *
 *   lo = [ a q0..q15  | b q0..q15  ]    hi = [ a q16..q31 | b q16..q31 ]
 *
 * The activations of each block pair are laid out to match once per call (q4_0_pair_layout):
 *   xp[64p ..] = a x0..15, b x0..15, a x16..31, b x16..31
 * The two byte products add in 16 bits (|lane| <= 2 * 2 * 15 * 127 = 7620), vpmaddwd leaves a's
 * sum in int lanes 0-3 and b's in 4-7, and one multiply-add applies (s_a x4, s_b x4): about 6
 * instructions per 32 weights instead of 9.
 */
static void q4_0_pair_layout(const int8_t *xq, int8_t *xp, int n) {
    for (int p = 0; p + 64 <= n; p += 64) {
        memcpy(xp + p, xq + p, 16);
        memcpy(xp + p + 16, xq + p + 32, 16);
        memcpy(xp + p + 32, xq + p + 16, 16);
        memcpy(xp + p + 48, xq + p + 48, 16);
    }
}

__attribute__((target("avx2,fma,f16c")))
static inline __m256 q4_0_pair(const uint8_t *w, const int8_t *xp) {
    const __m256i low = _mm256_set1_epi8(15);
    __m256i v = _mm256_loadu2_m128i((const __m128i *) (w + 20), (const __m128i *) (w + 2));
    __m256i lo = _mm256_and_si256(v, low), hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), low);
    __m256i s = _mm256_add_epi16(_mm256_maddubs_epi16(lo, _mm256_loadu_si256((const __m256i *) xp)),
                                 _mm256_maddubs_epi16(hi, _mm256_loadu_si256((const __m256i *) (xp + 32))));
    return _mm256_cvtepi32_ps(_mm256_madd_epi16(s, _mm256_set1_epi16(1)));
}

/*
 * Eight blocks per step: their scales s = d_w * xd converted at once, the -8 of all eight taken
 * out with one multiply-add (corr += s * 8 xsum, m8[g] = 8 xsum[g] as float, per call), block
 * pairs as above into two accumulators (independent FMA chains). Remaining blocks one by one
 * with the -8 in integers.
 */
__attribute__((target("avx2,fma,f16c")))
static float q4_0_row_avx2(const uint8_t *w, const int8_t *xq, const int8_t *xp, const float *xd, const int32_t *xsum,
                           const float *m8, int n) {
    const __m256i i01 = _mm256_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1), i23 = _mm256_setr_epi32(2, 2, 2, 2, 3, 3, 3, 3),
                  i45 = _mm256_setr_epi32(4, 4, 4, 4, 5, 5, 5, 5), i67 = _mm256_setr_epi32(6, 6, 6, 6, 7, 7, 7, 7);
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, corr = a0;
    int nb = n / 32, g = 0;
    for (; g + 8 <= nb; g += 8, w += 8 * 18) {
        PREFETCH(w, 8 * 18);
        __m256 sv = scales8(w, 18, xd + g);
        corr = _mm256_fmadd_ps(sv, _mm256_loadu_ps(m8 + g), corr);
        const int8_t *x = xp + 32 * g;
        a0 = _mm256_fmadd_ps(q4_0_pair(w, x), _mm256_permutevar8x32_ps(sv, i01), a0);
        a1 = _mm256_fmadd_ps(q4_0_pair(w + 36, x + 64), _mm256_permutevar8x32_ps(sv, i23), a1);
        a0 = _mm256_fmadd_ps(q4_0_pair(w + 72, x + 128), _mm256_permutevar8x32_ps(sv, i45), a0);
        a1 = _mm256_fmadd_ps(q4_0_pair(w + 108, x + 192), _mm256_permutevar8x32_ps(sv, i67), a1);
    }
    for (; g < nb; g++, w += 18) a0 = _mm256_fmadd_ps(q4_0_block(w, xq + 32 * g, xsum[g]), _mm256_set1_ps(h2f(w) * xd[g]), a0);
    return hsum8(_mm256_add_ps(a0, a1)) - hsum8(corr);
}

__attribute__((target("avx2,fma,f16c")))
static inline __m256 q8_0_block(const uint8_t *w, const int8_t *x) {
    __m256i q = _mm256_loadu_si256((const __m256i *) (w + 2));
    __m256i xs = _mm256_sign_epi8(_mm256_loadu_si256((const __m256i *) x), q);
    return _mm256_cvtepi32_ps(dot_us(_mm256_abs_epi8(q), xs));
}

__attribute__((target("avx2,fma,f16c")))
static float q8_0_row_avx2(const uint8_t *w, const int8_t *xq, const float *xd, int n) {
    __m256 a0 = _mm256_setzero_ps(), a1 = a0;
    int nb = n / 32, g = 0;
    for (; g + 8 <= nb; g += 8, w += 8 * 34) {
        PREFETCH(w, 8 * 34);
        float s[8];
        _mm256_storeu_ps(s, scales8(w, 34, xd + g));
        const int8_t *x = xq + 32 * g;
        for (int k = 0; k < 8; k += 2) {
            a0 = _mm256_fmadd_ps(q8_0_block(w + 34 * k, x + 32 * k), _mm256_set1_ps(s[k]), a0);
            a1 = _mm256_fmadd_ps(q8_0_block(w + 34 * k + 34, x + 32 * k + 32), _mm256_set1_ps(s[k + 1]), a1);
        }
    }
    for (; g < nb; g++, w += 34) a0 = _mm256_fmadd_ps(q8_0_block(w, xq + 32 * g), _mm256_set1_ps(h2f(w) * xd[g]), a0);
    return hsum8(_mm256_add_ps(a0, a1));
}

/* The 8 six-bit values (scales or mins) of a Q4_K scale field as floats, from its three ints. */
__attribute__((target("avx2,fma,f16c")))
static inline __m256 k_six_bits(uint32_t lo, uint32_t hi) {
    return _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_cvtsi64_si128((long long) ((uint64_t) hi << 32 | lo))));
}

/*
 * Per super-block: the 8 sub-block scales and mins unpacked at once (byte j of the int triple
 * A, B, C = scale bytes 0-3, 4-7, 8-11):
 *   sc[0..3] = A & 0x3F     sc[4..7] = (C & 0x0F) | (A >> 2 & 0x30)
 *   mn[0..3] = B & 0x3F     mn[4..7] = (C >> 4 & 0x0F) | (B >> 2 & 0x30)
 * scales d * sc * xd as one vector, the mins' term dmin * mn * xdsum as one multiply-add.
 */
__attribute__((target("avx2,fma,f16c")))
static float q4_k_row_avx2(const uint8_t *w, const int8_t *xq, const float *xd, const float *xdsum, int n) {
    const __m256i low = _mm256_set1_epi8(15);
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, corr = a0;
    for (int sb = 0; sb < n / 256; sb++, w += 144) {
        PREFETCH(w, 144);
        uint32_t A, B, C;
        memcpy(&A, w + 4, 4); memcpy(&B, w + 8, 4); memcpy(&C, w + 12, 4);
        __m256 sc = k_six_bits(A & 0x3F3F3F3Fu, (C & 0x0F0F0F0Fu) | (A >> 2 & 0x30303030u));
        __m256 mn = k_six_bits(B & 0x3F3F3F3Fu, (C >> 4 & 0x0F0F0F0Fu) | (B >> 2 & 0x30303030u));
        float s[8];
        _mm256_storeu_ps(s, _mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(h2f(w)), sc), _mm256_loadu_ps(xd + 8 * sb)));
        corr = _mm256_fmadd_ps(_mm256_mul_ps(_mm256_set1_ps(h2f(w + 2)), mn), _mm256_loadu_ps(xdsum + 8 * sb), corr);
        const int8_t *x = xq + 256 * sb;
        for (int c = 0; c < 4; c++) {
            __m256i q = _mm256_loadu_si256((const __m256i *) (w + 16 + 32 * c));
            __m256i lo = _mm256_and_si256(q, low), hi = _mm256_and_si256(_mm256_srli_epi16(q, 4), low);
            __m256 p0 = _mm256_cvtepi32_ps(dot_us(lo, _mm256_loadu_si256((const __m256i *) (x + 64 * c))));
            __m256 p1 = _mm256_cvtepi32_ps(dot_us(hi, _mm256_loadu_si256((const __m256i *) (x + 64 * c + 32))));
            a0 = _mm256_fmadd_ps(p0, _mm256_set1_ps(s[2 * c]), a0);
            a1 = _mm256_fmadd_ps(p1, _mm256_set1_ps(s[2 * c + 1]), a1);
        }
    }
    return hsum8(_mm256_add_ps(a0, a1)) - hsum8(corr);
}

/* ------------------------------------------------------------------ entry point */

/*
 * y[r] = row r . x for r in [0, rows), row r starting at w + r * row_bytes, n weights per row.
 * xq: n activation codes as int16 (the Java side's representation; narrowed to int8 here, once per
 * call), xd: n/32 group scales, xsum: n/32 code sums, xdsum: n/32 xd*xsum (Q4_K only; may be NULL
 * otherwise). Returns 0, -1 for an unknown type, -3 when scratch memory is exhausted. The Java
 * caller has checked every size.
 */
Q4J_EXPORT int q4j_ggml_dots(int isa, int type, const uint8_t *w, int64_t row_bytes, int rows,
                             const int16_t *xq16, const float *xd, const int32_t *xsum, const float *xdsum,
                             int n, float *y) {
    if (type != GGML_Q4_0 && type != GGML_Q8_0 && type != GGML_Q4_K) return -1;
    /* scratch: the codes as int8 (n bytes), then (Q4_0) m8[g] = 8 xsum[g] as float and the codes in pair layout */
    size_t nq = ((size_t) n + 31) / 32 * 32, need = 2 * nq + sizeof(float) * (size_t) (n / 32);
    uint8_t stackbuf[20480] __attribute__((aligned(32)));
    uint8_t *buf = need <= sizeof stackbuf ? stackbuf : aligned_alloc(32, (need + 31) / 32 * 32);
    if (!buf) return -3;
    int8_t *xq = (int8_t *) buf;
    int8_t *xp = (int8_t *) (buf + nq);
    float *m8 = (float *) (buf + 2 * nq);
    for (int i = 0; i < n; i++) xq[i] = (int8_t) xq16[i];
    if (type == GGML_Q4_0) {
        for (int g = 0; g < n / 32; g++) m8[g] = 8.0f * (float) xsum[g];
        q4_0_pair_layout(xq, xp, n);
    }
    int avx2 = isa >= ISA_AVX2;
    for (int r = 0; r < rows; r++, w += row_bytes) {
        switch (type) {
            case GGML_Q4_0: y[r] = avx2 ? q4_0_row_avx2(w, xq, xp, xd, xsum, m8, n) : q4_0_row_portable(w, xq, xd, xsum, n); break;
            case GGML_Q8_0: y[r] = avx2 ? q8_0_row_avx2(w, xq, xd, n) : q8_0_row_portable(w, xq, xd, n); break;
            default: y[r] = avx2 ? q4_k_row_avx2(w, xq, xd, xdsum, n) : q4_k_row_portable(w, xq, xd, xdsum, n); break;
        }
    }
    if (buf != stackbuf) free(buf);
    return 0;
}
