// The LQER family of one layer (NUMERICS.md §4-§6, §8) and its metrics.

#include "core/io/checkpoint.h"
#include "core/lqer/lqer.h"
#include "core/lqer/metrics.h"
#include "core/model/architecture.h"

#include <Eigen/SVD>

#include <QTest>

#include <cmath>
#include <random>

using namespace lqer;

namespace {

MatrixRM randomWeight(qint64 out, qint64 in, quint64 seed, float scale = 0.05f)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> g(0.0f, scale);
    MatrixRM w(out, in);
    for (qint64 i = 0; i < w.size(); ++i)
        w.data()[i] = g(rng);
    return w;
}

LayerStats uniformStats(qint64 in, double value)
{
    LayerStats s;
    s.samples = 4;
    s.tokens = 100;
    s.meanAbsMax = VectorD::Constant(in, value);
    s.sumSquares = VectorD::Constant(in, value * value * 100);
    return s;
}

LayerQuantOptions options(Method method, int rank, SvdBackend svd = SvdBackend::Exact)
{
    LayerQuantOptions o;
    o.plan.method = method;
    o.plan.rank = rank;
    o.svd = svd;
    o.computeSpectra = false;
    return o;
}

// E − Ẽ of a result, (out, in).
MatrixRM residual(const MatrixRM &w, const LayerQuantResult &r)
{
    return w - effectiveWeight(r.linear);
}

double columnNorm(const MatrixRM &m, qint64 col)
{
    double s = 0;
    for (qint64 i = 0; i < m.rows(); ++i)
        s += double(m(i, col)) * double(m(i, col));
    return std::sqrt(s);
}

} // namespace

class TestLqer : public QObject
{
    Q_OBJECT

private slots:
    // GOLDEN.md: MXINT(4, 8, 16) of layer 0's q_proj, Σ (W − Wq)² = 2.22148 (±1e-4 relative).
    void goldenPlainQProj()
    {
        auto ckpt = Checkpoint::open(QStringLiteral(LQER_SHARED_DIR "/models/lqs-llama-13m"));
        QVERIFY2(ckpt.ok(), qPrintable(ckpt.error()));
        auto layers = quantizableLinears(**ckpt);
        QVERIFY(layers.ok());
        const QString name = QStringLiteral("model.layers.0.self_attn.q_proj.weight");
        MatrixRM w;
        for (const LinearLayerInfo &info : *layers)
            if (info.weightName == name)
                w = *loadLinearWeight(**ckpt, info);
        QCOMPARE(w.rows(), Eigen::Index(384));
        LayerQuantOptions o = options(Method::Plain, 0);
        o.computeSpectra = true;
        auto r = quantizeLayer(name, w, nullptr, o);
        QVERIFY2(r.ok(), qPrintable(r.error()));
        const double sse = r->metrics.quantFrobError * r->metrics.quantFrobError;
        QVERIFY2(std::abs(sse - 2.22148) <= 1e-4 * 2.22148, qPrintable(QString::number(sse, 'g', 8)));
        QCOMPARE(r->metrics.rank, 0);
        QCOMPARE(r->metrics.frobError, r->metrics.quantFrobError);
        QCOMPARE(r->metrics.bitsPerWeight, 4.5); // w + e/B = 4 + 8/16
        QCOMPARE(r->linear.rank(), 0);
        // The spectrum of E holds all of its energy (no scaling: α = 1).
        QCOMPARE(r->spectra.svError.size(), Eigen::Index(384));
        QCOMPARE(r->spectra.alpha, 1.0);
        QVERIFY(std::abs(r->spectra.svError.norm() - r->metrics.quantFrobError)
                < 1e-5 * r->metrics.quantFrobError);

        // LQER k = 32 on the same layer reduces the error, and the rank-k term with A, B
        // unquantized reaches the exact rank-k optimum sqrt(Σ_{i>32} σ_i²).
        LayerQuantOptions lo = options(Method::Lqer, 32);
        lo.plan.lowRank = QuantFormat::none();
        auto l = quantizeLayer(name, w, nullptr, lo);
        QVERIFY(l.ok());
        double tail = 0;
        for (Eigen::Index i = 32; i < r->spectra.svError.size(); ++i)
            tail += r->spectra.svError(i) * r->spectra.svError(i);
        QVERIFY(std::abs(l->metrics.frobError - std::sqrt(tail)) < 1e-4 * std::sqrt(tail));
        QVERIFY(l->metrics.meanAbsError < l->metrics.plainMeanAbsError);
    }

