#pragma once

// Calibration statistics of one linear layer's input activations (NUMERICS.md §6).
// Produced by the model runtime's calibration pass, consumed by the LQER family.

#include "core/common/tensor.h"

#include <QString>

namespace lqer {

struct LayerStats
{
    QString layer; // the weight tensor name, e.g. model.layers.0.mlp.down_proj.weight
    qint64 samples = 0; // calibration samples seen
    qint64 tokens = 0; // tokens seen over all samples
    VectorD meanAbsMax; // per input channel: max over samples of (mean over tokens |x_i|)
    VectorD sumSquares; // per input channel: sum over all tokens of x_i^2 (QERA-approx)
    MatrixRMd gram; // sum over all tokens of x x^T (m x m), empty unless QERA-exact

    qint64 inFeatures() const { return meanAbsMax.size(); }
    bool hasGram() const { return gram.size() > 0; }
};

} // namespace lqer
