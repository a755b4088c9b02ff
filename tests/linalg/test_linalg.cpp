// SVD backends (NUMERICS.md §4): exact, Spectra and randomized must give a rank-k residual
// within 1e-3 relative of the exact optimum, on random matrices (flat Marchenko-Pastur spectra:
// the hard case for truncated solvers) and on real quantization-error matrices.

#include "core/formats/quantformat.h"
#include "core/io/checkpoint.h"
#include "core/linalg/panelproduct.h"
#include "core/linalg/svd.h"
#include "core/model/architecture.h"

#include <QTest>

#include <QElapsedTimer>

#include <chrono>
#include <random>
#include <thread>

using namespace lqer;

namespace {

Eigen::MatrixXf gaussian(qint64 rows, qint64 cols, quint64 seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> g(0.0f, 1.0f);
    Eigen::MatrixXf m(rows, cols);
    for (qint64 j = 0; j < cols; ++j)
        for (qint64 i = 0; i < rows; ++i)
            m(i, j) = g(rng);
    return m;
}

QString modelDir()
{
    return QStringLiteral(LQER_SHARED_DIR "/models/lqs-llama-13m");
}

// Eᵀ (in x out, the paper's M) of the MXINT(4,8,16) error of one real layer.
Eigen::MatrixXf realErrorMatrix(const QString &name)
{
    auto ckpt = Checkpoint::open(modelDir());
    if (!ckpt)
        qFatal("%s", qPrintable(ckpt.error()));
    auto layers = quantizableLinears(**ckpt);
    if (!layers)
        qFatal("%s", qPrintable(layers.error()));
    for (const LinearLayerInfo &info : *layers) {
        if (info.weightName != name)
            continue;
        auto w = loadLinearWeight(**ckpt, info);
        if (!w)
            qFatal("%s", qPrintable(w.error()));
        auto wq = quantizeMatrix(*w, QuantFormat::mxint(4, 8, 16), name);
        if (!wq)
            qFatal("%s", qPrintable(wq.error()));
        const MatrixRM e = *w - *wq;
        return e.transpose();
    }
    qFatal("layer not found");
    return {};
}

} // namespace

class TestLinalg : public QObject
{
    Q_OBJECT

private:
    // The panel kernels now selected against a double reference, and split at an odd row.
    void checkPanelProducts(int m, int n, int l)
    {
        const qint64 ldm = m + 3, ldx = n + 5, ldq = m + 2;
        const Eigen::MatrixXf store = gaussian(ldm, n, 21);
        const Eigen::MatrixXf xs = gaussian(ldx, l, 22);
        const Eigen::MatrixXf qs = gaussian(ldq, l, 23);
        const Eigen::MatrixXd md = store.topRows(m).cast<double>();
        const Eigen::MatrixXd ma = md.cwiseAbs();

        // Y = M X (m x l) and Z = Mᵀ Q (n x l), whole and split at an odd row.
        const auto check = [&](const Eigen::MatrixXf &got, const Eigen::MatrixXd &ref,
                               const Eigen::MatrixXd &bound, const char *what) {
            for (Eigen::Index j = 0; j < got.cols(); ++j)
                for (Eigen::Index i = 0; i < got.rows(); ++i)
                    if (std::abs(double(got(i, j)) - ref(i, j)) > 2e-6 * bound(i, j) + 1e-30)
                        QFAIL(qPrintable(QStringLiteral("%1 (%2, %3): %4 vs %5")
                                             .arg(QLatin1String(what))
                                             .arg(i)
                                             .arg(j)
                                             .arg(double(got(i, j)))
                                             .arg(ref(i, j))));
        };
        const Eigen::MatrixXd xd = xs.topRows(n).cast<double>();
        const Eigen::MatrixXd qd = qs.topRows(m).cast<double>();

        Eigen::MatrixXf y(m, l), ySplit(m, l);
        panelProduct(store.data(), ldm, 0, m, n, xs.data(), ldx, l, y.data(), m);
        const qint64 cut = m / 3 + 1;
        panelProduct(store.data(), ldm, 0, cut, n, xs.data(), ldx, l, ySplit.data(), m);
        panelProduct(store.data(), ldm, cut, m, n, xs.data(), ldx, l, ySplit.data() + cut, m);
        check(y, md * xd, ma * xd.cwiseAbs(), "M X");
        QVERIFY(y == ySplit || !panelKernelsVectorized());

        Eigen::MatrixXf z(n, l), zSplit(n, l);
        panelProductTransposed(store.data(), ldm, m, 0, n, qs.data(), ldq, l, z.data(), n);
        const qint64 cutN = n / 2 + 1;
        panelProductTransposed(store.data(), ldm, m, 0, cutN, qs.data(), ldq, l, zSplit.data(), n);
        panelProductTransposed(store.data(), ldm, m, cutN, n, qs.data(), ldq, l, zSplit.data() + cutN, n);
        check(z, md.transpose() * qd, ma.transpose() * qd.cwiseAbs(), "M^T Q");
        QVERIFY(z == zSplit || !panelKernelsVectorized());
    }

