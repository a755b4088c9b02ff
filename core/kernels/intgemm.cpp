#include "intgemm.h"

#include "core/common/cpufeatures.h"

#include <QByteArray>

#include <algorithm>
#include <atomic>
#include <bit>
#include <climits>
#include <cmath>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define LQER_KERNELS_X86 1
#endif

namespace lqer {

// The VNNI kernel's unpacked tiles of a whole matrix (prepareKernelTiles): for the panel of
// chunks [c0, c1) and tile t (rows 16t ..), unpackTileVnni's output at codes + 512 · i and at
// offsets, scales + 32 · i with i = index(c0, c1, t).
struct KernelTiles
{
    qint64 tiles = 0;
    std::vector<int8_t> codes;
    std::vector<int32_t> offsets;
    std::vector<float> scales;
    std::vector<uint8_t> shared; // at index(...): the tile's rows share their exponents
    std::vector<float> rowScales; // 16 at 16 · index(...)
    qint64 index(qint64 c0, qint64 c1, qint64 tile) const { return c0 * tiles + tile * (c1 - c0); }
};

namespace {

// Round half to even for |v| < 2^22, as quantizeRows' fast path does.
inline float roundHalfEven(float v)
{
    const float magic = 12582912.0f; // 1.5 * 2^23
    return (v + magic) - magic;
}

#ifdef LQER_KERNELS_X86
// The LQER convention's codes of n (a multiple of 8) values with a normal step: min(round half
// to even(|x| · up), qmax) with x's sign, as mxintBlockCodes' scalar loop computes them (the
// product by a power of two is exact, so the order of rounding is the same).
__attribute__((target("avx2,fma"))) void lqerCodesAvx2(const float *x, int n, float up, int qmax,
                                                       int8_t *codes)
{
    const __m256 magnitude = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    const __m256 magic = _mm256_set1_ps(12582912.0f), vup = _mm256_set1_ps(up),
                 vmax = _mm256_set1_ps(float(qmax));
    auto codes8 = [&](int i) {
        const __m256 v = _mm256_loadu_ps(x + i);
        __m256 q
            = _mm256_sub_ps(_mm256_add_ps(_mm256_mul_ps(_mm256_and_ps(v, magnitude), vup), magic), magic);
        q = _mm256_min_ps(q, vmax);
        return _mm256_sign_epi32(_mm256_cvttps_epi32(q), _mm256_castps_si256(v));
    };
    int i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m256i words = _mm256_permute4x64_epi64(_mm256_packs_epi32(codes8(i), codes8(i + 8)), 0xd8);
        _mm_storeu_si128(reinterpret_cast<__m128i *>(codes + i),
                         _mm_packs_epi16(_mm256_castsi256_si128(words), _mm256_extracti128_si256(words, 1)));
    }
    if (i < n) {
        const __m256i words
            = _mm256_permute4x64_epi64(_mm256_packs_epi32(codes8(i), _mm256_setzero_si256()), 0xd8);
        const __m128i bytes
            = _mm_packs_epi16(_mm256_castsi256_si128(words), _mm256_extracti128_si256(words, 1));
        _mm_storel_epi64(reinterpret_cast<__m128i *>(codes + i), bytes);
    }
}

__attribute__((target("avx2,fma"))) float absMaxAvx2(const float *x, int n)
{
    const __m256 magnitude = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    __m256 m = _mm256_setzero_ps();
    for (int i = 0; i < n; i += 8)
        m = _mm256_max_ps(m, _mm256_and_ps(_mm256_loadu_ps(x + i), magnitude));
    __m128 h = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
    h = _mm_max_ps(h, _mm_movehl_ps(h, h));
    h = _mm_max_ss(h, _mm_shuffle_ps(h, h, 1));
    return _mm_cvtss_f32(h);
}
#endif

// One block of MXINT codes, with quantizeRows' arithmetic (NUMERICS.md §2): the LQER
// convention (E = ceil(log2 amax), sign-magnitude, ties to even) or OCP (E = floor, round half
// away, step 2^(E-(w-2))). Steps outside the normal float range take the double path the
// reference quantizer takes.
int mxintBlockCodes(const float *x, int n, const QuantFormat &f, int8_t *codes)
{
#ifdef LQER_KERNELS_X86
    const bool simd = n % 8 == 0 && cpuHasAvx2Fma();
#else
    const bool simd = false;
#endif
    float amax = 0.0f;
#ifdef LQER_KERNELS_X86
    if (simd)
        amax = absMaxAvx2(x, n);
#endif
    for (int i = 0; i < n && !simd; ++i) {
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
            const float up = exactPow2(-step);
#ifdef LQER_KERNELS_X86
            if (simd) {
                lqerCodesAvx2(x, n, up, qmax, codes);
                return step;
            }
#endif
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

// A buffer of this thread's that keeps its capacity between products (a product of a 7B
// layer would otherwise allocate, and zero, its scratch for every call).
template<typename T> T *scratch(std::vector<T> &buffer, size_t n)
{
    if (buffer.size() < n)
        buffer.resize(n);
    return buffer.data();
}

// The block of each 16-column slice [first, first + count) of x's rows, -1 beyond the columns
// (scale 0): the SIMD kernels multiply a slice's integer sum by its block's scale. Computed
// once per call so that the per-row loops hold no divisions.
void sliceBlocks(const QuantizedRows &x, qint64 first, qint64 count, std::vector<int> &blocks)
{
    blocks.resize(size_t(count));
    for (qint64 h = 0; h < count; ++h)
        blocks[size_t(h)] = 16 * (first + h) < x.cols ? int(16 * (first + h) / x.block) : -1;
}

// The scale of a slice in `block` of a row whose exponents start at `exponents`.
inline float sliceScale(const int16_t *exponents, int block)
{
    return block >= 0 ? exactPow2(exponents[block]) : 0.0f;
}

// Every slice's scale of each row, padded with zeros to `slicesPerRow` (the AVX2 kernel's layout).
void activationSliceScales(const QuantizedRows &x, qint64 slicesPerRow, float *s)
{
    thread_local std::vector<int> blocks;
    sliceBlocks(x, 0, slicesPerRow, blocks);
    for (qint64 r = 0; r < x.rows; ++r) {
        const int16_t *exponents = x.exponents.data() + r * x.blocksPerRow();
        for (qint64 h = 0; h < slicesPerRow; ++h)
            s[r * slicesPerRow + h] = sliceScale(exponents, blocks[size_t(h)]);
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
// Eight output rows per register, one 32-bit lane each. A tile of eight weight rows is
// unpacked to int8 and transposed so that register G_j of a 32-column chunk holds columns
// 4j..4j+3 of rows 0..7 (row r in bytes 4r..4r+3); a token's four codes of those columns are
// broadcast to every lane, and maddubs + madd give the eight rows' dot products without any
// horizontal add. Per 16-column slice (four G_j) the int32 sums are converted once, scaled by
// the rows' weight scales times the token's scale, and accumulated in fp32.
//
// Narrow weights (at most 5 bits, |w| <= 15): x + 128 as unsigned bytes times w; the four
// maddubs of a slice add up in 16 bits (<= 16 · 255 · 15 / 2 < 2^15 per pair), one madd to
// 32 bits, then minus 128 · Σw of the slice (per row, computed when the tile is unpacked).
// Wide weights (6..8 bits): |x| times w with x's sign, each maddubs widened to 32 bits.

constexpr int kTileRows = 8;
constexpr int kTileTokens = 4;
// Columns in panels of kPanelChunks 32-column chunks (one unpacked tile of eight rows stays in
// L1), tokens in blocks whose codes of one panel stay in L2.
constexpr qint64 kPanelChunks = 64;
constexpr qint64 kTokenBlock = 128;

// The scale of each 16-column slice of each row of a tile of `tileRows` rows over chunks
// [c0, c1), slice-major (0 for padded rows and columns): the AVX2 and VNNI kernels' layout.
void tileScales(const PackedMatrix &w, qint64 r0, int n, int tileRows, qint64 c0, qint64 c1, float *scales)
{
    // Divisions hoisted out of the row loop: this runs once per tile and panel, and per-element
    // index arithmetic cost as much as a tenth of the integer GEMM on the small models.
    const qint64 blocks = w.blocksPerRow();
    const bool pow2 = w.scaleKind == PackedScale::Pow2;
    for (qint64 s = 2 * c0; s < 2 * c1; ++s) {
        float *dst = scales + (s - 2 * c0) * tileRows;
        const qint64 col = 16 * s;
        int r = 0;
        if (col < w.cols) {
            const qint64 first = r0 * blocks + col / w.block;
            for (; r < n; ++r) {
                const size_t i = size_t(first + r * blocks);
                dst[r] = pow2 ? exactPow2(w.exponents[i]) : w.scales[i];
            }
        }
        std::fill(dst + r, dst + tileRows, 0.0f);
    }
}

// The 32 int8 codes of 32-column chunk c of a packed row (`src`: the row's bytes): nibbles
// decoded (low nibbles are columns 0..15, high nibbles 16..31, minus 8), or bytes as they are.
__attribute__((target("avx2,fma"))) inline __m256i chunkCodesAvx2(const PackedMatrix &w, const uint8_t *src,
                                                                  qint64 c)
{
    if (w.nibbles()) {
        const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i *>(src + c * 16));
        const __m256i both = _mm256_set_m128i(_mm_srli_epi16(b, 4), b);
        return _mm256_sub_epi8(_mm256_and_si256(both, _mm256_set1_epi8(0x0f)), _mm256_set1_epi8(8));
    }
    return _mm256_loadu_si256(reinterpret_cast<const __m256i *>(src + c * 32));
}

// Rows [r0, r0 + n) (n <= 8; the rest zeros) over chunks [c0, c1): the transposed int8 codes
// (8 registers per chunk), the slice scales and 128 · the sum of each slice's codes per row.
__attribute__((target("avx2,fma"))) void unpackTileAvx2(const PackedMatrix &w, qint64 r0, int n, qint64 c0,
                                                        qint64 c1, int8_t *codes, float *scales,
                                                        int32_t *offsets)
{

    const __m256i ones8 = _mm256_set1_epi8(1), ones16 = _mm256_set1_epi16(1);
    for (qint64 c = c0; c < c1; ++c) {
        __m256 row[kTileRows];
        for (int r = 0; r < kTileRows; ++r) {
            const __m256i v = r < n ? chunkCodesAvx2(w, w.codes.data() + (r0 + r) * w.rowBytes(), c)
                                    : _mm256_setzero_si256();
            row[r] = _mm256_castsi256_ps(v);
        }
        // 8 x 8 transpose of 32-bit lanes: out[j] lane r = row[r] lane j.
        __m256 t[8], s[8];
        for (int i = 0; i < 4; ++i) {
            t[2 * i] = _mm256_unpacklo_ps(row[2 * i], row[2 * i + 1]);
            t[2 * i + 1] = _mm256_unpackhi_ps(row[2 * i], row[2 * i + 1]);
        }
        for (int h = 0; h < 2; ++h) { // rows 0..3, rows 4..7
            const __m256 *u = t + 4 * h;
            s[4 * h + 0] = _mm256_shuffle_ps(u[0], u[2], _MM_SHUFFLE(1, 0, 1, 0));
            s[4 * h + 1] = _mm256_shuffle_ps(u[0], u[2], _MM_SHUFFLE(3, 2, 3, 2));
            s[4 * h + 2] = _mm256_shuffle_ps(u[1], u[3], _MM_SHUFFLE(1, 0, 1, 0));
            s[4 * h + 3] = _mm256_shuffle_ps(u[1], u[3], _MM_SHUFFLE(3, 2, 3, 2));
        }
        int8_t *dst = codes + (c - c0) * kTileRows * 32;
        __m256i sums[2] = {_mm256_setzero_si256(), _mm256_setzero_si256()};
        for (int j = 0; j < 8; ++j) {
            const __m256 lowHalves = _mm256_permute2f128_ps(s[j % 4], s[4 + j % 4], 0x20);
            const __m256 highHalves = _mm256_permute2f128_ps(s[j % 4], s[4 + j % 4], 0x31);
            const __m256i g = _mm256_castps_si256(j < 4 ? lowHalves : highHalves);
            _mm256_storeu_si256(reinterpret_cast<__m256i *>(dst + 32 * j), g);
            sums[j / 4]
                = _mm256_add_epi32(sums[j / 4], _mm256_madd_epi16(_mm256_maddubs_epi16(ones8, g), ones16));
        }
        for (int h = 0; h < 2; ++h)
            _mm256_storeu_si256(reinterpret_cast<__m256i *>(offsets + (2 * (c - c0) + h) * kTileRows),
                                _mm256_slli_epi32(sums[h], 7));
    }
    tileScales(w, r0, n, kTileRows, c0, c1, scales);
}

// NT tokens times one unpacked tile over `slices` 16-column slices: out[t][r] = Σ_s
// (codes · codes)_s · scale_w(r, s) · scale_x(t, s). Narrow: xc are the codes + 128.
template<int NT, bool Narrow>
__attribute__((target("avx2,fma"))) void
tileTimesTokensAvx2(const int8_t *wc, const float *ws, const int32_t *wOffsets, const uint8_t *const *xc,
                    const float *const *xs, qint64 slices, __m256 *acc)
{
    const __m256i ones16 = _mm256_set1_epi16(1);
    for (int t = 0; t < NT; ++t)
        acc[t] = _mm256_setzero_ps();
    for (qint64 s = 0; s < slices; ++s) {
        __m256i g[4];
        for (int j = 0; j < 4; ++j)
            g[j] = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(wc + (4 * s + j) * 32));
        const __m256 scale = _mm256_loadu_ps(ws + kTileRows * s);
        for (int t = 0; t < NT; ++t) {
            __m256i dot;
            if constexpr (Narrow) {
                __m256i p = _mm256_setzero_si256();
                for (int j = 0; j < 4; ++j) {
                    int32_t four;
                    std::memcpy(&four, xc[t] + 16 * s + 4 * j, 4);
                    p = _mm256_add_epi16(p, _mm256_maddubs_epi16(_mm256_set1_epi32(four), g[j]));
                }
                dot = _mm256_sub_epi32(
                    _mm256_madd_epi16(p, ones16),
                    _mm256_loadu_si256(reinterpret_cast<const __m256i *>(wOffsets + kTileRows * s)));
            } else {
                dot = _mm256_setzero_si256();
                for (int j = 0; j < 4; ++j) {
                    int32_t four;
                    std::memcpy(&four, xc[t] + 16 * s + 4 * j, 4);
                    const __m256i xv = _mm256_set1_epi32(four);
                    dot = _mm256_add_epi32(
                        dot,
                        _mm256_madd_epi16(
                            _mm256_maddubs_epi16(_mm256_abs_epi8(xv), _mm256_sign_epi8(g[j], xv)), ones16));
                }
            }
            acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot),
                                     _mm256_mul_ps(scale, _mm256_broadcast_ss(xs[t] + s)), acc[t]);
        }
    }
}

__attribute__((target("avx2,fma"))) void addTile(const __m256 &acc, float *dst, int n, bool add)
{
    if (n == kTileRows) {
        _mm256_storeu_ps(dst, add ? _mm256_add_ps(_mm256_loadu_ps(dst), acc) : acc);
        return;
    }
    float lanes[kTileRows];
    _mm256_storeu_ps(lanes, acc);
    for (int r = 0; r < n; ++r)
        dst[r] = add ? dst[r] + lanes[r] : lanes[r];
}

// Panels of columns, blocks of tokens (their codes copied once per panel, +128 for narrow
// weights), tiles of eight output rows unpacked once per token block.
void gemmAvx2(const QuantizedRows &x, const PackedMatrix &w, qint64 r0, qint64 r1, float *y, qint64 ldy,
              bool accumulate)
{
    const qint64 stride = x.paddedCols(), chunks = stride / 32, slices = stride / 16 + 4;
    const bool narrow = w.bits <= 5;
    thread_local std::vector<float> xsBuffer, wscBuffer;
    thread_local std::vector<int8_t> wcBuffer;
    thread_local std::vector<int32_t> offsetBuffer;
    thread_local std::vector<uint8_t> xpanelBuffer;
    float *xs = scratch(xsBuffer, size_t(x.rows * slices));
    activationSliceScales(x, slices, xs);
    int8_t *wc = scratch(wcBuffer, size_t(kTileRows * 32 * kPanelChunks));
    float *wsc = scratch(wscBuffer, size_t(2 * kTileRows * kPanelChunks));
    int32_t *offsets = scratch(offsetBuffer, size_t(2 * kTileRows * kPanelChunks));
    uint8_t *xpanel = scratch(xpanelBuffer, size_t(kTokenBlock * 32 * kPanelChunks));
    __m256 acc[kTileTokens];
    for (qint64 c0 = 0; c0 < chunks; c0 += kPanelChunks) {
        const qint64 c1 = std::min(chunks, c0 + kPanelChunks), width = 32 * (c1 - c0);
        const bool add = accumulate || c0 > 0;
        for (qint64 t0 = 0; t0 < x.rows; t0 += kTokenBlock) {
            const qint64 t1 = std::min(x.rows, t0 + kTokenBlock);
            for (qint64 t = t0; t < t1; ++t) {
                const int8_t *src = x.codes.data() + t * stride + 32 * c0;
                uint8_t *dst = xpanel + (t - t0) * width;
                for (qint64 i = 0; i < width; ++i)
                    dst[i] = uint8_t(src[i]) ^ (narrow ? 0x80u : 0u);
            }
            for (qint64 o0 = r0; o0 < r1; o0 += kTileRows) {
                const int n = int(std::min<qint64>(kTileRows, r1 - o0));
                unpackTileAvx2(w, o0, n, c0, c1, wc, wsc, offsets);
                for (qint64 t = t0; t < t1; t += kTileTokens) {
                    const int nt = int(std::min<qint64>(kTileTokens, t1 - t));
                    const uint8_t *xc[kTileTokens];
                    const float *xsr[kTileTokens];
                    for (int k = 0; k < kTileTokens; ++k) {
                        const qint64 tk = t + std::min(k, nt - 1);
                        xc[k] = xpanel + (tk - t0) * width;
                        xsr[k] = xs + tk * slices + 2 * c0;
                    }
                    const qint64 n1 = 2 * (c1 - c0);
                    if (narrow && nt == kTileTokens)
                        tileTimesTokensAvx2<kTileTokens, true>(wc, wsc, offsets, xc, xsr, n1, acc);
                    else if (narrow)
                        for (int k = 0; k < nt; ++k)
                            tileTimesTokensAvx2<1, true>(wc, wsc, offsets, xc + k, xsr + k, n1, acc + k);
                    else if (nt == kTileTokens)
                        tileTimesTokensAvx2<kTileTokens, false>(wc, wsc, offsets, xc, xsr, n1, acc);
                    else
                        for (int k = 0; k < nt; ++k)
                            tileTimesTokensAvx2<1, false>(wc, wsc, offsets, xc + k, xsr + k, n1, acc + k);
                    for (int k = 0; k < nt; ++k)
                        addTile(acc[k], y + (t + k) * ldy + o0, n, add);
                }
            }
        }
    }
}

// ---- AVX-512 VNNI -----------------------------------------------------------------------
// Sixteen output rows per 512-bit register, one 32-bit lane each, the AVX2 layout twice as
// wide: a tile of sixteen weight rows over a panel of columns is unpacked to int8 and
// transposed so that register G(s, j) holds columns 16s + 4j .. +3 of rows 0..15 (row r in
// bytes 4r..4r+3). A token's four codes of those columns, +128 as unsigned bytes, are
// broadcast to every lane; four dpbusd (u8 x s8, exact int32 sums) give the sixteen rows' dot
// products of a 16-column slice, started from -128 · Σw of the slice so that the +128 cancels
// (any weight width: the sums are 32-bit). Per slice one int->float conversion and one FMA
// with the rows' scales times the token's scale. Sixteen tokens per pass share the tile's loads.
//
// Columns go in panels of 1024 (a tile of sixteen rows is 16 KB, in L1); the tokens' codes of
// a panel (1024 bytes each) stay in L2 while every tile of the panel passes over them.

#define LQER_VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

constexpr int kVnniRows = 16;
constexpr int kVnniTokens = 16;
constexpr qint64 kVnniPanelChunks = 32; // 32-column chunks per panel

// t[k] ← dword k of every t[r] (dword r of the result): a 16 x 16 transpose of 32-bit values
// in 64 shuffles (two in-lane levels, then two of 128-bit lanes).
LQER_VNNI inline void transpose16x16(__m512i *t)
{
    __m512i a[16], b[16];
    for (int i = 0; i < 8; ++i) {
        a[2 * i] = _mm512_unpacklo_epi32(t[2 * i], t[2 * i + 1]);
        a[2 * i + 1] = _mm512_unpackhi_epi32(t[2 * i], t[2 * i + 1]);
    }
    // b[4i + m], 128-bit lane L: dword 4L + m of rows 4i .. 4i + 3.
    for (int i = 0; i < 4; ++i) {
        b[4 * i + 0] = _mm512_unpacklo_epi64(a[4 * i], a[4 * i + 2]);
        b[4 * i + 1] = _mm512_unpackhi_epi64(a[4 * i], a[4 * i + 2]);
        b[4 * i + 2] = _mm512_unpacklo_epi64(a[4 * i + 1], a[4 * i + 3]);
        b[4 * i + 3] = _mm512_unpackhi_epi64(a[4 * i + 1], a[4 * i + 3]);
    }
    for (int m = 0; m < 4; ++m) {
        const __m512i e0 = _mm512_shuffle_i32x4(b[m], b[4 + m], _MM_SHUFFLE(1, 0, 1, 0));
        const __m512i e1 = _mm512_shuffle_i32x4(b[m], b[4 + m], _MM_SHUFFLE(3, 2, 3, 2));
        const __m512i e2 = _mm512_shuffle_i32x4(b[8 + m], b[12 + m], _MM_SHUFFLE(1, 0, 1, 0));
        const __m512i e3 = _mm512_shuffle_i32x4(b[8 + m], b[12 + m], _MM_SHUFFLE(3, 2, 3, 2));
        t[m] = _mm512_shuffle_i32x4(e0, e2, _MM_SHUFFLE(2, 0, 2, 0));
        t[4 + m] = _mm512_shuffle_i32x4(e0, e2, _MM_SHUFFLE(3, 1, 3, 1));
        t[8 + m] = _mm512_shuffle_i32x4(e1, e3, _MM_SHUFFLE(2, 0, 2, 0));
        t[12 + m] = _mm512_shuffle_i32x4(e1, e3, _MM_SHUFFLE(3, 1, 3, 1));
    }
}

std::atomic<bool> gSliceScalesOnly {false};

// Whether the tile's rows can share one exponent per row over chunks [c0, c1): MXINT codes
// narrow enough that code · 2^(e − e_min) stays an int8 for every slice exponent e of the row
// (4-bit codes: e − e_min <= 4). Then rowScales[r] = 2^e_min(r) (1 for padding rows) and
// shifts[r][s] = e − e_min. A tile whose rows share their exponents needs no per-slice scale
// in the product's inner loop. Runs for every tile of every call on unprepared weights: the
// slices' blocks are found once, not per row.
bool sharedRowExponents(const PackedMatrix &w, qint64 r0, int n, qint64 c0, qint64 c1, float *rowScales,
                        int8_t *shifts)
{
    if (w.scaleKind != PackedScale::Pow2 || w.bits > 4 || w.block % 16 != 0 || gSliceScalesOnly.load())
        return false;
    const int headroom = 8 - w.bits; // |code| <= 2^(bits-1), and 2^(bits-1) · 2^d <= 128
    const qint64 blocks = w.blocksPerRow(), slices = 2 * (c1 - c0);
    // The slices that hold columns, and the block of each.
    const qint64 valid = std::clamp<qint64>((w.cols + 15) / 16 - 2 * c0, 0, slices);
    int blockOf[2 * kVnniPanelChunks];
    for (qint64 s = 0; s < valid; ++s)
        blockOf[s] = int(16 * (2 * c0 + s) / w.block);
    for (int r = 0; r < kVnniRows; ++r) {
        rowScales[r] = 1.0f;
        int8_t *d = shifts + r * 2 * kVnniPanelChunks;
        std::fill(d, d + slices, int8_t(0));
        if (r >= n || valid == 0)
            continue;
        const int16_t *e = w.exponents.data() + (r0 + r) * blocks;
        int lo = INT_MAX, hi = INT_MIN;
        for (qint64 s = 0; s < valid; ++s) {
            lo = std::min<int>(lo, e[blockOf[s]]);
            hi = std::max<int>(hi, e[blockOf[s]]);
        }
        // The products scaled by 2^-e_min must stay normal floats like the unscaled ones.
        if (hi - lo > headroom || lo < -60 || lo > 60)
            return false;
        rowScales[r] = exactPow2(lo);
        for (qint64 s = 0; s < valid; ++s)
            d[s] = int8_t(e[blockOf[s]] - lo);
    }
    return true;
}

// Rows [r0, r0 + n) (n <= 16; the rest zeros) over chunks [c0, c1): the transposed codes (two
// slices of four registers per chunk), -128 · Σw per slice and row, and either the slices'
// scales (returns false) or, when the rows share their exponents (sharedRowExponents; returns
// true), codes shifted to each row's smallest exponent and that exponent's 2^e in rowScales.
// Two chunks (64 columns) at a time: each row's codes decoded into one register, then
// transposed in registers so that register k holds dword k of every row.
LQER_VNNI bool unpackTileVnni(const PackedMatrix &w, qint64 r0, int n, qint64 c0, qint64 c1, int8_t *codes,
                              int32_t *offsets, float *scales, float *rowScales)
{
    alignas(64) int8_t shifts[kVnniRows * 2 * kVnniPanelChunks];
    const bool shared = sharedRowExponents(w, r0, n, c0, c1, rowScales, shifts);
    const __m512i ones = _mm512_set1_epi8(1);
    for (qint64 c = c0; c < c1; c += 2) {
        const bool pair = c + 1 < c1;
        __m512i t[16];
        for (int r = 0; r < kVnniRows; ++r) {
            if (r >= n) {
                t[r] = _mm512_setzero_si512();
                continue;
            }
            const uint8_t *src = w.codes.data() + (r0 + r) * w.rowBytes();
            const __m256i second = pair ? chunkCodesAvx2(w, src, c + 1) : _mm256_setzero_si256();
            t[r] = _mm512_inserti64x4(_mm512_castsi256_si512(chunkCodesAvx2(w, src, c)), second, 1);
            if (shared) {
                // code · 2^shift per 16-code slice, through 16-bit lanes (the results fit int8).
                const int8_t *d = shifts + r * 2 * kVnniPanelChunks + 2 * (c - c0);
                const __m512i lo
                    = _mm512_mask_blend_epi16(0xffff0000u, _mm512_set1_epi16(d[0]), _mm512_set1_epi16(d[1]));
                const __m512i hi = pair
                    ? _mm512_mask_blend_epi16(0xffff0000u, _mm512_set1_epi16(d[2]), _mm512_set1_epi16(d[3]))
                    : _mm512_setzero_si512();
                const __m256i a = _mm512_cvtepi16_epi8(
                    _mm512_sllv_epi16(_mm512_cvtepi8_epi16(_mm512_castsi512_si256(t[r])), lo));
                const __m256i b = _mm512_cvtepi16_epi8(
                    _mm512_sllv_epi16(_mm512_cvtepi8_epi16(_mm512_extracti64x4_epi64(t[r], 1)), hi));
                t[r] = _mm512_inserti64x4(_mm512_castsi256_si512(a), b, 1);
            }
        }
        transpose16x16(t);
        for (int sl = 0; sl < (pair ? 4 : 2); ++sl) {
            const qint64 s = 2 * (c - c0) + sl;
            __m512i sum = _mm512_setzero_si512();
            for (int j = 0; j < 4; ++j) {
                _mm512_storeu_si512(codes + (4 * s + j) * 64, t[4 * sl + j]);
                sum = _mm512_dpbusd_epi32(sum, ones, t[4 * sl + j]);
            }
            _mm512_storeu_si512(offsets + s * kVnniRows,
                                _mm512_sub_epi32(_mm512_setzero_si512(), _mm512_slli_epi32(sum, 7)));
        }
    }
    if (!shared)
        tileScales(w, r0, n, kVnniRows, c0, c1, scales);
    return shared;
}

// kVnniTokens tokens times one unpacked tile over `slices` slices, added to acc: acc[t][r] +=
// Σ_s dot(t, r, s) · scale_w(r, s) · scale_x(t, s). xg: the group's codes + 128, slice-major
// ([s][t][16 bytes]); xsg: the group's slice scales, [s][t]. Without SliceScales (a tile whose
// rows share their exponents, ws unused) the weight scales come in when the tile is stored,
// which saves the inner loop's multiply (the dot products' pipes are its limit).
template<bool SliceScales>
LQER_VNNI inline __attribute__((always_inline)) void
tileTimesTokensVnni(const int8_t *wc, const int32_t *offsets, const float *ws, const uint8_t *xg,
                    const float *xsg, qint64 slices, __m512 *acc)
{
    for (qint64 s = 0; s < slices; ++s) {
        const __m512i g0 = _mm512_loadu_si512(wc + (4 * s + 0) * 64);
        const __m512i g1 = _mm512_loadu_si512(wc + (4 * s + 1) * 64);
        const __m512i g2 = _mm512_loadu_si512(wc + (4 * s + 2) * 64);
        const __m512i g3 = _mm512_loadu_si512(wc + (4 * s + 3) * 64);
        const __m512i off = _mm512_loadu_si512(offsets + kVnniRows * s);
        const __m512 scale = SliceScales ? _mm512_loadu_ps(ws + kVnniRows * s) : _mm512_setzero_ps();
        const int32_t *x = reinterpret_cast<const int32_t *>(xg + s * kVnniTokens * 16);
        const float *xs = xsg + s * kVnniTokens;
#pragma GCC unroll 16
        for (int t = 0; t < kVnniTokens; ++t) {
            __m512i p = _mm512_dpbusd_epi32(off, _mm512_set1_epi32(x[4 * t + 0]), g0);
            p = _mm512_dpbusd_epi32(p, _mm512_set1_epi32(x[4 * t + 1]), g1);
            p = _mm512_dpbusd_epi32(p, _mm512_set1_epi32(x[4 * t + 2]), g2);
            p = _mm512_dpbusd_epi32(p, _mm512_set1_epi32(x[4 * t + 3]), g3);
            const __m512 tokenScale = _mm512_set1_ps(xs[t]);
            acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(p),
                                     SliceScales ? _mm512_mul_ps(scale, tokenScale) : tokenScale, acc[t]);
        }
    }
}

