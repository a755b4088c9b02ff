#pragma once

// The transformer's element-wise row operations: exp-based softmax rows, the log-sum-exp of a
// logits row, SiLU, and the sum of squares of a row. Where the CPU has AVX-512 (chosen at run
// time, so also in a build without LQER_NATIVE), each is one pass over the row with the scale,
// shift and sum fused (a logits row of 8192 floats is read twice instead of three times, the
// softmax row once more instead of four times); Eigen's array expressions otherwise (the
// reference the tests compare with).
//
// exp is a degree-7 polynomial on r = x − n·ln 2 (|r| ≤ ln 2 / 2) scaled by 2^n: within 2 ulp
// of the exact value for x ≥ −87; below, where exp(x) < 1.6e-38 (about the smallest normal
// float), it returns 0 (subnormal results would cost a microcode assist per lane).

#include <QtGlobal>

namespace lqer {

// exp of each of n values, out of place (out may equal x).
void expRow(const float *x, qint64 n, float *out);

// row = softmax(scale · row): exp(scale · row − max) / Σ. The row must be finite.
void softmaxRow(float *row, qint64 n, float scale);

struct RowMax
{
    float max = 0; // the largest value (meaningless when !finite)
    bool finite = true; // false when any value is NaN or ±Inf
};
RowMax rowMax(const float *row, qint64 n);

// Σ exp(row[i] − shift), the terms summed in float lanes and the lanes in double.
double expSumShifted(const float *row, qint64 n, float shift);

// x ← x / (1 + exp(−x)), times times[i] where given (SwiGLU's gate · up in one pass).
void siluRow(float *x, qint64 n, const float *times = nullptr);

// Σ x², accumulated in double.
double sumSquares(const float *x, qint64 n);

// Tests: false forces the Eigen paths (the reference).
void setRowOpsVectorized(bool vectorized);

} // namespace lqer
