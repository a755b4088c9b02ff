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
// A 32-column chunk per 256-bit register (two 16-column slices), four output rows and one or
// two tokens at a time; the four rows' sums are folded into one register, [row 0..3 of slice
// 0 | row 0..3 of slice 1], so one conversion, one scale product and one FMA serve them all.
//
// Narrow weights (at most 5 bits, |w| <= 15): x + 128 as unsigned bytes times w through
// maddubs (pairs at most 2·255·15 < 2^15), hadd in 16 bits down to sums of 8 products
// (<= 8·255·15 < 2^15), one madd to 32 bits; then minus 128·Σw of the slice (per row,
// computed with the unpacked tile). Wide weights (6..8 bits): |x| times w with x's sign,
// madd to 32 bits per row, hadd in 32 bits.

constexpr int kRows = 4;

template<int NT, bool Narrow>
__attribute__((target("avx2,fma"))) void
fourRowsAvx2(const int8_t *wc, qint64 stride, const float *wScales, const int32_t *wOffsets,
             const int8_t *const *xc, const float *const *xs, qint64 chunks, float (*out)[kRows])
{
    const __m256i ones = _mm256_set1_epi16(1);
    const __m256i lowHigh = _mm256_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1);
    const __m256i bias = _mm256_set1_epi8(char(0x80));
    __m256 acc[NT];
    for (int t = 0; t < NT; ++t)
        acc[t] = _mm256_setzero_ps();
    for (qint64 i = 0; i < chunks; ++i) {
        __m256i w[kRows];
        for (int o = 0; o < kRows; ++o)
            w[o] = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(wc + o * stride + 32 * i));
        const __m256 ws = _mm256_loadu_ps(wScales + 8 * i);
        for (int t = 0; t < NT; ++t) {
            const __m256i xv = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(xc[t] + 32 * i));
            __m256i sums;
            if constexpr (Narrow) {
                const __m256i xu = _mm256_xor_si256(xv, bias); // x + 128
                __m256i p[kRows];
                for (int o = 0; o < kRows; ++o)
                    p[o] = _mm256_maddubs_epi16(xu, w[o]);
                const __m256i h
                    = _mm256_hadd_epi16(_mm256_hadd_epi16(p[0], p[1]), _mm256_hadd_epi16(p[2], p[3]));
                sums = _mm256_sub_epi32(
                    _mm256_madd_epi16(h, ones),
                    _mm256_loadu_si256(reinterpret_cast<const __m256i *>(wOffsets + 8 * i)));
            } else {
                const __m256i xa = _mm256_abs_epi8(xv);
                __m256i p[kRows];
                for (int o = 0; o < kRows; ++o)
                    p[o] = _mm256_madd_epi16(_mm256_maddubs_epi16(xa, _mm256_sign_epi8(w[o], xv)), ones);
                sums = _mm256_hadd_epi32(_mm256_hadd_epi32(p[0], p[1]), _mm256_hadd_epi32(p[2], p[3]));
            }
            const __m256 xsc = _mm256_permutevar8x32_ps(
                _mm256_castpd_ps(_mm256_broadcast_sd(reinterpret_cast<const double *>(xs[t] + 2 * i))),
                lowHigh);
            acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sums), _mm256_mul_ps(xsc, ws), acc[t]);
        }
    }
    for (int t = 0; t < NT; ++t)
        _mm_storeu_ps(out[t], _mm_add_ps(_mm256_castps256_ps128(acc[t]), _mm256_extractf128_ps(acc[t], 1)));
}

// Chunks [c0, c1) of four rows of the packed weight (fewer than four: zeros) as int8 codes
// (row stride 32 · (c1 - c0)), their slice scales interleaved for fourRowsAvx2 and
// 128 · the sum of each slice's codes in the same order.
void unpackPanel(const PackedMatrix &w, qint64 r0, int n, qint64 c0, qint64 c1, int8_t *codes, float *scales,
                 int32_t *offsets)
{
    const qint64 width = 32 * (c1 - c0);
    std::memset(codes, 0, size_t(kRows * width));
    std::fill(scales, scales + 8 * (c1 - c0), 0.0f);
    for (int o = 0; o < n; ++o) {
        const uint8_t *src = w.codes.data() + (r0 + o) * w.rowBytes();
        int8_t *dst = codes + o * width;
        for (qint64 c = c0; c < c1; ++c) {
            if (w.nibbles()) {
                for (int j = 0; j < 16; ++j) {
                    const uint8_t b = src[c * 16 + j];
                    dst[(c - c0) * 32 + j] = int8_t(int(b & 0x0f) - 8);
                    dst[(c - c0) * 32 + 16 + j] = int8_t(int(b >> 4) - 8);
                }
            } else {
                std::memcpy(dst + (c - c0) * 32, src + c * 32, 32);
            }
            for (int half = 0; half < 2; ++half) {
                const qint64 col = 32 * c + 16 * half;
                if (col < w.cols)
                    scales[8 * (c - c0) + 4 * half + o] = w.blockScale(r0 + o, col / w.block);
            }
        }
    }
    for (qint64 c = 0; c < c1 - c0; ++c)
        for (int half = 0; half < 2; ++half)
            for (int o = 0; o < kRows; ++o) {
                int32_t sum = 0;
                for (int j = 0; j < 16; ++j)
                    sum += codes[o * width + 32 * c + 16 * half + j];
                offsets[8 * c + 4 * half + o] = 128 * sum;
            }
}

