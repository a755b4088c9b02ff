#include "widgets/channelplot.h"

#include <algorithm>
#include <numeric>

namespace lqer {

ChannelPlot::ChannelPlot(QWidget *parent)
    : PlotView(parent)
{
    legend->setVisible(true);
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    retranslate();
}

void ChannelPlot::retranslate()
{
    setEmptyHint(
        tr("Calibrate (Jobs > Calibrate) and select a layer to see the mean |x| of each of its input "
           "channels,\nwith the loudest channels marked and the L²QER scale s."));
    xAxis->setLabel(tr("Input channel i"));
    yAxis->setLabel(tr("Mean |xᵢ| over calibration tokens"));
    yAxis2->setLabel(tr("L²QER scale sᵢ"));
    rebuild();
}

void ChannelPlot::setData(const QString &layer, const QVector<double> &magnitudes,
                          const QVector<double> &scale, int outliers)
{
    mLayer = layer;
    mMagnitudes = magnitudes;
    mScale = scale;
    QVector<int> order(magnitudes.size());
    std::iota(order.begin(), order.end(), 0);
    const int n = std::min<int>(outliers, int(order.size()));
    std::partial_sort(order.begin(), order.begin() + n, order.end(),
                      [&](int a, int b) { return magnitudes[a] > magnitudes[b]; });
    mOutliers = order.mid(0, n);
    rebuild();
}

void ChannelPlot::clearData()
{
    mLayer.clear();
    mMagnitudes.clear();
    mScale.clear();
    mOutliers.clear();
    rebuild();
}

void ChannelPlot::rebuild()
{
    clearGraphs();
    if (!mMagnitudes.isEmpty()) {
        QVector<double> x(mMagnitudes.size());
        std::iota(x.begin(), x.end(), 0.0);
        QCPGraph *g = addGraph();
        g->setName(tr("mean |x| per channel"));
        g->setPen(QPen(seriesColor(0), 1.2));
        g->setLineStyle(QCPGraph::lsImpulse);
        g->setData(x, mMagnitudes, true);
        QCPGraph *marked = addGraph();
        marked->setName(tr("%n loudest channel(s)", nullptr, int(mOutliers.size())));
        marked->setLineStyle(QCPGraph::lsNone);
        marked->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QColor(200, 0, 0), 8));
        QVector<double> ox, oy;
        QVector<int> sorted = mOutliers;
        std::sort(sorted.begin(), sorted.end());
        for (int c : sorted) {
            ox << c;
            oy << mMagnitudes[c];
        }
        marked->setData(ox, oy, true);
        xAxis->setRange(-1, mMagnitudes.size());
        yAxis->setRange(0, *std::max_element(mMagnitudes.begin(), mMagnitudes.end()) * 1.08);
        // s is proportional to the magnitude (s = ā / sqrt(min ā · max ā), ā clamped below), so
        // the right axis reads the same bars in units of s.
        const auto loudest = std::max_element(mMagnitudes.begin(), mMagnitudes.end()) - mMagnitudes.begin();
        const bool scaled = loudest < mScale.size() && mMagnitudes[loudest] > 0;
        yAxis2->setVisible(scaled);
        if (scaled)
            yAxis2->setRange(yAxis->range().lower * mScale[loudest] / mMagnitudes[loudest],
                             yAxis->range().upper * mScale[loudest] / mMagnitudes[loudest]);
    }
    replot();
}

QString ChannelPlot::toolTipAt(const QPointF &pos) const
{
    if (mMagnitudes.isEmpty())
        return {};
    const int c = int(std::lround(xAxis->pixelToCoord(pos.x())));
    if (c < 0 || c >= mMagnitudes.size())
        return {};
    QString text = tr("%1\nchannel %2: mean |x| = %3").arg(mLayer).arg(c).arg(mMagnitudes[c], 0, 'g', 4);
    if (c < mScale.size())
        text += tr(", s = %1").arg(mScale[c], 0, 'g', 4);
    return text;
}

} // namespace lqer
