#pragma once

// The session side of the studio, on top of SessionManager: which session the document belongs
// to (created lazily, on the first plan edit or finished job), the debounced plan autosave, the
// recording of finished jobs as runs, the statistics a session reloads, reopening a session
// (every view redrawn from the database without computing), and the banner that warns when the
// model files changed since a session was saved.

#include "core/common/expected.h"

#include <QObject>
#include <QTimer>

class QFrame;
class QLabel;
class QWidget;

namespace lqer {

class SessionManager;
class StudioHost;
struct RunCapture;

class SessionController : public QObject
{
    Q_OBJECT

public:
    SessionController(StudioHost &host, QObject *parent = nullptr);

    SessionManager *manager() const { return mSessions; }
    // The store at `path` (empty: LQER_SESSIONS_DB or the default location); on failure the
    // error is shown and the studio works on without sessions.
    Status openStore(const QString &path);

    // 0 = none yet.
    qint64 currentSessionId() const { return mSessionId; }
    // The current session, created for the document when there is none.
    Expected<qint64> ensureSession();
    // The document now open does not belong to a session (yet); a pending plan edit is saved
    // first.
    void detach();
    // The session `id` was deleted elsewhere: when it is the current one, the document stays
    // open and its next edit or run starts a new session.
    void sessionDeleted(qint64 id);

    // Reopens a session: its model, plan, statistics and stored results. Warns (banner and,
    // unless errors are quiet, a non-blocking message box) when the model files changed since.
    Status openSession(qint64 sessionId);
    // A session whose model is not on this machine (a workshop bundle opened elsewhere): what
    // needs no model is shown (the rank sweep from its runs; the runs themselves in the sessions
    // browser) and the banner says `why`. The document open before, if any, stays open and does
    // not belong to the session (detach() it before opening the session's store).
    Status showWithoutModel(qint64 sessionId, const QString &why);
    bool isRestoring() const { return mRestoring; }
    double lastReopenMs() const { return mReopenMs; }

    // Plan autosave: an edit is written kPlanSaveDelayMs after the last one, or now.
    void planChanged();
    void savePlanNow();

    // Records a finished job as one run of the current session (nothing computed: no run).
    void recordRun(const RunCapture &capture, bool ok, bool cancelled, const QString &error, double seconds);
    // Statistics loaded from `path`: the session reloads them from there.
    void statsLoaded(const QString &path);
    // Where a calibration of the current session saves its statistics (empty without a
    // database), and the hook that records them once written.
    QString calibrationStatsPath();
    void calibrationSaved(qint64 sessionId, const QString &path);

    // The warning banner (the window places it above the views) and its text while shown.
    QWidget *banner() const;
    QString bannerText() const;

signals:
    void currentSessionChanged(qint64 sessionId);

private:
    void showBanner(const QString &text);
    QString loadSessionStats(const QString &path, const QString &fingerprint);
    void warnIfModelChanged(const QString &modelPath, const QString &savedFingerprint);

    StudioHost &mHost;
    SessionManager *mSessions;
    qint64 mSessionId = 0;
    double mReopenMs = 0;
    bool mRestoring = false;
    bool mPlanDirty = false; // an edit not yet saved to the session
    QTimer mPlanSaveTimer;
    QFrame *mBanner;
    QLabel *mBannerLabel;
};

} // namespace lqer
