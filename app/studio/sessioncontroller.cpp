#include "app/studio/sessioncontroller.h"

#include "app/studio/analysisview.h"
#include "app/studio/sessions.h"
#include "app/studio/studiohost.h"
#include "core/store/recorder.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QToolButton>

namespace lqer {

// Plan edits reach the session store this long after the last edit.
static const int kPlanSaveDelayMs = 600;

SessionController::SessionController(StudioHost &host, QObject *parent)
    : QObject(parent)
    , mHost(host)
    , mSessions(new SessionManager(this))
    , mBanner(new QFrame)
    , mBannerLabel(new QLabel)
{
    mPlanSaveTimer.setSingleShot(true);
    mPlanSaveTimer.setInterval(kPlanSaveDelayMs);
    connect(&mPlanSaveTimer, &QTimer::timeout, this, &SessionController::savePlanNow);

    // A non-modal warning above the views (e.g. "the model files changed since ...").
    mBanner->setObjectName(QStringLiteral("WarningBanner"));
    mBanner->setStyleSheet(
        QStringLiteral("#WarningBanner { background: #fff4c2; border: 1px solid #e0c060; }"));
    mBannerLabel->setWordWrap(true);
    mBannerLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *bannerClose = new QToolButton;
    bannerClose->setAutoRaise(true);
    bannerClose->setText(QStringLiteral("✕"));
    connect(bannerClose, &QToolButton::clicked, mBanner, &QWidget::hide);
    auto *bannerLayout = new QHBoxLayout(mBanner);
    bannerLayout->setContentsMargins(8, 4, 4, 4);
    bannerLayout->addWidget(mBannerLabel, 1);
    bannerLayout->addWidget(bannerClose, 0, Qt::AlignTop);
    mBanner->hide();
}

Status SessionController::openStore(const QString &path)
{
    const Status s = mSessions->open(path);
    if (!s)
        mHost.showError(tr("Session database unavailable"), s.error(),
                        tr("The studio works on without sessions (nothing is saved). The file was not "
                           "changed; choose another one with --db FILE or LQER_SESSIONS_DB."));
    else
        qInfo("lqer-studio: session database %s", qPrintable(mSessions->path()));
    return s;
}

QWidget *SessionController::banner() const
{
    return mBanner;
}

QString SessionController::bannerText() const
{
    return mBanner->isVisibleTo(mBanner->parentWidget()) ? mBannerLabel->text() : QString();
}

void SessionController::showBanner(const QString &text)
{
    mBannerLabel->setText(text);
    mBanner->show();
}

Expected<qint64> SessionController::ensureSession()
{
    if (!mSessions->isOpen())
        return makeError(tr("No session database is open"));
    const Document *doc = mHost.document();
    if (!doc)
        return makeError(tr("No checkpoint is open"));
    if (mSessionId)
        return mSessionId;
    auto id = mSessions->createSession(*doc, QString());
    if (!id)
        return id;
    mSessionId = *id;
    emit currentSessionChanged(mSessionId);
    return mSessionId;
}

void SessionController::detach()
{
    savePlanNow();
    mSessionId = 0;
    mBanner->hide();
    emit currentSessionChanged(0);
}

void SessionController::sessionDeleted(qint64 id)
{
    if (id != mSessionId)
        return;
    mPlanSaveTimer.stop();
    mPlanDirty = false;
    mSessionId = 0;
}

void SessionController::planChanged()
{
    const Document *doc = mHost.document();
    if (mRestoring || !mSessions->isOpen() || (doc && doc->isPacked()))
        return;
    mPlanDirty = true;
    mPlanSaveTimer.start(); // debounced: a burst of edits is one write
}

void SessionController::savePlanNow()
{
    if (!mPlanDirty)
        return;
    mPlanDirty = false;
    mPlanSaveTimer.stop();
    if (!mHost.document() || !mSessions->isOpen())
        return;
    auto id = ensureSession();
    Status s = id ? mSessions->savePlan(*id, mHost.document()->plan()) : Status(makeError(id.error()));
    if (!s)
        mHost.showError(tr("Cannot save the plan"), s.error(), tr("Check the session database (--db)."));
}

void SessionController::recordRun(const RunCapture &capture, bool ok, bool cancelled, const QString &error,
                                  double seconds)
{
    // Nothing computed (e.g. cancelled before the first layer): no run to keep.
    if (capture.isEmpty() || !mSessions->isOpen() || !mHost.document())
        return;
    auto session = ensureSession();
    if (!session) {
        mHost.showError(tr("Cannot save the run"), session.error(),
                        tr("The results stay in the window; check the session database (--db)."));
        return;
    }
    const RunStatus status
        = ok ? RunStatus::Complete : (cancelled ? RunStatus::Cancelled : RunStatus::Failed);
    auto run = mSessions->recordRun(*session, capture, status, seconds, cancelled ? QString() : error);
    if (!run) {
        mHost.showError(tr("Cannot save the run"), run.error(),
                        tr("The results stay in the window; check the session database (--db)."));
        return;
    }
    qInfo("lqer-studio: recorded run %lld (%s, %s, %d layers, %d perplexities) in session %lld: %.2f ms on "
          "the GUI thread",
          *run, qPrintable(capture.kind), qPrintable(runStatusName(status)), int(capture.layers.size()),
          int(capture.perplexities.size()), *session, mSessions->lastWriteMs());
}

void SessionController::statsLoaded(const QString &path)
{
    if (mRestoring || !mSessions->isOpen())
        return;
    auto id = ensureSession();
    Status saved = id ? mSessions->saveStats(*id, QFileInfo(path).absoluteFilePath(), fileFingerprint(path))
                      : Status(makeError(id.error()));
    if (!saved)
        mHost.showError(tr("Cannot save the plan"), saved.error(), tr("Check the session database (--db)."));
}

QString SessionController::calibrationStatsPath()
{
    // Beside the database, so the session reloads them.
    if (!mSessions->isOpen())
        return QString();
    auto id = ensureSession();
    if (!id)
        return QString();
    return QFileInfo(mSessions->path()).absolutePath()
        + QStringLiteral("/lqer-stats/session-%1-%2.safetensors")
              .arg(*id)
              .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-hhmmss")));
}

void SessionController::calibrationSaved(qint64 sessionId, const QString &path)
{
    if (path.isEmpty() || !sessionId || sessionId != mSessionId)
        return;
    const Status s = mSessions->saveStats(sessionId, path, fileFingerprint(path));
    if (!s)
        mHost.showError(tr("Cannot save the plan"), s.error(), tr("Check the session database (--db)."));
}

void SessionController::warnIfModelChanged(const QString &modelPath, const QString &savedFingerprint)
{
    // The model files must be the ones the results were computed from.
    const QString now = mHost.document()->checkpoint()->fingerprint();
    if (savedFingerprint.isEmpty() || now == savedFingerprint)
        return;
    const QString warning
        = tr("The model files changed since this session was saved (%1): the stored results were "
             "computed from other weights. Re-run the jobs to refresh them. (fingerprint %2… now %3…)")
              .arg(modelPath, savedFingerprint.left(12), now.left(12));
    showBanner(warning);
    qWarning("lqer-studio: %s", qPrintable(warning));
    if (!mHost.quietErrors()) {
        auto *box = new QMessageBox(QMessageBox::Warning, tr("Model files changed"), warning, QMessageBox::Ok,
                                    mHost.hostWidget());
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open(); // window-modal but non-blocking
    }
}

QString SessionController::loadSessionStats(const QString &path, const QString &fingerprint)
{
    // Statistics saved with the session, when still there and unchanged; else why not.
    if (path.isEmpty())
        return QString();
    if (!QFileInfo::exists(path))
        return tr("The session's statistics %1 are missing.").arg(path);
    if (!fingerprint.isEmpty() && fileFingerprint(path) != fingerprint)
        return tr("The session's statistics %1 changed since; not loaded.").arg(path);
    auto stats = loadStats(path);
    if (!stats)
        return stats.error();
    mHost.document()->setStats(std::make_shared<const StatsMap>(std::move(*stats)), path);
    return QString();
}

Status SessionController::showWithoutModel(qint64 sessionId, const QString &why)
{
    auto snap = mSessions->snapshot(sessionId);
    if (!snap)
        return makeError(snap.error());
    for (const auto &view : mHost.views())
        view->restore(*snap);
    showBanner(why);
    qWarning("lqer-studio: %s", qPrintable(why));
    return Status::success();
}

Status SessionController::openSession(qint64 sessionId)
{
    QElapsedTimer timer;
    timer.start();
    auto snap = mSessions->snapshot(sessionId);
    if (!snap) {
        mHost.showError(tr("Cannot open the session"), snap.error(),
                        tr("Check the session database (--db)."));
        return makeError(snap.error());
    }
    const double readMs = timer.nsecsElapsed() / 1e6;
    const SessionRecord &session = snap->session;
    const QString modelPath = session.model.path;
    if (Status s = mHost.openCheckpoint(modelPath, true); !s) { // one dialog, the session's
        const QString what
            = tr("Session \"%1\": its model %2 cannot be opened: %3").arg(session.name, modelPath, s.error());
        mHost.showError(
            tr("Cannot open the session"), what,
            tr("Move the model back to %1, or open the model and start a new session.").arg(modelPath));
        return makeError(what);
    }
    Document *doc = mHost.document();
    mSessionId = sessionId;
    mRestoring = true;
    doc->restore(session.plan, snap->results);
    warnIfModelChanged(modelPath, session.model.fingerprint);
    const QString statsNote = loadSessionStats(session.statsPath, session.statsFingerprint);
    if (snap->fp32Perplexity)
        doc->setFp32Perplexity(*snap->fp32Perplexity);
    if (snap->perplexity)
        doc->setPerplexity(*snap->perplexity);
    for (const auto &view : mHost.views())
        view->restore(*snap);
    mHost.refreshViews();
    // The spectrum of the first layer with a stored result; the heatmap is computed when shown.
    for (const LinearLayerInfo &l : doc->layers()) {
        if (doc->result(l.weightName)) {
            mHost.selectLayer(l.weightName);
            break;
        }
    }
    mRestoring = false;
    emit currentSessionChanged(sessionId);
    mHost.hostWidget()->setWindowTitle(tr("%1 — %2 — LQER Studio").arg(session.name, doc->displayName()));
    mReopenMs = timer.nsecsElapsed() / 1e6;
    qInfo("lqer-studio: reopened session %lld \"%s\": %d stored layer results from %d run(s), database read "
          "%.1f ms, total with the views %.1f ms, no job run",
          sessionId, qPrintable(session.name), int(snap->results.size()), snap->runsRead, readMs, mReopenMs);
    mHost.showStatus(tr("Reopened session \"%1\": %2 stored layer results, %3 run(s), in %4 ms. %5")
                         .arg(session.name)
                         .arg(snap->results.size())
                         .arg(snap->runs.size())
                         .arg(mReopenMs, 0, 'f', 0)
                         .arg(statsNote),
                     10000);
    return Status::success();
}

} // namespace lqer
