#include "app/studio/views/costview.h"

#include "app/studio/document.h"
#include "app/studio/studiohost.h"
#include "widgets/costpanel.h"

namespace lqer {

CostView::CostView(StudioHost &host)
    : AnalysisView(host)
    , mPanel(new CostPanel)
{ }

QWidget *CostView::widget() const
{
    return mPanel;
}

PlotView *CostView::plot() const
{
    return mPanel->chart();
}

void CostView::refresh()
{
    const Document *doc = host().document();
    if (!doc) {
        mPanel->setSummary(CostSummary());
        return;
    }
    CostSummary s = mPanel->summary();
    s.planLabel = doc->plan().preset;
    s.modelBits = doc->modelBitsPerWeight();
    s.paperBits = doc->paperBitsPerWeight();
    s.areaRatio = doc->areaRatio();
    s.fp32Perplexity = doc->fp32Perplexity();
    s.perplexity = doc->perplexity();
    s.layers = doc->layerNames();
    s.layerBits.clear();
    for (const LinearLayerInfo &l : doc->layers())
        s.layerBits << doc->layerBits(l);
    mPanel->setSummary(s);
}

void CostView::showRunningEstimate(double perplexity, int done, int total)
{
    CostSummary s = mPanel->summary();
    s.proxyPerplexity = perplexity;
    s.proxyNote = tr("Running estimate over %1 of %2 windows").arg(done).arg(total);
    mPanel->setSummary(s);
}

} // namespace lqer
