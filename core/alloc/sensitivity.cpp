#include "sensitivity.h"

#include "core/eval/logitreference.h"
#include "core/eval/outputerror.h"
#include "core/eval/planeval.h"

namespace lqer {

namespace {

// Installs `layers` as given, every other layer in FP32.
Status installOnly(const SensitivityConfig &config, const QMap<QString, LayerPlan> &layers, int threads)
{
    Plan plan;
    plan.defaults.quantize = false;
    plan.defaults.method = Method::Plain;
    plan.defaults.rank = 0;
    for (auto it = layers.begin(); it != layers.end(); ++it)
        plan.setLayer(it.key(), it.value());
    InstallPlanOptions options;
    options.stats = config.stats;
    options.threads = threads;
    options.cancel = config.cancel;
    auto inst = installPlan(*config.model, config.checkpoint, plan, options);
    if (!inst)
        return Error {inst.error()};
    return Status::success();
}

// The model with only `layers` quantized, measured against the reference.
Expected<PerplexityResult> measureAlone(const SensitivityConfig &config,
                                        const QMap<QString, LayerPlan> &layers,
                                        const PerplexityConfig &windows)
{
    if (Status s = installOnly(config, layers, windows.threads); !s)
        return Error {s.error()};
    auto r = evaluatePerplexity(windows);
    config.model->clearQuantizedLinears();
    return r;
}

} // namespace

Expected<SensitivityReport> measureSensitivity(LayerCurves &curves, const SensitivityConfig &config,
                                               const QList<TokenIds> &calibSamples,
                                               const ProgressFn &progress)
{
    if (!config.model || !config.checkpoint)
        return makeError(QStringLiteral("sensitivity: no model"));
    SensitivityReport report;
    PerplexityConfig windows = config.windows;
    windows.model = config.model;
    const int L = windows.windowLength;
    qint64 count = qint64(windows.tokens.size()) / std::max(1, L);
    if (windows.maxWindows > 0)
        count = std::min<qint64>(count, windows.maxWindows);
    if (count < 1 || L < 2)
        return makeError(QStringLiteral("sensitivity: the text has no window of %1 tokens").arg(L));
    auto ref = LogitReference::create(QString(), int(count), L, int(config.model->outputEmbedding().rows()),
                                      windowTokensHash(windows.tokens, int(count), L));
    if (!ref)
        return Error {ref.error()};
    windows.useQuantized = false;
    windows.saveReference = ref->get();
    auto fp = evaluatePerplexity(windows);
    if (!fp)
        return Error {fp.error()};
    report.fp32Perplexity = fp->perplexity;
    report.tokens = fp->scoredTokens;
    windows.saveReference = nullptr;
    windows.reference = ref->get();
    windows.useQuantized = true;

    // The calibration output error with every layer at its reference point at once.
    QMap<QString, double> outputErrors;
    if (!calibSamples.isEmpty()) {
        QMap<QString, LayerPlan> all;
        for (const LayerCurve &l : curves.layers)
            all.insert(l.layer, curvePointPlan(curves, l.points.at(l.referencePoint)));
        if (Status st = installOnly(config, all, windows.threads); !st)
            return Error {st.error()};
        auto oe = outputErrorProxy(*config.model, calibSamples, windows.threads);
        config.model->clearQuantizedLinears();
        if (!oe)
            return Error {oe.error()};
        outputErrors = *oe;
    }

    int done = 0;
    const int total = int(curves.layers.size());
    for (LayerCurve &l : curves.layers) {
        if (!config.onlyLayers.isEmpty() && !config.onlyLayers.contains(l.layer))
            continue;
        if (config.cancel && config.cancel->isCancelled())
            return makeError(QStringLiteral("cancelled"));
        const CurvePoint &refPoint = l.points.at(l.referencePoint);
        LayerSensitivity s;
        s.layer = l.layer;
        s.predicted = refPoint.predicted;
        s.relativePredicted = l.scaledEnergy > 0 ? refPoint.predicted / l.scaledEnergy : 0;
        s.weightError = l.weightError.value(refPoint.format);
        s.outputError = outputErrors.value(l.layer, -1);
        auto r = measureAlone(config, {{l.layer, curvePointPlan(curves, refPoint)}}, windows);
        if (!r)
            return makeError(QStringLiteral("%1: %2").arg(l.layer, r.error()));
        s.measuredKl = r->kl.meanKl;
        s.measuredKlError = r->kl.meanKlError;
        l.measuredKl = s.measuredKl;
        l.measuredKlError = s.measuredKlError;
        if (config.measureRanks) {
            for (const CurvePoint &p : l.points) {
                if (p.format != refPoint.format)
                    continue;
                auto rk = p.rank == refPoint.rank
                    ? r
                    : measureAlone(config, {{l.layer, curvePointPlan(curves, p)}}, windows);
                if (!rk)
                    return makeError(
                        QStringLiteral("%1 rank %2: %3").arg(l.layer).arg(p.rank).arg(rk.error()));
                s.rankKl << RankKl {p.rank, rk->kl.meanKl, rk->kl.meanKlError};
            }
        }
        report.layers << s;
        ++done;
        if (progress && !progress(double(done) / double(std::max(1, total)), QStringLiteral("sensitivity")))
            return makeError(QStringLiteral("cancelled"));
    }
    QList<double> measured, predicted, relative, weightErr, outErr;
    for (const LayerSensitivity &s : report.layers) {
        measured << s.measuredKl;
        predicted << s.predicted;
        relative << s.relativePredicted;
        weightErr << s.weightError;
        outErr << s.outputError;
    }
    report.spearmanPredicted = spearman(predicted, measured);
    report.spearmanRelative = spearman(relative, measured);
    report.spearmanWeightError = spearman(weightErr, measured);
    report.spearmanOutputError = outputErrors.isEmpty() ? 0 : spearman(outErr, measured);
    return report;
}

} // namespace lqer
