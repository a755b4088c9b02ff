#pragma once

// The fp32 product of a linear layer: Y = X · Wᵀ, with X (tokens x cols) in float32 and the
// weight W (rows x cols) in whatever dtype the checkpoint stores it (fp32, fp16, bf16). The
// weight is read through a row reader that converts a run of one row to float32, so a mapped
// fp16 checkpoint is converted tile by tile inside the product, never as a whole fp32 copy.
//
// Blocked like BLIS/GotoBLAS: for each block of 256 columns (k) and up to 1024 output rows of
// W, the weight block is converted once into panels of 16 output features (k-major), the
// activations into panels of 6 tokens, and a 6 x 16 register tile (12 AVX2 accumulators)
// runs over k with one broadcast per token and two loads per step. The 6 x 16 tile of Y is
// loaded into the accumulators before each k block, so every output element is one chain of
// fused multiply-adds over k in order: the result does not depend on how the caller splits the
// output columns or the tokens.
//
// With AVX-512 the tile is 8 tokens x 32 features in 16 zmm accumulators. Without AVX2 + FMA
// the same functions compute the product with Eigen from converted row blocks (the reference
// the tests compare against).

#include <QtGlobal>

#include <QString>

#include <functional>
#include <optional>

namespace lqer {

// Writes W[row, col0 .. col0 + count) as float32 to dst.
using WeightRowReader = std::function<void(qint64 row, qint64 col0, qint64 count, float *dst)>;

// y[t, o] (row stride ldy) = Σ_k x[t, k] · W[o, k] for tokens t < tokens and output columns
// o in [o0, o1) (rows o0 .. o1 of W); x has row stride ldx. Single-threaded; buffers are kept
// per thread.
void floatGemmTransposed(const float *x, qint64 ldx, qint64 tokens, qint64 cols, const WeightRowReader &w,
                         qint64 o0, qint64 o1, float *y, qint64 ldy);

// The same for a float32 W (rows x cols, row stride ldw).
void floatGemmTransposed(const float *x, qint64 ldx, qint64 tokens, qint64 cols, const float *w, qint64 ldw,
                         qint64 o0, qint64 o1, float *y, qint64 ldy);

// The causal structure of attention's products, with token t's limit at t + offset:
//  - Output: only y[t, o] with o <= limit is needed (S = Q Kᵀ: query t, key o). Tiles wholly
//    above the limit are skipped and their entries left unwritten.
//  - Input: x[t, k] for k > limit counts as zero and is never read (O = P V, P the
//    probabilities, whose masked part the caller need not write). Each tile's sum stops at its
//    last token's limit: every result is bit-identical to the full product of the masked x.
enum class GemmCausal {
    None,
    Output,
    Input,
};
void floatGemmTransposedCausal(const float *x, qint64 ldx, qint64 tokens, qint64 cols, const float *w,
                               qint64 ldw, qint64 o0, qint64 o1, float *y, qint64 ldy, GemmCausal causal,
                               qint64 offset);
// The same for y = X · V with V given as it is (cols x features, row stride ldv; output
// columns o0 .. o1 are V's columns): attention's P · V without transposing V. Bit-identical to
// floatGemmTransposedCausal on Vᵀ.
void floatGemmCausal(const float *x, qint64 ldx, qint64 tokens, qint64 cols, const float *v, qint64 ldv,
                     qint64 o0, qint64 o1, float *y, qint64 ldy, GemmCausal causal, qint64 offset);

// The register tiles: AVX-512 (8 tokens x 32 features), AVX2 + FMA (6 x 16), or Eigen's product
// (the reference path, and the only one without AVX2). The best the CPU has is the default.
enum class FloatGemmIsa {
    Eigen,
    Avx2,
    Avx512,
};
FloatGemmIsa bestFloatGemmIsa();
bool floatGemmIsaSupported(FloatGemmIsa isa);
QString floatGemmIsaName(FloatGemmIsa isa);
// The variant floatGemmTransposed runs: bestFloatGemmIsa(), or LQER_FLOAT_GEMM=eigen|avx2|avx512
// from the environment where the CPU has it, unless overridden below.
FloatGemmIsa floatGemmIsa();
// Overrides the variant for the whole process (tests, `lqer bench`); nullopt or an ISA this CPU
// lacks restores the default.
void setFloatGemmIsa(std::optional<FloatGemmIsa> isa);

} // namespace lqer
