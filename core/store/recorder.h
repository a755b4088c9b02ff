#pragma once

// A small run recorder that keeps the crash-safety promise of SessionStore: a run is begun,
// layers are appended as they arrive, and a run that is never finished explicitly is closed as
// failed (or left 'running' for recovery if the process dies), never marked complete. Results
// become records through core/store/records.h.

#include "core/common/expected.h"
#include "core/eval/perplexity.h"
#include "core/plan/plan.h"
#include "core/lqer/lqer.h"
#include "core/store/records.h"
#include "core/store/sessionstore.h"

#include <QElapsedTimer>
#include <QString>

#include <memory>

namespace lqer {

// The session named `name` of this model (path + fingerprint), created with `plan` when
// missing. An existing session keeps its plan: runs snapshot the plan they used.
Expected<qint64> ensureSession(SessionStore &store, const ModelRecord &model, const Plan &plan,
                               const QString &name);

class RunRecorder
{
public:
    static Expected<std::unique_ptr<RunRecorder>>
    begin(SessionStore &store, qint64 sessionId, const QString &kind, const Plan &plan, int expectedLayers);
    ~RunRecorder(); // closes an unfinished run as failed ("abandoned")
    RunRecorder(const RunRecorder &) = delete;
    RunRecorder &operator=(const RunRecorder &) = delete;

    qint64 runId() const { return mRunId; }
    // `plan` is the layer's plan; its method is taken as the one run.
    Status addLayer(const LayerQuantResult &result, const LayerPlan &plan);
    Status addPerplexity(const QString &label, const QString &textPath, const PerplexityResult &result);
    // What the run produced besides layers (SessionStore::setRunDetails).
    Status setDetails(const QJsonObject &details);
    // Wall time is measured from begin().
    Status finish(RunStatus status, const QString &error = QString());

private:
    RunRecorder(SessionStore &store, qint64 runId)
        : mStore(store)
        , mRunId(runId)
    { }

    SessionStore &mStore;
    qint64 mRunId = 0;
    bool mFinished = false;
    QElapsedTimer mTimer;
};

} // namespace lqer
