#pragma once

// Per-layer sensitivity, measured: the KL divergence from FP32 (on a few evaluation windows)
// of the model with one layer alone quantized at its reference point (the base weight format,
// rank 0), and optionally of that layer at every candidate rank with the others in FP32. With
// the predicted figures of the curves (scaled residual energy, weight error, calibration output
// error) side by side, and how well each predicted figure ranks the layers (Spearman).

#include "core/alloc/curves.h"
#include "core/eval/perplexity.h"
#include "core/io/checkpoint.h"
#include "core/lqer/statsfile.h"
#include "core/model/transformer.h"

#include <memory>

namespace lqer {

struct SensitivityConfig
{
    Transformer *model = nullptr; // loaded from `checkpoint`; its installed linears are replaced
    std::shared_ptr<const Checkpoint> checkpoint;
    const StatsMap *stats = nullptr;
    PerplexityConfig windows; // tokens, window length, windows, threads (model is set here)
    bool measureRanks = false; // also every rank of the reference format, layer alone
    QStringList onlyLayers; // empty: every layer
    const CancelToken *cancel = nullptr;
};

struct RankKl
{
    int rank = 0;
    double kl = 0, klError = 0;
};

struct LayerSensitivity
{
    QString layer;
    double predicted = 0; // scaled residual energy at the reference point
    double relativePredicted = 0; // the same over ‖W S‖²
    double weightError = 0; // ‖E‖/‖W‖ at the reference format
    double outputError = -1; // ‖X(W − Ŵ)ᵀ‖/‖X Wᵀ‖ on calibration samples, all layers at the reference
    double measuredKl = -1, measuredKlError = 0;
    QList<RankKl> rankKl; // with measureRanks
};

struct SensitivityReport
{
    QList<LayerSensitivity> layers;
    double fp32Perplexity = 0;
    qint64 tokens = 0; // scored tokens per measurement
    // Spearman correlation of each predicted figure with the measured KL over the layers.
    double spearmanPredicted = 0, spearmanRelative = 0, spearmanWeightError = 0, spearmanOutputError = 0;
};

// Fills curves.layers[*].measuredKl (and the report). `calibSamples` (may be empty) give the
// output-error column.
Expected<SensitivityReport> measureSensitivity(LayerCurves &curves, const SensitivityConfig &config,
                                               const QList<TokenIds> &calibSamples = {},
                                               const ProgressFn &progress = {});

} // namespace lqer
