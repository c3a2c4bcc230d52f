/* Run-time CPU feature dispatch and the library's identity. */
#include "q4j.h"

Q4J_EXPORT int q4j_abi_version(void) { return 1; }

/* Whether this CPU (and OS, which must enable the register state) can run an ISA level. The
 * levels do not nest: many AVX-512 VNNI CPUs lack the VEX-encoded AVX-VNNI. */
Q4J_EXPORT int q4j_isa_supported(int isa) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
    switch (isa) {
        case ISA_PORTABLE: return 1;
        case ISA_AVX2: return avx2;
        case ISA_AVXVNNI: return avx2 && __builtin_cpu_supports("avxvnni");
        case ISA_AVX512VNNI: return avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
                                    && __builtin_cpu_supports("avx512vnni");
        default: return 0;
    }
#else
    return isa == ISA_PORTABLE;
#endif
}

/* Highest supported ISA level. */
Q4J_EXPORT int q4j_isa_best(void) {
    for (int isa = ISA_AVX512VNNI; isa > ISA_PORTABLE; isa--)
        if (q4j_isa_supported(isa)) return isa;
    return ISA_PORTABLE;
}
