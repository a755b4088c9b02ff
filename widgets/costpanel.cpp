#include "widgets/costpanel.h"

#include "widgets/layererrorchart.h"

#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace lqer {

CostChart::CostChart(QWidget *parent)
    : PlotView(parent)
{
    mBars = new QCPBars(xAxis, yAxis);
    mBars->setPen(QPen(seriesColor(0).darker(115)));
    mBars->setBrush(seriesColor(0));
    mBars->setWidth(0.7);
    xAxis->setTickLabelRotation(60);
    xAxis->grid()->setVisible(false);
    retranslate();
}

void CostChart::retranslate()
{
    xAxis->setLabel(tr("Layer"));
    yAxis->setLabel(tr("Bits per weight"));
    replot();
}

void CostChart::setData(const QStringList &layers, const QVector<double> &bits)
{
    mLayers = layers;
    mBits = bits;
    QVector<double> keys;
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    const int step = std::max(1, int(layers.size()) / 40);
    double hi = 0;
    for (int i = 0; i < layers.size(); ++i) {
        keys << i;
        if (i % step == 0)
            ticker->addTick(i, LayerErrorChart::shortLayerName(layers[i]));
        if (i < bits.size() && std::isfinite(bits[i]))
            hi = std::max(hi, bits[i]);
    }
    xAxis->setTicker(ticker);
    mBars->setData(keys, bits.mid(0, keys.size()), true);
    xAxis->setRange(-0.8, std::max<double>(1, double(layers.size())) - 0.2);
    yAxis->setRange(0, hi > 0 ? hi * 1.15 : 8);
    replot();
}

QString CostChart::toolTipAt(const QPointF &pos) const
{
    if (mLayers.isEmpty() || !axisRect()->rect().contains(pos.toPoint()))
        return {};
    const int i = int(std::lround(xAxis->pixelToCoord(pos.x())));
    if (i < 0 || i >= mLayers.size() || i >= mBits.size())
        return {};
    return tr("%1\n%2 bits per weight").arg(mLayers[i]).arg(mBits[i], 0, 'f', 3);
}

CostPanel::CostPanel(QWidget *parent)
    : QWidget(parent)
    , mTitle(new QLabel(this))
    , mChart(new CostChart(this))
{
    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(18);
    grid->setVerticalSpacing(4);
    const QStringList keys = {QStringLiteral("bits"),  QStringLiteral("paperBits"), QStringLiteral("area"),
                              QStringLiteral("proxy"), QStringLiteral("ppl"),       QStringLiteral("fp32")};
    QFont big = font();
    big.setPointSizeF(font().pointSizeF() * 1.6);
    big.setBold(true);
    for (int i = 0; i < keys.size(); ++i) {
        auto *caption = new QLabel(this);
        caption->setStyleSheet(QStringLiteral("color: #555;"));
        auto *value = new QLabel(this);
        value->setFont(big);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        // Three columns of (caption over value).
        grid->addWidget(caption, (i / 3) * 2, i % 3);
        grid->addWidget(value, (i / 3) * 2 + 1, i % 3);
        mCaptions.insert(keys[i], caption);
        mValues.insert(keys[i], value);
    }
    QFont titleFont = font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(font().pointSizeF() * 1.15);
    mTitle->setFont(titleFont);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 8, 10, 8);
    layout->addWidget(mTitle);
    layout->addLayout(grid);
    layout->addSpacing(6);
    layout->addWidget(mChart, 1);
    retranslate();
}

void CostPanel::retranslate()
{
    mCaptions[QStringLiteral("bits")]->setText(tr("Average bits per weight (model)"));
    mCaptions[QStringLiteral("paperBits")]->setText(tr("Average bits, paper convention"));
    mCaptions[QStringLiteral("area")]->setText(tr("Circuit area vs FP16"));
    mCaptions[QStringLiteral("proxy")]->setText(tr("Estimated perplexity (proxy)"));
    mCaptions[QStringLiteral("ppl")]->setText(tr("Perplexity (evaluated)"));
    mCaptions[QStringLiteral("fp32")]->setText(tr("Perplexity FP32"));
    updateValues();
}

void CostPanel::setSummary(const CostSummary &summary)
{
    mSummary = summary;
    mChart->setData(summary.layers, summary.layerBits);
    updateValues();
}

bool CostPanel::hasData() const
{
    return mSummary.modelBits.has_value() || mChart->hasData();
}

QString CostPanel::valueText(const QString &key) const
{
    const QLabel *label = mValues.value(key);
    return label ? label->text() : QString();
}

void CostPanel::updateValues()
{
    const QString dash = QStringLiteral("—");
    auto fmt = [&](const std::optional<double> &v, int decimals, const QString &suffix = QString()) {
        return v && std::isfinite(*v) ? QString::number(*v, 'f', decimals) + suffix : dash;
    };
    mTitle->setText(mSummary.planLabel.isEmpty() ? tr("Cost of the plan")
                                                 : tr("Cost of the plan: %1").arg(mSummary.planLabel));
    mValues[QStringLiteral("bits")]->setText(fmt(mSummary.modelBits, 3));
    mValues[QStringLiteral("paperBits")]->setText(fmt(mSummary.paperBits, 3));
    mValues[QStringLiteral("area")]->setText(fmt(mSummary.areaRatio, 2, QStringLiteral("×")));
    mValues[QStringLiteral("proxy")]->setText(fmt(mSummary.proxyPerplexity, 2));
    mValues[QStringLiteral("proxy")]->setToolTip(mSummary.proxyNote);
    mValues[QStringLiteral("ppl")]->setText(fmt(mSummary.perplexity, 3));
    mValues[QStringLiteral("fp32")]->setText(fmt(mSummary.fp32Perplexity, 3));
}

void CostPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

} // namespace lqer
