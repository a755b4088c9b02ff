#include "widgets/errorheatmap.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace lqer {

ErrorHeatmap::ErrorHeatmap(QWidget *parent)
    : PlotView(parent)
{
    plotLayout()->insertRow(0);
    mTitle = new QCPTextElement(this, QString(), QFont(font().family(), 10, QFont::Bold));
    plotLayout()->addElement(0, 0, mTitle);
    mMap = new QCPColorMap(xAxis, yAxis);
    mColorScale = new QCPColorScale(this);
    plotLayout()->addElement(1, 1, mColorScale);
    mColorScale->setType(QCPAxis::atRight);
    mMap->setColorScale(mColorScale);
    QCPColorGradient gradient(QCPColorGradient::gpThermal);
    mMap->setGradient(gradient);
    mMap->setInterpolate(false);
    auto *group = new QCPMarginGroup(this);
    axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, group);
    mColorScale->setMarginGroup(QCP::msBottom | QCP::msTop, group);
    // Row 0 (output channel 0) at the top, as a matrix is printed.
    yAxis->setRangeReversed(true);
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    retranslate();
}

void ErrorHeatmap::retranslate()
{
    setEmptyHint(tr("Select a layer to see where its quantization error sits, before and after the low-rank "
                    "correction."));
    xAxis->setLabel(tr("Input channel (column of W)"));
    yAxis->setLabel(tr("Output channel (row of W)"));
    QString title;
    switch (mStage) {
    case Stage::Weight:
        mColorScale->axis()->setLabel(tr("|W|"));
        title = tr("Weights |W|");
        break;
    case Stage::Quantized:
        mColorScale->axis()->setLabel(tr("|Wq|"));
        title = tr("Quantized weights |Wq|");
        break;
    case Stage::Before:
        mColorScale->axis()->setLabel(tr("|E| (Wq only)"));
        title = tr("Quantization error |E|, Wq only");
        break;
    case Stage::After:
        mColorScale->axis()->setLabel(tr("|E − Ẽ| (Wq + AB)"));
        title = tr("Reconstruction error |E − Ẽ|, Wq + AB");
        break;
    }
    if (!mLayerName.isEmpty())
        title += QStringLiteral(" — ") + mLayerName;
    mTitle->setText(title);
    replot();
}

void ErrorHeatmap::setData(const QString &layerName, const HeatmapGrid &before, const HeatmapGrid &after)
{
    mLayerName = layerName;
    mBefore = before;
    mAfter = after;
    rebuild();
}

void ErrorHeatmap::setWeights(const HeatmapGrid &weight, const HeatmapGrid &quantized)
{
    mWeight = weight;
    mQuantized = quantized;
    rebuild();
}

void ErrorHeatmap::setLayer(const QString &layerName, const HeatmapGrid &weight, const HeatmapGrid &quantized,
                            const HeatmapGrid &before, const HeatmapGrid &after)
{
    mWeight = weight;
    mQuantized = quantized;
    setData(layerName, before, after);
}

const HeatmapGrid &ErrorHeatmap::grid(Stage stage) const
{
    switch (stage) {
    case Stage::Weight:
        return mWeight;
    case Stage::Quantized:
        return mQuantized;
    case Stage::Before:
        return mBefore;
    case Stage::After:
        break;
    }
    return mAfter;
}

double ErrorHeatmap::shownCell(int row, int column) const
{
    return mMap->data()->cell(column, row);
}

void ErrorHeatmap::clear()
{
    mWeight = mQuantized = HeatmapGrid();
    setData(QString(), HeatmapGrid(), HeatmapGrid());
}

void ErrorHeatmap::setStage(Stage stage)
{
    mStage = stage;
    rebuild();
}

void ErrorHeatmap::setAggregate(Aggregate aggregate)
{
    mAggregate = aggregate;
    rebuild();
}

void ErrorHeatmap::rebuild()
{
    const HeatmapGrid &g = grid(mStage);
    if (g.isEmpty()) {
        mMap->data()->clear();
        mMap->setVisible(false);
        retranslate();
        emit dataChanged();
        return;
    }
    mMap->setVisible(true);
    // Cell centres in source coordinates, so axes read in channels whatever the aggregation.
    const double x0 = (g.cellCols - 1) / 2.0;
    const double y0 = (g.cellRows - 1) / 2.0;
    mMap->data()->setSize(g.cols, g.rows);
    mMap->data()->setRange(QCPRange(x0, x0 + double(g.cols - 1) * g.cellCols),
                           QCPRange(y0, y0 + double(g.rows - 1) * g.cellRows));
    for (int r = 0; r < g.rows; ++r)
        for (int c = 0; c < g.cols; ++c)
            mMap->data()->setCell(c, r, mAggregate == Aggregate::Mean ? g.meanAt(r, c) : g.maxAt(r, c));
    // One colour range for both error stages (the larger, i.e. "before") so the toggle shows
    // the gain; one for W and Wq, which are much larger than the errors.
    const bool weights = mStage == Stage::Weight || mStage == Stage::Quantized;
    double hi = 0;
    for (const HeatmapGrid *h : {weights ? &mWeight : &mBefore, weights ? &mQuantized : &mAfter}) {
        const QVector<double> &v = mAggregate == Aggregate::Mean ? h->mean : h->max;
        for (double x : v)
            hi = std::max(hi, x);
    }
    mColorScale->setDataRange(QCPRange(0, hi > 0 ? hi : 1));
    xAxis->setRange(-0.5, double(g.sourceCols) - 0.5);
    yAxis->setRange(-0.5, double(g.sourceRows) - 0.5);
    retranslate();
    emit dataChanged();
}

