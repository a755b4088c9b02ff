#pragma once

// Measures how long the GUI thread's event loop is blocked: a 5 ms timer that records the
// largest gap between two ticks beyond its interval. The goal is < 50 ms during a
// whole-model job; the status bar shows the figure and the log records it per job.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace lqer {

class StallMonitor : public QObject
{
    Q_OBJECT

public:
    explicit StallMonitor(QObject *parent = nullptr);

    void start();
    void stop();
    void reset();
    double maxStallMs() const { return mMaxStallMs; }
    qint64 ticks() const { return mTicks; }

private:
    void tick();

    QTimer mTimer;
    QElapsedTimer mClock;
    qint64 mLastNs = 0;
    double mMaxStallMs = 0;
    qint64 mTicks = 0;
};

} // namespace lqer
