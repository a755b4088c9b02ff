#include "statsfile.h"

#include "core/io/safetensors.h"

#include <QDir>

#include <cstring>

namespace lqer {

namespace {

const QString kMeanAbsMax = QStringLiteral(".mean_abs_max");
const QString kSumSquares = QStringLiteral(".sum_squares");
const QString kGram = QStringLiteral(".gram");

QByteArray doubleBytes(const double *data, qint64 count)
{
    return QByteArray(reinterpret_cast<const char *>(data), count * qint64(sizeof(double)));
}

Expected<std::vector<double>> readDoubles(const SafetensorsFile &file, const QString &name, qint64 expected)
{
    const TensorInfo *info = file.find(name);
    if (!info)
        return makeError(
            QStringLiteral("%1: missing tensor '%2'").arg(QDir::toNativeSeparators(file.path()), name));
    if (info->dtype != DType::F64 || (expected >= 0 && info->elementCount() != expected))
        return makeError(QStringLiteral("%1: tensor '%2' must be F64 with %3 elements")
                             .arg(QDir::toNativeSeparators(file.path()), name)
                             .arg(expected));
    Expected<const uchar *> bytes = file.data(*info);
    if (!bytes)
        return Error {bytes.error()};
    std::vector<double> values(size_t(info->elementCount()));
    std::memcpy(values.data(), *bytes, values.size() * sizeof(double));
    return values;
}

} // namespace

Status saveStats(const QString &path, const StatsMap &stats, const QMap<QString, QString> &metadata)
{
    SafetensorsWriter writer;
    for (auto it = metadata.begin(); it != metadata.end(); ++it)
        writer.setMetadata(it.key(), it.value());
    writer.setMetadata(QStringLiteral("format"), QStringLiteral("lqer-stats-1"));
    for (auto it = stats.begin(); it != stats.end(); ++it) {
        const LayerStats &s = it.value();
        const qint64 m = s.meanAbsMax.size();
        if (s.sumSquares.size() != m)
            return makeError(
                QStringLiteral("statistics of '%1': mean_abs_max has %2 channels, sum_squares %3")
                    .arg(it.key())
                    .arg(m)
                    .arg(s.sumSquares.size()));
        writer.addTensor(it.key() + kMeanAbsMax, DType::F64, {m}, doubleBytes(s.meanAbsMax.data(), m));
        writer.addTensor(it.key() + kSumSquares, DType::F64, {m}, doubleBytes(s.sumSquares.data(), m));
        if (s.hasGram())
            writer.addTensor(it.key() + kGram, DType::F64, {s.gram.rows(), s.gram.cols()},
                             doubleBytes(s.gram.data(), s.gram.size()));
        writer.setMetadata(it.key() + QStringLiteral(".samples"), QString::number(s.samples));
        writer.setMetadata(it.key() + QStringLiteral(".tokens"), QString::number(s.tokens));
    }
    return writer.write(path);
}

Expected<StatsMap> loadStats(const QString &path, QMap<QString, QString> *metadata)
{
    Expected<std::shared_ptr<SafetensorsFile>> file = SafetensorsFile::open(path);
    if (!file)
        return Error {file.error()};
    const SafetensorsFile &st = **file;
    if (st.metadata().value(QStringLiteral("format")) != QLatin1String("lqer-stats-1"))
        return makeError(
            QStringLiteral("%1: not an LQER statistics file (metadata 'format' is not lqer-stats-1)")
                .arg(QDir::toNativeSeparators(path)));
    StatsMap stats;
    for (const TensorInfo &t : st.tensors()) {
        if (!t.name.endsWith(kMeanAbsMax))
            continue;
        const QString layer = t.name.left(t.name.size() - kMeanAbsMax.size());
        LayerStats s;
        s.layer = layer;
        const qint64 m = t.elementCount();
        Expected<std::vector<double>> mam = readDoubles(st, t.name, m);
        if (!mam)
            return Error {mam.error()};
        Expected<std::vector<double>> ss = readDoubles(st, layer + kSumSquares, m);
        if (!ss)
            return Error {ss.error()};
        s.meanAbsMax = Eigen::Map<const VectorD>(mam->data(), m);
        s.sumSquares = Eigen::Map<const VectorD>(ss->data(), m);
        if (st.find(layer + kGram)) {
            Expected<std::vector<double>> gram = readDoubles(st, layer + kGram, m * m);
            if (!gram)
                return Error {gram.error()};
            s.gram = Eigen::Map<const MatrixRMd>(gram->data(), m, m);
        }
        s.samples = st.metadata().value(layer + QStringLiteral(".samples")).toLongLong();
        s.tokens = st.metadata().value(layer + QStringLiteral(".tokens")).toLongLong();
        for (qint64 i = 0; i < m; ++i) {
            if (!std::isfinite(s.meanAbsMax[i]) || !std::isfinite(s.sumSquares[i]))
                return makeError(
                    QStringLiteral("%1: statistics of '%2' contain a non-finite value at channel %3")
                        .arg(QDir::toNativeSeparators(path), layer)
                        .arg(i));
            if (s.meanAbsMax[i] < 0 || s.sumSquares[i] < 0)
                return makeError(
                    QStringLiteral("%1: statistics of '%2' contain a negative mean |x| or sum of "
                                   "squares at channel %3")
                        .arg(QDir::toNativeSeparators(path), layer)
                        .arg(i));
        }
        if (s.gram.size() > 0 && !s.gram.allFinite())
            return makeError(QStringLiteral("%1: the Gram matrix of '%2' contains a non-finite value")
                                 .arg(QDir::toNativeSeparators(path), layer));
        if (s.samples < 0 || s.tokens < 0)
            return makeError(QStringLiteral("%1: negative sample or token count for '%2'")
                                 .arg(QDir::toNativeSeparators(path), layer));
        stats.insert(layer, std::move(s));
    }
    if (metadata)
        *metadata = st.metadata();
    return stats;
}

} // namespace lqer
