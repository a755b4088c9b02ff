#include "core/store/recorder.h"

#include <QCryptographicHash>
#include <QFile>

namespace lqer {

namespace {

std::vector<double> toStdVector(const VectorD &v)
{
    return std::vector<double>(v.data(), v.data() + v.size());
}

} // namespace

LayerRunRecord layerRunRecordFrom(const LayerQuantResult &result, const LayerPlan &plan)
{
    const LayerMetrics &m = result.metrics;
    LayerRunRecord r;
    r.layer = result.layer;
    r.method = methodName(plan.method);
    r.rank = m.rank;
    r.inFeatures = m.inFeatures;
    r.outFeatures = m.outFeatures;
    r.weightFormat = plan.weight.toString();
    r.quantError = m.quantFrobError;
    r.frobError = m.frobError;
    r.relError = m.relError;
    r.meanAbsError = m.meanAbsError;
    r.bits = m.bitsPerWeight;
    r.seconds = m.seconds;
    r.alpha = result.spectra.alpha;
    r.svError = toStdVector(result.spectra.svError);
    r.svScaled = toStdVector(result.spectra.svScaled);
    r.extra.insert(QStringLiteral("weightFrob"), m.weightFrob);
    r.extra.insert(QStringLiteral("plainMeanAbsError"), m.plainMeanAbsError);
    if (m.hasScaledError) {
        r.extra.insert(QStringLiteral("scaledFrobError"), m.scaledFrobError);
        r.extra.insert(QStringLiteral("scaledPlainFrobError"), m.scaledPlainFrobError);
    }
    r.extra.insert(QStringLiteral("act"), plan.act.toString());
    r.extra.insert(QStringLiteral("lowRank"), plan.lowRank.toString());
    return r;
}

PerplexityRecord perplexityRecordFrom(const QString &label, const QString &textPath,
                                      const PerplexityResult &result)
{
    PerplexityRecord p;
    p.label = label;
    p.textPath = textPath;
    p.textFingerprint = fileFingerprint(textPath);
    p.windowLength = result.windowLength;
    p.tokens = result.scoredTokens;
    p.nll = result.meanNll;
    p.perplexity = result.perplexity;
    p.seconds = result.seconds;
    return p;
}

QString fileFingerprint(const QString &path)
{
    QFile f(path);
    if (path.isEmpty() || !f.open(QIODevice::ReadOnly))
        return QString();
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&f))
        return QString();
    return QString::fromLatin1(hash.result().toHex());
}

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
    return mStore.appendLayers(mRunId, {layerRunRecordFrom(result, plan)});
}

Status RunRecorder::addPerplexity(const QString &label, const QString &textPath,
                                  const PerplexityResult &result)
{
    return mStore.addPerplexity(mRunId, perplexityRecordFrom(label, textPath, result));
}

Status RunRecorder::finish(RunStatus status, const QString &error)
{
    if (mFinished)
        return {};
    mFinished = true;
    return mStore.finishRun(mRunId, status, mTimer.elapsed() / 1000.0, error);
}

} // namespace lqer
