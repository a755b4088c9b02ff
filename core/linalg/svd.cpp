#include "core/linalg/svd.h"

#include "core/common/parallel.h"
#include "core/linalg/panelproduct.h"

#include <Eigen/Dense>
#include <Eigen/SVD>
#include <Spectra/SymEigsSolver.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

#include <QThread>

namespace lqer {

namespace {

// Thrown from inside Spectra's iteration when the token is cancelled; caught in computeSvd.
// Spectra owns no resources that outlive the stack, so unwinding through it is safe.
struct SvdCancelled
{
};

bool isCancelled(const SvdConfig &config)
{
    return config.cancel && config.cancel->isCancelled();
}

QString label(const SvdConfig &config)
{
    return config.name.isEmpty() ? QStringLiteral("matrix") : config.name;
}

Error cancelledError()
{
    return makeError(QStringLiteral("cancelled"));
}

// out = M·X (transposed = false) or Mᵀ·X (transposed = true) with the panel kernels (X has few
// columns), the output rows split in contiguous slices over `threads` threads (runParallel).
// Every output element is computed the same way whatever the split.
void product(const ConstMatrixRefF &matrix, const Eigen::Ref<const Eigen::MatrixXf> &x, Eigen::MatrixXf &out,
             bool transposed, int threads)
{
    const Eigen::Index rows = transposed ? matrix.cols() : matrix.rows();
    out.resize(rows, x.cols());
    const int parts = int(std::clamp<Eigen::Index>(threads, 1, std::max<Eigen::Index>(1, rows / 256)));
    (void)runParallel(parts, parts, [&](int part) {
        const Eigen::Index begin = rows * part / parts;
        const Eigen::Index end = rows * (part + 1) / parts;
        if (transposed)
            panelProductTransposed(matrix.data(), matrix.outerStride(), matrix.rows(), begin, end, x.data(),
                                   x.outerStride(), x.cols(), out.data() + begin, out.rows());
        else
            panelProduct(matrix.data(), matrix.outerStride(), begin, end, matrix.cols(), x.data(),
                         x.outerStride(), x.cols(), out.data() + begin, out.rows());
        return Status::success();
    });
}

// Orthonormal basis of the columns of `y` (thin Q of a Householder QR), in place.
void orthonormalize(Eigen::MatrixXf &y)
{
    const Eigen::Index rows = y.rows();
    const Eigen::Index cols = y.cols();
    Eigen::HouseholderQR<Eigen::MatrixXf> qr(y);
    y = qr.householderQ() * Eigen::MatrixXf::Identity(rows, cols);
}

Expected<SvdResult> exactSvd(const ConstMatrixRefF &matrix, const SvdConfig &config, int k)
{
    SvdResult result;
    result.backend = SvdBackend::Exact;
    const unsigned options = config.computeVectors ? (Eigen::ComputeThinU | Eigen::ComputeThinV) : 0u;
    // Small matrices are decomposed in double (cheap, and exact reconstruction tests need the
    // accuracy); large ones in float, where BDCSVD in double would cost twice the time.
    const bool useDouble = matrix.size() <= (qint64(1) << 20);
    if (useDouble) {
        Eigen::BDCSVD<Eigen::MatrixXd> svd(matrix.cast<double>(), options);
        if (svd.info() != Eigen::Success)
            return makeError(QStringLiteral("SVD of %1 failed (BDCSVD did not converge)").arg(label(config)));
        result.singularValues = svd.singularValues().head(k);
        if (config.computeVectors) {
            result.u = svd.matrixU().leftCols(k).cast<float>();
            result.v = svd.matrixV().leftCols(k).cast<float>();
        }
    } else {
        Eigen::BDCSVD<Eigen::MatrixXf> svd(matrix, options);
        if (svd.info() != Eigen::Success)
            return makeError(QStringLiteral("SVD of %1 failed (BDCSVD did not converge)").arg(label(config)));
        result.singularValues = svd.singularValues().head(k).cast<double>();
        if (config.computeVectors) {
            result.u = svd.matrixU().leftCols(k);
            result.v = svd.matrixV().leftCols(k);
        }
    }
    return result;
}

// Randomized block Krylov SVD (Musco & Musco 2015, "Randomized Block Krylov Methods for
// Stronger and Faster Approximate SVD", Algorithm 2, in the numerically careful form of block
// Lanczos with full re-orthogonalisation). Where Halko et al.'s subspace iteration keeps only
// the last block (MMᵀ)^q MΩ, this keeps every block: Q = orth[MΩ, (MMᵀ)MΩ, …, (MMᵀ)^q MΩ].
// Quantization errors have flat spectra (σ_{k+1}/σ_k close to 1), where subspace iteration
// took 11 iterations (24 products) to come within 3.3e-4 of the optimum on a 2048² MXINT4
// error; the Krylov space gets within 9e-5 with 5 (12 products), and within 1.5e-4 at 4096²
// (`lqer bench`).
//
// Each step costs the same two products as a power iteration: W_i = Mᵀ Q_i (n x b) and
// Y = M·orth(W_i), which is orthogonalised against all earlier blocks (two Gram-Schmidt
// passes) and by QR into the next block Q_{i+1}. The Ws are exactly the columns of Bᵀ = Mᵀ Q,
// so no extra product is needed at the end.
//
// Stopping rule: for an orthonormal Q, the best rank-k approximation within span(Q) has the
// residual ‖M‖² − Σ_top-k eig(BBᵀ) exactly, and BBᵀ = Wᵀ W is cheap (L x L, L = Σ block
// widths). The iteration stops when another block improves that residual by less than
// `tolerance` (relative), as the contract (NUMERICS.md §4) is on the residual.
// The rank-k SVD of B then comes from the eigendecomposition of BBᵀ in double:
// U = Q·E_k, V = W·E_k·Σ_k⁻¹.
Expected<SvdResult> randomizedSvd(const ConstMatrixRefF &matrix, const SvdConfig &config, int k)
{
    const Eigen::Index m = matrix.rows();
    const Eigen::Index n = matrix.cols();
    const Eigen::Index minDim = std::min(m, n);
    const int p = config.oversampling >= 0 ? config.oversampling : std::max(10, k / 2);
    const Eigen::Index b = std::min<Eigen::Index>(k + std::max(p, 2), minDim);
    const bool adaptive = config.powerIterations < 0;
    // The basis may not outgrow the smaller side of M (the last block is cut to fit).
    const int maxBlocks = int(std::max<Eigen::Index>(1, minDim / b));
    const int maxIterations = std::min(adaptive ? 40 : config.powerIterations, maxBlocks - 1);
    const double tolerance = config.tolerance > 0 ? config.tolerance : 3e-4;

    double total = 0; // ‖M‖²_F
    for (Eigen::Index j = 0; j < n; ++j)
        total += matrix.col(j).cast<double>().squaredNorm();

    std::mt19937_64 rng(config.seed);
    std::normal_distribution<float> gauss(0.0f, 1.0f);
    Eigen::MatrixXf omega(n, b);
    for (Eigen::Index j = 0; j < b; ++j)
        for (Eigen::Index i = 0; i < n; ++i)
            omega(i, j) = gauss(rng);

    const int threads = config.threads > 0 ? config.threads : QThread::idealThreadCount();
    const Eigen::Index capacity = std::min<Eigen::Index>(minDim, b * (maxIterations + 1));
    Eigen::MatrixXf q(m, capacity); // orthonormal Krylov basis, block after block
    Eigen::MatrixXf w(n, capacity); // Mᵀ Q, column for column
    Eigen::MatrixXd gram(capacity, capacity); // Wᵀ W, grown block by block
    Eigen::MatrixXf y;
    Eigen::MatrixXf z;
    product(matrix, omega, y, false, threads);
    orthonormalize(y);
    Eigen::Index used = 0;
    double previous = -1;
    int iterations = 0;
    for (;;) {
        if (isCancelled(config))
            return cancelledError();
        const Eigen::Index width = std::min<Eigen::Index>(y.cols(), capacity - used);
        q.middleCols(used, width) = y.leftCols(width);
        product(matrix, q.middleCols(used, width), z, true, threads); // W_i = Mᵀ Q_i
        w.middleCols(used, width) = z;
        const Eigen::Index filled = used + width;
        gram.block(0, used, filled, width) = (w.leftCols(filled).transpose() * z).cast<double>();
        gram.block(used, 0, width, used) = gram.block(0, used, used, width).transpose();
        used = filled;
        if (iterations >= maxIterations || used >= capacity)
            break;
        if (adaptive) {
            Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(gram.topLeftCorner(used, used),
                                                               Eigen::EigenvaluesOnly);
            double captured = 0; // eigenvalues ascending: the top k are at the end
            for (Eigen::Index i = 0; i < std::min<Eigen::Index>(k, used); ++i)
                captured += std::max(eig.eigenvalues()(used - 1 - i), 0.0);
            const double residual = std::sqrt(std::max(total - captured, 0.0));
            if (previous >= 0 && previous - residual <= tolerance * residual)
                break;
            previous = residual;
        }
        orthonormalize(z);
        product(matrix, z, y, false, threads);
        const auto basis = q.leftCols(used);
        Eigen::MatrixXf coefficients, projection;
        for (int pass = 0; pass < 2; ++pass) {
            product(basis, y, coefficients, true, threads); // Qᵀ y
            product(basis, coefficients, projection, false, threads); // Q Qᵀ y
            y -= projection;
        }
        orthonormalize(y);
        ++iterations;
    }

    // BBᵀ = Wᵀ W = E Λ Eᵀ: σ = √λ, U = Q E, V = W E Σ⁻¹ (top k, descending). Singular values
    // alone need no E: the same eigenvalues without accumulating the rotations (O(s²), not O(s³)).
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(gram.topLeftCorner(used, used),
                                                       config.computeVectors ? Eigen::ComputeEigenvectors
                                                                             : Eigen::EigenvaluesOnly);
    if (eig.info() != Eigen::Success)
        return makeError(QStringLiteral("randomized SVD of %1 failed (small eigensolver did not converge)")
                             .arg(label(config)));
    const Eigen::Index r = std::min<Eigen::Index>(k, used);
    SvdResult result;
    result.backend = SvdBackend::Randomized;
    result.iterations = iterations;
    result.singularValues.resize(r);
    Eigen::MatrixXf top(config.computeVectors ? used : 0, r);
    for (Eigen::Index i = 0; i < r; ++i) {
        const Eigen::Index src = used - 1 - i;
        result.singularValues(i) = std::sqrt(std::max(eig.eigenvalues()(src), 0.0));
        if (config.computeVectors)
            top.col(i) = eig.eigenvectors().col(src).cast<float>();
    }
    if (config.computeVectors) {
        result.u.noalias() = q.leftCols(used) * top;
        result.v.noalias() = w.leftCols(used) * top;
        for (Eigen::Index i = 0; i < r; ++i) {
            const double s = result.singularValues(i);
            result.v.col(i) *= s > 0 ? float(1.0 / s) : 0.0f;
        }
    }
    return result;
}

// The Gram operator of Spectra's PartialSVDSolver (MᵀM for tall, MMᵀ for wide matrices),
// accumulated in float, with a cancellation check per product.
class GramOp
{
public:
    using Scalar = float;

