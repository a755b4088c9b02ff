#include "recording.h"

#include "core/common/cluster.h"

#include "options.h"

#include "core/io/checkpoint.h"
#include "core/job/pipeline.h"

#include <QDir>
#include <QFileInfo>

namespace lqer::cli {

namespace {

QString oneLine(QString text)
{
    text.replace(QLatin1String("\r\n"), QLatin1String("; "));
    text.replace(QLatin1Char('\n'), QLatin1String("; "));
    return text.trimmed();
}

} // namespace

void CliRecorder::addOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        dbOption(QStringLiteral("to record the run in")),
        QCommandLineOption(QStringLiteral("session"),
                           QStringLiteral("Session to record the run in (default: the model folder's name)."),
                           QStringLiteral("NAME")),
        QCommandLineOption(QStringLiteral("no-record"),
                           QStringLiteral("Do not record the run in the session database.")),
        spectrumCountOption(),
    });
}

Expected<std::unique_ptr<CliRecorder>> CliRecorder::open(const QCommandLineParser &parser)
{
    if (parser.isSet(QStringLiteral("no-record")))
        return std::unique_ptr<CliRecorder>(); // --db and --session are then ignored: nothing is opened
    if (!Cluster::world().isRoot())
        return std::unique_ptr<CliRecorder>(); // under mpirun only rank 0 records
    std::unique_ptr<CliRecorder> r(new CliRecorder);
    r->mSessionFlag = parser.value(QStringLiteral("session")).trimmed();
    if (parser.isSet(QStringLiteral("session")) && r->mSessionFlag.isEmpty())
        return makeError(QStringLiteral("--session needs a non-empty name"));
    auto spectrumCount = intOptionValue(parser, QStringLiteral("spectrum-count"), -1, 0);
    if (!spectrumCount)
        return Error {spectrumCount.error()};
    r->mSpectrumCount = *spectrumCount;
    const QString path = SessionStore::resolvePath(parser.value(QStringLiteral("db")));
    r->mPath = QDir::toNativeSeparators(path);
    StoreOpenConfig config;
    config.path = path;
    config.mode = StoreOpenConfig::ReadWrite;
    auto store = SessionStore::open(config);
    if (!store) {
        // The store's errors name the file; say which file when one does not.
        QString why = oneLine(store.error());
        if (why.contains(QLatin1String("database is locked")))
            why += QStringLiteral(" (another process held it for more than %1 s)")
                       .arg(config.busyTimeoutMs / 1000);
        const QString what = why.contains(path) || why.contains(QDir::toNativeSeparators(path))
            ? why
            : QStringLiteral("session store %1: %2").arg(QDir::toNativeSeparators(path), why);
        return makeError(
            QStringLiteral("cannot record the run: %1 (pass --no-record to skip recording, or --db "
                           "PATH to use another file)")
                .arg(what));
    }
    if ((*store)->isReadOnly())
        return makeError(
            QStringLiteral("cannot record the run: the session store %1 is read-only (pass --no-record "
                           "to skip recording, or --db PATH to use another file)")
                .arg(QDir::toNativeSeparators(path)));
    r->mStore = std::move(*store);
    return r;
}

CliRecorder::~CliRecorder()
{
    // An unfinished run: RunRecorder's destructor closes it as failed ("abandoned").
    mRun.reset();
}

const QString &CliRecorder::path() const
{
    return mPath;
}

QString defaultSessionName(const QString &modelPath)
{
    const QFileInfo info(QDir::cleanPath(QFileInfo(modelPath).absoluteFilePath()));
    if (info.isDir())
        return info.fileName();
    if (info.suffix().compare(QLatin1String("safetensors"), Qt::CaseInsensitive) == 0)
        return info.absoluteDir().dirName();
    return info.completeBaseName();
}

Status CliRecorder::useSession(const ModelRecord &model, const Plan &plan, const QString &modelPath)
{
    mSessionName = mSessionFlag.isEmpty() ? defaultSessionName(modelPath) : mSessionFlag;
    auto id = ensureSession(*mStore, model, plan, mSessionName);
    if (!id)
        return makeError(QStringLiteral("session store %1: %2").arg(path(), oneLine(id.error())));
    mSessionId = *id;
    return Status::success();
}

Status CliRecorder::useSession(const Checkpoint &checkpoint, const Plan &plan, const QString &modelPath)
{
    return useSession(modelRecordFor(checkpoint), plan, modelPath);
}

