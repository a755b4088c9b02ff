// Tests of core/alloc: the allocator against exhaustive search on toys, the convex hull, budget
// parsing, the format catalog, and the predicted curves of a real model (lqs-llama-13m).

#include "core/alloc/allocator.h"
#include "core/alloc/curves.h"
#include "core/alloc/sensitivity.h"
#include "core/io/checkpoint.h"
#include "core/lqer/statsfile.h"
#include "core/model/calibration.h"
#include "core/model/tokenizer.h"
#include "core/model/transformer.h"

#include <QElapsedTimer>
#include <QtTest>

#include <cmath>
#include <random>

using namespace lqer;

namespace {

const QString kShared = QStringLiteral(LQER_SHARED_DIR);

// A toy: `layers` layers of `count` candidates with random costs and losses; about half of them
// are made convex-looking (loss falling with cost), the others are arbitrary.
AllocProblem randomToy(std::mt19937 &rng, int layers, int count)
{
    std::uniform_real_distribution<double> cost(1.0, 10.0), loss(0.0, 5.0);
    AllocProblem p;
    for (int l = 0; l < layers; ++l) {
        std::vector<AllocCandidate> c;
        for (int i = 0; i < count; ++i)
            c.push_back(AllocCandidate {std::round(cost(rng) * 4) / 4, loss(rng)});
        p.layers.push_back(c);
    }
    return p;
}

double cheapest(const AllocProblem &p)
{
    double s = 0;
    for (const auto &l : p.layers) {
        double c = 1e300;
        for (const AllocCandidate &a : l)
            c = std::min(c, a.cost);
        s += c;
    }
    return s;
}

} // namespace

class TestAlloc : public QObject
{
    Q_OBJECT

private slots:
    void convexHull()
    {
        // (cost, loss): (1,10) (2,6) (3,5) (4,1) (2,9: dominated) (5,1: no gain) (3,3: below the chord)
        const std::vector<AllocCandidate> c {{1, 10}, {2, 6}, {3, 5}, {4, 1}, {2, 9}, {5, 1}, {3, 3}};
        const std::vector<int> hull = lowerConvexHull(c);
        // Rates: 1→2 saves 4/1, 2→(3,3) saves 3/1, (3,3)→4 saves 2/1: all convex.
        QCOMPARE(hull, (std::vector<int> {0, 1, 6, 3}));
        const std::vector<AllocCandidate> d {{1, 10}, {2, 9.5}, {3, 2}};
        QCOMPARE(lowerConvexHull(d), (std::vector<int> {0, 2})); // (2, 9.5) lies above the chord
        QCOMPARE(lowerConvexHull({{2, 1}}), (std::vector<int> {0}));
    }

