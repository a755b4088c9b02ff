#include "app/studio/jobrunner.h"

#include <QCoreApplication>
#include <QDeadlineTimer>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace lqer {

// The nice value of a job's thread. On Linux QThread::LowPriority changes nothing (SCHED_OTHER has
// one static priority), but each thread has its own nice value, inherited by the threads it
// starts (the SVD's product threads): a job that keeps every core busy then still leaves the GUI
// thread the CPU the moment it needs it (a replot, a paint), instead of a time slice in turn.
static constexpr int kJobNice = 5;

static void yieldToGuiThread()
{
#ifdef Q_OS_LINUX
    (void)setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), kJobNice);
#endif
}

JobRunner::JobRunner(QObject *parent)
    : QObject(parent)
{ }

JobRunner::~JobRunner()
{
    // Destructors cancel and wait (STYLE.md §3): no detached threads outlive the window.
    mHasPending = false;
    if (mThread) {
        mCancel.cancel();
        mThread->wait();
        delete mThread;
        mThread = nullptr;
    }
}

void JobRunner::start(const QString &title, JobFunction job, JobDone done)
{
    if (mThread) {
        // The newest request wins: stop the running job, start this one when it has stopped.
        if (mHasPending && mPendingDone)
            mPendingDone(false, true, QString(), 0.0);
        mPendingTitle = title;
        mPending = std::move(job);
        mPendingDone = std::move(done);
        mHasPending = true;
        mCancel.cancel();
        return;
    }
    launch(title, std::move(job), std::move(done));
}

void JobRunner::cancel()
{
    if (mHasPending && mPendingDone)
        mPendingDone(false, true, QString(), 0.0);
    mHasPending = false;
    mPending = nullptr;
    mPendingDone = nullptr;
    if (mThread)
        mCancel.cancel();
}

void JobRunner::launch(const QString &title, JobFunction job, JobDone done)
{
    mCancel = CancelToken();
    mTitle = title;
    mDone = std::move(done);
    mStatus = std::make_shared<Status>();
    mTimer.start();

    const CancelToken cancel = mCancel;
    const std::shared_ptr<Status> status = mStatus;
    QPointer<JobRunner> self(this);
    auto elapsed = std::make_shared<QElapsedTimer>();
    elapsed->start();
    // Progress reaches the GUI at most every 40 ms: a pipeline on a small model reports far
    // more often than a progress bar can show, and each report is an event to process.
    auto lastPost = std::make_shared<qint64>(-1000000000LL);

    mThread = QThread::create([job = std::move(job), cancel, status, self, elapsed, lastPost]() {
        yieldToGuiThread();
        JobContext ctx;
        ctx.cancel = cancel;
        ctx.post = [self](std::function<void()> fn) {
            if (self)
                QMetaObject::invokeMethod(self.data(), std::move(fn), Qt::QueuedConnection);
        };
        ctx.progress = [self, cancel, elapsed, lastPost](double fraction, const QString &message) {
            const qint64 now = elapsed->nsecsElapsed();
            if (fraction >= 1.0 || now - *lastPost > 40000000LL) {
                *lastPost = now;
                const double seconds = now / 1e9;
                const double eta = fraction > 0.01 ? seconds * (1.0 - fraction) / fraction : -1.0;
                if (self)
                    QMetaObject::invokeMethod(
                        self.data(),
                        [self, fraction, message, eta] {
                            if (self)
                                emit self->progress(fraction, message, eta);
                        },
                        Qt::QueuedConnection);
            }
            return !cancel.isCancelled();
        };
        // The engine reports failures as Status; an exception that still escapes (std::bad_alloc
        // on a huge layer, a library's own throw) must end the job with its message, not
        // terminate the studio.
        try {
            *status = job(ctx);
        } catch (const std::exception &e) {
            *status = makeError(QStringLiteral("internal error: %1").arg(QString::fromUtf8(e.what())));
        } catch (...) {
            *status = makeError(QStringLiteral("internal error: unknown exception"));
        }
    });
    connect(mThread, &QThread::finished, this, &JobRunner::onThreadFinished);
    emit started(title);
    emit progress(0.0, title, -1.0);
    mThread->start(QThread::LowPriority);
}

void JobRunner::onThreadFinished()
{
    QThread *thread = mThread;
    mThread = nullptr;
    thread->deleteLater();
    const bool cancelled = mCancel.isCancelled();
    const Status status = *mStatus;
    const double seconds = mTimer.nsecsElapsed() / 1e9;
    if (JobDone done = std::move(mDone)) {
        mDone = nullptr;
        done(status.ok() && !cancelled, cancelled, status.ok() ? QString() : status.error(), seconds);
    }
    emit finished(mTitle, status.ok() && !cancelled, cancelled, status.ok() ? QString() : status.error(),
                  seconds);
    if (mHasPending) {
        mHasPending = false;
        JobFunction job = std::move(mPending);
        JobDone done = std::move(mPendingDone);
        mPending = nullptr;
        mPendingDone = nullptr;
        launch(mPendingTitle, std::move(job), std::move(done));
        return;
    }
    emit idle();
}

bool JobRunner::waitForIdle(int msecs)
{
    QDeadlineTimer deadline(msecs);
    while (mThread || mHasPending) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(2);
    }
    // Deliver the results the worker posted just before it finished.
    QCoreApplication::processEvents();
    return true;
}

QString JobRunner::formatDuration(double seconds)
{
    if (seconds < 0)
        return QStringLiteral("–");
    const qint64 s = qint64(seconds + 0.5);
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return tr("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
}

} // namespace lqer
