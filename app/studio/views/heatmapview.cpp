#include "app/studio/views/heatmapview.h"

#include "app/studio/jobs.h"
#include "app/studio/studiohost.h"
#include "widgets/errorheatmap.h"

namespace lqer {

HeatmapView::HeatmapView(StudioHost &host)
    : AnalysisView(host)
    , mPanel(new ErrorHeatmapPanel)
{ }

QWidget *HeatmapView::widget() const
{
    return mPanel;
}

PlotView *HeatmapView::plot() const
{
    return mPanel->heatmap();
}

void HeatmapView::clear()
{
    mPanel->heatmap()->clear();
}

void HeatmapView::showLayerDetail(const LayerDetail &detail)
{
    if (detail.preview)
        return; // spectra only: the heatmaps come with the full result
    mPanel->heatmap()->setLayer(detail.layer, detail.weight, detail.quantized, detail.before, detail.after);
}

void HeatmapView::activated()
{
    // E.g. after a session was reopened from the database: the stored results have no heatmap.
    const Document *doc = host().document();
    const QString layer = host().currentLayer();
    if (doc && !layer.isEmpty() && !doc->isPacked() && mPanel->heatmap()->layerName() != layer)
        host().showLayerDetail(layer);
}

} // namespace lqer
