#include "app/studio/views/activationview.h"

#include "app/studio/document.h"
#include "app/studio/studiohost.h"
#include "core/lqer/lqer.h"
#include "widgets/channelplot.h"

namespace lqer {

ActivationView::ActivationView(StudioHost &host)
    : AnalysisView(host)
    , mPlot(new ChannelPlot)
{ }

QWidget *ActivationView::widget() const
{
    return mPlot;
}

PlotView *ActivationView::plot() const
{
    return mPlot;
}

void ActivationView::clear()
{
    mShown.clear();
    mPlot->clearData();
}

void ActivationView::layerSelected(const QString &layer)
{
    (void)layer;
    refresh();
}

void ActivationView::refresh()
{
    const Document *doc = host().document();
    const QString layer = host().currentLayer();
    const auto stats = doc ? doc->stats() : nullptr;
    const LayerStats *found = findLayerStats(stats.get(), layer);
    if (!found) {
        clear();
        return;
    }
    // Statistics are replaced, never changed: the pointer tells a new calibration.
    const QString key = layer + QString::number(quintptr(stats.get()));
    if (key == mShown)
        return;
    mShown = key;
    const LayerStats &s = *found;
    const QVector<double> magnitudes(s.meanAbsMax.data(), s.meanAbsMax.data() + s.meanAbsMax.size());
    QVector<double> scale;
    if (auto v = channelScale(layer, Method::L2Qer, s))
        scale = QVector<double>(v->data(), v->data() + v->size());
    mPlot->setData(layer, magnitudes, scale);
}

} // namespace lqer
