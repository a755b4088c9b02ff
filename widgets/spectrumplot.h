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

// Everything the plot shows of one layer, for SpectrumPlot::setContent.
struct SpectrumContent
{
    QString layerName;
    int rank = 0; // k, marked; 0: none
    QList<SpectrumSeries> series;
    QVector<double> reference; // e.g. Marchenko–Pastur quantiles; empty: none
    QString referenceLabel;
    bool referenceVisible = true;
    QString note; // what the curves are when they are not the final ones ("top 64 so far…")
};

class SpectrumPlot : public PlotView
{
    Q_OBJECT

public:
    explicit SpectrumPlot(QWidget *parent = nullptr);

    // All of a layer's plot at once: one replot, where the setters below replot each (a replot
    // of this plot costs milliseconds of the GUI thread).
    void setContent(const SpectrumContent &content);
    void setLayerName(const QString &name);
    void setSeries(const QList<SpectrumSeries> &series);
    // Expected singular values of an i.i.d. matrix (descending), e.g. Marchenko–Pastur quantiles.
    void setReference(const QVector<double> &values, const QString &label);
    void setReferenceVisible(bool visible);
    bool isReferenceVisible() const { return mReferenceVisible; }
    const QVector<double> &reference() const { return mReference; }
    void setRank(int k);
    int rank() const { return mRank; }
    // A line drawn in the plot's lower left corner, e.g. that the curves are a preview.
    void setNote(const QString &note);
    const QString &note() const { return mNote; }
    void clear();

    const QList<SpectrumSeries> &series() const { return mSeries; }
    bool hasData() const override { return !mSeries.isEmpty(); }
    QString toolTipAt(const QPointF &pos) const override;

protected:
    void retranslate() override;

private:
    void rebuild();
    void updateTitle();

    QString mLayerName;
    QList<SpectrumSeries> mSeries;
    QVector<double> mReference;
    QString mReferenceLabel;
    bool mReferenceVisible = true;
    int mRank = 0;
    QString mNote;
    QCPTextElement *mTitle = nullptr;
};

} // namespace lqer
