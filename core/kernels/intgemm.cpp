#include "intgemm.h"

#include <QByteArray>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define LQER_KERNELS_X86 1
#endif

namespace lqer {

namespace {

int ceilLog2(float a)
{
    int exponent;
    const float mant = std::frexp(a, &exponent);
    return mant == 0.5f ? exponent - 1 : exponent;
}

// Round half to even for |v| < 2^22, as quantizeRows' fast path does.
inline float roundHalfEven(float v)
{
    const float magic = 12582912.0f; // 1.5 * 2^23
    return (v + magic) - magic;
}

// One block of MXINT codes, with quantizeRows' arithmetic (NUMERICS.md §2): the LQER
// convention (E = ceil(log2 amax), sign-magnitude, ties to even) or OCP (E = floor, round half
// away, step 2^(E-(w-2))). Steps outside the normal float range take the double path the
// reference quantizer takes.
int mxintBlockCodes(const float *x, int n, const QuantFormat &f, int8_t *codes)
{
    float amax = 0.0f;
    for (int i = 0; i < n; ++i) {
        const float a = std::fabs(x[i]);
        amax = a > amax ? a : amax;
    }
    if (amax == 0.0f) {
        std::memset(codes, 0, size_t(n));
        return 0;
    }
    const int qmax = (1 << (f.bits - 1)) - 1;
    if (f.convention == MxConvention::Lqer) {
        const int bias = (1 << (f.expBits - 1)) - 1;
        const int E = std::clamp(ceilLog2(amax), -bias, (1 << f.expBits) - 1 - bias);
        const int step = E - (f.bits - 1);
        if (step < -126 || -step > 127) {
            for (int i = 0; i < n; ++i) {
                const double q
                    = std::min(std::nearbyint(std::ldexp(std::fabs(double(x[i])), -step)), double(qmax));
                codes[i] = int8_t(std::signbit(x[i]) ? -q : q);
            }
        } else {
            const float up = std::ldexp(1.0f, -step);
            for (int i = 0; i < n; ++i) {
                float q = roundHalfEven(std::fabs(x[i]) * up);
                q = q < float(qmax) ? q : float(qmax);
                codes[i] = int8_t(x[i] < 0.0f ? -int(q) : int(q));
            }
        }
        return step;
    }
    const int E = std::clamp(floorLog2(amax), -127, 127);
    const int step = E - (f.bits - 2);
    if (step < -126 || step > 127) {
        for (int i = 0; i < n; ++i)
            codes[i] = int8_t(
                std::clamp(std::round(std::ldexp(double(x[i]), -step)), -double(qmax), double(qmax)));
    } else {
        const float inv = std::ldexp(1.0f, -step);
        for (int i = 0; i < n; ++i)
            codes[i] = int8_t(std::clamp(std::round(x[i] * inv), -float(qmax), float(qmax)));
    }
    return step;
}

bool sliceInsideBlocks(int block, qint64 cols)
{
    return block % 16 == 0 || block >= cols;
}

// The scale of every 16-column slice of each row (0 beyond the columns), padded to a multiple
// of 4 slices: the SIMD kernels multiply a slice's integer sum by it.
std::vector<float> activationSliceScales(const QuantizedRows &x, qint64 slicesPerRow)
{
    std::vector<float> s(size_t(x.rows * slicesPerRow), 0.0f);
    for (qint64 r = 0; r < x.rows; ++r)
        for (qint64 h = 0; h * 16 < x.cols; ++h)
            s[size_t(r * slicesPerRow + h)]
                = std::ldexp(1.0f, x.exponents[size_t(r * x.blocksPerRow() + h * 16 / x.block)]);
    return s;
}

// Rows [r0, r1) of the packed weight as int8 codes (padded to `stride` columns) and the
// scales of their 16-column slices.
void unpackWeightRows(const PackedMatrix &w, qint64 r0, qint64 r1, qint64 stride, qint64 slicesPerRow,
                      int8_t *codes, float *scales)
{
    for (qint64 r = r0; r < r1; ++r) {
        int8_t *dst = codes + (r - r0) * stride;
        std::memset(dst, 0, size_t(stride));
        const uint8_t *src = w.codes.data() + r * w.rowBytes();
        if (w.nibbles()) {
            for (qint64 chunk = 0; chunk < w.paddedCols() / 32; ++chunk)
                for (int j = 0; j < 16; ++j) {
                    const uint8_t b = src[chunk * 16 + j];
                    dst[chunk * 32 + j] = int8_t(int(b & 0x0f) - 8);
                    dst[chunk * 32 + 16 + j] = int8_t(int(b >> 4) - 8);
                }
        } else {
            std::memcpy(dst, src, size_t(w.paddedCols()));
        }
        float *sc = scales + (r - r0) * slicesPerRow;
        std::fill(sc, sc + slicesPerRow, 0.0f);
        for (qint64 h = 0; h * 16 < w.cols; ++h)
            sc[h] = w.blockScale(r, h * 16 / w.block);
    }
}

// ---- scalar reference -------------------------------------------------------------------
// One fp32 term per intersection of an activation block with a weight block: the integer
// dot product of the codes times the product of the two scales.

void gemmScalar(const QuantizedRows &x, const PackedMatrix &w, qint64 o0, qint64 o1, float *y, qint64 ldy,
                bool accumulate)
{
    const qint64 cols = x.cols;
    std::vector<int8_t> wrow(size_t(w.paddedCols()));
    for (qint64 o = o0; o < o1; ++o) {
        for (qint64 c = 0; c < cols; ++c)
            wrow[size_t(c)] = int8_t(w.code(o, c));
        for (qint64 t = 0; t < x.rows; ++t) {
            const int8_t *xc = x.codes.data() + t * x.paddedCols();
            float acc = 0.0f;
            qint64 c = 0;
            while (c < cols) {
                const qint64 xb = c / x.block, wb = c / w.block;
                const qint64 end = std::min({(xb + 1) * x.block, (wb + 1) * qint64(w.block), cols});
                int32_t dot = 0;
                for (qint64 j = c; j < end; ++j)
                    dot += int32_t(xc[j]) * int32_t(wrow[size_t(j)]);
                const float scale
                    = std::ldexp(1.0f, x.exponents[size_t(t * x.blocksPerRow() + xb)]) * w.blockScale(o, wb);
                acc += float(dot) * scale;
                c = end;
            }
            float &out = y[t * ldy + o];
            out = accumulate ? out + acc : acc;
        }
    }
}

#ifdef LQER_KERNELS_X86

// ---- AVX2 + FMA -------------------------------------------------------------------------
// A 32-column chunk per 256-bit register (two 16-column slices). |x| · (w with x's sign)
// through maddubs (pairs of products, at most 2·127·127 < 2^15: no saturation), madd with
// ones to 32 bits (four partial sums per slice), then to float, times the slice scales.

constexpr int kRowsAvx2 = 4;

template<int NO>
__attribute__((target("avx2,fma"))) void rowsTimesTokenAvx2(const int8_t *wc, qint64 stride, const float *ws,
                                                            qint64 slices, const int8_t *xc, const float *xs,
                                                            qint64 chunks, float *out)
{
    const __m256i ones = _mm256_set1_epi16(1);
    const __m256i lowHigh = _mm256_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1);
    __m256 acc[NO];
    for (int o = 0; o < NO; ++o)
        acc[o] = _mm256_setzero_ps();
    for (qint64 i = 0; i < chunks; ++i) {
        const __m256i xv = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(xc + 32 * i));
        const __m256i xa = _mm256_abs_epi8(xv);
        const __m256 xsc = _mm256_permutevar8x32_ps(
            _mm256_castpd_ps(_mm256_broadcast_sd(reinterpret_cast<const double *>(xs + 2 * i))), lowHigh);
        for (int o = 0; o < NO; ++o) {
            const __m256i wv
                = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(wc + o * stride + 32 * i));
            const __m256 wsc
                = _mm256_permutevar8x32_ps(_mm256_castpd_ps(_mm256_broadcast_sd(
                                               reinterpret_cast<const double *>(ws + o * slices + 2 * i))),
                                           lowHigh);
            const __m256i p = _mm256_madd_epi16(_mm256_maddubs_epi16(xa, _mm256_sign_epi8(wv, xv)), ones);
            acc[o] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_mul_ps(xsc, wsc), acc[o]);
        }
    }
    for (int o = 0; o < NO; ++o) {
        const __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(acc[o]), _mm256_extractf128_ps(acc[o], 1));
        const __m128 s2 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
        out[o] = _mm_cvtss_f32(_mm_add_ss(s2, _mm_movehdup_ps(s2)));
    }
}