Status CliRecorder::beginRun(const QString &kind, const Plan &plan, int expectedLayers)
{
    if (mRun)
        finishRun(QStringLiteral("superseded by another run"));
    if (mSessionId <= 0)
        return makeError(QStringLiteral("session store %1: no session chosen").arg(path()));
    auto run = RunRecorder::begin(*mStore, mSessionId, kind, plan, expectedLayers);
    if (!run)
        return makeError(QStringLiteral("session store %1: %2").arg(path(), oneLine(run.error())));
    mRun = std::move(*run);
    mRunIds << mRun->runId();
    return Status::success();
}

void CliRecorder::remember(const QString &error)
{
    if (mError.isEmpty())
        mError = oneLine(error);
}

void CliRecorder::addLayer(const LayerQuantResult &result, const LayerPlan &plan)
{
    if (!mRun || hasError())
        return;
    interruptPointForTests(QStringLiteral("recording"));
    if (Status s = mRun->addLayer(result, plan); !s)
        remember(s.error());
}

void CliRecorder::addPerplexity(const QString &label, const QString &textPath, const PerplexityResult &result)
{
    if (!mRun || hasError())
        return;
    if (Status s = mRun->addPerplexity(label, QFileInfo(textPath).absoluteFilePath(), result); !s)
        remember(s.error());
}

void CliRecorder::setDetails(const QJsonObject &details)
{
    if (!mRun || hasError())
        return;
    if (Status s = mRun->setDetails(details); !s)
        remember(s.error());
}

void CliRecorder::finishRun(const QString &failure)
{
    if (!mRun)
        return;
    RunStatus status = RunStatus::Complete;
    QString error = failure;
    if (!failure.isEmpty())
        status = interrupted() ? RunStatus::Cancelled : RunStatus::Failed;
    else if (hasError()) {
        status = RunStatus::Failed;
        error = QStringLiteral("recording failed: %1").arg(mError);
    }
    if (Status s = mRun->finish(status, error); !s)
        remember(s.error());
    mLastStatus = runStatusName(status);
    mRun.reset();
}

QString CliRecorder::error() const
{
    return QStringLiteral("session store %1: %2").arg(path(), mError);
}

QString CliRecorder::summary() const
{
    if (mRunIds.isEmpty())
        return QString();
    QStringList ids;
    for (qint64 id : mRunIds)
        ids << QString::number(id);
    QString text = QStringLiteral("recorded %1 %2 in session '%3' (%4)")
                       .arg(mRunIds.size() == 1 ? QStringLiteral("run") : QStringLiteral("runs"),
                            ids.join(QStringLiteral(", ")), mSessionName, path());
    if (!mLastStatus.isEmpty() && mLastStatus != QLatin1String("complete"))
        text += QStringLiteral(" as %1").arg(mLastStatus);
    return text;
}

int quantizedLayerCount(const Plan &plan, const QStringList &names)
{
    int n = 0;
    for (const QString &name : names)
        if (plan.forLayer(name).quantize)
            ++n;
    return n;
}

Expected<InstallPlanResult>
installPlanRecorded(Transformer &model, std::shared_ptr<const Checkpoint> checkpoint, const Plan &plan,
                    const StatsMap *stats, const ProgressFn &progress, int threads, CliRecorder *recorder)
{
    InstallPlanOptions options;
    options.stats = stats;
    options.threads = threads;
    if (recorder) {
        options.computeSpectra = true;
        options.spectrumCount = recorder->spectrumCount();
        options.onLayer
            = [&](const LayerQuantResult &layer) { recorder->addLayer(layer, plan.forLayer(layer.layer)); };
    }
    return installPlan(model, std::move(checkpoint), plan, options, progress);
}

int failRun(CliRecorder *recorder, const QString &message, bool messageTellsCancel)
{
    const bool stopped = interrupted();
    if (recorder)
        recorder->finishRun(stopped ? QStringLiteral("cancelled by the user") : message);
    fail(stopped && !messageTellsCancel ? QStringLiteral("cancelled") : message);
    if (recorder && !recorder->summary().isEmpty())
        err(recorder->summary() + QLatin1Char('\n'));
    return stopped ? kInterruptedExitCode : 1;
}

int finishCommand(CliRecorder *recorder)
{
    if (!recorder)
        return 0;
    recorder->finishRun();
    if (recorder->hasError()) {
        const QString summary = recorder->summary();
        fail(QStringLiteral("the run could not be recorded: %1").arg(recorder->error()));
        if (!summary.isEmpty())
            err(summary + QLatin1Char('\n'));
        return 1;
    }
    if (!recorder->summary().isEmpty())
        err(recorder->summary() + QLatin1Char('\n'));
    return 0;
}

} // namespace lqer::cli
