#include "app/studio/document.h"

#include "core/cost/cost.h"
#include "core/export/packedformat.h"
#include "core/export/packedmodel.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>
#include <limits>
#include <tuple>

namespace lqer {

// The linears of a packed LQER checkpoint from its metadata (docs/PACKED_FORMAT.md §3), in the
// order their arrays appear in the files (model order); headers only.
static Expected<QList<LinearLayerInfo>> packedLinears(const Checkpoint &checkpoint, Plan *plan)
{
    if (checkpoint.shards().isEmpty())
        return makeError(QObject::tr("%1: no safetensors file").arg(checkpoint.directory()));
    const QMap<QString, QString> &meta = checkpoint.shards().first()->metadata();
    const QJsonDocument planDoc
        = QJsonDocument::fromJson(meta.value(QLatin1String(packedMetaPlanKey())).toUtf8());
    if (planDoc.isObject()) {
        auto p = Plan::fromJson(planDoc.object());
        if (!p)
            return makeError(QObject::tr("%1: the packed plan: %2").arg(checkpoint.directory(), p.error()));
        *plan = *p;
    }
    QJsonParseError error;
    const QJsonDocument layersDoc
        = QJsonDocument::fromJson(meta.value(QLatin1String(packedMetaLayersKey())).toUtf8(), &error);
    if (!layersDoc.isObject())
        return makeError(QObject::tr("%1: the packed layer table is not a JSON object (%2)")
                             .arg(checkpoint.directory(), error.errorString()));
    QHash<QString, int> firstTensor; // "<base>" -> index of its first array in the files
    const QStringList names = checkpoint.tensorNames();
    for (int i = 0; i < names.size(); ++i) {
        const qsizetype at = names[i].indexOf(QLatin1String(".lqer."));
        if (at > 0) {
            const QString base = names[i].left(at + 5);
            if (!firstTensor.contains(base))
                firstTensor.insert(base, i);
        }
    }
    static const QRegularExpression blockRe(QStringLiteral("\\.(\\d+)\\."));
    const QJsonObject layers = layersDoc.object();
    QList<LinearLayerInfo> out;
    for (auto it = layers.begin(); it != layers.end(); ++it) {
        const QJsonObject o = it.value().toObject();
        LinearLayerInfo l;
        l.weightName = it.key();
        l.inFeatures = qint64(o.value(QStringLiteral("in")).toDouble());
        l.outFeatures = qint64(o.value(QStringLiteral("out")).toDouble());
        l.transposed = o.value(QStringLiteral("transposed")).toBool();
        if (l.inFeatures <= 0 || l.outFeatures <= 0)
            return makeError(QObject::tr("%1: layer %2 has no shape in the packed layer table")
                                 .arg(checkpoint.directory(), l.weightName));
        const QRegularExpressionMatch m = blockRe.match(l.weightName);
        l.block = m.hasMatch() ? m.captured(1).toInt() : 0;
        QString kind = l.weightName;
        if (kind.endsWith(QLatin1String(".weight")))
            kind.chop(7);
        l.kind = kind.section(QLatin1Char('.'), -1);
        out << l;
    }
    // Model order: block, then the forward-pass order of the linears within a block (the files
    // store tensors sorted by name, which would put mlp before self_attn).
    static const QStringList forwardOrder {QStringLiteral("q_proj"),        QStringLiteral("k_proj"),
                                           QStringLiteral("v_proj"),        QStringLiteral("query_key_value"),
                                           QStringLiteral("c_attn"),        QStringLiteral("o_proj"),
                                           QStringLiteral("out_proj"),      QStringLiteral("dense"),
                                           QStringLiteral("attn.c_proj"),   QStringLiteral("gate_proj"),
                                           QStringLiteral("up_proj"),       QStringLiteral("fc1"),
                                           QStringLiteral("dense_h_to_4h"), QStringLiteral("c_fc"),
                                           QStringLiteral("down_proj"),     QStringLiteral("fc2"),
                                           QStringLiteral("dense_4h_to_h"), QStringLiteral("mlp.c_proj")};
    auto order = [&](const LinearLayerInfo &l) {
        QString kind = l.kind;
        if (kind == QLatin1String("c_proj"))
            kind = l.weightName.contains(QLatin1String(".mlp.")) ? QStringLiteral("mlp.c_proj")
                                                                 : QStringLiteral("attn.c_proj");
        const int rank = int(forwardOrder.indexOf(kind));
        return std::make_tuple(
            l.block, rank < 0 ? int(forwardOrder.size()) : rank,
            firstTensor.value(packedLayerBase(l.weightName), std::numeric_limits<int>::max()));
    };
    std::stable_sort(out.begin(), out.end(),
                     [&](const LinearLayerInfo &a, const LinearLayerInfo &b) { return order(a) < order(b); });
    return out;
}

Expected<std::unique_ptr<Document>> Document::open(const QString &path)
{
    QElapsedTimer timer;
    timer.start();
    if (isPackedCheckpoint(path)) {
        auto checkpoint = Checkpoint::open(path);
        if (!checkpoint)
            return makeError(checkpoint.error());
        Plan plan;
        auto layers = packedLinears(**checkpoint, &plan);
        if (!layers)
            return makeError(layers.error());
        if (layers->isEmpty())
            return makeError(QObject::tr("%1: the packed checkpoint has no quantized layers").arg(path));
        std::unique_ptr<Document> doc(new Document);
        doc->mPath = path;
        doc->mPacked = true;
        doc->mCheckpoint = std::move(*checkpoint);
        doc->mLayers = std::move(*layers);
        for (int i = 0; i < doc->mLayers.size(); ++i)
            doc->mLayerIndex.insert(doc->mLayers[i].weightName, i);
        doc->mPlan = plan;
        doc->mOpenSeconds = timer.nsecsElapsed() / 1e9;
        return doc;
    }
    auto checkpoint = Checkpoint::open(path);
    if (!checkpoint)
        return makeError(checkpoint.error());
    auto layers = quantizableLinears(**checkpoint);
    if (!layers)
        return makeError(QObject::tr("%1: %2").arg(path, layers.error()));
    if (layers->isEmpty())
        return makeError(QObject::tr("%1 has no quantizable linear layers (decoder-block linears of a "
                                     "supported architecture)")
                             .arg(path));
    std::unique_ptr<Document> doc(new Document);
    doc->mPath = path;
    doc->mCheckpoint = std::move(*checkpoint);
    doc->mLayers = std::move(*layers);
    for (int i = 0; i < doc->mLayers.size(); ++i)
        doc->mLayerIndex.insert(doc->mLayers[i].weightName, i);
    auto preset = Plan::fromPreset(Plan::presetNames().value(0));
    if (preset)
        doc->mPlan = *preset;
    doc->mOpenSeconds = timer.nsecsElapsed() / 1e9;
    return doc;
}

QString Document::displayName() const
{
    return QFileInfo(mPath).fileName();
}

const LinearLayerInfo *Document::layer(const QString &weightName) const
{
    const int i = mLayerIndex.value(weightName, -1);
    return i < 0 ? nullptr : &mLayers[i];
}

QStringList Document::layerNames() const
{
    QStringList names;
    names.reserve(mLayers.size());
    for (const LinearLayerInfo &l : mLayers)
        names << l.weightName;
    return names;
}

void Document::setPlan(const Plan &plan, const QString &text)
{
    if (plan == mPlan)
        return;
    mUndoStack.push(new PlanCommand(this, mPlan, plan, text));
}

void Document::applyPlan(const Plan &plan)
{
    mPlan = plan;
    emit planChanged();
}

void Document::restore(const Plan &plan, const QHash<QString, LayerResult> &results)
{
    mUndoStack.clear();
    mPlan = plan;
    mResults = results;
    emit planChanged();
    emit resultsCleared();
}

void Document::editLayers(const QStringList &layers, const std::function<void(LayerPlan &)> &edit,
                          const QString &text)
{
    Plan next = mPlan;
    for (const QString &name : layers) {
        LayerPlan lp = next.forLayer(name);
        edit(lp);
        next.setLayer(name, lp);
    }
    setPlan(next, text);
}

void Document::setStats(std::shared_ptr<const StatsMap> stats, const QString &source)
{
    mStats = std::move(stats);
    mStatsSource = source;
    emit statsChanged();
}

void Document::setLayerResult(const LayerResult &result)
{
    mResults.insert(result.layer, result);
    emit layerResultChanged(result.layer);
}

const LayerResult *Document::result(const QString &layer) const
{
    auto it = mResults.constFind(layer);
    return it == mResults.constEnd() ? nullptr : &*it;
}

void Document::clearResults()
{
    mResults.clear();
    emit resultsCleared();
}

void Document::setFp32Perplexity(double ppl)
{
    mFp32Perplexity = ppl;
    emit perplexityChanged();
}

void Document::setPerplexity(double ppl)
{
    mPerplexity = ppl;
    emit perplexityChanged();
}

double Document::layerBits(const LinearLayerInfo &layer) const
{
    return lqer::layerBits(layer.inFeatures, layer.outFeatures, mPlan.forLayer(layer.weightName))
        .bitsPerWeight;
}

static QList<LayerShape> shapesOf(const QList<LinearLayerInfo> &layers)
{
    QList<LayerShape> shapes;
    for (const LinearLayerInfo &l : layers)
        shapes << LayerShape {l.weightName, l.inFeatures, l.outFeatures};
    return shapes;
}

double Document::modelBitsPerWeight() const
{
    return modelBits(shapesOf(mLayers), mPlan).bitsPerWeight;
}

double Document::paperBitsPerWeight() const
{
    return modelBits(shapesOf(mLayers), mPlan).paperAverage;
}

double Document::areaRatio() const
{
    return areaRelativeToFp16(designForPlan(mPlan, shapesOf(mLayers)));
}

QJsonObject Document::toJson() const
{
    QJsonObject json;
    json.insert(QStringLiteral("checkpoint"), mPath);
    json.insert(QStringLiteral("fingerprint"), mCheckpoint ? mCheckpoint->fingerprint() : QString());
    json.insert(QStringLiteral("plan"), mPlan.toJson());
    json.insert(QStringLiteral("stats"), mStatsSource);
    QJsonArray results;
    for (const LinearLayerInfo &l : mLayers) {
        const LayerResult *r = result(l.weightName);
        if (!r)
            continue;
        QJsonObject o;
        o.insert(QStringLiteral("layer"), r->layer);
        o.insert(QStringLiteral("method"), methodName(r->method));
        o.insert(QStringLiteral("rank"), r->metrics.rank);
        o.insert(QStringLiteral("frobError"), r->metrics.frobError);
        o.insert(QStringLiteral("relError"), r->metrics.relError);
        o.insert(QStringLiteral("meanAbsError"), r->metrics.meanAbsError);
        o.insert(QStringLiteral("plainMeanAbsError"), r->metrics.plainMeanAbsError);
        o.insert(QStringLiteral("bitsPerWeight"), r->metrics.bitsPerWeight);
        o.insert(QStringLiteral("seconds"), r->metrics.seconds);
        results.append(o);
    }
    json.insert(QStringLiteral("results"), results);
    if (mFp32Perplexity)
        json.insert(QStringLiteral("fp32Perplexity"), *mFp32Perplexity);
    if (mPerplexity)
        json.insert(QStringLiteral("perplexity"), *mPerplexity);
    return json;
}

PlanCommand::PlanCommand(Document *document, Plan before, Plan after, const QString &text)
    : QUndoCommand(text)
    , mDocument(document)
    , mBefore(std::move(before))
    , mAfter(std::move(after))
{ }

void PlanCommand::undo()
{
    mDocument->applyPlan(mBefore);
}

void PlanCommand::redo()
{
    mDocument->applyPlan(mAfter);
}

} // namespace lqer
