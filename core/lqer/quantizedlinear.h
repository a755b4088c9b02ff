#pragma once

// The quantized replacement of one linear layer, as the runtime executes it
// (NUMERICS.md §4):  Y = Q_a(X) Wq^T + Q_l'(Q_a(X) A) B + bias
// where Q_l' quantizes the rank-k intermediate with the activation format along k.

#include "core/common/tensor.h"
#include "core/formats/quantformat.h"

namespace lqer {

struct QuantizedLinear
{
    MatrixRM wq; // (out, in): dequantized quantized weight
    MatrixRM a; // (in, k): paper A = S^-1 U_k, quantized along in; empty for k = 0
    MatrixRM b; // (k, out): paper B = Sigma_k V_k^T, quantized along k
    QuantFormat act; // on the layer input X, per token along features
    QuantFormat lowRankAct; // on the intermediate X A, per token along k

    int rank() const { return int(a.cols()); }
    qint64 inFeatures() const { return wq.cols(); }
    qint64 outFeatures() const { return wq.rows(); }
};

} // namespace lqer
