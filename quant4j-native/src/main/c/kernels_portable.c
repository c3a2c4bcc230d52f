/* Plain-C micro-kernels: the reference for layouts Q and W on any CPU (and the fallback). */
#include "q4j.h"

void q4j_kq_portable(const uint8_t *ap, const int8_t *bp, int kq, int32_t *acc) {
    for (int i = 0; i < Q_MR * Q_NR; i++) acc[i] = 0;
    for (int q = 0; q < kq; q++) {
        const uint8_t *a = ap + (int64_t) q * Q_MR * 4;
        const int8_t *b = bp + (int64_t) q * Q_NR * 4;
        for (int r = 0; r < Q_MR; r++)
            for (int j = 0; j < Q_NR; j++) {
                int32_t s = 0;
                for (int t = 0; t < 4; t++) s += (int32_t) a[r * 4 + t] * (int32_t) b[j * 4 + t];
                acc[r * Q_NR + j] = (int32_t) ((uint32_t) acc[r * Q_NR + j] + (uint32_t) s);
            }
    }
}
