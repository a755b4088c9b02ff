#include "core/job/pipeline.h"

#include "core/common/cluster.h"
#include "core/common/sparepool.h"
#include "core/common/workerpool.h"
#include "core/job/layerwire.h"
#include "core/model/architecture.h"

#include <QDataStream>
#include <QHash>
#include <QIODevice>

#include <QElapsedTimer>
#include <QThread>

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>

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
    // `poll` (optional) runs on the calling thread between the scheduler's steps (the root
    // takes the other ranks' messages there).
    LayerScheduler(const PipelineConfig &config, const QList<LinearLayerInfo> &selected,
                   const ProgressFn &progress, const std::function<void(const LayerQuantResult &)> &onLayer,
                   const std::function<void()> &poll = {})
        : mConfig(config)
        , mSelected(selected)
        , mProgress(progress)
        , mOnLayer(onLayer)
        , mPoll(poll)
        , mTotal(int(selected.size()))
        , mThreads(std::max(1, config.threads > 0 ? config.threads : QThread::idealThreadCount()))
    {
        for (const LinearLayerInfo &info : selected)
            mTotalWork += std::max<qint64>(1, info.parameterCount());
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
            if (mPoll)
                mPoll();
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

    // Completed layers handed from the worker threads to the calling thread, and the layer
    // buffers a worker takes for one layer and gives back (at most one per worker exists):
    // weight buffers of finished layers are loaded into again.
    struct Mailbox
    {
        std::mutex mutex;
        std::condition_variable ready;
        std::deque<Finished> done;
        SparePool<LayerScratch> scratch;
        SparePool<std::vector<float>> weights;
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

    // Keep every worker busy with one more layer loaded and queued behind them (so a worker that
    // finishes starts on the next layer at once instead of waiting for the calling thread to
    // load it: a 7B-shaped layer's fp16 -> fp32 read is a tenth of its L²QER time), but never
    // hold more than 2×threads + 1 layers between loading and emission (a slow early layer
    // must not let finished ones pile up unboundedly).
    void submitWhileFree()
    {
        while (!cancelRequested() && mFirstError.isEmpty() && mNextToSubmit < mTotal
               && mInFlight < mThreads + 1 && int(mWaiting.size()) + mInFlight < 2 * mThreads + 1) {
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
        // loading at most one layer ahead of the workers bounds memory to ~`threads` + 1 layers.
        std::shared_ptr<std::vector<float>> w = mMailbox.weights.take();
        auto weight = loadLinearWeightInto(*mConfig.checkpoint, info, *w);
        if (!weight)
            return Error {weight.error()};
        LayerQuantOptions options;
        options.plan = mConfig.plan.forLayer(info.weightName);
        options.svd = mConfig.plan.svd;
        options.computeSpectra = mConfig.computeSpectra;
        options.spectrumCount = mConfig.spectrumCount;
        options.spectrumIterations = mConfig.spectrumIterations;
        options.keepMatrices = mConfig.keepLinears;
        const LayerStats *stats = findLayerStats(mConfig.stats, info.weightName);
        const QString name = info.weightName;
        Mailbox *mailbox = &mMailbox;
        CancelToken *cancel = &mCancel;
        mPool.start([mailbox, cancel, w, weight = *weight, name, stats, options, index]() mutable {
            std::shared_ptr<LayerScratch> scratch = mailbox->scratch.take();
            options.scratch = scratch.get();
            Finished f;
            f.index = index;
            f.result = quantizeLayer(name, weight, stats, options, cancel);
            mailbox->scratch.give(std::move(scratch));
            mailbox->weights.give(std::move(w));
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
            mFinishedWork += std::max<qint64>(1, mSelected.at(f.index).parameterCount());
            LayerQuantResult r = std::move(*f.result);
            if (!mConfig.keepLinears) {
                r.linear.releaseMatrices();
            }
            mWaiting.emplace(f.index, std::move(r));
            if (!cancelRequested()
                && !reportProgress(mProgress, double(mFinishedWork) / double(mTotalWork),
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
    const std::function<void()> mPoll;
    const int mTotal;
    const int mThreads;
    CancelToken mCancel;
    Mailbox mMailbox;
    WorkerPool mPool {mThreads}; // declared after what its tasks use, so it is destroyed (and waited) first
    std::map<int, LayerQuantResult> mWaiting; // finished out of order, waiting for earlier layers
    int mNextToSubmit = 0;
    int mNextToEmit = 0;
    int mInFlight = 0;
    // Progress counts parameters, not layers: an MLP projection of a LLaMA block takes ~2.7×
    // an attention projection, and a count of layers would make the ETA swing with each.
    qint64 mTotalWork = 0;
    qint64 mFinishedWork = 0;
    QString mFirstError;
};

// Under mpirun: every rank runs its share of the selected layers (assignLayersToRanks) through
// a LayerScheduler; the other ranks send each result to the root as it is emitted, the root
// takes them between its own layers and emits everything in model order. Messages (tag
// kTagPipeline) start with a kind byte: 'L' qint32 index + the encoded result, 'D' done,
// 'C' cancelled, 'E' an error message.
class DistributedPipeline
{
public:
    DistributedPipeline(const PipelineConfig &config, const QList<LinearLayerInfo> &selected,
                        const ProgressFn &progress,
                        const std::function<void(const LayerQuantResult &)> &onLayer)
        : mConfig(config)
        , mSelected(selected)
        , mProgress(progress)
        , mOnLayer(onLayer)
        , mCluster(Cluster::world())
    {
        QList<qint64> sizes;
        for (const LinearLayerInfo &info : selected)
            sizes << info.parameterCount();
        mOwner = assignLayersToRanks(sizes, mCluster.size());
        for (int i = 0; i < int(selected.size()); ++i)
            if (mOwner.at(i) == mCluster.rank()) {
                mIndexOf.insert(selected.at(i).weightName, i);
                mLocal << selected.at(i);
            }
        // The local run is cancelled by the caller's token, by progress returning false or by
        // another rank's failure.
        mLocalConfig = config;
        mLocalConfig.cancel = &mCancel;
    }

    Status run(PipelineResult &result) { return mCluster.isRoot() ? runRoot(result) : runWorker(); }

private:
    bool externalCancel() const { return mConfig.cancel && mConfig.cancel->isCancelled(); }

    // A worker rank: its layers go to the root as they are emitted, then how it ended.
    Status runWorker()
    {
        QString sendError;
        auto send = [&](char kind, const QByteArray &payload) {
            if (!sendError.isEmpty())
                return;
            Status s = mCluster.send(0, kTagPipeline, QByteArray(1, kind) + payload);
            if (!s) {
                sendError = s.error();
                mCancel.cancel();
            }
        };
        PipelineResult local;
        Status st = Status::success();
        {
            LayerScheduler scheduler(
                mLocalConfig, mLocal,
                [&](double f, const QString &m) {
                    if (externalCancel())
                        mCancel.cancel();
                    return reportProgress(mProgress, f, m);
                },
                [&](const LayerQuantResult &r) {
                    QByteArray payload;
                    QDataStream(&payload, QIODevice::WriteOnly) << qint32(mIndexOf.value(r.layer));
                    send('L', payload + encodeLayerResult(r));
                });
            st = scheduler.run(local);
        }
        if (!sendError.isEmpty())
            return makeError(QStringLiteral("%1: %2").arg(mCluster.describe(), sendError));
        if (!st) {
            send('E', QStringLiteral("%1: %2").arg(mCluster.describe(), st.error()).toUtf8());
            mCluster.setErrorReported();
            return st;
        }
        send(local.cancelled ? 'C' : 'D', QByteArray());
        if (local.cancelled)
            mCluster.setErrorReported();
        return Status::success();
    }

    // The root: its own layers, and the others' between them; then what is still missing.
    Status runRoot(PipelineResult &result)
    {
        mRemaining = mCluster.size() - 1;
        PipelineResult local;
        Status st = Status::success();
        {
            LayerScheduler scheduler(
                mLocalConfig, mLocal,
                [&](double, const QString &m) {
                    ++mDone;
                    return progressNow(m);
                },
                {}, [&]() { takeMessages(false); });
            st = scheduler.run(local);
        }
        if (!st && mFirstError.isEmpty())
            mFirstError = st.error();
        for (LayerQuantResult &layer : local.layers)
            mFinished.emplace(mIndexOf.value(layer.layer), std::move(layer));
        bool cancelled = local.cancelled;
        if (mFirstError.isEmpty() && !cancelled)
            takeMessages(true);
        if (!mFirstError.isEmpty())
            return makeError(mFirstError);
        cancelled = cancelled || mRemoteCancelled || mCancel.isCancelled();
        // In model order; after a cancel, what finished (the caller reports "cancelled").
        int next = 0;
        for (auto &entry : mFinished) {
            cancelled = cancelled || entry.first != next++;
            if (mOnLayer)
                mOnLayer(entry.second);
            result.layers.append(std::move(entry.second));
        }
        result.cancelled = cancelled || int(result.layers.size()) < int(mSelected.size());
        return Status::success();
    }

    bool progressNow(const QString &message)
    {
        if (externalCancel())
            mCancel.cancel();
        if (!reportProgress(mProgress, double(mDone) / double(std::max<qsizetype>(1, mSelected.size())),
                            message))
            mCancel.cancel();
        return !mCancel.isCancelled();
    }

    // Takes the waiting messages; with `untilAllDone`, waits until every worker has ended (or
    // the user cancels: then the root stops waiting and the command ends all ranks).
    void takeMessages(bool untilAllDone)
    {
        while (mRemaining > 0 && mFirstError.isEmpty()) {
            if (!untilAllDone && !mCluster.hasMessage(-1, kTagPipeline))
                return;
            int from = 0;
            auto bytes = mCluster.receive(-1, kTagPipeline, &from, [&]() { return progressNow(QString()); });
            if (!bytes) {
                if (bytes.error() == QLatin1String("cancelled"))
                    mRemoteCancelled = true;
                else
                    mFirstError = bytes.error();
                mCancel.cancel();
                return;
            }
            handle(from, *bytes);
        }
    }

    void handle(int from, const QByteArray &bytes)
    {
        const char kind = bytes.isEmpty() ? '?' : bytes.at(0);
        const QByteArray payload = bytes.mid(1);
        if (kind == 'L') {
            qint32 index = -1;
            QDataStream(payload) >> index;
            auto r = decodeLayerResult(payload.mid(int(sizeof(qint32))));
            if (!r || index < 0 || index >= mSelected.size() || mOwner.at(index) != from) {
                fail(r ? QStringLiteral("rank %1 sent a layer it does not own").arg(from) : r.error());
                return;
            }
            LayerQuantResult layer = std::move(*r);
            if (!mConfig.keepLinears)
                layer.linear = QuantizedLinear();
            mFinished.emplace(index, std::move(layer));
            ++mDone;
            progressNow(mSelected.at(index).weightName);
        } else if (kind == 'D' || kind == 'C') {
            --mRemaining;
            if (kind == 'C') {
                mRemoteCancelled = true;
                mCancel.cancel();
            }
        } else if (kind == 'E') {
            --mRemaining;
            fail(QString::fromUtf8(payload));
        } else {
            fail(QStringLiteral("rank %1 sent an unknown pipeline message").arg(from));
        }
    }

    void fail(const QString &error)
    {
        if (mFirstError.isEmpty())
            mFirstError = error;
        mCancel.cancel();
    }

    const PipelineConfig &mConfig;
    const QList<LinearLayerInfo> &mSelected;
    const ProgressFn &mProgress;
    const std::function<void(const LayerQuantResult &)> &mOnLayer;
    Cluster &mCluster;
    PipelineConfig mLocalConfig;
    CancelToken mCancel;
    QList<int> mOwner; // per selected layer: the rank that computes it
    QHash<QString, int> mIndexOf; // this rank's layers: their index in mSelected
    QList<LinearLayerInfo> mLocal;
    std::map<int, LayerQuantResult> mFinished; // root: by index in mSelected
    int mRemaining = 0; // root: workers that have not ended yet
    int mDone = 0;
    bool mRemoteCancelled = false;
    QString mFirstError;
};

} // namespace

QList<int> assignLayersToRanks(const QList<qint64> &sizes, int ranks)
{
    QList<int> owner(sizes.size(), 0);
    if (ranks <= 1)
        return owner;
    QList<int> order(sizes.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return sizes.at(a) > sizes.at(b); });
    std::vector<qint64> load(size_t(ranks), 0);
    for (int i : order) {
        const int r = int(std::min_element(load.begin(), load.end()) - load.begin());
        owner[i] = r;
        load[size_t(r)] += std::max<qint64>(1, sizes.at(i));
    }
    return owner;
}

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
    if (!selected->isEmpty() && Cluster::world().distributed()) {
        DistributedPipeline distributed(config, *selected, progress, onLayer);
        if (Status st = distributed.run(result); !st)
            return Error {st.error()};
    } else if (!selected->isEmpty()) {
        LayerScheduler scheduler(config, *selected, progress, onLayer);
        if (Status st = scheduler.run(result); !st)
            return Error {st.error()};
    }
    result.seconds = timer.nsecsElapsed() * 1e-9;
    return result;
}

} // namespace lqer
