#pragma once

// `lqer export` under mpirun: the quantized linears are computed by every rank (the layers
// shared out by assignLayersToRanks, core/job/pipeline.h) and written by rank 0 alone. Each
// worker quantizes its layers in model order with the same quantizingProvider() as a single
// process and sends them (tag kTagExport); the root's provider quantizes its own layers and
// takes the others' as the exporter reaches them, so the files are the same bit for bit.

#include "core/export/exporter.h"

#include <memory>

namespace lqer::cli {

class ClusterExportLayers
{
public:
    // `layers`: the linears the plan quantizes, in model order (the order the exporter asks for them).
    ClusterExportLayers(std::shared_ptr<const Checkpoint> checkpoint, const Plan &plan, const StatsMap *stats,
                        QList<LinearLayerInfo> layers);

    // Rank 0: the provider for the exporter.
    LinearProvider provider();
    // Rank 0, after the export: takes the layers the exporter did not ask for (a worker must
    // not wait for ever to hand them over).
    Status drain();
    // Other ranks: quantize this rank's layers and send them to rank 0.
    Status serve();

private:
    struct State;
    std::shared_ptr<State> mState;
};

} // namespace lqer::cli
