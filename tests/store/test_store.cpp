// The session store: round trips, migrations from every schema version, concurrent
// readers, cancelled and interrupted runs, a writer killed with SIGKILL, bad files.
//
// The executable doubles as two helper programs (so tests/CMakeLists.txt needs nothing extra):
//   test_store --store-crash-writer DB   writes runs until it is killed (the SIGKILL test)
//   test_store --make-v1-fixture DB      writes tests/data/store_v1.sqlite with the v1 code path
//   test_store --store-writer DB NAME N  records N complete runs into session NAME, opening the
//                                        store anew for each run as separate CLI runs do (the
//                                        two-writer test runs two of these at once)

#include "core/common/progress.h"
#include "core/io/checkpoint.h"
#include "core/store/records.h"
#include "core/store/sessionstore.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutex>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

// ThreadSanitizer's runtime aborts in the child of Qt's clone()-based process start ("CHECK
// failed" in ForkAfter), so tests that start processes run in the Release and ASan trees only.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define LQER_SKIP_PROCESSES_UNDER_TSAN()                                                                     \
    QSKIP("ThreadSanitizer cannot follow Qt's clone()-based QProcess start")
#endif
#endif
#ifndef LQER_SKIP_PROCESSES_UNDER_TSAN
#define LQER_SKIP_PROCESSES_UNDER_TSAN()                                                                     \
    do {                                                                                                     \
    } while (false)
#endif

#include <atomic>
#include <cmath>
#include <cstdio>

#include <csignal>
#include <unistd.h>

using namespace lqer;