// The input's codes + 128 and slice scales for every panel, slice-major within each group of
// kVnniTokens tokens (tokens past the end: zero scales): panel c0 starts at group-major offset
// groups · kVnniTokens · 16 · 2c0 bytes (and groups · kVnniTokens · 2c0 scales).
struct VnniPanels
{
    const QuantizedRows *source = nullptr;
    quint64 generation = 0;
    std::vector<uint8_t> codes;
    std::vector<float> scales;
};

// The slice scales of tokens [t0, t0 + 16) over slices [s0, s0 + slices), slice-major ([s][t],
// zero for tokens past the rows), sixteen slices at a time: each token's exponents become
// 2^e in one register, and a 16 x 16 transpose turns sixteen tokens' registers into sixteen
// slices' rows. Only for blocks of sixteen (one exponent per slice) and exponents whose 2^e is
// a normal float; otherwise returns false (the caller then writes every scale itself).
LQER_VNNI bool vnniGroupScales(const QuantizedRows &x, qint64 t0, qint64 s0, qint64 slices, float *sc)
{
    if (x.block != 16)
        return false;
    const qint64 blocks = x.blocksPerRow();
    for (qint64 h = 0; h < slices; h += 16) {
        // Slices past the row's blocks (padding) have no exponent: scale 0.
        const qint64 have = std::clamp<qint64>(blocks - (s0 + h), 0, 16);
        const __mmask16 lanes = __mmask16((1u << have) - 1u);
        __m512i t[16];
        for (int k = 0; k < kVnniTokens; ++k) {
            if (t0 + k >= x.rows) {
                t[k] = _mm512_setzero_si512();
                continue;
            }
            const __m512i e = _mm512_cvtepi16_epi32(
                _mm256_maskz_loadu_epi16(lanes, x.exponents.data() + (t0 + k) * blocks + s0 + h));
            if (_mm512_mask_cmplt_epi32_mask(lanes, e, _mm512_set1_epi32(-126))
                || _mm512_mask_cmpgt_epi32_mask(lanes, e, _mm512_set1_epi32(127)))
                return false;
            t[k] = _mm512_maskz_slli_epi32(lanes, _mm512_add_epi32(e, _mm512_set1_epi32(127)), 23);
        }
        transpose16x16(t);
        for (qint64 j = 0; j < std::min<qint64>(16, slices - h); ++j)
            _mm512_storeu_si512(sc + (h + j) * kVnniTokens, t[j]);
    }
    return true;
}

