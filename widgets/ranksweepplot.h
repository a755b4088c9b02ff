#pragma once

// Perplexity against the rank k (paper Fig. 3): one curve per method from a rank sweep, with
// the FP32 model and the plain quantized model (k = 0) as horizontal reference lines.

#include "widgets/plotview.h"

#include <optional>

namespace lqer {

struct RankSweepSeries
{
    QString label; // "L²QER", "LQER"
    QVector<double> ranks; // ascending
    QVector<double> perplexities;
    QVector<double> errors; // σ of each perplexity (drawn as error bars); empty or 0: unknown
};

class RankSweepPlot : public PlotView
{
    Q_OBJECT

public:
    explicit RankSweepPlot(QWidget *parent = nullptr);

    void setSeries(const QList<RankSweepSeries> &series);
    // Adds one point to the series `label` (created if needed), keeping ranks sorted: the sweep
    // calls it as each rank finishes.
    void addPoint(const QString &label, double rank, double perplexity, double error = 0);
    void setFp32Reference(std::optional<double> perplexity);
    void setPlainReference(std::optional<double> perplexity);
    void clear();

    const QList<RankSweepSeries> &series() const { return mSeries; }
    std::optional<double> plainReference() const { return mPlain; }
    std::optional<double> fp32Reference() const { return mFp32; }
    bool hasData() const override { return !mSeries.isEmpty(); }
    QString toolTipAt(const QPointF &pos) const override;

protected:
    void retranslate() override;

private:
    void rebuild();

    QList<RankSweepSeries> mSeries;
    std::optional<double> mFp32;
    std::optional<double> mPlain;
};

} // namespace lqer
