#include "app/studio/views/rankexplorerplots.h"

#include "app/studio/views/rankexplorerview.h"

#include <algorithm>
#include <cmath>

namespace lqer {

namespace {

// The (x, y) range of points, padded; for a logarithmic y the padding is a factor.
void fitRange(QCPAxis *x, QCPAxis *y, const QVector<double> &xs, const QVector<double> &ys, bool logY)
{
    if (xs.isEmpty())
        return;
    const auto [xlo, xhi] = std::minmax_element(xs.begin(), xs.end());
    const double xpad = std::max(0.05, 0.05 * (*xhi - *xlo));
    x->setRange(*xlo - xpad, *xhi + xpad);
    QVector<double> pos;
    for (double v : ys)
        if (!logY || v > 0)
            pos << v;
    if (pos.isEmpty())
        return;
    const auto [ylo, yhi] = std::minmax_element(pos.begin(), pos.end());
    if (logY)
        y->setRange(*ylo / 1.5, *yhi * 1.5);
    else {
        const double pad = std::max(1e-9, 0.08 * (*yhi - *ylo));
        y->setRange(*ylo - pad, *yhi + pad);
    }
}

void setLogarithmic(QCPAxis *axis)
{
    axis->setScaleType(QCPAxis::stLogarithmic);
    axis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    axis->setNumberFormat(QStringLiteral("eb"));
    axis->setNumberPrecision(0);
}

QCPGraph *addPoints(QCustomPlot *plot, QCPAxis *x, QCPAxis *y, const QList<ParetoPoint> &points,
                    const QColor &color, QCPScatterStyle::ScatterShape shape, double size, bool line)
{
    QCPGraph *g = plot->addGraph(x, y);
    QVector<double> xs, ys;
    for (const ParetoPoint &p : points) {
        xs << p.bits;
        ys << p.value;
    }
    g->setData(xs, ys, !line);
    g->setPen(line ? QPen(color, 2.0) : QPen(color));
    g->setLineStyle(line ? QCPGraph::lsLine : QCPGraph::lsNone);
    g->setScatterStyle(QCPScatterStyle(shape, color, line ? color : QColor(Qt::transparent), size));
    return g;
}

// The nearest point of `points` (in pixels of the two axes) within 8 px, or null.
const ParetoPoint *nearest(const QList<ParetoPoint> &points, QCPAxis *x, QCPAxis *y, const QPointF &pos,
                           double *best)
{
    const ParetoPoint *hit = nullptr;
    for (const ParetoPoint &p : points) {
        const double d = std::hypot(x->coordToPixel(p.bits) - pos.x(), y->coordToPixel(p.value) - pos.y());
        if (d < *best) {
            *best = d;
            hit = &p;
        }
    }
    return hit;
}

} // namespace

// ---- loss versus rank -------------------------------------------------------------------

LayerCurvePlot::LayerCurvePlot()
{
    legend->setVisible(true);
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    setLogarithmic(yAxis);
    retranslate();
}

void LayerCurvePlot::show(const QString &layer, const QList<LossSeries> &series,
                          const QString &measuredFormat, const QList<MeasuredRankPoint> &measured)
{
    clearPlottables();
    mLayer = layer;
    mSeries = series;
    mMeasured = measured;
    QVector<double> allX, allY;
    for (int s = 0; s < series.size(); ++s) {
        QCPGraph *g = addGraph();
        g->setName(series[s].format);
        g->setPen(QPen(seriesColor(s), 2.0));
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 6));
        g->setData(series[s].ranks, series[s].loss, true);
        allX += series[s].ranks;
        allY += series[s].loss;
    }
    yAxis2->setVisible(!measured.isEmpty());
    if (!measured.isEmpty()) {
        QCPGraph *g = addGraph(xAxis, yAxis2);
        g->setName(RankExplorerView::tr("Measured KL, %1 (right axis)").arg(measuredFormat));
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, Qt::black, Qt::black, 8));
        QVector<double> x, y, e;
        for (const MeasuredRankPoint &p : measured) {
            x << p.rank;
            y << p.kl;
            e << p.error;
        }
        g->setData(x, y, true);
        auto *bars = new QCPErrorBars(xAxis, yAxis2);
        bars->removeFromLegend();
        bars->setDataPlottable(g);
        bars->setData(e);
        const auto [lo, hi] = std::minmax_element(y.begin(), y.end());
        const double pad = std::max(1e-6, 0.1 * (*hi - *lo));
        yAxis2->setRange(std::max(0.0, *lo - pad), *hi + pad);
        allX += x;
    }
    fitRange(xAxis, yAxis, allX, allY, true);
    retranslate();
    replot();
}

