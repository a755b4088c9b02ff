#pragma once

// The Rank explorer: per-layer weight format and rank chosen under a bit budget from cached
// loss curves (computed by the "curves" job, or loaded from lqer allocate --save-curves),
// re-allocated live as the budget slider moves (a millisecond for a few hundred layers: no
// worker), and four plots in tabs: the chosen bits per layer as bars beside the best uniform
// plan of the same budget; a layer's predicted loss versus rank per weight format (with the
// measured KL of that layer alone where measured); the per-layer sensitivity, predicted and
// measured, with their Spearman correlation; and the Pareto plot of uniform and allocated plans
// with the evaluated plans of the session added as their evaluations finish. "Apply to plan" is
// one undoable plan edit and records an "allocate" run; the curves (and measurements) are kept
// in the session as the details of their run, so a reopened session shows them again.

#include "app/studio/analysisview.h"
#include "core/alloc/curves.h"
#include "core/alloc/sensitivity.h"
#include "core/store/sessionstore.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonObject>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QSpinBox;
class QTabWidget;
class QWidget;

namespace lqer {

class AllocationBarsPlot;
class LayerCurvePlot;
class ParetoPlot;
class SensitivityPlot;

class RankExplorerView : public AnalysisView
{
    Q_DECLARE_TR_FUNCTIONS(RankExplorerView)

public:
    explicit RankExplorerView(StudioHost &host);

    QString title() const override { return tr("Rank explorer"); }
    QWidget *widget() const override { return mPage; }
    // The plot of the current tab.
    PlotView *plot() const override;
    void retranslate() override;
    void clear() override;
    void layerSelected(const QString &layer) override;
    void restore(const SessionSnapshot &snapshot) override;

    // Curves of the open model (layer names must match); an error names the file.
    Status loadCurves(const QString &path);
    // New curves; measured KL per rank (by layer) where measured.
    void setCurves(const LayerCurves &curves, const QHash<QString, QList<RankKl>> &rankKl = {});
    const std::optional<LayerCurves> &curves() const { return mCurves; }
    const QHash<QString, QList<RankKl>> &rankKl() const { return mRankKl; }

    // The curves (and the measured KL per rank) as a run's details, and back.
    static QJsonObject curvesDetails(const LayerCurves &curves, const QHash<QString, QList<RankKl>> &rankKl);
    static bool curvesFromDetails(const QJsonObject &details, LayerCurves *curves,
                                  QHash<QString, QList<RankKl>> *rankKl);
    // An "allocate" run's details: budget, objective, per-layer choices, bits, losses, λ.
    static QJsonObject allocationDetails(const Allocation &allocation);

    // An evaluation of the session: a measured point of the Pareto plot (its plan's bits).
    void addEvaluation(const RunRecord &run);

    QSlider *budgetSlider() const { return mSlider; }
    QPushButton *applyButton() const { return mApply; }
    QPushButton *computeButton() const { return mCompute; }
    // The candidates of Compute curves: the "curves" job's argument (bits=…;ranks=… or
    // formats=…;ranks=…).
    QLineEdit *candidatesEdit() const { return mCandidates; }
    QPushButton *measureButton() const { return mMeasure; }
    QSpinBox *windowsBox() const { return mWindows; }
    QComboBox *layerBox() const { return mLayerBox; }
    QTabWidget *tabs() const { return mTabs; }
    AllocationBarsPlot *allocationPlot() const { return mPlot; }
    LayerCurvePlot *curvePlot() const { return mCurvePlot; }
    SensitivityPlot *sensitivityPlot() const { return mSensitivityPlot; }
    ParetoPlot *paretoPlot() const { return mParetoPlot; }
    // Spearman's ρ of the relative predicted figure with the measured KL (nullopt: fewer than
    // two layers measured), and the text shown.
    std::optional<double> spearmanRelative() const { return mSpearman; }
    QString spearmanText() const;

    // The allocation of the slider's budget (none before curves are loaded).
    const std::optional<Allocation> &allocation() const { return mAllocation; }
    double lastAllocationMs() const { return mAllocationMs; }
    // One undoable plan edit: the current plan's settings with the allocation's layers; the
    // allocation is recorded as a run of the session.
    void applyToPlan();

private:
    void reallocate();
    void chooseCurvesFile();
    void updateTexts();
    void showLayerCurve();
    void showSensitivity();
    void rebuildPareto();
    void showPareto();
    Objective objective() const;

    QWidget *mPage;
    QPushButton *mLoad;
    QPushButton *mCompute;
    QLineEdit *mCandidates;
    QPushButton *mMeasure;
    QLabel *mWindowsLabel;
    QSpinBox *mWindows;
    QSlider *mSlider;
    QLabel *mBudgetLabel;
    QLabel *mSummary;
    QPushButton *mApply;
    QTabWidget *mTabs;
    AllocationBarsPlot *mPlot;
    QWidget *mCurvePage;
    QLabel *mLayerLabel;
    QComboBox *mLayerBox;
    LayerCurvePlot *mCurvePlot;
    QWidget *mSensitivityPage;
    QLabel *mSpearmanLabel;
    SensitivityPlot *mSensitivityPlot;
    ParetoPlot *mParetoPlot;
    std::optional<LayerCurves> mCurves;
    QHash<QString, QList<RankKl>> mRankKl;
    std::optional<Allocation> mAllocation;
    std::optional<UniformPoint> mUniform;
    std::optional<double> mSpearman;
    int mSpearmanLayers = 0;
    double mAllocationMs = 0;
    // The Pareto plot's sweep (recomputed with new curves) and the session's evaluations.
    QList<QPair<double, double>> mSweep; // (average bits, loss)
    QList<RunRecord> mEvaluations;
};

} // namespace lqer
