#include "app/studio/views/layererrorview.h"

#include "app/studio/document.h"
#include "app/studio/studiohost.h"
#include "widgets/layererrorchart.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace lqer {

LayerErrorView::LayerErrorView(StudioHost &host)
    : AnalysisView(host)
    , mPage(new QWidget)
    , mChart(new LayerErrorChart)
    , mSortButton(new QToolButton)
    , mMetricBox(new QComboBox)
{
    mSortButton->setCheckable(true);
    mMetricBox->addItems({QString(), QString()});
    auto *chartBar = new QHBoxLayout;
    chartBar->addWidget(mMetricBox);
    chartBar->addWidget(mSortButton);
    chartBar->addStretch(1);
    auto *chartLayout = new QVBoxLayout(mPage);
    chartLayout->setContentsMargins(4, 4, 4, 4);
    chartLayout->addLayout(chartBar);
    chartLayout->addWidget(mChart, 1);
    QObject::connect(mSortButton, &QToolButton::toggled, mChart, [this](bool on) {
        mChart->setOrder(on ? LayerErrorChart::Order::Descending : LayerErrorChart::Order::Model);
    });
    QObject::connect(mMetricBox, &QComboBox::currentIndexChanged, mChart, [this] { refresh(); });
    QObject::connect(mChart, &LayerErrorChart::layerClicked, mChart,
                     [this](const QString &layer) { this->host().selectLayer(layer); });
}

PlotView *LayerErrorView::plot() const
{
    return mChart;
}

void LayerErrorView::retranslate()
{
    mSortButton->setText(tr("Sort by error"));
    mMetricBox->setItemText(0, tr("Mean absolute error eₐ"));
    mMetricBox->setItemText(1, tr("Relative error ‖E−Ẽ‖/‖W‖"));
}

void LayerErrorView::layerSelected(const QString &layer)
{
    mChart->setSelectedLayer(layer);
}

void LayerErrorView::refresh()
{
    const Document *doc = host().document();
    if (!doc) {
        mChart->clear();
        return;
    }
    const bool relative = mMetricBox->currentIndex() == 1;
    mChart->setMetricLabel(relative ? tr("Relative error ‖E−Ẽ‖_F / ‖W‖_F") : tr("Mean absolute error eₐ"));
    QStringList names;
    LayerErrorSeries plain {tr("Wq only (plain)"), {}};
    LayerErrorSeries after {tr("Wq + AB"), {}};
    QString methods;
    for (const LinearLayerInfo &l : doc->layers()) {
        const LayerResult *r = doc->result(l.weightName);
        if (!r)
            continue;
        names << l.weightName;
        const LayerMetrics &m = r->metrics;
        plain.values << (relative ? (m.weightFrob > 0 ? m.quantFrobError / m.weightFrob : NAN)
                                  : m.plainMeanAbsError);
        after.values << (relative ? m.relError : m.meanAbsError);
        if (methods.isEmpty())
            methods = methodDisplayName(r->method);
    }
    if (!methods.isEmpty())
        after.label = tr("Wq + AB (%1)").arg(methods);
    mChart->setData(names,
                    names.isEmpty() ? QList<LayerErrorSeries>() : QList<LayerErrorSeries> {plain, after});
    const QString current = host().currentLayer();
    if (!current.isEmpty())
        mChart->setSelectedLayer(current);
}

} // namespace lqer
