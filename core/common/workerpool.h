#pragma once

// A fixed number of worker threads taking tasks from a queue, in the order they were started.
// Built on std::thread, std::mutex and std::condition_variable rather than QThreadPool: the
// hand-off of a task to its worker is then visible to ThreadSanitizer (Debian's Qt is not
// instrumented, so TSan cannot see QThreadPool's internal locking and reports every captured
// value a task reads as a race).

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace lqer {

class WorkerPool
{
public:
    explicit WorkerPool(int threads)
        : mThreads(threads < 1 ? 1 : threads)
    { }
    ~WorkerPool() { waitForDone(); }
    WorkerPool(const WorkerPool &) = delete;
    WorkerPool &operator=(const WorkerPool &) = delete;

    // Queues `task`; a worker starts on it as soon as one is free (workers start lazily).
    void start(std::function<void()> task)
    {
        {
            std::lock_guard<std::mutex> lock(mMutex);
            mQueue.push_back(std::move(task));
            if (int(mWorkers.size()) < mThreads && int(mQueue.size()) > mIdle)
                mWorkers.emplace_back([this] { work(); });
        }
        mWake.notify_one();
    }

    // Runs every queued task to its end and joins the workers; the pool can be used again.
    void waitForDone()
    {
        {
            std::lock_guard<std::mutex> lock(mMutex);
            mClosing = true;
        }
        mWake.notify_all();
        for (std::thread &t : mWorkers)
            t.join();
        std::lock_guard<std::mutex> lock(mMutex);
        mWorkers.clear();
        mIdle = 0;
        mClosing = false;
    }

private:
    void work()
    {
        std::unique_lock<std::mutex> lock(mMutex);
        for (;;) {
            ++mIdle;
            mWake.wait(lock, [this] { return mClosing || !mQueue.empty(); });
            --mIdle;
            if (mQueue.empty())
                return; // closing and nothing left
            std::function<void()> task = std::move(mQueue.front());
            mQueue.pop_front();
            lock.unlock();
            task();
            task = nullptr; // captured values die outside the lock, in this thread
            lock.lock();
        }
    }

    const int mThreads;
    std::mutex mMutex;
    std::condition_variable mWake;
    std::deque<std::function<void()>> mQueue;
    std::vector<std::thread> mWorkers;
    int mIdle = 0;
    bool mClosing = false;
};

} // namespace lqer
