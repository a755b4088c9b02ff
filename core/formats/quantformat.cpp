#include "quantformat.h"

#include "ggmlblocks.h"

#include <QStringList>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace lqer {

namespace {

// ---- shared helpers -------------------------------------------------------------------

// 2^e for integer e in [-149, 127], exact.
inline float pow2(int e)
{
    if (e >= -126)
        return bitsFloat(uint32_t(e + 127) << 23);
    return std::ldexp(1.0f, e);
}

// Round half to even for |v| < 2^22 without libm: adding 1.5*2^23 forces the rounding of
// the FPU's default mode (to nearest, ties to even) at the unit position.
inline float roundHalfEvenFast(float v)
{
    const float magic = 12582912.0f; // 1.5 * 2^23; valid because the build never uses -ffast-math
    return (v + magic) - magic;
}

inline float roundHalfAway(float v)
{
    return std::round(v);
}

Status nonFiniteError(const QString &tensorName, qint64 index, float value)
{
    return makeError(QStringLiteral("tensor '%1': non-finite value %2 at element %3")
                         .arg(tensorName.isEmpty() ? QStringLiteral("<unnamed>") : tensorName)
                         .arg(double(value))
                         .arg(index));
}

int effectiveBlock(const QuantFormat &format, qint64 cols)
{
    if (format.block <= 0 || format.block > cols)
        return int(std::max<qint64>(cols, 1));
    return format.block;
}

// ---- reference implementations: one element at a time, straight from NUMERICS.md ----
// Each reports every element's code (referenceBlockCodes), so the block explorer of the
// studio shows the reference quantizer's own numbers; the reference output is code · step.

BlockCodes mxintBlockCodes(const float *in, int n, const QuantFormat &f, ElementCode *codes)
{
    BlockCodes b;
    float amax = 0.0f;
    for (int i = 0; i < n; ++i)
        amax = std::max(amax, std::fabs(in[i]));
    b.amax = amax;
    b.maxCode = double((1 << (f.bits - 1)) - 1);
    b.minCode = f.convention == MxConvention::Lqer ? 0.0 : -b.maxCode;
    if (amax == 0.0f) {
        b.zero = true;
        for (int i = 0; i < n; ++i)
            codes[i] = ElementCode {0.0, 0.0, 0.0, std::signbit(in[i]), 0.0f};
        return b;
    }
    const int bias = (1 << (f.expBits - 1)) - 1;
    if (f.convention == MxConvention::Lqer) {
        const int emin = -bias;
        const int emax = (1 << f.expBits) - 1 - bias;
        b.rawExponent = int(std::ceil(std::log2(double(amax))));
        const int E = std::clamp(b.rawExponent, emin, emax);
        b.exponent = E;
        b.step = std::ldexp(1.0, E - (f.bits - 1));
        const double qmax = b.maxCode;
        for (int i = 0; i < n; ++i) {
            const double scaled = std::fabs(double(in[i])) * std::ldexp(1.0, f.bits - 1) / std::ldexp(1.0, E);
            const double rounded = std::nearbyint(scaled);
            const double q = std::clamp(rounded, 0.0, qmax);
            const double v = q * std::ldexp(1.0, E - (f.bits - 1));
            const bool negative = std::signbit(in[i]);
            codes[i] = ElementCode {scaled, rounded, q, negative, float(negative ? -v : v)};
        }
    } else {
        // OCP MX: E8M0-style scale 2^E with E = floor(log2 amax) clamped to [-127, 127],
        // two's complement elements with implicit scale 2^-(w-2), round half away from zero.
        b.rawExponent = int(std::floor(std::log2(double(amax))));
        const int E = std::clamp(b.rawExponent, -127, 127);
        b.exponent = E;
        const double unit = std::ldexp(1.0, E - (f.bits - 2));
        b.step = unit;
        const double qmax = b.maxCode;
        for (int i = 0; i < n; ++i) {
            const double scaled = double(in[i]) / unit;
            const double rounded = std::round(scaled);
            const double q = std::clamp(rounded, -qmax, qmax);
            codes[i] = ElementCode {scaled, rounded, q, q < 0, float(q * unit)};
        }
    }
    return b;
}

// INT scales are stored as fp16 (as GPTQ/AWQ checkpoints do); quantizing with the rounded
// scale keeps the simulation identical to what an exported checkpoint decodes to.
inline float toHalfPrecision(float v)
{
    return halfToFloat(floatToHalf(v));
}

BlockCodes intSymGroupCodes(const float *in, int n, int bits, ElementCode *codes)
{
    BlockCodes b;
    float amax = 0.0f;
    for (int i = 0; i < n; ++i)
        amax = std::max(amax, std::fabs(in[i]));
    b.amax = amax;
    const float qmax = float((1 << (bits - 1)) - 1);
    b.maxCode = qmax;
    b.minCode = -qmax;
    const float scale = toHalfPrecision(amax / qmax);
    b.step = scale;
    if (scale == 0.0f) {
        b.zero = true;
        for (int i = 0; i < n; ++i)
            codes[i] = ElementCode {0.0, 0.0, 0.0, false, 0.0f};
        return b;
    }
    for (int i = 0; i < n; ++i) {
        const float scaled = in[i] / scale;
        const float rounded = std::nearbyint(scaled);
        const float q = std::clamp(rounded, -qmax, qmax);
        codes[i] = ElementCode {scaled, rounded, q, q < 0, q * scale};
    }
    return b;
}

BlockCodes intAsymGroupCodes(const float *in, int n, int bits, ElementCode *codes)
{
    BlockCodes b;
    // The range always includes 0 (as GPTQ does), so the zero point is a valid code.
    float lo = 0.0f, hi = 0.0f;
    for (int i = 0; i < n; ++i) {
        lo = std::min(lo, in[i]);
        hi = std::max(hi, in[i]);
        b.amax = std::max(b.amax, std::fabs(in[i]));
    }
    const float levels = float((1 << bits) - 1);
    b.maxCode = levels;
    b.minCode = 0;
    const float scale = toHalfPrecision((hi - lo) / levels);
    b.step = scale;
    if (scale == 0.0f) {
        b.zero = true;
        for (int i = 0; i < n; ++i)
            codes[i] = ElementCode {0.0, 0.0, 0.0, false, 0.0f};
        return b;
    }
    const float zp = std::clamp(std::nearbyint(-lo / scale), 0.0f, levels);
    b.zeroPoint = zp;
    for (int i = 0; i < n; ++i) {
        const float scaled = in[i] / scale + zp;
        const float rounded = std::nearbyint(in[i] / scale) + zp;
        const float q = std::clamp(rounded, 0.0f, levels);
        codes[i] = ElementCode {scaled, rounded, q, false, (q - zp) * scale};
    }
    return b;
}

// The reference output of one block: each element's reconstructed value.
template<typename CodesFn> void decodeBlock(const float *in, float *out, int n, CodesFn codesFn)
{
    std::vector<ElementCode> codes(static_cast<size_t>(n));
    codesFn(in, n, codes.data());
    for (int i = 0; i < n; ++i)
        out[i] = codes[size_t(i)].value;
}

void mxintBlockReference(const float *in, float *out, int n, const QuantFormat &f)
{
    decodeBlock(in, out, n, [&f](const float *x, int m, ElementCode *c) { mxintBlockCodes(x, m, f, c); });
}

// ---- fast implementations: branch-free inner loops the compiler vectorises -------------

void mxintBlockFast(const float *in, float *out, int n, const QuantFormat &f)
{
    float amax = 0.0f;
    for (int i = 0; i < n; ++i) {
        const float a = std::fabs(in[i]);
        amax = a > amax ? a : amax;
    }
    if (amax == 0.0f) {
        std::memset(out, 0, sizeof(float) * size_t(n));
        return;
    }
    const int bias = (1 << (f.expBits - 1)) - 1;
    if (f.convention == MxConvention::Lqer) {
        const int E = std::clamp(ceilLog2(amax), -bias, (1 << f.expBits) - 1 - bias);
        // Both factors are powers of two, so the products are exact as in the reference.
        const float up = pow2(f.bits - 1 - E);
        const float down = pow2(E - (f.bits - 1));
        const float qmax = float((1 << (f.bits - 1)) - 1);
        if (E - (f.bits - 1) < -126 || f.bits - 1 - E > 127) {
            // Extreme exponents (subnormal steps): take the reference path, rare.
            mxintBlockReference(in, out, n, f);
            return;
        }
        for (int i = 0; i < n; ++i) {
            const float x = in[i];
            float q = roundHalfEvenFast(std::fabs(x) * up);
            q = q < qmax ? q : qmax;
            out[i] = std::copysign(q * down, x);
        }
    } else {
        const int E = std::clamp(floorLog2(amax), -127, 127);
        if (E - (f.bits - 2) < -126 || E - (f.bits - 2) > 127) {
            mxintBlockReference(in, out, n, f);
            return;
        }
        const float unit = pow2(E - (f.bits - 2));
        const float inv = pow2(-(E - (f.bits - 2)));
        const float qmax = float((1 << (f.bits - 1)) - 1);
        for (int i = 0; i < n; ++i) {
            float q = roundHalfAway(in[i] * inv);
            q = std::clamp(q, -qmax, qmax);
            out[i] = q * unit;
        }
    }
}

} // namespace