QString LayerCurvePlot::toolTipAt(const QPointF &pos) const
{
    double best = 8;
    QString text;
    for (const LossSeries &s : mSeries)
        for (int i = 0; i < s.ranks.size(); ++i) {
            const double d = std::hypot(xAxis->coordToPixel(s.ranks[i]) - pos.x(),
                                        yAxis->coordToPixel(s.loss[i]) - pos.y());
            if (d < best) {
                best = d;
                text = RankExplorerView::tr("%1, k = %2: predicted %3 of ‖W S‖²")
                           .arg(s.format)
                           .arg(s.ranks[i])
                           .arg(s.loss[i], 0, 'g', 4);
            }
        }
    for (const MeasuredRankPoint &p : mMeasured) {
        const double d
            = std::hypot(xAxis->coordToPixel(p.rank) - pos.x(), yAxis2->coordToPixel(p.kl) - pos.y());
        if (d < best) {
            best = d;
            text = RankExplorerView::tr("k = %1: measured KL %2 ± %3")
                       .arg(p.rank)
                       .arg(p.kl, 0, 'g', 4)
                       .arg(p.error, 0, 'g', 2);
        }
    }
    return text;
}

void LayerCurvePlot::retranslate()
{
    setEmptyHint(RankExplorerView::tr("Compute or load the curves, then pick a layer."));
    xAxis->setLabel(mLayer.isEmpty() ? RankExplorerView::tr("Rank k")
                                     : RankExplorerView::tr("Rank k of %1").arg(mLayer));
    yAxis->setLabel(RankExplorerView::tr("Predicted loss / ‖W S‖²"));
    yAxis2->setLabel(RankExplorerView::tr("Measured KL from FP32 (nats)"));
}

// ---- sensitivity ------------------------------------------------------------------------

SensitivityPlot::SensitivityPlot()
{
    legend->setVisible(true);
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    retranslate();
}

void SensitivityPlot::show(const SensitivityBars &bars)
{
    clearPlottables();
    mBars = bars;
    QVector<double> x, xm, ym, em;
    for (int i = 0; i < bars.layers.size(); ++i) {
        x << i - 0.2;
        if (bars.measured.value(i) >= 0) {
            xm << i + 0.2;
            ym << bars.measured[i];
            em << bars.measuredError.value(i);
        }
    }
    auto *predicted = new QCPBars(xAxis, yAxis);
    predicted->setName(RankExplorerView::tr("Predicted: residual energy / ‖W S‖² (left axis)"));
    predicted->setBrush(seriesColor(0));
    predicted->setPen(Qt::NoPen);
    predicted->setWidth(0.4);
    predicted->setData(x, bars.predicted, true);
    const double top
        = bars.predicted.isEmpty() ? 1 : *std::max_element(bars.predicted.begin(), bars.predicted.end());
    yAxis->setRange(0, top * 1.25 + 1e-12);
    yAxis2->setVisible(!xm.isEmpty());
    if (!xm.isEmpty()) {
        auto *measured = new QCPBars(xAxis, yAxis2);
        measured->setName(RankExplorerView::tr("Measured: KL from FP32, layer alone (right axis)"));
        measured->setBrush(seriesColor(1));
        measured->setPen(Qt::NoPen);
        measured->setWidth(0.4);
        measured->setData(xm, ym, true);
        auto *err = new QCPErrorBars(xAxis, yAxis2);
        err->removeFromLegend();
        err->setDataPlottable(measured);
        err->setData(em);
        const double mtop = *std::max_element(ym.begin(), ym.end());
        yAxis2->setRange(0, mtop * 1.25 + 1e-12);
    }
    xAxis->setRange(-1, double(bars.layers.size()));
    replot();
}

QString SensitivityPlot::toolTipAt(const QPointF &pos) const
{
    if (mBars.layers.isEmpty() || !axisRect()->rect().contains(pos.toPoint()))
        return {};
    const int i = int(std::lround(xAxis->pixelToCoord(pos.x())));
    if (i < 0 || i >= mBars.layers.size())
        return {};
    QString text = RankExplorerView::tr("%1\npredicted %2 of ‖W S‖²")
                       .arg(mBars.layers[i])
                       .arg(mBars.predicted[i], 0, 'g', 4);
    if (mBars.measured.value(i) >= 0)
        text += QLatin1Char('\n')
            + RankExplorerView::tr("measured KL %1 ± %2")
                  .arg(mBars.measured[i], 0, 'g', 4)
                  .arg(mBars.measuredError.value(i), 0, 'g', 2);
    return text;
}

