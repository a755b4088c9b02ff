#include "packedmodel.h"

#include "core/export/packedformat.h"
#include "core/export/packing.h"
#include "core/model/config.h"
#include "core/model/transformer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

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
    if (!info)
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
    if (!format.isQuantized()) {
        Expected<QByteArray> raw = readArray(ckpt, base, DType::F32, rows, cols);
        if (!raw)
            return Error {raw.error()};
        p.raw = std::move(*raw);
    } else {
        Expected<QByteArray> codes
            = readArray(ckpt, base + QStringLiteral(".codes"), DType::U8, rows, p.codeRowBytes());
        if (!codes)
            return Error {codes.error()};
        p.codes = std::move(*codes);
        if (format.kind == FormatKind::MxInt) {
            Expected<QByteArray> e
                = readArray(ckpt, base + QStringLiteral(".exponents"), DType::U8, rows, p.blocksPerRow());
            if (!e)
                return Error {e.error()};
            p.exponents = std::move(*e);
        } else {
            Expected<QByteArray> s
                = readArray(ckpt, base + QStringLiteral(".scales"), DType::F16, rows, p.blocksPerRow());
            if (!s)
                return Error {s.error()};
            p.scales = std::move(*s);
        }
        if (format.kind == FormatKind::IntAsym) {
            Expected<QByteArray> z
                = readArray(ckpt, base + QStringLiteral(".zeros"), DType::U8, rows, p.zeroRowBytes());
            if (!z)
                return Error {z.error()};
            p.zeros = std::move(*z);
        }
    }
    MatrixRM m(rows, cols);
    if (Status s = unpackRows(p, m.data(), base); !s)
        return Error {s.error()};
    return m;
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

Expected<PackedModel> loadPackedLinears(const QString &path, const ProgressFn &progress)
{
    Expected<std::shared_ptr<Checkpoint>> opened = Checkpoint::open(path);
    if (!opened)
        return Error {opened.error()};
    const std::shared_ptr<Checkpoint> ckpt = *opened;
    if (ckpt->shards().isEmpty())
        return makeError(QStringLiteral("%1: no safetensors file").arg(native(path)));
    const SafetensorsFile &first = *ckpt->shards().first();
    const QString where = native(first.path());
    const QMap<QString, QString> &meta = first.metadata();
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

    PackedModel model;
    model.checkpoint = ckpt;
    QJsonParseError perr;
    const QJsonDocument planDoc
        = QJsonDocument::fromJson(meta.value(QLatin1String(packedMetaPlanKey())).toUtf8(), &perr);
    if (planDoc.isObject()) {
        Expected<Plan> plan = Plan::fromJson(planDoc.object());
        if (!plan)
            return makeError(QStringLiteral("%1: metadata '%2': %3")
                                 .arg(where, QLatin1String(packedMetaPlanKey()), plan.error()));
        model.plan = *plan;
    }
    const QJsonDocument layersDoc
        = QJsonDocument::fromJson(meta.value(QLatin1String(packedMetaLayersKey())).toUtf8(), &perr);
    if (!layersDoc.isObject())
        return makeError(QStringLiteral("%1: metadata '%2' is not a JSON object (%3)")
                             .arg(where, QLatin1String(packedMetaLayersKey()), perr.errorString()));
    const QJsonObject layers = layersDoc.object();
    int done = 0;
    for (auto it = layers.begin(); it != layers.end(); ++it) {
        if (!reportProgress(progress, 0.5 * done / std::max<qsizetype>(layers.size(), 1),
                            QStringLiteral("decoding %1").arg(it.key())))
            return makeError(QStringLiteral("%1: loading cancelled").arg(native(path)));
        ++done;
        const QJsonObject o = it.value().toObject();
        PackedLayerInfo info;
        info.weightName = it.key();
        info.inFeatures = qint64(o.value(QStringLiteral("in")).toDouble());
        info.outFeatures = qint64(o.value(QStringLiteral("out")).toDouble());
        info.rank = o.value(QStringLiteral("rank")).toInt();
        info.transposed = o.value(QStringLiteral("transposed")).toBool();
        if (info.inFeatures <= 0 || info.outFeatures <= 0 || info.rank < 0
            || info.rank > std::min(info.inFeatures, info.outFeatures))
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

        const QString base = packedLayerBase(info.weightName);
        QuantizedLinear q;
        q.act = info.act;
        q.lowRankAct = info.lowRankAct;
        Expected<MatrixRM> wq
            = readPacked(*ckpt, base + QStringLiteral(".wq"), info.weight, info.outFeatures, info.inFeatures);
        if (!wq)
            return Error {wq.error()};
        q.wq = std::move(*wq);
        if (info.rank > 0) {
            Expected<MatrixRM> at
                = readPacked(*ckpt, base + QStringLiteral(".at"), info.lowRank, info.rank, info.inFeatures);
            if (!at)
                return Error {at.error()};
            Expected<MatrixRM> bt
                = readPacked(*ckpt, base + QStringLiteral(".bt"), info.lowRank, info.outFeatures, info.rank);
            if (!bt)
                return Error {bt.error()};
            q.a = at->transpose();
            q.b = bt->transpose();
        }
        model.layers.insert(info.weightName, info);
        model.linears.insert(info.weightName, std::move(q));
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
            return MatrixRM(it->wq.transpose());
        return it->wq;
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
