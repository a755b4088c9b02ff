// The per-layer pipeline on the real lqs-llama-13m checkpoint, and the memory readings that
// jobs report.

#include "core/common/memory.h"
#include "core/common/workerpool.h"
#include "core/job/layerwire.h"
#include "core/job/pipeline.h"
#include "core/model/architecture.h"

#include <QElapsedTimer>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

using namespace lqer;

namespace {

std::shared_ptr<const Checkpoint> model()
{
    auto ckpt = Checkpoint::open(QStringLiteral(LQER_SHARED_DIR "/models/lqs-llama-13m"));
    if (!ckpt)
        qFatal("%s", qPrintable(ckpt.error()));
    return *ckpt;
}

QStringList firstLayers(const Checkpoint &ckpt, int count)
{
    QStringList names;
    const auto linears = quantizableLinears(ckpt); // keep the Expected alive for the loop
    for (const LinearLayerInfo &info : *linears)
        names << info.weightName;
    return names.mid(0, count);
}

// An LQER run of `layers` at rank `rank` that keeps the quantized linears.
PipelineConfig lqerRun(const std::shared_ptr<const Checkpoint> &ckpt, const QStringList &layers, int rank)
{
    PipelineConfig config;
    config.checkpoint = ckpt;
    config.plan.defaults.method = Method::Lqer;
    config.plan.defaults.rank = rank;
    config.layers = layers;
    config.keepLinears = true;
    return config;
}

} // namespace

class TestJob : public QObject
{
    Q_OBJECT

private slots:
    // A layer result between ranks: Wq as the kernels' packed codes (not fp32), A and B packed
    // again on arrival; the root gets exactly what the rank held. A cut message is an error.
    void layerResultTravelsPacked()
    {
        auto ckpt = model();
        // An MLP projection (1024 x 384) and the next.
        PipelineConfig config = lqerRun(ckpt, firstLayers(*ckpt, 7).mid(4, 2), 16);
        auto result = runPipeline(config);
        QVERIFY2(result.ok(), qPrintable(result.error()));
        QCOMPARE(result->layers.size(), 2);
        for (const LayerQuantResult &r : result->layers) {
            const QuantizedLinear &l = r.linear;
            QVERIFY(l.packedW && l.packedAt && l.packedBt);
            const QByteArray bytes = encodeLayerResult(r);
            const qint64 fp32 = l.outFeatures() * l.inFeatures() * 4;
            QVERIFY2(bytes.size() < fp32 / 3, qPrintable(QString::number(bytes.size())));
            auto back = decodeLayerResult(bytes);
            QVERIFY2(back.ok(), qPrintable(back.error()));
            const QuantizedLinear &m = back->linear;
            QVERIFY(m.packedW && m.packedAt && m.packedBt);
            QVERIFY(m.packedW->codes == l.packedW->codes && m.packedW->exponents == l.packedW->exponents);
            QCOMPARE(m.packedW->bits, l.packedW->bits);
            QVERIFY(m.packedAt->codes == l.packedAt->codes && m.packedBt->codes == l.packedBt->codes);
            QVERIFY(m.a == l.a && m.b == l.b);
            QVERIFY(m.dequantizedWeight() == l.dequantizedWeight());
            QCOMPARE(back->metrics.frobError, r.metrics.frobError);
            for (qsizetype cut : {qsizetype(10), bytes.size() / 2, bytes.size() - 1})
                QVERIFY(!decodeLayerResult(bytes.left(cut)).ok());
        }
    }

    void plainAndLqerInModelOrder()
    {
        auto ckpt = model();
        const QStringList all = firstLayers(*ckpt, 1000);
        QCOMPARE(all.size(), 42); // 6 blocks x 7 linears
        // Ask in scrambled order: the result is in model order anyway.
        const QStringList wanted = {all.at(9), all.at(0), all.at(4), all.at(13)};
        for (Method method : {Method::Plain, Method::Lqer}) {
            PipelineConfig config;
            config.checkpoint = ckpt;
            config.plan.defaults.method = method;
            config.plan.defaults.rank = 16;
            config.layers = wanted;
            config.threads = 2;
            QStringList streamed;
            int progressCalls = 0;
            auto r = runPipeline(
                config,
                [&](double f, const QString &) {
                    ++progressCalls;
                    return f >= 0 && f <= 1;
                },
                [&](const LayerQuantResult &l) { streamed << l.layer; });
            QVERIFY2(r.ok(), qPrintable(r.error()));
            QVERIFY(!r->cancelled);
            const QStringList expected = {all.at(0), all.at(4), all.at(9), all.at(13)};
            QStringList got;
            for (const LayerQuantResult &l : r->layers)
                got << l.layer;
            QCOMPARE(got, expected);
            QCOMPARE(streamed, expected);
            QCOMPARE(progressCalls, 4);
            for (const LayerQuantResult &l : r->layers) {
                QVERIFY(l.linear.wq.size() == 0 && !l.linear.packedW); // dropped without keepLinears
                QCOMPARE(l.metrics.rank, method == Method::Plain ? 0 : 16);
                QVERIFY(l.metrics.frobError > 0);
                QVERIFY(l.spectra.svError.size() > 0);
                if (method == Method::Lqer)
                    QVERIFY(l.metrics.frobError < l.metrics.quantFrobError);
                else
                    QCOMPARE(l.metrics.frobError, l.metrics.quantFrobError);
            }
            // GOLDEN.md: layer 0's q_proj plain MXINT4 error.
            const double sse = std::pow(r->layers.first().metrics.quantFrobError, 2);
            QVERIFY(std::abs(sse - 2.22148) < 1e-4 * 2.22148);
        }
    }

