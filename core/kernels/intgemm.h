#pragma once

// Integer kernels for the quantized linear layer (NUMERICS.md §4): Y = Q_a(X) · Wᵀ with
// Q_a(X) MXINT codes per token and W packed (PackedMatrix). Inside a block pair the product
// is an integer dot product of int8 codes; the pair's result is scaled by the product of the
// two block scales (for MXINT × MXINT a power of two, exact) and accumulated in fp32 across
// blocks. The results equal the fp32 emulation (quantizeRows, then an fp32 GEMM over the
// dequantized values) up to the order of the fp32 summation.
//
// Three variants: a scalar reference, AVX2 (maddubs/madd) and AVX-512 VNNI (dpbusd),
// chosen at run time by the CPU's features; tests/kernels compares them.

#include "core/common/expected.h"
#include "core/formats/quantformat.h"
#include "core/kernels/packedmatrix.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace lqer {

// Rows of activations as MXINT codes: int8 codes (rows padded with zeros to a multiple of
// 32 columns) and one power-of-two step exponent per block: value = code · 2^exponent.
struct QuantizedRows
{
    qint64 rows = 0;
    qint64 cols = 0;
    int bits = 0;
    int block = 0; // effective block (a whole row when the format's block exceeds it)
    std::vector<int8_t> codes; // rows x paddedCols()
    std::vector<int16_t> exponents; // rows x blocksPerRow()
    // A new value from every quantizeActivationRows call (0: not from it). The kernels keep the
    // codes they rearranged for the last rows they saw per thread, keyed by this, so that the
    // products of one input (q, k and v; W and Aᵀ) rearrange it once: code that changes codes
    // or exponents by hand must set it to 0.
    quint64 generation = 0;

    qint64 paddedCols() const { return (cols + 31) / 32 * 32; }
    qint64 blocksPerRow() const { return (cols + block - 1) / block; }
    // Writes the fp32 values (rows x cols, row-major): what quantizeRows outputs.
    void dequantize(float *out) const;
};

// Whether quantizeActivationRows handles `format`: MXINT (either convention), 2..8 bits.
bool isCodeQuantizable(const QuantFormat &format);

// Quantizes each row of `x` (rows x cols) straight to codes and exponents, with the same
// rounding as quantizeRows (so dequantize() reproduces it bit for bit). A NaN/Inf is an error
// naming `tensorName` and the element index.
Status quantizeActivationRows(const float *x, qint64 rows, qint64 cols, const QuantFormat &format,
                              const QString &tensorName, QuantizedRows &out);
// Tests: true makes quantizeActivationRows take its generic block-by-block path even where the
// CPU has the AVX-512 one.
void forceScalarActivationCodes(bool scalar);

enum class KernelIsa {
    Scalar,
    Avx2, // AVX2 + FMA
    Avx512Vnni, // AVX-512 F/BW/VL + VNNI
};

QString kernelIsaName(KernelIsa isa);
bool kernelIsaSupported(KernelIsa isa); // by this CPU
KernelIsa bestKernelIsa();

// Whether the product X · Wᵀ runs on the integer kernels: MXINT activations, matching
// columns, and blocks that keep every 16-column slice inside one block of each side (blocks
// of 16, 32, 48, ... or a whole row).
bool packedGemmSupported(const QuantizedRows &x, const PackedMatrix &w);
bool packedGemmSupported(int activationBlock, qint64 cols, const PackedMatrix &w);

// y (x.rows x w.rows, row stride ldy) = X · Wᵀ, or += with `accumulate`. Single-threaded
// (eval parallelises over windows). An `isa` this CPU lacks (or blocks the SIMD variants do
// not take) runs the scalar twin.
void packedGemm(const QuantizedRows &x, const PackedMatrix &w, float *y, qint64 ldy, bool accumulate,
                KernelIsa isa);
inline void packedGemm(const QuantizedRows &x, const PackedMatrix &w, float *y, qint64 ldy, bool accumulate)
{
    packedGemm(x, w, y, ldy, accumulate, bestKernelIsa());
}
// y = X · Wᵀ + X2 · W2ᵀ (or += with `accumulate`), X2 with X's rows and W2 with W's: the
// low-rank path's Q(X A) · Bᵀ added to the main product. The AVX-512 kernel runs X2's slices
// into the same accumulators (y written once; X2 of at most 1024 columns); elsewhere it is two
// packedGemm calls. The sums agree to fp32 rounding, not bit for bit.
void packedGemmSum(const QuantizedRows &x, const PackedMatrix &w, const QuantizedRows &x2,
                   const PackedMatrix &w2, float *y, qint64 ldy, bool accumulate, KernelIsa isa);
inline void packedGemmSum(const QuantizedRows &x, const PackedMatrix &w, const QuantizedRows &x2,
                          const PackedMatrix &w2, float *y, qint64 ldy, bool accumulate)
{
    packedGemmSum(x, w, x2, w2, y, ldy, accumulate, bestKernelIsa());
}
// Only the output columns [o0, o1) (rows o0..o1 of W): callers split a product over threads.
void packedGemmColumns(const QuantizedRows &x, const PackedMatrix &w, qint64 o0, qint64 o1, float *y,
                       qint64 ldy, bool accumulate, KernelIsa isa);

// The AVX-512 VNNI kernel unpacks a tile of sixteen weight rows per panel and call. For small
// models the unpacked tiles can be kept instead (1.5 bytes per weight): kernelTileBytes is
// their size (0 where the CPU has no VNNI kernel), prepareKernelTiles makes them once, before
// any product of w runs (not thread-safe against concurrent products), and the products read
// them from then on. Results are bit-identical either way.
qint64 kernelTileBytes(const PackedMatrix &w);
void prepareKernelTiles(const PackedMatrix &w);
// How many of w's prepared tiles (per panel) keep rows that share their exponents (see
// forceSliceScales); 0 when w has none prepared.
qint64 sharedExponentTiles(const PackedMatrix &w);
// Tests: true makes the VNNI kernel scale every 16-column slice even where a tile's rows could
// share their exponents (4-bit codes whose block exponents lie within 4 of each other along a
// row: those run the inner loop without a per-slice scale product). Both give the same bits.
void forceSliceScales(bool only);

// Which path Transformer::applyLinear takes for quantized layers: the integer kernels where
// the formats allow (default), or always the fp32 emulation (the reference path).
enum class KernelMode {
    Integer,
    Emulate,
};
// The process default: LQER_KERNELS=int|emulate in the environment, else Integer;
// setDefaultKernelMode (the CLI's --kernels) overrides it.
KernelMode defaultKernelMode();
void setDefaultKernelMode(KernelMode mode);
Expected<KernelMode> parseKernelMode(const QString &text);

} // namespace lqer
