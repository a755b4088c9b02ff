#pragma once

// The running job in the status bar: its title, progress, ETA, the studio's current anonymous
// memory (sampled twice a second), a cancel button, and the longest event-loop stall while it
// runs. After the job the memory label shows the highest reading while it ran.

#include <QObject>
#include <QTimer>

class QAction;
class QLabel;
class QProgressBar;
class QStatusBar;
class QToolButton;

namespace lqer {

class JobStatus : public QObject
{
    Q_OBJECT

public:
    // Adds its widgets to `bar`; the button triggers `cancel`.
    JobStatus(QStatusBar *bar, QAction *cancel, QObject *parent = nullptr);

    void started(const QString &title);
    void progress(double fraction, double etaSeconds, double maxStallMs);
    void finished(double maxStallMs);

    // The latest RssAnon reading and the highest one since the job started (bytes; -1 where
    // /proc is unavailable).
    qint64 memoryBytes() const { return mMemoryBytes; }
    qint64 jobPeakMemoryBytes() const { return mJobPeakBytes; }

private:
    void sampleMemory();
    void updateMemoryTip();

    QLabel *mInfoLabel;
    QProgressBar *mProgress;
    QLabel *mEtaLabel;
    QToolButton *mCancelButton;
    QLabel *mStallLabel;
    QLabel *mMemoryLabel;
    QTimer mMemoryTimer;
    qint64 mMemoryBytes = -1;
    qint64 mJobPeakBytes = -1;
};

} // namespace lqer