    // Against exhaustive search on 4-layer toys of 2-4 arbitrary (non-convex) candidates, at
    // every budget from the cheapest plan to the dearest: never over the budget, and equal to the
    // optimum in every problem, proven by the exact search. The heuristic alone (search off) is
    // checked too: never better than the optimum (a check of the check), within the Lagrangian
    // bound (at most one layer's loss range above the optimum), and optimal in most problems (a
    // multiple-choice knapsack is NP-hard: the repair is a heuristic; 8161 of 8200 when this
    // was written).
    void matchesExhaustiveSearch()
    {
        std::mt19937 rng(7);
        int problems = 0, heuristicExact = 0, improved = 0;
        double worst = 0;
        for (int toy = 0; toy < 200; ++toy) {
            AllocProblem p = randomToy(rng, 4, 2 + toy % 3);
            const double lo = cheapest(p);
            for (double extra = 0; extra <= 30; extra += 0.75) {
                p.budget = lo + extra;
                auto a = allocate(p);
                auto h = allocate(p, AllocOptions {0});
                auto e = allocateExhaustive(p);
                QVERIFY2(a.ok() && h.ok() && e.ok(),
                         qPrintable(!a.ok()       ? a.error()
                                        : !h.ok() ? h.error()
                                                  : e.error()));
                QVERIFY2(a->cost <= p.budget + 1e-9 && h->cost <= p.budget + 1e-9, "over budget");
                QVERIFY(a->proven);
                QVERIFY(!h->proven);
                QVERIFY2(std::abs(a->loss - e->loss) <= 1e-9,
                         qPrintable(QStringLiteral("toy %1 budget %2: %3 vs optimum %4")
                                        .arg(toy)
                                        .arg(p.budget)
                                        .arg(a->loss)
                                        .arg(e->loss)));
                QVERIFY(a->lowerBound <= e->loss + 1e-9); // the bound is below the optimum
                QVERIFY(h->loss >= e->loss - 1e-9);
                QVERIFY(h->loss <= h->relaxedLoss + 1e-12); // the repair never makes it worse
                double range = 0;
                for (const auto &l : p.layers) {
                    auto [lo2, hi2] = std::minmax_element(
                        l.begin(), l.end(),
                        [](const AllocCandidate &x, const AllocCandidate &y) { return x.loss < y.loss; });
                    range = std::max(range, hi2->loss - lo2->loss);
                }
                QVERIFY(h->loss - e->loss <= range + 1e-9);
                QCOMPARE(a->searchGain, h->loss - a->loss);
                ++problems;
                if (h->loss <= e->loss + 1e-9)
                    ++heuristicExact;
                if (a->searchGain > 0)
                    ++improved;
                worst = std::max(worst, h->loss - e->loss);
            }
        }
        qInfo("allocation vs exhaustive: all %d toy problems optimal; the heuristic alone in %d (worst "
              "excess %.3g), the exact search improved %d",
              problems, heuristicExact, worst, improved);
        QVERIFY(heuristicExact >= problems * 95 / 100);
        QVERIFY(improved > 0); // the toys include problems the heuristic gets wrong
    }

    // A problem of a 7B model's size (224 layers × 36 candidates on noisy decreasing curves):
    // the search either proves the plan optimal or stops at its limit with a plan between the
    // bound and the repaired plan; a tiny limit stops it unproven.
    void exactSearchAtScale()
    {
        std::mt19937 rng(11);
        std::uniform_real_distribution<double> noise(0.8, 1.25);
        AllocProblem p;
        for (int l = 0; l < 224; ++l) {
            std::vector<AllocCandidate> c;
            const double size = 1 + (l % 7);
            for (int f = 0; f < 6; ++f)
                for (int k = 0; k < 6; ++k)
                    c.push_back(AllocCandidate {size * (2 + f + 0.1 * k),
                                                size * noise(rng) * std::exp(-0.7 * f) * std::exp(-0.3 * k)});
            p.layers.push_back(c);
        }
        p.budget = cheapest(p) * 2.1;
        auto h = allocate(p, AllocOptions {0});
        auto a = allocate(p);
        QVERIFY(a.ok() && h.ok());
        QVERIFY(a->cost <= p.budget * (1 + 1e-12));
        QVERIFY(a->loss <= h->loss);
        QVERIFY(a->lowerBound <= a->loss);
        qInfo(
            "224 layers x 36: repaired %.6g, after the search %.6g (%s, %lld bound evaluations), bound %.6g",
            h->loss, a->loss, a->proven ? "optimal" : "limit reached", qlonglong(a->searchSteps),
            a->lowerBound);
        auto limited = allocate(p, AllocOptions {10});
        QVERIFY(limited.ok());
        QVERIFY(!limited->proven);
        QCOMPARE(limited->searchSteps, qint64(11));
        QVERIFY(limited->loss <= h->loss);
    }

