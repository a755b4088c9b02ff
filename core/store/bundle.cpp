#include "bundle.h"

#include "sessionstore.h"

#include "core/io/checkpoint.h"

#include <QDataStream>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTemporaryDir>

namespace lqer {

namespace {

const char kMagic[8] = {'L', 'Q', 'E', 'R', 'B', 'N', 'D', 'L'};
constexpr quint32 kVersion = 1;

Expected<qint64> findSession(SessionStore &store, const QString &session)
{
    bool isId = false;
    const qint64 id = session.toLongLong(&isId);
    auto list = store.listSessions();
    if (!list)
        return makeError(list.error());
    for (const SessionSummary &s : *list)
        if ((isId && s.id == id) || (!isId && s.name == session))
            return s.id;
    return makeError(
        QStringLiteral("no session '%1' in %2 (lqer sessions list shows them)").arg(session, store.path()));
}

Expected<QByteArray> readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
    return f.readAll();
}

// Copies the session and its runs into a fresh store at `path`.
Status copySession(SessionStore &from, const SessionRecord &session, const QString &path, int &runCount)
{
    auto to = SessionStore::open(path);
    if (!to)
        return makeError(to.error());
    auto modelId = (*to)->ensureModel(session.model);
    if (!modelId)
        return makeError(modelId.error());
    SessionRecord copy = session;
    copy.modelId = *modelId;
    copy.statsPath.clear();
    auto sessionId = (*to)->createSession(copy);
    if (!sessionId)
        return makeError(sessionId.error());
    auto runs = from.listRuns(session.id);
    if (!runs)
        return makeError(runs.error());
    for (const RunRecord &listed : *runs) {
        auto run = from.run(listed.id, true);
        if (!run)
            return makeError(run.error());
        NewRun n {*sessionId,          run->kind,  run->plan, run->expectedLayers,
                  run->programVersion, run->notes, run->tags, run->details};
        auto runId = (*to)->beginRun(n);
        if (!runId)
            return makeError(runId.error());
        if (Status s = (*to)->appendLayers(*runId, run->layers); !s)
            return s;
        for (const PerplexityRecord &p : run->perplexities)
            if (Status s = (*to)->addPerplexity(*runId, p); !s)
                return s;
        const RunStatus status = run->status == RunStatus::Running ? RunStatus::Interrupted : run->status;
        if (Status s = (*to)->finishRun(*runId, status, run->wallSeconds, run->error); !s)
            return s;
        ++runCount;
    }
    return Status::success();
}

} // namespace

QString bundleSuffix()
{
    return QStringLiteral("lqerbundle");
}

Expected<BundleSummary> exportSessionBundle(const BundleExportConfig &config)
{
    StoreOpenConfig open;
    open.path = config.storePath;
    open.mode = StoreOpenConfig::ReadOnly;
    open.recoverStaleRuns = false;
    if (!QFileInfo::exists(config.storePath))
        return makeError(QStringLiteral("no session store at %1").arg(config.storePath));
    auto store = SessionStore::open(open);
    if (!store)
        return makeError(store.error());
    auto id = findSession(**store, config.session);
    if (!id)
        return makeError(id.error());
    auto session = (*store)->session(*id);
    if (!session)
        return makeError(session.error());

    QTemporaryDir work;
    if (!work.isValid())
        return makeError(QStringLiteral("cannot create a temporary folder for the bundle"));
    const QString db = work.filePath(QStringLiteral("session.db"));
    BundleSummary summary;
    if (Status s = copySession(**store, *session, db, summary.runs); !s)
        return makeError(s.error());
    auto dbBytes = readAll(db);
    if (!dbBytes)
        return makeError(dbBytes.error());
    QByteArray stats;
    if (!session->statsPath.isEmpty()) {
        auto bytes = readAll(session->statsPath);
        if (!bytes)
            return makeError(QStringLiteral("session '%1': its calibration statistics: %2")
                                 .arg(session->name, bytes.error()));
        stats = *bytes;
    }
    summary.sessionId = session->id;
    summary.sessionName = session->name;
    summary.modelPath = session->model.path;
    summary.hasStats = !stats.isEmpty();
    summary.extra = config.extra;
    const QJsonObject manifest {{QStringLiteral("session"), session->name},
                                {QStringLiteral("model"), session->model.path},
                                {QStringLiteral("runs"), summary.runs},
                                {QStringLiteral("statsFingerprint"), session->statsFingerprint},
                                {QStringLiteral("extra"), config.extra}};

    QSaveFile out(config.path);
    if (!out.open(QIODevice::WriteOnly))
        return makeError(QStringLiteral("cannot write %1: %2").arg(config.path, out.errorString()));
    out.write(kMagic, sizeof kMagic);
    QDataStream stream(&out);
    stream.setVersion(QDataStream::Qt_6_0);
    stream << kVersion << QJsonDocument(manifest).toJson(QJsonDocument::Compact) << *dbBytes << stats;
    if (stream.status() != QDataStream::Ok || !out.commit())
        return makeError(QStringLiteral("cannot write %1: %2").arg(config.path, out.errorString()));
    return summary;
}

