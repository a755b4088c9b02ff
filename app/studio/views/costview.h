#pragma once

// Bits per weight, circuit area and perplexity of the plan, layer by layer; during an
// evaluation it shows the running estimate.

#include "app/studio/analysisview.h"

#include <QCoreApplication>

namespace lqer {

class CostPanel;

class CostView : public AnalysisView
{
    Q_DECLARE_TR_FUNCTIONS(CostView)

public:
    explicit CostView(StudioHost &host);

    QString title() const override { return tr("Cost"); }
    QWidget *widget() const override;
    PlotView *plot() const override;
    CostPanel *panel() const { return mPanel; }

    void refresh() override;
    // An evaluation's perplexity so far, over `done` of `total` windows.
    void showRunningEstimate(double perplexity, int done, int total);

private:
    CostPanel *mPanel;
};

} // namespace lqer