namespace {

constexpr double kFloatTol = 6e-8; // spectra are stored as float32: relative rounding <= 2^-24

LayerRunRecord makeLayer(int index, int singularValues)
{
    LayerRunRecord l;
    l.layer = QStringLiteral("model.layers.%1.self_attn.q_proj.weight").arg(index);
    l.method = QStringLiteral("l2qer");
    l.rank = 32;
    l.inFeatures = 4096;
    l.outFeatures = 4096 + index;
    l.weightFormat = QStringLiteral("mxint4_e8_b16");
    l.quantError = 1.25 + index;
    l.frobError = 0.75 + index * 0.5;
    l.relError = 0.01 + index * 1e-4;
    l.meanAbsError = 3e-3 / (index + 1);
    l.outputError = index % 2 ? -1.0 : 0.02 * index;
    l.bits = 4.5 + 1.0 / (index + 2);
    l.seconds = 0.1 * index;
    l.alpha = 1.0 + index;
    l.svError.resize(size_t(singularValues));
    l.svScaled.resize(size_t(singularValues));
    for (int i = 0; i < singularValues; ++i) {
        l.svError[size_t(i)] = 10.0 * std::exp(-0.01 * i) + index;
        l.svScaled[size_t(i)] = 20.0 / (1.0 + i) + 0.5 * index;
    }
    l.extra.insert(QStringLiteral("svd"), QStringLiteral("exact"));
    return l;
}

Plan makePlan()
{
    Plan plan;
    plan.preset = QStringLiteral("paper-w4a8");
    plan.quantizeAttentionMatmuls = true;
    plan.svd = SvdBackend::Randomized;
    plan.calibration.samples = 8;
    plan.calibration.seqLen = 256;
    plan.calibration.textPath = QStringLiteral("/data/calib.txt");
    LayerPlan down = plan.defaults;
    down.method = Method::QeraExact;
    down.rank = 64;
    down.weight = QuantFormat::intAsym(4, 128);
    down.act = QuantFormat::none();
    plan.overrides.insert(QStringLiteral("model.layers.0.mlp.down_proj.weight"), down);
    LayerPlan skip = plan.defaults;
    skip.quantize = false;
    skip.method = Method::Plain;
    skip.rank = 0;
    skip.lowRank = QuantFormat::mxint(6, 8, 32, MxConvention::Ocp);
    plan.overrides.insert(QStringLiteral("model.layers.1.self_attn.k_proj.weight"), skip);
    return plan;
}

ModelRecord makeModel()
{
    ModelRecord m;
    m.path = QStringLiteral("/models/lqs-llama-13m");
    m.architecture = QStringLiteral("llama");
    m.fingerprint = QStringLiteral("0123456789abcdef");
    m.parameters = 13'000'000;
    m.fileBytes = 26'000'000;
    return m;
}

PerplexityRecord makePerplexity(const QString &label, double ppl)
{
    PerplexityRecord p;
    p.label = label;
    p.textPath = QStringLiteral("/data/wiki.test.raw");
    p.textFingerprint = QStringLiteral("feedbeef");
    p.windowLength = 512;
    p.tokens = 12345;
    p.nll = std::log(ppl);
    p.perplexity = ppl;
    p.seconds = 1.5;
    return p;
}

bool sameLayer(const LayerRunRecord &a, const LayerRunRecord &b)
{
    if (a.layer != b.layer || a.method != b.method || a.rank != b.rank || a.inFeatures != b.inFeatures
        || a.outFeatures != b.outFeatures || a.weightFormat != b.weightFormat || a.quantError != b.quantError
        || a.frobError != b.frobError || a.relError != b.relError || a.meanAbsError != b.meanAbsError
        || a.outputError != b.outputError || a.bits != b.bits || a.seconds != b.seconds || a.alpha != b.alpha
        || a.weightFrob != b.weightFrob || a.plainMeanAbsError != b.plainMeanAbsError
        || a.scaledFrobError != b.scaledFrobError || a.scaledPlainFrobError != b.scaledPlainFrobError
        || a.actFormat != b.actFormat || a.lowRankFormat != b.lowRankFormat || a.extra != b.extra
        || a.svError.size() != b.svError.size() || a.svScaled.size() != b.svScaled.size())
        return false;
    auto close = [](const std::vector<double> &x, const std::vector<double> &y) {
        for (size_t i = 0; i < x.size(); ++i) {
            if (std::abs(x[i] - y[i]) > kFloatTol * std::abs(y[i]))
                return false;
        }
        return true;
    };
    return close(a.svError, b.svError) && close(a.svScaled, b.svScaled); // without S: no scaled spectrum
}

// An engine-side layer result with every metric set; `scaled` as if calibration statistics were
// given. The spectra are exact in float32, so they survive the store unchanged.
LayerResult makeLayerResult(bool scaled)
{
    LayerResult r;
    r.layer = QStringLiteral("model.layers.3.mlp.up_proj.weight");
    r.method = Method::L2Qer;
    LayerMetrics &m = r.metrics;
    m.inFeatures = 256;
    m.outFeatures = 688;
    m.rank = 16;
    m.weightFrob = 12.5;
    m.quantFrobError = 0.75;
    m.frobError = 0.3125;
    m.relError = 0.025;
    m.meanAbsError = 1.5e-3;
    m.plainMeanAbsError = 2.5e-3;
    m.hasScaledError = scaled;
    m.scaledFrobError = scaled ? 0.125 : 0;
    m.scaledPlainFrobError = scaled ? 0.5 : 0;
    m.bitsPerWeight = 4.625;
    m.seconds = 0.25;
    r.spectra.svError = VectorD::LinSpaced(8, 4.0, 0.5);
    if (scaled)
        r.spectra.svScaled = VectorD::LinSpaced(8, 2.0, 0.25);
    r.spectra.alpha = 1.5;
    return r;
}

void compareLayerResults(const LayerResult &a, const LayerResult &b)
{
    QCOMPARE(a.layer, b.layer);
    QCOMPARE(a.method, b.method);
    const LayerMetrics &x = a.metrics, &y = b.metrics;
    QCOMPARE(x.inFeatures, y.inFeatures);
    QCOMPARE(x.outFeatures, y.outFeatures);
    QCOMPARE(x.rank, y.rank);
    QCOMPARE(x.weightFrob, y.weightFrob);
    QCOMPARE(x.quantFrobError, y.quantFrobError);
    QCOMPARE(x.frobError, y.frobError);
    QCOMPARE(x.relError, y.relError);
    QCOMPARE(x.meanAbsError, y.meanAbsError);
    QCOMPARE(x.plainMeanAbsError, y.plainMeanAbsError);
    QCOMPARE(x.hasScaledError, y.hasScaledError);
    QCOMPARE(x.scaledFrobError, y.scaledFrobError);
    QCOMPARE(x.scaledPlainFrobError, y.scaledPlainFrobError);
    QCOMPARE(x.bitsPerWeight, y.bitsPerWeight);
    QCOMPARE(x.seconds, y.seconds);
    QVERIFY(a.spectra.svError == b.spectra.svError);
    QVERIFY(a.spectra.svScaled == b.spectra.svScaled);
    QCOMPARE(a.spectra.alpha, b.spectra.alpha);
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A raw connection, for what the store API deliberately does not offer (counting rows,
// forging a newer version). Closed before the caller's store touches the file again.
template<typename Fn> void withRawDb(const QString &path, Fn fn)
{
    const QString name = QStringLiteral("raw-%1").arg(quintptr(QThread::currentThreadId()));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        QVERIFY(db.open());
        fn(db);
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

qint64 countRows(const QString &path, const QString &table)
{
    qint64 n = -1;
    withRawDb(path, [&](QSqlDatabase &db) {
        QSqlQuery q(db);
        if (q.exec(QStringLiteral("SELECT count(*) FROM ") + table) && q.next())
            n = q.value(0).toLongLong();
    });
    return n;
}

// The v1 fixture's content, written by the v1 code path and checked after migration.
struct FixtureIds
{
    qint64 session = 0, complete = 0, cancelled = 0, running = 0;
};

Expected<FixtureIds> writeFixture(SessionStore &store)
{
    FixtureIds ids;
    auto model = store.ensureModel(makeModel());
    if (!model)
        return Error {model.error()};
    SessionRecord s;
    s.name = QStringLiteral("fixture session");
    s.modelId = *model;
    s.plan = makePlan();
    s.statsPath = QStringLiteral("/stats/lqs-llama-13m.lqstats");
    s.statsFingerprint = QStringLiteral("abc123");
    auto session = store.createSession(s);
    if (!session)
        return Error {session.error()};
    ids.session = *session;

    NewRun nr;
    nr.sessionId = ids.session;
    nr.kind = QStringLiteral("quantize");
    nr.plan = makePlan();
    nr.expectedLayers = 3;
    nr.programVersion = QStringLiteral("0.1.0");
    auto complete = store.beginRun(nr);
    if (!complete)
        return Error {complete.error()};
    ids.complete = *complete;
    if (Status st = store.appendLayers(ids.complete, {makeLayer(0, 64), makeLayer(1, 64), makeLayer(2, 64)});
        !st)
        return Error {st.error()};
    store.addPerplexity(ids.complete, makePerplexity(QStringLiteral("fp32"), 11.5));
    store.addPerplexity(ids.complete, makePerplexity(QStringLiteral("l2qer"), 12.25));
    store.finishRun(ids.complete, RunStatus::Complete, 4.5);

    nr.kind = QStringLiteral("analyze");
    auto cancelled = store.beginRun(nr);
    if (!cancelled)
        return Error {cancelled.error()};
    ids.cancelled = *cancelled;
    store.appendLayers(ids.cancelled, {makeLayer(0, 16)});
    store.finishRun(ids.cancelled, RunStatus::Cancelled, 0.5);

    auto running = store.beginRun(nr);
    if (!running)
        return Error {running.error()};
    ids.running = *running;
    store.appendLayers(ids.running, {makeLayer(0, 16), makeLayer(1, 16)});
    return ids;
}

int makeV1Fixture(const QString &path)
{
    QFile::remove(path);
    StoreOpenConfig config;
    config.path = path;
    config.schemaVersion = 1;
    {
        auto store = SessionStore::open(config);
        if (!store) {
            std::fprintf(stderr, "%s\n", qPrintable(store.error()));
            return 1;
        }
        auto ids = writeFixture(**store);
        if (!ids) {
            std::fprintf(stderr, "%s\n", qPrintable(ids.error()));
            return 1;
        }
    }
    // The running run belongs to a writer on another host, silent since 2024: whoever opens
    // the fixture must mark it interrupted. Then fold the WAL back so one file is enough.
    withRawDb(path, [](QSqlDatabase &db) {
        QSqlQuery q(db);
        q.exec(QStringLiteral(
            "UPDATE runs SET writer = 'fixture-host:1:0', heartbeat = '2024-01-01T00:00:00.000Z'"
            " WHERE status = 'running'"));
        q.exec(QStringLiteral("PRAGMA journal_mode = DELETE"));
    });
    std::printf("wrote %s\n", qPrintable(path));
    return 0;
}

// Child process of crashWhileWriting(): appends layers of a 7B-sized run in transactions of
// 4 layers and reports each commit on stdout, until it is killed.
// Rendezvous after each writer's first run: both first runs exist before either writer begins
// its second, so the runs interleave however the two processes are scheduled.
bool otherWriterStarted(SessionStore &store, const QString &name)
{
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < 60000) {
        auto sessions = store.listSessions();
        if (sessions) {
            for (const SessionSummary &s : *sessions) {
                if (s.name == name)
                    continue;
                auto runs = store.listRuns(s.id);
                if (runs && !runs->isEmpty())
                    return true;
            }
        }
        QThread::msleep(2);
    }
    return false;
}

int storeWriter(const QString &path, const QString &name, int count)
{
    // Start together: the test creates DB.go once both writers are running.
    QElapsedTimer waited;
    waited.start();
    while (!QFile::exists(path + QStringLiteral(".go")) && waited.elapsed() < 60000)
        QThread::msleep(1);
    for (int r = 0; r < count; ++r) {
        auto store = SessionStore::open(path);
        if (!store) {
            std::fprintf(stderr, "run %d: %s\n", r, qPrintable(store.error()));
            return 1;
        }
        auto model = (*store)->ensureModel(makeModel());
        auto sessions = (*store)->listSessions();
        if (!model || !sessions) {
            std::fprintf(stderr, "run %d: %s\n", r, qPrintable(model ? sessions.error() : model.error()));
            return 1;
        }
        qint64 session = 0;
        for (const SessionSummary &s : *sessions) {
            if (s.name == name)
                session = s.id;
        }
        if (session == 0) {
            SessionRecord rec;
            rec.name = name;
            rec.modelId = *model;
            rec.plan = makePlan();
            auto created = (*store)->createSession(rec);
            if (!created) {
                std::fprintf(stderr, "run %d: %s\n", r, qPrintable(created.error()));
                return 1;
            }
            session = *created;
        }
        auto runId = (*store)->beginRun({session, QStringLiteral("quantize"), makePlan(), 4, {}, {}, {}, {}});
        if (!runId) {
            std::fprintf(stderr, "run %d: %s\n", r, qPrintable(runId.error()));
            return 1;
        }
        for (int i = 0; i < 4; i += 2) {
            if (Status st = (*store)->appendLayers(*runId, {makeLayer(i, 256), makeLayer(i + 1, 256)}); !st) {
                std::fprintf(stderr, "run %d: %s\n", r, qPrintable(st.error()));
                return 1;
            }
        }
        Status st = (*store)->addPerplexity(*runId, makePerplexity(QStringLiteral("l2qer"), 12.0 + r));
        if (st)
            st = (*store)->finishRun(*runId, RunStatus::Complete, 0.5);
        if (!st) {
            std::fprintf(stderr, "run %d: %s\n", r, qPrintable(st.error()));
            return 1;
        }
        if (r == 0 && !otherWriterStarted(**store, name)) {
            std::fprintf(stderr, "the other writer recorded no run within 60 s\n");
            return 1;
        }
    }
    return 0;
}

int crashWriter(const QString &path)
{
    auto store = SessionStore::open(path);
    if (!store) {
        std::fprintf(stderr, "%s\n", qPrintable(store.error()));
        return 1;
    }
    auto sessions = (*store)->listSessions();
    if (!sessions || sessions->isEmpty())
        return 1;
    NewRun nr;
    nr.sessionId = sessions->first().id;
    nr.kind = QStringLiteral("quantize");
    nr.plan = makePlan();
    nr.expectedLayers = 1 << 20;
    auto runId = (*store)->beginRun(nr);
    if (!runId)
        return 1;
    std::printf("run %lld\n", (long long)*runId);
    std::fflush(stdout);
    for (int i = 0; i < (1 << 20); i += 4) {
        QList<LayerRunRecord> batch;
        for (int j = 0; j < 4; ++j)
            batch.append(makeLayer(i + j, 4096));
        if (Status s = (*store)->appendLayers(*runId, batch); !s) {
            std::fprintf(stderr, "%s\n", qPrintable(s.error()));
            return 1;
        }
        std::printf("committed %d\n", i + 4);
        std::fflush(stdout);
    }
    return 0;
}

} // namespace

class TestStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir mDir;
    QString dbPath(const QString &name) const { return mDir.filePath(name); }

    qint64 makeSession(SessionStore &store, const QString &name)
    {
        auto model = store.ensureModel(makeModel());
        if (!model)
            return -1;
        SessionRecord s;
        s.name = name;
        s.modelId = *model;
        s.plan = makePlan();
        auto id = store.createSession(s);
        return id ? *id : -1;
    }

private slots:
    void initTestCase() { QVERIFY(mDir.isValid()); }

    void runStatusNames()
    {
        for (RunStatus s : {RunStatus::Running, RunStatus::Complete, RunStatus::Cancelled,
                            RunStatus::Interrupted, RunStatus::Failed})
            QCOMPARE(runStatusFromName(runStatusName(s)), std::optional<RunStatus>(s));
        QVERIFY(!runStatusFromName(QStringLiteral("done")));
    }

    void defaultPathHonoursEnvironment()
    {
        const QByteArray old = qgetenv("LQER_SESSIONS_DB");
        qputenv("LQER_SESSIONS_DB", "/tmp/elsewhere/s.db");
        QCOMPARE(SessionStore::defaultPath(), QStringLiteral("/tmp/elsewhere/s.db"));
        QCOMPARE(SessionStore::resolvePath(QStringLiteral("/x/y.db")), QStringLiteral("/x/y.db"));
        qunsetenv("LQER_SESSIONS_DB");
        QVERIFY(SessionStore::defaultPath().endsWith(QStringLiteral("/lqer-studio/sessions.db")));
        if (!old.isEmpty())
            qputenv("LQER_SESSIONS_DB", old);
    }

    void modelRecordOfARealCheckpoint()
    {
        auto checkpoint = Checkpoint::open(QStringLiteral(LQER_SHARED_DIR "/models/lqs-llama-13m"));
        if (!checkpoint)
            QSKIP(qPrintable(QStringLiteral("shared model not readable: ") + checkpoint.error()));
        const ModelRecord m = modelRecordFor(**checkpoint);
        QCOMPARE(m.architecture, QStringLiteral("llama"));
        QVERIFY(QFileInfo(m.path).isAbsolute());
        QCOMPARE(m.fingerprint.size(), 64); // SHA-256 hex
        QVERIFY(m.parameters > 10'000'000 && m.parameters < 20'000'000);
        QVERIFY(m.fileBytes >= 2 * m.parameters); // fp16 weights
        auto opened = SessionStore::open(dbPath(QStringLiteral("model.db")));
        QVERIFY(opened);
        auto id = (*opened)->ensureModel(m);
        QVERIFY2(id, qPrintable(id.error()));
        QCOMPARE((*opened)->model(*id)->fingerprint, m.fingerprint);
    }

    void roundTrip()
    {
        const QString path = dbPath(QStringLiteral("roundtrip/sub/sessions.db")); // folders are created
        auto opened = SessionStore::open(path);
        QVERIFY2(opened, qPrintable(opened.error()));
        SessionStore &store = **opened;
        QCOMPARE(store.schemaVersion(), SessionStore::currentSchemaVersion());

        auto model = store.ensureModel(makeModel());
        QVERIFY2(model, qPrintable(model.error()));
        QCOMPARE(*store.ensureModel(makeModel()), *model); // same path + fingerprint: same row
        ModelRecord other = makeModel();
        other.fingerprint = QStringLiteral("changed");
        QVERIFY(*store.ensureModel(other) != *model);
        QCOMPARE(store.model(*model)->parameters, qint64(13'000'000));

        SessionRecord s;
        s.name = QStringLiteral("llama W4A8");
        s.modelId = *model;
        s.plan = makePlan();
        s.statsPath = QStringLiteral("/stats/a.lqstats");
        s.notes = QStringLiteral("first try");
        auto sessionId = store.createSession(s);
        QVERIFY2(sessionId, qPrintable(sessionId.error()));
        auto loaded = store.session(*sessionId);
        QVERIFY2(loaded, qPrintable(loaded.error()));
        QCOMPARE(loaded->name, s.name);
        QVERIFY(loaded->plan == makePlan()); // every per-layer setting survives as data
        QCOMPARE(loaded->model.path, makeModel().path);
        QCOMPARE(loaded->statsPath, s.statsPath);
        QCOMPARE(loaded->notes, s.notes);

        NewRun nr;
        nr.sessionId = *sessionId;
        nr.kind = QStringLiteral("quantize");
        nr.plan = makePlan();
        nr.expectedLayers = 5;
        nr.tags = {QStringLiteral("baseline"), QStringLiteral("paper")};
        auto runId = store.beginRun(nr);
        QVERIFY2(runId, qPrintable(runId.error()));
        QList<LayerRunRecord> layers;
        for (int i = 0; i < 5; ++i)
            layers.append(makeLayer(i, 100 + i));
        QVERIFY(store.appendLayers(*runId, layers.mid(0, 2)));
        QVERIFY(store.appendLayers(*runId, layers.mid(2)));
        const Status dup = store.appendLayers(*runId, {layers.first()});
        QVERIFY(!dup); // a layer recorded twice is an error
        QVERIFY(store.addPerplexity(*runId, makePerplexity(QStringLiteral("fp32"), 11.5)));
        QVERIFY(store.addPerplexity(*runId, makePerplexity(QStringLiteral("l2qer"), 12.0)));
        QVERIFY(store.finishRun(*runId, RunStatus::Complete, 3.25));

        auto run = store.run(*runId);
        QVERIFY2(run, qPrintable(run.error()));
        QCOMPARE(run->status, RunStatus::Complete);
        QCOMPARE(run->kind, QStringLiteral("quantize"));
        QCOMPARE(run->wallSeconds, 3.25);
        QCOMPARE(run->programVersion, QStringLiteral(LQER_VERSION_STRING));
        QCOMPARE(run->layers.size(), 5);
        QCOMPARE(run->layerCount, 5);
        QCOMPARE(run->tags, (QStringList {QStringLiteral("baseline"), QStringLiteral("paper")}));
        QVERIFY(run->plan == makePlan());
        QVERIFY(run->started.isValid() && run->finished.isValid() && run->started <= run->finished);
        for (int i = 0; i < 5; ++i)
            QVERIFY2(sameLayer(run->layers.at(i), layers.at(i)), qPrintable(layers.at(i).layer));
        QCOMPARE(run->perplexities.size(), 2);
        QCOMPARE(run->perplexities.at(1).perplexity, 12.0);
        QCOMPARE(run->perplexities.at(1).windowLength, 512);
        QCOMPARE(run->perplexities.at(1).textFingerprint, QStringLiteral("feedbeef"));

        auto noSpectra = store.run(*runId, false);
        QVERIFY(noSpectra && noSpectra->layers.at(0).svError.empty());

        // A finished run is immutable.
        QVERIFY(!store.appendLayers(*runId, {makeLayer(9, 4)}));
        QVERIFY(!store.addPerplexity(*runId, makePerplexity(QStringLiteral("x"), 1.0)));
        const Status again = store.finishRun(*runId, RunStatus::Failed, 1.0);
        QVERIFY(!again);
        QVERIFY2(again.error().contains(QStringLiteral("already complete")), qPrintable(again.error()));
        QVERIFY(!store.finishRun(*runId, RunStatus::Running, 1.0));

        auto runs = store.listRuns(*sessionId);
        QVERIFY(runs && runs->size() == 1 && runs->first().layers.isEmpty()
                && runs->first().perplexities.size() == 2);
        auto list = store.listSessions();
        QVERIFY(list && list->size() == 1);
        QCOMPARE(list->first().runCount, 1);
        QCOMPARE(list->first().lastRunStatus, QStringLiteral("complete"));

        QVERIFY(store.renameSession(*sessionId, QStringLiteral("renamed")));
        QCOMPARE(store.session(*sessionId)->name, QStringLiteral("renamed"));
        Plan changed = makePlan();
        changed.defaults.rank = 128;
        QVERIFY(store.setSessionPlan(*sessionId, changed));
        QVERIFY(store.session(*sessionId)->plan == changed);
        QVERIFY(store.run(*runId)->plan == makePlan()); // the run keeps its snapshot
        auto copy = store.duplicateSession(*sessionId, QStringLiteral("copy"));
        QVERIFY(copy);
        QVERIFY(store.session(*copy)->plan == changed);
        QCOMPARE(store.listRuns(*copy)->size(), 0);

        QVERIFY(store.setRunNotes(*runId, QStringLiteral("good"), {QStringLiteral("keep")}));
        QCOMPARE(store.run(*runId)->notes, QStringLiteral("good"));
        QCOMPARE(store.run(*runId)->tags, QStringList {QStringLiteral("keep")});

        const Status missing = store.renameSession(999, QStringLiteral("x"));
        QVERIFY(!missing && missing.error().contains(path)
                && missing.error().contains(QStringLiteral("no such session")));
        QVERIFY(!store.beginRun(NewRun {999, QStringLiteral("analyze"), makePlan(), 0, {}, {}, {}, {}}));

        // Delete cascades to runs, layers, perplexities, tags, and frees the plans.
        QVERIFY(store.deleteSession(*sessionId));
        QVERIFY(!store.run(*runId));
        QVERIFY(!store.deleteSession(*sessionId));
        QCOMPARE(store.integrityCheck().value(), QStringLiteral("ok"));
        QCOMPARE(countRows(path, QStringLiteral("run_layers")), 0);
        QCOMPARE(countRows(path, QStringLiteral("perplexities")), 0);
        QCOMPARE(countRows(path, QStringLiteral("run_tags")), 0);
        QCOMPARE(countRows(path, QStringLiteral("plans")), 1); // the copy's plan only
        QCOMPARE(countRows(path, QStringLiteral("plan_layers")), 3);
    }

    // Engine result -> record -> store -> record -> result gives back every metric, and the
    // optional metrics keep their place and keys in the extra column (on-disk format).
    void layerResultsRoundTripThroughTheStore()
    {
        const QString path = dbPath(QStringLiteral("records.db"));
        auto opened = SessionStore::open(path);
        QVERIFY(opened);
        SessionStore &store = **opened;
        LayerPlan plan;
        plan.method = Method::Lqer; // the result's method wins: it is the one actually run
        plan.weight = QuantFormat::intAsym(4, 128);
        plan.act = QuantFormat::none();
        plan.lowRank = QuantFormat::mxint(6, 8, 32, MxConvention::Ocp);

        LayerRunRecord scaled = layerRunRecordFromResult(makeLayerResult(true), plan);
        QCOMPARE(scaled.method, methodName(Method::L2Qer));
        QCOMPARE(scaled.weightFormat, plan.weight.toString());
        QCOMPARE(scaled.actFormat, plan.act.toString());
        QCOMPARE(scaled.lowRankFormat, plan.lowRank.toString());
        QCOMPARE(scaled.scaledFrobError, std::optional<double>(0.125));
        scaled.extra.insert(QStringLiteral("svd"), QStringLiteral("exact"));
        LayerRunRecord plain = layerRunRecordFromResult(makeLayerResult(false), plan);
        plain.layer = QStringLiteral("model.layers.3.mlp.down_proj.weight");
        QVERIFY(!plain.scaledFrobError && !plain.scaledPlainFrobError);

        const qint64 session = makeSession(store, QStringLiteral("records"));
        auto runId = store.beginRun({session, QStringLiteral("analyze"), makePlan(), 2, {}, {}, {}, {}});
        QVERIFY(runId);
        QVERIFY(store.appendLayers(*runId, {scaled, plain}));
        QVERIFY(store.finishRun(*runId, RunStatus::Complete, 1.0));
        auto run = store.run(*runId);
        QVERIFY2(run, qPrintable(run.error()));
        QCOMPARE(run->layers.size(), 2);
        QVERIFY(sameLayer(run->layers.at(0), scaled));
        QVERIFY(sameLayer(run->layers.at(1), plain));
        compareLayerResults(layerResultFromRecord(run->layers.at(0)), makeLayerResult(true));
        LayerResult plainBack = layerResultFromRecord(run->layers.at(1));
        plainBack.layer = makeLayerResult(false).layer;
        compareLayerResults(plainBack, makeLayerResult(false));

        QStringList columns;
        withRawDb(path, [&](QSqlDatabase &db) {
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("SELECT extra FROM run_layers ORDER BY position")));
            while (q.next())
                columns << q.value(0).toString();
        });
        QCOMPARE(columns.size(), 2);
        const QJsonObject extra = QJsonDocument::fromJson(columns.at(0).toUtf8()).object();
        QCOMPARE(extra.keys(),
                 (QStringList {QStringLiteral("act"), QStringLiteral("lowRank"),
                               QStringLiteral("plainMeanAbsError"), QStringLiteral("scaledFrobError"),
                               QStringLiteral("scaledPlainFrobError"), QStringLiteral("svd"),
                               QStringLiteral("weightFrob")}));
        QCOMPARE(extra.value(QStringLiteral("weightFrob")).toDouble(), 12.5);
        QCOMPARE(extra.value(QStringLiteral("lowRank")).toString(), plan.lowRank.toString());
        QVERIFY(!QJsonDocument::fromJson(columns.at(1).toUtf8())
                     .object()
                     .contains(QStringLiteral("scaledFrobError")));
    }

    void perplexityResultsRoundTrip()
    {
        const QString text = dbPath(QStringLiteral("eval.txt"));
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("abc");
        f.close();
        PerplexityResult result;
        result.perplexity = 12.5;
        result.meanNll = std::log(12.5);
        result.windows = 4;
        result.scoredTokens = 4 * 511;
        result.totalTokens = 2100;
        result.windowLength = 512;
        result.seconds = 3.5;
        result.tokensPerSecond = 585.0;
        const PerplexityRecord record = perplexityRecordFromResult(QStringLiteral("fp32"), text, result);
        QCOMPARE(record.label, QStringLiteral("fp32"));
        QCOMPARE(record.textPath, text);
        // SHA-256 of "abc".
        QCOMPARE(record.textFingerprint,
                 QStringLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QCOMPARE(record.tokens, result.scoredTokens);
        const PerplexityResult back = perplexityResultFromRecord(record);
        QCOMPARE(back.perplexity, result.perplexity);
        QCOMPARE(back.meanNll, result.meanNll);
        QCOMPARE(back.scoredTokens, result.scoredTokens);
        QCOMPARE(back.windowLength, result.windowLength);
        QCOMPARE(back.seconds, result.seconds);
        QCOMPARE(back.windows, qint64(0)); // not recorded
    }

    void cancelledRunIsNeverComplete()
    {
        auto opened = SessionStore::open(dbPath(QStringLiteral("cancel.db")));
        QVERIFY2(opened, qPrintable(opened.error()));
        SessionStore &store = **opened;
        const qint64 session = makeSession(store, QStringLiteral("s"));
        NewRun nr {session, QStringLiteral("analyze"), makePlan(), 20, {}, {}, {}, {}};
        auto runId = store.beginRun(nr);
        QVERIFY(runId);
        // A job checking its CancelToken once per layer, cancelled after layer 7.
        CancelToken token;
        int done = 0;
        for (int i = 0; i < 20 && !token.isCancelled(); ++i) {
            QVERIFY(store.appendLayers(*runId, {makeLayer(i, 32)}));
            if (++done == 7)
                token.cancel();
        }
        QVERIFY(store.finishRun(*runId, RunStatus::Cancelled, 0.7));
        auto run = store.run(*runId);
        QVERIFY(run);
        QCOMPARE(run->status, RunStatus::Cancelled);
        QCOMPARE(run->layers.size(), 7);
        QCOMPARE(run->expectedLayers, 20);

        const QString out = dbPath(QStringLiteral("cancel.csv"));
        const Status refused = store.exportRun({*runId, out, RunExportFormat::Csv, false, true});
        QVERIFY(!refused);
        QVERIFY2(refused.error().contains(QStringLiteral("cancelled")), qPrintable(refused.error()));
        QVERIFY(!QFile::exists(out));
        QVERIFY(store.exportRun({*runId, out, RunExportFormat::Csv, true, true}));
        QCOMPARE(fileBytes(out).count('\n'), 8);

        // A failed run keeps its reason (schema 2).
        auto failed = store.beginRun(nr);
        QVERIFY(store.finishRun(*failed, RunStatus::Failed, 0.1, QStringLiteral("NaN in layer x")));
        QCOMPARE(store.run(*failed)->error, QStringLiteral("NaN in layer x"));
        // A discarded run leaves nothing.
        auto discarded = store.beginRun(nr);
        QVERIFY(store.appendLayers(*discarded, {makeLayer(0, 8)}));
        QVERIFY(store.deleteRun(*discarded));
        QVERIFY(!store.run(*discarded));
        QCOMPARE(store.listRuns(session)->size(), 2);
    }

    void staleRunsAreMarkedInterrupted()
    {
        const QString path = dbPath(QStringLiteral("stale.db"));
        qint64 live = 0, dead = 0, remoteFresh = 0, remoteOld = 0;
        {
            auto opened = SessionStore::open(path);
            QVERIFY(opened);
            const qint64 session = makeSession(**opened, QStringLiteral("s"));
            NewRun nr {session, QStringLiteral("analyze"), makePlan(), 4, {}, {}, {}, {}};
            live = *(*opened)->beginRun(nr);
            dead = *(*opened)->beginRun(nr);
            remoteFresh = *(*opened)->beginRun(nr);
            remoteOld = *(*opened)->beginRun(nr);
            QVERIFY((*opened)->appendLayers(dead, {makeLayer(0, 8)}));
        }
        withRawDb(path, [&](QSqlDatabase &db) {
            QSqlQuery q(db);
            // pid 0x7ffffff0 does not exist; another host's writers are judged by heartbeat.
            QVERIFY(q.exec(QStringLiteral("UPDATE runs SET writer = '%1:2147483632:1' WHERE id = %2")
                               .arg(QSysInfo::machineHostName())
                               .arg(dead)));
            QVERIFY(q.exec(QStringLiteral("UPDATE runs SET writer = 'other-host:5:5' WHERE id IN (%1, %2)")
                               .arg(remoteFresh)
                               .arg(remoteOld)));
            QVERIFY(
                q.exec(QStringLiteral("UPDATE runs SET heartbeat = '2020-01-01T00:00:00.000Z' WHERE id = %1")
                           .arg(remoteOld)));
        });
        auto reopened = SessionStore::open(path);
        QVERIFY2(reopened, qPrintable(reopened.error()));
        QCOMPARE((*reopened)->run(live)->status, RunStatus::Running); // this process is alive
        QCOMPARE((*reopened)->run(dead)->status, RunStatus::Interrupted);
        QCOMPARE((*reopened)->run(dead)->layers.size(), 1);
        QCOMPARE((*reopened)->run(remoteFresh)->status, RunStatus::Running);
        QCOMPARE((*reopened)->run(remoteOld)->status, RunStatus::Interrupted);
        QVERIFY(!(*reopened)->appendLayers(dead, {makeLayer(1, 8)}));
        // The live writer carries on.
        QVERIFY((*reopened)->appendLayers(live, {makeLayer(0, 8)}));
        QVERIFY((*reopened)->finishRun(live, RunStatus::Complete, 1.0));
    }

    void exportCsvAndJson()
    {
        auto opened = SessionStore::open(dbPath(QStringLiteral("export.db")));
        QVERIFY(opened);
        SessionStore &store = **opened;
        const qint64 session = makeSession(store, QStringLiteral("s"));
        auto runId = store.beginRun({session, QStringLiteral("analyze"), makePlan(), 3, {}, {}, {}, {}});
        QVERIFY(store.appendLayers(*runId, {makeLayer(0, 4), makeLayer(1, 4), makeLayer(2, 4)}));
        QVERIFY(store.addPerplexity(*runId, makePerplexity(QStringLiteral("fp32"), 11.5)));
        const Status notYet
            = store.exportRun({*runId, dbPath(QStringLiteral("x.csv")), RunExportFormat::Csv, false, true});
        QVERIFY(!notYet && notYet.error().contains(QStringLiteral("running")));
        QVERIFY(store.finishRun(*runId, RunStatus::Complete, 2.0));

        const QString csv = dbPath(QStringLiteral("run.csv"));
        QVERIFY(store.exportRun({*runId, csv, RunExportFormat::Csv, false, true}));
        const QStringList lines
            = QString::fromUtf8(fileBytes(csv)).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 4);
        const QStringList header = lines.at(0).split(QLatin1Char(','));
        QCOMPARE(header.first(), QStringLiteral("layer"));
        const QStringList row = lines.at(2).split(QLatin1Char(','));
        QCOMPARE(row.size(), header.size());
        QCOMPARE(row.at(header.indexOf(QStringLiteral("layer"))), makeLayer(1, 4).layer);
        QCOMPARE(row.at(header.indexOf(QStringLiteral("rel_error"))).toDouble(), makeLayer(1, 4).relError);
        QCOMPARE(row.at(header.indexOf(QStringLiteral("bits"))).toDouble(), makeLayer(1, 4).bits);
        QCOMPARE(row.at(header.indexOf(QStringLiteral("output_error"))), QString()); // not measured

        const QString json = dbPath(QStringLiteral("run.json"));
        QVERIFY(store.exportRun({*runId, json, RunExportFormat::Json, false, true}));
        const QJsonObject root = QJsonDocument::fromJson(fileBytes(json)).object();
        QCOMPARE(root.value(QStringLiteral("status")).toString(), QStringLiteral("complete"));
        const QJsonArray layers = root.value(QStringLiteral("layers")).toArray();
        QCOMPARE(layers.size(), 3);
        const QJsonObject l2 = layers.at(2).toObject();
        QCOMPARE(l2.value(QStringLiteral("frob_error")).toDouble(), makeLayer(2, 4).frobError);
        QCOMPARE(l2.value(QStringLiteral("sv_scaled")).toArray().size(), 4);
        QCOMPARE(l2.value(QStringLiteral("sv_scaled")).toArray().at(1).toDouble(), 11.0); // 20/2 + 1, exact
        auto plan = Plan::fromJson(root.value(QStringLiteral("plan")).toObject());
        QVERIFY(plan && *plan == makePlan());
        QCOMPARE(root.value(QStringLiteral("perplexities"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("perplexity"))
                     .toDouble(),
                 11.5);

        const Status badPath = store.exportRun(
            {*runId, QStringLiteral("/proc/nonexistent/run.csv"), RunExportFormat::Csv, false, true});
        QVERIFY(!badPath && badPath.error().contains(QStringLiteral("/proc/nonexistent/run.csv")));
    }

    // Migrations from every earlier version: an empty file (0), the v1 fixture, a fresh v1.
    void migrateFromV1Fixture()
    {
        const QString fixture = QStringLiteral(LQER_TEST_DATA_DIR "/store_v1.sqlite");
        QVERIFY2(QFile::exists(fixture), "tests/data/store_v1.sqlite missing (test_store --make-v1-fixture)");
        const QString path = dbPath(QStringLiteral("migrated.db"));
        QVERIFY(QFile::copy(fixture, path));
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        withRawDb(path, [](QSqlDatabase &db) {
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("PRAGMA user_version")) && q.next());
            QCOMPARE(q.value(0).toInt(), 1);
        });

        // Read-only, a v1 file is readable as it is (no migration, no v2 features).
        {
            StoreOpenConfig ro;
            ro.path = path;
            ro.mode = StoreOpenConfig::ReadOnly;
            auto store = SessionStore::open(ro);
            QVERIFY2(store, qPrintable(store.error()));
            QCOMPARE((*store)->schemaVersion(), 1);
            QCOMPARE((*store)->listSessions()->size(), 1);
            QVERIFY(!(*store)->setRunNotes(1, QStringLiteral("x"), {}));
        }

        auto opened = SessionStore::open(path);
        QVERIFY2(opened, qPrintable(opened.error()));
        SessionStore &store = **opened;
        QCOMPARE(store.schemaVersion(), SessionStore::currentSchemaVersion());
        QCOMPARE(store.integrityCheck().value(), QStringLiteral("ok"));
        auto sessions = store.listSessions();
        QVERIFY(sessions && sessions->size() == 1);
        const qint64 session = sessions->first().id;
        auto s = store.session(session);
        QVERIFY2(s, qPrintable(s.error()));
        QVERIFY(s->plan == makePlan());
        QCOMPARE(s->statsFingerprint, QStringLiteral("abc123"));
        QCOMPARE(s->notes, QString());

        auto runs = store.listRuns(session);
        QVERIFY(runs && runs->size() == 3);
        const RunRecord &complete = runs->at(0);
        QCOMPARE(complete.status, RunStatus::Complete);
        QCOMPARE(complete.wallSeconds, 4.5);
        QCOMPARE(complete.perplexities.size(), 2);
        QCOMPARE(complete.perplexities.at(1).perplexity, 12.25);
        QCOMPARE(runs->at(1).status, RunStatus::Cancelled);
        QCOMPARE(runs->at(2).status, RunStatus::Interrupted); // a dead writer's run, recovered on open
        auto full = store.run(complete.id);
        QVERIFY(full && full->layers.size() == 3);
        for (int i = 0; i < 3; ++i)
            QVERIFY(sameLayer(full->layers.at(i), makeLayer(i, 64)));
        QCOMPARE(store.run(runs->at(2).id)->layers.size(), 2);

        // Version 2 features work on the migrated file.
        QVERIFY(store.setRunNotes(complete.id, QStringLiteral("migrated"), {QStringLiteral("v1")}));
        QCOMPARE(store.run(complete.id)->tags, QStringList {QStringLiteral("v1")});
        QVERIFY(store.setSessionNotes(session, QStringLiteral("hello")));

        // Version 3: the old perplexities have no σ and no comparison with FP32 ...
        QCOMPARE(complete.perplexities.at(1).perplexityError, 0.0);
        QVERIFY(!complete.perplexities.at(1).kl.measured);
    }

    // Version 3: a perplexity's σ and its comparison with FP32 round-trip; a version 2 file
    // (read-only) still reads, without them; migrated, it records them.
    void perplexityComparisonFromVersion3()
    {
        const PerplexityRecord withKl = [] {
            PerplexityRecord p = makePerplexity(QStringLiteral("plain"), 13.4);
            p.perplexityError = 0.0712;
            p.kl.measured = true;
            p.kl.tokens = 20440;
            p.kl.meanKl = 0.0231;
            p.kl.meanKlError = 0.0004;
            p.kl.medianKl = 0.012;
            p.kl.p99Kl = 0.19;
            p.kl.maxKl = 1.5;
            p.kl.top1 = 0.91;
            p.kl.top1Error = 0.002;
            p.kl.basePerplexity = 13.1;
            p.kl.basePerplexityError = 0.07;
            p.kl.deltaPerplexity = 0.3;
            p.kl.deltaPerplexityError = 0.01;
            return p;
        }();
        auto check = [&](const PerplexityRecord &r) {
            QCOMPARE(r.perplexityError, withKl.perplexityError);
            QVERIFY(r.kl.measured);
            QCOMPARE(r.kl.tokens, withKl.kl.tokens);
            QCOMPARE(r.kl.meanKl, withKl.kl.meanKl);
            QCOMPARE(r.kl.p99Kl, withKl.kl.p99Kl);
            QCOMPARE(r.kl.top1, withKl.kl.top1);
            QCOMPARE(r.kl.deltaPerplexityError, withKl.kl.deltaPerplexityError);
        };
        const QString v2 = dbPath(QStringLiteral("fresh_v2.db"));
        qint64 runId = 0;
        {
            StoreOpenConfig config;
            config.path = v2;
            config.schemaVersion = 2;
            auto store = SessionStore::open(config);
            QVERIFY2(store, qPrintable(store.error()));
            QCOMPARE((*store)->schemaVersion(), 2);
            const qint64 session = makeSession(**store, QStringLiteral("v2"));
            auto run
                = (*store)->beginRun(NewRun {session, QStringLiteral("eval"), makePlan(), 0, {}, {}, {}, {}});
            QVERIFY2(run, qPrintable(run.error()));
            runId = *run;
            QVERIFY((*store)->addPerplexity(runId, withKl)); // version 2 keeps what it can
            QVERIFY((*store)->finishRun(runId, RunStatus::Complete, 1.0));
        }
        {
            StoreOpenConfig ro;
            ro.path = v2;
            ro.mode = StoreOpenConfig::ReadOnly;
            auto store = SessionStore::open(ro);
            QVERIFY2(store, qPrintable(store.error()));
            QCOMPARE((*store)->schemaVersion(), 2);
            auto run = (*store)->run(runId);
            QVERIFY2(run, qPrintable(run.error()));
            QCOMPARE(run->perplexities.size(), 1);
            QCOMPARE(run->perplexities.at(0).perplexity, 13.4);
            QVERIFY(!run->perplexities.at(0).kl.measured);
        }
        auto opened = SessionStore::open(v2);
        QVERIFY2(opened, qPrintable(opened.error()));
        SessionStore &store = **opened;
        QCOMPARE(store.schemaVersion(), SessionStore::currentSchemaVersion());
        QVERIFY(!store.run(runId)->perplexities.at(0).kl.measured);
        const qint64 session = makeSession(store, QStringLiteral("v3"));
        auto run = store.beginRun(NewRun {session, QStringLiteral("eval"), makePlan(), 0, {}, {}, {}, {}});
        QVERIFY2(run, qPrintable(run.error()));
        QVERIFY(store.addPerplexity(*run, makePerplexity(QStringLiteral("fp32"), 13.1)));
        QVERIFY(store.addPerplexity(*run, withKl));
        auto back = store.run(*run);
        QVERIFY2(back, qPrintable(back.error()));
        QCOMPARE(back->perplexities.size(), 2);
        QVERIFY(!back->perplexities.at(0).kl.measured);
        QCOMPARE(back->perplexities.at(0).perplexityError, 0.0);
        check(back->perplexities.at(1));
        // The listing carries them too.
        auto runs = store.listRuns(session);
        QVERIFY(runs && runs->size() == 1);
        check(runs->at(0).perplexities.at(1));
    }

    void migrateFromEveryVersion()
    {
        // Version 0: an empty file someone created (e.g. `touch`).
        const QString empty = dbPath(QStringLiteral("empty.db"));
        {
            QFile f(empty);
            QVERIFY(f.open(QIODevice::WriteOnly));
        }
        auto fromEmpty = SessionStore::open(empty);
        QVERIFY2(fromEmpty, qPrintable(fromEmpty.error()));
        QCOMPARE((*fromEmpty)->schemaVersion(), SessionStore::currentSchemaVersion());

        // Version 1 written now, then reopened by the current code.
        const QString v1 = dbPath(QStringLiteral("fresh_v1.db"));
        {
            StoreOpenConfig config;
            config.path = v1;
            config.schemaVersion = 1;
            auto store = SessionStore::open(config);
            QVERIFY(store);
            QCOMPARE((*store)->schemaVersion(), 1);
            QVERIFY(writeFixture(**store));
            QVERIFY(!(*store)->setSessionNotes(1, QStringLiteral("n"))); // a v2 feature
        }
        auto migrated = SessionStore::open(v1);
        QVERIFY2(migrated, qPrintable(migrated.error()));
        QCOMPARE((*migrated)->schemaVersion(), SessionStore::currentSchemaVersion());
        QCOMPARE((*migrated)->listRuns(1)->size(), 3);
        QCOMPARE((*migrated)->run(1)->layers.size(), 3);
        QCOMPARE((*migrated)->integrityCheck().value(), QStringLiteral("ok"));
        QVERIFY((*migrated)->run(1)->details.isEmpty());

        // Run details (version 4) round-trip on the migrated file; a version-3 file refuses them.
        NewRun withDetails {1, QStringLiteral("export"), makePlan(), 0, {}, {}, {}, {}};
        withDetails.details = QJsonObject {{QStringLiteral("format"), QStringLiteral("gguf")},
                                           {QStringLiteral("totalBytes"), 12345}};
        auto detailed = (*migrated)->beginRun(withDetails);
        QVERIFY2(detailed, qPrintable(detailed.error()));
        QVERIFY((*migrated)->finishRun(*detailed, RunStatus::Complete, 1.0));
        QCOMPARE((*migrated)->run(*detailed)->details, withDetails.details);
        QCOMPARE((*migrated)->listRuns(1)->last().details, withDetails.details);

        const QString v3 = dbPath(QStringLiteral("fresh_v3.db"));
        StoreOpenConfig config;
        config.path = v3;
        config.schemaVersion = 3;
        auto old = SessionStore::open(config);
        QVERIFY(old);
        QVERIFY(writeFixture(**old));
        auto refused = (*old)->beginRun(withDetails);
        QVERIFY(!refused);
        QVERIFY2(refused.error().contains(QLatin1String("schema version 4")), qPrintable(refused.error()));
    }

    void badFilesAreNeverTouched_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::newRow("text") << QByteArray("these are my notes, not a database\n")
                              << QStringLiteral("not an SQLite");
        QByteArray random(8192, '\0');
        for (int i = 0; i < random.size(); ++i)
            random[i] = char((i * 2654435761u) >> 13);
        QTest::newRow("random") << random << QStringLiteral("not an SQLite");
        QTest::newRow("short") << QByteArray("SQLite") << QStringLiteral("not an SQLite");
        QByteArray header = QByteArray("SQLite format 3\0", 16) + random;
        QTest::newRow("damaged header") << header << QStringLiteral("left untouched");
    }

    void badFilesAreNeverTouched()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        const QString path = dbPath(QStringLiteral("bad-%1.db")
                                        .arg(QString::fromLatin1(QTest::currentDataTag())
                                                 .replace(QLatin1Char(' '), QLatin1Char('_'))));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content);
        }
        auto store = SessionStore::open(path);
        QVERIFY(!store);
        QVERIFY2(store.error().contains(path), qPrintable(store.error()));
        QVERIFY2(store.error().contains(expected), qPrintable(store.error()));
        QCOMPARE(fileBytes(path), content);
        QVERIFY(!QFile::exists(path + QStringLiteral("-wal"))
                || QFileInfo(path + QStringLiteral("-wal")).size() == 0);
    }

    void foreignAndNewerDatabases()
    {
        // Another program's SQLite file.
        const QString foreign = dbPath(QStringLiteral("foreign.db"));
        withRawDb(foreign, [](QSqlDatabase &db) {
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("CREATE TABLE contacts (name TEXT)")));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO contacts VALUES ('ada')")));
        });
        const QByteArray before = fileBytes(foreign);
        auto f = SessionStore::open(foreign);
        QVERIFY(!f);
        QVERIFY2(f.error().contains(foreign) && f.error().contains(QStringLiteral("another program")),
                 qPrintable(f.error()));
        QCOMPARE(fileBytes(foreign), before);

        // Sets the schema version of `file` and expects both open modes to refuse it with all of
        // `words`, leaving the bytes as they were.
        auto refusedWithVersion = [](const QString &file, int version, const QStringList &words) {
            withRawDb(file, [version](QSqlDatabase &db) {
                QSqlQuery q(db);
                QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = %1").arg(version)));
            });
            const QByteArray bytes = fileBytes(file);
            for (auto mode : {StoreOpenConfig::ReadWrite, StoreOpenConfig::ReadOnly}) {
                StoreOpenConfig config;
                config.path = file;
                config.mode = mode;
                auto n = SessionStore::open(config);
                QVERIFY(!n);
                for (const QString &w : QStringList {file} + words)
                    QVERIFY2(n.error().contains(w), qPrintable(n.error()));
            }
            QCOMPARE(fileBytes(file), bytes);
        };
        // A file from a newer LQER Studio.
        const QString newer = dbPath(QStringLiteral("newer.db"));
        {
            auto s = SessionStore::open(newer);
            QVERIFY(s);
            makeSession(**s, QStringLiteral("from the future"));
        }
        refusedWithVersion(newer, 99, {QStringLiteral("newer"), QStringLiteral("99")});
        if (QTest::currentTestFailed())
            return;
        // A negative schema version (a damaged header; the fuzzer's -16777213 made the migration
        // step through millions of versions): refused at once, in either mode, file untouched.
        refusedWithVersion(newer, -16777213, {QStringLiteral("schema version -16777213 is not valid")});
        if (QTest::currentTestFailed())
            return;

        // A folder where the file should be; a missing file in read-only mode.
        auto dir = SessionStore::open(mDir.path());
        QVERIFY(!dir && dir.error().contains(QStringLiteral("folder")));
        StoreOpenConfig ro;
        ro.path = dbPath(QStringLiteral("missing.db"));
        ro.mode = StoreOpenConfig::ReadOnly;
        auto missing = SessionStore::open(ro);
        QVERIFY(!missing && missing.error().contains(ro.path));
        QVERIFY(!QFile::exists(ro.path));
    }

    void readOnlyLocation()
    {
        // /proc refuses new files even to root; as a normal user a 0555 folder does too.
        const QString procPath = QStringLiteral("/proc/lqer-store-test/sessions.db");
        auto p = SessionStore::open(procPath);
        QVERIFY(!p);
        QVERIFY2(p.error().contains(procPath), qPrintable(p.error()));

        if (::geteuid() == 0)
            QSKIP("running as root: file permissions are not enforced");
        const QString folder = dbPath(QStringLiteral("readonly"));
        QVERIFY(QDir().mkpath(folder));
        const QString path = folder + QStringLiteral("/sessions.db");
        {
            auto s = SessionStore::open(path);
            QVERIFY(s);
            makeSession(**s, QStringLiteral("kept"));
        }
        QFile::setPermissions(path, QFile::ReadOwner | QFile::ReadUser);
        QFile::setPermissions(folder, QFile::ReadOwner | QFile::ExeOwner | QFile::ReadUser | QFile::ExeUser);
        auto rw = SessionStore::open(path);
        QVERIFY(!rw);
        QVERIFY2(rw.error().contains(path) && rw.error().contains(QStringLiteral("read-only")),
                 qPrintable(rw.error()));
        auto created = SessionStore::open(folder + QStringLiteral("/new.db"));
        QVERIFY(!created && created.error().contains(QStringLiteral("read-only")));
        QFile::setPermissions(folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    }

    void fullDisk()
    {
        const QString path = dbPath(QStringLiteral("full.db"));
        qint64 session = 0, earlier = 0;
        {
            auto s = SessionStore::open(path);
            QVERIFY(s);
            session = makeSession(**s, QStringLiteral("s"));
            earlier = *(*s)->beginRun({session, QStringLiteral("analyze"), makePlan(), 2, {}, {}, {}, {}});
            QVERIFY((*s)->appendLayers(earlier, {makeLayer(0, 256), makeLayer(1, 256)}));
            QVERIFY((*s)->finishRun(earlier, RunStatus::Complete, 1.0));
        }
        qint64 pages = 0;
        withRawDb(path, [&](QSqlDatabase &db) {
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("PRAGMA page_count")) && q.next());
            pages = q.value(0).toLongLong();
        });
        QVERIFY(pages > 0);
        StoreOpenConfig config;
        config.path = path;
        config.maxPageCount = pages + 24; // ~100 KiB more with 4 KiB pages: room for a few layers only
        auto opened = SessionStore::open(config);
        QVERIFY2(opened, qPrintable(opened.error()));
        SessionStore &store = **opened;
        auto runId = store.beginRun({session, QStringLiteral("quantize"), makePlan(), 100, {}, {}, {}, {}});
        QVERIFY2(runId, qPrintable(runId.error()));
        Status st;
        int committed = 0;
        for (int i = 0; i < 100 && st; ++i) {
            st = store.appendLayers(*runId, {makeLayer(i, 4096)});
            if (st)
                ++committed;
        }
        QVERIFY(!st);
        QVERIFY2(st.error().contains(path) && st.error().contains(QStringLiteral("full")),
                 qPrintable(st.error()));
        // The failed transaction left nothing; what was committed before is intact.
        auto run = store.run(*runId);
        QVERIFY2(run, qPrintable(run.error()));
        QCOMPARE(run->layers.size(), committed);
        QCOMPARE(run->status, RunStatus::Running);
        QVERIFY(store.finishRun(*runId, RunStatus::Failed, 1.0, QStringLiteral("disk full")));
        QCOMPARE(store.run(earlier)->layers.size(), 2);
        QCOMPARE(store.integrityCheck().value(), QStringLiteral("ok"));
    }

    // Readers on other threads (one connection each) while a job writes layer by layer: every
    // read succeeds and sees a consistent run (the row's layer count equals its layer rows).
    void concurrentReadersWhileWriting()
    {
        const QString path = dbPath(QStringLiteral("concurrent.db"));
        qint64 runId = 0;
        {
            auto s = SessionStore::open(path);
            QVERIFY(s);
            const qint64 session = makeSession(**s, QStringLiteral("s"));
            runId = *(*s)->beginRun({session, QStringLiteral("quantize"), makePlan(), 60, {}, {}, {}, {}});
        }
        std::atomic<bool> writing {true};
        std::atomic<int> reads {0}, readErrors {0}, inconsistent {0}, sawPartial {0};
        QString firstError;
        QMutex errorMutex;
        QString writerError;

        QThread *writer = QThread::create([&] {
            auto s = SessionStore::open(path);
            if (!s) {
                writerError = s.error();
                writing = false;
                return;
            }
            for (int i = 0; i < 60; ++i) {
                if (Status st = (*s)->appendLayers(runId, {makeLayer(i, 512)}); !st) {
                    writerError = st.error();
                    break;
                }
                QThread::usleep(500);
            }
            if (writerError.isEmpty()) {
                if (Status st = (*s)->finishRun(runId, RunStatus::Complete, 1.0); !st)
                    writerError = st.error();
            }
            writing = false;
        });
        QList<QThread *> readers;
        for (int r = 0; r < 3; ++r) {
            readers.append(QThread::create([&] {
                StoreOpenConfig config;
                config.path = path;
                config.mode = StoreOpenConfig::ReadOnly;
                auto s = SessionStore::open(config);
                if (!s) {
                    ++readErrors;
                    QMutexLocker lock(&errorMutex);
                    firstError = s.error();
                    return;
                }
                while (writing) {
                    auto run = (*s)->run(runId);
                    auto list = (*s)->listSessions();
                    ++reads;
                    if (!run || !list) {
                        ++readErrors;
                        QMutexLocker lock(&errorMutex);
                        firstError = run ? list.error() : run.error();
                        continue;
                    }
                    if (run->layers.size() != run->layerCount
                        || (run->status == RunStatus::Complete && run->layers.size() != 60))
                        ++inconsistent;
                    if (run->status == RunStatus::Running && run->layers.size() > 0
                        && run->layers.size() < 60)
                        ++sawPartial;
                }
            }));
        }
        writer->start();
        for (QThread *t : readers)
            t->start();
        writer->wait();
        for (QThread *t : readers) {
            t->wait();
            delete t;
        }
        delete writer;
        QVERIFY2(writerError.isEmpty(), qPrintable(writerError));
        QVERIFY2(readErrors == 0, qPrintable(firstError));
        QCOMPARE(inconsistent.load(), 0);
        QVERIFY(reads > 0);
        qDebug("concurrent: %d consistent reads by 3 readers while 60 layers were written (%d saw a partial "
               "run)",
               reads.load(), sawPartial.load());
        auto s = SessionStore::open(path);
        QCOMPARE((*s)->run(runId)->layers.size(), 60);
    }

    // SIGKILL a writer in the middle of saving a large run: the file stays intact, earlier runs
    // are all there, the killed run is 'interrupted' with only whole transactions in it.
    void crashWhileWriting()
    {
        LQER_SKIP_PROCESSES_UNDER_TSAN();
        const QString path = dbPath(QStringLiteral("crash.db"));
        qint64 session = 0;
        QList<qint64> earlier;
        {
            auto s = SessionStore::open(path);
            QVERIFY(s);
            session = makeSession(**s, QStringLiteral("s"));
            for (int r = 0; r < 2; ++r) {
                const qint64 id
                    = *(*s)->beginRun({session, QStringLiteral("analyze"), makePlan(), 8, {}, {}, {}, {}});
                for (int i = 0; i < 8; ++i)
                    QVERIFY((*s)->appendLayers(id, {makeLayer(i, 1024)}));
                QVERIFY((*s)->finishRun(id, RunStatus::Complete, 1.0));
                earlier.append(id);
            }
        }
        for (int attempt = 0; attempt < 3; ++attempt) {
            QProcess child;
            child.start(QCoreApplication::applicationFilePath(),
                        {QStringLiteral("--store-crash-writer"), path});
            QVERIFY(child.waitForStarted());
            int committed = 0;
            QElapsedTimer timer;
            timer.start();
            // Kill after a varying number of commits so the kill lands at different points.
            const int target = 8 + 12 * attempt;
            while (committed < target && timer.elapsed() < 30000) {
                if (!child.canReadLine() && !child.waitForReadyRead(5000))
                    break;
                while (child.canReadLine()) {
                    const QByteArray line = child.readLine();
                    if (line.startsWith("committed "))
                        committed = line.mid(10).trimmed().toInt();
                }
            }
            QVERIFY2(committed >= target, child.readAllStandardError().constData());
            ::kill(pid_t(child.processId()), SIGKILL);
            QVERIFY(child.waitForFinished(10000));
            QCOMPARE(child.exitStatus(), QProcess::CrashExit);

            auto s = SessionStore::open(path);
            QVERIFY2(s, qPrintable(s.error()));
            QCOMPARE((*s)->integrityCheck().value(), QStringLiteral("ok"));
            for (qint64 id : earlier) {
                auto run = (*s)->run(id);
                QVERIFY2(run, qPrintable(run.error()));
                QCOMPARE(run->status, RunStatus::Complete);
                QCOMPARE(run->layers.size(), 8);
            }
            auto runs = (*s)->listRuns(session);
            QVERIFY(runs);
            const RunRecord &killed = runs->last();
            QCOMPARE(killed.status, RunStatus::Interrupted);
            auto full = (*s)->run(killed.id);
            QVERIFY2(full, qPrintable(full.error()));
            QVERIFY(full->layers.size() >= committed);
            QCOMPARE(full->layers.size() % 4, 0); // whole transactions only
            for (int i = 0; i < full->layers.size(); i += 97)
                QVERIFY(sameLayer(full->layers.at(i), makeLayer(i, 4096)));
            qDebug("attempt %d: killed after %d committed layers; reopened: %lld layers, run interrupted",
                   attempt, committed, qlonglong(full->layers.size()));
        }
    }

    // SQLite would store NaN as NULL and read it back as 0: non-finite values are refused,
    // naming the layer and the field, and nothing of the batch is written.
    void nonFiniteValuesAreNotSaved()
    {
        auto opened = SessionStore::open(dbPath(QStringLiteral("nonfinite.db")));
        QVERIFY(opened);
        SessionStore &store = **opened;
        const qint64 session = makeSession(store, QStringLiteral("nan"));
        auto runId = store.beginRun({session, QStringLiteral("analyze"), makePlan(), 2, {}, {}, {}, {}});
        QVERIFY(runId);
        LayerRunRecord bad = makeLayer(1, 16);
        bad.frobError = std::numeric_limits<double>::quiet_NaN();
        Status s = store.appendLayers(*runId, {makeLayer(0, 16), bad});
        QVERIFY(!s.ok());
        QVERIFY2(s.error().contains(bad.layer) && s.error().contains(QStringLiteral("reconstruction error")),
                 qPrintable(s.error()));
        LayerRunRecord badSpectrum = makeLayer(2, 16);
        badSpectrum.svScaled[3] = std::numeric_limits<double>::infinity();
        QVERIFY(!store.appendLayers(*runId, {badSpectrum}).ok());
        QCOMPARE(store.run(*runId)->layers.size(), 0);
        PerplexityRecord p = makePerplexity(QStringLiteral("l2qer"), std::numeric_limits<double>::infinity());
        s = store.addPerplexity(*runId, p);
        QVERIFY2(!s.ok() && s.error().contains(QStringLiteral("not finite")), qPrintable(s.error()));
        QCOMPARE(store.run(*runId)->perplexities.size(), 0);
        QVERIFY(store.appendLayers(*runId, {makeLayer(0, 16)}).ok());
    }

    // Two processes record 50 runs each into one new database at the same time (as the studio
    // and a CLI run, or two CLI runs, do): both succeed, no run is lost or incomplete, and the
    // integrity check passes. Writers wait for each other (busy timeout, BEGIN IMMEDIATE).
    void twoWriters()
    {
        LQER_SKIP_PROCESSES_UNDER_TSAN();
        const QString path = dbPath(QStringLiteral("two-writers.db"));
        QProcess a, b;
        a.setProcessChannelMode(QProcess::ForwardedOutputChannel);
        b.setProcessChannelMode(QProcess::ForwardedOutputChannel);
        a.start(QCoreApplication::applicationFilePath(),
                {QStringLiteral("--store-writer"), path, QStringLiteral("writer A"), QStringLiteral("50")});
        b.start(QCoreApplication::applicationFilePath(),
                {QStringLiteral("--store-writer"), path, QStringLiteral("writer B"), QStringLiteral("50")});
        QVERIFY(a.waitForStarted() && b.waitForStarted());
        QFile go(path + QStringLiteral(".go"));
        QVERIFY(go.open(QIODevice::WriteOnly));
        go.close();
        QVERIFY(a.waitForFinished(120000 * LQER_TIMEOUT_SCALE));
        QVERIFY(b.waitForFinished(120000 * LQER_TIMEOUT_SCALE));
        QCOMPARE(a.exitStatus(), QProcess::NormalExit);
        QCOMPARE(b.exitStatus(), QProcess::NormalExit);
        QCOMPARE(a.exitCode(), 0);
        QCOMPARE(b.exitCode(), 0);

        auto store = SessionStore::open(path);
        QVERIFY2(store, qPrintable(store.error()));
        QCOMPARE((*store)->integrityCheck().value(), QStringLiteral("ok"));
        auto sessions = (*store)->listSessions();
        QVERIFY(sessions);
        QCOMPARE(sessions->size(), 2);
        int complete = 0;
        for (const SessionSummary &s : *sessions) {
            auto runs = (*store)->listRuns(s.id);
            QVERIFY(runs);
            QCOMPARE(runs->size(), 50);
            for (const RunRecord &r : *runs) {
                auto full = (*store)->run(r.id);
                QVERIFY2(full, qPrintable(full.error()));
                QCOMPARE(full->status, RunStatus::Complete);
                QCOMPARE(full->layers.size(), 4);
                QCOMPARE(full->perplexities.size(), 1);
                complete += 1;
            }
        }
        QCOMPARE(complete, 100);
        // The writers really overlapped: their runs interleave in the order they were begun.
        QList<std::pair<qint64, qint64>> order; // run id, session id
        for (const SessionSummary &s : *sessions) {
            // Hold the Expected: a range-for over *listRuns(...) would iterate a destroyed
            // temporary (AddressSanitizer's stack-use-after-scope).
            const auto runs = (*store)->listRuns(s.id);
            QVERIFY2(runs.ok(), qPrintable(runs.error()));
            for (const RunRecord &r : *runs)
                order.append({r.id, s.id});
        }
        std::sort(order.begin(), order.end());
        int switches = 0;
        for (int i = 1; i < order.size(); ++i)
            switches += order[i].second != order[i - 1].second;
        qInfo("two writers: 100 runs complete, integrity ok, %d switches between writers in run order",
              switches);
        QVERIFY2(switches >= 2, "the two writers did not overlap");
    }

    // A 7B-shaped run (LLaMA-2-7B: 32 blocks x 7 linears = 224 layers, 4096 singular values x
    // 2 spectra each). Prints figures; the targets are < 1 s to store, < 300 ms to read.
    void benchmark7B()
    {
        const QString path = dbPath(QStringLiteral("bench.db"));
        auto opened = SessionStore::open(path);
        QVERIFY(opened);
        SessionStore &store = **opened;
        const qint64 session = makeSession(store, QStringLiteral("llama-2-7b"));
        QList<LayerRunRecord> layers;
        for (int i = 0; i < 224; ++i)
            layers.append(makeLayer(i, 4096));
        QElapsedTimer timer;
        timer.start();
        auto runId = store.beginRun({session, QStringLiteral("quantize"), makePlan(), 224, {}, {}, {}, {}});
        QVERIFY(runId);
        QVERIFY(store.appendLayers(*runId, layers));
        QVERIFY(store.finishRun(*runId, RunStatus::Complete, 100.0));
        const double writeMs = timer.nsecsElapsed() / 1e6;
        timer.restart();
        auto run = store.run(*runId);
        const double readMs = timer.nsecsElapsed() / 1e6;
        QVERIFY(run && run->layers.size() == 224);
        qDebug("7B-shaped run (224 layers x 2 x 4096 singular values, %.1f MB file): store %.1f ms, read "
               "%.1f ms",
               QFileInfo(path).size() / 1e6, writeMs, readMs);
    }
};

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() == 3 && args.at(1) == QLatin1String("--store-crash-writer"))
        return crashWriter(args.at(2));
    if (args.size() == 5 && args.at(1) == QLatin1String("--store-writer"))
        return storeWriter(args.at(2), args.at(3), args.at(4).toInt());
    if (args.size() == 3 && args.at(1) == QLatin1String("--make-v1-fixture"))
        return makeV1Fixture(args.at(2));
    TestStore test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_store.moc"
