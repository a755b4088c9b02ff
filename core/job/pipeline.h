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
    int threads = 0; // 0 = QThread::idealThreadCount()
    const CancelToken *cancel = nullptr; // optional external cancellation (besides progress returning false)
};

struct PipelineResult
{
    QList<LayerQuantResult> layers; // in model order (of the layers finished when cancelled)
    double seconds = 0;
    bool cancelled = false;
};

// `progress` is called from the calling thread after each layer finishes (fraction = layers
// done / total) and may return false to cancel: the running layers stop inside their SVD and
// the result has cancelled = true. `onLayer` is called from the calling thread in MODEL ORDER
// (a finished layer waits until all earlier ones are done), so consumers can stream results.
// Layers with plan.quantize = false are skipped (not in the result).
Expected<PipelineResult> runPipeline(const PipelineConfig &config, const ProgressFn &progress = {},
                                     const std::function<void(const LayerQuantResult &)> &onLayer = {});

} // namespace lqer
