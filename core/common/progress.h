#pragma once

// Progress reporting and cancellation for long operations (ARCHITECTURE.md: threading).
// A callback receives the fraction done in [0, 1] and a short message; it returns false to
// ask the operation to stop. Operations check it at least once per layer.

#include <QString>

#include <atomic>
#include <functional>
#include <memory>

namespace lqer {

using ProgressFn = std::function<bool(double fraction, const QString &message)>;

inline bool reportProgress(const ProgressFn &fn, double fraction, const QString &message)
{
    return fn ? fn(fraction, message) : true;
}

// A flag shared between the thread that asks for cancellation and the worker.
class CancelToken
{
public:
    CancelToken()
        : mFlag(std::make_shared<std::atomic<bool>>(false))
    { }

    void cancel() const { mFlag->store(true, std::memory_order_relaxed); }
    bool isCancelled() const { return mFlag->load(std::memory_order_relaxed); }

private:
    std::shared_ptr<std::atomic<bool>> mFlag;
};

} // namespace lqer
