// `lqer bench`: the cost of each stage on one synthetic LLM-sized layer, single-threaded:
// MXINT4 quantization (reference and fast), the rank-k L²QER decomposition with each SVD
// backend, the full exact SVD, and each backend's residual against the exact rank-k optimum.

#include "benchkernels.h"
#include "cli.h"

#include "core/linalg/svd.h"
#include "core/lqer/lqer.h"

#include <QElapsedTimer>
#include <QThread>

#include <cmath>
#include <random>

namespace lqer::cli {

namespace {

double secondsSince(const QElapsedTimer &t)
{
    return t.nsecsElapsed() * 1e-9;
}

struct BenchOptions
{
    int size = 4096;
    int rank = 32;
    int threads = 0;
    quint64 seed = 1;
    bool skipExact = false;
};

void declareOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QStringLiteral(
        "Time MXINT4 quantization and rank-k L²QER with each SVD backend on a random size x size layer "
        "with a few outlier input channels, and compare each backend's error with the exact rank-k "
        "optimum (NUMERICS.md §4: within 1e-3 relative). The full SVD and Spectra run on one thread; the "
        "randomized SVD's products and the layer's quantization split over --threads (default: all cores)."));
    parser.addOptions({
        QCommandLineOption(QStringLiteral("size"), QStringLiteral("Layer size (default 4096)."),
                           QStringLiteral("n")),
        QCommandLineOption(QStringLiteral("rank"), QStringLiteral("Rank k (default 32)."),
                           QStringLiteral("k")),
        QCommandLineOption(QStringLiteral("seed"), QStringLiteral("Random seed (default 1)."),
                           QStringLiteral("seed")),
        QCommandLineOption(
            QStringLiteral("skip-exact"),
            QStringLiteral("Skip the full SVD (slow at 4096: tens of seconds); errors are then "
                           "relative to the best truncated backend.")),
        QCommandLineOption(QStringLiteral("threads"),
                           QStringLiteral("Threads for the randomized SVD (default: all cores)."),
                           QStringLiteral("n")),
    });
    addKernelBenchOptions(parser);
}

Expected<BenchOptions> benchOptionsFrom(const QCommandLineParser &parser)
{
    BenchOptions o;
    bool ok = true;
    o.size = parser.isSet(QStringLiteral("size")) ? parser.value(QStringLiteral("size")).toInt(&ok) : 4096;
    if (!ok || o.size < 16 || o.size > 32768)
        return makeError(QStringLiteral("--size must be an integer in [16, 32768]"));
    o.rank = parser.isSet(QStringLiteral("rank")) ? parser.value(QStringLiteral("rank")).toInt(&ok) : 32;
    if (!ok || o.rank < 1 || o.rank >= o.size - 1)
        return makeError(QStringLiteral("--rank must be an integer in [1, size - 2]"));
    o.threads = parser.isSet(QStringLiteral("threads")) ? parser.value(QStringLiteral("threads")).toInt(&ok)
                                                        : QThread::idealThreadCount();
    if (!ok || o.threads < 1)
        return makeError(QStringLiteral("--threads must be a positive integer"));
    o.seed = parser.isSet(QStringLiteral("seed")) ? parser.value(QStringLiteral("seed")).toULongLong(&ok) : 1;
    if (!ok)
        return makeError(QStringLiteral("--seed must be a non-negative integer"));
    o.skipExact = parser.isSet(QStringLiteral("skip-exact"));
    return o;
}

