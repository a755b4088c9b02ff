#include "core/job/pipeline.h"

#include "core/model/architecture.h"

#include <QElapsedTimer>
#include <QThread>
#include <QThreadPool>

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>

namespace lqer {

namespace {

// The layers to run, in model order; unknown names are an error naming them. Layers the plan
// leaves unquantized are dropped.
Expected<QList<LinearLayerInfo>> selectLayers(const PipelineConfig &config)
{
    const Checkpoint &ckpt = *config.checkpoint;
    auto linears = quantizableLinears(ckpt);
    if (!linears)
        return Error {linears.error()};
    QList<LinearLayerInfo> todo;
    if (config.layers.isEmpty()) {
        todo = *linears;
    } else {
        for (const QString &name : config.layers) {
            bool found = false;
            for (const LinearLayerInfo &info : *linears)
                found = found || info.weightName == name;
            if (!found)
                return makeError(
                    QStringLiteral("%1: not a quantizable linear layer of %2").arg(name, ckpt.directory()));
        }
        for (const LinearLayerInfo &info : *linears)
            if (config.layers.contains(info.weightName))
                todo.append(info);
    }
    QList<LinearLayerInfo> selected;
    for (const LinearLayerInfo &info : todo)
        if (config.plan.forLayer(info.weightName).quantize)
            selected.append(info);
    return selected;
}

// Statistics are checked up front so a missing layer fails before any work starts.
Status checkStatsCover(const PipelineConfig &config, const QList<LinearLayerInfo> &selected)
{
    for (const LinearLayerInfo &info : selected) {
        const LayerPlan lp = config.plan.forLayer(info.weightName);
        const bool needs = lp.method != Method::Plain && lp.rank > 0 && methodNeedsStats(lp.method);
        if (!needs)
            continue;
        if (!config.stats)
            return makeError(QStringLiteral("%1: method %2 needs calibration statistics (none given)")
                                 .arg(info.weightName, methodName(lp.method)));
        if (!config.stats->contains(info.weightName))
            return makeError(
                QStringLiteral("%1: missing from the calibration statistics (method %2 needs them)")
                    .arg(info.weightName, methodName(lp.method)));
        if (methodNeedsGram(lp.method) && !config.stats->value(info.weightName).hasGram())
            return makeError(
                QStringLiteral("%1: the calibration statistics have no Gram matrix (QERA-exact needs it)")
                    .arg(info.weightName));
    }
    return {};
}

// Runs the selected layers on a pool of workers and hands their results back in model order.
// Weights are loaded on the calling thread when a worker is free; finished layers wait in
// `mWaiting` until every earlier one is out.
class LayerScheduler
{
public:
    LayerScheduler(const PipelineConfig &config, const QList<LinearLayerInfo> &selected,
                   const ProgressFn &progress, const std::function<void(const LayerQuantResult &)> &onLayer)
        : mConfig(config)
        , mSelected(selected)
        , mProgress(progress)
        , mOnLayer(onLayer)
        , mTotal(int(selected.size()))
        , mThreads(std::max(1, config.threads > 0 ? config.threads : QThread::idealThreadCount()))
    {
        mPool.setMaxThreadCount(mThreads);
    }

    // Fills `result` with the emitted layers; an error is the first layer failure (a cancel is
    // not one).
    Status run(PipelineResult &result)
    {
        while (mNextToEmit < mTotal) {
            submitWhileFree();
            if (mInFlight == 0)
                break; // cancelled or failed with nothing running
            collectFinished();
            emitInOrder(result);
        }
        mPool.waitForDone();

        if (!mFirstError.isEmpty())
            return makeError(mFirstError);
        result.cancelled = mNextToEmit < mTotal;
        // After a cancel, layers that finished beyond the first gap are still returned (in order).
        for (auto &entry : mWaiting) {
            if (mOnLayer)
                mOnLayer(entry.second);
            result.layers.append(std::move(entry.second));
        }
        return {};
    }

private:
    struct Finished
    {
        int index = 0;
        Expected<LayerQuantResult> result = makeError(QString());
    };

    // Completed layers handed from the worker threads to the calling thread.
    struct Mailbox
    {
        std::mutex mutex;
        std::condition_variable ready;
        std::deque<Finished> done;
    };

    // One token for the workers: set by progress() returning false or by the caller's token.
    bool cancelRequested() const
    {
        return mCancel.isCancelled() || (mConfig.cancel && mConfig.cancel->isCancelled());
    }

    void fail(const QString &error)
    {
        if (mFirstError.isEmpty())
            mFirstError = error;
        mCancel.cancel();
    }

