#pragma once

// Runs `count` independent work items (windows, calibration samples) on a few threads.
// The calling thread works too and is the only one that calls `progress`, so a CLI progress
// bar or a GUI promise never sees concurrent calls. Eigen stays single-threaded inside each
// item (ARCHITECTURE.md: parallelism is per item, not nested).

#include "core/common/expected.h"
#include "core/common/progress.h"

#include <QString>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace lqer {

// `work(i)` returns an error to stop everything; the first error wins. Returns "cancelled"
// when `progress` returned false.
inline Status runParallel(int count, int threads, const std::function<Status(int)> &work,
                          const ProgressFn &progress = {}, const QString &message = QString())
{
    if (count <= 0)
        return Status::success();
    if (threads <= 0)
        threads = std::max(1, QThread::idealThreadCount());
    threads = std::min(threads, count);
    std::atomic<int> next {0};
    std::atomic<int> done {0};
    std::atomic<bool> stop {false};
    std::mutex errorMutex;
    QString firstError;
    // Takes the next item and runs it; false when there is nothing left or everything stops.
    auto runNext = [&]() -> bool {
        if (stop.load(std::memory_order_relaxed))
            return false;
        const int i = next.fetch_add(1);
        if (i >= count)
            return false;
        if (Status s = work(i); !s) {
            std::lock_guard<std::mutex> lock(errorMutex);
            if (firstError.isEmpty())
                firstError = s.error();
            stop = true;
        }
        done.fetch_add(1);
        return true;
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t)
        pool.emplace_back([&]() {
            while (runNext()) { }
        });
    bool cancelled = false;
    // The calling thread works and reports progress between its items.
    while (runNext()) {
        if (!reportProgress(progress, double(done.load()) / count, message)) {
            cancelled = true;
            stop = true;
        }
    }
    for (std::thread &t : pool)
        t.join();
    if (!firstError.isEmpty())
        return makeError(firstError);
    if (cancelled)
        return makeError(QStringLiteral("cancelled"));
    reportProgress(progress, 1.0, message);
    return Status::success();
}

} // namespace lqer
