#pragma once

// The error spectrum of the current layer: all methods' σ from a layer-detail job, or the
// stored spectra of the method run (a reopened session, a running whole-model job).

#include "app/studio/analysisview.h"

#include <QCoreApplication>

namespace lqer {

class SpectrumPlot;
struct SpectrumContent;

class SpectrumView : public AnalysisView
{
    Q_DECLARE_TR_FUNCTIONS(SpectrumView)

public:
    explicit SpectrumView(StudioHost &host);

    QString title() const override { return tr("Error spectrum"); }
    QWidget *widget() const override;
    PlotView *plot() const override;
    SpectrumPlot *spectrum() const { return mPlot; }

    void clear() override;
    void planChanged() override;
    void showStoredLayer(const QString &layer) override;
    void showLayerDetail(const LayerDetail &detail) override;
    void setReferenceVisible(bool visible);

private:
    // Sets the plot in one replot, with the note saying what the curves are: a preview, or the
    // top values of `allValues`.
    void show(SpectrumContent &content, qint64 allValues, bool preview);

    SpectrumPlot *mPlot;
};

} // namespace lqer