// ---- AVX-512 VNNI -----------------------------------------------------------------------
// A 64-column chunk per 512-bit register (four slices); dpbusd sums four products of
// |x| and the sign-adjusted w into each 32-bit lane. A trailing 32-column chunk is loaded
// with a mask.

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"))) inline __m512 sliceScales512(const float *s,
                                                                                             __m512i spread)
{
    return _mm512_permutexvar_ps(spread, _mm512_castps128_ps512(_mm_loadu_ps(s)));
}

template<int NO>
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"))) void
rowsTimesTokenVnni(const int8_t *wc, qint64 stride, const float *ws, qint64 slices, const int8_t *xc,
                   const float *xs, qint64 paddedCols, float *out)
{
    const __m512i spread = _mm512_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3);
    const __m512i zero = _mm512_setzero_si512();
    __m512 acc[NO];
    for (int o = 0; o < NO; ++o)
        acc[o] = _mm512_setzero_ps();
    for (qint64 c = 0; c < paddedCols; c += 64) {
        const __mmask64 m = paddedCols - c >= 64 ? ~__mmask64(0) : __mmask64(0xffffffffu);
        const __m512i xv = _mm512_maskz_loadu_epi8(m, xc + c);
        const __m512i xa = _mm512_abs_epi8(xv);
        const __mmask64 negative = _mm512_movepi8_mask(xv);
        const __m512 xsc = sliceScales512(xs + c / 16, spread);
        for (int o = 0; o < NO; ++o) {
            const __m512i wv = _mm512_maskz_loadu_epi8(m, wc + o * stride + c);
            const __m512i signedW = _mm512_mask_sub_epi8(wv, negative, zero, wv);
            const __m512i p = _mm512_dpbusd_epi32(zero, xa, signedW);
            const __m512 wsc = sliceScales512(ws + o * slices + c / 16, spread);
            acc[o] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(p), _mm512_mul_ps(xsc, wsc), acc[o]);
        }
    }
    for (int o = 0; o < NO; ++o) {
        float lanes[16];
        _mm512_storeu_ps(lanes, acc[o]);
        float s = 0.0f;
        for (float v : lanes)
            s += v;
        out[o] = s;
    }
}