    void fullRankReconstructsExactly_data()
    {
        QTest::addColumn<int>("out");
        QTest::addColumn<int>("in");
        QTest::addColumn<int>("rank");
        QTest::newRow("wide in>out k=min") << 40 << 64 << 40;
        QTest::newRow("tall out>in k=min") << 80 << 48 << 48;
        QTest::newRow("k>min") << 32 << 32 << 100;
    }
    void fullRankReconstructsExactly()
    {
        QFETCH(int, out);
        QFETCH(int, in);
        QFETCH(int, rank);
        const MatrixRM w = randomWeight(out, in, 5);
        LayerQuantOptions o = options(Method::Lqer, rank);
        o.plan.lowRank = QuantFormat::none();
        auto r = quantizeLayer(QStringLiteral("w"), w, nullptr, o);
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QCOMPARE(r->metrics.rank, std::min(out, in));
        QVERIFY(r->metrics.quantFrobError > 1e-3);
        QVERIFY2(r->metrics.frobError < 1e-6 * r->metrics.quantFrobError,
                 qPrintable(QString::number(r->metrics.frobError)));
        // With Q_l = MXINT8 the remaining error is that of 8-bit factors: far below plain W4.
        o.plan.lowRank = QuantFormat::mxint(8, 8, 16);
        auto q = quantizeLayer(QStringLiteral("w"), w, nullptr, o);
        QVERIFY(q.ok());
        QVERIFY(q->metrics.frobError < 0.05 * q->metrics.quantFrobError);
        QVERIFY(q->metrics.frobError > 0);
    }

    // S = I (all ā equal) makes L²QER identical to LQER.
    void l2qerWithIdentityScaleIsLqer()
    {
        const MatrixRM w = randomWeight(96, 128, 11);
        const LayerStats stats = uniformStats(128, 0.37);
        auto lqer = quantizeLayer(QStringLiteral("w"), w, nullptr, options(Method::Lqer, 16));
        auto l2 = quantizeLayer(QStringLiteral("w"), w, &stats, options(Method::L2Qer, 16));
        QVERIFY(lqer.ok() && l2.ok());
        QVERIFY(std::abs(lqer->metrics.frobError - l2->metrics.frobError) < 1e-6 * lqer->metrics.frobError);
        const MatrixRM d = effectiveWeight(lqer->linear) - effectiveWeight(l2->linear);
        QVERIFY(frobeniusNorm(d) < 1e-5 * lqer->metrics.quantFrobError);
        const auto s = channelScale(QStringLiteral("w"), Method::L2Qer, stats);
        QVERIFY(s.ok());
        QVERIFY((s->array() - 1.0).abs().maxCoeff() < 1e-12);
    }

    // NUMERICS §1: S is indexed by INPUT channel, i.e. it weights the COLUMNS of the (out, in)
    // weight. An input channel with large activations must get a smaller error with L²QER.
    void orientationOutlierInputChannel()
    {
        const qint64 out = 64, in = 96, outlier = 7;
        const MatrixRM w = randomWeight(out, in, 21);
        LayerStats stats = uniformStats(in, 1.0);
        stats.meanAbsMax(outlier) = 50.0;
        stats.sumSquares(outlier) = 2500.0 * 100;
        auto lqer = quantizeLayer(QStringLiteral("w"), w, &stats, options(Method::Lqer, 8));
        auto l2 = quantizeLayer(QStringLiteral("w"), w, &stats, options(Method::L2Qer, 8));
        QVERIFY(lqer.ok() && l2.ok());
        const MatrixRM dl = residual(w, *lqer);
        const MatrixRM d2 = residual(w, *l2);
        const double colLqer = columnNorm(dl, outlier);
        const double colL2 = columnNorm(d2, outlier);
        // The outlier column is almost perfectly reconstructed by L²QER.
        QVERIFY2(colL2 < 0.2 * colLqer, qPrintable(QStringLiteral("%1 vs %2").arg(colL2).arg(colLqer)));
        // ... and the row of the same index (the wrong orientation) gets no such treatment.
        const double rowL2 = d2.row(outlier).norm();
        QVERIFY(rowL2 > 0.5 * dl.row(outlier).norm());
        // The activation-weighted error is what L²QER trades for: lower than LQER's.
        QVERIFY(l2->metrics.hasScaledError && lqer->metrics.hasScaledError);
        QVERIFY(l2->metrics.scaledFrobError < lqer->metrics.scaledFrobError);
        // ... while the plain Frobenius error is (slightly) higher: LQER is its optimum.
        QVERIFY(l2->metrics.frobError >= lqer->metrics.frobError * 0.999);
    }

