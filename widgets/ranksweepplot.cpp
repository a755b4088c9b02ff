#include "widgets/ranksweepplot.h"

#include <algorithm>
#include <cmath>

namespace lqer {

RankSweepPlot::RankSweepPlot(QWidget *parent)
    : PlotView(parent)
{
    legend->setVisible(true);
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    // Ranks are powers of two in a sweep (1..256): a log2 axis spaces them evenly.
    xAxis->setScaleType(QCPAxis::stLogarithmic);
    QSharedPointer<QCPAxisTickerLog> ticker(new QCPAxisTickerLog);
    ticker->setLogBase(2);
    ticker->setSubTickCount(0);
    xAxis->setTicker(ticker);
    xAxis->setNumberFormat(QStringLiteral("f"));
    xAxis->setNumberPrecision(0);
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    retranslate();
}

void RankSweepPlot::retranslate()
{
    setEmptyHint(tr("Run a rank sweep (Jobs > Rank sweep) to plot perplexity against the rank k,\nwith FP32 "
                    "and plain quantization as reference lines."));
    xAxis->setLabel(tr("Rank k (log₂ scale)"));
    yAxis->setLabel(tr("Perplexity (lower is better)"));
    rebuild();
}

void RankSweepPlot::setSeries(const QList<RankSweepSeries> &series)
{
    mSeries = series;
    rebuild();
}

void RankSweepPlot::addPoint(const QString &label, double rank, double perplexity, double error)
{
    auto it = std::find_if(mSeries.begin(), mSeries.end(),
                           [&](const RankSweepSeries &s) { return s.label == label; });
    if (it == mSeries.end()) {
        mSeries.append(RankSweepSeries {label, {}, {}, {}});
        it = mSeries.end() - 1;
    }
    it->errors.resize(it->ranks.size());
    const auto pos = std::lower_bound(it->ranks.begin(), it->ranks.end(), rank) - it->ranks.begin();
    if (pos < it->ranks.size() && it->ranks[pos] == rank) {
        it->perplexities[pos] = perplexity;
        it->errors[pos] = error;
    } else {
        it->ranks.insert(pos, rank);
        it->perplexities.insert(pos, perplexity);
        it->errors.insert(pos, error);
    }
    rebuild();
}

void RankSweepPlot::setFp32Reference(std::optional<double> perplexity)
{
    mFp32 = perplexity;
    rebuild();
}

void RankSweepPlot::setPlainReference(std::optional<double> perplexity)
{
    mPlain = perplexity;
    rebuild();
}

void RankSweepPlot::clear()
{
    mSeries.clear();
    mFp32.reset();
    mPlain.reset();
    rebuild();
}

void RankSweepPlot::rebuild()
{
    clearPlottables(); // graphs and their error bars
    clearItems();
    double lo = 1e300, hi = 0, kmin = 1e300, kmax = 0;
    for (int s = 0; s < mSeries.size(); ++s) {
        const RankSweepSeries &series = mSeries[s];
        QCPGraph *g = addGraph();
        g->setName(series.label);
        g->setPen(QPen(seriesColor(s), 2.0));
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, seriesColor(s), Qt::white, 7));
        QVector<double> x, y, e;
        for (int i = 0; i < series.ranks.size(); ++i) {
            if (!(series.ranks[i] > 0) || !std::isfinite(series.perplexities[i]))
                continue; // k = 0 is the plain reference line, not a point on a log axis
            const double err = series.errors.value(i);
            x << series.ranks[i];
            y << series.perplexities[i];
            e << err;
            lo = std::min(lo, series.perplexities[i] - err);
            hi = std::max(hi, series.perplexities[i] + err);
            kmin = std::min(kmin, series.ranks[i]);
            kmax = std::max(kmax, series.ranks[i]);
        }
        g->setData(x, y, true);
        // ± σ of each perplexity: tells noise from effect when neighbouring ranks differ little.
        if (std::any_of(e.begin(), e.end(), [](double v) { return v > 0; })) {
            auto *bars = new QCPErrorBars(xAxis, yAxis);
            bars->removeFromLegend();
            bars->setDataPlottable(g);
            bars->setData(e);
            bars->setPen(QPen(seriesColor(s), 1.2));
            bars->setWhiskerWidth(6);
        }
    }
    auto addReference = [&](double value, const QString &label, const QColor &color) {
        // A legend entry needs a plottable: a two-point graph spanning the axis does both.
        QCPGraph *g = addGraph();
        g->setName(label);
        g->setPen(QPen(color, 1.5, Qt::DashLine));
        g->setData(QVector<double> {1e-3, 1e6}, QVector<double> {value, value}, true);
        lo = std::min(lo, value);
        hi = std::max(hi, value);
    };
    if (mFp32)
        addReference(*mFp32, tr("FP32 (%1)").arg(*mFp32, 0, 'f', 3), QColor(40, 40, 40));
    if (mPlain)
        addReference(*mPlain, tr("Plain, k = 0 (%1)").arg(*mPlain, 0, 'f', 3), QColor(200, 40, 40));
    legend->setVisible(graphCount() > 0);
    if (kmax > 0)
        xAxis->setRange(kmin / 1.5, kmax * 1.5);
    else
        xAxis->setRange(1, 256);
    if (hi > 0) {
        const double pad = std::max(0.02 * hi, (hi - lo) * 0.12);
        yAxis->setRange(lo - pad, hi + pad);
    } else {
        yAxis->setRange(0, 1);
    }
    replot();
}

QString RankSweepPlot::toolTipAt(const QPointF &pos) const
{
    if (mSeries.isEmpty() || !axisRect()->rect().contains(pos.toPoint()))
        return {};
    // The nearest point (in pixels) over all series.
    double best = 20.0 * 20.0;
    QString text;
    for (int s = 0; s < mSeries.size(); ++s) {
        const RankSweepSeries &series = mSeries[s];
        for (int i = 0; i < series.ranks.size(); ++i) {
            if (!(series.ranks[i] > 0))
                continue;
            const double dx = xAxis->coordToPixel(series.ranks[i]) - pos.x();
            const double dy = yAxis->coordToPixel(series.perplexities[i]) - pos.y();
            if (dx * dx + dy * dy < best) {
                best = dx * dx + dy * dy;
                text = tr("%1, k = %2\nperplexity %3")
                           .arg(series.label)
                           .arg(series.ranks[i])
                           .arg(series.perplexities[i], 0, 'f', 3);
                if (series.errors.value(i) > 0)
                    text += QStringLiteral(" ± %1").arg(series.errors.value(i), 0, 'f', 3);
                if (mFp32)
                    text += tr("\n+%1 vs FP32").arg(series.perplexities[i] - *mFp32, 0, 'f', 3);
            }
        }
    }
    return text;
}

} // namespace lqer
