/*
 * Integer GEMM driver: packing of B (once) and A (per call), cache blocking, and the
 * requantizing epilogue. The micro-kernels live in kernels_*.c.
 *
 * Signedness without a second kernel: vpdpbusd multiplies u8 by s8, so a signed A is fed as
 * a_u = a XOR 0x80 = a + 128 and its zero point as za' = za + 128; then
 *   sum_p (a - za)(b - zb) = sum_p (a_u - za')(b - zb)
 *     = dot(a_u, b) - zb[j]*rowsum_u[i] - za'*colsum[j] + k*za'*zb[j]
 * with colsum precomputed at pack time and rowsum_u per call. All arithmetic is modulo 2^32,
 * which is what Java's int arithmetic does too, so the result is exact.
 *
 * Packed buffer (64-byte aligned):
 *   +0                   q4j_packed_hdr (padded to 64 bytes)
 *   +64                  int32 colsum[npad]   (raw sum of b over the real k)
 *   +64+4*npad           int32 zb[npad]
 *   +64+8*npad           panels, npad/nr of them, each kpad*nr bytes (Q) or kpad*nr int16 (W)
 *
 * Layout Q, one panel (nr = 32 columns), quad q = k/4:
 *   byte offset (q*32 + j)*4 + t  holds  b[4q+t][j]            | k0 k1 k2 k3 | k0 k1 k2 k3 | ...
 *                                                              |   col 0     |   col 1     |
 * Layout W, one panel (nr = 16 columns), pair q = k/2:
 *   int16 offset (q*16 + j)*2 + t  holds  b[2q+t][j] - zb[j]
 */
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "q4j.h"

#define HDR_BYTES 64

static int uses_w(int isa) { return isa == ISA_AVX2; }
static int nr_of(int isa) { return uses_w(isa) ? W_NR : Q_NR; }
static int mr_of(int isa) { return uses_w(isa) ? W_MR : Q_MR; }
static int64_t round_up(int64_t v, int64_t to) { return (v + to - 1) / to * to; }

Q4J_EXPORT int q4j_i8_nr(int isa) { return nr_of(isa); }

Q4J_EXPORT int64_t q4j_i8_packed_size(int isa, int k, int n) {
    int64_t kpad = round_up(k, 4), npad = round_up(n, nr_of(isa));
    int64_t elem = uses_w(isa) ? 2 : 1;
    return HDR_BYTES + 8 * npad + kpad * npad * elem;
}

/* zp has nzp entries: 1 (per tensor) or n (per column). */
Q4J_EXPORT void q4j_i8_pack(int isa, int k, int n, const int8_t *b, int64_t ldb, int transposed,
                            const int32_t *zp, int nzp, void *out) {
    int nr = nr_of(isa);
    int kpad = (int) round_up(k, 4), npad = (int) round_up(n, nr);
    q4j_packed_hdr *h = (q4j_packed_hdr *) out;
    memset(h, 0, HDR_BYTES);
    h->magic = Q4J_MAGIC; h->isa = isa; h->k = k; h->n = n; h->kpad = kpad; h->npad = npad; h->nr = nr;
    int32_t *colsum = (int32_t *) ((char *) out + HDR_BYTES);
    int32_t *zb = colsum + npad;
    void *panels = (char *) out + HDR_BYTES + 8 * (int64_t) npad;
    for (int j = 0; j < npad; j++) {
        uint32_t s = 0;
        int z = j < n ? zp[nzp == 1 ? 0 : j] : 0;
        if (j < n) for (int p = 0; p < k; p++)
            s += (uint32_t) (int32_t) (transposed ? b[(int64_t) j * ldb + p] : b[(int64_t) p * ldb + j]);
        colsum[j] = (int32_t) s; zb[j] = z;
        int panel = j / nr, jj = j % nr;
        for (int p = 0; p < kpad; p++) {
            int v = 0;
            if (j < n && p < k) v = transposed ? b[(int64_t) j * ldb + p] : b[(int64_t) p * ldb + j];
            if (uses_w(isa)) {
                int16_t *w = (int16_t *) panels + (int64_t) panel * kpad * nr;
                w[((int64_t) (p / 2) * nr + jj) * 2 + (p % 2)] = (int16_t) (j < n && p < k ? v - z : 0);
            } else {
                int8_t *q = (int8_t *) panels + (int64_t) panel * kpad * nr;
                q[((int64_t) (p / 4) * nr + jj) * 4 + (p % 4)] = (int8_t) v;
            }
        }
    }
}

/* Epilogue kinds, matching dev.quant4j.kernels.Epilogue. */
enum { EPI_INT32 = 0, EPI_FLOAT = 1, EPI_INT8 = 2 };

typedef struct {
    int kind; void *out; int64_t ldc; const float *scale; int nscale; const void *bias;
    int ozp, qmin, qmax;
} epi_t;

