#include "core/lqer/lqer.h"
#include "core/common/parallel.h"

#include "core/linalg/svd.h"
#include "core/lqer/metrics.h"

#include <Eigen/Dense>

#include <QElapsedTimer>
#include <QThread>

#include <algorithm>
#include <cmath>

namespace lqer {

namespace {

// The official clamp on activation statistics (NUMERICS §4, §6): keeps s finite and positive on
// dead channels (ReLU outputs that never fire, all-zero calibration).
constexpr double kScaleFloor = 1e-4;

// The scaling of one layer: a diagonal s (L²QER, QERA-approx) or a full SPD S (QERA-exact).
struct Scaling
{
    VectorD diag; // length m, or empty
    Eigen::MatrixXd full; // m x m, or empty
    bool present() const { return diag.size() > 0 || full.size() > 0; }
};

Status checkStats(const QString &layer, const LayerStats &stats, qint64 in)
{
    if (stats.meanAbsMax.size() != in)
        return makeError(
            QStringLiteral("%1: calibration statistics have %2 input channels, the weight has %3")
                .arg(layer)
                .arg(stats.meanAbsMax.size())
                .arg(in));
    if (stats.sumSquares.size() != 0 && stats.sumSquares.size() != in)
        return makeError(QStringLiteral("%1: sum_squares has %2 channels, the weight has %3")
                             .arg(layer)
                             .arg(stats.sumSquares.size())
                             .arg(in));
    if (!stats.meanAbsMax.allFinite() || !stats.sumSquares.allFinite())
        return makeError(QStringLiteral("%1: calibration statistics contain NaN or Inf").arg(layer));
    if (stats.hasGram() && (stats.gram.rows() != in || stats.gram.cols() != in))
        return makeError(QStringLiteral("%1: Gram matrix is %2x%3, expected %4x%4")
                             .arg(layer)
                             .arg(stats.gram.rows())
                             .arg(stats.gram.cols())
                             .arg(in));
    return Status::success();
}

// S = R^{1/2} for QERA-exact, R = gram / tokens regularised with 1e-8·λ_max·I. Eigenvalues are
// also floored at kScaleFloor² so that S never becomes singular (all-zero activations, dead
// channels): this is the same floor QERA-approx puts on sqrt(E[x²]), which keeps the two methods
// equal when R is diagonal.
Expected<Eigen::MatrixXd> qeraExactScale(const QString &layer, const LayerStats &stats)
{
    if (!stats.hasGram())
        return makeError(
            QStringLiteral("%1: QERA-exact needs the Gram matrix of the inputs (calibrate with the Gram "
                           "matrix enabled)")
                .arg(layer));
    if (!stats.gram.allFinite())
        return makeError(QStringLiteral("%1: Gram matrix contains NaN or Inf").arg(layer));
    const qint64 m = stats.gram.rows();
    Eigen::MatrixXd r = stats.gram;
    if (stats.tokens > 0)
        r /= double(stats.tokens);
    else
        r.setZero();
    r = 0.5 * (r + r.transpose()).eval();
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(r);
    if (eig.info() != Eigen::Success)
        return makeError(QStringLiteral("%1: eigendecomposition of the Gram matrix failed").arg(layer));
    const double lambdaMax = std::max(eig.eigenvalues().maxCoeff(), 0.0);
    const double floor = std::max(1e-8 * lambdaMax, kScaleFloor * kScaleFloor);
    VectorD root(m);
    for (qint64 i = 0; i < m; ++i)
        root(i) = std::sqrt(std::max(eig.eigenvalues()(i) + 1e-8 * lambdaMax, floor));
    Eigen::MatrixXd s = eig.eigenvectors() * root.asDiagonal() * eig.eigenvectors().transpose();
    s = 0.5 * (s + s.transpose()).eval();
    return s;
}

Expected<Scaling> scalingFor(const QString &layer, Method method, const LayerStats &stats)
{
    Scaling scaling;
    if (method == Method::QeraExact) {
        auto s = qeraExactScale(layer, stats);
        if (!s)
            return Error {s.error()};
        scaling.full = std::move(*s);
        return scaling;
    }
    // Plain and LQER have no scale of their own; their spectra plots (and only those) use the
    // L²QER scale when statistics are available (paper Fig. 1a).
    const Method diagMethod = method == Method::QeraApprox ? Method::QeraApprox : Method::L2Qer;
    auto s = channelScale(layer, diagMethod, stats);
    if (!s)
        return Error {s.error()};
    scaling.diag = std::move(*s);
    return scaling;
}

// Fills the error metrics of `e` = W − Wq and of E − Ẽ, where Ẽ = (A B)ᵀ = Bᵀ Aᵀ comes from
// the quantized factors `bt` (out, k) and `at` (k, in) (both empty without a low-rank term).
// `weightedChannels` (r_j = E[x_j²]) may be empty.
// One pass over the matrices: each sum keeps its own element order (so the values equal
// ‖·‖_F and mean |·| of each matrix taken alone), but the independent sums share the loads and
// overlap their latency, where six separate passes over a 4096 x 11008 layer cost a tenth of
// its time. E − Ẽ is formed a few rows at a time, never as a whole matrix.
void measure(const ConstMatrixRefRM &weight, const ConstMatrixRefRM &e, const MatrixRM &bt,
             const MatrixRM &at, const VectorD &weightedChannels, LayerMetrics &metrics)
{
    const bool weighted = weightedChannels.size() == weight.cols();
    const bool lowRank = bt.size() > 0 && at.size() > 0;
    const qint64 rows = weight.rows();
    const qint64 cols = weight.cols();
    constexpr qint64 kRowsPerBlock = 32;
    MatrixRM delta(lowRank ? std::min(rows, kRowsPerBlock) : 0, cols); // E − Ẽ, a block of rows
    double w2 = 0, e2 = 0, d2 = 0, dAbs = 0, eAbs = 0, scaled = 0, scaledPlain = 0;
    for (qint64 r0 = 0; r0 < rows; r0 += kRowsPerBlock) {
        const qint64 h = std::min(kRowsPerBlock, rows - r0);
        if (lowRank) {
            delta.topRows(h) = e.middleRows(r0, h);
            delta.topRows(h).noalias() -= bt.middleRows(r0, h) * at;
        }
        for (qint64 i = r0; i < r0 + h; ++i) {
            const float *w = weight.row(i).data();
            const float *p = e.row(i).data();
            const float *d = lowRank ? delta.row(i - r0).data() : p;
            for (qint64 j = 0; j < cols; ++j) {
                const double wj = w[j], pj = p[j], dj = d[j];
                w2 += wj * wj;
                e2 += pj * pj;
                d2 += dj * dj;
                dAbs += std::fabs(dj);
                eAbs += std::fabs(pj);
                if (weighted) {
                    scaled += dj * dj * weightedChannels(j);
                    scaledPlain += pj * pj * weightedChannels(j);
                }
            }
        }
    }
    const double count = double(rows) * double(cols);
    metrics.weightFrob = std::sqrt(w2);
    metrics.quantFrobError = std::sqrt(e2);
    metrics.frobError = std::sqrt(d2);
    metrics.relError = metrics.weightFrob > 0 ? metrics.frobError / metrics.weightFrob : 0;
    metrics.meanAbsError = count > 0 ? dAbs / count : 0; // e_a (paper eq. 15) of E − Ẽ
    metrics.plainMeanAbsError = count > 0 ? eAbs / count : 0;
    if (weighted) {
        metrics.scaledFrobError = std::sqrt(scaled);
        metrics.scaledPlainFrobError = std::sqrt(scaledPlain);
        metrics.hasScaledError = true;
    }
}

// ‖m‖_F accumulated in double without a double copy of m.
double frobeniusNormD(const ConstMatrixRefF &m)
{
    double sum = 0;
    for (Eigen::Index j = 0; j < m.cols(); ++j) {
        const float *p = m.col(j).data();
        for (Eigen::Index i = 0; i < m.rows(); ++i)
            sum += double(p[i]) * double(p[i]);
    }
    return std::sqrt(sum);
}

// The SVD settings of one layer's decomposition or spectrum.
SvdConfig svdConfigFor(const LayerQuantOptions &options, int rank, const QString &name,
                       const CancelToken *cancel)
{
    SvdConfig config;
    config.backend = options.svd;
    config.rank = rank;
    config.seed = options.seed;
    config.threads = options.threads;
    config.cancel = cancel;
    config.name = name;
    return config;
}

Expected<VectorD> spectrumOf(const ConstMatrixRefF &m, const LayerQuantOptions &options, const QString &name,
                             const CancelToken *cancel)
{
    int rank = options.spectrumCount;
    if (options.spectrumCount < 0)
        rank = std::min(m.rows(), m.cols()) <= LayerQuantOptions::kAutoSpectrumAll
            ? 0
            : LayerQuantOptions::kAutoSpectrumTop;
    SvdConfig config = svdConfigFor(options, rank, name, cancel);
    config.computeVectors = false;
    config.powerIterations = options.spectrumIterations;
    auto svd = computeSvd(m, config);
    if (!svd)
        return Error {svd.error()};
    return std::move(svd->singularValues);
}

// Rejects what no quantization can use: an empty or non-finite weight, an invalid format.
Status checkLayerInput(const QString &layer, const ConstMatrixRefRM &weight, const LayerPlan &plan)
{
    const qint64 out = weight.rows();
    const qint64 in = weight.cols();
    if (out == 0 || in == 0)
        return makeError(QStringLiteral("%1: empty weight (%2 x %3)").arg(layer).arg(out).arg(in));
    if (const qint64 bad = firstNonFinite(weight.data(), weight.size()); bad >= 0)
        return makeError(QStringLiteral("%1: weight has a NaN or Inf at element %2 (row %3, column %4)")
                             .arg(layer)
                             .arg(bad)
                             .arg(bad / in)
                             .arg(bad % in));
    for (const QuantFormat *f : {&plan.weight, &plan.lowRank, &plan.act}) {
        if (!f->isQuantized())
            continue;
        if (Status st = f->validate(); !st)
            return makeError(QStringLiteral("%1: %2").arg(layer, st.error()));
    }
    return {};
}

// S·m with the layer's (present) scaling, diagonal or full, into `out` (m's shape).
void applyScaling(const Scaling &scaling, const ConstMatrixRefF &m, Eigen::Map<Eigen::MatrixXf> out)
{
    if (scaling.diag.size() > 0) {
        out = scaling.diag.cast<float>().asDiagonal() * m;
    } else {
        const Eigen::MatrixXf s = scaling.full.cast<float>();
        out.noalias() = s * m;
    }
}

struct LowRankFactors
{
    Eigen::MatrixXf a; // (in, k)
    Eigen::MatrixXf b; // (k, out)
};

// A·B ≈ M = Eᵀ (in x out) of rank k: from the SVD of M, or of S·M when the method scales, with
// S⁻¹ applied back to A.
Expected<LowRankFactors> lowRankFactors(const ConstMatrixRefF &ms, const ConstMatrixRefF &scaledMs,
                                        const Scaling &scaling, bool scaledDecomposition, int k,
                                        const LayerQuantOptions &options, const QString &layer,
                                        const CancelToken *cancel)
{
    const qint64 in = ms.rows();
    const qint64 out = ms.cols();
    LowRankFactors f;
    if (k >= std::min(in, out)) {
        // Exact reconstruction (§4: k >= min(m, n)): the identity on the smaller side needs
        // no decomposition and reproduces M to the last bit before Q_l.
        if (in <= out) {
            f.a = Eigen::MatrixXf::Identity(in, in);
            f.b = ms;
        } else {
            f.a = ms;
            f.b = Eigen::MatrixXf::Identity(out, out);
        }
    } else {
        auto svd = computeSvd(scaledDecomposition ? scaledMs : ms, svdConfigFor(options, k, layer, cancel));
        if (!svd)
            return Error {svd.error()};
        f.b = svd->singularValues.cast<float>().asDiagonal() * svd->v.transpose();
        if (!scaledDecomposition) {
            f.a = std::move(svd->u);
        } else if (scaling.diag.size() > 0) {
            f.a = scaling.diag.cast<float>().cwiseInverse().asDiagonal() * svd->u;
        } else {
            // S⁻¹ U'_k by solving S X = U'_k (S is SPD by construction), never inverting.
            f.a = scaling.full.ldlt().solve(svd->u.cast<double>()).cast<float>();
        }
    }
    if (!f.a.allFinite() || !f.b.allFinite())
        return makeError(QStringLiteral("%1: the low-rank factors contain NaN or Inf").arg(layer));
    return f;
}

// Q_l on the factors (A along its reduction dimension m, the rows of Aᵀ; B along k, the rows of
// Bᵀ) into `linear`; `at` and `bt` keep the quantized Aᵀ (k, in) and Bᵀ (out, k).
Status quantizeFactors(const QString &layer, const QuantFormat &lowRank, const LowRankFactors &f,
                       QuantizedLinear &linear, MatrixRM &at, MatrixRM &bt)
{
    at = f.a.transpose();
    bt = f.b.transpose();
    if (lowRank.isQuantized()) {
        if (Status st = quantizeRows(at.data(), at.data(), at.rows(), at.cols(), lowRank,
                                     layer + QStringLiteral(" (A)"));
            !st)
            return st;
        if (Status st = quantizeRows(bt.data(), bt.data(), bt.rows(), bt.cols(), lowRank,
                                     layer + QStringLiteral(" (B)"));
            !st)
            return st;
    }
    linear.a = at.transpose();
    linear.b = bt.transpose();
    return {};
}

// r_j = E[x_j²] per input channel for the activation-weighted error, or empty without sums.
VectorD channelWeights(const LayerStats *stats, qint64 in)
{
    VectorD weighted;
    if (stats && stats->sumSquares.size() == in) {
        weighted.resize(in);
        for (qint64 j = 0; j < in; ++j)
            weighted(j)
                = stats->tokens > 0 ? std::max(stats->sumSquares(j), 0.0) / double(stats->tokens) : 0.0;
    }
    return weighted;
}

// The singular values of E (α-normalised when a scaling exists) and of S·E for the spectra plot.
Status addSpectra(LayerQuantResult &result, const ConstMatrixRefF &ms, const ConstMatrixRefF &scaledMs,
                  const LayerQuantOptions &options, const QString &layer, const CancelToken *cancel)
{
    if (cancel && cancel->isCancelled())
        return makeError(cancelledMessage());
    auto sv = spectrumOf(ms, options, layer, cancel);
    if (!sv)
        return Error {sv.error()};
    result.spectra.svError = std::move(*sv);
    if (scaledMs.size() > 0) {
        auto svs = spectrumOf(scaledMs, options, layer + QStringLiteral(" (scaled)"), cancel);
        if (!svs)
            return Error {svs.error()};
        result.spectra.svScaled = std::move(*svs);
        result.spectra.alpha = alphaNormalisation(result.metrics.quantFrobError, frobeniusNormD(scaledMs));
        result.spectra.svError *= result.spectra.alpha;
    }
    if (!result.spectra.svError.allFinite() || !result.spectra.svScaled.allFinite())
        return makeError(QStringLiteral("%1: singular values are NaN or Inf").arg(layer));
    return {};
}

} // namespace

Status quantizeRowsParallel(const float *src, float *dst, qint64 rows, qint64 cols, const QuantFormat &format,
                            const QString &name, int threads)
{
    if (threads <= 0)
        threads = QThread::idealThreadCount();
    const int parts = int(std::clamp<qint64>(threads, 1, std::max<qint64>(1, rows / 64)));
    return runParallel(parts, parts, [&](int part) {
        const qint64 begin = rows * part / parts;
        const qint64 end = rows * (part + 1) / parts;
        return quantizeRows(src + begin * cols, dst + begin * cols, end - begin, cols, format, name);
    });
}

QString cancelledMessage()
{
    return QStringLiteral("cancelled");
}

Expected<VectorD> channelScale(const QString &layer, Method method, const LayerStats &stats)
{
    const qint64 m = stats.meanAbsMax.size();
    VectorD s;
    switch (method) {
    case Method::L2Qer: {
        if (m == 0)
            return makeError(QStringLiteral("%1: L²QER needs mean_abs_max statistics").arg(layer));
        // ā clamped below, then normalised by the geometric mean of its extremes (§6).
        VectorD a = stats.meanAbsMax.cwiseMax(kScaleFloor);
        const double norm = std::sqrt(a.minCoeff() * a.maxCoeff());
        s = a / norm;
        break;
    }
    case Method::QeraApprox: {
        if (stats.sumSquares.size() == 0)
            return makeError(QStringLiteral("%1: QERA-approx needs sum_squares statistics").arg(layer));
        const double tokens = stats.tokens > 0 ? double(stats.tokens) : 0.0;
        s.resize(stats.sumSquares.size());
        for (qint64 i = 0; i < s.size(); ++i) {
            const double ms = tokens > 0 ? std::max(stats.sumSquares(i), 0.0) / tokens : 0.0;
            s(i) = std::max(std::sqrt(ms), kScaleFloor);
        }
        break;
    }
    case Method::Plain:
    case Method::Lqer:
    case Method::QeraExact:
        return s;
    }
    if (!s.allFinite())
        return makeError(QStringLiteral("%1: channel scale is not finite").arg(layer));
    return s;
}

double layerBitsPerWeight(qint64 in, qint64 out, int rank, const QuantFormat &weight,
                          const QuantFormat &lowRank)
{
    const double mn = double(in) * double(out);
    if (mn <= 0)
        return 0;
    const double lowRankElems = double(rank) * double(in + out);
    return (mn * weight.bitsPerElement() + lowRankElems * lowRank.bitsPerElement()) / mn;
}

Expected<LayerQuantResult> quantizeLayer(const QString &layer, const ConstMatrixRefRM &weight,
                                         const LayerStats *stats, const LayerQuantOptions &options,
                                         const CancelToken *cancel)
{
    QElapsedTimer timer;
    timer.start();
    const LayerPlan &plan = options.plan;
    const qint64 out = weight.rows();
    const qint64 in = weight.cols();
    if (Status st = checkLayerInput(layer, weight, plan); !st)
        return Error {st.error()};
    if (cancel && cancel->isCancelled())
        return makeError(cancelledMessage());

    const QuantFormat weightFormat = plan.quantize ? plan.weight : QuantFormat::none();
    const Method method = plan.quantize ? plan.method : Method::Plain;
    const int k = effectiveRank(plan, in, out);

    if (k > 0 && methodNeedsStats(method) && !stats)
        return makeError(QStringLiteral("%1: method %2 needs calibration statistics for this layer")
                             .arg(layer, methodName(method)));
    if (stats) {
        if (Status st = checkStats(layer, *stats, in); !st)
            return Error {st.error()};
    }

    LayerQuantResult result;
    result.layer = layer;
    LayerMetrics &metrics = result.metrics;
    metrics.inFeatures = in;
    metrics.outFeatures = out;
    metrics.rank = k;

    QuantizedLinear &linear = result.linear;
    linear.act = plan.quantize ? plan.act : QuantFormat::none();
    linear.lowRankAct = linear.act;
    linear.weightFormat = weightFormat;
    linear.lowRankFormat = plan.quantize ? plan.lowRank : QuantFormat::none();

    LayerScratch ownScratch;
    LayerScratch &scratch = options.scratch ? *options.scratch : ownScratch;
    const qint64 count = out * in;
    Eigen::Map<MatrixRM> wq(scratch.buffer(LayerScratch::QuantizedWeight, count), out, in);
    if (weightFormat.isQuantized()) {
        if (Status st
            = quantizeRowsParallel(weight.data(), wq.data(), out, in, weightFormat, layer, options.threads);
            !st)
            return Error {st.error()};
    } else {
        wq = weight;
    }
    Eigen::Map<MatrixRM> e(scratch.buffer(LayerScratch::Error, count), out, in);
    e = weight - wq;
    if (cancel && cancel->isCancelled())
        return makeError(cancelledMessage());

    // Scaling: needed by the decomposition (k > 0, scaled methods) and by the spectra plot.
    Scaling scaling;
    const bool wantScale = stats && ((k > 0 && methodNeedsStats(method)) || options.computeSpectra);
    if (wantScale && !(method == Method::QeraExact && !stats->hasGram() && k == 0)) {
        auto sc = scalingFor(layer, method, *stats);
        if (!sc)
            return Error {sc.error()};
        scaling = std::move(*sc);
    }
    const bool scaledDecomposition = k > 0 && methodNeedsStats(method);

    // M_s = S·Eᵀ (in x out). E is (out, in) row-major, i.e. Eᵀ column-major, so the diagonal
    // scale multiplies the ROWS of M (input channels), as NUMERICS §1 demands.
    // M = Eᵀ without a copy: the row-major (out, in) E is Eᵀ in column-major order.
    const Eigen::Map<const Eigen::MatrixXf> ms(e.data(), in, out);
    const bool scaled = (k > 0 || options.computeSpectra) && scaling.present();
    Eigen::Map<Eigen::MatrixXf> scaledMs(scaled ? scratch.buffer(LayerScratch::ScaledError, count) : nullptr,
                                         scaled ? in : 0, scaled ? out : 0); // S·Eᵀ when a scaling exists
    if (scaled)
        applyScaling(scaling, ms, scaledMs);

    MatrixRM at, bt; // the quantized Aᵀ (k, in) and Bᵀ (out, k)
    if (k > 0) {
        auto factors = lowRankFactors(ms, scaledMs, scaling, scaledDecomposition, k, options, layer, cancel);
        if (!factors)
            return Error {factors.error()};
        if (Status st = quantizeFactors(layer, plan.lowRank, *factors, linear, at, bt); !st)
            return Error {st.error()};
        metrics.rank = int(linear.a.cols());
    }

    measure(weight, e, bt, at, channelWeights(stats, in), metrics);
    if (!std::isfinite(metrics.frobError) || !std::isfinite(metrics.meanAbsError))
        return makeError(QStringLiteral("%1: the reconstruction error is NaN or Inf").arg(layer));
    metrics.bitsPerWeight = layerBitsPerWeight(in, out, metrics.rank, weightFormat,
                                               metrics.rank > 0 ? plan.lowRank : QuantFormat::none());

    if (options.computeSpectra) {
        if (Status st = addSpectra(result, ms, scaledMs, options, layer, cancel); !st)
            return Error {st.error()};
    }

    if (options.keepMatrices) {
        // Wq packed straight from the scratch buffer where its format allows; fp32 otherwise.
        if (isPackable(weightFormat)) {
            if (auto p = packQuantizedRows(wq.data(), out, in, weightFormat))
                linear.packedW = std::make_shared<const PackedMatrix>(std::move(*p));
        }
        if (!linear.packedW)
            linear.wq = wq;
        linear.packWeights();
    } else {
        linear.releaseMatrices();
    }
    metrics.seconds = timer.nsecsElapsed() * 1e-9;
    return result;
}

} // namespace lqer
