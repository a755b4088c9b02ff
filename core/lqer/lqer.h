#pragma once

// One linear layer through the LQER family (NUMERICS.md §4): quantize the weight, decompose
// the (optionally scaled) quantization error into a rank-k term A·B, quantize A and B, and
// measure what is left (§5, §8).
//
// Orientation: the weight stays (out, in) as Hugging Face stores it; the paper's
// M = Eᵀ ∈ R^{m×n} has m = in, n = out, and the scale S = diag(s) is indexed by input channel,
// i.e. it scales the COLUMNS of the (out, in) error.

#include "core/common/expected.h"
#include "core/common/progress.h"
#include "core/common/tensor.h"
#include "core/plan/plan.h"
#include "core/lqer/quantizedlinear.h"
#include "core/lqer/stats.h"

#include <QString>

#include <vector>

namespace lqer {

// A row-major float matrix or a contiguous view of one (an Eigen::Map over a reused buffer).
using ConstMatrixRefRM = Eigen::Ref<const MatrixRM>;

// Buffers that one thread reuses from layer to layer: the quantized weight, the error E and
// its scaled copy S·E, each as large as the largest layer seen so far. A whole model's layers
// then do not each fault in fresh pages (three 180 MB matrices for an 11008 x 4096 layer).
// The pipeline keeps one per worker; without one, quantizeLayer uses its own for the call.
class LayerScratch
{
public:
    enum Slot { QuantizedWeight, Error, ScaledError, SlotCount };
    // At least `count` floats for `slot`, contents unspecified; valid until the next call for
    // the same slot.
    float *buffer(Slot slot, qint64 count)
    {
        std::vector<float> &b = mBuffers[slot];
        if (qint64(b.size()) < count)
            b.resize(size_t(count));
        return b.data();
    }

private:
    std::vector<float> mBuffers[SlotCount];
};

struct LayerQuantOptions
{
    LayerPlan plan; // weight/act/lowRank formats, method, rank
    SvdBackend svd = SvdBackend::Auto;
    bool computeSpectra = true; // singular values of E (α-normalised) and of S·E
    // Singular values kept for the spectra: 0 = all min(m, n); N > 0 = the top N; -1 = all up to
    // kAutoSpectrumAll, else the top kAutoSpectrumTop (a 4096-wide layer's full spectrum costs
    // seconds; the top 256 show the shape that matters for choosing k).
    int spectrumCount = 0;
    static constexpr int kAutoSpectrumAll = 1024;
    static constexpr int kAutoSpectrumTop = 256;
    // Krylov blocks after the first for a truncated spectrum (randomized SVD); -1 = adaptive, as
    // for the decomposition. A plot needs no 3e-4 residual: 1 block (the default, for the
    // studio, recorded runs and --spectra alike) keeps an 11008 x 4096 layer's top 256 to within
    // a percent at a fraction of the adaptive cost, whose basis grows to most of the matrix on a
    // flat error spectrum (25 s instead of ~2 s for one 4096 x 4096 layer's two spectra).
    int spectrumIterations = 1;
    quint64 seed = 42; // randomized SVD
    // Threads inside this one layer: the weight quantization (row slices) and the randomized
    // SVD's products (SvdConfig::threads); 0 = all cores. The pipeline runs layers in parallel
    // and keeps 1.
    int threads = 1;
    // Reused buffers (see LayerScratch); nullptr = fresh ones for this call.
    LayerScratch *scratch = nullptr;
    // false: the result's `linear` holds no matrices (a run that keeps metrics and spectra only
    // skips packing and copying them).
    bool keepMatrices = true;
};

struct LayerMetrics
{
    qint64 inFeatures = 0;
    qint64 outFeatures = 0;
    int rank = 0; // the rank actually used (min(k, m, n); 0 for plain)
    double weightFrob = 0; // ‖W‖_F
    double quantFrobError = 0; // ‖E‖_F, E = W − Wq (plain quantization error)
    double frobError = 0; // ‖E − Ẽ‖_F after the low-rank term (A, B quantized)
    double relError = 0; // frobError / weightFrob
    double meanAbsError = 0; // e_a = mean |E − Ẽ| (paper eq. 15)
    double plainMeanAbsError = 0; // e_a with Ẽ = 0
    double scaledFrobError = 0; // ‖(E − Ẽ)·diag(s)‖_F (activation-weighted) when stats were
                                // given, else 0 with hasScaledError = false
    bool hasScaledError = false;
    double scaledPlainFrobError = 0; // ‖E·diag(s)‖_F, same condition
    double bitsPerWeight = 0; // NUMERICS §8 per-layer memory bits per original weight
    double seconds = 0;
};

struct LayerSpectra
{
    VectorD svError; // singular values of α·E, descending (α = 1 without scaling)
    VectorD svScaled; // singular values of S·E (paper orientation S·M), empty when no scaling
    double alpha = 1; // ‖α E‖_F = ‖S E‖_F
};

struct LayerQuantResult
{
    QString layer;
    QuantizedLinear linear;
    LayerMetrics metrics;
    LayerSpectra spectra;
};

// What quantizing one layer measured, without the quantized matrices: what the studio shows and
// what a run records (core/store/records.h maps it to the session store's rows and back).
struct LayerResult
{
    QString layer;
    Method method = Method::Plain; // the method actually run
    LayerMetrics metrics;
    LayerSpectra spectra;
};

// `weight` is (out, in). `stats` is required by the methods that need it
// (methodNeedsStats / methodNeedsGram) and must match the input size; otherwise an error
// naming `layer`. With `cancel` set midway, returns an error "cancelled" (checked between
// stages and inside the SVD iterations).
Expected<LayerQuantResult> quantizeLayer(const QString &layer, const ConstMatrixRefRM &weight,
                                         const LayerStats *stats, const LayerQuantOptions &options,
                                         const CancelToken *cancel = nullptr);

// quantizeRows over `threads` threads (0 = all cores), each on a contiguous slice of rows (rows
// are independent: every block or group runs along a row), so the result is identical for any
// thread count.
Status quantizeRowsParallel(const float *src, float *dst, qint64 rows, qint64 cols, const QuantFormat &format,
                            const QString &name, int threads);

// The per-input-channel scale s of a method (NUMERICS §4, §6), length m; empty for methods
// without a diagonal scale (plain, LQER, QERA-exact). Errors name the layer.
Expected<VectorD> channelScale(const QString &layer, Method method, const LayerStats &stats);

// Model-level bit accounting (NUMERICS §8).
double layerBitsPerWeight(qint64 in, qint64 out, int rank, const QuantFormat &weight,
                          const QuantFormat &lowRank);

// The message quantizeLayer returns when cancelled (so callers can tell it from a failure).
QString cancelledMessage();

} // namespace lqer
