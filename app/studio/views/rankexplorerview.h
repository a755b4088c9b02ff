#pragma once

// The Rank explorer: per-layer weight format and rank chosen under a bit budget from cached
// loss curves (lqer allocate --save-curves), re-allocated live as the budget slider moves (a
// millisecond for a few hundred layers: no worker), the chosen bits per layer as bars beside the
// best uniform plan of the same budget, and "Apply to plan" as one undoable plan edit.

#include "app/studio/analysisview.h"
#include "core/alloc/curves.h"

#include <QCoreApplication>

#include <optional>

class QLabel;
class QPushButton;
class QSlider;
class QWidget;

namespace lqer {

class AllocationBarsPlot;

class RankExplorerView : public AnalysisView
{
    Q_DECLARE_TR_FUNCTIONS(RankExplorerView)

public:
    explicit RankExplorerView(StudioHost &host);

    QString title() const override { return tr("Rank explorer"); }
    QWidget *widget() const override { return mPage; }
    PlotView *plot() const override;
    void retranslate() override;
    void clear() override;

    // Curves of the open model (layer names must match); an error names the file.
    Status loadCurves(const QString &path);
    void setCurves(const LayerCurves &curves);
    const std::optional<LayerCurves> &curves() const { return mCurves; }

    QSlider *budgetSlider() const { return mSlider; }
    QPushButton *applyButton() const { return mApply; }
    // The allocation of the slider's budget (none before curves are loaded).
    const std::optional<Allocation> &allocation() const { return mAllocation; }
    double lastAllocationMs() const { return mAllocationMs; }
    // One undoable plan edit: the current plan's settings with the allocation's layers.
    void applyToPlan();

private:
    void reallocate();
    void chooseCurvesFile();
    void updateTexts();

    QWidget *mPage;
    QPushButton *mLoad;
    QSlider *mSlider;
    QLabel *mBudgetLabel;
    QLabel *mSummary;
    QPushButton *mApply;
    AllocationBarsPlot *mPlot;
    std::optional<LayerCurves> mCurves;
    std::optional<Allocation> mAllocation;
    std::optional<UniformPoint> mUniform;
    double mAllocationMs = 0;
};

} // namespace lqer