    // Zero channels, all-zero activations, singular R: finite results, never NaN (§4).
    void degenerateStatsGiveNoNaN()
    {
        const qint64 out = 40, in = 48;
        const MatrixRM w = randomWeight(out, in, 31);
        QList<LayerStats> cases;
        LayerStats dead = uniformStats(in, 0.8);
        for (qint64 j = 0; j < in; j += 3) {
            dead.meanAbsMax(j) = 0;
            dead.sumSquares(j) = 0;
        }
        cases << dead;
        LayerStats zero = uniformStats(in, 0.0);
        cases << zero;
        LayerStats noTokens = uniformStats(in, 0.0);
        noTokens.tokens = 0;
        cases << noTokens;
        for (LayerStats s : cases) {
            // Singular (rank-1) Gram, or zero.
            VectorD v = VectorD::LinSpaced(in, 0.0, 1.0) * (s.meanAbsMax.maxCoeff() > 0 ? 1.0 : 0.0);
            s.gram = v * v.transpose() * double(s.tokens);
            for (Method m : {Method::L2Qer, Method::QeraApprox, Method::QeraExact}) {
                LayerQuantOptions o = options(m, 8);
                o.computeSpectra = true;
                auto r = quantizeLayer(QStringLiteral("layer.dead"), w, &s, o);
                QVERIFY2(r.ok(), qPrintable(r.error()));
                QVERIFY(std::isfinite(r->metrics.frobError));
                QVERIFY(r->linear.a.allFinite() && r->linear.b.allFinite());
                QVERIFY(r->spectra.svScaled.allFinite() && r->spectra.svError.allFinite());
                QVERIFY(r->metrics.frobError <= r->metrics.quantFrobError * 1.01);
            }
        }
        auto s = channelScale(QStringLiteral("x"), Method::L2Qer, zero);
        QVERIFY(s.ok() && s->allFinite());
    }

    void nanWeightNamesTheLayer()
    {
        MatrixRM w = randomWeight(16, 32, 41);
        w(3, 5) = std::numeric_limits<float>::quiet_NaN();
        for (Method m : {Method::Plain, Method::Lqer}) {
            LayerQuantOptions o = options(m, 4);
            o.plan.weight = QuantFormat::none(); // the check must not rely on the quantizer
            auto r = quantizeLayer(QStringLiteral("model.layers.9.mlp.up_proj.weight"), w, nullptr, o);
            QVERIFY(!r.ok());
            QVERIFY(r.error().contains(QStringLiteral("model.layers.9.mlp.up_proj.weight")));
            QVERIFY(r.error().contains(QStringLiteral("row 3")));
        }
    }

    void missingOrMismatchedStats()
    {
        const MatrixRM w = randomWeight(16, 32, 43);
        auto r = quantizeLayer(QStringLiteral("layer.A"), w, nullptr, options(Method::L2Qer, 4));
        QVERIFY(!r.ok());
        QVERIFY(r.error().contains(QStringLiteral("layer.A")));
        const LayerStats wrong = uniformStats(31, 1.0);
        auto m = quantizeLayer(QStringLiteral("layer.B"), w, &wrong, options(Method::L2Qer, 4));
        QVERIFY(!m.ok());
        QVERIFY(m.error().contains(QStringLiteral("layer.B")));
        QVERIFY(m.error().contains(QStringLiteral("31")));
        const LayerStats noGram = uniformStats(32, 1.0);
        auto g = quantizeLayer(QStringLiteral("layer.C"), w, &noGram, options(Method::QeraExact, 4));
        QVERIFY(!g.ok());
        QVERIFY(g.error().contains(QStringLiteral("Gram")));
        // Plain needs nothing.
        QVERIFY(quantizeLayer(QStringLiteral("layer.D"), w, nullptr, options(Method::Plain, 4)).ok());
    }

