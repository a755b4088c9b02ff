#include "weightmatrix.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace lqer {

void WeightMatrix::convertRows(qint64 first, qint64 count, float *out) const
{
    const qint64 n = count * mMapped.cols;
    const uchar *src = mMapped.data + first * mMapped.cols * dtypeSize(mMapped.dtype);
    convertToFloat(mMapped.dtype, src, n, out);
}

MatrixRM WeightMatrix::toMatrix() const
{
    if (!isMapped())
        return mOwned;
    MatrixRM m(mMapped.rows, mMapped.cols);
    convertRows(0, mMapped.rows, m.data());
    return m;
}

void WeightMatrix::row(qint64 i, float *out) const
{
    if (!isMapped()) {
        std::memcpy(out, mOwned.data() + i * mOwned.cols(), size_t(mOwned.cols()) * sizeof(float));
        return;
    }
    convertRows(i, 1, out);
}

void WeightMatrix::timesTransposed(const MatrixRM &x, MatrixRM &y) const
{
    if (!isMapped()) {
        y.noalias() = x * mOwned.transpose();
        return;
    }
    const qint64 rows = mMapped.rows, cols = mMapped.cols;
    y.resize(x.rows(), rows);
    if (mMapped.dtype == DType::F32) {
        const Eigen::Map<const MatrixRM> w(reinterpret_cast<const float *>(mMapped.data), rows, cols);
        y.noalias() = x * w.transpose();
        return;
    }
    // Blocks of about 1 MB of float32 rows, converted into a per-thread buffer and multiplied
    // at once: the conversion is one pass over the weights per product, against tokens passes
    // of arithmetic.
    const qint64 block = std::clamp<qint64>((qint64(1) << 18) / std::max<qint64>(cols, 1), 16, rows);
    thread_local std::vector<float> buffer;
    buffer.resize(size_t(block * cols));
    for (qint64 r = 0; r < rows; r += block) {
        const qint64 n = std::min(block, rows - r);
        convertRows(r, n, buffer.data());
        const Eigen::Map<const MatrixRM> w(buffer.data(), n, cols);
        y.middleCols(r, n).noalias() = x * w.transpose();
    }
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