// ---- QuantFormat ------------------------------------------------------------------------

double QuantFormat::bitsPerElement() const
{
    switch (kind) {
    case FormatKind::None:
        return 16.0;
    case FormatKind::MxInt:
        return bits + double(expBits) / double(block);
    case FormatKind::IntSym:
        return block > 0 ? bits + 16.0 / block : double(bits);
    case FormatKind::IntAsym:
        return block > 0 ? bits + (16.0 + bits) / block : double(bits);
    case FormatKind::Q4_0:
    case FormatKind::Q8_0:
        return bits + 16.0 / kGgmlBlock;
    case FormatKind::F16:
        return 16.0;
    }
    return 16.0;
}

QString QuantFormat::toString() const
{
    switch (kind) {
    case FormatKind::None:
        return QStringLiteral("fp32");
    case FormatKind::MxInt:
        return QStringLiteral("mxint%1_e%2_b%3%4")
            .arg(bits)
            .arg(expBits)
            .arg(block)
            .arg(convention == MxConvention::Ocp ? QStringLiteral("_ocp") : QString());
    case FormatKind::IntSym:
        return QStringLiteral("int%1_g%2_sym").arg(bits).arg(block);
    case FormatKind::IntAsym:
        return QStringLiteral("int%1_g%2_asym").arg(bits).arg(block);
    case FormatKind::Q4_0:
        return QStringLiteral("q4_0");
    case FormatKind::Q8_0:
        return QStringLiteral("q8_0");
    case FormatKind::F16:
        return QStringLiteral("f16");
    }
    return QString();
}

