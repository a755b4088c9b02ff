#pragma once

// The calibration's per-input-channel magnitudes of the current layer with the loudest channels
// marked, and the L²QER scale s computed from them (core/lqer channelScale): lesson 3.

#include "app/studio/analysisview.h"

#include <QCoreApplication>

namespace lqer {

class ChannelPlot;

class ActivationView : public AnalysisView
{
    Q_DECLARE_TR_FUNCTIONS(ActivationView)

public:
    explicit ActivationView(StudioHost &host);
    QString title() const override { return tr("Activations"); }
    QWidget *widget() const override;
    PlotView *plot() const override;
    ChannelPlot *channels() const { return mPlot; }
    void clear() override;
    void refresh() override;
    void layerSelected(const QString &layer) override;

private:
    ChannelPlot *mPlot;
    QString mShown; // layer + statistics source shown
};

} // namespace lqer