// The SIMD driver: output rows in tiles of kRowsAvx2, unpacked once per tile to int8 (kept
// in L1/L2 while every token passes).
template<typename Kernel1, typename KernelN>
void gemmTiled(const QuantizedRows &x, const PackedMatrix &w, qint64 r0, qint64 r1, float *y, qint64 ldy,
               bool accumulate, qint64 stride, Kernel1 kernel1, KernelN kernelN)
{
    const qint64 slices = stride / 16 + 4;
    const std::vector<float> xs = activationSliceScales(x, slices);
    std::vector<int8_t> wc(size_t(kRowsAvx2 * stride));
    std::vector<float> ws(size_t(kRowsAvx2 * slices));
    float out[kRowsAvx2];
    for (qint64 o0 = r0; o0 < r1; o0 += kRowsAvx2) {
        const int n = int(std::min<qint64>(kRowsAvx2, r1 - o0));
        unpackWeightRows(w, o0, o0 + n, stride, slices, wc.data(), ws.data());
        for (qint64 t = 0; t < x.rows; ++t) {
            const int8_t *xc = x.codes.data() + t * x.paddedCols();
            const float *xsr = xs.data() + t * slices;
            if (n == kRowsAvx2) {
                kernelN(wc.data(), stride, ws.data(), slices, xc, xsr, out);
            } else {
                for (int o = 0; o < n; ++o)
                    kernel1(wc.data() + o * stride, stride, ws.data() + o * slices, slices, xc, xsr, out + o);
            }
            float *dst = y + t * ldy + o0;
            for (int o = 0; o < n; ++o)
                dst[o] = accumulate ? dst[o] + out[o] : out[o];
        }
    }
}