    // With R = diag(E[x²]) the exact QERA scaling R^{1/2} is the approximate one.
    void qeraExactDiagonalIsQeraApprox()
    {
        const qint64 out = 56, in = 72;
        const MatrixRM w = randomWeight(out, in, 51);
        LayerStats s = uniformStats(in, 1.0);
        std::mt19937_64 rng(3);
        std::uniform_real_distribution<double> u(0.01, 9.0);
        for (qint64 j = 0; j < in; ++j)
            s.sumSquares(j) = u(rng) * double(s.tokens);
        s.gram = s.sumSquares.asDiagonal();
        LayerQuantOptions o = options(Method::QeraApprox, 12);
        o.plan.lowRank = QuantFormat::none();
        auto approx = quantizeLayer(QStringLiteral("w"), w, &s, o);
        o.plan.method = Method::QeraExact;
        auto exact = quantizeLayer(QStringLiteral("w"), w, &s, o);
        QVERIFY2(approx.ok() && exact.ok(), qPrintable(approx.error() + exact.error()));
        QVERIFY(std::abs(approx->metrics.frobError - exact->metrics.frobError)
                < 1e-5 * approx->metrics.frobError);
        const MatrixRM d = effectiveWeight(approx->linear) - effectiveWeight(exact->linear);
        QVERIFY(frobeniusNorm(d) < 1e-4 * approx->metrics.quantFrobError);
        // And QERA-approx minimises the E[x²]-weighted error better than LQER does.
        auto lqer = quantizeLayer(QStringLiteral("w"), w, &s, options(Method::Lqer, 12));
        QVERIFY(approx->metrics.scaledFrobError < lqer->metrics.scaledFrobError);
    }

    // Spectra for the plot: ‖α E‖_F = ‖S E‖_F, and svScaled are the singular values of S·Eᵀ.
    void alphaNormalisation()
    {
        const qint64 out = 48, in = 64;
        const MatrixRM w = randomWeight(out, in, 61);
        LayerStats s = uniformStats(in, 1.0);
        for (qint64 j = 0; j < in; ++j)
            s.meanAbsMax(j) = 0.1 + 0.05 * double(j);
        LayerQuantOptions o = options(Method::L2Qer, 8);
        o.computeSpectra = true;
        auto r = quantizeLayer(QStringLiteral("w"), w, &s, o);
        QVERIFY(r.ok());
        const LayerSpectra &sp = r->spectra;
        QCOMPARE(sp.svError.size(), Eigen::Index(48));
        QCOMPARE(sp.svScaled.size(), Eigen::Index(48));
        QVERIFY(std::abs(sp.svError.norm() - sp.svScaled.norm()) < 1e-6 * sp.svScaled.norm());
        QVERIFY(sp.alpha != 1.0);
        // Direct: ‖E diag(s)‖_F.
        const MatrixRM e = w - r->linear.dequantizedWeight();
        const VectorD scale = *channelScale(QStringLiteral("w"), Method::L2Qer, s);
        double direct = 0;
        for (qint64 i = 0; i < out; ++i)
            for (qint64 j = 0; j < in; ++j)
                direct += std::pow(double(e(i, j)) * scale(j), 2);
        QVERIFY(std::abs(sp.svScaled.norm() - std::sqrt(direct)) < 1e-5 * std::sqrt(direct));
        QVERIFY(std::abs(sp.alpha - std::sqrt(direct) / r->metrics.quantFrobError) < 1e-5 * sp.alpha);
        // Top-N only.
        o.spectrumCount = 5;
        auto top = quantizeLayer(QStringLiteral("w"), w, &s, o);
        QCOMPARE(top->spectra.svScaled.size(), Eigen::Index(5));
        QVERIFY(std::abs(top->spectra.svScaled(0) - sp.svScaled(0)) < 1e-5 * sp.svScaled(0));
    }

    void l2qerScaleFormula()
    {
        LayerStats s = uniformStats(4, 1.0);
        s.meanAbsMax << 0.0, 0.5, 2.0, 8.0; // 0 clamps to 1e-4
        const auto v = channelScale(QStringLiteral("w"), Method::L2Qer, s);
        QVERIFY(v.ok());
        const double norm = std::sqrt(1e-4 * 8.0);
        QCOMPARE((*v)(0), 1e-4 / norm);
        QCOMPARE((*v)(3), 8.0 / norm);
        s.sumSquares << 0.0, 25.0, 100.0, 400.0; // tokens = 100
        const auto q = channelScale(QStringLiteral("w"), Method::QeraApprox, s);
        QCOMPARE((*q)(0), 1e-4);
        QCOMPARE((*q)(1), 0.5);
        QCOMPARE((*q)(3), 2.0);
    }

    // §8: b = [mn(w + e/B) + (mk + kn)(w_l + e_l/B)] / (mn).
    void bitAccounting()
    {
        const double b
            = layerBitsPerWeight(4096, 4096, 32, QuantFormat::mxint(4, 8, 16), QuantFormat::mxint(8, 8, 16));
        QVERIFY(std::abs(b - (4.5 + 2.0 * 32 * 4096 * 8.5 / (4096.0 * 4096.0))) < 1e-12);
        QVERIFY(std::abs(layerBitsPerWeight(4096, 4096, 0, QuantFormat::mxint(4, 4, 16),
                                            QuantFormat::mxint(8, 8, 16))
                         - 4.25)
                < 1e-12);
    }

