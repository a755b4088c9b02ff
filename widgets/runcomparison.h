#pragma once

// Two runs side by side: a per-layer chart with both runs' errors as grouped bars, a table of
// the per-layer values (A, B, B − A, B / A) and a table of the perplexities of both. Plain data
// in, no engine or store calls (the studio builds the RunComparison from its session store).

#include "widgets/layererrorchart.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QSplitter;
class QTableWidget;

namespace lqer {

struct RunComparisonMetric
{
    QString label; // "Mean absolute error eₐ"
    QVector<double> a, b; // one per layer of RunComparison::layers; NaN = not in that run
};

struct ComparedPerplexity
{
    QString label; // "fp32", "quantized", "L²QER k=32"
    std::optional<double> a, b;
};

struct RunComparison
{
    QString labelA, labelB; // legends: "run 3 · L²QER k=32"
    QStringList layers; // model order
    QList<RunComparisonMetric> metrics; // at least one
    QList<ComparedPerplexity> perplexities;
    QStringList notes; // e.g. what differs between the plans
};

class RunComparisonView : public QWidget
{
    Q_OBJECT

public:
    explicit RunComparisonView(QWidget *parent = nullptr);

    void setComparison(const RunComparison &comparison);
    void clear();
    const RunComparison &comparison() const { return mData; }
    bool hasData() const { return !mData.layers.isEmpty() || !mData.perplexities.isEmpty(); }

    // The metric shown (index into RunComparison::metrics).
    void setMetric(int index);
    int currentMetric() const { return mMetric; }

    LayerErrorChart *chart() const { return mChart; }
    QTableWidget *layerTable() const { return mLayerTable; }
    QTableWidget *perplexityTable() const { return mPplTable; }

signals:
    void layerClicked(const QString &layer);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void rebuild();

    RunComparison mData;
    int mMetric = 0;
    QLabel *mTitle;
    QLabel *mNotes;
    QLabel *mMetricLabel;
    QComboBox *mMetricBox;
    LayerErrorChart *mChart;
    QTableWidget *mLayerTable;
    QTableWidget *mPplTable;
    QSplitter *mSplitter;
};

} // namespace lqer