Expected<QuantFormat> QuantFormat::parse(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("none") || t == QLatin1String("fp32") || t == QLatin1String("fp16")
        || t == QLatin1String("bf16") || t == QLatin1String("float"))
        return QuantFormat::none();
    if (t == QLatin1String("q4_0"))
        return QuantFormat::q4_0();
    if (t == QLatin1String("q8_0"))
        return QuantFormat::q8_0();
    if (t == QLatin1String("f16"))
        return QuantFormat::f16();

    const QStringList parts = t.split(QLatin1Char('_'), Qt::SkipEmptyParts);
    if (parts.isEmpty())
        return makeError(QStringLiteral("empty number format"));
    QuantFormat f;
    const QString head = parts.first();
    bool ok = false;
    if (head.startsWith(QLatin1String("mxint"))) {
        f = QuantFormat::mxint(head.mid(5).toInt(&ok));
    } else if (head.startsWith(QLatin1String("int"))) {
        f = QuantFormat::intSym(head.mid(3).toInt(&ok), 128);
    } else {
        return makeError(QStringLiteral("unknown number format '%1' (expected mxintW[_eE][_bB][_ocp], "
                                        "intB[_gG][_sym|_asym], q4_0, q8_0, f16 or fp32)")
                             .arg(text));
    }
    if (!ok)
        return makeError(QStringLiteral("number format '%1': missing bit width").arg(text));
    for (int i = 1; i < parts.size(); ++i) {
        const QString &p = parts.at(i);
        bool numOk = true;
        if (p == QLatin1String("ocp")) {
            if (f.kind != FormatKind::MxInt)
                return makeError(QStringLiteral("number format '%1': _ocp applies to MXINT only").arg(text));
            f.convention = MxConvention::Ocp;
        } else if (p == QLatin1String("sym")) {
            f.kind = f.kind == FormatKind::MxInt ? f.kind : FormatKind::IntSym;
        } else if (p == QLatin1String("asym")) {
            if (f.kind == FormatKind::MxInt)
                return makeError(QStringLiteral("number format '%1': _asym applies to INT only").arg(text));
            f.kind = FormatKind::IntAsym;
        } else if (p.startsWith(QLatin1Char('e')) && f.kind == FormatKind::MxInt) {
            f.expBits = p.mid(1).toInt(&numOk);
        } else if (p.startsWith(QLatin1Char('b')) || p.startsWith(QLatin1Char('g'))) {
            f.block = p.mid(1).toInt(&numOk);
        } else {
            return makeError(QStringLiteral("number format '%1': unknown part '%2'").arg(text, p));
        }
        if (!numOk)
            return makeError(QStringLiteral("number format '%1': bad number in '%2'").arg(text, p));
    }
    if (Status s = f.validate(); !s)
        return makeError(QStringLiteral("number format '%1': %2").arg(text, s.error()));
    return f;
}

