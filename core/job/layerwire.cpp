#include "layerwire.h"

#include "core/common/wire.h"

#include <QDataStream>
#include <QIODevice>

namespace lqer {

namespace {

constexpr quint32 kLayerMagic = 0x4c514c32; // "LQL2"

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

// Wq travels in fp32 (packed codes are rebuilt on arrival: packing is exact and deterministic,
// so the root holds what the sending rank held).
void writeLinear(QDataStream &s, const QuantizedLinear &l)
{
    wire::writeMatrix(s, l.dequantizedWeight());
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
    if (!wire::readMatrix(s, l.wq) || !wire::readMatrix(s, l.a) || !wire::readMatrix(s, l.b))
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
        l.packWeights();
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
