#pragma once

// Perplexity against the rank k per method, with the plain and FP32 references: filled point by
// point by the rank-sweep job, or from the newest sweep of a reopened session.

#include "app/studio/analysisview.h"

#include <QCoreApplication>

#include <optional>

namespace lqer {

class RankSweepPlot;

class RankSweepView : public AnalysisView
{
    Q_DECLARE_TR_FUNCTIONS(RankSweepView)

public:
    explicit RankSweepView(StudioHost &host);

    QString title() const override { return tr("Perplexity vs rank"); }
    QWidget *widget() const override;
    PlotView *plot() const override;
    RankSweepPlot *sweepPlot() const { return mPlot; }

    void clear() override;
    void restore(const SessionSnapshot &snapshot) override;

    // A new sweep starts: the old points go, the FP32 reference stays when known.
    void beginSweep(std::optional<double> fp32Perplexity);
    // One point of the sweep (rank 0: the plain model, drawn as a reference line).
    void addPoint(const QString &series, int rank, double perplexity, double error = 0);

private:
    RankSweepPlot *mPlot;
};

} // namespace lqer
