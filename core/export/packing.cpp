#include "packing.h"

#include "core/common/tensor.h"
#include "core/kernels/packedmatrix.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace lqer {

namespace {

// The decoders below must reproduce the quantizer's final multiplication exactly: in float when
// the step 2^k is a normal float (its fast path), else in double rounded once to float (the
// reference path it falls back to for extreme exponents).
inline float scaleByPow2(double q, int k)
{
    if (k >= -126 && k <= 127)
        return float(q) * std::ldexp(1.0f, k);
    return float(q * std::ldexp(1.0, k));
}

// Zeros compare equal whatever their sign: only the MXINT Lqer codes (sign-magnitude) can
// carry -0, the two's complement and integer codes decode every zero to +0.
inline bool sameValue(float a, float b, bool signedZero)
{
    if (signedZero)
        return floatBits(a) == floatBits(b);
    return a == 0.0f ? b == 0.0f : floatBits(a) == floatBits(b);
}

inline void putBits(uchar *row, qint64 index, int bits, uint32_t value)
{
    qint64 bit = index * bits;
    int done = 0;
    while (done < bits) {
        const int shift = int(bit & 7);
        const int take = std::min(8 - shift, bits - done);
        const uint32_t mask = (1u << take) - 1u;
        row[bit >> 3] = uchar(row[bit >> 3] | (((value >> done) & mask) << shift));
        bit += take;
        done += take;
    }
}

inline uint32_t getBits(const uchar *row, qint64 index, int bits)
{
    qint64 bit = index * bits;
    int done = 0;
    uint32_t value = 0;
    while (done < bits) {
        const int shift = int(bit & 7);
        const int take = std::min(8 - shift, bits - done);
        const uint32_t mask = (1u << take) - 1u;
        value |= ((uint32_t(row[bit >> 3]) >> shift) & mask) << done;
        bit += take;
        done += take;
    }
    return value;
}

inline int32_t signExtend(uint32_t code, int bits)
{
    const uint32_t signBit = 1u << (bits - 1);
    return int32_t(code ^ signBit) - int32_t(signBit);
}

// ---- MXINT -------------------------------------------------------------------------------

inline float decodeMx(uint32_t code, int E, const QuantFormat &f)
{
    if (f.convention == MxConvention::Lqer) {
        const uint32_t magnitudeMask = (1u << (f.bits - 1)) - 1u;
        const float v = scaleByPow2(double(code & magnitudeMask), E - (f.bits - 1));
        return (code >> (f.bits - 1)) ? -v : v;
    }
    return scaleByPow2(double(signExtend(code, f.bits)), E - (f.bits - 2));
}

// The stored code of integer q: sign-magnitude (Lqer; `negative` sets the sign bit, so -0 keeps
// it) or two's complement (OCP), w bits.
inline uint32_t mxCode(int32_t q, bool negative, const QuantFormat &f)
{
    if (f.convention == MxConvention::Lqer)
        return uint32_t(std::abs(q)) | (negative ? 1u << (f.bits - 1) : 0u);
    return uint32_t(q) & ((1u << f.bits) - 1u);
}

// The shared exponents E a format can store: [-bias, 2^e - 1 - bias] (Lqer), [-127, 127] (OCP).
struct MxExponentRange
{
    int emin, emax;
};
inline MxExponentRange mxExponentRange(const QuantFormat &f)
{
    if (f.convention == MxConvention::Lqer) {
        const int bias = mxExponentBias(f);
        return {-bias, (1 << f.expBits) - 1 - bias};
    }
    return {-127, 127};
}

// Tries one shared exponent for a block; fills `codes` and returns true when every value is
// reproduced exactly.
bool tryMxExponent(const float *x, int n, int E, const QuantFormat &f, uint32_t *codes)
{
    const bool lqer = f.convention == MxConvention::Lqer;
    const int k = lqer ? E - (f.bits - 1) : E - (f.bits - 2);
    const double qmax = double((1 << (f.bits - 1)) - 1);
    for (int i = 0; i < n; ++i) {
        const double q = std::ldexp(double(x[i]), -k); // exact: a power-of-two scaling
        const double r = std::nearbyint(q);
        if (std::fabs(r) > qmax)
            return false;
        const uint32_t code = mxCode(int32_t(r), std::signbit(x[i]), f);
        if (!sameValue(x[i], decodeMx(code, E, f), lqer))
            return false;
        codes[i] = code;
    }
    return true;
}

Status packMxBlock(const float *x, int n, const QuantFormat &f, uint32_t *codes, uchar *exponentByte)
{
    const bool lqer = f.convention == MxConvention::Lqer;
    const int bias = mxExponentBias(f);
    const auto [emin, emax] = mxExponentRange(f);
    float amax = 0.0f;
    for (int i = 0; i < n; ++i)
        amax = std::max(amax, std::fabs(x[i]));
    if (amax == 0.0f) {
        // A zero block: any exponent decodes to zero; keep the signs of -0 (Lqer codes).
        *exponentByte = uchar(emin + bias);
        for (int i = 0; i < n; ++i)
            codes[i] = lqer && std::signbit(x[i]) ? 1u << (f.bits - 1) : 0u;
        return {};
    }
    // The quantizer's exponent is ceil(log2 amax) (Lqer) / floor (OCP) of the ORIGINAL block;
    // rounding moves the decoded maximum by at most one binade, so a neighbour is enough.
    const int e0 = lqer ? ceilLog2(amax) : floorLog2(amax);
    const int candidates[] = {e0, e0 + 1, e0 - 1, emin};
    for (int E : candidates) {
        if (E < emin || E > emax)
            continue;
        if (tryMxExponent(x, n, E, f, codes)) {
            *exponentByte = uchar(E + bias);
            return {};
        }
    }
    return makeError(QString());
}

// ---- INT -----------------------------------------------------------------------------------

inline float decodeInt(int32_t q, float zp, float scale)
{
    return (float(q) - zp) * scale; // the quantizer's (q - zp) * scale
}

bool tryIntScale(const float *x, int n, float scale, const QuantFormat &f, uint32_t *codes, int *zeroPoint)
{
    if (!(scale > 0.0f) || !std::isfinite(scale))
        return false;
    const bool symmetric = f.kind == FormatKind::IntSym;
    double dmin = 0, dmax = 0;
    for (int i = 0; i < n; ++i) {
        const double d = std::nearbyint(double(x[i]) / double(scale));
        dmin = std::min(dmin, d);
        dmax = std::max(dmax, d);
    }
    int zp = 0;
    if (symmetric) {
        const double qmax = double((1 << (f.bits - 1)) - 1);
        if (dmax > qmax || -dmin > qmax)
            return false;
    } else {
        const double levels = double((1 << f.bits) - 1);
        if (dmax - dmin > levels)
            return false;
        zp = int(-dmin); // the quantizer's zp = round(-min/scale) with the range including 0
    }
    for (int i = 0; i < n; ++i) {
        const int32_t d = int32_t(std::nearbyint(double(x[i]) / double(scale)));
        if (!sameValue(x[i], decodeInt(d + zp, float(zp), scale), false))
            return false;
        codes[i] = symmetric ? uint32_t(d) & ((1u << f.bits) - 1u) : uint32_t(d + zp);
    }
    *zeroPoint = zp;
    return true;
}

Status packIntGroup(const float *x, int n, const QuantFormat &f, uint32_t *codes, uint16_t *scaleHalf,
                    int *zeroPoint)
{
    const bool symmetric = f.kind == FormatKind::IntSym;
    float lo = 0.0f, hi = 0.0f;
    for (int i = 0; i < n; ++i) {
        lo = std::min(lo, x[i]);
        hi = std::max(hi, x[i]);
    }
    const double range = symmetric ? std::max(-double(lo), double(hi)) : double(hi) - double(lo);
    if (range == 0.0) {
        *scaleHalf = 0;
        *zeroPoint = 0;
        std::fill(codes, codes + n, 0u);
        return {};
    }
    // The quantizer's scale is fp16(range/levels) of the original group; the decoded extremes
    // sit within a step or two of the original ones, so the number of steps spanned is one of
    // the few values below `levels`. Each candidate scale is an fp16 value (and its fp16
    // neighbours, against double rounding); the first that reproduces every value wins.
    const int levels = symmetric ? (1 << (f.bits - 1)) - 1 : (1 << f.bits) - 1;
    for (int steps = levels; steps >= std::max(1, levels - 4); --steps) {
        const uint16_t h = floatToHalf(float(range / steps));
        for (int delta = 0; delta <= 2; ++delta) {
            const int signedDelta = delta == 2 ? -1 : delta;
            const int candidate = int(h) + signedDelta;
            if (candidate <= 0 || candidate >= 0x7c00)
                continue;
            if (tryIntScale(x, n, halfToFloat(uint16_t(candidate)), f, codes, zeroPoint)) {
                *scaleHalf = uint16_t(candidate);
                return {};
            }
        }
    }
    return makeError(QString());
}

Status sizeError(const QString &name, const char *what, qint64 have, qint64 want)
{
    return makeError(QStringLiteral("packed tensor '%1': %2 has %3 bytes, expected %4")
                         .arg(name, QLatin1String(what))
                         .arg(have)
                         .arg(want));
}

} // namespace