static inline void store(const epi_t *e, int i, int j, int32_t acc) {
    if (e->kind == EPI_INT32) {
        ((int32_t *) e->out)[(int64_t) i * e->ldc + j] = acc;
    } else if (e->kind == EPI_FLOAT) {
        float v = (float) acc * e->scale[e->nscale == 1 ? 0 : j];
        if (e->bias) v = v + ((const float *) e->bias)[j];
        ((float *) e->out)[(int64_t) i * e->ldc + j] = v;
    } else {
        int32_t t = e->bias ? (int32_t) ((uint32_t) acc + (uint32_t) ((const int32_t *) e->bias)[j]) : acc;
        float v = (float) t * e->scale[e->nscale == 1 ? 0 : j];
        double r = (double) rintf(v) + e->ozp; /* rintf rounds half to even in the default mode */
        if (r != r) r = e->ozp;                 /* NaN multiplier: the zero point, as in Java */
        int q = r < e->qmin ? e->qmin : r > e->qmax ? e->qmax : (int) r;
        ((int8_t *) e->out)[(int64_t) i * e->ldc + j] = (int8_t) q;
    }
}

/*
 * Computes output columns [n0, n1) for all m rows; n0 must be a multiple of the panel width
 * (q4j_i8_nr). Threads call this on disjoint column ranges.
 */
Q4J_EXPORT int q4j_i8_gemm(int isa, int m, int k, int n0, int n1,
                           const uint8_t *a, int64_t lda, int a_unsigned, int za,
                           const void *packed,
                           int kind, void *out, int64_t ldc, const float *scale, int nscale,
                           const void *bias, int ozp, int qmin, int qmax) {
    const q4j_packed_hdr *h = (const q4j_packed_hdr *) packed;
    if (h->magic != Q4J_MAGIC || h->isa != isa || h->k != k) return -1;
    int nr = h->nr, mr = mr_of(isa), kpad = h->kpad, npad = h->npad;
    if (n0 % nr != 0 || n1 > h->n || n0 >= n1) return -2;
    const int32_t *colsum = (const int32_t *) ((const char *) packed + HDR_BYTES);
    const int32_t *zb = colsum + npad;
    const char *panels = (const char *) packed + HDR_BYTES + 8 * (int64_t) npad;
    int w = uses_w(isa);
    int64_t panel_bytes = (int64_t) kpad * nr * (w ? 2 : 1);
    epi_t e = { kind, out, ldc, scale, nscale, bias, ozp, qmin, qmax };

    size_t abytes = (size_t) round_up((int64_t) mr * kpad * (w ? 2 : 1), 64);
    void *ap = aligned_alloc(64, abytes);
    if (!ap) return -3;
    int32_t acc[Q_MR * Q_NR] __attribute__((aligned(64)));
    int32_t rowsum[Q_MR];
    uint32_t zau = (uint32_t) (a_unsigned ? za : za + 128);
    uint8_t flip = a_unsigned ? 0 : 0x80;

    /* Column block: the B panels of one block stay in L2 while all row blocks stream past. */
    int64_t nc = (512 * 1024) / panel_bytes * nr;
    if (nc < nr) nc = nr;
    for (int jc = n0; jc < n1; jc += (int) nc) {
        int jend = jc + nc < n1 ? jc + (int) nc : n1;
        for (int i0 = 0; i0 < m; i0 += mr) {
            int rows = m - i0 < mr ? m - i0 : mr;
            /* pack A rows i0..i0+rows into the kernel's interleaved layout */
            if (w) {
                int16_t *p16 = (int16_t *) ap;
                for (int r = 0; r < mr; r++) {
                    const uint8_t *row = a + (int64_t) (i0 + r) * lda;
                    for (int p = 0; p < kpad; p++) {
                        int v = 0;
                        if (r < rows && p < k) v = (a_unsigned ? (int) row[p] : (int) (int8_t) row[p]) - za;
                        p16[((int64_t) (p / 2) * mr + r) * 2 + (p % 2)] = (int16_t) v;
                    }
                }
            } else {
                uint8_t *p8 = (uint8_t *) ap;
                for (int r = 0; r < mr; r++) {
                    const uint8_t *row = a + (int64_t) (i0 + r) * lda;
                    uint32_t s = 0;
                    for (int p = 0; p < kpad; p++) {
                        uint8_t v = 0;
                        if (r < rows && p < k) { v = row[p] ^ flip; s += v; }
                        p8[((int64_t) (p / 4) * mr + r) * 4 + (p % 4)] = v;
                    }
                    rowsum[r] = (int32_t) s;
                }
            }
            for (int jp = jc; jp < jend; jp += nr) {
                const void *bp = panels + (int64_t) (jp / nr) * panel_bytes;
                switch (isa) {
                    case ISA_AVX2: q4j_kw_avx2((const int16_t *) ap, (const int16_t *) bp, kpad / 2, acc); break;
                    case ISA_AVXVNNI: q4j_kq_avxvnni((const uint8_t *) ap, (const int8_t *) bp, kpad / 4, acc); break;
                    case ISA_AVX512VNNI: q4j_kq_avx512vnni((const uint8_t *) ap, (const int8_t *) bp, kpad / 4, acc); break;
                    default: q4j_kq_portable((const uint8_t *) ap, (const int8_t *) bp, kpad / 4, acc); break;
                }
                int cols = jend - jp < nr ? jend - jp : nr;
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        int j = jp + c;
                        uint32_t v = (uint32_t) acc[r * nr + c];
                        if (!w) v = v - (uint32_t) zb[j] * (uint32_t) rowsum[r] - zau * (uint32_t) colsum[j]
                                    + (uint32_t) k * zau * (uint32_t) zb[j];
                        store(&e, i0 + r, j, (int32_t) v);
                    }
                }
            }
        }
    }
    free(ap);
    return 0;
}