void gemmAvx2(const QuantizedRows &x, const PackedMatrix &w, qint64 r0, qint64 r1, float *y, qint64 ldy,
              bool accumulate)
{
    const qint64 chunks = x.paddedCols() / 32;
    auto call = [chunks](auto rows) {
        return [chunks](const int8_t *wc, qint64 stride, const float *ws, qint64 slices, const int8_t *xc,
                        const float *xs, float *out) {
            rowsTimesTokenAvx2<decltype(rows)::value>(wc, stride, ws, slices, xc, xs, chunks, out);
        };
    };
    gemmTiled(x, w, r0, r1, y, ldy, accumulate, x.paddedCols(), call(std::integral_constant<int, 1>()),
              call(std::integral_constant<int, kRowsAvx2>()));
}

void gemmVnni(const QuantizedRows &x, const PackedMatrix &w, qint64 r0, qint64 r1, float *y, qint64 ldy,
              bool accumulate)
{
    const qint64 padded = x.paddedCols();
    auto call = [padded](auto rows) {
        return [padded](const int8_t *wc, qint64 stride, const float *ws, qint64 slices, const int8_t *xc,
                        const float *xs, float *out) {
            rowsTimesTokenVnni<decltype(rows)::value>(wc, stride, ws, slices, xc, xs, padded, out);
        };
    };
    gemmTiled(x, w, r0, r1, y, ldy, accumulate, (padded + 63) / 64 * 64,
              call(std::integral_constant<int, 1>()), call(std::integral_constant<int, kRowsAvx2>()));
}

#endif

std::atomic<int> gKernelMode {-1};

} // namespace

void QuantizedRows::dequantize(float *out) const
{
    for (qint64 r = 0; r < rows; ++r)
        for (qint64 c = 0; c < cols; ++c)
            out[r * cols + c] = std::ldexp(float(codes[size_t(r * paddedCols() + c)]),
                                           exponents[size_t(r * blocksPerRow() + c / block)]);
}

bool isCodeQuantizable(const QuantFormat &format)
{
    return format.kind == FormatKind::MxInt && format.bits >= 2 && format.bits <= 8 && format.validate();
}

Status quantizeActivationRows(const float *x, qint64 rows, qint64 cols, const QuantFormat &format,
                              const QString &tensorName, QuantizedRows &out)
{
    if (!isCodeQuantizable(format))
        return makeError(QStringLiteral("tensor '%1': %2 cannot be quantized to integer codes")
                             .arg(tensorName, format.toString()));
    if (const qint64 bad = firstNonFinite(x, rows * cols); bad >= 0)
        return makeError(QStringLiteral("tensor '%1': non-finite value %2 at element %3")
                             .arg(tensorName.isEmpty() ? QStringLiteral("<unnamed>") : tensorName)
                             .arg(double(x[bad]))
                             .arg(bad));
    out.rows = rows;
    out.cols = cols;
    out.bits = format.bits;
    out.block = effectiveBlock(format.block, cols);
    out.codes.assign(size_t(rows * out.paddedCols()), 0);
    out.exponents.resize(size_t(rows * out.blocksPerRow()));
    for (qint64 r = 0; r < rows; ++r)
        for (qint64 b = 0; b < out.blocksPerRow(); ++b) {
            const qint64 c0 = b * out.block;
            const int n = int(std::min<qint64>(out.block, cols - c0));
            out.exponents[size_t(r * out.blocksPerRow() + b)] = int16_t(
                mxintBlockCodes(x + r * cols + c0, n, format, out.codes.data() + r * out.paddedCols() + c0));
        }
    return Status::success();
}

