/* Run-time CPU feature dispatch and the library's identity. */
#include "q4j.h"

Q4J_EXPORT int q4j_abi_version(void) { return 1; }

/* Highest ISA level this CPU (and OS, which must enable the register state) supports. */
Q4J_EXPORT int q4j_isa_best(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512vnni")) return ISA_AVX512VNNI;
    if (__builtin_cpu_supports("avxvnni") && __builtin_cpu_supports("avx2")) return ISA_AVXVNNI;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return ISA_AVX2;
#endif
    return ISA_PORTABLE;
}