    void checkBackends(const Eigen::MatrixXf &m, int k)
    {
        SvdConfig exactCfg;
        exactCfg.backend = SvdBackend::Exact;
        exactCfg.computeVectors = false;
        auto all = computeSvd(m, exactCfg);
        QVERIFY2(all.ok(), qPrintable(all.error()));
        const double optimum = optimalResidual(all->singularValues, k);
        QVERIFY(optimum > 0);

        for (SvdBackend backend : {SvdBackend::Exact, SvdBackend::Spectra, SvdBackend::Randomized}) {
            SvdConfig cfg;
            cfg.backend = backend;
            cfg.rank = k;
            cfg.name = QStringLiteral("test matrix");
            auto svd = computeSvd(m, cfg);
            QVERIFY2(svd.ok(), qPrintable(svd.error()));
            QCOMPARE(svd->backend, backend);
            QCOMPARE(svd->u.rows(), m.rows());
            QCOMPARE(svd->u.cols(), Eigen::Index(k));
            QCOMPARE(svd->v.rows(), m.cols());
            const double residual = lowRankResidual(m, *svd, k);
            const double rel = (residual - optimum) / optimum;
            QVERIFY2(rel < 1e-3 && rel > -1e-4,
                     qPrintable(QStringLiteral("%1: residual %2 vs optimum %3 (rel %4)")
                                    .arg(svdBackendName(backend))
                                    .arg(residual, 0, 'g', 10)
                                    .arg(optimum, 0, 'g', 10)
                                    .arg(rel)));
            // The leading singular value itself must be close too (the contract is on the
            // residual; single values of a flat spectrum converge more slowly in a sketch).
            QVERIFY2(std::abs(svd->singularValues(0) - all->singularValues(0))
                         < 1e-2 * all->singularValues(0),
                     qPrintable(svdBackendName(backend)));
        }
    }

private slots:
    void exactReconstructs()
    {
        const Eigen::MatrixXf m = gaussian(70, 40, 1);
        SvdConfig cfg;
        cfg.backend = SvdBackend::Exact;
        auto svd = computeSvd(m, cfg);
        QVERIFY(svd.ok());
        QCOMPARE(svd->singularValues.size(), Eigen::Index(40));
        QVERIFY(lowRankResidual(m, *svd, 40) < 1e-5 * m.norm());
        for (Eigen::Index i = 1; i < 40; ++i)
            QVERIFY(svd->singularValues(i) <= svd->singularValues(i - 1));
        // Values-only gives the same values.
        cfg.computeVectors = false;
        auto values = computeSvd(m, cfg);
        QVERIFY(values.ok());
        QVERIFY((values->singularValues - svd->singularValues).norm() < 1e-6 * svd->singularValues.norm());
        QVERIFY(values->u.size() == 0);
    }

