#include "planoptions.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>

namespace lqer {

namespace {

// Rule 3 on one layer after its method or rank changed.
void settleRank(LayerPlan &layer, bool rankGiven)
{
    if (layer.method == Method::Plain)
        layer.rank = 0;
    else if (layer.rank == 0 && !rankGiven)
        layer.rank = PlanOptions::kDefaultRank;
}

} // namespace

QString PlanOptions::defaultPreset()
{
    return QStringLiteral("paper-w4a8");
}

QStringList PlanOptions::presetNames()
{
    return Plan::presetNames();
}

QString PlanOptions::presetDescription(const QString &name)
{
    return Plan::presetDescription(name);
}

bool PlanOptions::changesLayers() const
{
    return method || rank || weight || act || lowRank;
}

bool PlanOptions::isSet() const
{
    return !preset.isEmpty() || !planFile.isEmpty() || changesLayers() || svd || attentionMatmuls;
}

Status PlanOptions::validate() const
{
    if (!preset.isEmpty() && !planFile.isEmpty())
        return makeError(QStringLiteral("a preset and a plan file are exclusive: give one"));
    if (rank && *rank < 0)
        return makeError(QStringLiteral("rank must be a non-negative integer, got %1").arg(*rank));
    if (calibrationSamples && *calibrationSamples < 1)
        return makeError(QStringLiteral("calibration samples must be a positive integer, got %1")
                             .arg(*calibrationSamples));
    if (calibrationSeqLen && *calibrationSeqLen < 0)
        return makeError(QStringLiteral("calibration length must be a non-negative integer, got %1")
                             .arg(*calibrationSeqLen));
    for (const std::optional<QuantFormat> *f : {&weight, &act, &lowRank}) {
        if (!*f)
            continue;
        if (Status s = (*f)->validate(); !s)
            return s;
    }
    return Status::success();
}

Expected<Plan> PlanOptions::base() const
{
    if (!planFile.isEmpty())
        return readPlanFile(planFile);
    return Plan::fromPreset(preset.isEmpty() ? defaultPreset() : preset);
}

void PlanOptions::applyTo(Plan &plan) const
{
    if (method)
        plan = withMethod(std::move(plan), *method);
    QList<LayerPlan *> layers {&plan.defaults};
    for (LayerPlan &o : plan.overrides)
        layers << &o;
    for (LayerPlan *layer : layers) {
        if (rank)
            layer->rank = *rank;
        if (weight)
            layer->weight = *weight;
        if (act)
            layer->act = *act;
        if (lowRank)
            layer->lowRank = *lowRank;
        if (rank)
            settleRank(*layer, true);
    }
    if (changesLayers())
        plan.preset.clear();
    if (svd)
        plan.svd = *svd;
    if (attentionMatmuls)
        plan.quantizeAttentionMatmuls = true;
    if (calibrationSamples)
        plan.calibration.samples = *calibrationSamples;
    if (calibrationSeqLen)
        plan.calibration.seqLen = *calibrationSeqLen;
}

Expected<Plan> PlanOptions::toPlan() const
{
    if (Status s = validate(); !s)
        return Error {s.error()};
    Expected<Plan> plan = base();
    if (!plan)
        return plan;
    applyTo(*plan);
    return plan;
}

Plan withMethod(Plan plan, Method method)
{
    plan.defaults.method = method;
    settleRank(plan.defaults, false);
    for (LayerPlan &o : plan.overrides) {
        o.method = method;
        settleRank(o, false);
    }
    return plan;
}

Expected<Plan> readPlanFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(
            QStringLiteral("%1: cannot open (%2)").arg(QDir::toNativeSeparators(path), f.errorString()));
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return makeError(QStringLiteral("%1: not a JSON object (%2)")
                             .arg(QDir::toNativeSeparators(path), pe.errorString()));
    auto plan = Plan::fromJson(doc.object());
    if (!plan)
        return makeError(QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), plan.error()));
    return plan;
}

} // namespace lqer
