#pragma once

// The quantized replacement of one linear layer, as the runtime executes it
// (NUMERICS.md §4):  Y = Q_a(X) Wq^T + Q_l'(Q_a(X) A) B + bias
// where Q_l' quantizes the rank-k intermediate with the activation format along k.
//
// Wq is held as packed integer codes (core/kernels/packedmatrix.h) once packWeights() ran
// and its format allows it (MXINT or symmetric INT of at most 8 bits): the fp32 `wq` is then
// released, and dequantizedWeight() rebuilds it bit for bit. A and B stay in fp32 (they are
// small) and are packed besides, for the integer kernels.

#include "core/common/tensor.h"
#include "core/formats/quantformat.h"
#include "core/kernels/packedmatrix.h"

#include <memory>

namespace lqer {

struct QuantizedLinear
{
    MatrixRM wq; // (out, in): dequantized quantized weight; empty while packedW holds it
    MatrixRM a; // (in, k): paper A = S^-1 U_k, quantized along in; empty for k = 0
    MatrixRM b; // (k, out): paper B = Sigma_k V_k^T, quantized along k
    QuantFormat act; // on the layer input X, per token along features
    QuantFormat lowRankAct; // on the intermediate X A, per token along k
    QuantFormat weightFormat; // the format wq was quantized with (none: unknown or fp32)
    QuantFormat lowRankFormat; // the format A (along in) and B (along k) were quantized with

    std::shared_ptr<const PackedMatrix> packedW; // (out, in) codes of Wq
    std::shared_ptr<const PackedMatrix> packedAt; // (k, in) codes of Aᵀ
    std::shared_ptr<const PackedMatrix> packedBt; // (out, k) codes of Bᵀ

    int rank() const { return int(a.cols()); }
    qint64 inFeatures() const { return packedW ? packedW->cols : wq.cols(); }
    qint64 outFeatures() const { return packedW ? packedW->rows : wq.rows(); }

    // Wq in fp32 (a copy when packed).
    MatrixRM dequantizedWeight() const { return packedW ? packedW->dequantize() : wq; }
    // Packs Wq (weightFormat), Aᵀ and Bᵀ (lowRankFormat) where the formats allow and every
    // value is reproduced exactly; a packed Wq releases the fp32 `wq`.
    void packWeights()
    {
        if (!packedW && wq.size() > 0 && isPackable(weightFormat)) {
            if (auto p = packQuantizedRows(wq.data(), wq.rows(), wq.cols(), weightFormat)) {
                packedW = std::make_shared<const PackedMatrix>(std::move(*p));
                wq = MatrixRM();
            }
        }
        if (rank() > 0 && isPackable(lowRankFormat)) {
            const MatrixRM at = a.transpose(), bt = b.transpose();
            if (auto p = packQuantizedRows(at.data(), at.rows(), at.cols(), lowRankFormat))
                packedAt = std::make_shared<const PackedMatrix>(std::move(*p));
            if (auto p = packQuantizedRows(bt.data(), bt.rows(), bt.cols(), lowRankFormat))
                packedBt = std::make_shared<const PackedMatrix>(std::move(*p));
        }
    }
    // Drops every matrix (a result kept for its metrics only).
    void releaseMatrices()
    {
        wq = a = b = MatrixRM();
        packedW.reset();
        packedAt.reset();
        packedBt.reset();
    }
};

} // namespace lqer
