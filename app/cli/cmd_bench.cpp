// `lqer bench`: the cost of each stage on one synthetic LLM-sized layer, single-threaded:
// MXINT4 quantization (reference and fast), the rank-k L²QER decomposition with each SVD
// backend, the full exact SVD, and each backend's residual against the exact rank-k optimum.

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

} // namespace

int cmdBench(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Time MXINT4 quantization and rank-k L²QER with each SVD backend on a random size x size layer "
        "with a few outlier input channels, and compare each backend's error with the exact rank-k "
        "optimum (NUMERICS.md §4: within 1e-3 relative). The full SVD and Spectra run on one thread; the "
        "randomized SVD's products and the layer's quantization split over --threads (default: all cores)."));
    const QCommandLineOption sizeOpt(QStringLiteral("size"), QStringLiteral("Layer size (default 4096)."),
                                     QStringLiteral("n"));
    const QCommandLineOption rankOpt(QStringLiteral("rank"), QStringLiteral("Rank k (default 32)."),
                                     QStringLiteral("k"));
    const QCommandLineOption seedOpt(QStringLiteral("seed"), QStringLiteral("Random seed (default 1)."),
                                     QStringLiteral("seed"));
    const QCommandLineOption skipExactOpt(
        QStringLiteral("skip-exact"),
        QStringLiteral("Skip the full SVD (slow at 4096: tens of seconds); errors are then "
                       "relative to the best truncated backend."));
    const QCommandLineOption threadsOpt(
        QStringLiteral("threads"), QStringLiteral("Threads for the randomized SVD (default: all cores)."),
        QStringLiteral("n"));
    for (const auto &o : {sizeOpt, rankOpt, seedOpt, skipExactOpt, threadsOpt})
        parser.addOption(o);
    int exitCode = 0;
    if (!parseOrExit(parser, args, exitCode))
        return exitCode;
    bool ok = true;
    const int n = parser.isSet(sizeOpt) ? parser.value(sizeOpt).toInt(&ok) : 4096;
    if (!ok || n < 16 || n > 32768)
        return fail(QStringLiteral("--size must be an integer in [16, 32768]"));
    const int k = parser.isSet(rankOpt) ? parser.value(rankOpt).toInt(&ok) : 32;
    if (!ok || k < 1 || k >= n - 1)
        return fail(QStringLiteral("--rank must be an integer in [1, size - 2]"));
    const int threads
        = parser.isSet(threadsOpt) ? parser.value(threadsOpt).toInt(&ok) : QThread::idealThreadCount();
    if (!ok || threads < 1)
        return fail(QStringLiteral("--threads must be a positive integer"));
    const quint64 seed = parser.isSet(seedOpt) ? parser.value(seedOpt).toULongLong(&ok) : 1;
    if (!ok)
        return fail(QStringLiteral("--seed must be a non-negative integer"));

    // The layer: Gaussian weights (σ = 0.02, typical of LLM projections) and calibration
    // statistics with 8 outlier input channels 20-50x above the rest (the LLM.int8() pattern).
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> gauss(0.0f, 0.02f);
    MatrixRM w(n, n);
    for (qint64 i = 0; i < w.size(); ++i)
        w.data()[i] = gauss(rng);
    LayerStats stats;
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

    out(QStringLiteral(
            "lqer bench: %1x%1 layer, rank %2, 8 outlier input channels, randomized SVD on %3 thread(s)\n\n")
            .arg(n)
            .arg(k)
            .arg(threads));

    const QuantFormat w4 = QuantFormat::mxint(4, 8, 16);
    MatrixRM wqRef(n, n), wq(n, n);
    QElapsedTimer t;
    t.start();
    if (Status st = quantizeRowsReference(w.data(), wqRef.data(), n, n, w4, QStringLiteral("bench")); !st)
        return fail(st.error());
    const double tRef = secondsSince(t);
    t.restart();
    if (Status st = quantizeRows(w.data(), wq.data(), n, n, w4, QStringLiteral("bench")); !st)
        return fail(st.error());
    const double tFast = secondsSince(t);
    const bool same = wq == wqRef;
    out(QStringLiteral("MXINT4 quantize  reference %1 s   fast %2 s   (%3x, %4)\n")
            .arg(tRef, 0, 'f', 4)
            .arg(tFast, 0, 'f', 4)
            .arg(tFast > 0 ? tRef / tFast : 0.0, 0, 'f', 1)
            .arg(same ? QStringLiteral("bit-identical") : QStringLiteral("MISMATCH")));

    // M_s = diag(s) Eᵀ, the matrix L²QER decomposes.
    auto scale = channelScale(QStringLiteral("bench"), Method::L2Qer, stats);
    if (!scale)
        return fail(scale.error());
    const MatrixRM e = w - wq;
    Eigen::MatrixXf ms = e.transpose();
    ms = scale->cast<float>().asDiagonal() * ms;

    double optimum = -1;
    double tExact = 0;
    if (!parser.isSet(skipExactOpt)) {
        SvdConfig cfg;
        cfg.backend = SvdBackend::Exact;
        cfg.name = QStringLiteral("bench");
        t.restart();
        auto full = computeSvd(ms, cfg);
        tExact = secondsSince(t);
        if (!full)
            return fail(full.error());
        optimum = optimalResidual(full->singularValues, k);
        out(QStringLiteral("exact full SVD (BDCSVD, U,Σ,V)   %1 s   rank-%2 optimum ‖M_s − M_k‖_F = %3\n")
                .arg(tExact, 0, 'f', 2)
                .arg(k)
                .arg(optimum, 0, 'g', 8));
    }

    struct Row
    {
        SvdBackend backend;
        double svdSeconds = 0, residual = 0, layerSeconds = 0;
        int iterations = 0;
    };
    QList<Row> rows;
    for (SvdBackend backend : {SvdBackend::Spectra, SvdBackend::Randomized}) {
        Row row;
        row.backend = backend;
        SvdConfig cfg;
        cfg.backend = backend;
        cfg.rank = k;
        cfg.threads = threads;
        cfg.name = QStringLiteral("bench");
        t.restart();
        auto svd = computeSvd(ms, cfg);
        row.svdSeconds = secondsSince(t);
        if (!svd)
            return fail(svd.error());
        row.iterations = svd->iterations;
        row.residual = lowRankResidual(ms, *svd, k);
        // The whole layer: quantize W, scale, decompose, quantize A and B, measure.
        LayerQuantOptions lo;
        lo.plan.method = Method::L2Qer;
        lo.plan.rank = k;
        lo.svd = backend;
        lo.threads = threads;
        lo.computeSpectra = false;
        t.restart();
        auto layer = quantizeLayer(QStringLiteral("bench"), w, &stats, lo);
        row.layerSeconds = secondsSince(t);
        if (!layer)
            return fail(layer.error());
        rows.append(row);
    }
    const double reference = optimum > 0 ? optimum : std::min(rows[0].residual, rows[1].residual);
    out(QStringLiteral("\n%1  %2  %3  %4  %5  %6\n")
            .arg(QStringLiteral("backend"), -11)
            .arg(QStringLiteral("SVD s"), 8)
            .arg(QStringLiteral("iters"), 5)
            .arg(QStringLiteral("L²QER layer s"), 13)
            .arg(QStringLiteral("rel. error vs optimum"), 22)
            .arg(QStringLiteral("speed-up vs full SVD"), 20));
    for (const Row &row : rows) {
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
                .arg(tExact > 0 ? QStringLiteral("%1x").arg(tExact / row.svdSeconds, 0, 'f', 0)
                                : QStringLiteral("n/a"),
                     20));
    }
    if (optimum < 0)
        out(QStringLiteral("(--skip-exact: errors are relative to the best truncated backend)\n"));
    return same ? 0 : 1;
}

} // namespace lqer::cli