Expected<BundleSummary> unpackSessionBundle(const QString &bundlePath, const QString &dir,
                                            const QString &modelsFolder)
{
    QFile in(bundlePath);
    if (!in.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("cannot read %1: %2").arg(bundlePath, in.errorString()));
    if (in.read(sizeof kMagic) != QByteArray(kMagic, sizeof kMagic))
        return makeError(QStringLiteral("%1 is not an LQER session bundle").arg(bundlePath));
    QDataStream stream(&in);
    stream.setVersion(QDataStream::Qt_6_0);
    quint32 version = 0;
    QByteArray manifestJson, db, stats;
    stream >> version;
    if (version > kVersion)
        return makeError(QStringLiteral("%1: bundle version %2 is newer than this program reads (%3)")
                             .arg(bundlePath)
                             .arg(version)
                             .arg(kVersion));
    stream >> manifestJson >> db >> stats;
    if (stream.status() != QDataStream::Ok || db.isEmpty())
        return makeError(QStringLiteral("%1: the bundle is truncated or damaged").arg(bundlePath));
    const QJsonObject manifest = QJsonDocument::fromJson(manifestJson).object();

    QDir().mkpath(dir);
    const QString dbPath = QDir(dir).filePath(QStringLiteral("session.db"));
    const QString statsPath = QDir(dir).filePath(QStringLiteral("stats.safetensors"));
    for (const auto &[path, bytes] : {std::pair {dbPath, db}, std::pair {statsPath, stats}}) {
        if (bytes.isEmpty())
            continue;
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
            return makeError(
                QStringLiteral("cannot unpack %1 into %2: %3").arg(bundlePath, dir, f.errorString()));
    }
    auto store = SessionStore::open(dbPath);
    if (!store)
        return makeError(QStringLiteral("%1: %2").arg(bundlePath, store.error()));
    auto sessions = (*store)->listSessions();
    if (!sessions || sessions->size() != 1)
        return makeError(QStringLiteral("%1: the bundle holds no session").arg(bundlePath));
    BundleSummary summary;
    summary.sessionId = sessions->first().id;
    summary.sessionName = sessions->first().name;
    summary.modelPath = summary.modelStoredPath = sessions->first().modelPath;
    summary.runs = sessions->first().runCount;
    summary.hasStats = !stats.isEmpty();
    summary.extra = manifest.value(QStringLiteral("extra")).toObject();
    if (summary.hasStats)
        if (Status s = (*store)->setSessionStats(
                summary.sessionId, statsPath, manifest.value(QStringLiteral("statsFingerprint")).toString());
            !s)
            return makeError(s.error());
    auto session = (*store)->session(summary.sessionId);
    if (!session)
        return makeError(QStringLiteral("%1: %2").arg(bundlePath, session.error()));
    auto found = locateBundleModel(session->model.path, session->model.fingerprint, bundlePath, modelsFolder);
    if (!found) {
        summary.modelError = found.error();
    } else if (*found != session->model.path) {
        ModelRecord here = session->model;
        here.path = *found;
        auto modelId = (*store)->ensureModel(here);
        if (!modelId)
            return makeError(QStringLiteral("%1: %2").arg(bundlePath, modelId.error()));
        if (Status s = (*store)->setSessionModel(summary.sessionId, *modelId); !s)
            return makeError(QStringLiteral("%1: %2").arg(bundlePath, s.error()));
        summary.modelPath = *found;
    }
    return summary;
}

Expected<QString> locateBundleModel(const QString &storedPath, const QString &fingerprint,
                                    const QString &bundlePath, const QString &modelsFolder)
{
    const QString name = QFileInfo(storedPath).fileName();
    QStringList candidates {storedPath};
    if (!name.isEmpty()) {
        candidates << QFileInfo(bundlePath).absoluteDir().filePath(name);
        if (!modelsFolder.isEmpty())
            candidates << QDir(modelsFolder).filePath(name);
    }
    QString firstExisting;
    for (const QString &c : candidates) {
        if (c.isEmpty() || !QFileInfo::exists(c))
            continue;
        const QString path = QFileInfo(c).absoluteFilePath();
        if (firstExisting.isEmpty())
            firstExisting = path;
        if (fingerprint.isEmpty())
            return path;
        auto checkpoint = Checkpoint::open(path);
        if (checkpoint && (*checkpoint)->fingerprint() == fingerprint)
            return path;
    }
    if (!firstExisting.isEmpty())
        return firstExisting; // other weights under the same name: the studio warns about it
    return makeError(QStringLiteral("the model \"%1\" is not at %2, not beside the bundle in %3%4")
                         .arg(name.isEmpty() ? storedPath : name, QDir::toNativeSeparators(storedPath),
                              QDir::toNativeSeparators(QFileInfo(bundlePath).absolutePath()),
                              modelsFolder.isEmpty() ? QString()
                                                     : QStringLiteral(", nor in the models folder %1")
                                                           .arg(QDir::toNativeSeparators(modelsFolder))));
}

} // namespace lqer