int mxExponentBias(const QuantFormat &format)
{
    if (format.convention == MxConvention::Ocp)
        return 127;
    return (1 << (format.expBits - 1)) - 1;
}

qint64 packedRowBytes(qint64 count, int bits)
{
    return (count * bits + 7) / 8;
}

int PackedTensor::blockLength() const
{
    if (format.block <= 0 || format.block > cols)
        return int(std::max<qint64>(cols, 1));
    return format.block;
}

qint64 PackedTensor::blocksPerRow() const
{
    if (cols == 0)
        return 0;
    const qint64 b = blockLength();
    return (cols + b - 1) / b;
}

qint64 PackedTensor::codeRowBytes() const
{
    return packedRowBytes(cols, format.bits);
}

qint64 PackedTensor::zeroRowBytes() const
{
    return packedRowBytes(blocksPerRow(), format.bits);
}

qint64 PackedTensor::payloadBytes() const
{
    return codes.size() + exponents.size() + scales.size() + zeros.size() + raw.size();
}

Expected<PackedTensor> packRows(const float *values, qint64 rows, qint64 cols, const QuantFormat &format,
                                const QString &tensorName)
{
    if (Status s = format.validate(); !s)
        return makeError(QStringLiteral("tensor '%1': %2").arg(tensorName, s.error()));
    if (format.isGgml())
        return makeError(QStringLiteral("tensor '%1': %2 is a ggml format, which the packed checkpoint does "
                                        "not store; export with --format gguf")
                             .arg(tensorName, format.toString()));
    if (rows < 0 || cols < 0)
        return makeError(QStringLiteral("tensor '%1': negative shape").arg(tensorName));
    if (const qint64 bad = firstNonFinite(values, rows * cols); bad >= 0)
        return makeError(
            QStringLiteral("tensor '%1': non-finite value at element %2").arg(tensorName).arg(bad));

    PackedTensor p;
    p.format = format;
    p.rows = rows;
    p.cols = cols;
    if (!format.isQuantized()) {
        p.raw = QByteArray(reinterpret_cast<const char *>(values), qsizetype(sizeof(float) * rows * cols));
        return p;
    }

    const int block = p.blockLength();
    const qint64 blocks = p.blocksPerRow();
    const qint64 rowBytes = p.codeRowBytes();
    p.codes = QByteArray(qsizetype(rows * rowBytes), '\0');
    const bool mx = format.kind == FormatKind::MxInt;
    if (mx)
        p.exponents = QByteArray(qsizetype(rows * blocks), '\0');
    else
        p.scales = QByteArray(qsizetype(rows * blocks * 2), '\0');
    if (format.kind == FormatKind::IntAsym)
        p.zeros = QByteArray(qsizetype(rows * p.zeroRowBytes()), '\0');

    std::vector<uint32_t> codes(static_cast<size_t>(block));
    for (qint64 r = 0; r < rows; ++r) {
        const float *row = values + r * cols;
        uchar *codeRow = reinterpret_cast<uchar *>(p.codes.data()) + r * rowBytes;
        for (qint64 b = 0; b < blocks; ++b) {
            const qint64 c0 = b * block;
            const int n = int(std::min<qint64>(block, cols - c0));
            Status s;
            if (mx) {
                s = packMxBlock(row + c0, n, format, codes.data(),
                                reinterpret_cast<uchar *>(p.exponents.data()) + r * blocks + b);
            } else {
                uint16_t half = 0;
                int zp = 0;
                s = packIntGroup(row + c0, n, format, codes.data(), &half, &zp);
                uchar *scale = reinterpret_cast<uchar *>(p.scales.data()) + 2 * (r * blocks + b);
                scale[0] = uchar(half & 0xff); // little-endian, as safetensors stores F16
                scale[1] = uchar(half >> 8);
                if (format.kind == FormatKind::IntAsym)
                    putBits(reinterpret_cast<uchar *>(p.zeros.data()) + r * p.zeroRowBytes(), b, format.bits,
                            uint32_t(zp));
            }
            if (!s)
                return makeError(
                    QStringLiteral("tensor '%1': row %2, block %3 (columns %4..%5) is not on the "
                                   "%6 grid; was it quantized with this format?")
                        .arg(tensorName)
                        .arg(r)
                        .arg(b)
                        .arg(c0)
                        .arg(c0 + n - 1)
                        .arg(format.toString()));
            for (int i = 0; i < n; ++i)
                putBits(codeRow, c0 + i, format.bits, codes[size_t(i)]);
        }
    }
    return p;
}