// Two cached inputs per thread: slot 0 for the main product's X, slot 1 for a fused second
// term's (the low-rank path's Q(X A)), so that neither evicts the other.
LQER_VNNI const VnniPanels &vnniPanels(const QuantizedRows &x, int slot)
{
    thread_local VnniPanels cache[2];
    VnniPanels &p = cache[slot];
    if (x.generation != 0 && p.source == &x && p.generation == x.generation)
        return p;
    const qint64 stride = x.paddedCols(), chunks = stride / 32;
    const qint64 groups = (x.rows + kVnniTokens - 1) / kVnniTokens;
    p.codes.resize(size_t(groups * kVnniTokens * stride));
    p.scales.resize(size_t(groups * kVnniTokens * (stride / 16)));
    const __m128i flip = _mm_set1_epi8(char(0x80));
    thread_local std::vector<int> blocks;
    for (qint64 c0 = 0; c0 < chunks; c0 += kVnniPanelChunks) {
        const qint64 slices = 2 * (std::min(chunks, c0 + kVnniPanelChunks) - c0);
        sliceBlocks(x, 2 * c0, slices, blocks);
        uint8_t *panel = p.codes.data() + groups * kVnniTokens * 16 * 2 * c0;
        float *scales = p.scales.data() + groups * kVnniTokens * 2 * c0;
        for (qint64 g = 0; g < groups; ++g) {
            for (int k = 0; k < kVnniTokens; ++k) {
                const qint64 row = std::min(g * kVnniTokens + k, x.rows - 1);
                const int8_t *src = x.codes.data() + row * stride + 32 * c0;
                uint8_t *dst = panel + g * kVnniTokens * 16 * slices + k * 16;
                for (qint64 sl = 0; sl < slices; ++sl) {
                    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(src + 16 * sl));
                    _mm_storeu_si128(reinterpret_cast<__m128i *>(dst + sl * kVnniTokens * 16),
                                     _mm_xor_si128(v, flip));
                }
            }
            float *sc = scales + g * kVnniTokens * slices;
            if (!vnniGroupScales(x, g * kVnniTokens, 2 * c0, slices, sc))
                for (int k = 0; k < kVnniTokens; ++k) {
                    const qint64 t = g * kVnniTokens + k;
                    const int16_t *exponents
                        = x.exponents.data() + std::min(t, x.rows - 1) * x.blocksPerRow();
                    for (qint64 sl = 0; sl < slices; ++sl)
                        sc[sl * kVnniTokens + k]
                            = t < x.rows ? sliceScale(exponents, blocks[size_t(sl)]) : 0.0f;
                }
        }
    }
    p.source = &x;
    p.generation = x.generation;
    return p;
}

