#pragma once

// The studio's analysis views, in tab order (registry.cpp is the one list).

#include "app/studio/analysisview.h"

#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

namespace lqer {

struct AnalysisViewType
{
    QString id; // AnalysisView::id()
    std::function<std::unique_ptr<AnalysisView>(StudioHost &)> create;
};

const std::vector<AnalysisViewType> &analysisViewTypes();
QStringList analysisViewIds();
// One view of each type, in tab order.
std::vector<std::unique_ptr<AnalysisView>> createAnalysisViews(StudioHost &host);

} // namespace lqer
