#include "widgets/runcomparison.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace lqer {

namespace {

QTableWidgetItem *numberItem(double v, int precision = 5)
{
    auto *item
        = new QTableWidgetItem(std::isfinite(v) ? QString::number(v, 'g', precision) : QStringLiteral("—"));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    // Sort numerically (the display text would sort as strings).
    item->setData(Qt::UserRole, std::isfinite(v) ? v : -1e300);
    return item;
}

QTableWidgetItem *textItem(const QString &text)
{
    return new QTableWidgetItem(text);
}

} // namespace

RunComparisonView::RunComparisonView(QWidget *parent)
    : QWidget(parent)
{
    mTitle = new QLabel;
    mTitle->setTextFormat(Qt::RichText);
    mTitle->setWordWrap(true);
    mNotes = new QLabel;
    mNotes->setWordWrap(true);
    mNotes->setStyleSheet(QStringLiteral("color: #555;"));
    mMetricLabel = new QLabel;
    mMetricBox = new QComboBox;
    mMetricLabel->setBuddy(mMetricBox);
    connect(mMetricBox, &QComboBox::currentIndexChanged, this, [this](int i) {
        if (i >= 0 && i != mMetric)
            setMetric(i);
    });

    mChart = new LayerErrorChart;
    connect(mChart, &LayerErrorChart::layerClicked, this, &RunComparisonView::layerClicked);

    mLayerTable = new QTableWidget(0, 5);
    mLayerTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    mLayerTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    mLayerTable->verticalHeader()->hide();
    mLayerTable->verticalHeader()->setDefaultSectionSize(22);
    mLayerTable->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    mLayerTable->setAlternatingRowColors(true);
    connect(mLayerTable, &QTableWidget::currentCellChanged, this, [this](int row) {
        if (row >= 0 && mLayerTable->item(row, 0))
            emit layerClicked(mLayerTable->item(row, 0)->data(Qt::UserRole).toString());
    });

    mPplTable = new QTableWidget(0, 4);
    mPplTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    mPplTable->verticalHeader()->hide();
    mPplTable->verticalHeader()->setDefaultSectionSize(22);
    mPplTable->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);

    auto *tables = new QSplitter(Qt::Horizontal);
    tables->addWidget(mLayerTable);
    tables->addWidget(mPplTable);
    tables->setStretchFactor(0, 3);
    tables->setStretchFactor(1, 2);

    mSplitter = new QSplitter(Qt::Vertical);
    mSplitter->addWidget(mChart);
    mSplitter->addWidget(tables);
    mSplitter->setStretchFactor(0, 3);
    mSplitter->setStretchFactor(1, 2);

    auto *bar = new QHBoxLayout;
    bar->addWidget(mTitle, 1);
    bar->addWidget(mMetricLabel);
    bar->addWidget(mMetricBox);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(mNotes);
    layout->addWidget(mSplitter, 1);
    retranslate();
    rebuild();
}

void RunComparisonView::setComparison(const RunComparison &comparison)
{
    mData = comparison;
    mMetric = mData.metrics.isEmpty() ? 0 : std::clamp(mMetric, 0, int(mData.metrics.size()) - 1);
    {
        const QSignalBlocker block(mMetricBox);
        mMetricBox->clear();
        for (const RunComparisonMetric &m : mData.metrics)
            mMetricBox->addItem(m.label);
        mMetricBox->setCurrentIndex(mMetric);
    }
    rebuild();
}

void RunComparisonView::clear()
{
    setComparison(RunComparison());
}

void RunComparisonView::setMetric(int index)
{
    if (index < 0 || index >= mData.metrics.size())
        return;
    mMetric = index;
    {
        const QSignalBlocker block(mMetricBox);
        mMetricBox->setCurrentIndex(index);
    }
    rebuild();
}

void RunComparisonView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void RunComparisonView::retranslate()
{
    mMetricLabel->setText(tr("&Metric:"));
    mLayerTable->setHorizontalHeaderLabels({tr("Layer"), tr("Run A"), tr("Run B"), tr("B − A"), tr("B / A")});
    mPplTable->setHorizontalHeaderLabels({tr("Perplexity"), tr("Run A"), tr("Run B"), tr("B − A")});
    rebuild();
}

void RunComparisonView::rebuild()
{
    if (!hasData()) {
        mTitle->setText(tr("Select two runs in the Sessions panel and press Compare."));
        mNotes->hide();
        mChart->clear();
        mLayerTable->setRowCount(0);
        mPplTable->setRowCount(0);
        return;
    }
    mTitle->setText(tr("<b>A</b>: %1 &nbsp;&nbsp; <b>B</b>: %2")
                        .arg(mData.labelA.toHtmlEscaped(), mData.labelB.toHtmlEscaped()));
    mNotes->setText(mData.notes.join(QLatin1Char('\n')));
    mNotes->setVisible(!mData.notes.isEmpty());

    const RunComparisonMetric metric = mData.metrics.value(mMetric);
    mChart->setMetricLabel(metric.label);
    QList<LayerErrorSeries> series;
    if (!mData.layers.isEmpty())
        series = {LayerErrorSeries {QStringLiteral("A: %1").arg(mData.labelA), metric.a},
                  LayerErrorSeries {QStringLiteral("B: %1").arg(mData.labelB), metric.b}};
    mChart->setData(mData.layers, series);

    mLayerTable->setSortingEnabled(false);
    mLayerTable->setRowCount(int(mData.layers.size()));
    for (int i = 0; i < mData.layers.size(); ++i) {
        const double a = metric.a.value(i, NAN), b = metric.b.value(i, NAN);
        auto *name = textItem(LayerErrorChart::shortLayerName(mData.layers[i]));
        name->setData(Qt::UserRole, mData.layers[i]);
        name->setToolTip(mData.layers[i]);
        mLayerTable->setItem(i, 0, name);
        mLayerTable->setItem(i, 1, numberItem(a));
        mLayerTable->setItem(i, 2, numberItem(b));
        mLayerTable->setItem(i, 3, numberItem(b - a, 3));
        auto *ratio = numberItem(a > 0 ? b / a : NAN, 4);
        if (std::isfinite(a) && std::isfinite(b) && a > 0)
            ratio->setForeground(b < a ? QColor(0, 120, 60) : (b > a ? QColor(190, 50, 20) : QColor()));
        mLayerTable->setItem(i, 4, ratio);
    }
    mLayerTable->resizeColumnsToContents();
    mLayerTable->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);

    mPplTable->clearSpans();
    if (mData.perplexities.isEmpty()) {
        mPplTable->setRowCount(1);
        auto *none
            = textItem(tr("No perplexity evaluated for these plans yet (Jobs > Evaluate perplexity)."));
        none->setForeground(QColor(110, 110, 110));
        mPplTable->setItem(0, 0, none);
        mPplTable->setSpan(0, 0, 1, 4);
    } else {
        mPplTable->setRowCount(int(mData.perplexities.size()));
    }
    for (int i = 0; i < mData.perplexities.size(); ++i) {
        const ComparedPerplexity &p = mData.perplexities[i];
        const double a = p.a.value_or(NAN), b = p.b.value_or(NAN);
        mPplTable->setItem(i, 0, textItem(p.label));
        mPplTable->setItem(i, 1, numberItem(a, 6));
        mPplTable->setItem(i, 2, numberItem(b, 6));
        mPplTable->setItem(i, 3, numberItem(b - a, 4));
    }
    if (!mData.perplexities.isEmpty())
        mPplTable->resizeColumnsToContents();
    mPplTable->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
}

} // namespace lqer