// y (+)= acc · rowScale (exact: powers of two; 1 for tiles with per-slice scales).
LQER_VNNI void storeTokensVnni(const __m512 *acc, __m512 rowScale, float *y, qint64 ldy, int nt,
                               __mmask16 lanes, bool add)
{
#pragma GCC unroll 16
    for (int t = 0; t < kVnniTokens; ++t) {
        if (t < nt) {
            float *dst = y + t * ldy;
            const __m512 a = _mm512_mul_ps(acc[t], rowScale);
            const __m512 v = add ? _mm512_add_ps(_mm512_maskz_loadu_ps(lanes, dst), a) : a;
            _mm512_mask_storeu_ps(dst, lanes, v);
        }
    }
}

// Per-thread buffers of one unpacked tile (codes transposed, offsets, scales).
struct VnniTile
{
    std::vector<int8_t> codes;
    std::vector<int32_t> offsets;
    std::vector<float> scales;
    alignas(64) float rowScales[kVnniRows];
    bool shared = false;
    void reserve()
    {
        codes.resize(size_t(kVnniRows * 32 * kVnniPanelChunks));
        offsets.resize(size_t(2 * kVnniRows * kVnniPanelChunks));
        scales.resize(size_t(2 * kVnniRows * kVnniPanelChunks));
    }
    LQER_VNNI void unpack(const PackedMatrix &w, qint64 o0, int n, qint64 c0, qint64 c1)
    {
        shared = unpackTileVnni(w, o0, n, c0, c1, codes.data(), offsets.data(), scales.data(), rowScales);
    }
};