    void backendsAgreeRandom_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("rank");
        QTest::newRow("tall 700x300 k8") << 700 << 300 << 8;
        QTest::newRow("wide 300x800 k32") << 300 << 800 << 32;
        QTest::newRow("square 600x600 k32") << 600 << 600 << 32;
    }
    void backendsAgreeRandom()
    {
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(int, rank);
        checkBackends(gaussian(rows, cols, quint64(rows * 31 + cols)), rank);
    }

    void backendsAgreeOnRealLayers_data()
    {
        QTest::addColumn<QString>("layer");
        QTest::addColumn<int>("rank");
        QTest::newRow("q_proj.0 k32") << QStringLiteral("model.layers.0.self_attn.q_proj.weight") << 32;
        QTest::newRow("down_proj.3 k32") << QStringLiteral("model.layers.3.mlp.down_proj.weight") << 32;
        QTest::newRow("up_proj.5 k64") << QStringLiteral("model.layers.5.mlp.up_proj.weight") << 64;
    }
    void backendsAgreeOnRealLayers()
    {
        QFETCH(QString, layer);
        QFETCH(int, rank);
        checkBackends(realErrorMatrix(layer), rank);
    }

    void plotSpectrumWithOneKrylovBlock()
    {
        // The studio's truncated spectra: the top 256 of a flat (i.i.d.) spectrum, the hardest
        // case, with one Krylov block after the first instead of the adaptive stop.
        const Eigen::MatrixXf m = gaussian(1376, 1024, 7);
        SvdConfig exact;
        exact.backend = SvdBackend::Exact;
        exact.computeVectors = false;
        auto all = computeSvd(m, exact);
        QVERIFY2(all.ok(), qPrintable(all.error()));
        SvdConfig plot;
        plot.backend = SvdBackend::Randomized;
        plot.rank = 256;
        plot.powerIterations = 1;
        plot.computeVectors = false;
        auto top = computeSvd(m, plot);
        QVERIFY2(top.ok(), qPrintable(top.error()));
        QCOMPARE(top->singularValues.size(), 256);
        double worst = 0;
        for (int i = 0; i < 256; ++i)
            worst = std::max(worst, std::abs(top->singularValues(i) / all->singularValues(i) - 1.0));
        qInfo("top 256 of a 1376 x 1024 Gaussian, one Krylov block: worst relative error %.4f", worst);
        QVERIFY2(worst < 0.03, qPrintable(QString::number(worst)));
        // Values only skip the eigenvectors of the small Gram, not its eigenvalues.
        plot.computeVectors = true;
        auto withVectors = computeSvd(m, plot);
        QVERIFY(withVectors.ok());
        for (int i = 0; i < 256; ++i)
            QVERIFY(std::abs(withVectors->singularValues(i) - top->singularValues(i))
                    <= 1e-6 * top->singularValues(i));
    }

    void autoPicksSensibly()
    {
        QCOMPARE(resolveSvdBackend(SvdBackend::Auto, 384, 1024, 32), SvdBackend::Spectra);
        QCOMPARE(resolveSvdBackend(SvdBackend::Auto, 60, 100, 8), SvdBackend::Exact);
        QCOMPARE(resolveSvdBackend(SvdBackend::Auto, 4096, 4096, 32), SvdBackend::Randomized);
        QCOMPARE(resolveSvdBackend(SvdBackend::Auto, 4096, 4096, 2048), SvdBackend::Exact);
        // Truncated backends cannot deliver (almost) all triplets: exact instead.
        QCOMPARE(resolveSvdBackend(SvdBackend::Spectra, 100, 50, 50), SvdBackend::Exact);
        QCOMPARE(resolveSvdBackend(SvdBackend::Randomized, 100, 50, 0), SvdBackend::Exact);
    }

    void deterministicSeed()
    {
        const Eigen::MatrixXf m = gaussian(200, 150, 7);
        SvdConfig cfg;
        cfg.backend = SvdBackend::Randomized;
        cfg.rank = 10;
        auto a = computeSvd(m, cfg);
        auto b = computeSvd(m, cfg);
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->singularValues, b->singularValues);
    }

    // The randomized backend splits its products over threads by output rows. The slices are
    // independent GEMMs, so only the float rounding of Eigen's blocking may differ: the singular
    // values must agree to float precision and the residual must stay at the optimum.
    // The panel products equal the double-precision product to fp32 summation accuracy, for
    // tile and chunk remainders in every dimension and leading dimensions beyond the rows; and
    // any split of the output rows gives the same bits (each element is computed one way).
    void panelProductsMatchReference_data()
    {
        QTest::addColumn<int>("m");
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("l");
        QTest::newRow("tiles exact") << 64 << 512 << 48;
        QTest::newRow("remainders") << 37 << 301 << 13;
        QTest::newRow("chunks") << 2100 << 2300 << 7;
        QTest::newRow("thin") << 5 << 3 << 1;
        QTest::newRow("svd block") << 1030 << 530 << 50;
    }

    void panelProductsMatchReference()
    {
        QFETCH(int, m);
        QFETCH(int, n);
        QFETCH(int, l);
        // The best kernels of this CPU, then (where that was AVX-512) the AVX2 ones.
        struct Restore
        {
            ~Restore() { forcePanelKernelsAvx2(false); }
        } restore;
        for (bool forceAvx2 : {false, true}) {
            forcePanelKernelsAvx2(forceAvx2);
            if (forceAvx2 && QByteArray(panelKernelsName()) != "avx2")
                break; // no AVX-512 here: the first pass ran AVX2 (or Eigen) already
            qInfo("vector kernels: %s", panelKernelsName());
            checkPanelProducts(m, n, l);
        }
    }

    void randomizedThreadsGiveTheSameResult()
    {
        const Eigen::MatrixXf m = gaussian(1100, 700, 11);
        SvdConfig cfg;
        cfg.backend = SvdBackend::Randomized;
        cfg.rank = 16;
        cfg.threads = 1;
        auto one = computeSvd(m, cfg);
        cfg.threads = 3;
        auto three = computeSvd(m, cfg);
        QVERIFY(one.ok() && three.ok());
        QCOMPARE(one->singularValues.size(), three->singularValues.size());
        for (Eigen::Index i = 0; i < one->singularValues.size(); ++i)
            QVERIFY2(std::abs(one->singularValues(i) - three->singularValues(i))
                         <= 1e-5 * one->singularValues(0),
                     qPrintable(QStringLiteral("sigma_%1: %2 vs %3")
                                    .arg(i)
                                    .arg(one->singularValues(i))
                                    .arg(three->singularValues(i))));
        cfg.backend = SvdBackend::Exact;
        cfg.rank = 0;
        cfg.computeVectors = false;
        auto exact = computeSvd(m, cfg);
        QVERIFY(exact.ok());
        const double optimum = optimalResidual(exact->singularValues, 16);
        QVERIFY(lowRankResidual(m, *three, 16) <= optimum * (1 + 1e-3));
    }

    void badInput()
    {
        SvdConfig cfg;
        cfg.name = QStringLiteral("layer.x");
        auto empty = computeSvd(Eigen::MatrixXf(0, 5), cfg);
        QVERIFY(!empty.ok());
        QVERIFY(empty.error().contains(QStringLiteral("layer.x")));
        Eigen::MatrixXf m = gaussian(20, 10, 3);
        m(4, 2) = std::numeric_limits<float>::quiet_NaN();
        auto nan = computeSvd(m, cfg);
        QVERIFY(!nan.ok());
        QVERIFY(nan.error().contains(QStringLiteral("layer.x")));
        QVERIFY(nan.error().contains(QStringLiteral("NaN")));
        // An all-zero matrix is valid: zero singular values, no NaN from any backend.
        const Eigen::MatrixXf zero = Eigen::MatrixXf::Zero(300, 200);
        for (SvdBackend backend : {SvdBackend::Exact, SvdBackend::Spectra, SvdBackend::Randomized}) {
            SvdConfig zc;
            zc.backend = backend;
            zc.rank = 5;
            auto z = computeSvd(zero, zc);
            QVERIFY2(z.ok(), qPrintable(z.error()));
            QVERIFY(z->singularValues.allFinite());
            QVERIFY(z->u.allFinite() && z->v.allFinite());
            QCOMPARE(z->singularValues.sum(), 0.0);
        }
    }

    void cancelStops()
    {
        const Eigen::MatrixXf m = gaussian(400, 300, 9);
        CancelToken token;
        token.cancel();
        for (SvdBackend backend : {SvdBackend::Exact, SvdBackend::Spectra, SvdBackend::Randomized}) {
            SvdConfig cfg;
            cfg.backend = backend;
            cfg.rank = 10;
            cfg.cancel = &token;
            auto r = computeSvd(m, cfg);
            QVERIFY(!r.ok());
            QCOMPARE(r.error(), QStringLiteral("cancelled"));
        }
    }

    // A cancel can arrive at any moment of a running SVD, including the operator application
    // inside Spectra's init() (an uncaught throw there once terminated the studio). Another
    // thread cancels after a random delay; every outcome must be a result or "cancelled".
    void cancelAtAnyMoment()
    {
        // Large enough that the checks before the decomposition (finite, all-zero) take about a
        // millisecond, so cancels land before, at and after Spectra's init().
        const Eigen::MatrixXf m = gaussian(1500, 1000, 11);
        std::mt19937 rng(5);
        SvdConfig probe;
        probe.backend = SvdBackend::Spectra;
        probe.rank = 8;
        QElapsedTimer timer;
        timer.start();
        QVERIFY(computeSvd(m, probe).ok());
        const qint64 fullNs = std::max<qint64>(timer.nsecsElapsed(), 1000);
        int cancelled = 0;
        int finished = 0;
        for (int trial = 0; trial < 60; ++trial) {
            CancelToken token;
            const qint64 delayNs = std::uniform_int_distribution<qint64>(0, fullNs / 4)(rng);
            std::thread canceller([token, delayNs] {
                std::this_thread::sleep_for(std::chrono::nanoseconds(delayNs));
                token.cancel();
            });
            SvdConfig cfg = probe;
            cfg.cancel = &token;
            auto r = computeSvd(m, cfg);
            canceller.join();
            if (r.ok()) {
                ++finished;
            } else {
                QCOMPARE(r.error(), QStringLiteral("cancelled"));
                ++cancelled;
            }
        }
        QVERIFY(cancelled > 0);
        qInfo("cancelAtAnyMoment: %d cancelled, %d finished (one SVD: %.1f ms)", cancelled, finished,
              fullNs / 1e6);
    }
};

QTEST_GUILESS_MAIN(TestLinalg)
#include "test_linalg.moc"
