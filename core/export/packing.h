#pragma once

// Bit-exact storage of quantized tensors as hardware holds them (docs/PACKED_FORMAT.md).
//
// The input is a row-major matrix whose rows were quantized by quantizeRows() with `format`
// (blocks/groups along each row). Encoding recovers the integer codes, the shared exponents
// (MXINT) or the fp16 scales and zero points (INT) from the dequantized values, and then checks
// that decoding gives back the very same floats: a value that is not on the format's grid is an
// error naming the tensor, row and block, never a silent approximation.
//
// Element codes of one row form a little-endian bit stream (element j occupies bits
// [j*w, (j+1)*w) counted from bit 0 of the row's first byte; for w = 4, element 2i is the low
// nibble of byte i) and every row starts on a byte boundary.

#include "core/common/expected.h"
#include "core/formats/quantformat.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace lqer {

struct PackedMatrix;

struct PackedTensor
{
    QuantFormat format;
    qint64 rows = 0;
    qint64 cols = 0;
    QByteArray codes; // rows x codeRowBytes(): MXINT / INT element codes
    QByteArray exponents; // MXINT: rows x blocksPerRow() bytes, the biased shared exponents
    QByteArray scales; // INT: rows x blocksPerRow() fp16 (little-endian)
    QByteArray zeros; // INT asym: rows x zeroRowBytes(), b-bit zero points as a bit stream
    QByteArray raw; // format None: rows x cols float32 (little-endian)

    // Elements per block / group (the whole row for INT group 0 or a block longer than the row).
    int blockLength() const;
    qint64 blocksPerRow() const;
    qint64 codeRowBytes() const;
    qint64 zeroRowBytes() const;
    // Bytes of all arrays together.
    qint64 payloadBytes() const;
};

// Bytes of a bit stream of `count` elements of `bits` bits, rounded up to a byte.
qint64 packedRowBytes(qint64 count, int bits);

// The stored exponent byte of an MXINT block: Lqer convention E + (2^(e-1) - 1); OCP E + 127
// (E8M0).
int mxExponentBias(const QuantFormat &format);

// Encodes `rows x cols` dequantized values (the output of quantizeRows with `format`).
Expected<PackedTensor> packRows(const float *values, qint64 rows, qint64 cols, const QuantFormat &format,
                                const QString &tensorName);

// The same bytes as packRows(m.dequantize(), format) for an MXINT matrix the kernels hold
// packed (codes and power-of-two exponents from the quantizer), without the round trip through
// floats: each block's stored exponent is the quantizer's (that of every block packRows finds
// for its values), an all-zero block stores the format's smallest exponent as packRows does.
// nullopt when `m` does not hold `format` (other kinds, widths or blocks): use packRows then.
std::optional<PackedTensor> packedTensorFromMatrix(const PackedMatrix &m, const QuantFormat &format);

// Decodes into `out` (rows x cols floats). Checks array sizes and code ranges; errors name
// `tensorName`.
Status unpackRows(const PackedTensor &packed, float *out, const QString &tensorName);

} // namespace lqer
