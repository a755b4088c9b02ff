#include "layerwire.h"

#include "core/common/wire.h"

#include <QDataStream>
#include <QIODevice>

namespace lqer {

namespace {

constexpr quint32 kLayerMagic = 0x4c514c33; // "LQL3"

void writeFormat(QDataStream &s, const QuantFormat &f)
{
    s << qint32(f.kind) << qint32(f.bits) << qint32(f.expBits) << qint32(f.block) << qint32(f.convention);
}

void readFormat(QDataStream &s, QuantFormat &f)
{
    qint32 kind = 0, bits = 0, expBits = 0, block = 0, convention = 0;
    s >> kind >> bits >> expBits >> block >> convention;
    f.kind = FormatKind(kind);
    f.bits = bits;
    f.expBits = expBits;
    f.block = block;
    f.convention = MxConvention(convention);
}

// Wq travels as the kernels' packed codes when the sender holds it packed (a 4096 x 11008
// MXINT4 layer: 25 MB instead of 180 MB of fp32), else in fp32; A and B in fp32, packed again
// on arrival (packing is exact and deterministic, so the root holds what the sending rank held).
void writePacked(QDataStream &s, const PackedMatrix &m)
{
    s << qint64(m.rows) << qint64(m.cols) << qint32(m.bits) << qint32(m.block) << qint32(m.scaleKind);
    wire::writeVector(s, m.codes);
    wire::writeVector(s, m.exponents);
    wire::writeVector(s, m.scales);
}

bool readPacked(QDataStream &s, PackedMatrix &m)
{
    qint64 rows = 0, cols = 0;
    qint32 bits = 0, block = 0, kind = 0;
    s >> rows >> cols >> bits >> block >> kind;
    m.rows = rows;
    m.cols = cols;
    m.bits = bits;
    m.block = block;
    m.scaleKind = PackedScale(kind);
    if (s.status() != QDataStream::Ok || !wire::readVector(s, m.codes) || !wire::readVector(s, m.exponents)
        || !wire::readVector(s, m.scales))
        return false;
    const bool pow2 = m.scaleKind == PackedScale::Pow2;
    const bool shaped = rows >= 0 && cols >= 0 && bits >= 2 && bits <= 8 && block > 0
        && (pow2 || m.scaleKind == PackedScale::Float) && qint64(m.codes.size()) == rows * m.rowBytes()
        && qint64(pow2 ? m.exponents.size() : m.scales.size()) == rows * m.blocksPerRow()
        && (pow2 ? m.scales.empty() : m.exponents.empty());
    if (!shaped)
        s.setStatus(QDataStream::ReadCorruptData);
    return shaped;
}

void writeLinear(QDataStream &s, const QuantizedLinear &l)
{
    s << bool(l.packedW != nullptr);
    if (l.packedW)
        writePacked(s, *l.packedW);
    else
        wire::writeMatrix(s, l.wq);
    wire::writeMatrix(s, l.a);
    wire::writeMatrix(s, l.b);
    writeFormat(s, l.act);
    writeFormat(s, l.lowRankAct);
    writeFormat(s, l.weightFormat);
    writeFormat(s, l.lowRankFormat);
    s << bool(l.packedW || l.packedAt || l.packedBt);
}

bool readLinear(QDataStream &s, QuantizedLinear &l)
{
    bool wqPacked = false;
    s >> wqPacked;
    if (s.status() != QDataStream::Ok)
        return false;
    if (wqPacked) {
        auto m = std::make_shared<PackedMatrix>();
        if (!readPacked(s, *m))
            return false;
        l.packedW = std::move(m);
    } else if (!wire::readMatrix(s, l.wq)) {
        return false;
    }
    if (!wire::readMatrix(s, l.a) || !wire::readMatrix(s, l.b))
        return false;
    readFormat(s, l.act);
    readFormat(s, l.lowRankAct);
    readFormat(s, l.weightFormat);
    readFormat(s, l.lowRankFormat);
    bool packed = false;
    s >> packed;
    if (s.status() != QDataStream::Ok)
        return false;
    if (packed)
        l.packWeights(); // A and B (and Wq when it came in fp32)
    return true;
}

void writeMetrics(QDataStream &s, const LayerMetrics &m)
{
    s << qint64(m.inFeatures) << qint64(m.outFeatures) << qint32(m.rank) << m.weightFrob << m.quantFrobError
      << m.frobError << m.relError << m.meanAbsError << m.plainMeanAbsError << m.scaledFrobError
      << m.hasScaledError << m.scaledPlainFrobError << m.bitsPerWeight << m.seconds;
}

void readMetrics(QDataStream &s, LayerMetrics &m)
{
    qint64 in = 0, out = 0;
    qint32 rank = 0;
    s >> in >> out >> rank >> m.weightFrob >> m.quantFrobError >> m.frobError >> m.relError >> m.meanAbsError
        >> m.plainMeanAbsError >> m.scaledFrobError >> m.hasScaledError >> m.scaledPlainFrobError
        >> m.bitsPerWeight >> m.seconds;
    m.inFeatures = in;
    m.outFeatures = out;
    m.rank = rank;
}

} // namespace

QByteArray encodeLayerResult(const LayerQuantResult &r)
{
    QByteArray bytes;
    QDataStream s(&bytes, QIODevice::WriteOnly);
    wire::prepared(s) << kLayerMagic << r.layer;
    writeLinear(s, r.linear);
    writeMetrics(s, r.metrics);
    wire::writeMatrix(s, r.spectra.svError);
    wire::writeMatrix(s, r.spectra.svScaled);
    s << r.spectra.alpha;
    return bytes;
}

Expected<LayerQuantResult> decodeLayerResult(const QByteArray &bytes)
{
    QDataStream s(bytes);
    quint32 magic = 0;
    LayerQuantResult r;
    wire::prepared(s) >> magic >> r.layer;
    if (magic != kLayerMagic || !readLinear(s, r.linear))
        return makeError(QStringLiteral("a layer result from another rank is damaged"));
    readMetrics(s, r.metrics);
    if (!wire::readMatrix(s, r.spectra.svError) || !wire::readMatrix(s, r.spectra.svScaled))
        return makeError(QStringLiteral("%1: the layer result from another rank is damaged").arg(r.layer));
    s >> r.spectra.alpha;
    if (s.status() != QDataStream::Ok || !s.atEnd())
        return makeError(QStringLiteral("%1: the layer result from another rank is damaged").arg(r.layer));
    return r;
}

QByteArray encodeQuantizedLinear(const QuantizedLinear &linear)
{
    QByteArray bytes;
    QDataStream s(&bytes, QIODevice::WriteOnly);
    wire::prepared(s) << kLayerMagic;
    writeLinear(s, linear);
    return bytes;
}

Expected<QuantizedLinear> decodeQuantizedLinear(const QByteArray &bytes)
{
    QDataStream s(bytes);
    quint32 magic = 0;
    wire::prepared(s) >> magic;
    QuantizedLinear l;
    if (magic != kLayerMagic || !readLinear(s, l) || !s.atEnd())
        return makeError(QStringLiteral("a quantized linear from another rank is damaged"));
    return l;
}

} // namespace lqer
