#include "app/studio/views/registry.h"

#include "app/studio/views/compareview.h"
#include "app/studio/views/costview.h"
#include "app/studio/views/heatmapview.h"
#include "app/studio/views/layererrorview.h"
#include "app/studio/views/ranksweepview.h"
#include "app/studio/views/spectrumview.h"

namespace lqer {

template<class View> static AnalysisViewType viewType(const char *id)
{
    return {QString::fromLatin1(id),
            [](StudioHost &host) -> std::unique_ptr<AnalysisView> { return std::make_unique<View>(host); }};
}

const std::vector<AnalysisViewType> &analysisViewTypes()
{
    // The tab order, the View menu's Alt+1.. shortcuts and the order of --view all.
    static const std::vector<AnalysisViewType> types {
        viewType<SpectrumView>("spectrum"), viewType<HeatmapView>("heatmap"),
        viewType<LayerErrorView>("layers"), viewType<RankSweepView>("sweep"),
        viewType<CostView>("cost"),         viewType<CompareView>("compare"),
    };
    return types;
}

QStringList analysisViewIds()
{
    QStringList ids;
    for (const AnalysisViewType &t : analysisViewTypes())
        ids << t.id;
    return ids;
}

std::vector<std::unique_ptr<AnalysisView>> createAnalysisViews(StudioHost &host)
{
    std::vector<std::unique_ptr<AnalysisView>> views;
    for (const AnalysisViewType &t : analysisViewTypes()) {
        views.push_back(t.create(host));
        views.back()->mId = t.id;
    }
    return views;
}

} // namespace lqer
