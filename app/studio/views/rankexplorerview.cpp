#include "app/studio/views/rankexplorerview.h"

#include "app/studio/document.h"
#include "app/studio/sessioncontroller.h"
#include "app/studio/sessions.h"
#include "app/studio/studiohost.h"
#include "app/studio/views/rankexplorerplots.h"
#include "core/cost/cost.h"
#include "widgets/plotview.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QTabWidget>
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
    , mCompute(new QPushButton)
    , mCandidates(new QLineEdit(QStringLiteral("bits=2,3,4,6,8;ranks=0,8,16,32,64,128")))
    , mMeasure(new QPushButton)
    , mWindowsLabel(new QLabel)
    , mWindows(new QSpinBox)
    , mSlider(new QSlider(Qt::Horizontal))
    , mBudgetLabel(new QLabel)
    , mSummary(new QLabel)
    , mApply(new QPushButton)
    , mTabs(new QTabWidget)
    , mPlot(new AllocationBarsPlot)
    , mCurvePage(new QWidget)
    , mLayerLabel(new QLabel)
    , mLayerBox(new QComboBox)
    , mCurvePlot(new LayerCurvePlot)
    , mSensitivityPage(new QWidget)
    , mSpearmanLabel(new QLabel)
    , mSensitivityPlot(new SensitivityPlot)
    , mParetoPlot(new ParetoPlot)
{
    auto *sources = new QHBoxLayout;
    sources->addWidget(mLoad);
    sources->addWidget(mCompute);
    sources->addWidget(mCandidates, 1);
    sources->addWidget(mMeasure);
    sources->addWidget(mWindowsLabel);
    sources->addWidget(mWindows);
    auto *row = new QHBoxLayout;
    row->addWidget(mBudgetLabel);
    row->addWidget(mSlider, 1);
    row->addWidget(mApply);
    auto *curveRow = new QHBoxLayout;
    curveRow->addWidget(mLayerLabel);
    curveRow->addWidget(mLayerBox, 1);
    auto *curveLayout = new QVBoxLayout(mCurvePage);
    curveLayout->setContentsMargins(0, 0, 0, 0);
    curveLayout->addLayout(curveRow);
    curveLayout->addWidget(mCurvePlot, 1);
    auto *sensitivityLayout = new QVBoxLayout(mSensitivityPage);
    sensitivityLayout->setContentsMargins(0, 0, 0, 0);
    sensitivityLayout->addWidget(mSpearmanLabel);
    sensitivityLayout->addWidget(mSensitivityPlot, 1);
    mTabs->addTab(mPlot, QString());
    mTabs->addTab(mCurvePage, QString());
    mTabs->addTab(mSensitivityPage, QString());
    mTabs->addTab(mParetoPlot, QString());
    auto *layout = new QVBoxLayout(mPage);
    layout->addLayout(sources);
    layout->addLayout(row);
    layout->addWidget(mSummary);
    layout->addWidget(mTabs, 1);
    mSummary->setWordWrap(true);
    mSpearmanLabel->setWordWrap(true);
    mWindows->setRange(1, 1000);
    mWindows->setValue(2);
    mSlider->setEnabled(false);
    mApply->setEnabled(false);
    mMeasure->setEnabled(false);
    QObject::connect(mLoad, &QPushButton::clicked, mPage, [this] { chooseCurvesFile(); });
    QObject::connect(mCompute, &QPushButton::clicked, mPage,
                     [this] { this->host().startJob(QStringLiteral("curves"), mCandidates->text()); });
    QObject::connect(mMeasure, &QPushButton::clicked, mPage, [this] {
        this->host().startJob(QStringLiteral("sensitivity"),
                              QStringLiteral("windows=%1").arg(mWindows->value()));
    });
    QObject::connect(mSlider, &QSlider::valueChanged, mPage, [this] { reallocate(); });
    QObject::connect(mApply, &QPushButton::clicked, mPage, [this] { applyToPlan(); });
    QObject::connect(mLayerBox, &QComboBox::currentIndexChanged, mPage, [this] { showLayerCurve(); });
    // Evaluations of the session become measured points of the Pareto plot as they are recorded.
    if (SessionController *sessions = host.sessionController())
        QObject::connect(sessions->manager(), &SessionManager::runRecorded, mPage,
                         [this, sessions](qint64 session, qint64 runId) {
                             if (session != sessions->currentSessionId() || !sessions->manager()->store())
                                 return;
                             if (auto run = sessions->manager()->store()->run(runId, false))
                                 addEvaluation(*run);
                         });
    retranslate();
}

