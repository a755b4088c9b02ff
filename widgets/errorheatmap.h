#pragma once

// |E − Ẽ| of one layer as a zoomable colour map (QCPColorMap), with a before/after toggle
// (before: Wq only, |E|; after: Wq + AB, |E − Ẽ|), the weights |W| and |Wq| themselves (for
// the lessons: what E is the difference of) and, for big matrices, a block-aggregated
// view (mean or max of each cell, see HeatmapGrid). Rows are output channels, columns input
// channels (Hugging Face storage orientation).

#include "widgets/heatmapgrid.h"
#include "widgets/plotview.h"

#include <QWidget>

class QComboBox;
class QLabel;

namespace lqer {

class ErrorHeatmap : public PlotView
{
    Q_OBJECT

public:
    enum class Stage { Weight, Quantized, Before, After };
    enum class Aggregate { Mean, Max };

    explicit ErrorHeatmap(QWidget *parent = nullptr);

    void setData(const QString &layerName, const HeatmapGrid &before, const HeatmapGrid &after);
    // |W| and |Wq| of the same layer (optional: stages without data show the empty hint).
    void setWeights(const HeatmapGrid &weight, const HeatmapGrid &quantized);
    // All four stages of a layer at once: one replot instead of two.
    void setLayer(const QString &layerName, const HeatmapGrid &weight, const HeatmapGrid &quantized,
                  const HeatmapGrid &before, const HeatmapGrid &after);
    void clear();
    const QString &layerName() const { return mLayerName; }
    void setStage(Stage stage);
    Stage stage() const { return mStage; }
    void setAggregate(Aggregate aggregate);
    Aggregate aggregate() const { return mAggregate; }

    const HeatmapGrid &grid(Stage stage) const;
    // The value the colour map shows in grid cell (row, column) of the current stage.
    double shownCell(int row, int column) const;
    bool hasData() const override { return !mBefore.isEmpty() || !mAfter.isEmpty(); }
    QString toolTipAt(const QPointF &pos) const override;
    // The colour range in use (shared by both stages so they compare at a glance).
    QCPRange dataRange() const { return mColorScale->dataRange(); }

signals:
    void dataChanged();

protected:
    void retranslate() override;

private:
    void rebuild();

    QString mLayerName;
    HeatmapGrid mBefore;
    HeatmapGrid mAfter;
    HeatmapGrid mWeight;
    HeatmapGrid mQuantized;
    Stage mStage = Stage::After;
    Aggregate mAggregate = Aggregate::Mean;
    QCPColorMap *mMap = nullptr;
    QCPColorScale *mColorScale = nullptr;
    QCPTextElement *mTitle = nullptr;
};

// The heatmap with its controls (stage toggle, aggregation), as the studio shows it.
class ErrorHeatmapPanel : public QWidget
{
    Q_OBJECT

public:
    explicit ErrorHeatmapPanel(QWidget *parent = nullptr);
    ErrorHeatmap *heatmap() const { return mHeatmap; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void updateInfo();

    ErrorHeatmap *mHeatmap;
    QComboBox *mStageBox;
    QComboBox *mAggregateBox;
    QLabel *mStageLabel;
    QLabel *mAggregateLabel;
    QLabel *mInfo;
};

} // namespace lqer