// Blocked for the caches: the columns in panels of kPanelChunks chunks (four rows of a panel
// stay in L1), tokens in blocks whose panel of codes stays in L2; each panel's partial sums
// are added to y.
void gemmAvx2(const QuantizedRows &x, const PackedMatrix &w, qint64 r0, qint64 r1, float *y, qint64 ldy,
              bool accumulate)
{
    constexpr qint64 kPanelChunks = 64;
    constexpr qint64 kTokenBlock = 128;
    const qint64 stride = x.paddedCols(), chunks = stride / 32, slices = stride / 16 + 4;
    const bool narrow = w.bits <= 5;
    const std::vector<float> xs = activationSliceScales(x, slices);
    std::vector<int8_t> wc(size_t(kRows * 32 * kPanelChunks));
    std::vector<float> wsi(size_t(8 * kPanelChunks));
    std::vector<int32_t> offsets(size_t(8 * kPanelChunks));
    float out[2][kRows];
    for (qint64 c0 = 0; c0 < chunks; c0 += kPanelChunks) {
        const qint64 c1 = std::min(chunks, c0 + kPanelChunks), n1 = c1 - c0;
        const bool add = accumulate || c0 > 0;
        for (qint64 t0 = 0; t0 < x.rows; t0 += kTokenBlock) {
            const qint64 t1 = std::min(x.rows, t0 + kTokenBlock);
            for (qint64 o0 = r0; o0 < r1; o0 += kRows) {
                const int n = int(std::min<qint64>(kRows, r1 - o0));
                unpackPanel(w, o0, n, c0, c1, wc.data(), wsi.data(), offsets.data());
                const qint64 width = 32 * n1;
                for (qint64 t = t0; t < t1; t += 2) {
                    const int nt = int(std::min<qint64>(2, t1 - t));
                    const int8_t *xc[2] = {x.codes.data() + t * stride + 32 * c0,
                                           x.codes.data() + (t + nt - 1) * stride + 32 * c0};
                    const float *xsr[2]
                        = {xs.data() + t * slices + 2 * c0, xs.data() + (t + nt - 1) * slices + 2 * c0};
                    if (narrow && nt == 2)
                        fourRowsAvx2<2, true>(wc.data(), width, wsi.data(), offsets.data(), xc, xsr, n1, out);
                    else if (narrow)
                        fourRowsAvx2<1, true>(wc.data(), width, wsi.data(), offsets.data(), xc, xsr, n1, out);
                    else if (nt == 2)
                        fourRowsAvx2<2, false>(wc.data(), width, wsi.data(), offsets.data(), xc, xsr, n1,
                                               out);
                    else
                        fourRowsAvx2<1, false>(wc.data(), width, wsi.data(), offsets.data(), xc, xsr, n1,
                                               out);
                    for (int k = 0; k < nt; ++k) {
                        float *dst = y + (t + k) * ldy + o0;
                        for (int o = 0; o < n; ++o)
                            dst[o] = add ? dst[o] + out[k][o] : out[k][o];
                    }
                }
            }
        }
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

// The SIMD driver: output rows in tiles of kRows, unpacked once per tile to int8 (kept
// in L1/L2 while every token passes).
template<typename Kernel1, typename KernelN>
void gemmTiled(const QuantizedRows &x, const PackedMatrix &w, qint64 r0, qint64 r1, float *y, qint64 ldy,
               bool accumulate, qint64 stride, Kernel1 kernel1, KernelN kernelN)
{
    const qint64 slices = stride / 16 + 4;
    const std::vector<float> xs = activationSliceScales(x, slices);
    std::vector<int8_t> wc(size_t(kRows * stride));
    std::vector<float> ws(size_t(kRows * slices));
    float out[kRows];
    for (qint64 o0 = r0; o0 < r1; o0 += kRows) {
        const int n = int(std::min<qint64>(kRows, r1 - o0));
        unpackWeightRows(w, o0, o0 + n, stride, slices, wc.data(), ws.data());
        for (qint64 t = 0; t < x.rows; ++t) {
            const int8_t *xc = x.codes.data() + t * x.paddedCols();
            const float *xsr = xs.data() + t * slices;
            if (n == kRows) {
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
              call(std::integral_constant<int, 1>()), call(std::integral_constant<int, kRows>()));
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
