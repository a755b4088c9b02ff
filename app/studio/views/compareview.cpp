#include "app/studio/views/compareview.h"

#include "app/studio/studiohost.h"
#include "widgets/layererrorchart.h"
#include "widgets/runcomparison.h"

namespace lqer {

CompareView::CompareView(StudioHost &host)
    : AnalysisView(host)
    , mView(new RunComparisonView)
{
    QObject::connect(mView, &RunComparisonView::layerClicked, mView, [this](const QString &layer) {
        if (layer != this->host().currentLayer())
            this->host().selectLayer(layer);
    });
}

QWidget *CompareView::widget() const
{
    return mView;
}

PlotView *CompareView::plot() const
{
    return mView->chart();
}

void CompareView::setComparison(const RunComparison &comparison)
{
    mView->setComparison(comparison);
}

} // namespace lqer
