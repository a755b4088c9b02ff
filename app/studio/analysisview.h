#pragma once

// One analysis view of the studio's centre tabs (a PlotView-based widget from widgets/ with
// what the window must tell it). The tabs, the View menu, --view and the plot export are all
// built from the registration list (views/registry.cpp), so a new view is one class derived
// from AnalysisView plus one line there; every hook but the first three is optional.

#include <QString>

#include <memory>
#include <vector>

class QWidget;

namespace lqer {

class PlotView;
class StudioHost;
struct LayerDetail;
struct SessionSnapshot;

class AnalysisView
{
public:
    explicit AnalysisView(StudioHost &host)
        : mHost(host)
    { }
    virtual ~AnalysisView() = default;
    AnalysisView(const AnalysisView &) = delete;
    AnalysisView &operator=(const AnalysisView &) = delete;

    // A stable name (--view, scripts, tests), never translated; given by the registration.
    QString id() const { return mId; }
    // The tab's text in the current language.
    virtual QString title() const = 0;
    // The tab's page; the tab widget owns it.
    virtual QWidget *widget() const = 0;
    // What File > Export view writes (null: nothing to export).
    virtual PlotView *plot() const = 0;

    // The language changed: texts the widget does not translate itself.
    virtual void retranslate() { }
    // Another document was opened: forget what was shown.
    virtual void clear() { }
    // Redraw from the document (results, plan, perplexities).
    virtual void refresh() { }
    // The plan changed (e.g. the rank of the current layer).
    virtual void planChanged() { }
    // `layer` became the current layer.
    virtual void layerSelected(const QString &layer) { (void)layer; }
    // Show the stored result of `layer` (no job runs for it).
    virtual void showStoredLayer(const QString &layer) { (void)layer; }
    // A layer-detail job delivered the spectra and heatmaps of the current layer.
    virtual void showLayerDetail(const LayerDetail &detail) { (void)detail; }
    // A session was reopened: what the database holds beyond the document's results.
    virtual void restore(const SessionSnapshot &snapshot) { (void)snapshot; }
    // The tab became the current one.
    virtual void activated() { }

protected:
    StudioHost &host() const { return mHost; }

private:
    friend std::vector<std::unique_ptr<AnalysisView>> createAnalysisViews(StudioHost &host);

    StudioHost &mHost;
    QString mId;
};

} // namespace lqer