    GramOp(const ConstMatrixRefF &matrix, const CancelToken *cancel)
        : mMatrix(matrix)
        , mTall(matrix.rows() >= matrix.cols())
        , mCache(mTall ? matrix.rows() : matrix.cols())
        , mCancel(cancel)
    { }

    Eigen::Index rows() const { return std::min(mMatrix.rows(), mMatrix.cols()); }
    Eigen::Index cols() const { return rows(); }

    void perform_op(const float *xIn, float *yOut) const
    {
        if (mCancel && mCancel->isCancelled())
            throw SvdCancelled();
        const Eigen::Index d = rows();
        Eigen::Map<const Eigen::VectorXf> x(xIn, d);
        Eigen::Map<Eigen::VectorXf> y(yOut, d);
        if (mTall) {
            mCache.noalias() = mMatrix * x;
            y.noalias() = mMatrix.transpose() * mCache;
        } else {
            mCache.noalias() = mMatrix.transpose() * x;
            y.noalias() = mMatrix * mCache;
        }
    }

    bool tall() const { return mTall; }

private:
    ConstMatrixRefF mMatrix;
    bool mTall;
    mutable Eigen::VectorXf mCache;
    const CancelToken *mCancel;
};

Expected<SvdResult> spectraSvd(const ConstMatrixRefF &matrix, const SvdConfig &config, int k)
{
    GramOp op(matrix, config.cancel);
    const Eigen::Index dim = op.rows();
    // ncv >= 2k is Spectra's advice; a flat spectrum converges faster with a wider subspace.
    const Eigen::Index ncv = std::min<Eigen::Index>(dim, std::max<Eigen::Index>(2 * k + 1, k + 32));
    Spectra::SymEigsSolver<GramOp> eigs(op, k, ncv);
    SvdResult result;
    try {
        // init() already applies the operator once (the first Lanczos step), so it can throw
        // SvdCancelled too.
        eigs.init();
        // Eigenvalues of the Gram operator are σ²: a relative tolerance of 1e-5 on them is far
        // below what the 1e-3 residual contract needs, and reachable in float.
        eigs.compute(Spectra::SortRule::LargestAlge, 1000, 1e-5f);
    } catch (const SvdCancelled &) {
        return cancelledError();
    } catch (const std::exception &e) {
        // Spectra throws on breakdowns (e.g. the Lanczos basis of an all-zero matrix).
        return makeError(
            QStringLiteral("truncated SVD of %1 failed: %2").arg(label(config), QString::fromUtf8(e.what())));
    }
    result.iterations = int(eigs.num_iterations());
    if (eigs.info() != Spectra::CompInfo::Successful)
        return makeError(
            QStringLiteral("truncated SVD of %1 did not converge (rank %2)").arg(label(config)).arg(k));

    const Eigen::VectorXf lambda = eigs.eigenvalues().cwiseMax(0.0f);
    result.backend = SvdBackend::Spectra;
    result.singularValues = lambda.cast<double>().cwiseSqrt();
    if (config.computeVectors) {
        const Eigen::MatrixXf vecs = eigs.eigenvectors();
        // The other side follows from M v = σ u (or Mᵀ u = σ v); a zero σ gets a zero vector,
        // which contributes nothing to U Σ Vᵀ.
        Eigen::VectorXf inv(k);
        for (int i = 0; i < k; ++i) {
            const double s = result.singularValues(i);
            inv(i) = s > 0 ? float(1.0 / s) : 0.0f;
        }
        if (op.tall()) {
            result.v = vecs;
            result.u.noalias() = matrix * vecs;
            result.u = result.u * inv.asDiagonal();
        } else {
            result.u = vecs;
            result.v.noalias() = matrix.transpose() * vecs;
            result.v = result.v * inv.asDiagonal();
        }
    }
    return result;
}

} // namespace

SvdBackend resolveSvdBackend(SvdBackend requested, qint64 m, qint64 n, int k)
{
    const qint64 minDim = std::min(m, n);
    if (k <= 0 || k >= minDim - 1)
        return SvdBackend::Exact;
    if (requested != SvdBackend::Auto)
        return requested;
    // Measured (lqer bench, lqs-llama-13m analyze): tiny matrices or k above a quarter of the
    // smaller side: the full BDCSVD is as cheap as anything. Up to ~1024, Lanczos (Spectra) is the
    // fastest and reaches the optimum to 1e-10; at 4096 the GEMM-based randomized SVD is ~3x
    // faster than Lanczos (0.5 s vs 1.4 s for k = 32) and stops cleanly between iterations.
    if (minDim <= 64 || qint64(k) * 4 >= minDim)
        return SvdBackend::Exact;
    if (minDim <= 1024)
        return SvdBackend::Spectra;
    return SvdBackend::Randomized;
}

Expected<SvdResult> computeSvd(const ConstMatrixRefF &matrix, const SvdConfig &config)
{
    if (matrix.rows() == 0 || matrix.cols() == 0)
        return makeError(QStringLiteral("cannot decompose %1: it is empty (%2 x %3)")
                             .arg(label(config))
                             .arg(matrix.rows())
                             .arg(matrix.cols()));
    if (!matrix.allFinite())
        return makeError(QStringLiteral("cannot decompose %1: it contains NaN or Inf").arg(label(config)));
    if (isCancelled(config))
        return cancelledError();

    const qint64 minDim = std::min(matrix.rows(), matrix.cols());
    const int k = (config.rank <= 0 || config.rank >= minDim) ? int(minDim) : config.rank;
    const SvdBackend backend = resolveSvdBackend(config.backend, matrix.rows(), matrix.cols(), k);
    if (matrix.cwiseAbs().maxCoeff() == 0.0f) {
        // All zero (e.g. the error of a layer that quantizes exactly): Lanczos breaks down on
        // it, and any orthonormal vectors are valid singular vectors.
        SvdResult zero;
        zero.backend = backend;
        zero.singularValues = VectorD::Zero(k);
        if (config.computeVectors) {
            zero.u = Eigen::MatrixXf::Identity(matrix.rows(), k);
            zero.v = Eigen::MatrixXf::Identity(matrix.cols(), k);
        }
        return zero;
    }
    switch (backend) {
    case SvdBackend::Randomized:
        return randomizedSvd(matrix, config, k);
    case SvdBackend::Spectra:
        return spectraSvd(matrix, config, k);
    case SvdBackend::Exact:
    case SvdBackend::Auto:
        break;
    }
    return exactSvd(matrix, config, k);
}

double lowRankResidual(const ConstMatrixRefF &matrix, const SvdResult &svd, int k)
{
    k = std::min<int>(k, int(svd.singularValues.size()));
    Eigen::MatrixXd approx = Eigen::MatrixXd::Zero(matrix.rows(), matrix.cols());
    if (k > 0) {
        const Eigen::MatrixXd u = svd.u.leftCols(k).cast<double>();
        const Eigen::MatrixXd v = svd.v.leftCols(k).cast<double>();
        approx.noalias() = u * svd.singularValues.head(k).asDiagonal() * v.transpose();
    }
    return (matrix.cast<double>() - approx).norm();
}

double optimalResidual(const VectorD &allSingularValues, int k)
{
    double sum = 0;
    for (Eigen::Index i = std::max(k, 0); i < allSingularValues.size(); ++i)
        sum += allSingularValues(i) * allSingularValues(i);
    return std::sqrt(sum);
}

} // namespace lqer
