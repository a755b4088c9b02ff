#include "widgets/spectrumplot.h"

#include <algorithm>
#include <cmath>

namespace lqer {

SpectrumPlot::SpectrumPlot(QWidget *parent)
    : PlotView(parent)
{
    plotLayout()->insertRow(0);
    mTitle = new QCPTextElement(this, QString(), QFont(font().family(), 10, QFont::Bold));
    plotLayout()->addElement(0, 0, mTitle);
    yAxis->setScaleType(QCPAxis::stLogarithmic);
    yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    yAxis->setNumberFormat(QStringLiteral("gb"));
    yAxis->setNumberPrecision(2);
    legend->setVisible(true);
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    retranslate();
}

void SpectrumPlot::retranslate()
{
    setEmptyHint(
        tr("Select a layer to see the singular values of its quantization error:\nLQER (σ of αE) against "
           "L²QER and QERA (σ of SE). L²QER and QERA need calibration statistics (Jobs > Calibrate)."));
    xAxis->setLabel(tr("Singular value index i"));
    yAxis->setLabel(tr("Singular value σᵢ (log scale)"));
    updateTitle();
    rebuild();
}

void SpectrumPlot::updateTitle()
{
    mTitle->setText(mLayerName.isEmpty() ? tr("Quantization error spectrum")
                                         : tr("Quantization error spectrum — %1").arg(mLayerName));
}

void SpectrumPlot::setContent(const SpectrumContent &content)
{
    mLayerName = content.layerName;
    mRank = content.rank;
    mSeries = content.series;
    mReference = content.reference;
    mReferenceLabel = content.referenceLabel;
    mReferenceVisible = content.referenceVisible;
    mNote = content.note;
    updateTitle();
    rebuild();
}

void SpectrumPlot::setLayerName(const QString &name)
{
    mLayerName = name;
    retranslate();
}

void SpectrumPlot::setNote(const QString &note)
{
    mNote = note;
    rebuild();
}

void SpectrumPlot::setSeries(const QList<SpectrumSeries> &series)
{
    mSeries = series;
    rebuild();
}

void SpectrumPlot::setReference(const QVector<double> &values, const QString &label)
{
    mReference = values;
    mReferenceLabel = label;
    rebuild();
}

void SpectrumPlot::setReferenceVisible(bool visible)
{
    mReferenceVisible = visible;
    rebuild();
}

void SpectrumPlot::setRank(int k)
{
    mRank = k;
    rebuild();
}

void SpectrumPlot::clear()
{
    mSeries.clear();
    mReference.clear();
    mLayerName.clear();
    mNote.clear();
    retranslate();
}

void SpectrumPlot::rebuild()
{
    clearGraphs();
    clearItems();
    double lo = 1e300, hi = 0;
    int count = 0;
    auto addCurve = [&](const QVector<double> &values, const QString &label, const QPen &pen) {
        QVector<double> x, y;
        x.reserve(values.size());
        y.reserve(values.size());
        for (int i = 0; i < values.size(); ++i) {
            // A log axis cannot show zeros: exact zeros (rank-deficient error) are left out.
            if (!(values[i] > 0) || !std::isfinite(values[i]))
                continue;
            x.append(i + 1);
            y.append(values[i]);
            lo = std::min(lo, values[i]);
            hi = std::max(hi, values[i]);
        }
        count = std::max(count, int(values.size()));
        QCPGraph *g = addGraph();
        g->setName(label);
        g->setPen(pen);
        g->setData(x, y, true);
    };
    for (int s = 0; s < mSeries.size(); ++s)
        addCurve(mSeries[s].values, mSeries[s].label, QPen(seriesColor(s), 2.0));
    if (mReferenceVisible && !mReference.isEmpty() && !mSeries.isEmpty())
        addCurve(mReference, mReferenceLabel, QPen(QColor(90, 90, 90), 1.5, Qt::DashLine));

    if (mRank > 0 && !mSeries.isEmpty()) {
        auto *line = new QCPItemStraightLine(this);
        line->point1->setCoords(mRank, 1);
        line->point2->setCoords(mRank, 2);
        line->setPen(QPen(QColor(200, 40, 40), 1.2, Qt::DashDotLine));
        auto *label = new QCPItemText(this);
        label->position->setTypeX(QCPItemPosition::ptPlotCoords);
        label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        label->position->setCoords(mRank, 0.04);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        label->setText(QStringLiteral(" k = %1").arg(mRank));
        label->setColor(QColor(200, 40, 40));
        label->setFont(QFont(font().family(), 9, QFont::Bold));
    }
    if (!mNote.isEmpty() && !mSeries.isEmpty()) {
        // Lower left: a descending spectrum on a log axis leaves that corner empty.
        auto *note = new QCPItemText(this);
        note->position->setType(QCPItemPosition::ptAxisRectRatio);
        note->position->setCoords(0.01, 0.98);
        note->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        note->setText(mNote);
        note->setColor(QColor(90, 90, 90));
        QFont f(font().family(), 9);
        f.setItalic(true);
        note->setFont(f);
        note->setBrush(QBrush(QColor(255, 255, 255, 220)));
        note->setPadding(QMargins(4, 2, 4, 2));
    }
    legend->setVisible(!mSeries.isEmpty());
    if (count > 0 && hi > 0) {
        xAxis->setRange(0, count + 1);
        yAxis->setRange(lo / 1.5, hi * 1.5);
    } else {
        xAxis->setRange(0, 10);
        yAxis->setRange(1e-3, 1);
    }
    replot();
}

QString SpectrumPlot::toolTipAt(const QPointF &pos) const
{
    if (mSeries.isEmpty() || !axisRect()->rect().contains(pos.toPoint()))
        return {};
    const int i = int(std::lround(xAxis->pixelToCoord(pos.x()))) - 1;
    QStringList lines;
    lines << tr("σ index %1").arg(i + 1);
    bool any = false;
    for (const SpectrumSeries &s : mSeries) {
        if (i < 0 || i >= s.values.size())
            continue;
        lines << QStringLiteral("%1: %2").arg(s.label, QString::number(s.values[i], 'g', 5));
        any = true;
    }
    if (mReferenceVisible && i >= 0 && i < mReference.size())
        lines << QStringLiteral("%1: %2").arg(mReferenceLabel, QString::number(mReference[i], 'g', 5));
    if (!any)
        return {};
    if (mRank > 0)
        lines << (i < mRank ? tr("inside the rank-%1 term").arg(mRank) : tr("left as error (i > k)"));
    return lines.join(QLatin1Char('\n'));
}

} // namespace lqer
