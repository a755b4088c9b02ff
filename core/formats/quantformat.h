#pragma once

// Number formats of NUMERICS.md §2-3. Every quantizer runs along rows of a row-major
// (rows x cols) matrix: for a weight stored (out, in), blocks/groups lie along the input
// (reduction) dimension; for activations (tokens, features), along features.
//
// Each format has a plain reference implementation (quantizeRowsReference) and a fast one
// (quantizeRows); tests/formats checks they agree bit for bit.

#include "core/common/expected.h"
#include "core/common/tensor.h"

#include <QString>

#include <bit>
#include <cstdint>

namespace lqer {

enum class FormatKind {
    None, // full precision (fp32), no quantization
    MxInt, // block floating point: shared exponent per block, sign-magnitude elements
    IntSym, // symmetric integer per group, fp16 scale
    IntAsym, // asymmetric integer per group (GPTQ/AWQ style), fp16 scale + zero point
    Q4_0, // ggml q4_0: 32-element blocks, fp16 scale, 4-bit codes (NUMERICS.md §9, ggmlblocks.h)
    Q8_0, // ggml q8_0: 32-element blocks, fp16 scale, int8 codes; also llama.cpp's activations
    F16, // IEEE half precision, round to nearest even (ggml's F16 tensors)
};

enum class MxConvention {
    Lqer, // official LQER code: E = ceil(log2 amax), round half even, sign-magnitude (default)
    Ocp, // OCP MX v1.0: E = floor(log2 amax), two's complement, round half away, E8M0
};

struct QuantFormat
{
    FormatKind kind = FormatKind::None;
    int bits = 16; // element bits w (sign included) or integer bits b
    int expBits = 8; // MXINT shared exponent bits e
    int block = 16; // MXINT block size B or INT group size g (0 = whole row)
    MxConvention convention = MxConvention::Lqer;

    static QuantFormat none() { return QuantFormat(); }
    static QuantFormat mxint(int w, int e = 8, int block = 16, MxConvention c = MxConvention::Lqer)
    {
        return QuantFormat {FormatKind::MxInt, w, e, block, c};
    }
    static QuantFormat intSym(int b, int group) { return QuantFormat {FormatKind::IntSym, b, 0, group}; }
    static QuantFormat intAsym(int b, int group) { return QuantFormat {FormatKind::IntAsym, b, 0, group}; }
    static QuantFormat q4_0() { return QuantFormat {FormatKind::Q4_0, 4, 0, 32}; }
    static QuantFormat q8_0() { return QuantFormat {FormatKind::Q8_0, 8, 0, 32}; }
    static QuantFormat f16() { return QuantFormat {FormatKind::F16, 16, 0, 0}; }

    bool isQuantized() const { return kind != FormatKind::None; }
    // ggml's formats (q4_0, q8_0, f16): fixed layouts, llama.cpp can run them.
    bool isGgml() const
    {
        return kind == FormatKind::Q4_0 || kind == FormatKind::Q8_0 || kind == FormatKind::F16;
    }
    // Average storage bits per element (NUMERICS.md §8): MXINT w + e/B; INT b + 16/g
    // (fp16 scale), asymmetric also + b/g for the zero point; None 16 (fp16 baseline);
    // q4_0 4.5 and q8_0 8.5 (an fp16 scale per 32), f16 16.
    double bitsPerElement() const;
    // "mxint4_e8_b16", "mxint4_e8_b32_ocp", "int4_g128_sym", "int4_g128_asym", "fp32".
    QString toString() const;
    // Accepts the toString() spelling and the short forms "mxint4", "int8", "none"/"fp32".
    static Expected<QuantFormat> parse(const QString &text);
    // A validity check: bit widths 2..8 for MXINT (2..16 INT), block >= 1, e in 1..8.
    Status validate() const;

    bool operator==(const QuantFormat &o) const = default;
};

// Quantizes each row of `in` (rows x cols, row-major) and writes the dequantized values to
// `out` (may equal `in`). Fails, naming `tensorName` and the flat element index, on NaN/Inf.
Status quantizeRowsReference(const float *in, float *out, qint64 rows, qint64 cols, const QuantFormat &format,
                             const QString &tensorName);
Status quantizeRows(const float *in, float *out, qint64 rows, qint64 cols, const QuantFormat &format,
                    const QString &tensorName);

// Convenience: a quantized copy of a matrix (fast path).
Expected<MatrixRM> quantizeMatrix(const MatrixRM &m, const QuantFormat &format, const QString &tensorName);

// One element of a block as the reference quantizer sees it: `scaled` is the value in units
// of the step before rounding (MXINT LQER: |x| · 2^(w-1) / 2^E, sign-magnitude; OCP and INT:
// signed; INT asymmetric: x / scale + zero point), `rounded` after rounding, `code` after the
// clamp to the representable codes, `value` the reconstruction the quantizer outputs.
struct ElementCode
{
    double scaled = 0;
    double rounded = 0;
    double code = 0;
    bool negative = false;
    float value = 0;
};

// What one block shares: the exponent (MXINT: E after its clamp, `rawExponent` before), the
// step one code is worth (MXINT 2^(E-(w-1)) or OCP 2^(E-(w-2)); INT the fp16 scale), the
// zero point (INT asymmetric) and the code range.
struct BlockCodes
{
    bool zero = false; // an all-zero block (or zero scale): every element decodes to 0
    float amax = 0;
    int exponent = 0;
    int rawExponent = 0;
    double step = 0;
    double zeroPoint = 0;
    double minCode = 0;
    double maxCode = 0;
};

// The reference quantizer of one block of `n` finite values, element by element: fills
// codes[0..n) and returns what the block shares. quantizeRowsReference outputs codes[i].value.
BlockCodes referenceBlockCodes(const float *in, int n, const QuantFormat &format, ElementCode *codes);

// Finds the first non-finite value; returns -1 if all are finite.
qint64 firstNonFinite(const float *data, qint64 count);

// floor(log2 a) and ceil(log2 a) for finite a > 0, subnormals included: exact, from the bits
// (no libm rounding). The block quantizers' shared exponents.
inline int floorLog2(float a)
{
    const uint32_t bits = std::bit_cast<uint32_t>(a) & 0x7fffffffu;
    if (bits >= 0x00800000u)
        return int(bits >> 23) - 127; // normal: the biased exponent
    return std::bit_width(bits) - 150; // subnormal: the highest set bit of the mantissa
}

inline int ceilLog2(float a)
{
    const uint32_t bits = std::bit_cast<uint32_t>(a) & 0x7fffffffu;
    const bool powerOfTwo = bits >= 0x00800000u ? (bits & 0x7fffffu) == 0 : std::has_single_bit(bits);
    return floorLog2(a) + (powerOfTwo ? 0 : 1);
}

} // namespace lqer