QString ErrorHeatmap::toolTipAt(const QPointF &pos) const
{
    const HeatmapGrid &g = grid(mStage);
    if (g.isEmpty() || !axisRect()->rect().contains(pos.toPoint()))
        return {};
    const double x = xAxis->pixelToCoord(pos.x());
    const double y = yAxis->pixelToCoord(pos.y());
    const qint64 col = qint64(std::floor(x + 0.5));
    const qint64 row = qint64(std::floor(y + 0.5));
    if (col < 0 || row < 0 || col >= g.sourceCols || row >= g.sourceRows)
        return {};
    const int c = int(col / g.cellCols);
    const int r = int(row / g.cellRows);
    if (!g.isAggregated())
        return tr("row %1, column %2\n|value| = %3").arg(row).arg(col).arg(g.meanAt(r, c), 0, 'g', 4);
    const qint64 r0 = qint64(r) * g.cellRows, c0 = qint64(c) * g.cellCols;
    return tr("rows %1–%2, columns %3–%4\nmean |value| = %5\nmax |value| = %6")
        .arg(r0)
        .arg(std::min(g.sourceRows, r0 + g.cellRows) - 1)
        .arg(c0)
        .arg(std::min(g.sourceCols, c0 + g.cellCols) - 1)
        .arg(g.meanAt(r, c), 0, 'g', 4)
        .arg(g.maxAt(r, c), 0, 'g', 4);
}

ErrorHeatmapPanel::ErrorHeatmapPanel(QWidget *parent)
    : QWidget(parent)
    , mHeatmap(new ErrorHeatmap(this))
    , mStageBox(new QComboBox(this))
    , mAggregateBox(new QComboBox(this))
    , mStageLabel(new QLabel(this))
    , mAggregateLabel(new QLabel(this))
    , mInfo(new QLabel(this))
{
    auto *controls = new QHBoxLayout;
    controls->addWidget(mStageLabel);
    controls->addWidget(mStageBox);
    controls->addSpacing(12);
    controls->addWidget(mAggregateLabel);
    controls->addWidget(mAggregateBox);
    controls->addStretch(1);
    controls->addWidget(mInfo);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(controls);
    layout->addWidget(mHeatmap, 1);
    for (int i = 0; i < 4; ++i)
        mStageBox->addItem(QString());
    mStageBox->setCurrentIndex(int(ErrorHeatmap::Stage::After));
    mAggregateBox->addItem(QString());
    mAggregateBox->addItem(QString());
    mStageLabel->setBuddy(mStageBox);
    mAggregateLabel->setBuddy(mAggregateBox);
    connect(mStageBox, &QComboBox::currentIndexChanged, this, [this](int i) {
        if (mHeatmap->stage() != ErrorHeatmap::Stage(i))
            mHeatmap->setStage(ErrorHeatmap::Stage(i));
        updateInfo();
    });
    connect(mAggregateBox, &QComboBox::currentIndexChanged, this, [this](int i) {
        mHeatmap->setAggregate(i == 0 ? ErrorHeatmap::Aggregate::Mean : ErrorHeatmap::Aggregate::Max);
    });
    connect(mHeatmap, &ErrorHeatmap::dataChanged, this, &ErrorHeatmapPanel::updateInfo);
    retranslate();
}

void ErrorHeatmapPanel::retranslate()
{
    mStageLabel->setText(tr("&Show:"));
    mStageBox->setItemText(int(ErrorHeatmap::Stage::Weight), tr("Weights |W|"));
    mStageBox->setItemText(int(ErrorHeatmap::Stage::Quantized), tr("Quantized |Wq|"));
    mStageBox->setItemText(int(ErrorHeatmap::Stage::Before), tr("Before: Wq only (|E|)"));
    mStageBox->setItemText(int(ErrorHeatmap::Stage::After), tr("After: Wq + AB (|E − Ẽ|)"));
    mAggregateLabel->setText(tr("&Cells:"));
    mAggregateBox->setItemText(0, tr("Mean of block"));
    mAggregateBox->setItemText(1, tr("Max of block"));
    updateInfo();
}

void ErrorHeatmapPanel::updateInfo()
{
    {
        const QSignalBlocker block(mStageBox); // the stage may have been set on the heatmap
        mStageBox->setCurrentIndex(int(mHeatmap->stage()));
    }
    const HeatmapGrid &g = mHeatmap->grid(mHeatmap->stage());
    if (g.isEmpty())
        mInfo->setText(tr("Select a layer and run an analysis"));
    else if (g.isAggregated())
        mInfo->setText(tr("%1 × %2 matrix shown as %3 × %4 blocks of %5 × %6")
                           .arg(g.sourceRows)
                           .arg(g.sourceCols)
                           .arg(g.rows)
                           .arg(g.cols)
                           .arg(g.cellRows)
                           .arg(g.cellCols));
    else
        mInfo->setText(tr("%1 × %2 matrix, full resolution").arg(g.sourceRows).arg(g.sourceCols));
    mAggregateBox->setEnabled(g.isAggregated());
}

void ErrorHeatmapPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

} // namespace lqer
