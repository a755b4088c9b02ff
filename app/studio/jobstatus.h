#pragma once

// The running job in the status bar: its title, progress, ETA, a cancel button, and the
// longest event-loop stall while it runs.

#include <QObject>

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

private:
    QLabel *mInfoLabel;
    QProgressBar *mProgress;
    QLabel *mEtaLabel;
    QToolButton *mCancelButton;
    QLabel *mStallLabel;
};

} // namespace lqer