    // Keep every worker busy, but never hold more than 2×threads layers between loading and
    // emission (a slow early layer must not let finished ones pile up unboundedly).
    void submitWhileFree()
    {
        while (!cancelRequested() && mFirstError.isEmpty() && mNextToSubmit < mTotal && mInFlight < mThreads
               && int(mWaiting.size()) + mInFlight < 2 * mThreads) {
            if (Status st = submit(mNextToSubmit); !st) {
                fail(st.error());
                break;
            }
            ++mNextToSubmit;
        }
    }

    Status submit(int index)
    {
        const LinearLayerInfo &info = mSelected.at(index);
        // Loaded on the calling thread: the checkpoint's reader need not be thread-safe, and
        // loading only when a worker is free bounds memory to ~`threads` layers.
        auto weight = loadLinearWeight(*mConfig.checkpoint, info);
        if (!weight)
            return Error {weight.error()};
        LayerQuantOptions options;
        options.plan = mConfig.plan.forLayer(info.weightName);
        options.svd = mConfig.plan.svd;
        options.computeSpectra = mConfig.computeSpectra;
        options.spectrumCount = mConfig.spectrumCount;
        const LayerStats *stats = nullptr;
        if (mConfig.stats) {
            auto it = mConfig.stats->constFind(info.weightName);
            if (it != mConfig.stats->constEnd())
                stats = &it.value();
        }
        auto w = std::make_shared<MatrixRM>(std::move(*weight));
        const QString name = info.weightName;
        Mailbox *mailbox = &mMailbox;
        CancelToken *cancel = &mCancel;
        mPool.start([mailbox, cancel, w, name, stats, options, index]() {
            Finished f;
            f.index = index;
            f.result = quantizeLayer(name, *w, stats, options, cancel);
            std::lock_guard<std::mutex> lock(mailbox->mutex);
            mailbox->done.push_back(std::move(f));
            mailbox->ready.notify_one();
        });
        ++mInFlight;
        return Status::success();
    }

    // Takes what the workers finished (waking periodically to notice the caller's external
    // cancel token) into `mWaiting`, reporting progress per layer.
    void collectFinished()
    {
        std::deque<Finished> batch;
        {
            std::unique_lock<std::mutex> lock(mMailbox.mutex);
            mMailbox.ready.wait_for(lock, std::chrono::milliseconds(50),
                                    [&] { return !mMailbox.done.empty(); });
            batch.swap(mMailbox.done);
        }
        if (mConfig.cancel && mConfig.cancel->isCancelled())
            mCancel.cancel();
        for (Finished &f : batch) {
            --mInFlight;
            if (!f.result) {
                if (f.result.error() != cancelledMessage() && mFirstError.isEmpty())
                    fail(f.result.error());
                continue;
            }
            ++mFinishedCount;
            LayerQuantResult r = std::move(*f.result);
            if (!mConfig.keepLinears) {
                r.linear.releaseMatrices();
            }
            mWaiting.emplace(f.index, std::move(r));
            if (!cancelRequested()
                && !reportProgress(mProgress, double(mFinishedCount) / double(mTotal),
                                   mSelected.at(f.index).weightName))
                mCancel.cancel();
        }
    }

    void emitInOrder(PipelineResult &result)
    {
        for (auto it = mWaiting.find(mNextToEmit); it != mWaiting.end(); it = mWaiting.find(mNextToEmit)) {
            if (mOnLayer)
                mOnLayer(it->second);
            result.layers.append(std::move(it->second));
            mWaiting.erase(it);
            ++mNextToEmit;
        }
    }

    const PipelineConfig &mConfig;
    const QList<LinearLayerInfo> &mSelected;
    const ProgressFn &mProgress;
    const std::function<void(const LayerQuantResult &)> &mOnLayer;
    const int mTotal;
    const int mThreads;
    CancelToken mCancel;
    Mailbox mMailbox;
    QThreadPool mPool; // declared after what its tasks use, so it is destroyed (and waited) first
    std::map<int, LayerQuantResult> mWaiting; // finished out of order, waiting for earlier layers
    int mNextToSubmit = 0;
    int mNextToEmit = 0;
    int mInFlight = 0;
    int mFinishedCount = 0;
    QString mFirstError;
};

} // namespace

Expected<PipelineResult> runPipeline(const PipelineConfig &config, const ProgressFn &progress,
                                     const std::function<void(const LayerQuantResult &)> &onLayer)
{
    QElapsedTimer timer;
    timer.start();
    if (!config.checkpoint)
        return makeError(QStringLiteral("pipeline: no checkpoint given"));
    auto selected = selectLayers(config);
    if (!selected)
        return Error {selected.error()};
    if (Status st = checkStatsCover(config, *selected); !st)
        return Error {st.error()};

    PipelineResult result;
    if (!selected->isEmpty()) {
        LayerScheduler scheduler(config, *selected, progress, onLayer);
        if (Status st = scheduler.run(result); !st)
            return Error {st.error()};
    }
    result.seconds = timer.nsecsElapsed() * 1e-9;
    return result;
}

} // namespace lqer
