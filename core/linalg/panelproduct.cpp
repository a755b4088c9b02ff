#include "core/linalg/panelproduct.h"

#include "core/common/cpufeatures.h"

#include <Eigen/Core>

#include <algorithm>
#include <atomic>
#include <cmath>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define LQER_PANEL_X86 1
#endif

namespace lqer {

namespace {

using ConstMapF = Eigen::Map<const Eigen::MatrixXf, 0, Eigen::OuterStride<>>;
using MapF = Eigen::Map<Eigen::MatrixXf, 0, Eigen::OuterStride<>>;

void productEigen(const float *m, qint64 ldm, qint64 r0, qint64 r1, qint64 n, const float *x, qint64 ldx,
                  qint64 l, float *out, qint64 ldo)
{
    const ConstMapF a(m + r0, r1 - r0, n, Eigen::OuterStride<>(ldm));
    const ConstMapF b(x, n, l, Eigen::OuterStride<>(ldx));
    MapF(out, r1 - r0, l, Eigen::OuterStride<>(ldo)).noalias() = a * b;
}

void productTransposedEigen(const float *m, qint64 ldm, qint64 rows, qint64 c0, qint64 c1, const float *q,
                            qint64 ldq, qint64 l, float *out, qint64 ldo)
{
    const ConstMapF a(m + c0 * ldm, rows, c1 - c0, Eigen::OuterStride<>(ldm));
    const ConstMapF b(q, rows, l, Eigen::OuterStride<>(ldq));
    MapF(out, c1 - c0, l, Eigen::OuterStride<>(ldo)).noalias() = a.transpose() * b;
}

#ifdef LQER_PANEL_X86

#define LQER_AVX2 __attribute__((target("avx2,fma")))

// ---- M·X: sixteen rows of M times W columns of X ---------------------------------------------
// Every output element is one fused multiply-add chain over j in order (the vector tile and the
// scalar edge alike), continued across chunks through `out`, so any split of the rows gives the
// same bits.

constexpr qint64 kColumnChunk = 256; // columns of M per pass: a 16-row slice is 16 KB
constexpr int kRowTile = 16;
constexpr int kMaxPanelTile = 6;

// `slice` holds sixteen rows of M for columns [j0, j1), column after column (16 floats each).
template<int W>
LQER_AVX2 void rowTile(const float *slice, qint64 j0, qint64 j1, const float *x, qint64 ldx, float *o,
                       qint64 ldo, bool first)
{
    __m256 acc[W][2];
#pragma GCC unroll 8
    for (int w = 0; w < W; ++w) {
        acc[w][0] = first ? _mm256_setzero_ps() : _mm256_loadu_ps(o + w * ldo);
        acc[w][1] = first ? _mm256_setzero_ps() : _mm256_loadu_ps(o + w * ldo + 8);
    }
    for (qint64 j = j0; j < j1; ++j) {
        const float *col = slice + (j - j0) * kRowTile;
        const __m256 a0 = _mm256_loadu_ps(col);
        const __m256 a1 = _mm256_loadu_ps(col + 8);
#pragma GCC unroll 8
        for (int w = 0; w < W; ++w) {
            const __m256 b = _mm256_broadcast_ss(x + j + w * ldx);
            acc[w][0] = _mm256_fmadd_ps(a0, b, acc[w][0]);
            acc[w][1] = _mm256_fmadd_ps(a1, b, acc[w][1]);
        }
    }
#pragma GCC unroll 8
    for (int w = 0; w < W; ++w) {
        _mm256_storeu_ps(o + w * ldo, acc[w][0]);
        _mm256_storeu_ps(o + w * ldo + 8, acc[w][1]);
    }
}

using RowTileFn = void (*)(const float *, qint64, qint64, const float *, qint64, float *, qint64, bool);
constexpr RowTileFn kRowTiles[kMaxPanelTile + 1]
    = {nullptr, rowTile<1>, rowTile<2>, rowTile<3>, rowTile<4>, rowTile<5>, rowTile<6>};

LQER_AVX2 void productAvx2(const float *m, qint64 ldm, qint64 r0, qint64 r1, qint64 n, const float *x,
                           qint64 ldx, qint64 l, float *out, qint64 ldo)
{
    for (qint64 j0 = 0; j0 < n; j0 += kColumnChunk) {
        const qint64 j1 = std::min(n, j0 + kColumnChunk);
        const bool first = j0 == 0;
        qint64 i = r0;
        for (; i + kRowTile <= r1; i += kRowTile) {
            // The slice is copied once and read by every column group: M's columns lie a
            // leading dimension apart (often a multiple of 4 KB, which maps them all to a few
            // cache sets), the copy is contiguous.
            alignas(32) float slice[kColumnChunk * kRowTile];
            for (qint64 j = j0; j < j1; ++j) {
                const float *col = m + i + j * ldm;
                float *dst = slice + (j - j0) * kRowTile;
                _mm256_store_ps(dst, _mm256_loadu_ps(col));
                _mm256_store_ps(dst + 8, _mm256_loadu_ps(col + 8));
            }
            for (qint64 c = 0; c < l; c += kMaxPanelTile) {
                const int w = int(std::min<qint64>(kMaxPanelTile, l - c));
                kRowTiles[w](slice, j0, j1, x + c * ldx, ldx, out + (i - r0) + c * ldo, ldo, first);
            }
        }
        for (; i < r1; ++i) { // the last rows, fewer than a tile
            for (qint64 c = 0; c < l; ++c) {
                float &o = out[(i - r0) + c * ldo];
                float s = first ? 0.0f : o;
                for (qint64 j = j0; j < j1; ++j)
                    s = std::fma(m[i + j * ldm], x[j + c * ldx], s);
                o = s;
            }
        }
    }
}

// ---- Mᵀ·Q: R columns of M against W columns of Q --------------------------------------------
// Every output element is the same computation whatever tile it falls in: eight lane sums over
// the chunk's full groups of eight rows, reduced in a fixed tree, then the chunk's remaining
// rows by fused multiply-add, then added to the previous chunks' sum.

constexpr qint64 kRowChunk = 2048; // rows per pass: Q's chunk (48 columns) is 384 KB
constexpr int kMaxColumnTile = 3;
constexpr int kMaxQTile = 3; // 9 accumulators, 3 columns of M and a Q vector: 13 registers

LQER_AVX2 inline float laneSum(__m256 v)
{
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    return _mm_cvtss_f32(s);
}

// The end of one output element of a column tile: its lane sum, the chunk's rows past the
// last full vector by fused multiply-add, then added to the previous chunks' sum.
inline void finishDot(float laneTotal, const float *mc, const float *qc, qint64 i, qint64 i1, float &dst,
                      bool first)
{
    float s = laneTotal;
    for (qint64 t = i; t < i1; ++t)
        s = std::fma(mc[t], qc[t], s);
    dst = first ? s : dst + s;
}

template<int R, int W>
LQER_AVX2 void columnTile(const float *m, qint64 ldm, qint64 i0, qint64 i1, const float *q, qint64 ldq,
                          float *o, qint64 ldo, bool first)
{
    __m256 acc[R][W];
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
        for (int w = 0; w < W; ++w)
            acc[r][w] = _mm256_setzero_ps();
    qint64 i = i0;
    for (; i + 8 <= i1; i += 8) {
        __m256 a[R];
#pragma GCC unroll 8
        for (int r = 0; r < R; ++r) {
            a[r] = _mm256_loadu_ps(m + r * ldm + i);
            asm("" : "+x"(a[r])); // keeps the load in a register (the compiler would repeat it per FMA)
        }
#pragma GCC unroll 8
        for (int w = 0; w < W; ++w) {
            __m256 b = _mm256_loadu_ps(q + w * ldq + i);
            asm("" : "+x"(b));
#pragma GCC unroll 8
            for (int r = 0; r < R; ++r)
                acc[r][w] = _mm256_fmadd_ps(a[r], b, acc[r][w]);
        }
    }
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
#pragma GCC unroll 8
        for (int w = 0; w < W; ++w)
            finishDot(laneSum(acc[r][w]), m + r * ldm, q + w * ldq, i, i1, o[r + w * ldo], first);
    }
}

using ColumnTileFn
    = void (*)(const float *, qint64, qint64, qint64, const float *, qint64, float *, qint64, bool);
// [R - 1][W - 1]
constexpr ColumnTileFn kColumnTiles[kMaxColumnTile][kMaxQTile] = {
    {columnTile<1, 1>, columnTile<1, 2>, columnTile<1, 3>},
    {columnTile<2, 1>, columnTile<2, 2>, columnTile<2, 3>},
    {columnTile<3, 1>, columnTile<3, 2>, columnTile<3, 3>},
};

// Mᵀ·Q over chunks of rows, with the tiles of one kernel family: tiles[(r - 1) · maxW + w - 1]
// computes r columns of M against w columns of Q.
void productTransposedTiled(const ColumnTileFn *tiles, int maxR, int maxW, const float *m, qint64 ldm,
                            qint64 rows, qint64 c0, qint64 c1, const float *q, qint64 ldq, qint64 l,
                            float *out, qint64 ldo)
{
    for (qint64 i0 = 0; i0 < rows; i0 += kRowChunk) {
        const qint64 i1 = std::min(rows, i0 + kRowChunk);
        const bool first = i0 == 0;
        for (qint64 c = c0; c < c1; c += maxR) {
            const int r = int(std::min<qint64>(maxR, c1 - c));
            for (qint64 w = 0; w < l; w += maxW) {
                const int width = int(std::min<qint64>(maxW, l - w));
                tiles[(r - 1) * maxW + width - 1](m + c * ldm, ldm, i0, i1, q + w * ldq, ldq,
                                                  out + (c - c0) + w * ldo, ldo, first);
            }
        }
    }
}

// ---- AVX-512: the same two kernels twice as wide --------------------------------------------
// M·X: thirty-two rows of M (two zmm) times up to six columns of X; Mᵀ·Q: up to four columns of
// M against four columns of Q over sixteen-row steps (16 accumulators of the 32 registers).
// Every output element is again one computation whatever tile it falls in, so the results do
// not depend on the split over threads (they differ from the AVX2 variant's in the last bits:
// sixteen lane sums instead of eight).

#define LQER_AVX512 __attribute__((target("avx512f,avx512vl,fma")))

constexpr int kRowTile512 = 32;

template<int W>
LQER_AVX512 void rowTile512(const float *slice, qint64 j0, qint64 j1, const float *x, qint64 ldx, float *o,
                            qint64 ldo, bool first)
{
    __m512 acc[W][2];
#pragma GCC unroll 8
    for (int w = 0; w < W; ++w) {
        acc[w][0] = first ? _mm512_setzero_ps() : _mm512_loadu_ps(o + w * ldo);
        acc[w][1] = first ? _mm512_setzero_ps() : _mm512_loadu_ps(o + w * ldo + 16);
    }
    for (qint64 j = j0; j < j1; ++j) {
        const float *col = slice + (j - j0) * kRowTile512;
        __m512 a0 = _mm512_load_ps(col);
        __m512 a1 = _mm512_load_ps(col + 16);
        asm("" : "+v"(a0), "+v"(a1));
#pragma GCC unroll 8
        for (int w = 0; w < W; ++w) {
            const __m512 b = _mm512_set1_ps(x[j + w * ldx]);
            acc[w][0] = _mm512_fmadd_ps(a0, b, acc[w][0]);
            acc[w][1] = _mm512_fmadd_ps(a1, b, acc[w][1]);
        }
    }
#pragma GCC unroll 8
    for (int w = 0; w < W; ++w) {
        _mm512_storeu_ps(o + w * ldo, acc[w][0]);
        _mm512_storeu_ps(o + w * ldo + 16, acc[w][1]);
    }
}

constexpr RowTileFn kRowTiles512[kMaxPanelTile + 1]
    = {nullptr, rowTile512<1>, rowTile512<2>, rowTile512<3>, rowTile512<4>, rowTile512<5>, rowTile512<6>};

LQER_AVX512 void productAvx512(const float *m, qint64 ldm, qint64 r0, qint64 r1, qint64 n, const float *x,
                               qint64 ldx, qint64 l, float *out, qint64 ldo)
{
    // Whole 32-row tiles here; the rest (fewer than 32 rows) through the AVX2 kernel, whose
    // tiles and scalar edge compute every element the same way.
    const qint64 whole = r0 + (r1 - r0) / kRowTile512 * kRowTile512;
    for (qint64 j0 = 0; j0 < n; j0 += kColumnChunk) {
        const qint64 j1 = std::min(n, j0 + kColumnChunk);
        const bool first = j0 == 0;
        for (qint64 i = r0; i < whole; i += kRowTile512) {
            alignas(64) float slice[kColumnChunk * kRowTile512];
            for (qint64 j = j0; j < j1; ++j) {
                const float *col = m + i + j * ldm;
                float *dst = slice + (j - j0) * kRowTile512;
                _mm512_store_ps(dst, _mm512_loadu_ps(col));
                _mm512_store_ps(dst + 16, _mm512_loadu_ps(col + 16));
            }
            for (qint64 c = 0; c < l; c += kMaxPanelTile) {
                const int w = int(std::min<qint64>(kMaxPanelTile, l - c));
                kRowTiles512[w](slice, j0, j1, x + c * ldx, ldx, out + (i - r0) + c * ldo, ldo, first);
            }
        }
    }
    if (whole < r1)
        productAvx2(m, ldm, whole, r1, n, x, ldx, l, out + (whole - r0), ldo);
}

constexpr int kMaxColumnTile512 = 4;
constexpr int kMaxQTile512 = 4;

template<int R, int W>
LQER_AVX512 void columnTile512(const float *m, qint64 ldm, qint64 i0, qint64 i1, const float *q, qint64 ldq,
                               float *o, qint64 ldo, bool first)
{
    __m512 acc[R][W];
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
        for (int w = 0; w < W; ++w)
            acc[r][w] = _mm512_setzero_ps();
    qint64 i = i0;
    for (; i + 16 <= i1; i += 16) {
        __m512 a[R];
#pragma GCC unroll 8
        for (int r = 0; r < R; ++r) {
            a[r] = _mm512_loadu_ps(m + r * ldm + i);
            asm("" : "+v"(a[r]));
        }
#pragma GCC unroll 8
        for (int w = 0; w < W; ++w) {
            __m512 b = _mm512_loadu_ps(q + w * ldq + i);
            asm("" : "+v"(b));
#pragma GCC unroll 8
            for (int r = 0; r < R; ++r)
                acc[r][w] = _mm512_fmadd_ps(a[r], b, acc[r][w]);
        }
    }
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
#pragma GCC unroll 8
        for (int w = 0; w < W; ++w)
            finishDot(_mm512_reduce_add_ps(acc[r][w]), m + r * ldm, q + w * ldq, i, i1, o[r + w * ldo],
                      first);
    }
}

