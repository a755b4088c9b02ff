#pragma once

// The cost panel: what a plan costs and what it gives, side by side (STYLE.md §13) — average
// bits per weight for the model (NUMERICS §8, and the paper's spreadsheet figure), estimated
// circuit area relative to FP16, the perplexity estimate while the real evaluation runs, then the
// real perplexity; and a chart of the bits of each layer.

#include "widgets/plotview.h"

#include <QWidget>

#include <optional>

class QLabel;

namespace lqer {

struct CostSummary
{
    QString planLabel; // "paper W4A8 k=32"
    std::optional<double> modelBits; // Σ bits / Σ original weights
    std::optional<double> paperBits; // the paper's spreadsheet convention
    std::optional<double> areaRatio; // circuit area relative to the FP16 design
    std::optional<double> proxyPerplexity;
    QString proxyNote; // how the estimate was made
    std::optional<double> perplexity; // the real evaluation
    std::optional<double> fp32Perplexity;
    QStringList layers; // per-layer bits (bar chart)
    QVector<double> layerBits;
};

class CostChart : public PlotView
{
    Q_OBJECT

public:
    explicit CostChart(QWidget *parent = nullptr);
    void setData(const QStringList &layers, const QVector<double> &bits);
    bool hasData() const override { return !mLayers.isEmpty(); }
    QString toolTipAt(const QPointF &pos) const override;

protected:
    void retranslate() override;

private:
    QStringList mLayers;
    QVector<double> mBits;
    QCPBars *mBars = nullptr;
};

class CostPanel : public QWidget
{
    Q_OBJECT

public:
    explicit CostPanel(QWidget *parent = nullptr);

    void setSummary(const CostSummary &summary);
    const CostSummary &summary() const { return mSummary; }
    CostChart *chart() const { return mChart; }
    bool hasData() const;
    // The text of a value label, for tests ("bits", "area", "proxy", "ppl", "fp32").
    QString valueText(const QString &key) const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void updateValues();

    CostSummary mSummary;
    QMap<QString, QLabel *> mValues;
    QMap<QString, QLabel *> mCaptions;
    QLabel *mTitle;
    CostChart *mChart;
};

} // namespace lqer
