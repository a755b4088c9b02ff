#include "app/studio/jobs.h"

#include "core/job/pipeline.h"
#include "core/linalg/svd.h"
#include "core/lqer/metrics.h"
#include "core/store/records.h"

#include <algorithm>
#include <cmath>

namespace lqer {

// Spectra the studio plots: one Krylov block after the first (LayerQuantOptions::spectrumIterations).
static constexpr int kPlotSpectrumIterations = 1;
// A big layer's preview: its top singular values from a sketch grown by one Krylov block (without
// that block the values of a flat error spectrum come out a third low).
static constexpr int kPreviewSpectrumCount = 64;
static constexpr int kPreviewSpectrumIterations = 1;

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

namespace {

// What computeLayerDetail gathers over the methods it runs.
struct DetailSpectra
{
    double l2Energy = -1; // ‖S E‖_F of L²QER: all scaled spectra are brought to it
    double firstNorm = 0; // Frobenius norm of the matrix of the first series
};

// Adds the series of one method's result to `detail` (paper Fig. 1a: σ(αE) against σ(SE) at
// equal energy); `hasStats`: statistics exist, so LQER is drawn as σ(αE) beside L²QER.
void addSeries(LayerDetail &detail, DetailSpectra &acc, Method m, const LayerQuantResult &r, bool hasStats)
{
    const LayerSpectra &sp = r.spectra;
    if (m == Method::L2Qer) {
        detail.spectra.prepend(SpectrumSeries {QObject::tr("LQER: σ(αE)"), toVector(sp.svError)});
        if (sp.svScaled.size() > 0) // (a preview shows σ(αE) before σ(SE) exists)
            detail.spectra.insert(1, SpectrumSeries {QObject::tr("L²QER: σ(SE)"), toVector(sp.svScaled)});
        acc.l2Energy = sp.svScaled.norm();
        acc.firstNorm = sp.alpha * r.metrics.quantFrobError; // ‖αE‖_F
    } else if (m != Method::Lqer && sp.svScaled.size() > 0) {
        const double e = sp.svScaled.norm();
        const double scale = acc.l2Energy > 0 && e > 0 ? acc.l2Energy / e : 1.0;
        detail.spectra.append(SpectrumSeries {QObject::tr("%1: σ(SE), same energy").arg(methodDisplayName(m)),
                                              toVector(sp.svScaled, scale)});
    } else if (m == Method::Lqer && !hasStats) {
        detail.spectra.append(SpectrumSeries {QObject::tr("LQER: σ(E)"), toVector(sp.svError)});
        acc.firstNorm = r.metrics.quantFrobError;
    }
}

void addReference(LayerDetail &detail, const DetailSpectra &acc)
{
    if (!detail.spectra.isEmpty())
        detail.marchenkoPastur = marchenkoPasturReference(detail.rows, detail.cols, acc.firstNorm,
                                                          detail.spectra.first().values.size());
}

// E = W − Q(W) with the plan's weight format, quantized in row slices on every core: rows are
// independent, so the values equal quantizeLayer's for any thread count.
Expected<MatrixRM> quantizationError(const QString &name, const MatrixRM &w, const LayerPlan &lp)
{
    MatrixRM e(w.rows(), w.cols());
    if (Status st = quantizeRowsParallel(w.data(), e.data(), w.rows(), w.cols(), lp.weight, name, 0); !st)
        return Error {st.error()};
    e = w - e;
    return e;
}

// The top kPreviewSpectrumCount singular values of `m` from a Gaussian sketch and
// kPreviewSpectrumIterations Krylov blocks, its products on every core.
Expected<VectorD> sketchedSpectrum(const ConstMatrixRefF &m, const QString &name, const CancelToken *cancel)
{
    SvdConfig config;
    config.rank = kPreviewSpectrumCount;
    config.computeVectors = false;
    config.powerIterations = kPreviewSpectrumIterations;
    config.threads = 0;
    config.cancel = cancel;
    config.name = name;
    auto svd = computeSvd(m, config);
    if (!svd)
        return Error {svd.error()};
    return std::move(svd->singularValues);
}

// The preview of a big layer's spectra, delivered to `onPreview` as each series exists: σ(E) or,
// with statistics, σ(αE) at the energy of L²QER's S·E, then σ(S·E) beside it; each the top
// values of a quick sketch. The weight is quantized once and nothing is decomposed or packed
// (quantizeLayer would do both); no heatmaps.
Status previewSpectra(const LayerDetail &base, const MatrixRM &w, const LayerPlan &lp,
                      const LayerStats *stats, const CancelToken *cancel,
                      const std::function<void(const LayerDetail &)> &onPreview)
{
    auto e = quantizationError(base.layer, w, lp);
    if (!e)
        return makeError(e.error());
    // M = Eᵀ (in x out) without a copy: the row-major (out, in) E is Eᵀ in column-major order.
    const Eigen::Map<const Eigen::MatrixXf> m(e->data(), e->cols(), e->rows());
    Eigen::MatrixXf scaled; // S·M with L²QER's scale
    LayerQuantResult r; // the fields addSeries reads
    r.metrics.quantFrobError = frobeniusNorm(*e);
    if (stats) {
        auto s = channelScale(base.layer, Method::L2Qer, *stats);
        if (!s)
            return makeError(s.error());
        scaled = s->cast<float>().asDiagonal() * m;
        r.spectra.alpha = alphaNormalisation(r.metrics.quantFrobError, scaled.cast<double>().norm());
    }
    const Method method = stats ? Method::L2Qer : Method::Lqer;
    auto deliver = [&] {
        LayerDetail preview = base;
        preview.preview = true;
        preview.note.clear(); // the final result says it
        DetailSpectra acc;
        addSeries(preview, acc, method, r, stats != nullptr);
        addReference(preview, acc);
        onPreview(preview);
    };
    auto sv = sketchedSpectrum(m, base.layer, cancel);
    if (!sv)
        return makeError(sv.error());
    r.spectra.svError = *sv * r.spectra.alpha;
    deliver();
    if (!stats)
        return Status::success();
    auto svs = sketchedSpectrum(scaled, base.layer + QStringLiteral(" (scaled)"), cancel);
    if (!svs)
        return makeError(svs.error());
    r.spectra.svScaled = std::move(*svs);
    deliver();
    return Status::success();
}

} // namespace

Expected<LayerDetail> computeLayerDetail(const AnalysisRequest &request, const LinearLayerInfo &layer,
                                         const CancelToken *cancel,
                                         const std::function<void(const LayerDetail &)> &onPreview)
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
    const LayerStats *stats = findLayerStats(request.stats.get(), name);

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

