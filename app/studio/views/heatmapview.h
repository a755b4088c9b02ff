#pragma once

// |E| and |E − Ẽ| of the current layer. It needs the weights, so it is computed by a
// layer-detail job when its tab is shown for a layer it does not show yet.

#include "app/studio/analysisview.h"

#include <QCoreApplication>

namespace lqer {

class ErrorHeatmapPanel;

class HeatmapView : public AnalysisView
{
    Q_DECLARE_TR_FUNCTIONS(HeatmapView)

public:
    explicit HeatmapView(StudioHost &host);

    QString title() const override { return tr("Error heatmap"); }
    QWidget *widget() const override;
    PlotView *plot() const override;
    ErrorHeatmapPanel *panel() const { return mPanel; }

    void clear() override;
    void showLayerDetail(const LayerDetail &detail) override;
    void activated() override;

private:
    ErrorHeatmapPanel *mPanel;
};

} // namespace lqer
