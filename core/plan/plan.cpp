#include "plan.h"

#include <algorithm>

#include <QJsonArray>

namespace lqer {

namespace {

Expected<QuantFormat> formatFromJson(const QJsonObject &json, const QString &key, const QuantFormat &fallback)
{
    if (!json.contains(key))
        return fallback;
    Expected<QuantFormat> f = QuantFormat::parse(json.value(key).toString());
    if (!f)
        return makeError(QStringLiteral("plan field '%1': %2").arg(key, f.error()));
    return f;
}

struct PresetEntry
{
    const char *name;
    const char *description;
};

const PresetEntry kPresets[] = {
    {"paper-w4a8", "paper W4A8 k=32: MXINT4 weights, MXINT8 activations, L\u00b2QER rank 32 (Table II)"},
    {"lqer-w4a8", "W4A8 k=32 with plain LQER (no activation-induced scaling)"},
    {"plain-w4a8", "W4A8 MXINT without low-rank correction (the paper's baseline)"},
    {"w4a6", "W4A6: MXINT4 weights, MXINT6 activations, L\u00b2QER rank 32"},
    {"w2a8-k256", "W2A8 k=256: MXINT2 weights, MXINT8 activations, L\u00b2QER rank 256"},
    {"int4-g128-w-only",
     "INT4 g128 w-only: the paper's 'L\u00b2QER-INT' rows, produced by the official code as MXINT(4,8,128) "
     "weights with unquantized activations (W4A16), L\u00b2QER rank 32"},
};

} // namespace

int effectiveRank(const LayerPlan &plan, qint64 inFeatures, qint64 outFeatures)
{
    if (!plan.quantize || plan.method == Method::Plain || plan.rank <= 0)
        return 0;
    return int(std::min<qint64>(plan.rank, std::min(inFeatures, outFeatures)));
}

QJsonObject LayerPlan::toJson() const
{
    QJsonObject json;
    json.insert(QStringLiteral("quantize"), quantize);
    json.insert(QStringLiteral("weight"), weight.toString());
    json.insert(QStringLiteral("act"), act.toString());
    json.insert(QStringLiteral("low_rank"), lowRank.toString());
    json.insert(QStringLiteral("method"), methodName(method));
    json.insert(QStringLiteral("rank"), rank);
    return json;
}

Expected<LayerPlan> LayerPlan::fromJson(const QJsonObject &json)
{
    LayerPlan p;
    p.quantize = json.value(QStringLiteral("quantize")).toBool(true);
    Expected<QuantFormat> w = formatFromJson(json, QStringLiteral("weight"), p.weight);
    if (!w)
        return Error {w.error()};
    Expected<QuantFormat> a = formatFromJson(json, QStringLiteral("act"), p.act);
    if (!a)
        return Error {a.error()};
    Expected<QuantFormat> l = formatFromJson(json, QStringLiteral("low_rank"), p.lowRank);
    if (!l)
        return Error {l.error()};
    p.weight = *w;
    p.act = *a;
    p.lowRank = *l;
    if (json.contains(QStringLiteral("method"))) {
        const QString name = json.value(QStringLiteral("method")).toString();
        const std::optional<Method> m = methodFromName(name);
        if (!m)
            return makeError(QStringLiteral("plan: unknown method '%1' (expected one of %2)")
                                 .arg(name, methodNames().join(QStringLiteral(", "))));
        p.method = *m;
    }
    if (json.contains(QStringLiteral("rank"))) {
        const QJsonValue r = json.value(QStringLiteral("rank"));
        if (!r.isDouble() || r.toDouble() < 0 || r.toDouble() != double(r.toInt()))
            return makeError(QStringLiteral("plan: rank must be a non-negative integer"));
        p.rank = r.toInt();
    }
    if (p.method == Method::Plain)
        p.rank = 0;
    return p;
}

QJsonObject CalibrationSettings::toJson() const
{
    QJsonObject json;
    json.insert(QStringLiteral("samples"), samples);
    json.insert(QStringLiteral("seq_len"), seqLen);
    json.insert(QStringLiteral("text"), textPath);
    return json;
}

CalibrationSettings CalibrationSettings::fromJson(const QJsonObject &json)
{
    CalibrationSettings c;
    c.samples = json.value(QStringLiteral("samples")).toInt(c.samples);
    c.seqLen = json.value(QStringLiteral("seq_len")).toInt(c.seqLen);
    c.textPath = json.value(QStringLiteral("text")).toString();
    return c;
}

LayerPlan Plan::forLayer(const QString &layer) const
{
    return overrides.value(layer, defaults);
}

void Plan::setLayer(const QString &layer, const LayerPlan &plan)
{
    if (plan == defaults)
        overrides.remove(layer);
    else
        overrides.insert(layer, plan);
}

bool Plan::needsStats(const QStringList &layers) const
{
    for (const QString &l : layers) {
        const LayerPlan p = forLayer(l);
        if (p.quantize && p.rank > 0 && methodNeedsStats(p.method))
            return true;
    }
    return false;
}

bool Plan::needsGram(const QStringList &layers) const
{
    for (const QString &l : layers) {
        const LayerPlan p = forLayer(l);
        if (p.quantize && p.rank > 0 && methodNeedsGram(p.method))
            return true;
    }
    return false;
}

QJsonObject Plan::toJson() const
{
    QJsonObject json;
    json.insert(QStringLiteral("format"), QStringLiteral("lqer-plan-1"));
    if (!preset.isEmpty())
        json.insert(QStringLiteral("preset"), preset);
    json.insert(QStringLiteral("defaults"), defaults.toJson());
    QJsonObject layers;
    for (auto it = overrides.begin(); it != overrides.end(); ++it)
        layers.insert(it.key(), it.value().toJson());
    json.insert(QStringLiteral("layers"), layers);
    json.insert(QStringLiteral("quantize_attention_matmuls"), quantizeAttentionMatmuls);
    json.insert(QStringLiteral("svd"), svdBackendName(svd));
    json.insert(QStringLiteral("calibration"), calibration.toJson());
    return json;
}

Expected<Plan> Plan::fromJson(const QJsonObject &json)
{
    Plan plan;
    plan.preset = json.value(QStringLiteral("preset")).toString();
    Expected<LayerPlan> defaults = LayerPlan::fromJson(json.value(QStringLiteral("defaults")).toObject());
    if (!defaults)
        return Error {defaults.error()};
    plan.defaults = *defaults;
    const QJsonObject layers = json.value(QStringLiteral("layers")).toObject();
    for (auto it = layers.begin(); it != layers.end(); ++it) {
        // A layer entry overrides only the fields it names.
        QJsonObject merged = plan.defaults.toJson();
        const QJsonObject entry = it.value().toObject();
        for (auto f = entry.begin(); f != entry.end(); ++f)
            merged.insert(f.key(), f.value());
        Expected<LayerPlan> lp = LayerPlan::fromJson(merged);
        if (!lp)
            return makeError(QStringLiteral("layer '%1': %2").arg(it.key(), lp.error()));
        plan.setLayer(it.key(), *lp);
    }
    plan.quantizeAttentionMatmuls = json.value(QStringLiteral("quantize_attention_matmuls")).toBool(false);
    if (json.contains(QStringLiteral("svd"))) {
        const std::optional<SvdBackend> b = svdBackendFromName(json.value(QStringLiteral("svd")).toString());
        if (!b)
            return makeError(QStringLiteral("plan: unknown svd backend '%1'")
                                 .arg(json.value(QStringLiteral("svd")).toString()));
        plan.svd = *b;
    }
    plan.calibration = CalibrationSettings::fromJson(json.value(QStringLiteral("calibration")).toObject());
    return plan;
}

QStringList Plan::presetNames()
{
    QStringList names;
    for (const PresetEntry &p : kPresets)
        names << QString::fromLatin1(p.name);
    return names;
}

QString Plan::presetDescription(const QString &name)
{
    for (const PresetEntry &p : kPresets)
        if (name == QLatin1String(p.name))
            return QString::fromUtf8(p.description);
    return QString();
}

Expected<Plan> Plan::fromPreset(const QString &name)
{
    Plan plan;
    plan.preset = name;
    LayerPlan &d = plan.defaults; // paper W4A8 k=32 L²QER unless changed below
    if (name == QLatin1String("paper-w4a8")) {
    } else if (name == QLatin1String("lqer-w4a8")) {
        d.method = Method::Lqer;
    } else if (name == QLatin1String("plain-w4a8")) {
        d.method = Method::Plain;
        d.rank = 0;
    } else if (name == QLatin1String("w4a6")) {
        d.act = QuantFormat::mxint(6, 8, 16);
    } else if (name == QLatin1String("w2a8-k256")) {
        d.weight = QuantFormat::mxint(2, 8, 16);
        d.rank = 256;
    } else if (name == QLatin1String("int4-g128-w-only")) {
        d.weight = QuantFormat::mxint(4, 8, 128);
        d.act = QuantFormat::none();
    } else {
        return makeError(QStringLiteral("unknown preset '%1' (available: %2)")
                             .arg(name, presetNames().join(QStringLiteral(", "))));
    }
    return plan;
}

} // namespace lqer
