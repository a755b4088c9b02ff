#include "app/studio/views/rankexplorerview.h"

#include "app/studio/document.h"
#include "app/studio/studiohost.h"
#include "widgets/plotview.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QVBoxLayout>

#include <algorithm>

namespace lqer {

// Bits per weight of each layer: the allocation as bars, the best uniform plan as a line.
class AllocationBarsPlot : public PlotView
{
public:
    AllocationBarsPlot()
    {
        legend->setVisible(true);
        axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
        retranslate();
    }

    void show(const Allocation *allocation, const LayerCurves *curves, const UniformPoint *uniform)
    {
        clearPlottables();
        mLayers.clear();
        mBits.clear();
        mRanks.clear();
        if (allocation) {
            QVector<double> x, y;
            for (int i = 0; i < allocation->layers.size(); ++i) {
                const LayerChoice &c = allocation->layers.at(i);
                x << i;
                y << c.bitsPerWeight;
                mLayers << c.layer;
                mBits << c.bitsPerWeight;
                mRanks << QStringLiteral("%1, k = %2").arg(c.weight.toString()).arg(c.rank);
            }
            auto *bars = new QCPBars(xAxis, yAxis);
            bars->setName(
                RankExplorerView::tr("Allocated (%1 bits/weight)").arg(allocation->averageBits, 0, 'f', 3));
            bars->setBrush(seriesColor(0));
            bars->setPen(Qt::NoPen);
            bars->setWidth(0.8);
            bars->setData(x, y, true);
            if (uniform && curves && uniform->format >= 0) {
                QCPGraph *g = addGraph();
                g->setName(RankExplorerView::tr("Best uniform: %1, k = %2 (%3 bits/weight)")
                               .arg(curves->formats.at(uniform->format).toString())
                               .arg(uniform->rank)
                               .arg(uniform->averageBits, 0, 'f', 3));
                g->setPen(QPen(seriesColor(1), 2.0));
                g->setLineStyle(QCPGraph::lsStepCenter);
                QVector<double> uy;
                for (const LayerCurve &l : curves->layers) {
                    const CurvePoint *p
                        = l.find(uniform->format,
                                 std::min<int>(uniform->rank, int(std::min(l.inFeatures, l.outFeatures))));
                    uy << (p ? p->bitsPerWeight : 0.0);
                }
                g->setData(x, uy, true);
            }
            xAxis->setRange(-1, double(x.size()));
            const double top = y.isEmpty() ? 8 : *std::max_element(y.begin(), y.end());
            yAxis->setRange(0, top * 1.25 + 0.5);
        }
        replot();
    }

    bool hasData() const override { return !mLayers.isEmpty(); }

    QString toolTipAt(const QPointF &pos) const override
    {
        if (mLayers.isEmpty() || !axisRect()->rect().contains(pos.toPoint()))
            return {};
        const int i = int(std::lround(xAxis->pixelToCoord(pos.x())));
        if (i < 0 || i >= mLayers.size())
            return {};
        return RankExplorerView::tr("%1\n%2, %3 bits/weight")
            .arg(mLayers.at(i), mRanks.at(i))
            .arg(mBits.at(i), 0, 'f', 3);
    }

protected:
    void retranslate() override
    {
        setEmptyHint(
            RankExplorerView::tr("Load the per-layer curves of this model (lqer allocate MODEL --calib "
                                 "FILE --save-curves curves.json)\nto allocate weight format and rank "
                                 "per layer under a bit budget."));
        xAxis->setLabel(RankExplorerView::tr("Layer (model order)"));
        yAxis->setLabel(RankExplorerView::tr("Bits per weight"));
    }

private:
    QStringList mLayers, mRanks;
    QList<double> mBits;
};

RankExplorerView::RankExplorerView(StudioHost &host)
    : AnalysisView(host)
    , mPage(new QWidget)
    , mLoad(new QPushButton)
    , mSlider(new QSlider(Qt::Horizontal))
    , mBudgetLabel(new QLabel)
    , mSummary(new QLabel)
    , mApply(new QPushButton)
    , mPlot(new AllocationBarsPlot)
{
    auto *row = new QHBoxLayout;
    row->addWidget(mLoad);
    row->addWidget(mBudgetLabel);
    row->addWidget(mSlider, 1);
    row->addWidget(mApply);
    auto *layout = new QVBoxLayout(mPage);
    layout->addLayout(row);
    layout->addWidget(mSummary);
    layout->addWidget(mPlot, 1);
    mSummary->setWordWrap(true);
    mSlider->setEnabled(false);
    mApply->setEnabled(false);
    QObject::connect(mLoad, &QPushButton::clicked, mPage, [this] { chooseCurvesFile(); });
    QObject::connect(mSlider, &QSlider::valueChanged, mPage, [this] { reallocate(); });
    QObject::connect(mApply, &QPushButton::clicked, mPage, [this] { applyToPlan(); });
    retranslate();
}

PlotView *RankExplorerView::plot() const
{
    return mPlot;
}

void RankExplorerView::retranslate()
{
    mLoad->setText(tr("Load curves…"));
    mApply->setText(tr("Apply to plan"));
    updateTexts();
}

void RankExplorerView::clear()
{
    mCurves.reset();
    mAllocation.reset();
    mUniform.reset();
    mSlider->setEnabled(false);
    mApply->setEnabled(false);
    mPlot->show(nullptr, nullptr, nullptr);
    updateTexts();
}

void RankExplorerView::chooseCurvesFile()
{
    if (host().quietErrors())
        return;
    const QString path = QFileDialog::getOpenFileName(host().hostWidget(), tr("Load per-layer curves"),
                                                      QString(), tr("Curves (*.json)"));
    if (path.isEmpty())
        return;
    if (Status s = loadCurves(path); !s)
        host().showError(
            tr("Load curves"), s.error(),
            tr("Save them for this model with lqer allocate MODEL --calib FILE --save-curves FILE."));
}

Status RankExplorerView::loadCurves(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("%1: %2").arg(path, f.errorString()));
    auto c = LayerCurves::fromJson(QJsonDocument::fromJson(f.readAll()).object());
    if (!c)
        return makeError(QStringLiteral("%1: %2").arg(path, c.error()));
    if (const Document *doc = host().document()) {
        const QStringList names = doc->layerNames();
        for (const LayerCurve &l : c->layers)
            if (!names.contains(l.layer))
                return makeError(tr("%1: layer %2 is not a layer of the open model").arg(path, l.layer));
    }
    setCurves(*c);
    return Status::success();
}

