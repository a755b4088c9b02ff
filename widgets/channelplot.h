#pragma once

// Per-input-channel activation magnitudes of one layer (mean |x| from calibration) with the
// loudest channels marked, and the L²QER scale s on the right axis: what S does to the error.
// Plain data only, like every widget.

#include "widgets/plotview.h"

#include <QVector>

namespace lqer {

class ChannelPlot : public PlotView
{
    Q_OBJECT

public:
    explicit ChannelPlot(QWidget *parent = nullptr);

    // `magnitudes` and `scale` are indexed by input channel (`scale` may be empty); the
    // `outliers` largest magnitudes are marked.
    void setData(const QString &layer, const QVector<double> &magnitudes, const QVector<double> &scale,
                 int outliers = 8);
    void clearData();
    bool hasData() const override { return !mMagnitudes.isEmpty(); }
    QString toolTipAt(const QPointF &pos) const override;
    // The marked channels, loudest first.
    const QVector<int> &outlierChannels() const { return mOutliers; }

protected:
    void retranslate() override;

private:
    void rebuild();

    QString mLayer;
    QVector<double> mMagnitudes;
    QVector<double> mScale;
    QVector<int> mOutliers;
};

} // namespace lqer