QString kernelIsaName(KernelIsa isa)
{
    switch (isa) {
    case KernelIsa::Scalar:
        return QStringLiteral("scalar");
    case KernelIsa::Avx2:
        return QStringLiteral("avx2");
    case KernelIsa::Avx512Vnni:
        return QStringLiteral("avx512-vnni");
    }
    return QString();
}

bool kernelIsaSupported(KernelIsa isa)
{
    switch (isa) {
    case KernelIsa::Scalar:
        return true;
#ifdef LQER_KERNELS_X86
    case KernelIsa::Avx2:
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case KernelIsa::Avx512Vnni:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
            && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
#else
    default:
        return false;
#endif
    }
    return false;
}

KernelIsa bestKernelIsa()
{
    static const KernelIsa best = [] {
        if (kernelIsaSupported(KernelIsa::Avx512Vnni))
            return KernelIsa::Avx512Vnni;
        if (kernelIsaSupported(KernelIsa::Avx2))
            return KernelIsa::Avx2;
        return KernelIsa::Scalar;
    }();
    return best;
}

bool packedGemmSupported(int activationBlock, qint64 cols, const PackedMatrix &w)
{
    return !w.empty() && w.cols == cols && sliceInsideBlocks(effectiveBlock(activationBlock, cols), cols)
        && sliceInsideBlocks(w.block, cols);
}

bool packedGemmSupported(const QuantizedRows &x, const PackedMatrix &w)
{
    return packedGemmSupported(x.block, x.cols, w);
}

void packedGemmColumns(const QuantizedRows &x, const PackedMatrix &w, qint64 o0, qint64 o1, float *y,
                       qint64 ldy, bool accumulate, KernelIsa isa)
{
    Q_ASSERT(x.cols == w.cols && 0 <= o0 && o0 <= o1 && o1 <= w.rows);
#ifdef LQER_KERNELS_X86
    if (packedGemmSupported(x, w) && kernelIsaSupported(isa)) {
        if (isa == KernelIsa::Avx2)
            return gemmAvx2(x, w, o0, o1, y, ldy, accumulate);
        if (isa == KernelIsa::Avx512Vnni)
            return gemmVnni(x, w, o0, o1, y, ldy, accumulate);
    }
#endif
    gemmScalar(x, w, o0, o1, y, ldy, accumulate);
}

void packedGemm(const QuantizedRows &x, const PackedMatrix &w, float *y, qint64 ldy, bool accumulate,
                KernelIsa isa)
{
    packedGemmColumns(x, w, 0, w.rows, y, ldy, accumulate, isa);
}

Expected<KernelMode> parseKernelMode(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("int") || t == QLatin1String("integer"))
        return KernelMode::Integer;
    if (t == QLatin1String("emulate") || t == QLatin1String("emulation"))
        return KernelMode::Emulate;
    return makeError(QStringLiteral("unknown kernel mode '%1' (expected int or emulate)").arg(text));
}

KernelMode defaultKernelMode()
{
    int mode = gKernelMode.load();
    if (mode < 0) {
        const QByteArray env = qgetenv("LQER_KERNELS");
        Expected<KernelMode> parsed = parseKernelMode(QString::fromLatin1(env));
        mode = int(!env.isEmpty() && parsed ? *parsed : KernelMode::Integer);
        gKernelMode.store(mode);
    }
    return KernelMode(mode);
}

void setDefaultKernelMode(KernelMode mode)
{
    gKernelMode.store(int(mode));
}

} // namespace lqer
