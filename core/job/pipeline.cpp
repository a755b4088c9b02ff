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

} // namespace

Expected<PipelineResult> runPipeline(const PipelineConfig &config, const ProgressFn &progress,
                                     const std::function<void(const LayerQuantResult &)> &onLayer)
{
    QElapsedTimer timer;
    timer.start();
    if (!config.checkpoint)
        return makeError(QStringLiteral("pipeline: no checkpoint given"));
    const Checkpoint &ckpt = *config.checkpoint;
    auto linears = quantizableLinears(ckpt);
    if (!linears)
        return Error {linears.error()};

    // The layers to run, in model order; unknown names are an error naming them.
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

    // Statistics are checked up front so a missing layer fails before any work starts.
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

    PipelineResult result;
    const int total = int(selected.size());
    if (total == 0) {
        result.seconds = timer.nsecsElapsed() * 1e-9;
        return result;
    }

    const int threads = std::max(1, config.threads > 0 ? config.threads : QThread::idealThreadCount());
    // One token for the workers: set by progress() returning false or by the caller's token.
    CancelToken cancel;
    auto cancelRequested
        = [&]() { return cancel.isCancelled() || (config.cancel && config.cancel->isCancelled()); };

    Mailbox mailbox;
    QThreadPool pool;
    pool.setMaxThreadCount(threads);

    std::map<int, LayerQuantResult> waiting; // finished out of order, waiting for earlier layers
    int nextToSubmit = 0;
    int nextToEmit = 0;
    int inFlight = 0;
    int finishedCount = 0;
    QString firstError;

    auto submit = [&](int index) -> Status {
        const LinearLayerInfo &info = selected.at(index);
        // Loaded on the calling thread: the checkpoint's reader need not be thread-safe, and
        // loading only when a worker is free bounds memory to ~`threads` layers.
        auto weight = loadLinearWeight(ckpt, info);
        if (!weight)
            return Error {weight.error()};
        LayerQuantOptions options;
        options.plan = config.plan.forLayer(info.weightName);
        options.svd = config.plan.svd;
        options.computeSpectra = config.computeSpectra;
        options.spectrumCount = config.spectrumCount;
        const LayerStats *stats = nullptr;
        if (config.stats) {
            auto it = config.stats->constFind(info.weightName);
            if (it != config.stats->constEnd())
                stats = &it.value();
        }
        auto w = std::make_shared<MatrixRM>(std::move(*weight));
        const QString name = info.weightName;
        pool.start([&mailbox, &cancel, w, name, stats, options, index]() {
            Finished f;
            f.index = index;
            f.result = quantizeLayer(name, *w, stats, options, &cancel);
            std::lock_guard<std::mutex> lock(mailbox.mutex);
            mailbox.done.push_back(std::move(f));
            mailbox.ready.notify_one();
        });
        ++inFlight;
        return Status::success();
    };

    while (nextToEmit < total) {
        // Keep every worker busy, but never hold more than 2×threads layers between loading
        // and emission (a slow early layer must not let finished ones pile up unboundedly).
        while (!cancelRequested() && firstError.isEmpty() && nextToSubmit < total && inFlight < threads
               && int(waiting.size()) + inFlight < 2 * threads) {
            if (Status st = submit(nextToSubmit); !st) {
                firstError = st.error();
                cancel.cancel();
                break;
            }
            ++nextToSubmit;
        }
        if (inFlight == 0)
            break; // cancelled or failed with nothing running

        std::deque<Finished> batch;
        {
            std::unique_lock<std::mutex> lock(mailbox.mutex);
            // Wake periodically to notice the caller's external cancel token.
            mailbox.ready.wait_for(lock, std::chrono::milliseconds(50),
                                   [&] { return !mailbox.done.empty(); });
            batch.swap(mailbox.done);
        }
        if (config.cancel && config.cancel->isCancelled())
            cancel.cancel();
        for (Finished &f : batch) {
            --inFlight;
            if (!f.result) {
                if (f.result.error() != cancelledMessage() && firstError.isEmpty()) {
                    firstError = f.result.error();
                    cancel.cancel();
                }
                continue;
            }
            ++finishedCount;
            LayerQuantResult r = std::move(*f.result);
            if (!config.keepLinears) {
                r.linear.wq = MatrixRM();
                r.linear.a = MatrixRM();
                r.linear.b = MatrixRM();
            }
            waiting.emplace(f.index, std::move(r));
            if (!cancelRequested()
                && !reportProgress(progress, double(finishedCount) / double(total),
                                   selected.at(f.index).weightName))
                cancel.cancel();
        }
        // Emit in model order.
        for (auto it = waiting.find(nextToEmit); it != waiting.end(); it = waiting.find(nextToEmit)) {
            if (onLayer)
                onLayer(it->second);
            result.layers.append(std::move(it->second));
            waiting.erase(it);
            ++nextToEmit;
        }
    }
    pool.waitForDone();

    if (!firstError.isEmpty())
        return makeError(firstError);
    result.cancelled = nextToEmit < total;
    // After a cancel, layers that finished beyond the first gap are still returned (in order).
    for (auto &entry : waiting) {
        if (onLayer)
            onLayer(entry.second);
        result.layers.append(std::move(entry.second));
    }
    result.seconds = timer.nsecsElapsed() * 1e-9;
    return result;
}

} // namespace lqer
