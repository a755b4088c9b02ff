#include "app/studio/document.h"

#include "core/cost/cost.h"
#include "core/export/ggufmodel.h"
#include "core/export/packedmodel.h"
#include "core/plan/planoptions.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>

#include <algorithm>

namespace lqer {

namespace {

QuantFormat formatOfGgmlType(GgmlType type)
{
    switch (type) {
    case GgmlType::Q4_0:
        return QuantFormat::q4_0();
    case GgmlType::Q8_0:
        return QuantFormat::q8_0();
    case GgmlType::F16:
        return QuantFormat::f16();
    case GgmlType::F32:
        break;
    }
    return QuantFormat::none();
}

// What a GGUF model holds, as a plan: the file's plan (when this project wrote it) for the
// method, with every layer's formats and rank as they are in the files. ggml multiplies
// q4_0 / q8_0 weights with q8_0 activations on CPU.
Plan planOfGguf(const GgufModelInfo &info)
{
    Plan plan = info.plan ? *info.plan : Plan {};
    plan.preset.clear(); // the formats are the file's, whatever preset the export started from
    if (!info.plan) {
        plan.defaults.method = Method::Plain;
        plan.defaults.rank = 0;
    }
    for (const GgufLinearInfo &l : info.linears) {
        LayerPlan lp = plan.forLayer(l.weightName);
        lp.weight = formatOfGgmlType(l.type);
        lp.quantize = lp.weight.isQuantized() || l.rank > 0;
        lp.act = l.type == GgmlType::Q4_0 || l.type == GgmlType::Q8_0 ? QuantFormat::q8_0()
                                                                      : QuantFormat::none();
        lp.rank = l.rank;
        if (l.rank > 0 && l.loraType)
            lp.lowRank = formatOfGgmlType(*l.loraType);
        if (l.rank == 0)
            lp.method = Method::Plain;
        else if (lp.method == Method::Plain)
            lp.method = Method::Lqer;
        plan.setLayer(l.weightName, lp);
    }
    return plan;
}

} // namespace

Expected<std::unique_ptr<Document>> Document::open(const QString &path, const QString &loraPath)
{
    QElapsedTimer timer;
    timer.start();
    if (isGgufFile(path)) {
        // The adapter's ranks go into the plan; its tensors are read only by the evaluation.
        auto info = readGgufInfo(path, loraPath);
        if (!info)
            return makeError(info.error());
        auto checkpoint = openGgufCheckpoint(path);
        if (!checkpoint)
            return makeError(checkpoint.error());
        auto layers = quantizableLinears(**checkpoint);
        if (!layers)
            return makeError(QObject::tr("%1: %2").arg(path, layers.error()));
        std::unique_ptr<Document> doc(new Document);
        doc->mPath = path;
        doc->mGguf = true;
        doc->mLoraPath = loraPath;
        doc->mCheckpoint = std::move(*checkpoint);
        doc->mLayers = std::move(*layers);
        for (int i = 0; i < doc->mLayers.size(); ++i)
            doc->mLayerIndex.insert(doc->mLayers[i].weightName, i);
        for (const GgufLinearInfo &l : info->linears)
            doc->mStoredTypes.insert(l.weightName, ggmlTypeName(l.type));
        doc->mPlan = planOfGguf(*info);
        doc->mOpenSeconds = timer.nsecsElapsed() / 1e9;
        return doc;
    }
    if (!loraPath.isEmpty())
        return makeError(
            QObject::tr("%1: a LoRA adapter can only be given with a .gguf model").arg(loraPath));
    if (isPackedCheckpoint(path)) {
        auto checkpoint = Checkpoint::open(path);
        if (!checkpoint)
            return makeError(checkpoint.error());
        auto packed = readPackedMetadata(**checkpoint);
        if (!packed)
            return makeError(packed.error());
        if (packed->linears.isEmpty())
            return makeError(QObject::tr("%1: the packed checkpoint has no quantized layers").arg(path));
        std::unique_ptr<Document> doc(new Document);
        doc->mPath = path;
        doc->mPacked = true;
        doc->mCheckpoint = std::move(*checkpoint);
        doc->mLayers = packed->linears;
        for (int i = 0; i < doc->mLayers.size(); ++i)
            doc->mLayerIndex.insert(doc->mLayers[i].weightName, i);
        doc->mPlan = packed->plan;
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
    // A new document starts from the plan every command starts from when given no options.
    auto preset = PlanOptions().toPlan();
    if (preset)
        doc->mPlan = *preset;
    doc->mOpenSeconds = timer.nsecsElapsed() / 1e9;
    return doc;
}

QString Document::displayName() const
{
    return QFileInfo(mPath).fileName();
}

QString Document::storedType(const QString &weightName) const
{
    if (mGguf)
        return mStoredTypes.value(weightName);
    const TensorInfo *info = mCheckpoint ? mCheckpoint->find(weightName) : nullptr;
    return info ? dtypeName(info->dtype) : QString();
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