// [R - 1][W - 1]
constexpr ColumnTileFn kColumnTiles512[kMaxColumnTile512][kMaxQTile512] = {
    {columnTile512<1, 1>, columnTile512<1, 2>, columnTile512<1, 3>, columnTile512<1, 4>},
    {columnTile512<2, 1>, columnTile512<2, 2>, columnTile512<2, 3>, columnTile512<2, 4>},
    {columnTile512<3, 1>, columnTile512<3, 2>, columnTile512<3, 3>, columnTile512<3, 4>},
    {columnTile512<4, 1>, columnTile512<4, 2>, columnTile512<4, 3>, columnTile512<4, 4>},
};

#endif

} // namespace

namespace {
std::atomic<bool> gForceAvx2 {false};

bool useAvx512()
{
    return cpuHasAvx512F() && !gForceAvx2.load(std::memory_order_relaxed);
}
} // namespace

void forcePanelKernelsAvx2(bool force)
{
    gForceAvx2.store(force, std::memory_order_relaxed);
}

const char *panelKernelsName()
{
    if (!panelKernelsVectorized())
        return "eigen";
    return useAvx512() ? "avx512" : "avx2";
}

bool panelKernelsVectorized()
{
#ifdef LQER_PANEL_X86
    return cpuHasAvx2Fma();
#else
    return false;
#endif
}

