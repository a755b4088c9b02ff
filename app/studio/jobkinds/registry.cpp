#include "app/studio/jobkinds/registry.h"

namespace lqer {

// Each kind's file defines its factory.
std::unique_ptr<JobKind> makeAnalyzeSelectedJob();
std::unique_ptr<JobKind> makeQuantizeModelJob();
std::unique_ptr<JobKind> makeLayerDetailJobKind();
std::unique_ptr<JobKind> makeLoadStatisticsJob();
std::unique_ptr<JobKind> makeCalibrateJobKind();
std::unique_ptr<JobKind> makeEvaluateJobKind();
std::unique_ptr<JobKind> makeRankSweepJobKind();

std::vector<std::unique_ptr<JobKind>> createJobKinds()
{
    std::vector<std::unique_ptr<JobKind>> kinds;
    kinds.push_back(makeAnalyzeSelectedJob());
    kinds.push_back(makeQuantizeModelJob());
    kinds.push_back(makeLayerDetailJobKind());
    kinds.push_back(makeLoadStatisticsJob());
    kinds.push_back(makeCalibrateJobKind());
    kinds.push_back(makeEvaluateJobKind());
    kinds.push_back(makeRankSweepJobKind());
    return kinds;
}

} // namespace lqer
