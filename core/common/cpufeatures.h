#pragma once

// The CPU features the vector kernels dispatch on, asked once per process. Every kernel with
// a vector path (core/kernels, core/linalg/panelproduct, the fp16 conversion in core/io) asks
// here, so "does this CPU run the AVX2 path" has one answer everywhere.
//
// AVX2 implies F16C on every CPU that has it (Intel since Haswell, AMD since Piledriver), and
// AVX2 is the feature GCC and clang can both test with __builtin_cpu_supports, so the fp16
// conversion keys on cpuHasAvx2Fma() too.

namespace lqer {

inline bool cpuHasAvx2Fma()
{
#if defined(__x86_64__) || defined(__i386__)
    static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return has;
#else
    return false;
#endif
}

// AVX-512 F/VL (the fp32 kernels' 512-bit tiles).
inline bool cpuHasAvx512F()
{
#if defined(__x86_64__) || defined(__i386__)
    static const bool has = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl");
    return has;
#else
    return false;
#endif
}

// AVX-512 F/BW/VL + VNNI (the dpbusd integer kernel).
inline bool cpuHasAvx512Vnni()
{
#if defined(__x86_64__) || defined(__i386__)
    static const bool has = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
    return has;
#else
    return false;
#endif
}

} // namespace lqer
