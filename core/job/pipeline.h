#pragma once

// The per-layer pipeline (ARCHITECTURE.md "data flow"): load one linear at a time from a
// checkpoint, run quantizeLayer on it, measure, emit, drop. Layers are independent, so they
// run in parallel (one layer per worker thread, Eigen single-threaded inside a worker); at most
// `threads + 1` weights are in memory at once.

#include "core/common/expected.h"
#include "core/common/progress.h"
#include "core/io/checkpoint.h"
#include "core/plan/plan.h"
#include "core/lqer/lqer.h"
#include "core/lqer/statsfile.h"

#include <QList>
#include <QStringList>

#include <functional>
#include <memory>

namespace lqer {

struct PipelineConfig
{
    std::shared_ptr<const Checkpoint> checkpoint;
    Plan plan;
    QStringList layers; // weight names; empty = all quantizableLinears()
    const StatsMap *stats = nullptr; // required when the plan needs it (error naming the missing layer)
    bool keepLinears = false; // keep QuantizedLinear matrices in the result (for eval/export)
    bool computeSpectra = true;
    int spectrumCount = 0; // LayerQuantOptions::spectrumCount (-1 = automatic)
    int spectrumIterations = 1; // LayerQuantOptions::spectrumIterations (-1 = adaptive)
    int threads = 0; // 0 = QThread::idealThreadCount()
    const CancelToken *cancel = nullptr; // optional external cancellation (besides progress returning false)
};

struct PipelineResult
{
    QList<LayerQuantResult> layers; // in model order (of the layers finished when cancelled)
    double seconds = 0;
    bool cancelled = false;
};

// Under mpirun (core/common/cluster.h, Cluster::world() with several ranks) every rank calls
// runPipeline with the same config: the layers are shared out by assignLayersToRanks(), each
// rank computes its own, and the root (rank 0) receives the others' results and returns them
// all, in model order, with onLayer called for each (after its own layers are done). The other
// ranks return an empty result. A failure on any rank is the root's error, "rank N of M: ...".
//
// `progress` is called from the calling thread after each layer finishes (fraction = layers
// done / total) and may return false to cancel: the running layers stop inside their SVD and
// the result has cancelled = true. `onLayer` is called from the calling thread in MODEL ORDER
// (a finished layer waits until all earlier ones are done), so consumers can stream results.
// Layers with plan.quantize = false are skipped (not in the result).
Expected<PipelineResult> runPipeline(const PipelineConfig &config, const ProgressFn &progress = {},
                                     const std::function<void(const LayerQuantResult &)> &onLayer = {});

// Which rank computes each of the layers with these parameter counts: the largest first, each
// to the rank with the least work so far (ties: the lower rank). The same on every rank.
QList<int> assignLayersToRanks(const QList<qint64> &sizes, int ranks);

} // namespace lqer