// y = X · Wᵀ (+ X2 · W2ᵀ when x2 is given, its columns in one panel): the second term's slices
// run into the same accumulators after the last panel of the first, so y is written once.
void gemmVnni(const QuantizedRows &x, const PackedMatrix &w, const QuantizedRows *x2, const PackedMatrix *w2,
              qint64 r0, qint64 r1, float *y, qint64 ldy, bool accumulate)
{
    const qint64 chunks = x.paddedCols() / 32;
    const qint64 groups = (x.rows + kVnniTokens - 1) / kVnniTokens;
    const VnniPanels &panels = vnniPanels(x, 0);
    const VnniPanels *second = x2 ? &vnniPanels(*x2, 1) : nullptr;
    const qint64 slices2 = x2 ? x2->paddedCols() / 16 : 0;
    thread_local VnniTile tile, tile2;
    tile.reserve();
    if (x2)
        tile2.reserve();
    // Prepared tiles line up with 16-row tiles from row 0.
    const KernelTiles *pre = r0 % kVnniRows == 0 ? w.kernelTiles.get() : nullptr;
    const KernelTiles *pre2 = x2 && r0 % kVnniRows == 0 ? w2->kernelTiles.get() : nullptr;
    struct TileView
    {
        const int8_t *codes;
        const int32_t *offsets;
        const float *scales;
        const float *rowScales; // rows sharing their exponents (no per-slice scales), or null
    };
    // Tile (o0, n) over chunks [c0, c1): the prepared one, or unpacked into `scratch`.
    const auto tileOf = [](const KernelTiles *prepared, VnniTile &scratch, const PackedMatrix &m, qint64 o0,
                           int n, qint64 c0, qint64 c1) {
        if (prepared) {
            const qint64 i = prepared->index(c0, c1, o0 / kVnniRows);
            return TileView {prepared->codes.data() + 512 * i, prepared->offsets.data() + 32 * i,
                             prepared->scales.data() + 32 * i,
                             prepared->shared[size_t(i)] ? prepared->rowScales.data() + 16 * i : nullptr};
        }
        scratch.unpack(m, o0, n, c0, c1);
        return TileView {scratch.codes.data(), scratch.offsets.data(), scratch.scales.data(),
                         scratch.shared ? scratch.rowScales : nullptr};
    };
    // The low-rank term's slice scales over a shared-exponent tile's row scales.
    alignas(64) float lowScales[2 * kVnniRows * kVnniPanelChunks];
    __m512 acc[kVnniTokens];
    for (qint64 c0 = 0; c0 < chunks; c0 += kVnniPanelChunks) {
        const qint64 c1 = std::min(chunks, c0 + kVnniPanelChunks), slices = 2 * (c1 - c0);
        const bool add = accumulate || c0 > 0, last = c1 == chunks;
        const uint8_t *panel = panels.codes.data() + groups * kVnniTokens * 16 * 2 * c0;
        const float *scales = panels.scales.data() + groups * kVnniTokens * 2 * c0;
        for (qint64 o0 = r0; o0 < r1; o0 += kVnniRows) {
            const int n = int(std::min<qint64>(kVnniRows, r1 - o0));
            const TileView main = tileOf(pre, tile, w, o0, n, c0, c1);
            TileView low = x2 && last ? tileOf(pre2, tile2, *w2, o0, n, 0, slices2 / 2) : TileView {};
            const __m512 rowScale = main.rowScales ? _mm512_loadu_ps(main.rowScales) : _mm512_set1_ps(1.0f);
            if (x2 && last && main.rowScales) {
                // Into the main term's units: the low-rank scales over 2^e_min of each row
                // (exact; so the stored sum is the one of per-slice scales, bit for bit).
                const __m512 inverse = _mm512_div_ps(_mm512_set1_ps(1.0f), rowScale);
                for (qint64 s2 = 0; s2 < slices2; ++s2)
                    _mm512_store_ps(lowScales + kVnniRows * s2,
                                    _mm512_mul_ps(_mm512_loadu_ps(low.scales + kVnniRows * s2), inverse));
                low.scales = lowScales;
            }
            const __mmask16 lanes = __mmask16((1u << n) - 1u);
            for (qint64 g = 0; g < groups; ++g) {
                const qint64 t = g * kVnniTokens;
#pragma GCC unroll 16
                for (int k = 0; k < kVnniTokens; ++k)
                    acc[k] = _mm512_setzero_ps();
                const uint8_t *xg = panel + g * kVnniTokens * 16 * slices;
                const float *xsg = scales + g * kVnniTokens * slices;
                if (main.rowScales)
                    tileTimesTokensVnni<false>(main.codes, main.offsets, nullptr, xg, xsg, slices, acc);
                else
                    tileTimesTokensVnni<true>(main.codes, main.offsets, main.scales, xg, xsg, slices, acc);
                if (x2 && last)
                    tileTimesTokensVnni<true>(low.codes, low.offsets, low.scales,
                                              second->codes.data() + g * kVnniTokens * 16 * slices2,
                                              second->scales.data() + g * kVnniTokens * slices2, slices2,
                                              acc);
                storeTokensVnni(acc, rowScale, y + t * ldy + o0, ldy,
                                int(std::min<qint64>(kVnniTokens, x.rows - t)), lanes, add);
            }
        }
    }
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

namespace {

#ifdef LQER_KERNELS_X86
// Sixteen codes in the LQER convention: min(round half to even(|v| · up), qmax) with v's sign
// (up = 2^-step; round-to-nearest-even agrees with mxintBlockCodes' magic-number rounding
// wherever the minimum does not take qmax).
__attribute__((target("avx512f,avx512vl,avx512bw"), always_inline)) inline __m512i
lqerCodes16(__m512 v, __m512 up, __m512 qmax)
{
    const __m512 a
        = _mm512_castsi512_ps(_mm512_and_si512(_mm512_castps_si512(v), _mm512_set1_epi32(0x7fffffff)));
    const __m512 q = _mm512_min_ps(
        _mm512_roundscale_ps(_mm512_mul_ps(a, up), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC), qmax);
    const __m512i c = _mm512_cvttps_epi32(q);
    return _mm512_mask_sub_epi32(c, _mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_LT_OQ),
                                 _mm512_setzero_si512(), c);
}

// Sixteen-value blocks sixteen at a time (cols [16 b0, 16 (b0 + nb)), nb <= 16): the blocks'
// magnitude maxima are reduced together by a transposing tree of maxima (four levels instead
// of sixteen horizontal reductions) and their exponents computed in one register. Returns
// false, having written nothing, when a block holds NaN/Inf, has a subnormal maximum, or needs
// a step outside the normal range: the caller then takes those blocks one at a time.
__attribute__((target("avx512f,avx512vl,avx512bw"))) bool lqerSixteenBlocksAvx512(const float *v, int nb,
                                                                                  int bits, int bias,
                                                                                  int emax, int8_t *codes,
                                                                                  int16_t *exponents)
{
    const __m512i magnitude = _mm512_set1_epi32(0x7fffffff);
    __m512i m[16];
    for (int j = 0; j < 16; ++j)
        m[j] = j < nb ? _mm512_and_si512(_mm512_loadu_si512(v + 16 * j), magnitude) : _mm512_setzero_si512();
    // Level 1: each pair's 128-bit halves (lanes 0-7: block 2i's partial maxima, 8-15: 2i+1's).
    for (int i = 0; i < 8; ++i)
        m[i] = _mm512_max_epu32(_mm512_shuffle_i32x4(m[2 * i], m[2 * i + 1], _MM_SHUFFLE(1, 0, 1, 0)),
                                _mm512_shuffle_i32x4(m[2 * i], m[2 * i + 1], _MM_SHUFFLE(3, 2, 3, 2)));
    // Level 2: 128-bit lane q of m[i] holds block 4i + q (four partial maxima).
    for (int i = 0; i < 4; ++i)
        m[i] = _mm512_max_epu32(_mm512_shuffle_i32x4(m[2 * i], m[2 * i + 1], _MM_SHUFFLE(2, 0, 2, 0)),
                                _mm512_shuffle_i32x4(m[2 * i], m[2 * i + 1], _MM_SHUFFLE(3, 1, 3, 1)));
    // Level 3: lane q of m[i]: dwords 0-1 block 8i + q, dwords 2-3 block 8i + 4 + q.
    for (int i = 0; i < 2; ++i)
        m[i] = _mm512_max_epu32(_mm512_unpacklo_epi64(m[2 * i], m[2 * i + 1]),
                                _mm512_unpackhi_epi64(m[2 * i], m[2 * i + 1]));
    // Level 4: dword d of lane q holds block q + 4d; put the blocks in order.
    const __m512 c0 = _mm512_castsi512_ps(m[0]), c1 = _mm512_castsi512_ps(m[1]);
    const __m512i even = _mm512_castps_si512(_mm512_shuffle_ps(c0, c1, _MM_SHUFFLE(2, 0, 2, 0)));
    const __m512i odd = _mm512_castps_si512(_mm512_shuffle_ps(c0, c1, _MM_SHUFFLE(3, 1, 3, 1)));
    const __m512i amax = _mm512_permutexvar_epi32(
        _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15), _mm512_max_epu32(even, odd));
    const __mmask16 lanes = __mmask16((1u << nb) - 1u);
    const __mmask16 zero = _mm512_cmpeq_epi32_mask(amax, _mm512_setzero_si512());
    if (_mm512_cmpge_epu32_mask(amax, _mm512_set1_epi32(0x7f800000)) // NaN/Inf
        || _mm512_mask_cmplt_epu32_mask(__mmask16(~zero), amax, _mm512_set1_epi32(0x00800000))) // subnormal
        return false;
    // ceil(log2 amax) from the bits: the exponent, plus one unless the mantissa is zero.
    const __m512i mantissa = _mm512_and_si512(amax, _mm512_set1_epi32(0x007fffff));
    __m512i e = _mm512_sub_epi32(_mm512_srli_epi32(amax, 23), _mm512_set1_epi32(127));
    e = _mm512_mask_add_epi32(e, _mm512_test_epi32_mask(mantissa, mantissa), e, _mm512_set1_epi32(1));
    e = _mm512_min_epi32(_mm512_max_epi32(e, _mm512_set1_epi32(-bias)), _mm512_set1_epi32(emax));
    const __m512i step = _mm512_sub_epi32(e, _mm512_set1_epi32(bits - 1));
    // 2^-step must be a normal float (the per-block path's condition, and step <= 126).
    if (_mm512_mask_cmplt_epi32_mask(__mmask16(~zero), step, _mm512_set1_epi32(-126))
        || _mm512_mask_cmpgt_epi32_mask(__mmask16(~zero), step, _mm512_set1_epi32(126)))
        return false;
    _mm512_mask_cvtepi32_storeu_epi16(exponents, lanes, _mm512_maskz_mov_epi32(__mmask16(~zero), step));
    alignas(64) float up[16];
    _mm512_store_ps(
        up, _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_sub_epi32(_mm512_set1_epi32(127), step), 23)));
    const __m512 vmax = _mm512_set1_ps(float((1 << (bits - 1)) - 1));
    for (int j = 0; j < nb; ++j) // zero blocks come out as zero codes whatever their scale
        _mm_storeu_si128(
            reinterpret_cast<__m128i *>(codes + 16 * j),
            _mm512_cvtepi32_epi8(lqerCodes16(_mm512_loadu_ps(v + 16 * j), _mm512_set1_ps(up[j]), vmax)));
    return true;
}