PlotView *RankExplorerView::plot() const
{
    switch (mTabs->currentIndex()) {
    case 1:
        return mCurvePlot;
    case 2:
        return mSensitivityPlot;
    case 3:
        return mParetoPlot;
    default:
        return mPlot;
    }
}

void RankExplorerView::retranslate()
{
    mLoad->setText(tr("Load curves…"));
    mCompute->setText(tr("Compute curves"));
    mCompute->setToolTip(tr("Predict every layer's loss for each weight format and rank from one "
                            "decomposition per layer and format (a job; uses the loaded statistics)."));
    mCandidates->setToolTip(tr("Candidates of Compute curves: weight widths (bits=2,3,4,6,8: every format "
                               "of those widths) or formats by name (formats=mxint4_e8_b16,…), and "
                               "ranks (ranks=0,8,16,32,64,128)."));
    mMeasure->setText(tr("Measure sensitivity"));
    mMeasure->setToolTip(tr("Measure the KL divergence from FP32 of each layer quantized alone, and of "
                            "each of its ranks, on the evaluation text (a job)."));
    mWindowsLabel->setText(tr("Windows"));
    mApply->setText(tr("Apply to plan"));
    mLayerLabel->setText(tr("Layer"));
    mTabs->setTabText(0, tr("Allocation"));
    mTabs->setTabText(1, tr("Loss vs rank"));
    mTabs->setTabText(2, tr("Sensitivity"));
    mTabs->setTabText(3, tr("Pareto"));
    mSpearmanLabel->setText(spearmanText());
    updateTexts();
}

void RankExplorerView::clear()
{
    mCurves.reset();
    mRankKl.clear();
    mAllocation.reset();
    mUniform.reset();
    mSpearman.reset();
    mSweep.clear();
    mEvaluations.clear();
    mSlider->setEnabled(false);
    mApply->setEnabled(false);
    mMeasure->setEnabled(false);
    {
        const QSignalBlocker block(mLayerBox);
        mLayerBox->clear();
    }
    mPlot->show(nullptr, nullptr, nullptr);
    showLayerCurve();
    showSensitivity();
    showPareto();
    updateTexts();
}

