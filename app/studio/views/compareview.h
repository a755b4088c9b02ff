#pragma once

// Two stored runs side by side (per-layer errors and perplexities); a click on a layer selects
// it in the window.

#include "app/studio/analysisview.h"

#include <QCoreApplication>

namespace lqer {

class RunComparisonView;
struct RunComparison;

class CompareView : public AnalysisView
{
    Q_DECLARE_TR_FUNCTIONS(CompareView)

public:
    explicit CompareView(StudioHost &host);

    QString title() const override { return tr("Compare runs"); }
    QWidget *widget() const override;
    PlotView *plot() const override;
    RunComparisonView *comparison() const { return mView; }

    void setComparison(const RunComparison &comparison);

private:
    RunComparisonView *mView;
};

} // namespace lqer
