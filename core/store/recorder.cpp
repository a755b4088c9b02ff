#include "core/store/recorder.h"

namespace lqer {

Expected<qint64> ensureSession(SessionStore &store, const ModelRecord &model, const Plan &plan,
                               const QString &name)
{
    auto modelId = store.ensureModel(model);
    if (!modelId)
        return makeError(modelId.error());
    auto sessions = store.listSessions();
    if (!sessions)
        return makeError(sessions.error());
    for (const SessionSummary &s : *sessions) {
        if (s.name != name)
            continue;
        auto rec = store.session(s.id);
        if (rec && rec->modelId == *modelId)
            return s.id;
    }
    SessionRecord rec;
    rec.name = name;
    rec.modelId = *modelId;
    rec.plan = plan;
    return store.createSession(rec);
}

Expected<std::unique_ptr<RunRecorder>> RunRecorder::begin(SessionStore &store, qint64 sessionId,
                                                          const QString &kind, const Plan &plan,
                                                          int expectedLayers)
{
    NewRun nr;
    nr.sessionId = sessionId;
    nr.kind = kind;
    nr.plan = plan;
    nr.expectedLayers = expectedLayers;
    auto id = store.beginRun(nr);
    if (!id)
        return makeError(id.error());
    std::unique_ptr<RunRecorder> r(new RunRecorder(store, *id));
    r->mTimer.start();
    return r;
}

RunRecorder::~RunRecorder()
{
    if (!mFinished)
        (void)finish(RunStatus::Failed, QStringLiteral("abandoned before it finished"));
}

Status RunRecorder::addLayer(const LayerQuantResult &result, const LayerPlan &plan)
{
    return mStore.appendLayers(mRunId,
                               {layerRunRecordFromResult(layerResultFrom(result, plan.method), plan)});
}

Status RunRecorder::addPerplexity(const QString &label, const QString &textPath,
                                  const PerplexityResult &result)
{
    return mStore.addPerplexity(mRunId, perplexityRecordFromResult(label, textPath, result));
}

Status RunRecorder::setDetails(const QJsonObject &details)
{
    return mStore.setRunDetails(mRunId, details);
}

Status RunRecorder::finish(RunStatus status, const QString &error)
{
    if (mFinished)
        return {};
    mFinished = true;
    return mStore.finishRun(mRunId, status, mTimer.elapsed() / 1000.0, error);
}

} // namespace lqer
