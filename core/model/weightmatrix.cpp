#include "weightmatrix.h"

#include "core/kernels/floatgemm.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace lqer {

void WeightMatrix::convertRun(qint64 row, qint64 col0, qint64 count, float *out) const
{
    const qint64 element = dtypeSize(mMapped.dtype);
    convertToFloat(mMapped.dtype, mMapped.data + (row * mMapped.cols + col0) * element, count, out);
}

MatrixRM WeightMatrix::toMatrix() const
{
    if (!isMapped())
        return mOwned;
    MatrixRM m(mMapped.rows, mMapped.cols);
    convertRun(0, 0, mMapped.rows * mMapped.cols, m.data());
    return m;
}

void WeightMatrix::row(qint64 i, float *out) const
{
    if (!isMapped()) {
        std::memcpy(out, mOwned.data() + i * mOwned.cols(), size_t(mOwned.cols()) * sizeof(float));
        return;
    }
    convertRun(i, 0, mMapped.cols, out);
}

void WeightMatrix::timesTransposed(const MatrixRM &x, MatrixRM &y) const
{
    y.resize(x.rows(), rows());
    timesTransposedRows(x, x.rows(), 0, rows(), y.data(), rows());
}

void WeightMatrix::timesTransposedRows(const MatrixRM &x, qint64 tokens, qint64 r0, qint64 r1, float *y,
                                       qint64 ldy) const
{
    const qint64 cols = this->cols();
    // floatGemmTransposed indexes y by the output row itself: shift the band's origin.
    float *origin = y - r0;
    if (!isMapped()) {
        floatGemmTransposed(x.data(), x.cols(), tokens, cols, mOwned.data(), cols, r0, r1, origin, ldy);
        return;
    }
    if (mMapped.dtype == DType::F32) {
        floatGemmTransposed(x.data(), x.cols(), tokens, cols, reinterpret_cast<const float *>(mMapped.data),
                            cols, r0, r1, origin, ldy);
        return;
    }
    // fp16/bf16: converted a run of one row at a time as the GEMM packs its weight tiles.
    floatGemmTransposed(
        x.data(), x.cols(), tokens, cols,
        [this](qint64 row, qint64 col0, qint64 count, float *dst) { convertRun(row, col0, count, dst); }, r0,
        r1, origin, ldy);
}

qint64 firstNonFinite(const uchar *data, DType dtype, qint64 count)
{
    switch (dtype) {
    case DType::F16:
    case DType::BF16: {
        const quint16 mask = dtype == DType::F16 ? 0x7c00 : 0x7f80;
        for (qint64 i = 0; i < count; ++i) {
            quint16 h;
            std::memcpy(&h, data + 2 * i, 2);
            if ((h & mask) == mask)
                return i;
        }
        return -1;
    }
    case DType::F32:
        for (qint64 i = 0; i < count; ++i) {
            float f;
            std::memcpy(&f, data + 4 * i, 4);
            if (!std::isfinite(f))
                return i;
        }
        return -1;
    default:
        return 0; // not a float dtype this class maps
    }
}

} // namespace lqer