std::optional<PackedTensor> packedTensorFromMatrix(const PackedMatrix &m, const QuantFormat &format)
{
    PackedTensor p;
    p.format = format;
    p.rows = m.rows;
    p.cols = m.cols;
    if (format.kind != FormatKind::MxInt || !format.validate() || m.scaleKind != PackedScale::Pow2
        || m.bits != format.bits || m.block != p.blockLength())
        return std::nullopt;
    const int bits = format.bits, bias = mxExponentBias(format);
    const auto [emin, emax] = mxExponentRange(format);
    const int stepToE = format.convention == MxConvention::Lqer ? bits - 1 : bits - 2; // E = step + this
    const qint64 blocks = p.blocksPerRow(), rowBytes = p.codeRowBytes();
    p.codes = QByteArray(qsizetype(m.rows * rowBytes), '\0');
    p.exponents = QByteArray(qsizetype(m.rows * blocks), '\0');
    std::vector<int> row(size_t(m.cols));
    std::vector<float> values(size_t(m.block));
    std::vector<uint32_t> codes(size_t(m.block));
    for (qint64 r = 0; r < m.rows; ++r) {
        for (qint64 c = 0; c < m.cols; ++c)
            row[size_t(c)] = m.code(r, c);
        uchar *codeRow = reinterpret_cast<uchar *>(p.codes.data()) + r * rowBytes;
        for (qint64 b = 0; b < blocks; ++b) {
            const qint64 c0 = b * m.block, c1 = std::min(m.cols, c0 + m.block);
            const int step = m.exponents[size_t(r * blocks + b)];
            bool zero = true;
            for (qint64 c = c0; c < c1; ++c)
                zero = zero && row[size_t(c)] == 0;
            const int E = zero ? emin : step + stepToE;
            uchar *exponent = reinterpret_cast<uchar *>(p.exponents.data()) + r * blocks + b;
            if (E < emin || E > emax) {
                // Codes derived from tiny values may sit on a step below the format's smallest
                // exponent: encode this block from its values, as packRows does.
                const int n = int(c1 - c0);
                for (int i = 0; i < n; ++i)
                    values[size_t(i)] = scaleByPow2(double(row[size_t(c0 + i)]), step);
                if (!packMxBlock(values.data(), n, format, codes.data(), exponent))
                    return std::nullopt;
                for (int i = 0; i < n; ++i)
                    putBits(codeRow, c0 + i, bits, codes[size_t(i)]);
                continue;
            }
            for (qint64 c = c0; c < c1; ++c)
                putBits(codeRow, c, bits, mxCode(row[size_t(c)], row[size_t(c)] < 0, format));
            *exponent = uchar(E + bias);
        }
    }
    return p;
}