    // With candidates on convex curves the relaxation alone is optimal at every budget that is
    // a sum of hull vertices.
    void relaxationIsOptimalOnConvexCurves()
    {
        AllocProblem p;
        for (int l = 0; l < 4; ++l) {
            std::vector<AllocCandidate> c;
            for (int i = 0; i < 4; ++i)
                c.push_back(AllocCandidate {double(i + 1), (l + 1) * std::exp(-0.9 * i)});
            p.layers.push_back(c);
        }
        for (int total = 4; total <= 16; ++total) {
            p.budget = total;
            auto a = allocate(p);
            auto e = allocateExhaustive(p);
            QVERIFY(a.ok() && e.ok());
            QCOMPARE(a->cost, double(total));
            QVERIFY(std::abs(a->relaxedLoss - e->loss) < 1e-12);
        }
    }

    void badProblems()
    {
        AllocProblem p;
        p.layers = {{{2, 1}, {3, 0.5}}, {{4, 1}}};
        p.budget = 5.5;
        auto a = allocate(p);
        QVERIFY(!a.ok() && a.error().contains(QStringLiteral("below the cheapest")));
        p.layers.push_back({});
        QVERIFY(!allocate(p).ok());
    }

    void budgets_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("kind");
        QTest::addColumn<double>("value");
        QTest::newRow("bits") << "5" << int(BudgetKind::Bits) << 5.0;
        QTest::newRow("bits suffix") << "4.75bits" << int(BudgetKind::Bits) << 4.75;
        QTest::newRow("bits prefix") << "bits:5.6" << int(BudgetKind::Bits) << 5.6;
        QTest::newRow("MB") << "2.5MB" << int(BudgetKind::Bytes) << 2.5e6;
        QTest::newRow("MiB") << "1MiB" << int(BudgetKind::Bytes) << 1048576.0;
        QTest::newRow("B") << "1200B" << int(BudgetKind::Bytes) << 1200.0;
        QTest::newRow("bytes") << "bytes:1e6" << int(BudgetKind::Bytes) << 1e6;
        QTest::newRow("area") << "0.3area" << int(BudgetKind::Area) << 0.3;
        QTest::newRow("area prefix") << "area:0.25" << int(BudgetKind::Area) << 0.25;
    }
    void budgets()
    {
        QFETCH(QString, text);
        QFETCH(int, kind);
        QFETCH(double, value);
        auto b = Budget::parse(text);
        QVERIFY2(b.ok(), qPrintable(b.error()));
        QCOMPARE(int(b->kind), kind);
        QCOMPARE(b->value, value);
        for (const char *bad : {"", "five", "-3", "0", "3 parsecs", "area:2MB"})
            QVERIFY2(!Budget::parse(QString::fromLatin1(bad)).ok(), bad);
    }

    void formatCatalog()
    {
        const QList<QuantFormat> all = catalogWeightFormats();
        QVERIFY(all.contains(QuantFormat::mxint(4, 8, 16)));
        QVERIFY(all.contains(QuantFormat::intAsym(3, 128)));
        for (const QuantFormat &f : all)
            QVERIFY2(f.validate().ok() && f.isQuantized(), qPrintable(f.toString()));
        const QList<QuantFormat> four = catalogWeightFormats({4});
        QVERIFY(!four.isEmpty());
        for (const QuantFormat &f : four)
            QCOMPARE(f.bits, 4);
    }

    void spearmanCorrelation()
    {
        QCOMPARE(spearman({1, 2, 3, 4}, {10, 20, 30, 40}), 1.0);
        QCOMPARE(spearman({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0);
        QVERIFY(std::abs(spearman({1, 2, 3, 4, 5}, {2, 1, 4, 3, 5}) - 0.8) < 1e-12);
        QCOMPARE(spearman({1}, {1}), 0.0);
    }

    // Real curves of lqs-llama-13m: residuals fall with rank and with bits; the allocation meets
    // the bit budget and is at least as good as the best uniform plan of no more bits; a
    // 224-layer problem allocates within the studio's 100 ms.
    void curvesOfRealModel()
    {
        auto ckpt = Checkpoint::open(kShared + QStringLiteral("/models/lqs-llama-13m"));
        QVERIFY2(ckpt.ok(), qPrintable(ckpt.error()));
        auto model = Transformer::fromCheckpoint(**ckpt);
        QVERIFY(model.ok());
        auto tok = Tokenizer::fromModelFolder(kShared + QStringLiteral("/models/lqs-llama-13m"));
        QVERIFY(tok.ok());
        auto text = readTextCorpus(kShared + QStringLiteral("/data/lqs-corpus/calib.txt"));
        QVERIFY(text.ok());
        const TokenIds ids = (*tok)->encode(*text, true);
        auto samples = calibrationSamples(ids, 4, 256, QStringLiteral("calib.txt"));
        QVERIFY(samples.ok());
        CalibrationConfig cc;
        cc.model = model->get();
        cc.samples = *samples;
        auto cal = calibrate(cc);
        QVERIFY2(cal.ok(), qPrintable(cal.error()));

        CandidateSpace space;
        space.weights
            = {QuantFormat::mxint(3, 8, 16), QuantFormat::mxint(4, 8, 16), QuantFormat::mxint(6, 8, 16)};
        space.ranks = {0, 16, 64};
        space.base.method = Method::QeraApprox;
        QElapsedTimer timer;
        timer.start();
        auto curves = predictCurves(**ckpt, cal->stats, space);
        QVERIFY2(curves.ok(), qPrintable(curves.error()));
        qInfo("curves of %lld layers x 9 points in %.2f s", qint64(curves->layers.size()),
              timer.elapsed() / 1000.0);
        QCOMPARE(curves->layers.size(), 42);
        for (const LayerCurve &l : curves->layers) {
            QCOMPARE(l.points.size(), 9);
            for (int f = 0; f < 3; ++f) {
                const CurvePoint *k0 = l.find(f, 0), *k16 = l.find(f, 16), *k64 = l.find(f, 64);
                QVERIFY(k0 && k16 && k64);
                QVERIFY2(k0->predicted > k16->predicted && k16->predicted > k64->predicted,
                         qPrintable(l.layer));
                QVERIFY(k0->bitsPerWeight < k16->bitsPerWeight);
                if (f > 0)
                    QVERIFY2(l.find(f, 0)->predicted < l.find(f - 1, 0)->predicted, qPrintable(l.layer));
            }
            QVERIFY(l.weightError.at(0) > l.weightError.at(2));
        }
        // Curves survive JSON.
        auto back = LayerCurves::fromJson(curves->toJson());
        QVERIFY2(back.ok(), qPrintable(back.error()));
        QCOMPARE(back->layers.at(5).points.at(4).predicted, curves->layers.at(5).points.at(4).predicted);

        Plan base;
        base.defaults.method = Method::QeraApprox;
        for (double bits : {4.25, 4.75, 5.0, 5.6}) {
            const Budget budget {BudgetKind::Bits, bits};
            auto a = allocateCurves(*curves, budget, Objective::Predicted, base);
            QVERIFY2(a.ok(), qPrintable(a.error()));
            QVERIFY(a->averageBits <= bits + 1e-9);
            QCOMPARE(a->layers.size(), 42);
            const UniformPoint u = bestUniform(*curves, budget, Objective::Predicted);
            QVERIFY(u.format >= 0);
            qInfo("budget %.2f: allocated %.4f bits, loss %.4g; best uniform %s k=%d %.4f bits, loss %.4g",
                  bits, a->averageBits, a->loss, qPrintable(curves->formats.at(u.format).toString()), u.rank,
                  u.averageBits, u.loss);
            QVERIFY(a->loss <= u.loss * (1 + 1e-12));
            // The plan file loads as a plan and carries the choices.
            auto plan = Plan::fromJson(a->toJson());
            QVERIFY2(plan.ok(), qPrintable(plan.error()));
            QVERIFY(*plan == a->plan);
            const LayerChoice &c = a->layers.at(7);
            QCOMPARE(plan->forLayer(c.layer).weight, c.weight);
            QCOMPARE(plan->forLayer(c.layer).rank, c.rank);
            QCOMPARE(plan->forLayer(c.layer).method, c.rank > 0 ? Method::QeraApprox : Method::Plain);
        }
        auto tooSmall = allocateCurves(*curves, Budget {BudgetKind::Bits, 2.0}, Objective::Predicted, base);
        QVERIFY(!tooSmall.ok() && tooSmall.error().contains(QStringLiteral("below the cheapest")));
        auto noMeasure = allocateCurves(*curves, Budget {BudgetKind::Bits, 5.0}, Objective::Measured, base);
        QVERIFY(!noMeasure.ok() && noMeasure.error().contains(QStringLiteral("measured")));
        auto bytes = allocateCurves(*curves, Budget {BudgetKind::Bytes, 5.0 / 8 * double(curves->weights())},
                                    Objective::Predicted, base);
        QVERIFY(
            bytes.ok()
            && std::abs(bytes->averageBits
                        - allocateCurves(*curves, Budget {BudgetKind::Bits, 5.0}, Objective::Predicted, base)
                              ->averageBits)
                < 1e-9);
        auto area = allocateCurves(*curves, Budget {BudgetKind::Area, 0.5}, Objective::Predicted, base);
        QVERIFY2(area.ok(), qPrintable(area.error()));
        QVERIFY(area->cost <= 0.5 + 1e-9);

        // 224 layers (a LLaMA-7B's count) x 36 candidates, from these curves repeated.
        LayerCurves big = *curves;
        while (big.layers.size() < 224)
            big.layers << curves->layers.at(big.layers.size() % curves->layers.size());
        timer.restart();
        auto fast = allocateCurves(big, Budget {BudgetKind::Bits, 5.0}, Objective::Predicted, base);
        const double ms = timer.nsecsElapsed() / 1e6;
        QVERIFY(fast.ok());
        qInfo("224-layer allocation: %.1f ms (%s after %lld bound evaluations)", ms,
              fast->proven ? "optimal" : "search limit reached", qlonglong(fast->searchSteps));

        // Measured sensitivity (each layer alone, KL on 2 windows of 64 tokens): every layer
        // gets a positive KL, the measured objective then allocates within the budget.
        SensitivityConfig sc;
        sc.model = model->get();
        sc.checkpoint = *ckpt;
        sc.stats = &cal->stats;
        sc.windows.tokens = ids;
        sc.windows.windowLength = 64;
        sc.windows.maxWindows = 2;
        timer.restart();
        auto rep = measureSensitivity(*curves, sc, samples->mid(0, 1));
        QVERIFY2(rep.ok(), qPrintable(rep.error()));
        qInfo("sensitivity of 42 layers in %.1f s: Spearman residual %.3f, relative %.3f, weight error %.3f, "
              "output error %.3f",
              timer.elapsed() / 1000.0, rep->spearmanPredicted, rep->spearmanRelative,
              rep->spearmanWeightError, rep->spearmanOutputError);
        QCOMPARE(rep->layers.size(), 42);
        QCOMPARE(rep->tokens, qint64(2 * 63));
        for (const LayerSensitivity &l : rep->layers) {
            QVERIFY2(l.measuredKl > 0 && l.outputError > 0 && l.predicted > 0, qPrintable(l.layer));
            QVERIFY(std::abs(rep->spearmanPredicted) <= 1);
        }
        QCOMPARE(model->get()->quantizedLinearCount(), 0); // left as it was
        auto measured = allocateCurves(*curves, Budget {BudgetKind::Bits, 5.0}, Objective::Measured, base);
        QVERIFY2(measured.ok(), qPrintable(measured.error()));
        QVERIFY(measured->averageBits <= 5.0 + 1e-9);
        QVERIFY(measured->loss
                <= bestUniform(*curves, Budget {BudgetKind::Bits, 5.0}, Objective::Measured).loss);
    }
};

QTEST_GUILESS_MAIN(TestAlloc)
#include "test_alloc.moc"
