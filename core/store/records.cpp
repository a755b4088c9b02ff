#include "core/store/records.h"

#include <QCryptographicHash>
#include <QFile>

namespace lqer {

namespace {

std::vector<double> toStdVector(const VectorD &v)
{
    return std::vector<double>(v.data(), v.data() + v.size());
}

VectorD toVector(const std::vector<double> &v)
{
    VectorD out(Eigen::Index(v.size()));
    for (size_t i = 0; i < v.size(); ++i)
        out[Eigen::Index(i)] = v[i];
    return out;
}

// The `extra` column of run_layers: the record's optional metrics and formats under these keys,
// beside whatever else a producer keeps. A key is present exactly when its field is set.
struct ExtraNumber
{
    QLatin1String key;
    std::optional<double> LayerRunRecord::*field;
};
struct ExtraText
{
    QLatin1String key;
    QString LayerRunRecord::*field;
};
constexpr ExtraNumber kExtraNumbers[] = {
    {QLatin1String("weightFrob"), &LayerRunRecord::weightFrob},
    {QLatin1String("plainMeanAbsError"), &LayerRunRecord::plainMeanAbsError},
    {QLatin1String("scaledFrobError"), &LayerRunRecord::scaledFrobError},
    {QLatin1String("scaledPlainFrobError"), &LayerRunRecord::scaledPlainFrobError},
};
constexpr ExtraText kExtraTexts[] = {
    {QLatin1String("act"), &LayerRunRecord::actFormat},
    {QLatin1String("lowRank"), &LayerRunRecord::lowRankFormat},
};

} // namespace

QJsonObject layerRecordExtra(const LayerRunRecord &layer)
{
    QJsonObject extra = layer.extra;
    for (const ExtraNumber &n : kExtraNumbers) {
        if (const std::optional<double> &value = layer.*n.field)
            extra.insert(n.key, *value);
    }
    for (const ExtraText &t : kExtraTexts) {
        if (!(layer.*t.field).isEmpty())
            extra.insert(t.key, layer.*t.field);
    }
    return extra;
}

void setLayerRecordExtra(LayerRunRecord &layer, QJsonObject extra)
{
    for (const ExtraNumber &n : kExtraNumbers) {
        const auto it = extra.find(n.key);
        if (it != extra.end() && it->isDouble()) {
            layer.*n.field = it->toDouble();
            extra.erase(it);
        }
    }
    for (const ExtraText &t : kExtraTexts) {
        const auto it = extra.find(t.key);
        if (it != extra.end() && it->isString()) {
            layer.*t.field = it->toString();
            extra.erase(it);
        }
    }
    layer.extra = extra;
}

LayerResult layerResultFrom(const LayerQuantResult &result, Method method)
{
    LayerResult r;
    r.layer = result.layer;
    r.method = method;
    r.metrics = result.metrics;
    r.spectra = result.spectra;
    return r;
}

LayerRunRecord layerRunRecordFromResult(const LayerResult &result, const LayerPlan &plan)
{
    const LayerMetrics &m = result.metrics;
    LayerRunRecord r;
    r.layer = result.layer;
    r.method = methodName(result.method);
    r.rank = m.rank;
    r.inFeatures = m.inFeatures;
    r.outFeatures = m.outFeatures;
    r.weightFormat = plan.weight.toString();
    r.quantError = m.quantFrobError;
    r.frobError = m.frobError;
    r.relError = m.relError;
    r.meanAbsError = m.meanAbsError;
    r.bits = m.bitsPerWeight;
    r.seconds = m.seconds;
    r.alpha = result.spectra.alpha;
    r.svError = toStdVector(result.spectra.svError);
    r.svScaled = toStdVector(result.spectra.svScaled);
    r.weightFrob = m.weightFrob;
    r.plainMeanAbsError = m.plainMeanAbsError;
    if (m.hasScaledError) {
        r.scaledFrobError = m.scaledFrobError;
        r.scaledPlainFrobError = m.scaledPlainFrobError;
    }
    r.actFormat = plan.act.toString();
    r.lowRankFormat = plan.lowRank.toString();
    return r;
}

LayerResult layerResultFromRecord(const LayerRunRecord &record)
{
    LayerResult r;
    r.layer = record.layer;
    r.method = methodFromName(record.method).value_or(Method::Lqer);
    LayerMetrics &m = r.metrics;
    m.inFeatures = record.inFeatures;
    m.outFeatures = record.outFeatures;
    m.rank = record.rank;
    m.weightFrob = record.weightFrob.value_or(0);
    m.quantFrobError = record.quantError;
    m.frobError = record.frobError;
    m.relError = record.relError;
    m.meanAbsError = record.meanAbsError;
    m.plainMeanAbsError = record.plainMeanAbsError.value_or(0);
    m.hasScaledError = record.scaledFrobError.has_value();
    m.scaledFrobError = record.scaledFrobError.value_or(0);
    m.scaledPlainFrobError = record.scaledPlainFrobError.value_or(0);
    m.bitsPerWeight = record.bits;
    m.seconds = record.seconds;
    r.spectra.svError = toVector(record.svError);
    r.spectra.svScaled = toVector(record.svScaled);
    r.spectra.alpha = record.alpha;
    return r;
}

PerplexityRecord perplexityRecordFromResult(const QString &label, const QString &textPath,
                                            const PerplexityResult &result)
{
    PerplexityRecord p;
    p.label = label;
    p.textPath = textPath;
    p.textFingerprint = fileFingerprint(textPath);
    p.windowLength = result.windowLength;
    p.tokens = result.scoredTokens;
    p.nll = result.meanNll;
    p.perplexity = result.perplexity;
    p.seconds = result.seconds;
    p.perplexityError = result.perplexityError;
    p.kl = result.kl;
    return p;
}

PerplexityResult perplexityResultFromRecord(const PerplexityRecord &record)
{
    PerplexityResult r;
    r.windowLength = record.windowLength;
    r.scoredTokens = record.tokens;
    r.meanNll = record.nll;
    r.perplexity = record.perplexity;
    r.seconds = record.seconds;
    r.perplexityError = record.perplexityError;
    r.kl = record.kl;
    return r;
}

QString fileFingerprint(const QString &path)
{
    QFile f(path);
    if (path.isEmpty() || !f.open(QIODevice::ReadOnly))
        return QString();
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&f))
        return QString();
    return QString::fromLatin1(hash.result().toHex());
}

} // namespace lqer
