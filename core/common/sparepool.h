#pragma once

// Buffers that finished tasks hand back and new tasks take again, each keeping the capacity of
// the largest job it held: a long run over layers then neither allocates nor faults in fresh
// pages per task (a 7B-shaped layer's fp32 weight is 180 MB). Thread-safe.

#include <memory>
#include <mutex>
#include <vector>

namespace lqer {

template<typename T> class SparePool
{
public:
    // A buffer given back earlier, or a new one.
    std::shared_ptr<T> take()
    {
        std::lock_guard<std::mutex> lock(mMutex);
        if (mSpares.empty())
            return std::make_shared<T>();
        std::shared_ptr<T> b = std::move(mSpares.back());
        mSpares.pop_back();
        return b;
    }

    void give(std::shared_ptr<T> buffer)
    {
        std::lock_guard<std::mutex> lock(mMutex);
        mSpares.push_back(std::move(buffer));
    }

private:
    std::mutex mMutex;
    std::vector<std::shared_ptr<T>> mSpares;
};

} // namespace lqer
