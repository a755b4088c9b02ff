#include "app/studio/views/spectrumview.h"

#include "app/studio/jobs.h"
#include "app/studio/studiohost.h"
#include "core/lqer/metrics.h"
#include "widgets/spectrumplot.h"

#include <algorithm>
#include <cmath>

namespace lqer {

SpectrumView::SpectrumView(StudioHost &host)
    : AnalysisView(host)
    , mPlot(new SpectrumPlot)
{ }

QWidget *SpectrumView::widget() const
{
    return mPlot;
}

PlotView *SpectrumView::plot() const
{
    return mPlot;
}

void SpectrumView::clear()
{
    mPlot->clear();
}

void SpectrumView::setReferenceVisible(bool visible)
{
    mPlot->setReferenceVisible(visible);
}

void SpectrumView::planChanged()
{
    const Document *doc = host().document();
    if (const LinearLayerInfo *l = doc ? doc->layer(host().currentLayer()) : nullptr) {
        const LayerPlan lp = doc->plan().forLayer(l->weightName);
        mPlot->setRank(lp.method == Method::Plain ? 0 : lp.rank);
    }
}

void SpectrumView::showStoredLayer(const QString &layer)
{
    const Document *doc = host().document();
    const LayerResult *r = doc ? doc->result(layer) : nullptr;
    if (!r || r->spectra.svError.size() == 0)
        return;
    auto values = [](const VectorD &v) {
        QVector<double> out(v.size());
        for (Eigen::Index i = 0; i < v.size(); ++i)
            out[i] = v[i];
        return out;
    };
    QList<SpectrumSeries> series;
    if (r->spectra.svScaled.size() > 0) {
        // As in paper Fig. 1a: σ(αE) at the energy of σ(SE), and σ(SE) of the method run.
        series << SpectrumSeries {tr("LQER: σ(αE)"), values(r->spectra.svError)};
        series << SpectrumSeries {tr("%1: σ(SE)").arg(methodDisplayName(r->method)),
                                  values(r->spectra.svScaled)};
    } else {
        series << SpectrumSeries {tr("%1: σ(E)").arg(methodDisplayName(r->method)),
                                  values(r->spectra.svError)};
    }
    const qint64 rows = r->metrics.outFeatures, cols = r->metrics.inFeatures;
    SpectrumContent content;
    content.layerName = layer;
    content.rank = r->metrics.rank;
    // The first series is σ(αE): its energy is ‖αE‖_F² even where only the top values are kept.
    if (rows > 0 && cols > 0)
        content.reference = marchenkoPasturReference(rows, cols, r->spectra.alpha * r->metrics.quantFrobError,
                                                     series.first().values.size());
    content.series = series;
    show(content, std::min(rows, cols), false);
}

void SpectrumView::show(SpectrumContent &content, qint64 allValues, bool preview)
{
    content.referenceLabel = tr("Marchenko–Pastur (i.i.d., same energy)");
    content.referenceVisible = host().marchenkoPasturVisible();
    const qsizetype shown = content.series.isEmpty() ? 0 : content.series.first().values.size();
    if (preview)
        content.note = tr("Top %1 singular values so far (a quick sketch); refining…").arg(shown);
    else if (shown > 0 && shown < allValues)
        content.note = tr("Top %1 of %2 singular values").arg(shown).arg(allValues);
    mPlot->setContent(content);
}

void SpectrumView::showLayerDetail(const LayerDetail &detail)
{
    SpectrumContent content;
    content.layerName = detail.layer;
    content.rank = detail.rank;
    content.series = detail.spectra;
    content.reference = detail.marchenkoPastur;
    show(content, std::min(detail.rows, detail.cols), detail.preview);
}

} // namespace lqer