// The layer: Gaussian weights (σ = 0.02, typical of LLM projections) and calibration
// statistics with 8 outlier input channels 20-50x above the rest (the LLM.int8() pattern).
void makeLayer(const BenchOptions &o, MatrixRM &w, LayerStats &stats)
{
    const int n = o.size;
    std::mt19937_64 rng(o.seed);
    std::normal_distribution<float> gauss(0.0f, 0.02f);
    w.resize(n, n);
    for (qint64 i = 0; i < w.size(); ++i)
        w.data()[i] = gauss(rng);
    stats.layer = QStringLiteral("bench");
    stats.samples = 32;
    stats.tokens = 32 * 2048;
    stats.meanAbsMax.resize(n);
    std::uniform_real_distribution<double> uni(0.5, 1.5);
    for (int i = 0; i < n; ++i)
        stats.meanAbsMax(i) = uni(rng);
    for (int i = 0; i < 8; ++i)
        stats.meanAbsMax((i * 7919 + 13) % n) = 20.0 + 30.0 * uni(rng) / 1.5;
    stats.sumSquares = stats.meanAbsMax.cwiseAbs2() * double(stats.tokens);
}

// MXINT4 reference against fast quantization: prints both times; `same` says whether they agree.
Expected<MatrixRM> benchQuantizer(const MatrixRM &w, bool &same)
{
    const qint64 n = w.rows();
    const QuantFormat w4 = QuantFormat::mxint(4, 8, 16);
    MatrixRM wqRef(n, n), wq(n, n);
    QElapsedTimer t;
    t.start();
    if (Status st = quantizeRowsReference(w.data(), wqRef.data(), n, n, w4, QStringLiteral("bench")); !st)
        return Error {st.error()};
    const double tRef = secondsSince(t);
    t.restart();
    if (Status st = quantizeRows(w.data(), wq.data(), n, n, w4, QStringLiteral("bench")); !st)
        return Error {st.error()};
    const double tFast = secondsSince(t);
    same = wq == wqRef;
    out(QStringLiteral("MXINT4 quantize  reference %1 s   fast %2 s   (%3x, %4)\n")
            .arg(tRef, 0, 'f', 4)
            .arg(tFast, 0, 'f', 4)
            .arg(tFast > 0 ? tRef / tFast : 0.0, 0, 'f', 1)
            .arg(same ? QStringLiteral("bit-identical") : QStringLiteral("MISMATCH")));
    return wq;
}

// The full exact SVD of `ms`: its time and the rank-k optimum (printed).
Status benchExactSvd(const Eigen::MatrixXf &ms, int k, double &seconds, double &optimum)
{
    SvdConfig cfg;
    cfg.backend = SvdBackend::Exact;
    cfg.name = QStringLiteral("bench");
    QElapsedTimer t;
    t.start();
    auto full = computeSvd(ms, cfg);
    seconds = secondsSince(t);
    if (!full)
        return Error {full.error()};
    optimum = optimalResidual(full->singularValues, k);
    out(QStringLiteral("exact full SVD (BDCSVD, U,Σ,V)   %1 s   rank-%2 optimum ‖M_s − M_k‖_F = %3\n")
            .arg(seconds, 0, 'f', 2)
            .arg(k)
            .arg(optimum, 0, 'g', 8));
    return Status::success();
}

struct BackendRow
{
    SvdBackend backend;
    double svdSeconds = 0, residual = 0, layerSeconds = 0;
    int iterations = 0;
};

// One truncated backend: its SVD of `ms`, then the whole L²QER layer (quantize W, scale,
// decompose, quantize A and B, measure).
Expected<BackendRow> benchBackend(SvdBackend backend, const Eigen::MatrixXf &ms, const MatrixRM &w,
                                  const LayerStats &stats, const BenchOptions &o)
{
    BackendRow row;
    row.backend = backend;
    SvdConfig cfg;
    cfg.backend = backend;
    cfg.rank = o.rank;
    cfg.threads = o.threads;
    cfg.name = QStringLiteral("bench");
    QElapsedTimer t;
    t.start();
    auto svd = computeSvd(ms, cfg);
    row.svdSeconds = secondsSince(t);
    if (!svd)
        return Error {svd.error()};
    row.iterations = svd->iterations;
    row.residual = lowRankResidual(ms, *svd, o.rank);
    LayerQuantOptions lo;
    lo.plan.method = Method::L2Qer;
    lo.plan.rank = o.rank;
    lo.svd = backend;
    lo.threads = o.threads;
    lo.computeSpectra = false;
    t.restart();
    auto layer = quantizeLayer(QStringLiteral("bench"), w, &stats, lo);
    row.layerSeconds = secondsSince(t);
    if (!layer)
        return Error {layer.error()};
    return row;
}