Status unpackRows(const PackedTensor &p, float *out, const QString &tensorName)
{
    if (Status s = p.format.validate(); !s)
        return makeError(QStringLiteral("packed tensor '%1': %2").arg(tensorName, s.error()));
    const qint64 rows = p.rows, cols = p.cols;
    if (!p.format.isQuantized()) {
        if (p.raw.size() != rows * cols * qint64(sizeof(float)))
            return sizeError(tensorName, "the fp32 data", p.raw.size(), rows * cols * qint64(sizeof(float)));
        std::memcpy(out, p.raw.constData(), size_t(p.raw.size()));
        return {};
    }
    const int block = p.blockLength();
    const qint64 blocks = p.blocksPerRow();
    const qint64 rowBytes = p.codeRowBytes();
    const bool mx = p.format.kind == FormatKind::MxInt;
    const bool asym = p.format.kind == FormatKind::IntAsym;
    if (p.codes.size() != rows * rowBytes)
        return sizeError(tensorName, "the code array", p.codes.size(), rows * rowBytes);
    if (mx && p.exponents.size() != rows * blocks)
        return sizeError(tensorName, "the exponent array", p.exponents.size(), rows * blocks);
    if (!mx && p.scales.size() != rows * blocks * 2)
        return sizeError(tensorName, "the scale array", p.scales.size(), rows * blocks * 2);
    if (asym && p.zeros.size() != rows * p.zeroRowBytes())
        return sizeError(tensorName, "the zero-point array", p.zeros.size(), rows * p.zeroRowBytes());

    const int bias = mx ? mxExponentBias(p.format) : 0;
    const int emaxCode = p.format.convention == MxConvention::Ocp ? 254 : (1 << p.format.expBits) - 1;
    for (qint64 r = 0; r < rows; ++r) {
        const uchar *codeRow = reinterpret_cast<const uchar *>(p.codes.constData()) + r * rowBytes;
        float *dst = out + r * cols;
        for (qint64 b = 0; b < blocks; ++b) {
            const qint64 c0 = b * block;
            const int n = int(std::min<qint64>(block, cols - c0));
            if (mx) {
                const int code = reinterpret_cast<const uchar *>(p.exponents.constData())[r * blocks + b];
                if (code > emaxCode)
                    return makeError(QStringLiteral("packed tensor '%1': row %2, block %3: exponent code %4 "
                                                    "is out of range for %5")
                                         .arg(tensorName)
                                         .arg(r)
                                         .arg(b)
                                         .arg(code)
                                         .arg(p.format.toString()));
                const int E = code - bias;
                for (int i = 0; i < n; ++i)
                    dst[c0 + i] = decodeMx(getBits(codeRow, c0 + i, p.format.bits), E, p.format);
            } else {
                const uchar *s = reinterpret_cast<const uchar *>(p.scales.constData()) + 2 * (r * blocks + b);
                const float scale = halfToFloat(uint16_t(s[0] | (s[1] << 8)));
                if (!std::isfinite(scale))
                    return makeError(QStringLiteral("packed tensor '%1': row %2, group %3: non-finite scale")
                                         .arg(tensorName)
                                         .arg(r)
                                         .arg(b));
                int zp = 0;
                if (asym)
                    zp = int(
                        getBits(reinterpret_cast<const uchar *>(p.zeros.constData()) + r * p.zeroRowBytes(),
                                b, p.format.bits));
                for (int i = 0; i < n; ++i) {
                    const uint32_t code = getBits(codeRow, c0 + i, p.format.bits);
                    const int32_t q = asym ? int32_t(code) : signExtend(code, p.format.bits);
                    dst[c0 + i] = decodeInt(q, float(zp), scale);
                }
            }
        }
    }
    return {};
}

} // namespace lqer
