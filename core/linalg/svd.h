#pragma once

// Singular value decomposition behind one interface (ARCHITECTURE.md: core/linalg), with three
// backends: exact (Eigen BDCSVD), truncated (Spectra Lanczos on the Gram operator, as
// Spectra::PartialSVDSolver does) and randomized (a Gaussian sketch with oversampling, as in
// Halko, Martinsson & Tropp 2011, grown into a block Krylov space with full
// re-orthogonalisation, as in Musco & Musco 2015).
//
// The truncated backends are tuned for quantization-error matrices, whose spectra are nearly
// flat (close to Marchenko-Pastur): the contract (NUMERICS.md §4) is that the rank-k residual
// ‖M − U_k Σ_k V_kᵀ‖_F is within 1e-3 relative of the exact optimum.
//
// Eigen is not built with OpenMP here. The randomized backend splits its two large products
// over `SvdConfig::threads` threads (for a single big layer, e.g. `lqer bench` or the studio's
// layer detail); the pipeline parallelises over layers instead and keeps threads = 1.

#include "core/common/expected.h"
#include "core/common/progress.h"
#include "core/common/tensor.h"
#include "core/linalg/svdbackend.h"

#include <Eigen/Core>

#include <QString>

namespace lqer {

struct SvdConfig
{
    SvdBackend backend = SvdBackend::Auto;
    int rank = 0; // k: the leading triplets wanted; 0 or >= min(m, n) = all
    bool computeVectors = true; // false: singular values only
    int oversampling = -1; // randomized: p extra columns of the sketch; -1 = max(10, k/2)
    int powerIterations
        = -1; // randomized: Krylov blocks after the first; -1 = adaptive (stop when the residual settles)
    double tolerance = 3e-4; // randomized adaptive stop: relative residual improvement
    quint64 seed = 42; // randomized: Gaussian test matrix
    int threads = 1; // randomized: threads for the products with M; 0 = all cores
    const CancelToken *cancel = nullptr; // checked between iterations (exact BDCSVD cannot stop)
    QString name; // names the matrix in error messages
};

struct SvdResult
{
    Eigen::MatrixXf u; // (m, r) left singular vectors (empty without vectors)
    VectorD singularValues; // (r) descending
    Eigen::MatrixXf v; // (n, r) right singular vectors (empty without vectors)
    SvdBackend backend = SvdBackend::Exact; // the backend that actually ran
    int iterations = 0; // power iterations (randomized) or restarts (Spectra)
};

// The backend Auto resolves to for an m x n matrix and rank k (k <= 0: all): exact when the
// matrix is small or k is a sizeable fraction of min(m, n) (where sketching saves nothing),
// randomized otherwise. Truncated backends asked for k >= min(m, n) - 1 also fall back to exact.
SvdBackend resolveSvdBackend(SvdBackend requested, qint64 m, qint64 n, int k);

// The leading `config.rank` singular triplets of `matrix`. Errors (naming config.name): empty or
// non-finite input, cancellation (message "cancelled"), a solver that did not converge.
// Accepts a MatrixXf or a contiguous column-major view (e.g. a row-major matrix's transpose
// mapped in place) without copying.
using ConstMatrixRefF = Eigen::Ref<const Eigen::MatrixXf>;
Expected<SvdResult> computeSvd(const ConstMatrixRefF &matrix, const SvdConfig &config);

// ‖M − U_k Σ_k V_kᵀ‖_F computed explicitly (double accumulation) with the first k triplets.
double lowRankResidual(const ConstMatrixRefF &matrix, const SvdResult &svd, int k);

// The exact optimum of the above, from all singular values: sqrt(Σ_{i>k} σ_i²).
double optimalResidual(const VectorD &allSingularValues, int k);

} // namespace lqer