void RankExplorerView::setCurves(const LayerCurves &curves)
{
    mCurves = curves;
    // The slider spans the cheapest to the dearest plan, in hundredths of a bit.
    double lo = 0, hi = 0;
    for (const LayerCurve &l : curves.layers) {
        double a = 1e300, b = 0;
        for (const CurvePoint &p : l.points) {
            a = std::min(a, p.bitsPerWeight);
            b = std::max(b, p.bitsPerWeight);
        }
        const double w = double(l.inFeatures) * double(l.outFeatures);
        lo += a * w;
        hi += b * w;
    }
    const double weights = double(std::max<qint64>(1, curves.weights()));
    const QSignalBlocker block(mSlider);
    mSlider->setRange(int(std::ceil(lo / weights * 100)), int(std::floor(hi / weights * 100)));
    mSlider->setValue(std::clamp(500, mSlider->minimum(), mSlider->maximum()));
    mSlider->setEnabled(true);
    reallocate();
}

void RankExplorerView::reallocate()
{
    if (!mCurves)
        return;
    const Budget budget {BudgetKind::Bits, mSlider->value() / 100.0};
    const bool measured = std::all_of(mCurves->layers.begin(), mCurves->layers.end(),
                                      [](const LayerCurve &l) { return l.measuredKl >= 0; });
    const Objective objective = measured ? Objective::Measured : Objective::Predicted;
    const Document *doc = host().document();
    QElapsedTimer timer;
    timer.start();
    auto a = allocateCurves(*mCurves, budget, objective, doc ? doc->plan() : Plan());
    mUniform = bestUniform(*mCurves, budget, objective);
    mAllocationMs = timer.nsecsElapsed() / 1e6;
    if (a)
        mAllocation = std::move(*a);
    else
        mAllocation.reset();
    mApply->setEnabled(mAllocation.has_value() && doc);
    mPlot->show(mAllocation ? &*mAllocation : nullptr, &*mCurves, &*mUniform);
    updateTexts();
}

void RankExplorerView::updateTexts()
{
    if (!mCurves) {
        mBudgetLabel->setText(tr("Budget"));
        mSummary->setText(tr("No curves loaded."));
        return;
    }
    mBudgetLabel->setText(tr("Budget %1 bits/weight").arg(mSlider->value() / 100.0, 0, 'f', 2));
    if (!mAllocation) {
        mSummary->setText(tr("No plan fits this budget."));
        return;
    }
    const bool measured = mAllocation->objective == Objective::Measured;
    QString text = tr("Allocated: %1 bits/weight, predicted loss %2 (%3); re-allocated in %4 ms.")
                       .arg(mAllocation->averageBits, 0, 'f', 3)
                       .arg(mAllocation->loss, 0, 'g', 4)
                       .arg(measured ? tr("KL, scaled by each layer's measured sensitivity")
                                     : tr("scaled residual energy"))
                       .arg(mAllocationMs, 0, 'f', 1);
    if (mUniform && mUniform->format >= 0)
        text += QLatin1Char(' ')
            + tr("Best uniform plan: %1, k = %2, %3 bits/weight, predicted loss %4.")
                  .arg(mCurves->formats.at(mUniform->format).toString())
                  .arg(mUniform->rank)
                  .arg(mUniform->averageBits, 0, 'f', 3)
                  .arg(mUniform->loss, 0, 'g', 4);
    mSummary->setText(text);
}

void RankExplorerView::applyToPlan()
{
    Document *doc = host().document();
    if (!doc || !mAllocation)
        return;
    doc->setPlan(mAllocation->plan,
                 tr("Apply allocation (%1 bits/weight)").arg(mAllocation->averageBits, 0, 'f', 2));
}

} // namespace lqer
