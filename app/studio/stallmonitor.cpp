#include "app/studio/stallmonitor.h"

#include <algorithm>

namespace lqer {

static constexpr int kIntervalMs = 5;

StallMonitor::StallMonitor(QObject *parent)
    : QObject(parent)
{
    mTimer.setInterval(kIntervalMs);
    mTimer.setTimerType(Qt::PreciseTimer);
    connect(&mTimer, &QTimer::timeout, this, &StallMonitor::tick);
}

void StallMonitor::start()
{
    reset();
    mTimer.start();
}

void StallMonitor::stop()
{
    mTimer.stop();
}

void StallMonitor::reset()
{
    mClock.start();
    mLastNs = mClock.nsecsElapsed();
    mMaxStallMs = 0;
    mTicks = 0;
}

void StallMonitor::tick()
{
    const qint64 now = mClock.nsecsElapsed();
    // The stall is the gap beyond the timer's own interval.
    const double gapMs = (now - mLastNs) / 1e6 - kIntervalMs;
    mLastNs = now;
    ++mTicks;
    mMaxStallMs = std::max(mMaxStallMs, gapMs);
}

} // namespace lqer