void SensitivityPlot::retranslate()
{
    setEmptyHint(
        RankExplorerView::tr("Compute or load the curves; Measure sensitivity adds the measured KL."));
    xAxis->setLabel(RankExplorerView::tr("Layer (model order)"));
    yAxis->setLabel(RankExplorerView::tr("Predicted (relative)"));
    yAxis2->setLabel(RankExplorerView::tr("Measured KL (nats)"));
}

// ---- Pareto -----------------------------------------------------------------------------

ParetoPlot::ParetoPlot()
{
    legend->setVisible(true);
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    setLogarithmic(yAxis);
    retranslate();
}

void ParetoPlot::show(const ParetoData &data)
{
    clearPlottables();
    mData = data;
    addPoints(this, xAxis, yAxis, data.uniform, QColor(150, 150, 150), QCPScatterStyle::ssCircle, 5, false)
        ->setName(RankExplorerView::tr("Uniform plans"));
    addPoints(this, xAxis, yAxis, data.frontier, seriesColor(1), QCPScatterStyle::ssCircle, 6, true)
        ->setName(RankExplorerView::tr("Uniform frontier"));
    addPoints(this, xAxis, yAxis, data.allocated, seriesColor(0), QCPScatterStyle::ssSquare, 5, true)
        ->setName(RankExplorerView::tr("Allocated (budget sweep)"));
    if (!data.current.isEmpty())
        addPoints(this, xAxis, yAxis, data.current, Qt::black, QCPScatterStyle::ssStar, 12, false)
            ->setName(RankExplorerView::tr("Slider's allocation"));
    QVector<double> xs, ys;
    for (const QList<ParetoPoint> *list : {&data.uniform, &data.allocated})
        for (const ParetoPoint &p : *list) {
            xs << p.bits;
            ys << p.value;
        }
    yAxis2->setVisible(!data.measured.isEmpty());
    if (!data.measured.isEmpty()) {
        QCPGraph *g = addPoints(this, xAxis, yAxis2, data.measured, seriesColor(2),
                                QCPScatterStyle::ssDiamond, 9, false);
        g->setName(RankExplorerView::tr("Evaluated plans: perplexity ± σ (right axis)"));
        QVector<double> e, my;
        for (const ParetoPoint &p : data.measured) {
            e << p.error;
            my << p.value - p.error << p.value + p.error;
            xs << p.bits;
        }
        auto *bars = new QCPErrorBars(xAxis, yAxis2);
        bars->removeFromLegend();
        bars->setDataPlottable(g);
        bars->setData(e);
        bars->setPen(QPen(seriesColor(2), 1.2));
        bars->setWhiskerWidth(6);
        const auto [lo, hi] = std::minmax_element(my.begin(), my.end());
        const double pad = std::max(1e-3, 0.1 * (*hi - *lo));
        yAxis2->setRange(*lo - pad, *hi + pad);
    }
    fitRange(xAxis, yAxis, xs, ys, true);
    replot();
}

QString ParetoPlot::toolTipAt(const QPointF &pos) const
{
    double best = 8;
    const ParetoPoint *hit = nullptr;
    bool measured = false;
    for (const QList<ParetoPoint> *list : {&mData.uniform, &mData.allocated, &mData.current})
        if (const ParetoPoint *p = nearest(*list, xAxis, yAxis, pos, &best))
            hit = p;
    if (const ParetoPoint *p = nearest(mData.measured, xAxis, yAxis2, pos, &best)) {
        hit = p;
        measured = true;
    }
    if (!hit)
        return {};
    if (measured)
        return RankExplorerView::tr("%1\n%2 bits/weight, perplexity %3 ± %4")
            .arg(hit->label)
            .arg(hit->bits, 0, 'f', 3)
            .arg(hit->value, 0, 'f', 3)
            .arg(hit->error, 0, 'f', 3);
    return RankExplorerView::tr("%1\n%2 bits/weight, predicted loss %3")
        .arg(hit->label)
        .arg(hit->bits, 0, 'f', 3)
        .arg(hit->value, 0, 'g', 4);
}

void ParetoPlot::retranslate()
{
    setEmptyHint(RankExplorerView::tr("Compute or load the curves to compare uniform and allocated plans."));
    xAxis->setLabel(RankExplorerView::tr("Average bits per weight"));
    yAxis->setLabel(RankExplorerView::tr("Predicted loss (sum over layers)"));
    yAxis2->setLabel(RankExplorerView::tr("Perplexity"));
}

} // namespace lqer
