/*
 * quant4j native kernels: internal declarations shared by the translation units.
 *
 * The library is compiled once for plain x86-64; every SIMD kernel carries its own
 * target attribute and is picked at run time (q4j_isa_best), so the .so runs on any x86-64.
 *
 * ISA levels (the int argument "isa" of every entry point):
 *   0 portable     plain C, layout Q (used to test layout Q on machines without VNNI)
 *   1 avx2         vpmaddwd on 16-bit operands, layout W
 *   2 avx-vnni     vpdpbusd on ymm, layout Q
 *   3 avx512-vnni  vpdpbusd on zmm, layout Q
 */
#ifndef Q4J_H
#define Q4J_H
#include <stdint.h>
#include <stddef.h>

#define Q4J_EXPORT __attribute__((visibility("default")))

enum { ISA_PORTABLE = 0, ISA_AVX2 = 1, ISA_AVXVNNI = 2, ISA_AVX512VNNI = 3 };

/* Layout Q: 4 consecutive k of one column in one 32-bit lane, 32 columns per panel (vpdpbusd).
 * Layout W: 2 consecutive k of one column as two int16 in one 32-bit lane, 16 columns per panel,
 *           zero-point already subtracted (vpmaddwd, exact for every 8-bit input). */
#define Q_NR 32
#define Q_MR 8
#define W_NR 16
#define W_MR 6

/* Header of a packed int8 matrix, followed by colsum[npad], zb[npad], then the panels. */
typedef struct {
    int32_t magic, isa, k, n, kpad, npad, nr, pad_;
} q4j_packed_hdr;
#define Q4J_MAGIC 0x51344A38 /* "Q4J8" */

/* Micro-kernels: acc[MR][NR] = sum over kpad of A-panel x B-panel (no corrections). */
void q4j_kq_portable(const uint8_t *ap, const int8_t *bp, int kq, int32_t *acc);
void q4j_kq_avxvnni(const uint8_t *ap, const int8_t *bp, int kq, int32_t *acc);
void q4j_kq_avx512vnni(const uint8_t *ap, const int8_t *bp, int kq, int32_t *acc);
void q4j_kw_avx2(const int16_t *ap, const int16_t *bp, int kp, int32_t *acc);

/* Weight-only GEMV rows [r0,r1): y[r] = sum_c w[r][c] x[c]. xp is x permuted per 16 (see gemvq.c). */
typedef struct {
    int rows, cols, bits, block, bpr; /* bpr = blocks per row */
    const uint8_t *data; const float *scales; const uint8_t *zps; /* zps may be NULL */
} q4j_bqm;
void q4j_gemvq_rows_portable(const q4j_bqm *w, const float *xp, const float *xsum, float *y, int r0, int r1);
void q4j_gemvq_rows_avx2(const q4j_bqm *w, const float *xp, const float *xsum, float *y, int r0, int r1);

#endif
