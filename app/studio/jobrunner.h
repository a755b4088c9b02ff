#pragma once

// Runs one long job at a time on its own worker thread (STYLE.md §3): progress with an ETA,
// cancellation that the job sees at its next progress check (the pipeline checks inside the
// SVD too), and "the newest request wins": starting a job while one runs cancels the running one
// and starts the new one as soon as it has stopped. The destructor cancels and waits.
//
// A job is a function run on the worker thread. It reports progress through ctx.progress (which
// returns false once cancelled) and delivers results with ctx.post, which runs a function on the
// GUI thread (queued), so results arrive layer by layer while the job continues.

#include "core/common/expected.h"
#include "core/common/progress.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>

namespace lqer {

struct JobContext
{
    ProgressFn progress; // worker thread; false = stop
    CancelToken cancel;
    std::function<void(std::function<void()>)> post; // run on the GUI thread, in order
};

using JobFunction = std::function<Status(JobContext &ctx)>;
// Called on the GUI thread when the job ends, before JobRunner::finished: ok, cancelled, error,
// seconds. A job replaced before it started ends "cancelled" without having run.
using JobDone = std::function<void(bool ok, bool cancelled, const QString &error, double seconds)>;

class JobRunner : public QObject
{
    Q_OBJECT

public:
    explicit JobRunner(QObject *parent = nullptr);
    ~JobRunner() override;

    // Starts `job` (or queues it behind the cancellation of the running one).
    void start(const QString &title, JobFunction job, JobDone done = {});
    void cancel();
    bool isRunning() const { return mThread != nullptr; }
    QString title() const { return mTitle; }
    // For tests and the screenshot mode: processes events until idle or `msecs` passed.
    bool waitForIdle(int msecs);

    static QString formatDuration(double seconds);

signals:
    void started(const QString &title);
    // fraction in [0, 1]; etaSeconds < 0 when unknown.
    void progress(double fraction, const QString &message, double etaSeconds);
    // ok = finished without error; cancelled = stopped on request. error names what failed.
    void finished(const QString &title, bool ok, bool cancelled, const QString &error, double seconds);
    void idle();

private:
    void launch(const QString &title, JobFunction job, JobDone done);
    void onThreadFinished();

    QThread *mThread = nullptr;
    CancelToken mCancel;
    QString mTitle;
    JobDone mDone;
    QElapsedTimer mTimer;
    // Set by the worker, read after it finished.
    std::shared_ptr<Status> mStatus;
    bool mHasPending = false;
    QString mPendingTitle;
    JobFunction mPending;
    JobDone mPendingDone;
};

} // namespace lqer
