#pragma once

// ggml's block formats (NUMERICS.md §9), bit-exact twins of its reference quantizers
// (quantize_row_q4_0_ref / quantize_row_q8_0_ref): the GGUF exporter writes these blocks and
// the plan formats q4_0 / q8_0 simulate them (quantformat.h), so that the weights llama.cpp
// multiplies are exactly the weights our engine evaluated.
//
// A row of n elements (n a multiple of 32, along the input dimension) is n/32 blocks. The
// scale d is computed in fp32, stored as fp16, and the stored value is the one dequantization
// uses:
//  - q4_0: m = the element of largest magnitude (signed); d = m / -8; id = 1/d;
//          q = min(15, trunc(x·id + 8.5)); nibbles: element j in the low half of byte j,
//          element j+16 in the high half; x̂ = (q - 8)·d.
//  - q8_0: d = amax / 127; id = 1/d; q = roundf(x·id) (half away from zero); x̂ = q·d.

#include <QtGlobal>

#include <cstdint>

namespace lqer {

constexpr int kGgmlBlock = 32;

struct BlockQ4_0
{
    uint16_t d; // fp16 scale
    uint8_t qs[kGgmlBlock / 2]; // nibbles
};
static_assert(sizeof(BlockQ4_0) == 18, "ggml block_q4_0 is 2 + 16 bytes");

struct BlockQ8_0
{
    uint16_t d; // fp16 scale
    int8_t qs[kGgmlBlock];
};
static_assert(sizeof(BlockQ8_0) == 34, "ggml block_q8_0 is 2 + 32 bytes");

// One block of 32 elements, exactly as ggml's reference code computes it.
void quantizeBlock(const float *x, BlockQ4_0 &block);
void dequantizeBlock(const BlockQ4_0 &block, float *y);
void quantizeBlock(const float *x, BlockQ8_0 &block);
void dequantizeBlock(const BlockQ8_0 &block, float *y);

// Rows of either block type: n must be a multiple of 32 (n/32 blocks).
template<typename Block> void quantizeRow(const float *x, Block *blocks, qint64 n)
{
    for (qint64 b = 0; b < n / kGgmlBlock; ++b)
        quantizeBlock(x + b * kGgmlBlock, blocks[b]);
}

template<typename Block> void dequantizeRow(const Block *blocks, float *y, qint64 n)
{
    for (qint64 b = 0; b < n / kGgmlBlock; ++b)
        dequantizeBlock(blocks[b], y + b * kGgmlBlock);
}

// Fused quantize + dequantize of one block of n <= 32 elements (a shorter trailing block is
// treated as padded with zeros), without packing: the fast simulation path, bit-identical to
// dequantize(quantize(x)).
void roundTripQ4_0(const float *x, float *y, int n);
void roundTripQ8_0(const float *x, float *y, int n);

} // namespace lqer
