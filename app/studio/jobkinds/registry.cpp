#include "app/studio/jobkinds/registry.h"

namespace lqer {

// The job kinds (JobController::kindIds() keeps this order). A new kind: its class and factory in
// jobkinds/<name>.cpp and one line here; the line declares the factory and registers it.
#define LQER_JOB_KINDS(KIND)                                                                                 \
    KIND(makeAnalyzeSelectedJob)                                                                             \
    KIND(makeQuantizeModelJob)                                                                               \
    KIND(makeLayerDetailJobKind)                                                                             \
    KIND(makeLoadStatisticsJob)                                                                              \
    KIND(makeCalibrateJobKind)                                                                               \
    KIND(makeEvaluateJobKind)                                                                                \
    KIND(makeRankSweepJobKind)                                                                               \
    KIND(makePredictCurvesJob)                                                                               \
    KIND(makeMeasureSensitivityJob)

#define LQER_DECLARE_JOB_KIND(factory) std::unique_ptr<JobKind> factory();
LQER_JOB_KINDS(LQER_DECLARE_JOB_KIND)

std::vector<std::unique_ptr<JobKind>> createJobKinds()
{
    std::vector<std::unique_ptr<JobKind>> kinds;
#define LQER_CREATE_JOB_KIND(factory) kinds.push_back(factory());
    LQER_JOB_KINDS(LQER_CREATE_JOB_KIND)
    return kinds;
}

} // namespace lqer