Status QuantFormat::validate() const
{
    switch (kind) {
    case FormatKind::None:
        return {};
    case FormatKind::MxInt:
        if (bits < 2 || bits > 8)
            return makeError(QStringLiteral("MXINT element width must be 2..8 bits, got %1").arg(bits));
        if (expBits < 1 || expBits > 8)
            return makeError(QStringLiteral("MXINT exponent width must be 1..8 bits, got %1").arg(expBits));
        if (block < 1)
            return makeError(QStringLiteral("MXINT block size must be >= 1, got %1").arg(block));
        return {};
    case FormatKind::IntSym:
    case FormatKind::IntAsym:
        if (bits < 2 || bits > 16)
            return makeError(QStringLiteral("INT width must be 2..16 bits, got %1").arg(bits));
        if (block < 0)
            return makeError(
                QStringLiteral("INT group size must be >= 0 (0 = whole row), got %1").arg(block));
        return {};
    case FormatKind::Q4_0:
    case FormatKind::Q8_0:
        if (*this != (kind == FormatKind::Q4_0 ? q4_0() : q8_0()))
            return makeError(QStringLiteral("%1 has fixed 32-element blocks and %2-bit codes")
                                 .arg(toString())
                                 .arg(kind == FormatKind::Q4_0 ? 4 : 8));
        return {};
    case FormatKind::F16:
        if (*this != f16())
            return makeError(QStringLiteral("f16 takes no bit width or block size"));
        return {};
    }
    return {};
}

// ---- row quantizers ---------------------------------------------------------------------

qint64 firstNonFinite(const float *data, qint64 count)
{
    // Vectorisable scan: an exponent field of all ones marks Inf or NaN.
    const qint64 chunk = 4096;
    for (qint64 start = 0; start < count; start += chunk) {
        const qint64 end = std::min(count, start + chunk);
        uint32_t any = 0;
        for (qint64 i = start; i < end; ++i)
            any |= uint32_t((floatBits(data[i]) & 0x7f800000u) == 0x7f800000u);
        if (any) {
            for (qint64 i = start; i < end; ++i)
                if (!std::isfinite(data[i]))
                    return i;
        }
    }
    return -1;
}

