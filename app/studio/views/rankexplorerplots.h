#pragma once

// The plots of the Rank explorer (views/rankexplorerview.h), each over plain lists built by the
// view from the cached curves: a layer's predicted loss versus rank (one line per weight format,
// measured KL of that layer alone at each rank where measured), the per-layer sensitivity
// (predicted and measured side by side), and the Pareto plot (average bits versus predicted
// loss of every uniform plan and of the allocations over a sweep of budgets, with the measured
// perplexities of evaluated plans on a second axis).

#include "widgets/plotview.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVector>

namespace lqer {

// One weight format of one layer: the predicted loss relative to ‖W S‖² at each rank.
struct LossSeries
{
    QString format;
    QVector<double> ranks, loss;
};

// Measured KL from FP32 of one layer alone at one rank.
struct MeasuredRankPoint
{
    double rank = 0, kl = 0, error = 0;
};

class LayerCurvePlot : public PlotView
{
public:
    LayerCurvePlot();
    void show(const QString &layer, const QList<LossSeries> &series, const QString &measuredFormat,
              const QList<MeasuredRankPoint> &measured);
    bool hasData() const override { return !mSeries.isEmpty(); }
    const QList<LossSeries> &series() const { return mSeries; }
    const QList<MeasuredRankPoint> &measured() const { return mMeasured; }
    QString toolTipAt(const QPointF &pos) const override;

protected:
    void retranslate() override;

private:
    QString mLayer;
    QList<LossSeries> mSeries;
    QList<MeasuredRankPoint> mMeasured;
};

// Per layer: the predicted figure (relative scaled residual energy at the reference point) and
// the measured KL of the layer alone (−1: not measured).
struct SensitivityBars
{
    QStringList layers;
    QVector<double> predicted, measured, measuredError;
};

class SensitivityPlot : public PlotView
{
public:
    SensitivityPlot();
    void show(const SensitivityBars &bars);
    bool hasData() const override { return !mBars.layers.isEmpty(); }
    const SensitivityBars &bars() const { return mBars; }
    QString toolTipAt(const QPointF &pos) const override;

protected:
    void retranslate() override;

private:
    SensitivityBars mBars;
};

struct ParetoPoint
{
    double bits = 0;
    double value = 0; // predicted loss, or perplexity for measured points
    double error = 0; // σ of a measured perplexity
    QString label;
};

struct ParetoData
{
    QList<ParetoPoint> uniform; // every uniform plan
    QList<ParetoPoint> frontier; // the uniform plans no other beats with fewer bits
    QList<ParetoPoint> allocated; // allocations over a sweep of budgets
    QList<ParetoPoint> current; // the slider's allocation (at most one)
    QList<ParetoPoint> measured; // evaluated plans: perplexity ± σ
};

class ParetoPlot : public PlotView
{
public:
    ParetoPlot();
    void show(const ParetoData &data);
    bool hasData() const override { return !mData.uniform.isEmpty() || !mData.measured.isEmpty(); }
    const ParetoData &data() const { return mData; }
    QString toolTipAt(const QPointF &pos) const override;

protected:
    void retranslate() override;

private:
    ParetoData mData;
};

} // namespace lqer
