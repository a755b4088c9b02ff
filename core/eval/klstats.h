#pragma once

#include <QtGlobal>

namespace lqer {

// The comparison with the FP32 model over every scored token, as llama.cpp's --kl-divergence:
// each figure with its standard error (σ of the mean over tokens).
struct KlStats
{
    bool measured = false;
    qint64 tokens = 0;
    double meanKl = 0, meanKlError = 0; // nats
    double p99Kl = 0, medianKl = 0, maxKl = 0;
    double top1 = 0, top1Error = 0; // fraction of tokens whose argmax equals the FP32 argmax
    double basePerplexity = 0, basePerplexityError = 0; // of the reference, on the same tokens
    double deltaPerplexity = 0, deltaPerplexityError = 0; // this − reference (correlated σ)
};

} // namespace lqer