    // A big layer's spectra take seconds (its decompositions and a top-256 spectrum per
    // method): a cheaper first look goes ahead of them.
    // (A weight left unquantized has no error to preview.)
    if (onPreview && std::min(detail.rows, detail.cols) > LayerQuantOptions::kAutoSpectrumAll && lp.quantize
        && lp.weight.isQuantized()) {
        if (Status st = previewSpectra(detail, w, lp, stats, cancel, onPreview); !st)
            return makeError(st.error());
    }

    DetailSpectra acc;
    for (Method m : methods) {
        options.plan = lp;
        options.plan.method = m;
        options.plan.rank = std::max(1, lp.rank);
        auto r = quantizeLayer(name, w, methodNeedsStats(m) ? stats : nullptr, options, cancel);
        if (!r)
            return makeError(r.error());
        addSeries(detail, acc, m, *r, stats != nullptr);
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
    addReference(detail, acc);
    return detail;
}

JobFunction makeLayerDetailJob(const AnalysisRequest &request, const LinearLayerInfo &layer,
                               std::function<void(const LayerDetail &)> onDetail)
{
    return [request, layer, onDetail](JobContext &ctx) -> Status {
        ctx.progress(0.05, QObject::tr("Decomposing %1").arg(layer.weightName));
        auto detail = computeLayerDetail(request, layer, &ctx.cancel, [&](const LayerDetail &preview) {
            ctx.progress(0.2, QObject::tr("Decomposing %1: first spectrum shown").arg(layer.weightName));
            ctx.post([onDetail, preview] { onDetail(preview); });
        });
        if (!detail)
            return makeError(detail.error());
        ctx.progress(1.0, QObject::tr("Decomposed %1").arg(layer.weightName));
        LayerDetail d = std::move(*detail);
        ctx.post([onDetail, d] { onDetail(d); });
        return Status::success();
    };
}

} // namespace lqer
