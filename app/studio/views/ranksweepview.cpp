#include "app/studio/views/ranksweepview.h"

#include "app/studio/sessions.h"
#include "widgets/ranksweepplot.h"

namespace lqer {

RankSweepView::RankSweepView(StudioHost &host)
    : AnalysisView(host)
    , mPlot(new RankSweepPlot)
{ }

QWidget *RankSweepView::widget() const
{
    return mPlot;
}

PlotView *RankSweepView::plot() const
{
    return mPlot;
}

void RankSweepView::clear()
{
    mPlot->clear();
}

void RankSweepView::restore(const SessionSnapshot &snapshot)
{
    mPlot->clear();
    mPlot->setSeries(snapshot.sweep);
    mPlot->setPlainReference(snapshot.sweepPlain);
    mPlot->setFp32Reference(snapshot.fp32Perplexity);
}

void RankSweepView::beginSweep(std::optional<double> fp32Perplexity)
{
    mPlot->clear();
    if (fp32Perplexity)
        mPlot->setFp32Reference(*fp32Perplexity);
}

void RankSweepView::addPoint(const QString &series, int rank, double perplexity, double error)
{
    if (rank == 0)
        mPlot->setPlainReference(perplexity);
    else
        mPlot->addPoint(series, rank, perplexity, error);
}

} // namespace lqer