    void threadsDoNotChangeResults()
    {
        auto ckpt = model();
        PipelineConfig config = lqerRun(ckpt, firstLayers(*ckpt, 7), 8);
        config.computeSpectra = false;
        config.threads = 1;
        auto one = runPipeline(config);
        config.threads = 3;
        auto three = runPipeline(config);
        QVERIFY(one.ok() && three.ok());
        QCOMPARE(one->layers.size(), 7);
        QCOMPARE(three->layers.size(), 7);
        for (int i = 0; i < 7; ++i) {
            QCOMPARE(one->layers[i].layer, three->layers[i].layer);
            QCOMPARE(one->layers[i].metrics.frobError, three->layers[i].metrics.frobError);
            QVERIFY(one->layers[i].linear.a == three->layers[i].linear.a);
            QCOMPARE(one->layers[i].linear.rank(), 8);
        }
    }

    void progressCountsParameters()
    {
        // One block: four 384×384 attention projections and three 1024×384 MLP ones. With one
        // thread layers finish in order, so the fractions are the running sums of their sizes.
        auto ckpt = model();
        PipelineConfig config;
        config.checkpoint = ckpt;
        config.plan.defaults.method = Method::Plain;
        config.layers = firstLayers(*ckpt, 7);
        config.computeSpectra = false;
        config.threads = 1;
        QList<double> fractions;
        auto r = runPipeline(config, [&](double f, const QString &) {
            fractions << f;
            return true;
        });
        QVERIFY2(r.ok(), qPrintable(r.error()));
        const auto linears = quantizableLinears(*ckpt);
        QList<qint64> sizes;
        qint64 total = 0;
        for (int i = 0; i < 7; ++i) {
            sizes << linears->at(i).parameterCount();
            total += sizes.last();
        }
        QCOMPARE(sizes.first(), qint64(384 * 384));
        QCOMPARE(sizes.last(), qint64(1024 * 384));
        QCOMPARE(fractions.size(), 7);
        qint64 done = 0;
        for (int i = 0; i < 7; ++i) {
            done += sizes.at(i);
            QCOMPARE(fractions.at(i), double(done) / double(total));
        }
    }

    void cancelMidway()
    {
        auto ckpt = model();
        PipelineConfig config;
        config.checkpoint = ckpt;
        config.plan.defaults.method = Method::Lqer;
        config.plan.defaults.rank = 32;
        config.threads = 2;
        int calls = 0;
        auto r = runPipeline(config, [&](double, const QString &) { return ++calls < 3; });
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QVERIFY(r->cancelled);
        QVERIFY(r->layers.size() >= 3);
        QVERIFY(r->layers.size() < 42);
        // An external token cancelled before the start: nothing runs.
        CancelToken token;
        token.cancel();
        config.cancel = &token;
        auto none = runPipeline(config);
        QVERIFY(none.ok());
        QVERIFY(none->cancelled);
        QCOMPARE(none->layers.size(), 0);
    }

