#include "ggmlblocks.h"

#include "core/common/tensor.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace lqer {

// ---- reference: the block layouts, element by element ----------------------------------

void quantizeBlock(const float *x, BlockQ4_0 &block)
{
    float amax = 0.0f; // largest magnitude
    float max = 0.0f; // the element that has it, with its sign
    for (int j = 0; j < kGgmlBlock; ++j) {
        if (amax < std::fabs(x[j])) {
            amax = std::fabs(x[j]);
            max = x[j];
        }
    }
    const float d = max / -8.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    block.d = floatToHalf(d);
    for (int j = 0; j < kGgmlBlock / 2; ++j) {
        // The conversion to int truncates; x·id + 8.5 >= 0, so it is floor(x/d + 8.5).
        const int q0 = std::min(15, int(int8_t(x[j] * id + 8.5f)));
        const int q1 = std::min(15, int(int8_t(x[j + kGgmlBlock / 2] * id + 8.5f)));
        block.qs[j] = uint8_t(q0 | (q1 << 4));
    }
}

void dequantizeBlock(const BlockQ4_0 &block, float *y)
{
    const float d = halfToFloat(block.d);
    for (int j = 0; j < kGgmlBlock / 2; ++j) {
        y[j] = float(int(block.qs[j] & 0x0f) - 8) * d;
        y[j + kGgmlBlock / 2] = float(int(block.qs[j] >> 4) - 8) * d;
    }
}

void quantizeBlock(const float *x, BlockQ8_0 &block)
{
    float amax = 0.0f;
    for (int j = 0; j < kGgmlBlock; ++j)
        amax = std::max(amax, std::fabs(x[j]));
    const float d = amax / 127.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    block.d = floatToHalf(d);
    for (int j = 0; j < kGgmlBlock; ++j)
        block.qs[j] = int8_t(std::round(x[j] * id));
}

void dequantizeBlock(const BlockQ8_0 &block, float *y)
{
    const float d = halfToFloat(block.d);
    for (int j = 0; j < kGgmlBlock; ++j)
        y[j] = float(block.qs[j]) * d;
}

// ---- fast: the same arithmetic in the same order, no packing, loops that vectorise --------

void roundTripQ4_0(const float *x, float *y, int n)
{
    // Selecting the first element of the largest magnitude (strictly greater wins) is what
    // the reference does; a zero-padded tail cannot win, so the short block behaves as padded.
    float amax = 0.0f, max = 0.0f;
    for (int j = 0; j < n; ++j) {
        const float a = std::fabs(x[j]);
        if (amax < a) {
            amax = a;
            max = x[j];
        }
    }
    const float d = max / -8.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    const float dStored = halfToFloat(floatToHalf(d));
    for (int j = 0; j < n; ++j) {
        int q = int(x[j] * id + 8.5f); // >= 0: truncation is the reference's int8 conversion
        q = q < 15 ? q : 15;
        y[j] = float(q - 8) * dStored;
    }
}

void roundTripQ8_0(const float *x, float *y, int n)
{
    float amax = 0.0f;
    for (int j = 0; j < n; ++j) {
        const float a = std::fabs(x[j]);
        amax = a > amax ? a : amax;
    }
    const float d = amax / 127.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    const float dStored = halfToFloat(floatToHalf(d));
    for (int j = 0; j < n; ++j)
        y[j] = std::round(x[j] * id) * dStored;
}

} // namespace lqer
