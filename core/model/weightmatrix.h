#pragma once

// A weight matrix of the model: either owned in float32 (read and converted when the model was
// loaded), or a view of the checkpoint's mapped file in its stored dtype (F16, BF16 or F32),
// converted a block of rows at a time inside the product, so that a 7B model in fp16 is
// evaluated without a 27 GB float32 copy (the mapped pages are the file's, shared and
// evictable, not the process's heap). Both give the same products up to the summation order
// of the blocked GEMM.

#include "core/common/tensor.h"
#include "core/io/safetensors.h"

#include <memory>

namespace lqer {

// A tensor inside a mapped file: valid while `owner` lives.
struct MappedTensor
{
    const uchar *data = nullptr;
    DType dtype = DType::F32;
    qint64 rows = 0, cols = 0;
    std::shared_ptr<const void> owner;
};

class WeightMatrix
{
public:
    WeightMatrix() = default;
    explicit WeightMatrix(MatrixRM matrix)
        : mOwned(std::move(matrix))
    { }
    // F16, BF16 or F32 only.
    explicit WeightMatrix(MappedTensor mapped)
        : mMapped(std::move(mapped))
    { }

    bool isMapped() const { return mMapped.data != nullptr; }
    qint64 rows() const { return isMapped() ? mMapped.rows : mOwned.rows(); }
    qint64 cols() const { return isMapped() ? mMapped.cols : mOwned.cols(); }
    qint64 size() const { return rows() * cols(); }

    // The owned float32 matrix (empty for a mapped view: use toMatrix()).
    const MatrixRM &owned() const { return mOwned; }
    // A float32 copy (of the owned matrix, or converted from the mapped bytes).
    MatrixRM toMatrix() const;
    // Row i converted to float32 into out[0 .. cols).
    void row(qint64 i, float *out) const;
    // y = x Wᵀ (x: tokens x cols; y: tokens x rows).
    void timesTransposed(const MatrixRM &x, MatrixRM &y) const;
    // The first `tokens` rows of x times rows [r0, r1) of W: y[t * ldy + (r - r0)] (a band of
    // the product, for callers that reduce it a band at a time).
    void timesTransposedRows(const MatrixRM &x, qint64 tokens, qint64 r0, qint64 r1, float *y,
                             qint64 ldy) const;

private:
    // count mapped values from (row, col0) as float32 (a run may continue into the next rows).
    void convertRun(qint64 row, qint64 col0, qint64 count, float *out) const;

    MatrixRM mOwned;
    MappedTensor mMapped;
};

// Index of the first NaN or infinity among `count` elements of a float dtype, or -1.
qint64 firstNonFinite(const uchar *data, DType dtype, qint64 count);

} // namespace lqer
