#include "widgets/layererrorchart.h"

#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace lqer {

LayerErrorChart::LayerErrorChart(QWidget *parent)
    : PlotView(parent)
{
    // The legend sits in its own row above the axis rect: inside, it would hide the bars of
    // the last layers (every layer has a bar, there is no empty corner).
    legend->setVisible(true);
    plotLayout()->insertRow(0);
    plotLayout()->addElement(0, 0, legend);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setBorderPen(Qt::NoPen);
    legend->setBrush(Qt::NoBrush);
    legend->setMargins(QMargins(4, 2, 4, 0));
    plotLayout()->setRowStretchFactor(0, 0.001);
    xAxis->setTickLabelRotation(60);
    xAxis->grid()->setVisible(false);
    // Horizontal drag/zoom only: with 224 layers (7B) the user zooms into a range of blocks.
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    axisRect()->setRangeDrag(Qt::Horizontal);
    axisRect()->setRangeZoom(Qt::Horizontal);
    retranslate();
}

QString LayerErrorChart::shortLayerName(const QString &name)
{
    static const QRegularExpression blockRe(QStringLiteral("\\.(?:layers|h|layer)\\.(\\d+)\\."));
    const QRegularExpressionMatch m = blockRe.match(name);
    QString kind = name;
    if (kind.endsWith(QLatin1String(".weight")))
        kind.chop(7);
    kind = kind.section(QLatin1Char('.'), -1);
    kind.remove(QLatin1String("_proj"));
    if (!m.hasMatch())
        return kind;
    return QStringLiteral("L%1 %2").arg(m.captured(1), kind);
}

void LayerErrorChart::retranslate()
{
    setEmptyHint(tr("Quantize the model (Jobs > Quantize model) to compare the error of every "
                    "layer.\nClicking a bar selects its layer."));
    xAxis->setLabel(tr("Layer (model order)"));
    yAxis->setLabel(mMetricLabel.isEmpty() ? tr("Error") : mMetricLabel);
    replot();
}

void LayerErrorChart::setMetricLabel(const QString &label)
{
    mMetricLabel = label;
    retranslate();
}

void LayerErrorChart::setData(const QStringList &layers, const QList<LayerErrorSeries> &series)
{
    mLayers = layers;
    mSeries = series;
    rebuild();
}

void LayerErrorChart::setOrder(Order order)
{
    mOrder = order;
    rebuild();
}

void LayerErrorChart::setSelectedLayer(const QString &layer)
{
    if (mSelected == layer)
        return;
    mSelected = layer;
    rebuild();
}

QStringList LayerErrorChart::displayedLayers() const
{
    QStringList out;
    for (int i : mOrderIndex)
        out << mLayers[i];
    return out;
}

void LayerErrorChart::rebuild()
{
    clearPlottables();
    clearItems();
    mHighlight = nullptr;
    const int n = int(mLayers.size());
    mOrderIndex.resize(n);
    std::iota(mOrderIndex.begin(), mOrderIndex.end(), 0);
    if (mOrder == Order::Descending && !mSeries.isEmpty()) {
        const QVector<double> &key = mSeries.last().values;
        auto value = [&](int i) {
            const double v = i < key.size() ? key[i] : NAN;
            return std::isfinite(v) ? v : -1.0;
        };
        std::stable_sort(mOrderIndex.begin(), mOrderIndex.end(),
                         [&](int a, int b) { return value(a) > value(b); });
    }

    // Ticks: short names; with many layers, only every step-th label stays readable.
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    const int step = std::max(1, n / 48);
    for (int pos = 0; pos < n; pos += step)
        ticker->addTick(pos, shortLayerName(mLayers[mOrderIndex[pos]]));
    xAxis->setTicker(ticker);
    xAxis->setLabel(mOrder == Order::Model ? tr("Layer (model order)") : tr("Layer (sorted by error)"));

    const int groups = int(mSeries.size());
    auto *barsGroup = groups > 1 ? new QCPBarsGroup(this) : nullptr;
    double hi = 0;
    for (int s = 0; s < groups; ++s) {
        auto *bars = new QCPBars(xAxis, yAxis);
        bars->setName(mSeries[s].label);
        const QColor color = seriesColor(s);
        bars->setPen(QPen(color.darker(115)));
        bars->setBrush(color);
        bars->setWidth(groups > 1 ? 0.8 / groups : 0.7);
        if (barsGroup)
            bars->setBarsGroup(barsGroup);
        QVector<double> keys, values;
        for (int pos = 0; pos < n; ++pos) {
            const int i = mOrderIndex[pos];
            const double v = i < mSeries[s].values.size() ? mSeries[s].values[i] : NAN;
            if (!std::isfinite(v))
                continue;
            keys << pos;
            values << v;
            hi = std::max(hi, v);
        }
        bars->setData(keys, values, true);
    }
    const int selectedIndex = int(mLayers.indexOf(mSelected));
    if (selectedIndex >= 0 && n > 0) {
        const int pos = int(mOrderIndex.indexOf(selectedIndex));
        mHighlight = new QCPItemRect(this);
        mHighlight->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
        mHighlight->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
        mHighlight->topLeft->setCoords(pos - 0.5, 0);
        mHighlight->bottomRight->setCoords(pos + 0.5, 1);
        mHighlight->setPen(Qt::NoPen);
        mHighlight->setBrush(QColor(255, 200, 0, 70));
        mHighlight->setLayer(QStringLiteral("background"));
    }
    legend->setVisible(groups > 0 && n > 0);
    xAxis->setRange(-0.8, std::max(n, 1) - 0.2);
    yAxis->setRange(0, hi > 0 ? hi * 1.12 : 1);
    replot();
}

QString LayerErrorChart::layerAt(const QPointF &pos) const
{
    if (mLayers.isEmpty() || !axisRect()->rect().contains(pos.toPoint()))
        return {};
    const int p = int(std::lround(xAxis->pixelToCoord(pos.x())));
    if (p < 0 || p >= mOrderIndex.size())
        return {};
    return mLayers[mOrderIndex[p]];
}

QString LayerErrorChart::toolTipAt(const QPointF &pos) const
{
    const QString layer = layerAt(pos);
    if (layer.isEmpty())
        return {};
    const int i = int(mLayers.indexOf(layer));
    QStringList lines {layer};
    for (const LayerErrorSeries &s : mSeries) {
        const double v = i < s.values.size() ? s.values[i] : NAN;
        lines << QStringLiteral("%1: %2").arg(
            s.label, std::isfinite(v) ? QString::number(v, 'g', 5) : tr("not computed"));
    }
    return lines.join(QLatin1Char('\n'));
}

void LayerErrorChart::mousePressEvent(QMouseEvent *event)
{
    mPressPos = event->position();
    PlotView::mousePressEvent(event);
}

void LayerErrorChart::mouseReleaseEvent(QMouseEvent *event)
{
    PlotView::mouseReleaseEvent(event);
    // A click, not the end of a drag: select the layer under the mouse.
    if (event->button() == Qt::LeftButton && (event->position() - mPressPos).manhattanLength() < 4) {
        const QString layer = layerAt(event->position());
        if (!layer.isEmpty()) {
            setSelectedLayer(layer);
            emit layerClicked(layer);
        }
    }
}

} // namespace lqer