// The rows' codes and exponents in the LQER convention, sixteen values per register: the
// block's largest magnitude as the integer maximum of the magnitudes' bits (finite floats
// order as their bits do, and NaN/Inf bits exceed every finite one), then the codes as
// mxintBlockCodes' loop computes them: min(round half to even(|x| · 2^-step), qmax) with x's
// sign (round-to-nearest-even agrees with its magic-number rounding wherever the minimum does
// not take qmax). Blocks of sixteen go sixteen at a time through lqerSixteenBlocksAvx512;
// blocks whose step leaves the normal range go through mxintBlockCodes.
// Returns the index of the first non-finite value, or -1.
__attribute__((target("avx512f,avx512vl,avx512bw"))) qint64
lqerActivationCodesAvx512(const float *x, qint64 rows, qint64 cols, const QuantFormat &f, QuantizedRows &out)
{
    const int bias = (1 << (f.expBits - 1)) - 1, emax = (1 << f.expBits) - 1 - bias;
    const int qmax = (1 << (f.bits - 1)) - 1;
    const __m512i magnitude = _mm512_set1_epi32(0x7fffffff);
    const __m512 vmax = _mm512_set1_ps(float(qmax));
    const qint64 stride = out.paddedCols(), blocks = out.blocksPerRow();
    // Whole sixteen-value blocks of each row, taken sixteen blocks at a time.
    const qint64 grouped = out.block == 16 ? cols / 16 : 0;
    for (qint64 r = 0; r < rows; ++r) {
        const float *row = x + r * cols;
        int8_t *codes = out.codes.data() + r * stride;
        int16_t *exponents = out.exponents.data() + r * blocks;
        // Block b one at a time: the index of its first non-finite value, or -1.
        const auto oneBlock = [&](qint64 b) -> qint64 {
            const qint64 c0 = b * out.block;
            const int n = int(std::min<qint64>(out.block, cols - c0));
            const float *v = row + c0;
            // The lanes of the sixteen values from j that lie inside the block.
            const auto lanesFrom
                = [n](int j) { return n - j >= 16 ? __mmask16(0xffff) : __mmask16((1u << (n - j)) - 1u); };
            __m512i m = _mm512_setzero_si512();
            for (int j = 0; j < n; j += 16) {
                const __mmask16 k = lanesFrom(j);
                m = _mm512_max_epu32(m, _mm512_and_si512(_mm512_maskz_loadu_epi32(k, v + j), magnitude));
            }
            const uint32_t amaxBits = uint32_t(_mm512_reduce_max_epu32(m));
            if (amaxBits >= 0x7f800000u)
                return r * cols + c0 + firstNonFinite(v, n);
            int16_t &exponent = exponents[b];
            if (amaxBits == 0) {
                std::memset(codes + c0, 0, size_t(n));
                exponent = 0;
                return -1;
            }
            const int E = std::clamp(ceilLog2(std::bit_cast<float>(amaxBits)), -bias, emax);
            const int step = E - (f.bits - 1);
            if (step < -126 || -step > 127) {
                exponent = int16_t(mxintBlockCodes(v, n, f, codes + c0));
                return -1;
            }
            const __m512 up = _mm512_set1_ps(exactPow2(-step));
            for (int j = 0; j < n; j += 16) {
                const __mmask16 k = lanesFrom(j);
                _mm512_mask_cvtepi32_storeu_epi8(codes + c0 + j, k,
                                                 lqerCodes16(_mm512_maskz_loadu_ps(k, v + j), up, vmax));
            }
            exponent = int16_t(step);
            return -1;
        };
        for (qint64 b = 0; b < blocks;) {
            const int nb = int(std::min<qint64>(16, grouped - b));
            if (nb > 0
                && lqerSixteenBlocksAvx512(row + 16 * b, nb, f.bits, bias, emax, codes + 16 * b,
                                           exponents + b)) {
                b += nb;
                continue;
            }
            for (const qint64 end = b + std::max(nb, 1); b < end; ++b)
                if (const qint64 bad = oneBlock(b); bad >= 0)
                    return bad;
        }
        std::memset(codes + cols, 0, size_t(stride - cols));
    }
    return -1;
}
#endif

