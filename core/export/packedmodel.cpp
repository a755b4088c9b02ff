#include "packedmodel.h"

#include "core/export/packedformat.h"
#include "core/export/packing.h"
#include "core/lqer/lqer.h"
#include "core/model/config.h"
#include "core/model/transformer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace lqer {

namespace {

QString native(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

Expected<QuantFormat> formatField(const QJsonObject &o, const char *key, const QString &layer,
                                  const QString &where)
{
    const QString text = o.value(QLatin1String(key)).toString();
    if (text.isEmpty())
        return makeError(QStringLiteral("%1: layer '%2' has no '%3' in %4")
                             .arg(where, layer, QLatin1String(key), QLatin1String(packedMetaLayersKey())));
    Expected<QuantFormat> f = QuantFormat::parse(text);
    if (!f)
        return makeError(QStringLiteral("%1: layer '%2': %3").arg(where, layer, f.error()));
    return f;
}

// Reads one array tensor and checks its dtype and shape.
Expected<QByteArray> readArray(const Checkpoint &ckpt, const QString &name, DType dtype, qint64 rows,
                               qint64 cols)
{
    const TensorInfo *info = ckpt.find(name);
    if (!info || !ckpt.shardOf(name))
        return makeError(QStringLiteral("%1: tensor '%2' is missing").arg(native(ckpt.directory()), name));
    if (info->dtype != dtype || info->shape != QList<qint64> {rows, cols})
        return makeError(QStringLiteral("%1: tensor '%2' is %3 %4x%5, expected %6 %7x%8")
                             .arg(native(ckpt.shardOf(name)->path()), name, dtypeName(info->dtype))
                             .arg(info->rows())
                             .arg(info->cols())
                             .arg(dtypeName(dtype))
                             .arg(rows)
                             .arg(cols));
    Expected<const uchar *> data = ckpt.shardOf(name)->data(*info);
    if (!data)
        return Error {data.error()};
    return QByteArray(reinterpret_cast<const char *>(*data), qsizetype(info->byteSize()));
}

// Decodes the matrix stored under `base` (rows x cols, quantized along rows with `format`).
Expected<MatrixRM> readPacked(const Checkpoint &ckpt, const QString &base, const QuantFormat &format,
                              qint64 rows, qint64 cols)
{
    PackedTensor p;
    p.format = format;
    p.rows = rows;
    p.cols = cols;
    // Each array into its field of `p`, checked against the layer's shape and format.
    Status st;
    auto read = [&](const QString &suffix, DType dtype, qint64 arrayCols, QByteArray &field) {
        if (!st)
            return;
        Expected<QByteArray> bytes = readArray(ckpt, base + suffix, dtype, rows, arrayCols);
        if (bytes)
            field = std::move(*bytes);
        else
            st = Error {bytes.error()};
    };
    if (!format.isQuantized()) {
        read(QString(), DType::F32, cols, p.raw);
    } else {
        read(QStringLiteral(".codes"), DType::U8, p.codeRowBytes(), p.codes);
        if (format.kind == FormatKind::MxInt)
            read(QStringLiteral(".exponents"), DType::U8, p.blocksPerRow(), p.exponents);
        else
            read(QStringLiteral(".scales"), DType::F16, p.blocksPerRow(), p.scales);
        if (format.kind == FormatKind::IntAsym)
            read(QStringLiteral(".zeros"), DType::U8, p.zeroRowBytes(), p.zeros);
    }
    if (!st)
        return Error {st.error()};
    MatrixRM m(rows, cols);
    if (Status s = unpackRows(p, m.data(), base); !s)
        return Error {s.error()};
    return m;
}

Status checkFormatVersion(const QMap<QString, QString> &meta, const QString &where)
{
    if (meta.value(QLatin1String(packedMetaFormatKey())) != QLatin1String(packedFormatId()))
        return makeError(QStringLiteral("%1: not a packed LQER checkpoint (metadata '%2' is '%3')")
                             .arg(where, QLatin1String(packedMetaFormatKey()),
                                  meta.value(QLatin1String(packedMetaFormatKey()))));
    const int version = meta.value(QLatin1String(packedMetaVersionKey())).toInt();
    if (version < 1 || version > packedFormatVersion())
        return makeError(
            QStringLiteral("%1: packed format version %2 is not supported (this build reads up to %3)")
                .arg(where, meta.value(QLatin1String(packedMetaVersionKey())))
                .arg(packedFormatVersion()));
    return {};
}

// One entry of the layer table: its shape and formats, checked.
Expected<PackedLayerInfo> parseLayer(const QString &name, const QJsonObject &o, const QString &where)
{
    PackedLayerInfo info;
    info.weightName = name;
    // Dimensions beyond 2^40 are refused below; clamping first keeps the double → integer
    // conversion defined for any number a damaged header holds (NaN becomes 0).
    const auto dimension = [&o](const char *key) {
        const double v = o.value(QLatin1String(key)).toDouble();
        return std::isfinite(v) ? qint64(std::clamp(v, -1.0, 1099511627776.0)) : qint64(0);
    };
    info.inFeatures = dimension("in");
    info.outFeatures = dimension("out");
    info.rank = o.value(QStringLiteral("rank")).toInt();
    info.transposed = o.value(QStringLiteral("transposed")).toBool();
    if (info.inFeatures <= 0 || info.outFeatures <= 0 || info.rank < 0 || info.inFeatures >= 1099511627776LL
        || info.outFeatures >= 1099511627776LL || info.rank > std::min(info.inFeatures, info.outFeatures))
        return makeError(
            QStringLiteral("%1: layer '%2' has a bad shape in the metadata (in %3, out %4, rank %5)")
                .arg(where, info.weightName)
                .arg(info.inFeatures)
                .arg(info.outFeatures)
                .arg(info.rank));
    Expected<QuantFormat> w = formatField(o, "weight_format", info.weightName, where);
    Expected<QuantFormat> l = formatField(o, "low_rank_format", info.weightName, where);
    Expected<QuantFormat> a = formatField(o, "act_format", info.weightName, where);
    Expected<QuantFormat> la = formatField(o, "low_rank_act_format", info.weightName, where);
    for (const auto *f : {&w, &l, &a, &la})
        if (!*f)
            return Error {f->error()};
    info.weight = *w;
    info.lowRank = *l;
    info.act = *a;
    info.lowRankAct = *la;
    return info;
}

// The layers in model order, as core/model/architecture orders the source's linears; the packed
// file keeps the biases under their own names. The architecture comes from config.json when the
// export copied it, else from the naming scheme.
QList<LinearLayerInfo> linearsInModelOrder(const Checkpoint &ckpt,
                                           const QMap<QString, PackedLayerInfo> &layers)
{
    const TensorShapeFn stored = checkpointShapes(ckpt);
    const TensorShapeFn shapeOf = [&](const QString &name) {
        auto it = layers.constFind(name);
        if (it == layers.constEnd())
            return stored(name);
        return it->transposed ? QList<qint64> {it->inFeatures, it->outFeatures}
                              : QList<qint64> {it->outFeatures, it->inFeatures};
    };
    const Expected<std::optional<Architecture>> arch = checkpointArchitecture(ckpt);
    QList<LinearLayerInfo> linears
        = matchLinears(layers.keys(), shapeOf, arch ? *arch : std::optional<Architecture>());
    QSet<QString> matched;
    for (const LinearLayerInfo &l : std::as_const(linears))
        matched.insert(l.weightName);
    for (const PackedLayerInfo &info : layers) {
        if (matched.contains(info.weightName))
            continue;
        LinearLayerInfo l;
        l.weightName = info.weightName;
        l.inFeatures = info.inFeatures;
        l.outFeatures = info.outFeatures;
        l.transposed = info.transposed;
        linears << l;
    }
    return linears;
}

// Decodes Wq, A and B of one layer.
Expected<QuantizedLinear> readLinear(const Checkpoint &ckpt, const PackedLayerInfo &info)
{
    const QString base = packedLayerBase(info.weightName);
    QuantizedLinear q;
    q.act = info.act;
    q.lowRankAct = info.lowRankAct;
    Expected<MatrixRM> wq
        = readPacked(ckpt, base + QStringLiteral(".wq"), info.weight, info.outFeatures, info.inFeatures);
    if (!wq)
        return Error {wq.error()};
    q.wq = std::move(*wq);
    q.weightFormat = info.weight;
    q.lowRankFormat = info.lowRank;
    if (info.rank > 0) {
        Expected<MatrixRM> at
            = readPacked(ckpt, base + QStringLiteral(".at"), info.lowRank, info.rank, info.inFeatures);
        if (!at)
            return Error {at.error()};
        Expected<MatrixRM> bt
            = readPacked(ckpt, base + QStringLiteral(".bt"), info.lowRank, info.outFeatures, info.rank);
        if (!bt)
            return Error {bt.error()};
        q.a = at->transpose();
        q.b = bt->transpose();
    }
    q.packWeights();
    return q;
}

} // namespace

bool isPackedCheckpoint(const QString &path)
{
    const QFileInfo info(path);
    if (info.isDir()) {
        QFile f(QDir(path).filePath(QLatin1String(packedConfigFileName())));
        if (!f.open(QIODevice::ReadOnly) || f.size() > (qint64(64) << 20))
            return false;
        const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
        return o.value(QStringLiteral("format")).toString() == QLatin1String(packedFormatId());
    }
    if (info.isFile() && path.endsWith(QLatin1String(".safetensors"))) {
        Expected<std::shared_ptr<SafetensorsFile>> file = SafetensorsFile::open(path);
        return file
            && (*file)->metadata().value(QLatin1String(packedMetaFormatKey()))
            == QLatin1String(packedFormatId());
    }
    return false;
}

Expected<PackedMetadata> readPackedMetadata(const Checkpoint &checkpoint)
{
    if (checkpoint.shards().isEmpty())
        return makeError(QStringLiteral("%1: no safetensors file").arg(native(checkpoint.directory())));
    const SafetensorsFile &first = *checkpoint.shards().first();
    const QString where = native(first.path());
    const QMap<QString, QString> &meta = first.metadata();
    if (Status s = checkFormatVersion(meta, where); !s)
        return Error {s.error()};

    PackedMetadata result;
    QJsonParseError perr;
    const QJsonDocument planDoc
        = QJsonDocument::fromJson(meta.value(QLatin1String(packedMetaPlanKey())).toUtf8(), &perr);
    if (planDoc.isObject()) {
        Expected<Plan> plan = Plan::fromJson(planDoc.object());
        if (!plan)
            return makeError(QStringLiteral("%1: metadata '%2': %3")
                                 .arg(where, QLatin1String(packedMetaPlanKey()), plan.error()));
        result.plan = *plan;
    }
    const QJsonDocument layersDoc
        = QJsonDocument::fromJson(meta.value(QLatin1String(packedMetaLayersKey())).toUtf8(), &perr);
    if (!layersDoc.isObject())
        return makeError(QStringLiteral("%1: metadata '%2' is not a JSON object (%3)")
                             .arg(where, QLatin1String(packedMetaLayersKey()), perr.errorString()));
    const QJsonObject layers = layersDoc.object();
    double bits = 0, weights = 0;
    for (auto it = layers.begin(); it != layers.end(); ++it) {
        Expected<PackedLayerInfo> info = parseLayer(it.key(), it.value().toObject(), where);
        if (!info)
            return Error {info.error()};
        const double mn = double(info->inFeatures) * double(info->outFeatures);
        bits += layerBitsPerWeight(info->inFeatures, info->outFeatures, info->rank, info->weight,
                                   info->rank > 0 ? info->lowRank : QuantFormat::none())
            * double(info->inFeatures) * double(info->outFeatures);
        weights += mn;
        result.layers.insert(info->weightName, *info);
    }
    result.formulaBitsPerWeight = weights > 0 ? bits / weights : 0;
    result.linears = linearsInModelOrder(checkpoint, result.layers);
    return result;
}

Expected<PackedModel> loadPackedLinears(const QString &path, const ProgressFn &progress)
{
    Expected<std::shared_ptr<Checkpoint>> opened = Checkpoint::open(path);
    if (!opened)
        return Error {opened.error()};
    const std::shared_ptr<Checkpoint> ckpt = *opened;
    Expected<PackedMetadata> meta = readPackedMetadata(*ckpt);
    if (!meta)
        return Error {meta.error()};

    PackedModel model;
    model.checkpoint = ckpt;
    model.plan = meta->plan;
    model.layers = meta->layers;
    int done = 0;
    for (const PackedLayerInfo &info : std::as_const(meta->layers)) {
        if (!reportProgress(progress, 0.5 * done / std::max<qsizetype>(meta->layers.size(), 1),
                            QStringLiteral("decoding %1").arg(info.weightName)))
            return makeError(QStringLiteral("%1: loading cancelled").arg(native(path)));
        ++done;
        Expected<QuantizedLinear> q = readLinear(*ckpt, info);
        if (!q)
            return Error {q.error()};
        model.linears.insert(info.weightName, std::move(*q));
    }
    return model;
}

Expected<std::shared_ptr<Transformer>> loadPackedModel(const QString &path, const ProgressFn &progress)
{
    Expected<PackedModel> packed = loadPackedLinears(
        path, [&progress](double f, const QString &msg) { return reportProgress(progress, f, msg); });
    if (!packed)
        return Error {packed.error()};
    const std::shared_ptr<const Checkpoint> ckpt = packed->checkpoint;
    const QString where = native(ckpt->directory());
    if (!ckpt->hasConfig())
        return makeError(
            QStringLiteral("%1: no config.json beside the packed weights, cannot build a model").arg(where));
    Expected<ModelConfig> config
        = ModelConfig::fromJson(ckpt->config(), where + QStringLiteral("/config.json"));
    if (!config)
        return Error {config.error()};

    // The quantized linears' weights exist only as codes: the model reads the decoded Wq in the
    // orientation the source stored it (the builder transposes Conv1D weights itself).
    const PackedModel *pm = &*packed;
    TensorSource source;
    source.description = where;
    source.has = [ckpt, pm](const QString &name) { return pm->linears.contains(name) || ckpt->find(name); };
    source.read = [ckpt, pm](const QString &name) -> Expected<MatrixRM> {
        auto it = pm->linears.constFind(name);
        if (it == pm->linears.constEnd())
            return ckpt->readMatrix(name);
        if (pm->layers.value(name).transposed)
            return MatrixRM(it->dequantizedWeight().transpose());
        return it->dequantizedWeight();
    };
    source.shape = [ckpt, pm](const QString &name) -> QList<qint64> {
        auto it = pm->layers.constFind(name);
        if (it != pm->layers.constEnd())
            return it->transposed ? QList<qint64> {it->inFeatures, it->outFeatures}
                                  : QList<qint64> {it->outFeatures, it->inFeatures};
        const TensorInfo *t = ckpt->find(name);
        return t ? t->shape : QList<qint64>();
    };
    Expected<std::shared_ptr<Transformer>> model
        = Transformer::build(*config, source, [&progress](double f, const QString &msg) {
              return reportProgress(progress, 0.5 + 0.5 * f, msg);
          });
    if (!model)
        return Error {model.error()};
    if (Status s = (*model)->setQuantizedLinears(packed->linears); !s)
        return makeError(QStringLiteral("%1: %2").arg(where, s.error()));
    (*model)->setAttentionFormat(packed->plan.quantizeAttentionMatmuls ? QuantFormat::mxint(8, 8, 16)
                                                                       : QuantFormat::none());
    return model;
}

} // namespace lqer
