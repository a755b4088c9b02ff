#include "app/studio/jobs.h"

#include "core/job/pipeline.h"
#include "core/lqer/metrics.h"
#include "core/store/records.h"

#include <algorithm>
#include <cmath>

namespace lqer {

// Spectra the studio plots: one Krylov block after the first (LayerQuantOptions::spectrumIterations).
static constexpr int kPlotSpectrumIterations = 1;

Plan effectivePlan(const Plan &plan, const QStringList &layers, const StatsMap *stats, QString *note)
{
    Plan out = plan;
    int fallbacks = 0;
    for (const QString &name : layers) {
        LayerPlan lp = out.forLayer(name);
        if (!lp.quantize || !methodNeedsStats(lp.method))
            continue;
        const bool have
            = stats && stats->contains(name) && (!methodNeedsGram(lp.method) || stats->value(name).hasGram());
        if (have)
            continue;
        lp.method = Method::Lqer;
        out.setLayer(name, lp);
        ++fallbacks;
    }
    if (note)
        *note = fallbacks == 0 ? QString()
                               : QObject::tr("%n layer(s) need calibration statistics and were analysed with "
                                             "LQER instead: run Jobs > Calibrate or File > Load statistics.",
                                             nullptr, fallbacks);
    return out;
}

JobFunction makeAnalysisJob(const AnalysisRequest &request, std::function<void(const LayerResult &)> onLayer)
{
    return [request, onLayer](JobContext &ctx) -> Status {
        QStringList names = request.layers;
        if (names.isEmpty()) {
            auto all = quantizableLinears(*request.checkpoint);
            if (!all)
                return makeError(all.error());
            for (const LinearLayerInfo &l : *all)
                names << l.weightName;
        }
        PipelineConfig config;
        config.checkpoint = request.checkpoint;
        config.plan = effectivePlan(request.plan, names, request.stats.get(), nullptr);
        config.layers = names;
        config.stats = request.stats.get();
        config.keepLinears = false;
        config.computeSpectra = true;
        // All singular values up to 1024 columns, the top 256 beyond: a 7B model's full spectra
        // would cost more than its decompositions.
        config.spectrumCount = -1;
        config.spectrumIterations = kPlotSpectrumIterations;
        config.threads = request.threads;
        config.cancel = &ctx.cancel;
        const Plan plan = config.plan;
        auto result = runPipeline(config, ctx.progress, [&](const LayerQuantResult &r) {
            const LayerResult lr = layerResultFrom(r, plan.forLayer(r.layer).method);
            ctx.post([onLayer, lr] { onLayer(lr); });
        });
        if (!result)
            return makeError(result.error());
        return Status::success();
    };
}

QVector<double> marchenkoPasturQuantiles(qint64 rows, qint64 cols, double variance)
{
    const qint64 p = std::min(rows, cols);
    QVector<double> out;
    if (p <= 0 || !(variance > 0))
        return out;
    double lo = 0, hi = 0;
    marchenkoPasturSingularSupport(rows, cols, variance, &lo, &hi);
    // Cumulative distribution on a fine grid (trapezoid rule), then invert it at (i − ½)/p.
    const int steps = 4000;
    QVector<double> s(steps + 1), cdf(steps + 1, 0.0);
    for (int i = 0; i <= steps; ++i)
        s[i] = lo + (hi - lo) * i / steps;
    double prev = marchenkoPasturSingularDensity(s[0], rows, cols, variance);
    for (int i = 1; i <= steps; ++i) {
        const double cur = marchenkoPasturSingularDensity(s[i], rows, cols, variance);
        cdf[i] = cdf[i - 1] + 0.5 * (prev + cur) * (s[i] - s[i - 1]);
        prev = cur;
    }
    const double total = cdf[steps] > 0 ? cdf[steps] : 1.0;
    out.reserve(p);
    int j = 0;
    for (qint64 i = 0; i < p; ++i) {
        // Descending: the largest singular value has upper-tail probability (i + ½)/p.
        const double target = 1.0 - (double(i) + 0.5) / double(p);
        while (j > 0 && cdf[j] / total > target)
            --j;
        while (j < steps && cdf[j + 1] / total < target)
            ++j;
        const double c0 = cdf[j] / total, c1 = cdf[std::min(j + 1, steps)] / total;
        const double t = c1 > c0 ? (target - c0) / (c1 - c0) : 0.0;
        out.append(s[j] + t * (s[std::min(j + 1, steps)] - s[j]));
    }
    return out;
}

QVector<double> marchenkoPasturReference(qint64 rows, qint64 cols, double frobNorm, qsizetype count)
{
    QVector<double> q = marchenkoPasturQuantiles(rows, cols, equivalentVariance(frobNorm, rows, cols));
    if (count >= 0 && count < q.size())
        q.resize(count);
    return q;
}

static QVector<double> toVector(const VectorD &v, double scale = 1.0)
{
    QVector<double> out(v.size());
    for (Eigen::Index i = 0; i < v.size(); ++i)
        out[i] = v[i] * scale;
    return out;
}

Expected<LayerDetail> computeLayerDetail(const AnalysisRequest &request, const LinearLayerInfo &layer,
                                         const CancelToken *cancel)
{
    auto weight = loadLinearWeight(*request.checkpoint, layer);
    if (!weight)
        return makeError(weight.error());
    const MatrixRM &w = *weight;
    const QString &name = layer.weightName;
    LayerPlan lp = request.plan.forLayer(name);
    LayerDetail detail;
    detail.layer = name;
    detail.rows = w.rows();
    detail.cols = w.cols();
    // Spectra do not depend on k; the plan's k marks the plot and drives the heatmap.
    detail.rank = lp.method == Method::Plain ? 0 : lp.rank;
    const LayerStats *stats = nullptr;
    if (request.stats && request.stats->contains(name))
        stats = &*request.stats->constFind(name);

    LayerQuantOptions options;
    options.svd = request.plan.svd;
    options.computeSpectra = true;
    options.spectrumCount = -1; // the top 256 of a big layer: a full 11008 x 4096 one takes a minute
    options.spectrumIterations = kPlotSpectrumIterations;
    options.threads = 0; // one layer: its products on every core

    // The heatmap's method: the plan's, unless it needs statistics that are missing.
    Method heatMethod = lp.method == Method::Plain ? Method::Lqer : lp.method;
    if (methodNeedsStats(heatMethod) && (!stats || (methodNeedsGram(heatMethod) && !stats->hasGram()))) {
        detail.note = QObject::tr("No calibration statistics for this layer: showing LQER only.");
        heatMethod = Method::Lqer;
    }
    QList<Method> methods;
    if (stats) {
        methods << Method::L2Qer << Method::QeraApprox;
        if (stats->hasGram())
            methods << Method::QeraExact;
    } else {
        methods << Method::Lqer;
    }
    if (!methods.contains(heatMethod))
        methods << heatMethod;

    double l2Energy = -1; // ‖S E‖_F of L²QER: all scaled spectra are brought to it
    double firstNorm = 0; // Frobenius norm of the matrix of the first series
    for (Method m : methods) {
        options.plan = lp;
        options.plan.method = m;
        options.plan.rank = std::max(1, lp.rank);
        auto r = quantizeLayer(name, w, methodNeedsStats(m) ? stats : nullptr, options, cancel);
        if (!r)
            return makeError(r.error());
        const LayerSpectra &sp = r->spectra;
        if (m == Method::L2Qer) {
            // Paper Fig. 1a: σ(αE) against σ(SE) at equal energy.
            detail.spectra.prepend(SpectrumSeries {QObject::tr("LQER: σ(αE)"), toVector(sp.svError)});
            detail.spectra.insert(1, SpectrumSeries {QObject::tr("L²QER: σ(SE)"), toVector(sp.svScaled)});
            l2Energy = sp.svScaled.norm();
            firstNorm = sp.alpha * r->metrics.quantFrobError; // ‖αE‖_F
        } else if (m != Method::Lqer && sp.svScaled.size() > 0) {
            const double e = sp.svScaled.norm();
            const double scale = l2Energy > 0 && e > 0 ? l2Energy / e : 1.0;
            detail.spectra.append(
                SpectrumSeries {QObject::tr("%1: σ(SE), same energy").arg(methodDisplayName(m)),
                                toVector(sp.svScaled, scale)});
        } else if (m == Method::Lqer && !stats) {
            detail.spectra.append(SpectrumSeries {QObject::tr("LQER: σ(E)"), toVector(sp.svError)});
            firstNorm = r->metrics.quantFrobError;
        }
        if (m == heatMethod) {
            detail.method = m;
            const MatrixRM wq = r->linear.dequantizedWeight();
            const MatrixRM before = w - wq;
            const MatrixRM after = w - effectiveWeight(r->linear);
            if (before.isZero(0) && lp.quantize && lp.weight.isQuantized())
                // E.g. a GGUF model's dequantized weights, analysed with the file's own format.
                detail.note
                    = QObject::tr("%1 is already on the %2 grid: quantizing it again leaves no error. "
                                  "Choose another weight format in the plan to analyse it.")
                          .arg(name, lp.weight.toString());
            detail.before = makeHeatmapGrid(before.data(), before.rows(), before.cols());
            detail.after = makeHeatmapGrid(after.data(), after.rows(), after.cols());
            detail.weight = makeHeatmapGrid(w.data(), w.rows(), w.cols());
            detail.quantized = makeHeatmapGrid(wq.data(), wq.rows(), wq.cols());
        }
        if (cancel && cancel->isCancelled())
            return makeError(cancelledMessage());
    }
    if (!detail.spectra.isEmpty())
        detail.marchenkoPastur = marchenkoPasturReference(detail.rows, detail.cols, firstNorm,
                                                          detail.spectra.first().values.size());
    return detail;
}

JobFunction makeLayerDetailJob(const AnalysisRequest &request, const LinearLayerInfo &layer,
                               std::function<void(const LayerDetail &)> onDetail)
{
    return [request, layer, onDetail](JobContext &ctx) -> Status {
        ctx.progress(0.05, QObject::tr("Decomposing %1").arg(layer.weightName));
        auto detail = computeLayerDetail(request, layer, &ctx.cancel);
        if (!detail)
            return makeError(detail.error());
        ctx.progress(1.0, QObject::tr("Decomposed %1").arg(layer.weightName));
        LayerDetail d = std::move(*detail);
        ctx.post([onDetail, d] { onDetail(d); });
        return Status::success();
    };
}

} // namespace lqer