// The generic path: one mxintBlockCodes call per block.
qint64 activationCodesScalar(const float *x, qint64 rows, qint64 cols, const QuantFormat &f,
                             QuantizedRows &out)
{
    if (const qint64 bad = firstNonFinite(x, rows * cols); bad >= 0)
        return bad;
    const qint64 stride = out.paddedCols(), blocks = out.blocksPerRow();
    for (qint64 r = 0; r < rows; ++r) {
        int8_t *codes = out.codes.data() + r * stride;
        for (qint64 b = 0; b < blocks; ++b) {
            const qint64 c0 = b * out.block;
            const int n = int(std::min<qint64>(out.block, cols - c0));
            out.exponents[size_t(r * blocks + b)]
                = int16_t(mxintBlockCodes(x + r * cols + c0, n, f, codes + c0));
        }
        std::memset(codes + cols, 0, size_t(stride - cols));
    }
    return -1;
}

std::atomic<bool> gScalarActivationCodes {false};

} // namespace

void forceSliceScales(bool only)
{
#ifdef LQER_KERNELS_X86
    gSliceScalesOnly.store(only);
#else
    Q_UNUSED(only);
#endif
}

void forceScalarActivationCodes(bool scalar)
{
    gScalarActivationCodes.store(scalar);
}

Status quantizeActivationRows(const float *x, qint64 rows, qint64 cols, const QuantFormat &format,
                              const QString &tensorName, QuantizedRows &out)
{
    if (!isCodeQuantizable(format))
        return makeError(QStringLiteral("tensor '%1': %2 cannot be quantized to integer codes")
                             .arg(tensorName, format.toString()));
    static std::atomic<quint64> generations {0};
    out.generation = ++generations;
    out.rows = rows;
    out.cols = cols;
    out.bits = format.bits;
    out.block = effectiveBlock(format.block, cols);
    out.codes.resize(size_t(rows * out.paddedCols()));
    out.exponents.resize(size_t(rows * out.blocksPerRow()));
    qint64 bad = -1;
#ifdef LQER_KERNELS_X86
    if (format.convention == MxConvention::Lqer && cpuHasAvx512F() && !gScalarActivationCodes.load())
        bad = lqerActivationCodesAvx512(x, rows, cols, format, out);
    else
#endif
        bad = activationCodesScalar(x, rows, cols, format, out);
    if (bad >= 0) {
        out.generation = 0;
        return makeError(QStringLiteral("tensor '%1': non-finite value %2 at element %3")
                             .arg(tensorName.isEmpty() ? QStringLiteral("<unnamed>") : tensorName)
                             .arg(double(x[bad]))
                             .arg(bad));
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
        return cpuHasAvx2Fma();
    case KernelIsa::Avx512Vnni:
        return cpuHasAvx512Vnni();
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
            return gemmVnni(x, w, nullptr, nullptr, o0, o1, y, ldy, accumulate);
    }
#endif
    gemmScalar(x, w, o0, o1, y, ldy, accumulate);
}

