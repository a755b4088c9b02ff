#include "packedmatrix.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace lqer {

int effectiveBlock(int block, qint64 cols)
{
    if (block <= 0 || block > cols)
        return int(std::max<qint64>(cols, 1));
    return block;
}

namespace {

// Writes codes[0..n) to elements (r, c0 .. c0 + n) of a freshly zeroed matrix (nibble bytes
// start at 0x88, i.e. two zero codes).
void putCodes(PackedMatrix &m, qint64 r, qint64 c0, const int *codes, int n)
{
    uint8_t *row = m.codes.data() + r * m.rowBytes();
    if (!m.nibbles()) {
        for (int j = 0; j < n; ++j)
            row[c0 + j] = uint8_t(int8_t(codes[j]));
        return;
    }
    for (int j = 0; j < n; ++j) {
        const qint64 c = c0 + j;
        const qint64 lane = c & 31;
        uint8_t &byte = row[(c >> 5) * 16 + (lane & 15)];
        const uint8_t nibble = uint8_t(codes[j] + 8);
        byte = lane < 16 ? uint8_t((byte & 0xf0) | nibble) : uint8_t((byte & 0x0f) | (nibble << 4));
    }
}

// The codes of one block of `n` values for a power-of-two scale: the smallest step 2^s that
// keeps every code within qmax (never below 2^-149, the smallest float step). False when a
// value is not a multiple of the step (the values did not come from the format).
// Scaling by a power of two is exact in double (no rounding, no overflow for float inputs), so
// one multiplication per element replaces ldexp; the check that the code decodes to the value
// multiplies by the float step exactly as the kernels and dequantizeRows do.
bool pow2Codes(const float *x, int n, int qmax, int bits, int *codes, int &exponent)
{
    float amax = 0.0f;
    for (int i = 0; i < n; ++i)
        amax = std::max(amax, std::fabs(x[i]));
    exponent = 0;
    if (amax == 0.0f) {
        std::fill(codes, codes + n, 0);
        return true;
    }
    exponent = std::max(floorLog2(amax) - (bits - 2), -149);
    const double inverse = std::ldexp(1.0, -exponent);
    const float step = exactPow2(exponent);
    const double limit = double(qmax);
    for (int i = 0; i < n; ++i) {
        const double c = double(x[i]) * inverse;
        if (!(std::fabs(c) <= limit))
            return false;
        const int code = int(c);
        if (double(code) != c || float(code) * step != x[i])
            return false;
        codes[i] = code;
    }
    return true;
}

// The codes of one INT group: scale = amax / qmax (the fp16 scale the quantizer used, as the
// largest magnitude is always the full code).
bool floatCodes(const float *x, int n, int qmax, int *codes, float &scale)
{
    float amax = 0.0f;
    for (int i = 0; i < n; ++i)
        amax = std::max(amax, std::fabs(x[i]));
    scale = amax / float(qmax);
    if (amax == 0.0f) {
        std::fill(codes, codes + n, 0);
        return true;
    }
    for (int i = 0; i < n; ++i) {
        const float c = std::nearbyint(x[i] / scale);
        if (std::fabs(c) > float(qmax) || c * scale != x[i])
            return false;
        codes[i] = int(c);
    }
    return true;
}

} // namespace

bool isPackable(const QuantFormat &format)
{
    return (format.kind == FormatKind::MxInt || format.kind == FormatKind::IntSym) && format.bits >= 2
        && format.bits <= 8 && format.validate();
}

int PackedMatrix::code(qint64 r, qint64 c) const
{
    const uint8_t *row = codes.data() + r * rowBytes();
    if (!nibbles())
        return int(int8_t(row[c]));
    const qint64 chunk = c / 32, lane = c % 32;
    const uint8_t byte = row[chunk * 16 + lane % 16];
    return int(lane < 16 ? (byte & 0x0f) : (byte >> 4)) - 8;
}

size_t PackedMatrix::bytes() const
{
    return codes.size() + exponents.size() * sizeof(int16_t) + scales.size() * sizeof(float);
}

void PackedMatrix::dequantizeRows(qint64 r0, qint64 r1, float *out) const
{
    for (qint64 r = r0; r < r1; ++r) {
        float *dst = out + (r - r0) * cols;
        for (qint64 b = 0; b < blocksPerRow(); ++b) {
            const float s = blockScale(r, b);
            const qint64 end = std::min(cols, (b + 1) * block);
            for (qint64 c = b * block; c < end; ++c)
                dst[c] = float(code(r, c)) * s;
        }
    }
}

MatrixRM PackedMatrix::dequantize() const
{
    MatrixRM m(rows, cols);
    dequantizeRows(0, rows, m.data());
    return m;
}

std::optional<PackedMatrix> packQuantizedRows(const float *values, qint64 rows, qint64 cols,
                                              const QuantFormat &format)
{
    if (!isPackable(format) || rows <= 0 || cols <= 0)
        return std::nullopt;
    PackedMatrix m;
    m.rows = rows;
    m.cols = cols;
    m.bits = format.bits;
    m.block = effectiveBlock(format.block, cols);
    m.scaleKind = format.kind == FormatKind::MxInt ? PackedScale::Pow2 : PackedScale::Float;
    m.codes.assign(size_t(rows * m.rowBytes()), m.nibbles() ? uint8_t(0x88) : uint8_t(0));
    if (m.scaleKind == PackedScale::Pow2)
        m.exponents.resize(size_t(rows * m.blocksPerRow()));
    else
        m.scales.resize(size_t(rows * m.blocksPerRow()));
    const int qmax = (1 << (format.bits - 1)) - 1;
    std::vector<int> codes(size_t(m.block));
    for (qint64 r = 0; r < rows; ++r) {
        for (qint64 b = 0; b < m.blocksPerRow(); ++b) {
            const qint64 c0 = b * m.block;
            const int n = int(std::min<qint64>(m.block, cols - c0));
            const float *x = values + r * cols + c0;
            const size_t i = size_t(r * m.blocksPerRow() + b);
            bool ok;
            if (m.scaleKind == PackedScale::Pow2) {
                int e = 0;
                ok = pow2Codes(x, n, qmax, format.bits, codes.data(), e);
                m.exponents[i] = int16_t(e);
            } else {
                ok = floatCodes(x, n, qmax, codes.data(), m.scales[i]);
            }
            if (!ok)
                return std::nullopt;
            putCodes(m, r, c0, codes.data(), n);
        }
    }
    return m;
}

} // namespace lqer
