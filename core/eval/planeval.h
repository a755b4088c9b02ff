#pragma once

// Glue between the quantization pipeline and the runtime: quantize every layer of a plan
// (core/job/pipeline.h, keepLinears) and install the results in a Transformer, so that
// evaluatePerplexity() measures the quantized model (NUMERICS.md §4 inference).

#include "core/common/expected.h"
#include "core/common/progress.h"
#include "core/io/checkpoint.h"
#include "core/job/pipeline.h"
#include "core/plan/plan.h"
#include "core/lqer/statsfile.h"
#include "core/model/transformer.h"

#include <functional>
#include <memory>

namespace lqer {

struct InstallPlanResult
{
    PipelineResult pipeline; // per-layer metrics (the matrices are moved into the model)
    int layers = 0; // quantized linears installed
    double averageBits = 0; // Σ bits·(m n) / Σ (m n) over the quantized layers (NUMERICS §8)
    qint64 quantizedWeights = 0; // Σ m n
};

struct InstallPlanOptions
{
    const StatsMap *stats = nullptr; // needed when the plan's methods need it
    int threads = 0; // 0 = all cores
    bool computeSpectra = false; // for callers that record or plot the layers
    int spectrumCount = -1; // LayerQuantOptions::spectrumCount
    const CancelToken *cancel = nullptr;
    // Called on the calling thread for each layer in model order, before its matrices are
    // moved into the model (pipeline.h: onLayer).
    std::function<void(const LayerQuantResult &)> onLayer;
};

// Runs the plan on `checkpoint` (the same model `model` was loaded from) and installs the
// quantized linears and the attention-matmul switch in `model`. The pipeline names a layer
// whose statistics are missing. Cancellation (progress returning false or options.cancel)
// is the error "cancelled".
Expected<InstallPlanResult> installPlan(Transformer &model, std::shared_ptr<const Checkpoint> checkpoint,
                                        const Plan &plan, const InstallPlanOptions &options,
                                        const ProgressFn &progress = {});

inline Expected<InstallPlanResult> installPlan(Transformer &model,
                                               std::shared_ptr<const Checkpoint> checkpoint, const Plan &plan,
                                               const StatsMap *stats, const ProgressFn &progress = {},
                                               int threads = 0)
{
    InstallPlanOptions options;
    options.stats = stats;
    options.threads = threads;
    return installPlan(model, std::move(checkpoint), plan, options, progress);
}

// Average bits per quantized weight of a pipeline result (NUMERICS §8, model total).
double averageBitsPerWeight(const PipelineResult &result, qint64 *weights = nullptr);

} // namespace lqer
