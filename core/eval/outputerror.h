#pragma once

// The output-error proxy of NUMERICS.md §5: ‖X (W − Ŵ)ᵀ‖_F / ‖X Wᵀ‖_F on calibration data, with
// Ŵ = Wq + (A B)ᵀ the reconstructed weight — the quantity QERA minimises and a cheap stand-in
// for perplexity. X is the input the full-precision model feeds the layer.

#include "core/common/expected.h"
#include "core/common/progress.h"
#include "core/lqer/quantizedlinear.h"
#include "core/model/transformer.h"

#include <QList>
#include <QMap>

namespace lqer {

struct OutputErrorAccumulator
{
    double errorSquared = 0; // Σ ‖X (W − Ŵ)ᵀ‖²
    double outputSquared = 0; // Σ ‖X Wᵀ‖²
    double relative() const { return outputSquared > 0 ? std::sqrt(errorSquared / outputSquared) : 0.0; }
};

// Adds one batch of inputs x (tokens x in) of a layer with weight w (out x in).
void accumulateOutputError(const MatrixRM &x, const MatrixRM &w, const QuantizedLinear &q,
                           OutputErrorAccumulator &acc);

// Runs the fp32 model on `samples` and measures, for every linear that has a quantized
// replacement installed, the relative output error over all sample tokens.
Expected<QMap<QString, double>> outputErrorProxy(const Transformer &model, const QList<TokenIds> &samples,
                                                 int threads = 0, const ProgressFn &progress = {});

} // namespace lqer