    void outputError()
    {
        const MatrixRM w = randomWeight(20, 30, 71);
        const MatrixRM x = randomWeight(50, 30, 72, 1.0f);
        auto zero = outputRelativeError(x, w, w, QStringLiteral("w"));
        QVERIFY(zero.ok());
        QCOMPARE(*zero, 0.0);
        const MatrixRM scaled = 0.9f * w;
        auto tenth = outputRelativeError(x, w, scaled, QStringLiteral("w"));
        QVERIFY(std::abs(*tenth - 0.1) < 1e-5);
        auto bad = outputRelativeError(randomWeight(5, 29, 1), w, w, QStringLiteral("layer.out"));
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().contains(QStringLiteral("layer.out")));
    }

    void marchenkoPastur()
    {
        // Both densities integrate to 1 (midpoint rule; the edges are square-root zeros).
        for (double ratio : {0.25, 0.5, 1.0}) {
            const double var = 2.0;
            const double a = var * std::pow(1 - std::sqrt(ratio), 2),
                         b = var * std::pow(1 + std::sqrt(ratio), 2);
            const int steps = 200000;
            double sum = 0;
            for (int i = 0; i < steps; ++i) {
                const double x = a + (b - a) * (i + 0.5) / steps;
                sum += marchenkoPasturEigenDensity(x, ratio, var) * (b - a) / steps;
            }
            QVERIFY2(std::abs(sum - 1) < 2e-3, qPrintable(QString::number(sum)));
        }
        const qint64 rows = 300, cols = 500;
        const double var = 0.3;
        double lo, hi;
        marchenkoPasturSingularSupport(rows, cols, var, &lo, &hi);
        const int steps = 200000;
        double sum = 0, mean = 0;
        for (int i = 0; i < steps; ++i) {
            const double s = lo + (hi - lo) * (i + 0.5) / steps;
            const double d = marchenkoPasturSingularDensity(s, rows, cols, var) * (hi - lo) / steps;
            sum += d;
            mean += s * d;
        }
        QVERIFY2(std::abs(sum - 1) < 2e-3, qPrintable(QString::number(sum)));
        QCOMPARE(marchenkoPasturSingularDensity(hi * 1.01, rows, cols, var), 0.0);
        // An actual i.i.d. matrix: its mean singular value matches the law's within 1%.
        const MatrixRM m = randomWeight(rows, cols, 81, float(std::sqrt(var)));
        const Eigen::MatrixXf mf = m;
        Eigen::BDCSVD<Eigen::MatrixXf> svd(mf);
        const double empirical = svd.singularValues().cast<double>().mean();
        QVERIFY2(std::abs(empirical - mean) < 0.01 * mean,
                 qPrintable(QStringLiteral("%1 vs %2").arg(empirical).arg(mean)));
        QCOMPARE(equivalentVariance(std::sqrt(12.0), 3, 4), 1.0);
    }

    void cancelled()
    {
        const MatrixRM w = randomWeight(64, 64, 91);
        CancelToken token;
        token.cancel();
        auto r = quantizeLayer(QStringLiteral("w"), w, nullptr, options(Method::Lqer, 8), &token);
        QVERIFY(!r.ok());
        QCOMPARE(r.error(), cancelledMessage());
    }

    // The truncated backends give the same layer error as the exact one (contract §4).
    void backendsGiveSameLayerError()
    {
        const MatrixRM w = randomWeight(300, 400, 101);
        LayerStats s = uniformStats(400, 1.0);
        for (qint64 j = 0; j < 400; ++j)
            s.meanAbsMax(j) = 0.2 + std::fmod(double(j) * 0.37, 3.0);
        LayerQuantOptions o = options(Method::L2Qer, 24);
        o.plan.lowRank = QuantFormat::none();
        auto exact = quantizeLayer(QStringLiteral("w"), w, &s, o);
        QVERIFY(exact.ok());
        for (SvdBackend b : {SvdBackend::Spectra, SvdBackend::Randomized}) {
            o.svd = b;
            auto r = quantizeLayer(QStringLiteral("w"), w, &s, o);
            QVERIFY2(r.ok(), qPrintable(r.error()));
            // The residual in the scaled norm is what the SVD optimises; compare that.
            QVERIFY2(std::abs(r->metrics.frobError - exact->metrics.frobError)
                         < 2e-3 * exact->metrics.frobError,
                     qPrintable(svdBackendName(b)));
        }
    }
};

QTEST_GUILESS_MAIN(TestLqer)
#include "test_lqer.moc"
