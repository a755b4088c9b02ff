#include "app/studio/jobcontroller.h"

#include "app/studio/jobkinds/registry.h"
#include "app/studio/sessioncontroller.h"
#include "app/studio/sessions.h"
#include "app/studio/studiohost.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace lqer {

static const QString kEvalTextKey = QStringLiteral("studio.evaluation.textPath");

AnalysisRequest analysisRequest(const Document &document, const QStringList &layers)
{
    AnalysisRequest r;
    r.checkpoint = document.checkpoint();
    r.plan = document.plan();
    r.layers = layers;
    r.stats = document.stats();
    return r;
}

PreparedJob recordedAnalysis(StudioHost &host, const QString &kind, const QString &title,
                             const QStringList &layers)
{
    const Document &doc = *host.document();
    const QStringList planned = layers.isEmpty() ? doc.layerNames() : layers;
    QString note;
    const Plan plan = effectivePlan(doc.plan(), planned, doc.stats().get(), &note);
    if (!note.isEmpty())
        host.showStatus(note, 10000);
    auto capture = std::make_shared<RunCapture>();
    capture->kind = kind;
    capture->plan = doc.plan();
    capture->expectedLayers = int(planned.size());
    PreparedJob job;
    job.title = title;
    job.capture = capture;
    job.work = makeAnalysisJob(analysisRequest(doc, layers), [&host, capture, plan](const LayerResult &r) {
        if (Document *current = host.document())
            current->setLayerResult(r);
        capture->layers << layerRunRecordFromResult(r, plan.forLayer(r.layer));
    });
    return job;
}

PerplexityRecord perplexityRecord(const EvalProtocol &e, const QString &label)
{
    PerplexityRecord p = e; // EvalProtocol is the record without its label
    p.label = label;
    return p;
}

QString sharedCorpusText(const Document &document, const QString &fileName)
{
    const QDir dir(document.checkpoint()->directory());
    const QString guess
        = QDir::cleanPath(dir.absoluteFilePath(QStringLiteral("../../data/lqs-corpus/") + fileName));
    return QFileInfo::exists(guess) ? guess : QString();
}

EvalRequest evaluationRequest(const StudioHost &host)
{
    EvalRequest req;
    req.analysis = analysisRequest(*host.document(), {});
    req.maxWindows = host.evaluationWindows();
    req.textPath = host.evaluationText();
    if (req.textPath.isEmpty())
        req.textPath = QSettings().value(kEvalTextKey).toString();
    if (req.textPath.isEmpty() || !QFileInfo::exists(req.textPath))
        req.textPath = sharedCorpusText(*host.document(), QStringLiteral("heldout.txt"));
    return req;
}

Expected<QHash<QString, QString>> jobArgumentPairs(const QString &argument)
{
    QHash<QString, QString> pairs;
    for (const QString &part : argument.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const qsizetype eq = part.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return makeError(QStringLiteral("'%1' is not key=value").arg(part));
        pairs.insert(part.left(eq).trimmed(), part.mid(eq + 1).trimmed());
    }
    return pairs;
}

void rememberEvaluationText(const QString &path)
{
    QSettings().setValue(kEvalTextKey, path);
}

JobController::JobController(StudioHost &host, JobRunner *runner, SessionController *sessions,
                             QObject *parent)
    : QObject(parent)
    , mHost(host)
    , mRunner(runner)
    , mSessions(sessions)
    , mKinds(createJobKinds())
{ }

JobController::~JobController() = default;

JobKind *JobController::kind(const QString &id) const
{
    for (const auto &k : mKinds)
        if (k->id() == id)
            return k.get();
    return nullptr;
}

QStringList JobController::kindIds() const
{
    QStringList ids;
    for (const auto &k : mKinds)
        ids << k->id();
    return ids;
}

bool JobController::isRunningOtherThan(const QString &id) const
{
    const JobKind *k = kind(id);
    return mRunner->isRunning() && (!k || mRunner->title() != k->title());
}

bool JobController::start(const QString &id, const QString &argument)
{
    JobKind *k = kind(id);
    if (!k || !mHost.document())
        return false;
    std::optional<PreparedJob> job = k->prepare(mHost, argument);
    if (!job)
        return false;
    JobDone done;
    if (job->done || job->capture) {
        done = [this, capture = job->capture, hook = job->done](bool ok, bool cancelled, const QString &error,
                                                                double seconds) {
            if (hook)
                hook(ok, cancelled, error, seconds);
            if (capture)
                mSessions->recordRun(*capture, ok, cancelled, error, seconds);
        };
    }
    mRunner->start(job->title.isEmpty() ? k->title() : job->title, std::move(job->work), std::move(done));
    return true;
}

} // namespace lqer
