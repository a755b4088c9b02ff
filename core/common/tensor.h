#pragma once

// Matrix types of the engine. Weights keep the Hugging Face storage orientation
// (out, in), row-major, so a block of the weight quantizer (along the input dimension)
// is contiguous in memory (NUMERICS.md §1).

#include <Eigen/Core>

#include <cstdint>

namespace lqer {

using MatrixRM = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixRMd = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using VectorF = Eigen::VectorXf;
using VectorD = Eigen::VectorXd;

// The bits of a float and back (a memcpy, the one defined way to pun).
inline uint32_t floatBits(float f)
{
    uint32_t u;
    __builtin_memcpy(&u, &f, sizeof u);
    return u;
}

inline float bitsFloat(uint32_t u)
{
    float f;
    __builtin_memcpy(&f, &u, sizeof f);
    return f;
}

// IEEE 754 binary16 -> binary32, exact for every input including subnormals, Inf and NaN.
inline float halfToFloat(uint16_t h)
{
    const uint32_t sign = uint32_t(h & 0x8000u) << 16;
    uint32_t exponent = (h >> 10) & 0x1fu;
    uint32_t mantissa = h & 0x3ffu;
    uint32_t bits;
    if (exponent == 0) {
        if (mantissa == 0) {
            bits = sign;
        } else { // subnormal: normalise
            exponent = 127 - 15 + 1;
            while ((mantissa & 0x400u) == 0) {
                mantissa <<= 1;
                --exponent;
            }
            mantissa &= 0x3ffu;
            bits = sign | (exponent << 23) | (mantissa << 13);
        }
    } else if (exponent == 0x1f) {
        bits = sign | 0x7f800000u | (mantissa << 13);
    } else {
        bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
    }
    return bitsFloat(bits);
}

// binary32 -> binary16 with round-to-nearest-even, overflow to Inf, NaN kept NaN.
inline uint16_t floatToHalf(float f)
{
    const uint32_t x = floatBits(f);
    const uint16_t sign = uint16_t((x >> 16) & 0x8000u);
    const uint32_t absx = x & 0x7fffffffu;
    if (absx >= 0x7f800000u) // Inf or NaN
        return sign | 0x7c00u | (absx > 0x7f800000u ? 0x200u : 0u);
    if (absx >= 0x477ff000u) // rounds to >= 65520: overflow
        return sign | 0x7c00u;
    if (absx < 0x38800000u) { // below the smallest normal half: subnormal or zero
        if (absx < 0x33000000u) // < 2^-25 rounds to zero
            return sign;
        const uint32_t e = absx >> 23;
        const uint32_t m = (absx & 0x7fffffu) | 0x800000u;
        const int shift = int(126 - e); // 14 + (112 - (e - 127))... shift into half subnormal
        const uint32_t shifted = m >> (shift - 0);
        const uint32_t rem = m & ((1u << shift) - 1);
        const uint32_t halfway = 1u << (shift - 1);
        uint32_t r = shifted;
        if (rem > halfway || (rem == halfway && (r & 1u)))
            ++r;
        return sign | uint16_t(r);
    }
    uint32_t r = absx - 0x38000000u; // rebias exponent 127 -> 15
    const uint32_t rem = r & 0x1fffu;
    r >>= 13;
    if (rem > 0x1000u || (rem == 0x1000u && (r & 1u)))
        ++r;
    return sign | uint16_t(r);
}

inline float bf16ToFloat(uint16_t b)
{
    return bitsFloat(uint32_t(b) << 16);
}

// binary32 -> bfloat16 with round-to-nearest-even; NaN stays NaN.
inline uint16_t floatToBf16(float f)
{
    uint32_t x = floatBits(f);
    if ((x & 0x7fffffffu) > 0x7f800000u)
        return uint16_t((x >> 16) | 0x40u);
    const uint32_t lsb = (x >> 16) & 1u;
    x += 0x7fffu + lsb;
    return uint16_t(x >> 16);
}

} // namespace lqer