void panelProduct(const float *m, qint64 ldm, qint64 r0, qint64 r1, qint64 n, const float *x, qint64 ldx,
                  qint64 l, float *out, qint64 ldo)
{
    if (r1 <= r0 || l <= 0)
        return;
    if (n <= 0) {
        MapF(out, r1 - r0, l, Eigen::OuterStride<>(ldo)).setZero();
        return;
    }
#ifdef LQER_PANEL_X86
    if (useAvx512())
        return productAvx512(m, ldm, r0, r1, n, x, ldx, l, out, ldo);
    if (cpuHasAvx2Fma())
        return productAvx2(m, ldm, r0, r1, n, x, ldx, l, out, ldo);
#endif
    productEigen(m, ldm, r0, r1, n, x, ldx, l, out, ldo);
}

void panelProductTransposed(const float *m, qint64 ldm, qint64 rows, qint64 c0, qint64 c1, const float *q,
                            qint64 ldq, qint64 l, float *out, qint64 ldo)
{
    if (c1 <= c0 || l <= 0)
        return;
    if (rows <= 0) {
        MapF(out, c1 - c0, l, Eigen::OuterStride<>(ldo)).setZero();
        return;
    }
#ifdef LQER_PANEL_X86
    if (useAvx512())
        return productTransposedTiled(&kColumnTiles512[0][0], kMaxColumnTile512, kMaxQTile512, m, ldm, rows,
                                      c0, c1, q, ldq, l, out, ldo);
    if (cpuHasAvx2Fma())
        return productTransposedTiled(&kColumnTiles[0][0], kMaxColumnTile, kMaxQTile, m, ldm, rows, c0, c1, q,
                                      ldq, l, out, ldo);
#endif
    productTransposedEigen(m, ldm, rows, c0, c1, q, ldq, l, out, ldo);
}

} // namespace lqer
