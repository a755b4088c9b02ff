#include "core/kernels/floatgemm.h"

#include "core/common/cpufeatures.h"
#include "core/common/tensor.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <optional>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define LQER_FLOATGEMM_X86 1
#endif

namespace lqer {

namespace {

// The weight: a row reader, or float32 values packed straight from memory: W's rows
// (W[o, k] at direct[o · ld + k]) or, kMajor, its columns (W[o, k] at direct[k · ld + o]: the
// right factor V of a plain product X · V).
struct WeightSource
{
    const WeightRowReader *reader = nullptr;
    const float *direct = nullptr;
    qint64 ld = 0;
    bool kMajor = false;
};

// Eigen on converted blocks of about 1 MB of float32 rows: the reference path.
void gemmEigen(const float *x, qint64 ldx, qint64 tokens, qint64 cols, const WeightRowReader &w, qint64 o0,
               qint64 o1, float *y, qint64 ldy)
{
    using ConstMapX = Eigen::Map<const MatrixRM, 0, Eigen::OuterStride<>>;
    using MapY = Eigen::Map<MatrixRM, 0, Eigen::OuterStride<>>;
    const ConstMapX xm(x, tokens, cols, Eigen::OuterStride<>(ldx));
    const qint64 block = std::clamp<qint64>((qint64(1) << 18) / std::max<qint64>(cols, 1), 16, o1 - o0);
    thread_local std::vector<float> buffer;
    buffer.resize(size_t(block * cols));
    for (qint64 r = o0; r < o1; r += block) {
        const qint64 n = std::min(block, o1 - r);
        for (qint64 i = 0; i < n; ++i)
            w(r + i, 0, cols, buffer.data() + i * cols);
        const Eigen::Map<const MatrixRM> wm(buffer.data(), n, cols);
        MapY(y + r, tokens, n, Eigen::OuterStride<>(ldy)).noalias() = xm * wm.transpose();
    }
}

#ifdef LQER_FLOATGEMM_X86

#define LQER_AVX2 __attribute__((target("avx2,fma")))
#define LQER_AVX512 __attribute__((target("avx512f,avx512vl,fma")))

constexpr qint64 kDepth = 256; // k per block: a feature panel is 16 KB (AVX2) or 32 KB (AVX-512), in L1

// AVX2 + FMA: 6 tokens x 16 features in 12 ymm accumulators. c (row stride ldc) = c (or 0 when
// `first`) + Σ_k a[k][r] · b[k][j], one FMA chain per element in k order.
// a: kc x 6 token panel; b: kc x 16 feature panel.
struct Avx2Tile
{
    static constexpr int kTokens = 6;
    static constexpr int kFeatures = 16;
    LQER_AVX2 static void run(qint64 kc, const float *a, const float *b, float *c, qint64 ldc, bool first)
    {
        __m256 c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (first) {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = _mm256_setzero_ps();
        } else {
            c00 = _mm256_loadu_ps(c + 0 * ldc), c01 = _mm256_loadu_ps(c + 0 * ldc + 8);
            c10 = _mm256_loadu_ps(c + 1 * ldc), c11 = _mm256_loadu_ps(c + 1 * ldc + 8);
            c20 = _mm256_loadu_ps(c + 2 * ldc), c21 = _mm256_loadu_ps(c + 2 * ldc + 8);
            c30 = _mm256_loadu_ps(c + 3 * ldc), c31 = _mm256_loadu_ps(c + 3 * ldc + 8);
            c40 = _mm256_loadu_ps(c + 4 * ldc), c41 = _mm256_loadu_ps(c + 4 * ldc + 8);
            c50 = _mm256_loadu_ps(c + 5 * ldc), c51 = _mm256_loadu_ps(c + 5 * ldc + 8);
        }
#pragma GCC unroll 4
        for (qint64 k = 0; k < kc; ++k) {
            const __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
            __m256 t = _mm256_broadcast_ss(a + 0);
            c00 = _mm256_fmadd_ps(t, b0, c00), c01 = _mm256_fmadd_ps(t, b1, c01);
            t = _mm256_broadcast_ss(a + 1);
            c10 = _mm256_fmadd_ps(t, b0, c10), c11 = _mm256_fmadd_ps(t, b1, c11);
            t = _mm256_broadcast_ss(a + 2);
            c20 = _mm256_fmadd_ps(t, b0, c20), c21 = _mm256_fmadd_ps(t, b1, c21);
            t = _mm256_broadcast_ss(a + 3);
            c30 = _mm256_fmadd_ps(t, b0, c30), c31 = _mm256_fmadd_ps(t, b1, c31);
            t = _mm256_broadcast_ss(a + 4);
            c40 = _mm256_fmadd_ps(t, b0, c40), c41 = _mm256_fmadd_ps(t, b1, c41);
            t = _mm256_broadcast_ss(a + 5);
            c50 = _mm256_fmadd_ps(t, b0, c50), c51 = _mm256_fmadd_ps(t, b1, c51);
            a += kTokens;
            b += kFeatures;
        }
        _mm256_storeu_ps(c + 0 * ldc, c00), _mm256_storeu_ps(c + 0 * ldc + 8, c01);
        _mm256_storeu_ps(c + 1 * ldc, c10), _mm256_storeu_ps(c + 1 * ldc + 8, c11);
        _mm256_storeu_ps(c + 2 * ldc, c20), _mm256_storeu_ps(c + 2 * ldc + 8, c21);
        _mm256_storeu_ps(c + 3 * ldc, c30), _mm256_storeu_ps(c + 3 * ldc + 8, c31);
        _mm256_storeu_ps(c + 4 * ldc, c40), _mm256_storeu_ps(c + 4 * ldc + 8, c41);
        _mm256_storeu_ps(c + 5 * ldc, c50), _mm256_storeu_ps(c + 5 * ldc + 8, c51);
    }
};

// AVX-512: 8 tokens x 32 features in 16 zmm accumulators (two 512-bit FMA pipes of latency 4
// need eight chains in flight), same contract as Avx2Tile. Measured on a Zen 5 core against
// the alternatives: 12 x 32 spills accumulators (49-55% of peak), a 128- or 192-deep k block
// is a few percent slower than 256; this tile reaches 79-82% of the FMA peak.
struct Avx512Tile
{
    static constexpr int kTokens = 8;
    static constexpr int kFeatures = 32;
    LQER_AVX512 static void run(qint64 kc, const float *a, const float *b, float *c, qint64 ldc, bool first)
    {
        __m512 acc[kTokens][2];
#pragma GCC unroll 8
        for (int r = 0; r < kTokens; ++r) {
            acc[r][0] = first ? _mm512_setzero_ps() : _mm512_loadu_ps(c + r * ldc);
            acc[r][1] = first ? _mm512_setzero_ps() : _mm512_loadu_ps(c + r * ldc + 16);
        }
#pragma GCC unroll 2
        for (qint64 k = 0; k < kc; ++k) {
            const __m512 b0 = _mm512_load_ps(b), b1 = _mm512_load_ps(b + 16);
#pragma GCC unroll 8
            for (int r = 0; r < kTokens; ++r) {
                const __m512 t = _mm512_set1_ps(a[r]);
                acc[r][0] = _mm512_fmadd_ps(t, b0, acc[r][0]);
                acc[r][1] = _mm512_fmadd_ps(t, b1, acc[r][1]);
            }
            a += kTokens;
            b += kFeatures;
        }
#pragma GCC unroll 8
        for (int r = 0; r < kTokens; ++r) {
            _mm512_storeu_ps(c + r * ldc, acc[r][0]);
            _mm512_storeu_ps(c + r * ldc + 16, acc[r][1]);
        }
    }
};

// A partial tile (fewer tokens or features than the tile) through a full-size scratch tile;
// the padding lanes of the panels are zeros, so the valid elements get the same chains.
template<typename Tile>
void partialTile(qint64 kc, const float *a, const float *b, float *c, qint64 ldc, int tokens, int features,
                 bool first)
{
    alignas(64) float t[Tile::kTokens * Tile::kFeatures] = {};
    if (!first)
        for (int r = 0; r < tokens; ++r)
            std::memcpy(t + r * Tile::kFeatures, c + r * ldc, size_t(features) * sizeof(float));
    Tile::run(kc, a, b, t, Tile::kFeatures, first);
    for (int r = 0; r < tokens; ++r)
        std::memcpy(c + r * ldc, t + r * Tile::kFeatures, size_t(features) * sizeof(float));
}

#ifdef LQER_FLOATGEMM_X86
// dst[i * ldd + r] = src[r * lds + i] for an 8 x 8 block: the packing's transposes in
// registers (both register tiles run only where AVX2 is, so AVX is there).
__attribute__((target("avx"))) inline void transpose8x8(const float *src, qint64 lds, float *dst, qint64 ldd)
{
    __m256 r[8], t[8];
    for (int i = 0; i < 8; ++i)
        r[i] = _mm256_loadu_ps(src + i * lds);
    for (int i = 0; i < 4; ++i) {
        t[2 * i] = _mm256_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    for (int h = 0; h < 2; ++h) {
        const __m256 *u = t + 4 * h;
        r[4 * h + 0] = _mm256_shuffle_ps(u[0], u[2], _MM_SHUFFLE(1, 0, 1, 0));
        r[4 * h + 1] = _mm256_shuffle_ps(u[0], u[2], _MM_SHUFFLE(3, 2, 3, 2));
        r[4 * h + 2] = _mm256_shuffle_ps(u[1], u[3], _MM_SHUFFLE(1, 0, 1, 0));
        r[4 * h + 3] = _mm256_shuffle_ps(u[1], u[3], _MM_SHUFFLE(3, 2, 3, 2));
    }
    for (int i = 0; i < 4; ++i) {
        _mm256_storeu_ps(dst + i * ldd, _mm256_permute2f128_ps(r[i], r[4 + i], 0x20));
        _mm256_storeu_ps(dst + (i + 4) * ldd, _mm256_permute2f128_ps(r[i], r[4 + i], 0x31));
    }
}
#endif

// dst[k * height + r] = src[r * lds + k] for r < n (zeros for n <= r < height) and k < kc: rows
// of a source into a k-major panel, 8 x 8 blocks in registers where the CPU allows.
void packPanel(const float *src, qint64 lds, int n, int height, qint64 kc, float *dst)
{
    int r0 = 0;
    qint64 kDone = 0;
#ifdef LQER_FLOATGEMM_X86
    if (cpuHasAvx2Fma()) {
        kDone = kc / 8 * 8;
        for (; r0 + 8 <= n; r0 += 8)
            for (qint64 k = 0; k < kDone; k += 8)
                transpose8x8(src + r0 * lds + k, lds, dst + k * height + r0, height);
    }
#endif
    for (qint64 k = 0; k < kc; ++k) {
        float *d = dst + k * height;
        for (int r = k < kDone ? r0 : 0; r < n; ++r)
            d[r] = src[r * lds + k];
        for (int r = n; r < height; ++r)
            d[r] = 0.0f;
    }
}

// Features [f0, f0 + nf) x k [k0, k0 + kc) of W into panels of `width` features, k-major:
// panel p holds W[f0 + width·p + j, k0 + k] at p·kc·width + k·width + j (zeros past nf).
// A float32 W is packed straight from its rows; other dtypes through the reader's rows.
void packWeights(const WeightSource &w, int width, qint64 f0, qint64 nf, qint64 k0, qint64 kc, float *panels,
                 std::vector<float> &rows)
{
    rows.resize(size_t(width * kc));
    for (qint64 p = 0; p * width < nf; ++p) {
        const int n = int(std::min<qint64>(width, nf - p * width));
        float *panel = panels + p * kc * width;
        if (w.direct && w.kMajor) {
            // The panel's k-major layout is W's column layout already: copies of row pieces.
            for (qint64 k = 0; k < kc; ++k) {
                std::memcpy(panel + k * width, w.direct + (k0 + k) * w.ld + f0 + p * width,
                            size_t(n) * sizeof(float));
                std::fill(panel + k * width + n, panel + (k + 1) * width, 0.0f);
            }
            continue;
        }
        if (w.direct) {
            packPanel(w.direct + (f0 + p * width) * w.ld + k0, w.ld, n, width, kc, panel);
            continue;
        }
        for (int j = 0; j < n; ++j)
            (*w.reader)(f0 + p * width + j, k0, kc, rows.data() + j * kc);
        packPanel(rows.data(), kc, n, width, kc, panel);
    }
}

// Tokens [t0, t0 + nt) x k [k0, k0 + kPack) of x into panels of `height` tokens laid out for
// kc values of k, k-major (zeros past nt; kPack <= kc, the rest of each panel left as it was).
// With a causal limit (Input products), x[t, k] past t + offset is packed as zero, unread.
void packTokens(const float *x, qint64 ldx, int height, qint64 t0, qint64 nt, qint64 k0, qint64 kc,
                qint64 kPack, float *panels, std::optional<qint64> offset = std::nullopt)
{
    for (qint64 p = 0; p * height < nt; ++p) {
        const int n = int(std::min<qint64>(height, nt - p * height));
        float *panel = panels + p * kc * height;
        packPanel(x + (t0 + p * height) * ldx + k0, ldx, n, height, kPack, panel);
        if (offset) {
            // Token r's limit is first + r: at each k past `first` the leading lanes are masked.
            const qint64 first = t0 + p * height + *offset - k0;
            for (qint64 k = std::max<qint64>(0, first + 1); k < kPack; ++k)
                std::fill(panel + k * height, panel + k * height + std::min<qint64>(n, k - first), 0.0f);
        }
    }
}

struct GemmScratch
{
    std::vector<float, Eigen::aligned_allocator<float>> weights, tokens;
    std::vector<float> rows;
};

// For each block of up to 64 feature panels and each 256-deep k block: the weight block is
// converted once into feature panels; the tokens, 192 at a time (their panels stay in L2),
// into token panels; then every tile of the block runs over the k block. A causal product
// skips the tiles above the diagonal (Output) or ends each tile's sum at its last token's
// diagonal and packs no further (Input).
template<typename Tile>
void gemmBlocked(const float *x, qint64 ldx, qint64 tokens, qint64 cols, const WeightSource &w, qint64 o0,
                 qint64 o1, float *y, qint64 ldy, GemmCausal causal, qint64 offset)
{
    constexpr qint64 kFeatureBlock = 64 * Tile::kFeatures;
    constexpr qint64 kTokenBlock = 24 * Tile::kTokens;
    thread_local GemmScratch s;
    s.weights.resize(size_t(kFeatureBlock * kDepth));
    s.tokens.resize(size_t(kTokenBlock * kDepth));
    const bool input = causal == GemmCausal::Input, output = causal == GemmCausal::Output;
    // The k (Input) or output column (Output) limit of token t: t + offset, inclusive.
    for (qint64 f0 = o0; f0 < o1; f0 += kFeatureBlock) {
        const qint64 nf = std::min(kFeatureBlock, o1 - f0);
        for (qint64 k0 = 0; k0 < cols; k0 += kDepth) {
            const qint64 kc = std::min(kDepth, cols - k0);
            const bool first = k0 == 0;
            packWeights(w, Tile::kFeatures, f0, nf, k0, kc, s.weights.data(), s.rows);
            for (qint64 t0 = 0; t0 < tokens; t0 += kTokenBlock) {
                const qint64 nt = std::min(kTokenBlock, tokens - t0);
                const qint64 last = t0 + nt - 1 + offset; // the block's largest limit
                if ((output && f0 > last) || (input && !first && k0 > last))
                    continue;
                packTokens(x, ldx, Tile::kTokens, t0, nt, k0, kc, input ? std::min(kc, last + 1 - k0) : kc,
                           s.tokens.data(), input ? std::optional<qint64>(offset) : std::nullopt);
                for (qint64 f = 0; f < nf; f += Tile::kFeatures) {
                    const float *b = s.weights.data() + (f / Tile::kFeatures) * kc * Tile::kFeatures;
                    const int features = int(std::min<qint64>(Tile::kFeatures, nf - f));
                    for (qint64 t = 0; t < nt; t += Tile::kTokens) {
                        const int rows = int(std::min<qint64>(Tile::kTokens, nt - t));
                        const qint64 limit = t0 + t + rows - 1 + offset;
                        if (output && f0 + f > limit)
                            continue;
                        // Input: terms past the limit multiply (packed) zeros, and an FMA chain
                        // is unchanged by them, so stopping early gives the same bits.
                        const qint64 k = input ? std::min(kc, limit + 1 - k0) : kc;
                        float *c = y + (t0 + t) * ldy + f0 + f;
                        if (k <= 0) { // every x of these tokens masked (a negative offset)
                            if (first)
                                for (int r = 0; r < rows; ++r)
                                    std::fill(c + r * ldy, c + r * ldy + features, 0.0f);
                            continue;
                        }
                        const float *a = s.tokens.data() + (t / Tile::kTokens) * kc * Tile::kTokens;
                        if (rows == Tile::kTokens && features == Tile::kFeatures)
                            Tile::run(k, a, b, c, ldy, first);
                        else
                            partialTile<Tile>(k, a, b, c, ldy, rows, features, first);
                    }
                }
            }
        }
    }
}

#endif

} // namespace

namespace {
std::atomic<int> gIsaOverride {-1};
}

FloatGemmIsa floatGemmIsa()
{
    if (const int o = gIsaOverride.load(std::memory_order_relaxed); o >= 0)
        return FloatGemmIsa(o);
    static const FloatGemmIsa fromEnvironment = [] {
        const QString want = QString::fromLatin1(qgetenv("LQER_FLOAT_GEMM")).trimmed().toLower();
        for (FloatGemmIsa isa : {FloatGemmIsa::Eigen, FloatGemmIsa::Avx2, FloatGemmIsa::Avx512})
            if (want == floatGemmIsaName(isa) && floatGemmIsaSupported(isa))
                return isa;
        return bestFloatGemmIsa();
    }();
    return fromEnvironment;
}

FloatGemmIsa bestFloatGemmIsa()
{
#ifdef LQER_FLOATGEMM_X86
    if (cpuHasAvx512F())
        return FloatGemmIsa::Avx512;
    if (cpuHasAvx2Fma())
        return FloatGemmIsa::Avx2;
#endif
    return FloatGemmIsa::Eigen;
}

bool floatGemmIsaSupported(FloatGemmIsa isa)
{
    switch (isa) {
    case FloatGemmIsa::Eigen:
        return true;
    case FloatGemmIsa::Avx2:
        return cpuHasAvx2Fma();
    case FloatGemmIsa::Avx512:
        return cpuHasAvx512F();
    }
    return false;
}

void setFloatGemmIsa(std::optional<FloatGemmIsa> isa)
{
    gIsaOverride.store(isa && floatGemmIsaSupported(*isa) ? int(*isa) : -1, std::memory_order_relaxed);
}

QString floatGemmIsaName(FloatGemmIsa isa)
{
    switch (isa) {
    case FloatGemmIsa::Eigen:
        return QStringLiteral("eigen");
    case FloatGemmIsa::Avx2:
        return QStringLiteral("avx2");
    case FloatGemmIsa::Avx512:
        return QStringLiteral("avx512");
    }
    return QString();
}

namespace {

void gemmDispatch(const float *x, qint64 ldx, qint64 tokens, qint64 cols, const WeightSource &w, qint64 o0,
                  qint64 o1, float *y, qint64 ldy, GemmCausal causal = GemmCausal::None, qint64 offset = 0)
{
    if (tokens <= 0 || o1 <= o0)
        return;
    if (cols <= 0) {
        for (qint64 t = 0; t < tokens; ++t)
            std::fill(y + t * ldy + o0, y + t * ldy + o1, 0.0f);
        return;
    }
#ifdef LQER_FLOATGEMM_X86
    switch (floatGemmIsa()) {
    case FloatGemmIsa::Avx512:
        return gemmBlocked<Avx512Tile>(x, ldx, tokens, cols, w, o0, o1, y, ldy, causal, offset);
    case FloatGemmIsa::Avx2:
        return gemmBlocked<Avx2Tile>(x, ldx, tokens, cols, w, o0, o1, y, ldy, causal, offset);
    case FloatGemmIsa::Eigen:
        break;
    }
#endif
    // Eigen computes every entry (Output's extra ones are not read), from a copy of x with the
    // entries an Input product must not read set to zero.
    std::vector<float> masked;
    if (causal == GemmCausal::Input) {
        masked.assign(size_t(tokens * cols), 0.0f);
        for (qint64 t = 0; t < tokens; ++t)
            std::copy(x + t * ldx, x + t * ldx + std::clamp<qint64>(t + offset + 1, 0, cols),
                      masked.begin() + t * cols);
        x = masked.data();
        ldx = cols;
    }
    if (w.reader)
        return gemmEigen(x, ldx, tokens, cols, *w.reader, o0, o1, y, ldy);
    gemmEigen(
        x, ldx, tokens, cols,
        [&w](qint64 row, qint64 col0, qint64 count, float *dst) {
            if (!w.kMajor)
                return (void)std::memcpy(dst, w.direct + row * w.ld + col0, size_t(count) * sizeof(float));
            for (qint64 i = 0; i < count; ++i)
                dst[i] = w.direct[(col0 + i) * w.ld + row];
        },
        o0, o1, y, ldy);
}

} // namespace

void floatGemmTransposed(const float *x, qint64 ldx, qint64 tokens, qint64 cols, const WeightRowReader &w,
                         qint64 o0, qint64 o1, float *y, qint64 ldy)
{
    gemmDispatch(x, ldx, tokens, cols, WeightSource {&w, nullptr, 0}, o0, o1, y, ldy);
}

void floatGemmTransposed(const float *x, qint64 ldx, qint64 tokens, qint64 cols, const float *w, qint64 ldw,
                         qint64 o0, qint64 o1, float *y, qint64 ldy)
{
    gemmDispatch(x, ldx, tokens, cols, WeightSource {nullptr, w, ldw}, o0, o1, y, ldy);
}

void floatGemmTransposedCausal(const float *x, qint64 ldx, qint64 tokens, qint64 cols, const float *w,
                               qint64 ldw, qint64 o0, qint64 o1, float *y, qint64 ldy, GemmCausal causal,
                               qint64 offset)
{
    gemmDispatch(x, ldx, tokens, cols, WeightSource {nullptr, w, ldw}, o0, o1, y, ldy, causal, offset);
}

void floatGemmCausal(const float *x, qint64 ldx, qint64 tokens, qint64 cols, const float *v, qint64 ldv,
                     qint64 o0, qint64 o1, float *y, qint64 ldy, GemmCausal causal, qint64 offset)
{
    gemmDispatch(x, ldx, tokens, cols, WeightSource {nullptr, v, ldv, true}, o0, o1, y, ldy, causal, offset);
}

} // namespace lqer
