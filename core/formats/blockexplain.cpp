#include "blockexplain.h"

#include <cmath>
#include <vector>

namespace lqer {

QString codeBits(const QuantFormat &format, double code, bool negative)
{
    const int width = format.bits;
    const auto binary
        = [](quint32 v, int digits) { return QStringLiteral("%1").arg(v, digits, 2, QLatin1Char('0')); };
    if (format.kind == FormatKind::MxInt && format.convention == MxConvention::Lqer)
        return (negative ? QStringLiteral("1 ") : QStringLiteral("0 ")) + binary(quint32(code), width - 1);
    if (format.kind == FormatKind::IntAsym)
        return binary(quint32(code), width);
    // Two's complement in `width` bits.
    const quint32 mask = width >= 32 ? 0xffffffffu : ((1u << width) - 1u);
    return binary(quint32(qint32(code)) & mask, width);
}

Expected<BlockExplanation> explainBlock(const QVector<float> &values, const QuantFormat &format,
                                        const QString &what)
{
    if (values.isEmpty())
        return makeError(QStringLiteral("%1: the block is empty").arg(what));
    if (!format.isQuantized())
        return makeError(QStringLiteral("%1: %2 is not a quantized format").arg(what, format.toString()));
    if (Status s = format.validate(); !s)
        return makeError(QStringLiteral("%1: %2").arg(what, s.error()));
    if (const qint64 bad = firstNonFinite(values.constData(), values.size()); bad >= 0)
        return makeError(QStringLiteral("%1: value %2 (element %3) is not a finite number")
                             .arg(what)
                             .arg(double(values[bad]))
                             .arg(bad));
    std::vector<ElementCode> codes(size_t(values.size()));
    BlockExplanation e;
    e.format = format;
    e.shared = referenceBlockCodes(values.constData(), int(values.size()), format, codes.data());
    for (int i = 0; i < values.size(); ++i) {
        const ElementCode &c = codes[size_t(i)];
        ExplainedElement x;
        x.value = values[i];
        x.scaled = c.scaled;
        x.code = c.code;
        x.negative = c.negative;
        x.bits = codeBits(format, c.code, c.negative);
        x.tie = !e.shared.zero && std::fabs(c.scaled - std::floor(c.scaled) - 0.5) == 0.0;
        x.clipped = !e.shared.zero && (c.rounded > e.shared.maxCode || c.rounded < e.shared.minCode);
        x.reconstructed = c.value;
        x.error = double(c.value) - double(values[i]);
        e.tieCount += x.tie ? 1 : 0;
        e.clippedCount += x.clipped ? 1 : 0;
        e.sse += x.error * x.error;
        e.elements.push_back(x);
    }
    return e;
}

Expected<QVector<float>> blockOfRow(const MatrixRM &matrix, qint64 row, qint64 block, int blockSize)
{
    if (row < 0 || row >= matrix.rows())
        return makeError(QStringLiteral("row %1 is outside 0..%2").arg(row).arg(matrix.rows() - 1));
    const qint64 cols = matrix.cols();
    const qint64 size = blockSize <= 0 || blockSize > cols ? cols : blockSize;
    const qint64 blocks = (cols + size - 1) / size;
    if (block < 0 || block >= blocks)
        return makeError(QStringLiteral("block %1 is outside 0..%2 (blocks of %3 along a row of %4)")
                             .arg(block)
                             .arg(blocks - 1)
                             .arg(size)
                             .arg(cols));
    const qint64 start = block * size;
    const qint64 n = std::min(size, cols - start);
    QVector<float> values(n);
    for (qint64 i = 0; i < n; ++i)
        values[i] = matrix(row, start + i);
    return values;
}

Expected<double> quantizationSse(const MatrixRM &matrix, const QuantFormat &format, const QString &what)
{
    auto q = quantizeMatrix(matrix, format, what);
    if (!q)
        return makeError(q.error());
    return double((matrix.cast<double>() - q->cast<double>()).squaredNorm());
}

} // namespace lqer