qint64 sharedExponentTiles(const PackedMatrix &w)
{
    if (!w.kernelTiles)
        return 0;
    return std::count(w.kernelTiles->shared.begin(), w.kernelTiles->shared.end(), uint8_t(1));
}

qint64 kernelTileBytes(const PackedMatrix &w)
{
    if (!kernelIsaSupported(KernelIsa::Avx512Vnni))
        return 0;
    const qint64 tiles = (w.rows + 15) / 16, chunks = w.paddedCols() / 32;
    // Per 16 x 32 tile chunk: codes, offsets and scales of two slices, a flag, sixteen row scales.
    return tiles * chunks
        * (512 + 32 * qint64(sizeof(int32_t) + sizeof(float)) + 1 + 16 * qint64(sizeof(float)));
}

void prepareKernelTiles(const PackedMatrix &w)
{
#ifdef LQER_KERNELS_X86
    if (w.kernelTiles || kernelTileBytes(w) == 0)
        return;
    auto t = std::make_shared<KernelTiles>();
    const qint64 chunks = w.paddedCols() / 32;
    t->tiles = (w.rows + kVnniRows - 1) / kVnniRows;
    t->codes.resize(size_t(t->tiles * chunks * 512));
    t->offsets.resize(size_t(t->tiles * chunks * 32));
    t->scales.resize(size_t(t->tiles * chunks * 32));
    t->shared.resize(size_t(t->tiles * chunks));
    t->rowScales.resize(size_t(t->tiles * chunks * 16));
    for (qint64 c0 = 0; c0 < chunks; c0 += kVnniPanelChunks) {
        const qint64 c1 = std::min(chunks, c0 + kVnniPanelChunks);
        for (qint64 i = 0; i < t->tiles; ++i) {
            const qint64 at = t->index(c0, c1, i);
            t->shared[size_t(at)]
                = unpackTileVnni(w, kVnniRows * i, int(std::min<qint64>(kVnniRows, w.rows - kVnniRows * i)),
                                 c0, c1, t->codes.data() + 512 * at, t->offsets.data() + 32 * at,
                                 t->scales.data() + 32 * at, t->rowScales.data() + 16 * at);
        }
    }
    w.kernelTiles = std::move(t);
#else
    Q_UNUSED(w);
#endif
}

void packedGemm(const QuantizedRows &x, const PackedMatrix &w, float *y, qint64 ldy, bool accumulate,
                KernelIsa isa)
{
    packedGemmColumns(x, w, 0, w.rows, y, ldy, accumulate, isa);
}

void packedGemmSum(const QuantizedRows &x, const PackedMatrix &w, const QuantizedRows &x2,
                   const PackedMatrix &w2, float *y, qint64 ldy, bool accumulate, KernelIsa isa)
{
    Q_ASSERT(x.rows == x2.rows && w.rows == w2.rows);
#ifdef LQER_KERNELS_X86
    if (isa == KernelIsa::Avx512Vnni && kernelIsaSupported(isa) && packedGemmSupported(x, w)
        && packedGemmSupported(x2, w2) && x2.paddedCols() / 32 <= kVnniPanelChunks)
        return gemmVnni(x, w, &x2, &w2, 0, w.rows, y, ldy, accumulate);
#endif
    packedGemm(x, w, y, ldy, accumulate, isa);
    packedGemm(x2, w2, y, ldy, true, isa);
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
