#pragma once

// Every layer's error before and after the low-rank term, from the document's results, with a
// choice of metric and order; a click selects the layer.

#include "app/studio/analysisview.h"

#include <QCoreApplication>

class QComboBox;
class QToolButton;

namespace lqer {

class LayerErrorChart;

class LayerErrorView : public AnalysisView
{
    Q_DECLARE_TR_FUNCTIONS(LayerErrorView)

public:
    explicit LayerErrorView(StudioHost &host);

    QString title() const override { return tr("Per-layer error"); }
    QWidget *widget() const override { return mPage; }
    PlotView *plot() const override;
    LayerErrorChart *chart() const { return mChart; }

    void retranslate() override;
    void refresh() override;
    void layerSelected(const QString &layer) override;

private:
    QWidget *mPage;
    LayerErrorChart *mChart;
    QToolButton *mSortButton;
    QComboBox *mMetricBox;
};

} // namespace lqer
