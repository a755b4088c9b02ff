#pragma once

// Glue between the quantization pipeline and the runtime: quantize every layer of a plan
// (core/job/pipeline.h, keepLinears) and install the results in a Transformer, so that
// evaluatePerplexity() measures the quantized model (NUMERICS.md §4 inference).

#include "core/common/expected.h"
#include "core/common/progress.h"
#include "core/io/checkpoint.h"
#include "core/job/pipeline.h"
#include "core/job/plan.h"
#include "core/lqer/statsfile.h"
#include "core/model/transformer.h"

#include <memory>

namespace lqer {

struct InstallPlanResult
{
    PipelineResult pipeline;      // per-layer metrics (the matrices are moved into the model)
    int layers = 0;               // quantized linears installed
    double averageBits = 0;       // Σ bits·(m n) / Σ (m n) over the quantized layers (NUMERICS §8)
    qint64 quantizedWeights = 0;  // Σ m n
};

// Runs the plan on `checkpoint` (the same model `model` was loaded from) and installs the
// quantized linears and the attention-matmul switch in `model`. `stats` is needed when the
// plan's methods need it (the pipeline names the missing layer otherwise).
Expected<InstallPlanResult> installPlan(Transformer &model, std::shared_ptr<const Checkpoint> checkpoint,
                                        const Plan &plan, const StatsMap *stats, const ProgressFn &progress = {},
                                        int threads = 0);

// Average bits per quantized weight of a pipeline result (NUMERICS §8, model total).
double averageBitsPerWeight(const PipelineResult &result, qint64 *weights = nullptr);

} // namespace lqer