void printBackendRows(const QList<BackendRow> &rows, double optimum, double exactSeconds)
{
    const double reference = optimum > 0 ? optimum : std::min(rows[0].residual, rows[1].residual);
    out(QStringLiteral("\n%1  %2  %3  %4  %5  %6\n")
            .arg(QStringLiteral("backend"), -11)
            .arg(QStringLiteral("SVD s"), 8)
            .arg(QStringLiteral("iters"), 5)
            .arg(QStringLiteral("L²QER layer s"), 13)
            .arg(QStringLiteral("rel. error vs optimum"), 22)
            .arg(QStringLiteral("speed-up vs full SVD"), 20));
    for (const BackendRow &row : rows) {
        const double rel = (row.residual - reference) / reference;
        out(QStringLiteral("%1  %2  %3  %4  %5  %6\n")
                .arg(svdBackendName(row.backend), -11)
                .arg(row.svdSeconds, 8, 'f', 3)
                .arg(row.iterations, 5)
                .arg(row.layerSeconds, 13, 'f', 3)
                .arg(QStringLiteral("%1%2")
                         .arg(rel, 0, 'e', 2)
                         .arg(std::abs(rel) <= 1e-3 ? QStringLiteral(" ok") : QStringLiteral(" > 1e-3")),
                     22)
                .arg(exactSeconds > 0 ? QStringLiteral("%1x").arg(exactSeconds / row.svdSeconds, 0, 'f', 0)
                                      : QStringLiteral("n/a"),
                     20));
    }
    if (optimum < 0)
        out(QStringLiteral("(--skip-exact: errors are relative to the best truncated backend)\n"));
}

} // namespace

int cmdBench(const QStringList &args)
{
    QCommandLineParser parser;
    declareOptions(parser);
    int exitCode = 0;
    if (!parseOrExit(parser, args, exitCode))
        return exitCode;
    if (parser.isSet(QStringLiteral("kernels")))
        return benchKernels(parser);
    if (parser.isSet(QStringLiteral("model")))
        return fail(QStringLiteral("--model needs --kernels"));
    auto o = benchOptionsFrom(parser);
    if (!o)
        return fail(o.error());
    MatrixRM w;
    LayerStats stats;
    makeLayer(*o, w, stats);
    out(QStringLiteral(
            "lqer bench: %1x%1 layer, rank %2, 8 outlier input channels, randomized SVD on %3 thread(s)\n\n")
            .arg(o->size)
            .arg(o->rank)
            .arg(o->threads));
    bool same = false;
    auto wq = benchQuantizer(w, same);
    if (!wq)
        return fail(wq.error());

    // M_s = diag(s) Eᵀ, the matrix L²QER decomposes.
    auto scale = channelScale(QStringLiteral("bench"), Method::L2Qer, stats);
    if (!scale)
        return fail(scale.error());
    const MatrixRM e = w - *wq;
    Eigen::MatrixXf ms = e.transpose();
    ms = scale->cast<float>().asDiagonal() * ms;

    double optimum = -1;
    double exactSeconds = 0;
    if (!o->skipExact) {
        if (Status s = benchExactSvd(ms, o->rank, exactSeconds, optimum); !s)
            return fail(s.error());
    }
    QList<BackendRow> rows;
    for (SvdBackend backend : {SvdBackend::Spectra, SvdBackend::Randomized}) {
        auto row = benchBackend(backend, ms, w, stats, *o);
        if (!row)
            return fail(row.error());
        rows.append(*row);
    }
    printBackendRows(rows, optimum, exactSeconds);
    return same ? 0 : 1;
}

} // namespace lqer::cli
