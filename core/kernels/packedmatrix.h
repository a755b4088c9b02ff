#pragma once

// A quantized matrix held as integer codes instead of fp32 (NUMERICS.md §2-3): each row is
// cut into blocks (MXINT) or groups (symmetric INT) along the columns, every element is a
// signed code in [-(2^(b-1)-1), 2^(b-1)-1], and each block shares a scale: a power of two
// 2^exponent (MXINT, both conventions) or an fp32 scale (INT, the fp16 scale widened).
// value = code · scale, exactly the value the fp32 quantizer produced.
//
// Storage: codes of at most 4 bits are nibble-packed, two per byte; wider codes take a byte.
// A row is padded with zero codes to a multiple of 32 elements, and a 32-element chunk of a
// nibble row is 16 bytes whose low nibbles are elements 0..15 and high nibbles elements
// 16..31, stored as code + 8 (so a chunk unpacks with one mask and one shift). A 4096 x 11008
// MXINT4 weight takes 0.5 byte per element plus a 16-bit exponent per 16 elements.

#include "core/common/tensor.h"
#include "core/formats/quantformat.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <optional>
#include <memory>
#include <vector>

namespace lqer {

enum class PackedScale {
    Pow2, // MXINT: scale = 2^exponents[block]
    Float, // symmetric INT: scale = scales[block]
};

struct KernelTiles;

struct PackedMatrix
{
    qint64 rows = 0;
    qint64 cols = 0;
    int bits = 0; // code width, sign included (2..8)
    int block = 0; // columns per block (the last block of a row may be shorter)
    PackedScale scaleKind = PackedScale::Pow2;
    std::vector<uint8_t> codes; // rows x rowBytes()
    std::vector<int16_t> exponents; // Pow2: rows x blocksPerRow()
    std::vector<float> scales; // Float: rows x blocksPerRow()
    // The AVX-512 VNNI kernel's unpacked tiles of these codes, when prepareKernelTiles made them
    // (before any product runs; the products then read instead of unpacking).
    mutable std::shared_ptr<const KernelTiles> kernelTiles;

    bool empty() const { return rows == 0; }
    bool nibbles() const { return bits <= 4; }
    qint64 paddedCols() const { return (cols + 31) / 32 * 32; }
    qint64 rowBytes() const { return nibbles() ? paddedCols() / 2 : paddedCols(); }
    qint64 blocksPerRow() const { return block > 0 ? (cols + block - 1) / block : 0; }
    // The scale of block `b` of row `r`.
    inline float blockScale(qint64 r, qint64 b) const;
    // The code of element (r, c), as a signed integer.
    int code(qint64 r, qint64 c) const;
    // Heap bytes held (codes and scales).
    size_t bytes() const;

    // Writes rows [r0, r1) as fp32 values to out ((r1 - r0) x cols, row-major).
    void dequantizeRows(qint64 r0, qint64 r1, float *out) const;
    MatrixRM dequantize() const;
};

// 2^e as a float, exactly: built from the exponent bits in the normal range, ldexp outside it
// (subnormal or zero below, infinity above). The kernels' scales are powers of two.
inline float exactPow2(int e)
{
    if (e < -126 || e > 127)
        return std::ldexp(1.0f, e);
    return std::bit_cast<float>(uint32_t(e + 127) << 23);
}

inline float PackedMatrix::blockScale(qint64 r, qint64 b) const
{
    const qint64 i = r * blocksPerRow() + b;
    return scaleKind == PackedScale::Pow2 ? exactPow2(exponents[size_t(i)]) : scales[size_t(i)];
}

// The block a format gives rows of `cols` columns: `block`, or the whole row when it is 0 or
// longer (as quantizeRows cuts them).
int effectiveBlock(int block, qint64 cols);

// Whether values quantized with `format` along rows can be held packed: MXINT (either
// convention) and symmetric INT with at most 8 bits.
bool isPackable(const QuantFormat &format);

// Packs a rows x cols row-major matrix whose rows already hold the values `format` produces
// (the output of quantizeRows). The codes are derived from the values and every element is
// checked to decode to itself exactly: a value the format cannot produce (or a format that
// cannot be packed) gives nullopt, and the caller keeps fp32.
std::optional<PackedMatrix> packQuantizedRows(const float *values, qint64 rows, qint64 cols,
                                              const QuantFormat &format);

} // namespace lqer
