#pragma once

// A quantization plan: per-layer format, bits, block, method and rank (defaults plus
// per-layer overrides), and the global switches. Plans are small value types: they go on
// the studio's undo stack, into the session store and into exported checkpoints as JSON.

#include "core/common/expected.h"
#include "core/formats/quantformat.h"
#include "core/linalg/svdbackend.h"
#include "core/plan/method.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

namespace lqer {

struct LayerPlan
{
    bool quantize = true; // false: the layer stays in fp32
    QuantFormat weight = QuantFormat::mxint(4, 8, 16); // Q_w
    QuantFormat act = QuantFormat::mxint(8, 8, 16); // Q_a on inputs (None = W-only)
    QuantFormat lowRank = QuantFormat::mxint(8, 8, 16); // Q_l on A and B
    Method method = Method::L2Qer;
    int rank = 32; // k; 0 = plain

    QJsonObject toJson() const;
    static Expected<LayerPlan> fromJson(const QJsonObject &json);
    bool operator==(const LayerPlan &o) const = default;
};

// The rank k a layer of `outFeatures` x `inFeatures` gets under `plan`, as quantizeLayer() uses
// it: 0 when the layer is not quantized, the method is plain or the plan's rank is <= 0,
// otherwise the plan's rank capped at min(in, out).
int effectiveRank(const LayerPlan &plan, qint64 inFeatures, qint64 outFeatures);

struct CalibrationSettings
{
    int samples = 32;
    int seqLen = 0; // 0: min(2048, max_position_embeddings)
    QString textPath;

    QJsonObject toJson() const;
    static CalibrationSettings fromJson(const QJsonObject &json);
    bool operator==(const CalibrationSettings &o) const = default;
};

struct Plan
{
    QString preset; // name of the preset it came from, or empty
    LayerPlan defaults;
    QMap<QString, LayerPlan> overrides; // keyed by weight tensor name
    bool quantizeAttentionMatmuls = false; // QK^T and softmax.V at MXINT8 ("W4A8 + W8A8")
    SvdBackend svd = SvdBackend::Auto;
    CalibrationSettings calibration;

    LayerPlan forLayer(const QString &layer) const;
    void setLayer(const QString &layer, const LayerPlan &plan); // drops the override if == defaults
    bool needsStats(const QStringList &layers) const;
    bool needsGram(const QStringList &layers) const;

    QJsonObject toJson() const;
    static Expected<Plan> fromJson(const QJsonObject &json);
    bool operator==(const Plan &o) const = default;

    // Presets: "paper-w4a8" (MXINT W4A8, L²QER k=32), "w4a6" (A6), "w2a8-k256",
    // "int4-g128-w-only" (the paper's "L²QER-INT" rows: MXINT(4,8,128) weights, fp activations,
    // i.e. W4A16), "plain-w4a8" (no low-rank term).
    static QStringList presetNames();
    static QString presetDescription(const QString &name);
    static Expected<Plan> fromPreset(const QString &name);
};

} // namespace lqer
