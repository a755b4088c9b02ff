#pragma once

// Singular-value distribution of a layer's quantization error (paper Fig. 1a): one curve per
// method (LQER: α·E, L²QER / QERA: S·E, normalised so all have the same Frobenius norm), on a
// log scale, an optional Marchenko–Pastur reference for an i.i.d. matrix of the same shape and
// variance, and the chosen rank k marked.

#include "widgets/plotview.h"

namespace lqer {

struct SpectrumSeries
{
    QString label; // "LQER (αE)", "L²QER (SE)"
    QVector<double> values; // singular values, descending
};

class SpectrumPlot : public PlotView
{
    Q_OBJECT

public:
    explicit SpectrumPlot(QWidget *parent = nullptr);

    void setLayerName(const QString &name);
    void setSeries(const QList<SpectrumSeries> &series);
    // Expected singular values of an i.i.d. matrix (descending), e.g. Marchenko–Pastur quantiles.
    void setReference(const QVector<double> &values, const QString &label);
    void setReferenceVisible(bool visible);
    bool isReferenceVisible() const { return mReferenceVisible; }
    const QVector<double> &reference() const { return mReference; }
    void setRank(int k);
    int rank() const { return mRank; }
    void clear();

    const QList<SpectrumSeries> &series() const { return mSeries; }
    bool hasData() const override { return !mSeries.isEmpty(); }
    QString toolTipAt(const QPointF &pos) const override;

protected:
    void retranslate() override;

private:
    void rebuild();

    QString mLayerName;
    QList<SpectrumSeries> mSeries;
    QVector<double> mReference;
    QString mReferenceLabel;
    bool mReferenceVisible = true;
    int mRank = 0;
    QCPTextElement *mTitle = nullptr;
};

} // namespace lqer
