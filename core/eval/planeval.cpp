#include "planeval.h"

namespace lqer {

double averageBitsPerWeight(const PipelineResult &result, qint64 *weights)
{
    double bits = 0;
    qint64 n = 0;
    for (const LayerQuantResult &l : result.layers) {
        const qint64 mn = l.metrics.inFeatures * l.metrics.outFeatures;
        bits += l.metrics.bitsPerWeight * double(mn);
        n += mn;
    }
    if (weights)
        *weights = n;
    return n > 0 ? bits / double(n) : 0.0;
}

Expected<InstallPlanResult> installPlan(Transformer &model, std::shared_ptr<const Checkpoint> checkpoint,
                                        const Plan &plan, const InstallPlanOptions &options,
                                        const ProgressFn &progress)
{
    PipelineConfig pc;
    pc.checkpoint = std::move(checkpoint);
    pc.plan = plan;
    pc.stats = options.stats;
    pc.keepLinears = true;
    pc.computeSpectra = options.computeSpectra;
    pc.spectrumCount = options.spectrumCount;
    pc.threads = options.threads;
    pc.cancel = options.cancel;
    Expected<PipelineResult> r = runPipeline(pc, progress, options.onLayer);
    if (!r)
        return makeError(r.error());
    if (r->cancelled)
        return makeError(QStringLiteral("cancelled"));
    InstallPlanResult out;
    out.averageBits = averageBitsPerWeight(*r, &out.quantizedWeights);
    QMap<QString, QuantizedLinear> linears;
    for (LayerQuantResult &l : r->layers)
        linears.insert(l.layer, std::move(l.linear));
    if (Status s = model.setQuantizedLinears(linears); !s)
        return makeError(s.error());
    model.setAttentionFormat(plan.quantizeAttentionMatmuls ? QuantFormat::mxint(8, 8, 16)
                                                           : QuantFormat::none());
    out.layers = int(linears.size());
    out.pipeline = std::move(*r);
    return out;
}

} // namespace lqer