    void missingStatsIsAnError()
    {
        auto ckpt = model();
        const QStringList layers = firstLayers(*ckpt, 3);
        PipelineConfig config;
        config.checkpoint = ckpt;
        config.plan.defaults.method = Method::L2Qer;
        config.layers = layers;
        auto r = runPipeline(config);
        QVERIFY(!r.ok());
        QVERIFY(r.error().contains(layers.first()));
        // Statistics for only the first two layers: the third is named.
        StatsMap stats;
        for (int i = 0; i < 2; ++i) {
            LayerStats s;
            s.layer = layers.at(i);
            s.tokens = 10;
            s.meanAbsMax = VectorD::Constant(384, 1.0);
            s.sumSquares = VectorD::Constant(384, 10.0);
            stats.insert(layers.at(i), s);
        }
        config.stats = &stats;
        auto partial = runPipeline(config);
        QVERIFY(!partial.ok());
        QVERIFY(partial.error().contains(layers.at(2)));
        // With all three it runs.
        LayerStats s = stats.first();
        s.layer = layers.at(2);
        stats.insert(layers.at(2), s);
        auto full = runPipeline(config);
        QVERIFY2(full.ok(), qPrintable(full.error()));
        QCOMPARE(full->layers.size(), 3);
        QVERIFY(full->layers.first().spectra.svScaled.size() > 0);
    }

    void unknownLayerIsAnError()
    {
        PipelineConfig config;
        config.checkpoint = model();
        config.layers = {QStringLiteral("model.layers.0.nonexistent.weight")};
        auto r = runPipeline(config);
        QVERIFY(!r.ok());
        QVERIFY(r.error().contains(QStringLiteral("nonexistent")));
    }

    void anonymousMemoryFollowsAllocations()
    {
        auto before = currentRssAnonBytes();
        QVERIFY2(before.ok(), qPrintable(before.error()));
        QVERIFY(*before > 0);
        // N MB allocated and every page written: RssAnon grows by about N MB (an allocator's
        // own bookkeeping and a sanitizer's shadow pages add a little).
        const qint64 n = 128ll << 20;
        std::vector<char> block(size_t(n), char(1));
        auto after = currentRssAnonBytes();
        QVERIFY2(after.ok(), qPrintable(after.error()));
        const double grownMb = double(*after - *before) / (1 << 20);
        QVERIFY2(grownMb > 0.9 * 128 && grownMb < 1.35 * 128, qPrintable(QString::number(grownMb)));
        qint64 sum = 0; // keeps the writes observable
        for (size_t i = 0; i < block.size(); i += 4096)
            sum += block[i];
        QCOMPARE(sum, n / 4096);
        auto peak = peakRssBytes();
        QVERIFY2(peak.ok(), qPrintable(peak.error()));
        QVERIFY(*peak >= *after);
    }

    void procStatusFieldsAreParsedStrictly()
    {
        const QByteArray status = "Name:\tlqer\nVmHWM:\t  204800 kB\nRssAnon:\t   1024 kB\nRssFile:  x kB\n";
        QCOMPARE(*procStatusField(status, "RssAnon"), qint64(1024) * 1024);
        QCOMPARE(*procStatusField(status, "VmHWM"), qint64(204800) * 1024);
        auto missing = procStatusField(status, "RssShmem");
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().contains(QStringLiteral("no RssShmem line")));
        auto notNumber = procStatusField(status, "RssFile");
        QVERIFY(!notNumber.ok());
        QVERIFY(notNumber.error().contains(QStringLiteral("not a size in kB")));
        QVERIFY(!procStatusField("RssAnon: 12 MB\n", "RssAnon").ok());
        QVERIFY(!procStatusField("RssAnon: -5 kB\n", "RssAnon").ok());
        // "RssAnonX" is another field, not RssAnon.
        QVERIFY(!procStatusField("RssAnonX: 5 kB\n", "RssAnon").ok());
    }

    // The pipeline's worker threads: every task runs once, on at most `threads` threads at a
    // time, and the pool can be used again after waitForDone().
    void workerPoolRunsEveryTaskOnce()
    {
        WorkerPool pool(3);
        for (int round = 0; round < 2; ++round) {
            std::mutex m;
            std::vector<int> runs(200, 0);
            std::set<std::thread::id> threads;
            std::atomic<int> running {0}, most {0};
            for (int i = 0; i < 200; ++i)
                pool.start([&, i] {
                    const int now = ++running;
                    int seen = most.load();
                    while (now > seen && !most.compare_exchange_weak(seen, now)) { }
                    std::this_thread::sleep_for(std::chrono::microseconds(200));
                    {
                        std::lock_guard<std::mutex> lock(m);
                        ++runs[size_t(i)];
                        threads.insert(std::this_thread::get_id());
                    }
                    --running;
                });
            pool.waitForDone();
            QVERIFY(std::all_of(runs.begin(), runs.end(), [](int n) { return n == 1; }));
            QVERIFY2(most.load() <= 3 && threads.size() <= 3, qPrintable(QString::number(most.load())));
            QVERIFY(!threads.count(std::this_thread::get_id()));
        }
    }
};

QTEST_GUILESS_MAIN(TestJob)
#include "test_job.moc"