void RankExplorerView::layerSelected(const QString &layer)
{
    const int i = mLayerBox->findText(layer);
    if (i >= 0)
        mLayerBox->setCurrentIndex(i);
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

void RankExplorerView::setCurves(const LayerCurves &curves, const QHash<QString, QList<RankKl>> &rankKl)
{
    mCurves = curves;
    mRankKl = rankKl;
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
    {
        const QSignalBlocker block(mSlider);
        mSlider->setRange(int(std::ceil(lo / weights * 100)), int(std::floor(hi / weights * 100)));
        mSlider->setValue(std::clamp(500, mSlider->minimum(), mSlider->maximum()));
        mSlider->setEnabled(true);
    }
    {
        const QSignalBlocker block(mLayerBox);
        const QString keep = mLayerBox->currentText();
        mLayerBox->clear();
        for (const LayerCurve &l : curves.layers)
            mLayerBox->addItem(l.layer);
        const QString want = host().currentLayer().isEmpty() ? keep : host().currentLayer();
        mLayerBox->setCurrentIndex(std::max(0, mLayerBox->findText(want)));
    }
    mMeasure->setEnabled(host().document() != nullptr);
    rebuildPareto();
    reallocate();
    showSensitivity();
}

Objective RankExplorerView::objective() const
{
    const bool measured = mCurves && !mCurves->layers.isEmpty()
        && std::all_of(mCurves->layers.begin(), mCurves->layers.end(),
                       [](const LayerCurve &l) { return l.measuredKl >= 0; });
    return measured ? Objective::Measured : Objective::Predicted;
}

void RankExplorerView::reallocate()
{
    if (!mCurves)
        return;
    const Budget budget {BudgetKind::Bits, mSlider->value() / 100.0};
    const Document *doc = host().document();
    QElapsedTimer timer;
    timer.start();
    auto a = allocateCurves(*mCurves, budget, objective(), doc ? doc->plan() : Plan());
    mUniform = bestUniform(*mCurves, budget, objective());
    mAllocationMs = timer.nsecsElapsed() / 1e6;
    if (a)
        mAllocation = std::move(*a);
    else
        mAllocation.reset();
    mApply->setEnabled(mAllocation.has_value() && doc);
    mPlot->show(mAllocation ? &*mAllocation : nullptr, &*mCurves, &*mUniform);
    showLayerCurve();
    showPareto();
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

void RankExplorerView::showLayerCurve()
{
    const LayerCurve *layer = nullptr;
    if (mCurves)
        for (const LayerCurve &l : mCurves->layers)
            if (l.layer == mLayerBox->currentText())
                layer = &l;
    if (!layer || layer->points.isEmpty()) {
        mCurvePlot->show(QString(), {}, QString(), {});
        return;
    }
    // The formats of the allocation (most used first), then the plan's and the reference's.
    QList<int> formats;
    if (mAllocation) {
        QHash<int, int> uses;
        for (const LayerChoice &c : mAllocation->layers)
            ++uses[int(mCurves->formats.indexOf(c.weight))];
        QList<int> used = uses.keys();
        used.removeAll(-1);
        std::sort(used.begin(), used.end(), [&](int a, int b) {
            return uses.value(a) != uses.value(b) ? uses.value(a) > uses.value(b) : a < b;
        });
        formats = used.mid(0, 3);
    }
    const int reference = layer->points.at(layer->referencePoint).format;
    QList<int> extra {reference};
    if (const Document *doc = host().document())
        extra.prepend(int(mCurves->formats.indexOf(doc->plan().forLayer(layer->layer).weight)));
    for (int f : extra)
        if (f >= 0 && !formats.contains(f))
            formats << f;
    QList<LossSeries> series;
    for (int f : formats) {
        LossSeries s;
        s.format = mCurves->formats.at(f).toString();
        QList<const CurvePoint *> points;
        for (const CurvePoint &p : layer->points)
            if (p.format == f)
                points << &p;
        std::sort(points.begin(), points.end(),
                  [](const CurvePoint *a, const CurvePoint *b) { return a->rank < b->rank; });
        for (const CurvePoint *p : points) {
            s.ranks << p->rank;
            s.loss << (layer->scaledEnergy > 0 ? p->predicted / layer->scaledEnergy : p->predicted);
        }
        series << s;
    }
    QList<MeasuredRankPoint> measured;
    for (const RankKl &k : mRankKl.value(layer->layer))
        measured << MeasuredRankPoint {double(k.rank), k.kl, k.klError};
    mCurvePlot->show(layer->layer, series, mCurves->formats.at(reference).toString(), measured);
}

QString RankExplorerView::spearmanText() const
{
    if (!mCurves)
        return tr("No curves loaded.");
    if (!mSpearman)
        return tr("Measure the sensitivity to compare the prediction with the KL divergence of each layer "
                  "alone (Spearman correlation of the two rankings).");
    return tr("Spearman correlation of the predicted sensitivity (relative residual energy) with the "
              "measured KL over %1 layers: %2")
        .arg(mSpearmanLayers)
        .arg(*mSpearman, 0, 'f', 3);
}

void RankExplorerView::showSensitivity()
{
    SensitivityBars bars;
    QList<double> predicted, measured;
    if (mCurves)
        for (const LayerCurve &l : mCurves->layers) {
            if (l.points.isEmpty())
                continue;
            const CurvePoint &ref = l.points.at(l.referencePoint);
            const double relative = l.scaledEnergy > 0 ? ref.predicted / l.scaledEnergy : 0.0;
            bars.layers << l.layer;
            bars.predicted << relative;
            bars.measured << l.measuredKl;
            bars.measuredError << l.measuredKlError;
            if (l.measuredKl >= 0) {
                predicted << relative;
                measured << l.measuredKl;
            }
        }
    mSpearmanLayers = int(measured.size());
    if (measured.size() >= 2)
        mSpearman = spearman(predicted, measured);
    else
        mSpearman.reset();
    mSpearmanLabel->setText(spearmanText());
    mSensitivityPlot->show(bars);
}

void RankExplorerView::rebuildPareto()
{
    mSweep.clear();
    if (!mCurves || mSlider->maximum() <= mSlider->minimum())
        return;
    // The allocations of 24 budgets from the cheapest to the dearest plan (a few ms each).
    const int steps = 24;
    for (int i = 0; i <= steps; ++i) {
        const double bits
            = (mSlider->minimum() + (mSlider->maximum() - mSlider->minimum()) * double(i) / steps) / 100.0;
        auto a = allocateCurves(*mCurves, Budget {BudgetKind::Bits, bits}, objective(), Plan());
        if (a && (mSweep.isEmpty() || a->averageBits > mSweep.last().first + 1e-9))
            mSweep << qMakePair(a->averageBits, a->loss);
    }
}

void RankExplorerView::showPareto()
{
    ParetoData data;
    if (mCurves) {
        QList<UniformPoint> uniform = uniformPoints(*mCurves, Budget {BudgetKind::Bits, 0}, objective());
        std::sort(uniform.begin(), uniform.end(), [](const UniformPoint &a, const UniformPoint &b) {
            return a.averageBits != b.averageBits ? a.averageBits < b.averageBits : a.loss < b.loss;
        });
        double best = std::numeric_limits<double>::infinity();
        for (const UniformPoint &u : uniform) {
            const ParetoPoint p {
                u.averageBits, u.loss, 0,
                tr("Uniform %1, k = %2").arg(mCurves->formats.at(u.format).toString()).arg(u.rank)};
            data.uniform << p;
            if (u.loss < best) {
                best = u.loss;
                data.frontier << p;
            }
        }
        for (const auto &s : mSweep)
            data.allocated << ParetoPoint {s.first, s.second, 0, tr("Allocated")};
        if (mAllocation)
            data.current << ParetoPoint {
                mAllocation->averageBits, mAllocation->loss, 0,
                tr("Allocated at %1 bits/weight").arg(mSlider->value() / 100.0, 0, 'f', 2)};
    }
    QList<LayerShape> shapes;
    if (const Document *doc = host().document())
        for (const LinearLayerInfo &l : doc->layers())
            shapes << LayerShape {l.weightName, l.inFeatures, l.outFeatures};
    else if (mCurves)
        for (const LayerCurve &l : mCurves->layers)
            shapes << LayerShape {l.layer, l.inFeatures, l.outFeatures};
    for (const RunRecord &run : mEvaluations)
        for (const PerplexityRecord &p : run.perplexities) {
            if (p.label == QLatin1String("fp32"))
                continue;
            QString label = SessionManager::runLabel(run);
            if (p.kl.measured)
                label += QLatin1Char('\n')
                    + tr("KL %1, top-1 %2 %, Δppl %3 ± %4")
                          .arg(p.kl.meanKl, 0, 'g', 4)
                          .arg(100 * p.kl.top1, 0, 'f', 1)
                          .arg(p.kl.deltaPerplexity, 0, 'f', 4)
                          .arg(p.kl.deltaPerplexityError, 0, 'f', 4);
            data.measured << ParetoPoint {modelBits(shapes, run.plan).bitsPerWeight, p.perplexity,
                                          p.perplexityError, label};
        }
    mParetoPlot->show(data);
}

void RankExplorerView::addEvaluation(const RunRecord &run)
{
    if (run.kind != QLatin1String("eval") || run.status != RunStatus::Complete)
        return;
    const bool quantized
        = std::any_of(run.perplexities.begin(), run.perplexities.end(),
                      [](const PerplexityRecord &p) { return p.label != QLatin1String("fp32"); });
    if (!quantized)
        return;
    mEvaluations.removeIf([&](const RunRecord &r) { return r.id == run.id; });
    mEvaluations << run;
    showPareto();
}

void RankExplorerView::restore(const SessionSnapshot &snapshot)
{
    clear();
    for (auto it = snapshot.runs.crbegin(); it != snapshot.runs.crend(); ++it) {
        LayerCurves curves;
        QHash<QString, QList<RankKl>> rankKl;
        if (it->status == RunStatus::Complete && curvesFromDetails(it->details, &curves, &rankKl)) {
            setCurves(curves, rankKl);
            break;
        }
    }
    for (const RunRecord &run : snapshot.runs)
        addEvaluation(run);
    showPareto();
}

QJsonObject RankExplorerView::curvesDetails(const LayerCurves &curves,
                                            const QHash<QString, QList<RankKl>> &rankKl)
{
    QJsonObject measured;
    for (auto it = rankKl.begin(); it != rankKl.end(); ++it) {
        QJsonArray points;
        for (const RankKl &k : it.value())
            points.append(QJsonArray {k.rank, k.kl, k.klError});
        measured.insert(it.key(), points);
    }
    QJsonObject o {{QStringLiteral("curves"), curves.toJson()}};
    if (!measured.isEmpty())
        o.insert(QStringLiteral("rank_kl"), measured);
    return o;
}

bool RankExplorerView::curvesFromDetails(const QJsonObject &details, LayerCurves *curves,
                                         QHash<QString, QList<RankKl>> *rankKl)
{
    if (!details.value(QStringLiteral("curves")).isObject())
        return false;
    auto c = LayerCurves::fromJson(details.value(QStringLiteral("curves")).toObject());
    if (!c)
        return false;
    *curves = std::move(*c);
    rankKl->clear();
    const QJsonObject measured = details.value(QStringLiteral("rank_kl")).toObject();
    for (auto it = measured.begin(); it != measured.end(); ++it)
        for (const QJsonValue &v : it.value().toArray()) {
            const QJsonArray a = v.toArray();
            (*rankKl)[it.key()] << RankKl {a.at(0).toInt(), a.at(1).toDouble(), a.at(2).toDouble()};
        }
    return true;
}

QJsonObject RankExplorerView::allocationDetails(const Allocation &allocation)
{
    QJsonObject o = allocation.toJson().value(QStringLiteral("allocation")).toObject();
    o.insert(QStringLiteral("lambda"), allocation.lambda);
    return o;
}

void RankExplorerView::applyToPlan()
{
    Document *doc = host().document();
    if (!doc || !mAllocation)
        return;
    doc->setPlan(mAllocation->plan,
                 tr("Apply allocation (%1 bits/weight)").arg(mAllocation->averageBits, 0, 'f', 2));
    if (SessionController *sessions = host().sessionController()) {
        RunCapture capture;
        capture.kind = QStringLiteral("allocate");
        capture.plan = mAllocation->plan;
        capture.details = allocationDetails(*mAllocation);
        sessions->recordRun(capture, true, false, QString(), mAllocationMs / 1000.0);
    }
}

} // namespace lqer