namespace {

// f16: every element rounded to nearest even; a magnitude beyond the largest half (65504,
// after rounding) would become Inf in ggml's conversion, so it is an error here.
Status roundToHalf(const float *in, float *out, qint64 total, const QString &tensorName)
{
    for (qint64 i = 0; i < total; ++i) {
        const float h = halfToFloat(floatToHalf(in[i]));
        if (std::isinf(h))
            return makeError(QStringLiteral("tensor '%1': value %2 at element %3 is outside the f16 range")
                                 .arg(tensorName.isEmpty() ? QStringLiteral("<unnamed>") : tensorName)
                                 .arg(double(in[i]))
                                 .arg(i));
        out[i] = h;
    }
    return {};
}

// ggml blocks through the packed reference layout; a trailing block shorter than 32 is
// padded with zeros (ggml itself needs rows that are a multiple of 32: the GGUF export
// checks that).
template<typename Block> void ggmlBlockReference(const float *in, float *out, int n)
{
    float x[kGgmlBlock] = {};
    float y[kGgmlBlock];
    std::memcpy(x, in, sizeof(float) * size_t(n));
    Block b;
    quantizeBlock(x, b);
    dequantizeBlock(b, y);
    std::memcpy(out, y, sizeof(float) * size_t(n));
}

template<typename BlockFn>
Status quantizeRowsWith(const float *in, float *out, qint64 rows, qint64 cols, const QuantFormat &format,
                        const QString &tensorName, BlockFn blockFn)
{
    if (Status s = format.validate(); !s)
        return makeError(QStringLiteral("tensor '%1': %2").arg(tensorName, s.error()));
    const qint64 total = rows * cols;
    if (const qint64 bad = firstNonFinite(in, total); bad >= 0)
        return nonFiniteError(tensorName, bad, in[bad]);
    if (!format.isQuantized()) {
        if (out != in)
            std::memcpy(out, in, sizeof(float) * size_t(total));
        return {};
    }
    if (format.kind == FormatKind::F16)
        return roundToHalf(in, out, total, tensorName);
    const int block = effectiveBlock(format, cols);
    for (qint64 r = 0; r < rows; ++r) {
        const float *src = in + r * cols;
        float *dst = out + r * cols;
        for (qint64 c = 0; c < cols; c += block) {
            const int n = int(std::min<qint64>(block, cols - c));
            blockFn(src + c, dst + c, n, format);
        }
    }
    return {};
}

void referenceBlock(const float *in, float *out, int n, const QuantFormat &f)
{
    switch (f.kind) {
    case FormatKind::Q4_0:
        ggmlBlockReference<BlockQ4_0>(in, out, n);
        break;
    case FormatKind::Q8_0:
        ggmlBlockReference<BlockQ8_0>(in, out, n);
        break;
    case FormatKind::None:
    case FormatKind::F16: // whole tensors, never blocks (roundToHalf)
        break;
    case FormatKind::MxInt:
    case FormatKind::IntSym:
    case FormatKind::IntAsym:
        decodeBlock(in, out, n,
                    [&f](const float *x, int m, ElementCode *c) { referenceBlockCodes(x, m, f, c); });
        break;
    }
}

// INT groups: the same arithmetic as the reference, with branch-free rounding and clamps.
// |x / scale| <= qmax * (1 + fp16 rounding) stays far below 2^22, where the magic-number
// rounding is exact.
void intGroupFast(const float *in, float *out, int n, const QuantFormat &f)
{
    float lo = 0.0f, hi = 0.0f;
    for (int i = 0; i < n; ++i) {
        lo = in[i] < lo ? in[i] : lo;
        hi = in[i] > hi ? in[i] : hi;
    }
    const bool symmetric = f.kind == FormatKind::IntSym;
    const float levels = symmetric ? float((1 << (f.bits - 1)) - 1) : float((1 << f.bits) - 1);
    const float range = symmetric ? std::max(-lo, hi) : hi - lo;
    const float scale = toHalfPrecision(range / levels);
    if (scale == 0.0f) {
        std::memset(out, 0, sizeof(float) * size_t(n));
        return;
    }
    const float qlo = symmetric ? -levels : 0.0f;
    const float zp = symmetric ? 0.0f : std::clamp(roundHalfEvenFast(-lo / scale), 0.0f, levels);
    for (int i = 0; i < n; ++i) {
        float q = roundHalfEvenFast(in[i] / scale) + zp;
        q = q < qlo ? qlo : q;
        q = q > levels ? levels : q;
        out[i] = (q - zp) * scale;
    }
}

void fastBlock(const float *in, float *out, int n, const QuantFormat &f)
{
    if (f.kind == FormatKind::MxInt)
        mxintBlockFast(in, out, n, f);
    else if (f.kind == FormatKind::Q4_0)
        roundTripQ4_0(in, out, n);
    else if (f.kind == FormatKind::Q8_0)
        roundTripQ8_0(in, out, n);
    else
        intGroupFast(in, out, n, f);
}

} // namespace

BlockCodes referenceBlockCodes(const float *in, int n, const QuantFormat &format, ElementCode *codes)
{
    switch (format.kind) {
    case FormatKind::MxInt:
        return mxintBlockCodes(in, n, format, codes);
    case FormatKind::IntSym:
        return intSymGroupCodes(in, n, format.bits, codes);
    case FormatKind::IntAsym:
        return intAsymGroupCodes(in, n, format.bits, codes);
    case FormatKind::None:
    case FormatKind::F16:
    case FormatKind::Q4_0: // ggml blocks: not explained element by element (yet)
    case FormatKind::Q8_0:
        break;
    }
    for (int i = 0; i < n; ++i)
        codes[i] = ElementCode {in[i], in[i], in[i], std::signbit(in[i]), in[i]};
    return BlockCodes {};
}

Status quantizeRowsReference(const float *in, float *out, qint64 rows, qint64 cols, const QuantFormat &format,
                             const QString &tensorName)
{
    return quantizeRowsWith(in, out, rows, cols, format, tensorName, referenceBlock);
}

Status quantizeRows(const float *in, float *out, qint64 rows, qint64 cols, const QuantFormat &format,
                    const QString &tensorName)
{
    return quantizeRowsWith(in, out, rows, cols, format, tensorName, fastBlock);
}

Expected<MatrixRM> quantizeMatrix(const MatrixRM &m, const QuantFormat &format, const QString &tensorName)
{
    MatrixRM result(m.rows(), m.cols());
    if (Status s = quantizeRows(m.data(), result.data(), m.rows(), m.cols(), format, tensorName); !s)
        return Error {s.error()};
    return result;
}

} // namespace lqer
