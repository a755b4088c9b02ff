// The `lqer` command line, run as a user runs it (QProcess on the built binary of this build
// folder, LQER_BIN_DIR): help and usage, errors on bad input (one line naming the file), the
// analyze JSON against GOLDEN.md, recording of analyze/quantize/eval runs in the session store,
// a corrupt store left untouched, Ctrl-C closing a run as cancelled, and a packed
// export evaluated without the original weights giving the in-memory perplexity.
//
// Every process gets LQER_SESSIONS_DB pointing into a temporary folder, so the user's own
// session store is never touched; tests that record also pass --db explicitly and check that
// the LQER_SESSIONS_DB file stays absent.

#include "core/store/sessionstore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <csignal>
#include <memory>

using namespace lqer;

namespace {

struct Result
{
    int code = -1;
    bool finished = false;
    QString out;
    QString err;
};

QString sharedPath(const QString &relative)
{
    return QDir(QStringLiteral(LQER_SHARED_DIR)).filePath(relative);
}

QString lqerBinary()
{
    return QDir(QStringLiteral(LQER_BIN_DIR)).filePath(QStringLiteral("lqer"));
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The lines of stderr that are not progress reports ("label: NN% ...").
QStringList messageLines(const QString &err)
{
    static const QRegularExpression progress(QStringLiteral("^[^:]+: +\\d+% "));
    QStringList lines;
    for (const QString &line : err.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        if (!progress.match(line).hasMatch())
            lines << line;
    return lines;
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir mTmp;
    QString mDefaultDb; // LQER_SESSIONS_DB of every process: must stay absent

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("LQER_SESSIONS_DB"), mDefaultDb);
        return env;
    }

    Result run(const QStringList &args, int timeoutMs = 120000, const QString &workingDirectory = QString())
    {
        QProcess p;
        p.setProcessEnvironment(environment());
        if (!workingDirectory.isEmpty())
            p.setWorkingDirectory(workingDirectory);
        p.start(lqerBinary(), args);
        Result r;
        if (!p.waitForStarted(10000))
            return r;
        r.finished = p.waitForFinished(timeoutMs * LQER_TIMEOUT_SCALE);
        if (!r.finished) {
            p.kill();
            p.waitForFinished(5000);
        }
        r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }

    QString model() const { return sharedPath(QStringLiteral("models/lqs-llama-13m")); }
    QString heldout() const { return sharedPath(QStringLiteral("data/lqs-corpus/heldout.txt")); }
    QString calib() const { return sharedPath(QStringLiteral("data/lqs-corpus/calib.txt")); }

    std::unique_ptr<SessionStore> openStore(const QString &path)
    {
        StoreOpenConfig config;
        config.path = path;
        config.mode = StoreOpenConfig::ReadOnly;
        auto store = SessionStore::open(config);
        if (!store) {
            qWarning("%s", qPrintable(store.error()));
            return nullptr;
        }
        return std::move(*store);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(mTmp.isValid());
        mDefaultDb = mTmp.filePath(QStringLiteral("default-sessions.db"));
        QVERIFY2(QFileInfo(lqerBinary()).isExecutable(), qPrintable(lqerBinary()));
        QVERIFY2(QFileInfo::exists(model()), "shared models missing (LQER_SHARED_DIR)");
    }

    void cleanupTestCase()
    {
        // No test may have recorded into the fallback store (all pass --db or --no-record).
        QVERIFY2(!QFileInfo::exists(mDefaultDb), "a command wrote to LQER_SESSIONS_DB");
    }

    void help()
    {
        Result top = run({QStringLiteral("--help")});
        QCOMPARE(top.code, 0);
        QVERIFY(top.out.contains(QStringLiteral("usage: lqer <command>")));
        const QStringList commands {QStringLiteral("inspect"),   QStringLiteral("analyze"),
                                    QStringLiteral("calibrate"), QStringLiteral("quantize"),
                                    QStringLiteral("eval"),      QStringLiteral("generate"),
                                    QStringLiteral("export"),    QStringLiteral("bench")};
        for (const QString &c : commands) {
            QVERIFY2(top.out.contains(QStringLiteral("  %1 ").arg(c)), qPrintable(c));
            Result r = run({c, QStringLiteral("--help")});
            QVERIFY2(r.code == 0, qPrintable(c));
            // "Usage: lqer <command> [options]", never the binary's path.
            QVERIFY2(r.out.startsWith(QStringLiteral("Usage: lqer %1 [options]").arg(c)),
                     qPrintable(r.out.left(200)));
            QVERIFY2(!r.out.contains(QStringLiteral(LQER_BIN_DIR)), qPrintable(c));
        }
        for (const QString &c :
             {QStringLiteral("analyze"), QStringLiteral("quantize"), QStringLiteral("eval")}) {
            Result r = run({c, QStringLiteral("--help")});
            for (const QString &o :
                 {QStringLiteral("--db"), QStringLiteral("--session"), QStringLiteral("--no-record")})
                QVERIFY2(r.out.contains(o), qPrintable(c + QLatin1Char(' ') + o));
        }
        Result sessions = run({QStringLiteral("sessions"), QStringLiteral("--help")});
        QCOMPARE(sessions.code, 0);
        for (const QString &sub : {QStringLiteral("list"), QStringLiteral("show"), QStringLiteral("export"),
                                   QStringLiteral("delete"), QStringLiteral("check")}) {
            Result r = run({QStringLiteral("sessions"), sub, QStringLiteral("--help")});
            QVERIFY2(r.code == 0, qPrintable(sub));
            QVERIFY2(r.out.startsWith(QStringLiteral("Usage: lqer sessions %1 [options]").arg(sub)),
                     qPrintable(r.out.left(200)));
        }
        // A usage error shows the same usage line, on stderr, with exit code 2.
        Result bad = run({QStringLiteral("analyze"), QStringLiteral("--no-such-option")});
        QCOMPARE(bad.code, 2);
        QVERIFY(bad.err.contains(QStringLiteral("Usage: lqer analyze [options]")));
    }

    void unknownCommand()
    {
        Result r = run({QStringLiteral("frobnicate")});
        QVERIFY(r.finished);
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains(QStringLiteral("unknown command 'frobnicate'")), qPrintable(r.err));
    }

    void inspectBadInput_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("missing folder") << QStringLiteral("missing");
        QTest::newRow("truncated safetensors") << QStringLiteral("truncated");
        QTest::newRow("unknown model_type") << QStringLiteral("model_type");
    }

    void inspectBadInput()
    {
        QFETCH(QString, kind);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString folder = dir.filePath(QStringLiteral("model"));
        QString named; // the file the message must name
        if (kind == QLatin1String("missing")) {
            named = folder;
        } else {
            QVERIFY(QDir().mkpath(folder));
            QVERIFY(QFile::copy(QDir(model()).filePath(QStringLiteral("config.json")),
                                QDir(folder).filePath(QStringLiteral("config.json"))));
            const QByteArray weights = fileBytes(QDir(model()).filePath(QStringLiteral("model.safetensors")));
            QVERIFY(weights.size() > 1000000);
            QFile st(QDir(folder).filePath(QStringLiteral("model.safetensors")));
            QVERIFY(st.open(QIODevice::WriteOnly));
            if (kind == QLatin1String("truncated")) {
                st.write(weights.left(weights.size() / 3)); // the header is intact, the data is not
                named = st.fileName();
            } else {
                st.write(weights);
                QFile cfg(QDir(folder).filePath(QStringLiteral("config.json")));
                QVERIFY(cfg.open(QIODevice::ReadWrite));
                QJsonObject o = QJsonDocument::fromJson(cfg.readAll()).object();
                o.insert(QStringLiteral("model_type"), QStringLiteral("not-a-model"));
                cfg.resize(0);
                cfg.write(QJsonDocument(o).toJson());
                named = cfg.fileName();
            }
        }
        Result r = run({QStringLiteral("inspect"), folder});
        QVERIFY(r.finished);
        QVERIFY2(r.code != 0, qPrintable(r.out));
        const QStringList lines = messageLines(r.err);
        QVERIFY2(lines.size() == 1, qPrintable(r.err));
        QVERIFY2(lines.first().startsWith(QStringLiteral("lqer: error: ")), qPrintable(r.err));
        QVERIFY2(lines.first().contains(named), qPrintable(r.err + QStringLiteral(" / expected: ") + named));
        if (kind == QLatin1String("model_type"))
            QVERIFY(lines.first().contains(QStringLiteral("not-a-model")));
    }

    void analyzeBadOptions()
    {
        Result rank
            = run({QStringLiteral("analyze"), model(), QStringLiteral("--rank"), QStringLiteral("-3")});
        QVERIFY(rank.code != 0);
        QVERIFY2(rank.err.contains(QStringLiteral("--rank")) && rank.err.contains(QStringLiteral("-3")),
                 qPrintable(rank.err));
        QCOMPARE(messageLines(rank.err).size(), 1);
        Result method = run(
            {QStringLiteral("analyze"), model(), QStringLiteral("--method"), QStringLiteral("nonsense")});
        QVERIFY(method.code != 0);
        QVERIFY2(method.err.contains(QStringLiteral("unknown method 'nonsense'")), qPrintable(method.err));
        QVERIFY2(method.err.contains(QStringLiteral("l2qer")),
                 qPrintable(method.err)); // lists the valid ones
        QCOMPARE(messageLines(method.err).size(), 1);
        // Option errors come before the store is opened: nothing was created.
        QVERIFY(!QFileInfo::exists(mDefaultDb));
    }

    void analyzeJson()
    {
        Result r = run({QStringLiteral("analyze"), model(), QStringLiteral("--layers"),
                        QStringLiteral("layers\\.0\\.self_attn\\.q_proj"), QStringLiteral("--method"),
                        QStringLiteral("lqer"), QStringLiteral("--rank"), QStringLiteral("32"),
                        QStringLiteral("--json"), QStringLiteral("--no-record")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QJsonParseError perr;
        const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &perr);
        QVERIFY2(doc.isObject(), qPrintable(perr.errorString()));
        const QJsonArray layers = doc.object().value(QStringLiteral("layers")).toArray();
        QCOMPARE(layers.size(), 1);
        const QJsonObject l = layers.first().toObject();
        QCOMPARE(l.value(QStringLiteral("layer")).toString(),
                 QStringLiteral("model.layers.0.self_attn.q_proj.weight"));
        QCOMPARE(l.value(QStringLiteral("method")).toString(), QStringLiteral("lqer"));
        QCOMPARE(l.value(QStringLiteral("rank")).toInt(), 32);
        QCOMPARE(l.value(QStringLiteral("in")).toInt(), 384);
        QCOMPARE(l.value(QStringLiteral("out")).toInt(), 384);
        // GOLDEN.md: MXINT(4, 8, 16) of this layer, Σ (W − Wq)² = 2.22148 (±1e-4 relative).
        const double e = l.value(QStringLiteral("quant_frob_error")).toDouble();
        QVERIFY2(std::abs(e * e - 2.22148) <= 1e-4 * 2.22148, qPrintable(QString::number(e * e, 'g', 8)));
        // The rank-32 term removes part of the error, never adds to it.
        const double after = l.value(QStringLiteral("frob_error")).toDouble();
        QVERIFY(after > 0 && after < e);
        QVERIFY(std::abs(l.value(QStringLiteral("rel_error")).toDouble()
                         - after / l.value(QStringLiteral("weight_frob")).toDouble())
                < 1e-9);
        // NUMERICS §8: 4 + 8/16 bits for Wq, k (m + n) (8 + 8/16) / (m n) for A and B.
        const double bits = 4.0 + 8.0 / 16.0 + 32.0 * (384 + 384) * (8.0 + 8.0 / 16.0) / (384.0 * 384.0);
        QVERIFY2(std::abs(l.value(QStringLiteral("bits_per_weight")).toDouble() - bits) < 1e-9,
                 qPrintable(QString::number(l.value(QStringLiteral("bits_per_weight")).toDouble(), 'g', 10)));
        QCOMPARE(
            doc.object().value(QStringLiteral("totals")).toObject().value(QStringLiteral("layers")).toInt(),
            1);
        QVERIFY(!QFileInfo::exists(mDefaultDb)); // --no-record
    }

    void analyzeRecords()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("runs.db"));
        const QString pattern = QStringLiteral("layers\\.0\\.self_attn\\.(q|k)_proj");
        Result r = run({QStringLiteral("analyze"), model(), QStringLiteral("--layers"), pattern,
                        QStringLiteral("--method"), QStringLiteral("lqer"), QStringLiteral("--db"), db});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("recorded run 1 in session 'lqs-llama-13m' (%1)").arg(db)),
                 qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(mDefaultDb));

        Result list = run({QStringLiteral("sessions"), QStringLiteral("list"), QStringLiteral("--json"),
                           QStringLiteral("--db"), db});
        QVERIFY2(list.code == 0, qPrintable(list.err));
        const QJsonArray sessions = QJsonDocument::fromJson(list.out.toUtf8()).array();
        QCOMPARE(sessions.size(), 1);
        const QJsonObject s = sessions.first().toObject();
        QCOMPARE(s.value(QStringLiteral("name")).toString(), QStringLiteral("lqs-llama-13m"));
        QCOMPARE(s.value(QStringLiteral("runs")).toInt(), 1);
        QCOMPARE(s.value(QStringLiteral("last_run_status")).toString(), QStringLiteral("complete"));
        QCOMPARE(QFileInfo(s.value(QStringLiteral("model")).toString()).canonicalFilePath(),
                 QFileInfo(model()).canonicalFilePath());

        Result show = run({QStringLiteral("sessions"), QStringLiteral("show"), QStringLiteral("--run"),
                           QStringLiteral("1"), QStringLiteral("--db"), db});
        QVERIFY2(show.code == 0, qPrintable(show.err));
        QVERIFY(show.out.contains(QStringLiteral("run 1 (analyze)")));
        QVERIFY(show.out.contains(QStringLiteral("complete")));
        QVERIFY(show.out.contains(QStringLiteral("model.layers.0.self_attn.q_proj.weight")));
        QVERIFY(show.out.contains(QStringLiteral("model.layers.0.self_attn.k_proj.weight")));

        const QString csvPath = dir.filePath(QStringLiteral("run1.csv"));
        Result csv = run({QStringLiteral("sessions"), QStringLiteral("export"), QStringLiteral("1"),
                          QStringLiteral("--format"), QStringLiteral("csv"), QStringLiteral("-o"), csvPath,
                          QStringLiteral("--db"), db});
        QVERIFY2(csv.code == 0, qPrintable(csv.err));
        const QStringList rows
            = QString::fromUtf8(fileBytes(csvPath)).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(rows.size(), 3); // header + 2 layers, in model order
        const QStringList header = rows.at(0).split(QLatin1Char(','));
        const int layerCol = int(header.indexOf(QStringLiteral("layer")));
        const int quantCol = int(header.indexOf(QStringLiteral("quant_error")));
        const int rankCol = int(header.indexOf(QStringLiteral("rank")));
        QVERIFY(layerCol >= 0 && quantCol >= 0 && rankCol >= 0);
        const QStringList q = rows.at(1).split(QLatin1Char(','));
        QCOMPARE(q.at(layerCol), QStringLiteral("model.layers.0.self_attn.q_proj.weight"));
        QCOMPARE(q.at(rankCol), QStringLiteral("32"));
        const double e = q.at(quantCol).toDouble();
        QVERIFY2(std::abs(e * e - 2.22148) <= 1e-4 * 2.22148, qPrintable(q.at(quantCol)));
        QCOMPARE(rows.at(2).split(QLatin1Char(',')).at(layerCol),
                 QStringLiteral("model.layers.0.self_attn.k_proj.weight"));

        // The spectra: every singular value of E (384 x 384), largest first.
        auto store = openStore(db);
        QVERIFY(store);
        auto run1 = store->run(1);
        QVERIFY2(run1, qPrintable(run1 ? QString() : run1.error()));
        QCOMPARE(run1->kind, QStringLiteral("analyze"));
        QCOMPARE(run1->expectedLayers, 2);
        QCOMPARE(run1->layers.size(), 2);
        const LayerRunRecord &l = run1->layers.first();
        QCOMPARE(int(l.svError.size()), 384);
        QVERIFY(l.svError.front() >= l.svError.back());
        double energy = 0;
        for (double v : l.svError)
            energy += v * v;
        QVERIFY2(std::abs(energy - l.quantError * l.quantError) < 1e-4 * energy,
                 qPrintable(QString::number(energy)));
        store.reset();

        // A second run, in a named session.
        Result named
            = run({QStringLiteral("analyze"), model(), QStringLiteral("--layers"),
                   QStringLiteral("layers\\.1\\.mlp\\.up_proj"), QStringLiteral("--method"),
                   QStringLiteral("plain"), QStringLiteral("--session"), QStringLiteral("my study"),
                   QStringLiteral("--spectrum-count"), QStringLiteral("10"), QStringLiteral("--db"), db});
        QVERIFY2(named.code == 0, qPrintable(named.err));
        QVERIFY2(named.err.contains(QStringLiteral("recorded run 2 in session 'my study'")),
                 qPrintable(named.err));
        store = openStore(db);
        QVERIFY(store);
        auto list2 = store->listSessions();
        QVERIFY(list2);
        QCOMPARE(list2->size(), 2);
        auto run2 = store->run(2);
        QVERIFY(run2);
        QCOMPARE(run2->layers.size(), 1);
        QCOMPARE(int(run2->layers.first().svError.size()), 10);
    }

    void failedRunIsRecordedAsFailed()
    {
        // Statistics of another model: the L²QER pipeline stops on a layer they do not cover.
        QTemporaryDir dir;
        const QString stats = dir.filePath(QStringLiteral("tiny.stats"));
        Result cal
            = run({QStringLiteral("calibrate"), sharedPath(QStringLiteral("models/stories260K-hf")),
                   QStringLiteral("--tokenizer"), sharedPath(QStringLiteral("models/stories260K/tok512.bin")),
                   QStringLiteral("--text"), calib(), QStringLiteral("--samples"), QStringLiteral("2"),
                   QStringLiteral("--seq-len"), QStringLiteral("64"), QStringLiteral("-o"), stats});
        QVERIFY2(cal.code == 0, qPrintable(cal.err));
        const QString db = dir.filePath(QStringLiteral("f.db"));
        Result r
            = run({QStringLiteral("analyze"), model(), QStringLiteral("--method"), QStringLiteral("l2qer"),
                   QStringLiteral("--stats"), stats, QStringLiteral("--db"), db});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("missing from the calibration statistics")),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains(
                     QStringLiteral("recorded run 1 in session 'lqs-llama-13m' (%1) as failed").arg(db)),
                 qPrintable(r.err));
        auto store = openStore(db);
        QVERIFY(store);
        auto run1 = store->run(1);
        QVERIFY(run1);
        QCOMPARE(run1->status, RunStatus::Failed);
        QCOMPARE(run1->expectedLayers, 42);
        QVERIFY(run1->layers.size() < 42);
        QVERIFY2(run1->error.contains(QStringLiteral("missing from the calibration statistics")),
                 qPrintable(run1->error));
    }

    void noRecordLeavesStoreUntouched()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("existing.db"));
        Result first = run({QStringLiteral("analyze"), model(), QStringLiteral("--layers"),
                            QStringLiteral("layers\\.0\\.self_attn\\.v_proj"), QStringLiteral("--method"),
                            QStringLiteral("lqer"), QStringLiteral("--db"), db});
        QVERIFY2(first.code == 0, qPrintable(first.err));
        const QStringList before = QDir(dir.path()).entryList(QDir::Files, QDir::Name);
        const QByteArray bytes = fileBytes(db);
        QVERIFY(!bytes.isEmpty());

        // Through the environment (the default store) and with --db: neither is opened.
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("LQER_SESSIONS_DB"), db);
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(lqerBinary(),
                {QStringLiteral("analyze"), model(), QStringLiteral("--layers"),
                 QStringLiteral("layers\\.0\\.self_attn\\.v_proj"), QStringLiteral("--method"),
                 QStringLiteral("lqer"), QStringLiteral("--no-record")});
        QVERIFY(p.waitForFinished(120000 * LQER_TIMEOUT_SCALE));
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(!QString::fromUtf8(p.readAllStandardError()).contains(QStringLiteral("recorded")));
        Result second
            = run({QStringLiteral("analyze"), model(), QStringLiteral("--layers"),
                   QStringLiteral("layers\\.0\\.self_attn\\.v_proj"), QStringLiteral("--method"),
                   QStringLiteral("lqer"), QStringLiteral("--no-record"), QStringLiteral("--db"), db});
        QVERIFY2(second.code == 0, qPrintable(second.err));
        QCOMPARE(fileBytes(db), bytes);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files, QDir::Name), before);
        auto store = openStore(db);
        QVERIFY(store);
        auto sessions = store->listSessions();
        QVERIFY(sessions);
        QCOMPARE(sessions->size(), 1);
        QCOMPARE(sessions->first().runCount, 1);
    }

    void unusableStoreFailsEarly_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("junk bytes") << QStringLiteral("junk");
        QTest::newRow("folder is a file") << QStringLiteral("not-a-folder");
        QTest::newRow("from a newer program") << QStringLiteral("newer");
    }

    void unusableStoreFailsEarly()
    {
        QFETCH(QString, kind);
        QTemporaryDir dir;
        QString db;
        QByteArray junk;
        if (kind == QLatin1String("junk")) {
            db = dir.filePath(QStringLiteral("sessions.db"));
            for (int i = 0; i < 8192; ++i)
                junk.append(char((i * 7919 + 13) % 251));
            QFile f(db);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(junk);
        } else if (kind == QLatin1String("newer")) {
            // A real store, then marked as written by a future schema.
            db = dir.filePath(QStringLiteral("sessions.db"));
            Result made = run({QStringLiteral("analyze"), model(), QStringLiteral("--layers"),
                               QStringLiteral("layers\\.0\\.self_attn\\.v_proj"), QStringLiteral("--method"),
                               QStringLiteral("plain"), QStringLiteral("--db"), db});
            QVERIFY2(made.code == 0, qPrintable(made.err));
            {
                QSqlDatabase sql
                    = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("newer"));
                sql.setDatabaseName(db);
                QVERIFY(sql.open());
                QSqlQuery q(sql);
                QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = %1")
                                   .arg(SessionStore::currentSchemaVersion() + 7)));
                QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode = DELETE"))); // no -wal beside it
                q.finish();
                sql.close();
            }
            QSqlDatabase::removeDatabase(QStringLiteral("newer"));
            junk = fileBytes(db);
        } else {
            const QString file = dir.filePath(QStringLiteral("plain-file"));
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("x");
            db = file + QStringLiteral("/sub/sessions.db");
        }
        for (const QStringList &command :
             {QStringList {QStringLiteral("analyze"), model(), QStringLiteral("--method"),
                           QStringLiteral("lqer")},
              QStringList {QStringLiteral("eval"), model(), QStringLiteral("--text"), heldout(),
                           QStringLiteral("--windows"), QStringLiteral("1")},
              QStringList {QStringLiteral("quantize"), model(), QStringLiteral("--method"),
                           QStringLiteral("lqer")}}) {
            QElapsedTimer timer;
            timer.start();
            Result r = run(command + QStringList {QStringLiteral("--db"), db});
            QVERIFY(r.finished);
            QVERIFY2(r.code != 0, qPrintable(command.first()));
            QVERIFY2(r.err.trimmed().count(QLatin1Char('\n')) == 0,
                     qPrintable(r.err)); // one line, before any work
            QVERIFY2(r.err.contains(db), qPrintable(r.err));
            QVERIFY2(r.err.contains(QStringLiteral("--no-record")) && r.err.contains(QStringLiteral("--db")),
                     qPrintable(r.err));
            QVERIFY(r.out.isEmpty());
            if (kind == QLatin1String("newer"))
                QVERIFY2(r.err.contains(QStringLiteral("newer")), qPrintable(r.err));
            if (kind != QLatin1String("not-a-folder")) {
                QCOMPARE(fileBytes(db), junk);
                QCOMPARE(QDir(dir.path()).entryList(QDir::Files),
                         QStringList {QStringLiteral("sessions.db")});
            }
        }
    }

    void planOptionsAreTheSameInEveryModelCommand()
    {
        const QStringList shared {QStringLiteral("--preset"),
                                  QStringLiteral("--plan"),
                                  QStringLiteral("--method"),
                                  QStringLiteral("--rank"),
                                  QStringLiteral("--weight"),
                                  QStringLiteral("--act"),
                                  QStringLiteral("--low-rank"),
                                  QStringLiteral("--svd"),
                                  QStringLiteral("--attention-matmuls"),
                                  QStringLiteral("--samples"),
                                  QStringLiteral("--calib-seq-len"),
                                  QStringLiteral("--calib"),
                                  QStringLiteral("--stats"),
                                  QStringLiteral("--threads")};
        QString firstHelpLine;
        for (const QString &c :
             {QStringLiteral("analyze"), QStringLiteral("quantize"), QStringLiteral("eval"),
              QStringLiteral("export"), QStringLiteral("generate")}) {
            Result r = run({c, QStringLiteral("--help")});
            QCOMPARE(r.code, 0);
            for (const QString &o : shared)
                QVERIFY2(r.out.contains(QStringLiteral("  %1 ").arg(o)),
                         qPrintable(c + QLatin1Char(' ') + o));
            // One help text per option: the --method line reads the same in every command.
            const QRegularExpression method(QStringLiteral("^ *--method <M> +(.*)$"),
                                            QRegularExpression::MultilineOption);
            const QString line = method.match(r.out).captured(1);
            QVERIFY2(!line.isEmpty(), qPrintable(r.out));
            if (firstHelpLine.isEmpty())
                firstHelpLine = line;
            QCOMPARE(line, firstHelpLine);
        }
    }

    void planOptionsFollowOneRule()
    {
        // A plan file with an override: q_proj at 8-bit weights, rank 8.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString q = QStringLiteral("model.layers.0.self_attn.q_proj.weight");
        QJsonObject layer {{QStringLiteral("weight"), QStringLiteral("mxint8")}, {QStringLiteral("rank"), 8}};
        QJsonObject plan {
            {QStringLiteral("format"), QStringLiteral("lqer-plan-1")},
            {QStringLiteral("defaults"), QJsonObject {{QStringLiteral("method"), QStringLiteral("lqer")}}},
            {QStringLiteral("layers"), QJsonObject {{q, layer}}}};
        const QString planPath = dir.filePath(QStringLiteral("plan.json"));
        QFile f(planPath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(plan).toJson());
        f.close();

        const QStringList analyze {
            QStringLiteral("analyze"),  model(),
            QStringLiteral("--layers"), QStringLiteral("layers\\.0\\.self_attn\\.(q|k)_proj"),
            QStringLiteral("--json"),   QStringLiteral("--no-record")};
        // --rank replaces the rank of the defaults and of the override; the override keeps its weights.
        Result r = run(analyze
                       + QStringList {QStringLiteral("--plan"), planPath, QStringLiteral("--rank"),
                                      QStringLiteral("16")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonObject root = QJsonDocument::fromJson(r.out.toUtf8()).object();
        const QJsonArray layers = root.value(QStringLiteral("layers")).toArray();
        QCOMPARE(layers.size(), 2);
        for (const QJsonValue &v : layers) {
            const QJsonObject l = v.toObject();
            QCOMPARE(l.value(QStringLiteral("rank")).toInt(), 16);
            QCOMPARE(l.value(QStringLiteral("method")).toString(), QStringLiteral("lqer"));
            // NUMERICS §8: w + 8/16 bits for Wq (w = 8 on the override, 4 elsewhere), k (m + n) (8 + 8/16)
            // / (m n) for A and B.
            const double m = l.value(QStringLiteral("in")).toDouble(),
                         n = l.value(QStringLiteral("out")).toDouble();
            const double w = l.value(QStringLiteral("layer")).toString() == q ? 8 : 4;
            const double bits = w + 8.0 / 16.0 + 16.0 * (m + n) * (8.0 + 8.0 / 16.0) / (m * n);
            QVERIFY2(
                std::abs(l.value(QStringLiteral("bits_per_weight")).toDouble() - bits) < 1e-9,
                qPrintable(QString::number(l.value(QStringLiteral("bits_per_weight")).toDouble(), 'g', 10)));
        }
        // A low-rank method on a plain preset gets rank 32; plain has rank 0 whatever --rank says.
        Result lq = run(analyze
                        + QStringList {QStringLiteral("--preset"), QStringLiteral("plain-w4a8"),
                                       QStringLiteral("--method"), QStringLiteral("lqer")});
        QVERIFY2(lq.code == 0, qPrintable(lq.err));
        const QJsonObject lqRoot = QJsonDocument::fromJson(lq.out.toUtf8()).object();
        QCOMPARE(lqRoot.value(QStringLiteral("layers"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("rank"))
                     .toInt(),
                 32);
        QVERIFY(!lqRoot.value(QStringLiteral("plan")).toObject().contains(QStringLiteral("preset")));
        Result plain = run(analyze
                           + QStringList {QStringLiteral("--method"), QStringLiteral("plain"),
                                          QStringLiteral("--rank"), QStringLiteral("16")});
        QVERIFY2(plain.code == 0, qPrintable(plain.err));
        QCOMPARE(QJsonDocument::fromJson(plain.out.toUtf8())
                     .object()
                     .value(QStringLiteral("layers"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("rank"))
                     .toInt(),
                 0);
        // A preset and a plan file are exclusive, in every command, before any work.
        const QStringList both {QStringLiteral("--preset"), QStringLiteral("w4a6"), QStringLiteral("--plan"),
                                planPath};
        for (const QStringList &command :
             {QStringList {QStringLiteral("analyze"), model(), QStringLiteral("--no-record")},
              QStringList {QStringLiteral("quantize"), model(), QStringLiteral("--no-record")},
              QStringList {QStringLiteral("eval"), model(), QStringLiteral("--text"), heldout(),
                           QStringLiteral("--no-record")},
              QStringList {QStringLiteral("export"), model(), QStringLiteral("-o"),
                           dir.filePath(QStringLiteral("out"))},
              QStringList {QStringLiteral("generate"), model()}}) {
            Result r = run(command + both);
            QCOMPARE(r.code, 1);
            QCOMPARE(messageLines(r.err).size(), 1);
            QVERIFY2(r.err.contains(QStringLiteral("--preset and --plan are exclusive")), qPrintable(r.err));
            QVERIFY(r.out.isEmpty());
        }
    }

    void pathsArePrintedAsGiven()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString relativeModel = QDir(dir.path()).relativeFilePath(model());
        QVERIFY(QDir::isRelativePath(relativeModel));
        Result inspect = run({QStringLiteral("inspect"), relativeModel}, 120000, dir.path());
        QVERIFY2(inspect.code == 0, qPrintable(inspect.err));
        QCOMPARE(inspect.out.section(QLatin1Char('\n'), 0, 0), relativeModel);

        Result q = run({QStringLiteral("quantize"), relativeModel, QStringLiteral("--method"),
                        QStringLiteral("plain"), QStringLiteral("--db"), QStringLiteral("runs.db")},
                       120000, dir.path());
        QVERIFY2(q.code == 0, qPrintable(q.err));
        QVERIFY2(q.out.startsWith(
                     QStringLiteral("model    %1 (llama, 42 quantizable linears)").arg(relativeModel)),
                 qPrintable(q.out));
        QVERIFY2(q.err.contains(QStringLiteral("recorded run 1 in session 'lqs-llama-13m' (runs.db)")),
                 qPrintable(q.err));
        QVERIFY(!q.out.contains(dir.path()) && !q.err.contains(dir.path()));
    }

    void quantizeRecordsRunWithPerplexities()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("q.db"));
        Result r
            = run({QStringLiteral("quantize"), model(), QStringLiteral("--method"), QStringLiteral("lqer"),
                   QStringLiteral("--eval"), heldout(), QStringLiteral("--windows"), QStringLiteral("2"),
                   QStringLiteral("--spectrum-count"), QStringLiteral("8"), QStringLiteral("--session"),
                   QStringLiteral("q"), QStringLiteral("--db"), db});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("recorded run 1 in session 'q'")), qPrintable(r.err));
        // The table's perplexities are the recorded ones.
        const QRegularExpression fpRow(QStringLiteral("^FP32 +([0-9.]+)"),
                                       QRegularExpression::MultilineOption);
        const QRegularExpression lqerRow(QStringLiteral("^LQER +([0-9.]+)"),
                                         QRegularExpression::MultilineOption);
        const auto fp = fpRow.match(r.out), lq = lqerRow.match(r.out);
        QVERIFY2(fp.hasMatch() && lq.hasMatch(), qPrintable(r.out));
        auto store = openStore(db);
        QVERIFY(store);
        auto run1 = store->run(1);
        QVERIFY(run1);
        QCOMPARE(run1->kind, QStringLiteral("quantize"));
        QCOMPARE(run1->status, RunStatus::Complete);
        QCOMPARE(run1->plan.defaults.method, Method::Lqer);
        QCOMPARE(run1->expectedLayers, 42);
        QCOMPARE(run1->layers.size(), 42);
        QCOMPARE(int(run1->layers.first().svError.size()), 8);
        QCOMPARE(run1->perplexities.size(), 2);
        QCOMPARE(run1->perplexities.at(0).label, QStringLiteral("fp32"));
        QCOMPARE(run1->perplexities.at(1).label, QStringLiteral("lqer"));
        QCOMPARE(QString::number(run1->perplexities.at(0).perplexity, 'f', 4), fp.captured(1));
        QCOMPARE(QString::number(run1->perplexities.at(1).perplexity, 'f', 4), lq.captured(1));
        QCOMPARE(run1->perplexities.at(1).windowLength, 512);
        QCOMPARE(run1->perplexities.at(1).tokens, qint64(2 * 511));
        QVERIFY(run1->perplexities.at(1).perplexity > run1->perplexities.at(0).perplexity);
        QCOMPARE(QFileInfo(run1->perplexities.at(1).textPath).canonicalFilePath(),
                 QFileInfo(heldout()).canonicalFilePath());
        // Every perplexity has its σ; the quantized one its comparison with FP32.
        QVERIFY(run1->perplexities.at(0).perplexityError > 0);
        QVERIFY(!run1->perplexities.at(0).kl.measured);
        const KlStats &kl = run1->perplexities.at(1).kl;
        QVERIFY(kl.measured && kl.meanKl > 0 && kl.top1 < 1 && kl.tokens == 2 * 511);
        QCOMPARE(kl.basePerplexity, run1->perplexities.at(0).perplexity);
    }

    // --save-logits keeps the FP32 distributions, --kl-base compares a quantized model with them
    // (the same figures as computing FP32 in the run); other windows are refused.
    void klBaseIsReused()
    {
        QTemporaryDir dir;
        const QString logits = dir.filePath(QStringLiteral("fp32.logits"));
        const QStringList windows {QStringLiteral("--text"), heldout(), QStringLiteral("--windows"),
                                   QStringLiteral("2"), QStringLiteral("--no-record")};
        Result fp = run(QStringList {QStringLiteral("eval"), model(), QStringLiteral("--save-logits"), logits}
                        + windows);
        QVERIFY2(fp.code == 0, qPrintable(fp.err));
        QVERIFY2(fp.out.contains(QStringLiteral(" ± ")), qPrintable(fp.out));
        QVERIFY(QFileInfo(logits).size() > 2 * 511 * 8192 * 2);
        const QStringList plain {QStringLiteral("eval"), model(), QStringLiteral("--preset"),
                                 QStringLiteral("plain-w4a8")};
        Result reused = run(plain + windows + QStringList {QStringLiteral("--kl-base"), logits});
        QVERIFY2(reused.code == 0, qPrintable(reused.err));
        Result fresh = run(plain + windows);
        QVERIFY2(fresh.code == 0, qPrintable(fresh.err));
        const QRegularExpression klLine(QStringLiteral("^KL +mean ([0-9.]+)"),
                                        QRegularExpression::MultilineOption);
        const auto a = klLine.match(reused.out), b = klLine.match(fresh.out);
        QVERIFY2(a.hasMatch() && b.hasMatch(), qPrintable(reused.out + fresh.out));
        QCOMPARE(a.captured(1), b.captured(1));
        QVERIFY(a.captured(1).toDouble() > 0);
        QVERIFY(reused.out.contains(QStringLiteral("top-1")));
        Result other = run(QStringList {QStringLiteral("eval"), model(), QStringLiteral("--kl-base"), logits,
                                        QStringLiteral("--text"), heldout(), QStringLiteral("--windows"),
                                        QStringLiteral("1"), QStringLiteral("--no-record")});
        QCOMPARE(other.code, 1);
        QVERIFY2(other.err.contains(logits) && other.err.contains(QStringLiteral("2 windows")),
                 qPrintable(other.err));
        Result notLogits = run(plain + windows + QStringList {QStringLiteral("--kl-base"), heldout()});
        QCOMPARE(notLogits.code, 1);
        QVERIFY2(notLogits.err.contains(QStringLiteral("not a logits file")), qPrintable(notLogits.err));
    }

    // lqer allocate writes a plan within the budget that eval (and every plan reader) loads.
    void allocatePlanLoadsEverywhere()
    {
        QTemporaryDir dir;
        const QString plan = dir.filePath(QStringLiteral("plan.json"));
        const QStringList common {
            QStringLiteral("allocate"),  model(),
            QStringLiteral("--formats"), QStringLiteral("mxint3_e8_b16,mxint4_e8_b16,mxint6_e8_b16"),
            QStringLiteral("--ranks"),   QStringLiteral("0,16"),
            QStringLiteral("--calib"),   calib(),
            QStringLiteral("--samples"), QStringLiteral("4")};
        Result a = run(
            common
            + QStringList {QStringLiteral("--budget"), QStringLiteral("4.75"), QStringLiteral("-o"), plan});
        QVERIFY2(a.code == 0, qPrintable(a.err));
        QVERIFY2(a.out.contains(QStringLiteral("best uniform")), qPrintable(a.out));
        const QJsonObject json = QJsonDocument::fromJson(fileBytes(plan)).object();
        const QJsonObject alloc = json.value(QStringLiteral("allocation")).toObject();
        QVERIFY(alloc.value(QStringLiteral("average_bits")).toDouble() <= 4.75 + 1e-9);
        QCOMPARE(alloc.value(QStringLiteral("layers")).toArray().size(), 42);
        Result e = run({QStringLiteral("eval"), model(), QStringLiteral("--plan"), plan,
                        QStringLiteral("--calib"), calib(), QStringLiteral("--samples"), QStringLiteral("4"),
                        QStringLiteral("--text"), heldout(), QStringLiteral("--windows"), QStringLiteral("1"),
                        QStringLiteral("--no-kl"), QStringLiteral("--no-record")});
        QVERIFY2(e.code == 0, qPrintable(e.err));
        const QRegularExpression bits(QStringLiteral("42 layers, ([0-9.]+) bits/weight"));
        const auto m = bits.match(e.out);
        QVERIFY2(m.hasMatch(), qPrintable(e.out));
        QCOMPARE(m.captured(1),
                 QString::number(alloc.value(QStringLiteral("average_bits")).toDouble(), 'f', 3));
        Result bad = run(common + QStringList {QStringLiteral("--budget"), QStringLiteral("lots")});
        QCOMPARE(bad.code, 1);
        QVERIFY2(bad.err.contains(QStringLiteral("budget 'lots'")), qPrintable(bad.err));
        Result low = run(common + QStringList {QStringLiteral("--budget"), QStringLiteral("2")});
        QCOMPARE(low.code, 1);
        QVERIFY2(low.err.contains(QStringLiteral("below the cheapest")), qPrintable(low.err));
    }

    void interruptClosesRunAsCancelled()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("c.db"));
        QProcess p;
        p.setProcessEnvironment(environment());
        // ~400 windows: minutes unless interrupted.
        p.start(lqerBinary(),
                {QStringLiteral("eval"), model(), QStringLiteral("--text"), heldout(), QStringLiteral("--db"),
                 db});
        QVERIFY(p.waitForStarted(10000));
        QString err;
        QElapsedTimer timer;
        timer.start();
        while (!err.contains(QStringLiteral("evaluating:")) && timer.elapsed() < 60000 * LQER_TIMEOUT_SCALE
               && p.state() == QProcess::Running) {
            p.waitForReadyRead(200);
            err += QString::fromUtf8(p.readAllStandardError());
        }
        QVERIFY2(err.contains(QStringLiteral("evaluating:")), qPrintable(err));
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(60000 * LQER_TIMEOUT_SCALE));
        err += QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 130);
        QVERIFY2(err.contains(QStringLiteral("lqer: error: cancelled")), qPrintable(err));
        QVERIFY2(err.contains(
                     QStringLiteral("recorded run 1 in session 'lqs-llama-13m' (%1) as cancelled").arg(db)),
                 qPrintable(err));
        auto store = openStore(db);
        QVERIFY(store);
        auto run1 = store->run(1);
        QVERIFY(run1);
        QCOMPARE(run1->kind, QStringLiteral("eval"));
        QCOMPARE(run1->status, RunStatus::Cancelled);
        QVERIFY(run1->perplexities.isEmpty());
        QVERIFY(!run1->plan.defaults.quantize); // an FP32 evaluation
    }

    void packedExportEvaluatesLikeInMemory()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("e.db"));
        const QString packed = dir.filePath(QStringLiteral("packed"));
        Result exp = run({QStringLiteral("export"), model(), QStringLiteral("--preset"),
                          QStringLiteral("paper-w4a8"), QStringLiteral("--calib"), calib(),
                          QStringLiteral("--samples"), QStringLiteral("8"), QStringLiteral("--format"),
                          QStringLiteral("packed"), QStringLiteral("-o"), packed});
        QVERIFY2(exp.code == 0, qPrintable(exp.err));
        QVERIFY(QFileInfo::exists(QDir(packed).filePath(QStringLiteral("tokenizer.json"))));

        Result fromPacked
            = run({QStringLiteral("eval"), packed, QStringLiteral("--text"), heldout(),
                   QStringLiteral("--windows"), QStringLiteral("4"), QStringLiteral("--db"), db});
        QVERIFY2(fromPacked.code == 0, qPrintable(fromPacked.err));
        QVERIFY2(fromPacked.out.contains(QStringLiteral("packed LQER checkpoint, paper-w4a8, 42 layers")),
                 qPrintable(fromPacked.out));
        QVERIFY2(fromPacked.err.contains(QStringLiteral("recorded run 1 in session 'packed'")),
                 qPrintable(fromPacked.err));
        Result inMemory
            = run({QStringLiteral("eval"), model(), QStringLiteral("--preset"), QStringLiteral("paper-w4a8"),
                   QStringLiteral("--calib"), calib(), QStringLiteral("--samples"), QStringLiteral("8"),
                   QStringLiteral("--text"), heldout(), QStringLiteral("--windows"), QStringLiteral("4"),
                   QStringLiteral("--db"), db});
        QVERIFY2(inMemory.code == 0, qPrintable(inMemory.err));
        QVERIFY2(inMemory.err.contains(QStringLiteral("recorded run 2 in session 'lqs-llama-13m'")),
                 qPrintable(inMemory.err));

        const QRegularExpression ppl(QStringLiteral("^perplexity +(\\S+) ± (\\S+) \\(mean NLL (\\S+)\\)"),
                                     QRegularExpression::MultilineOption);
        const auto a = ppl.match(fromPacked.out), b = ppl.match(inMemory.out);
        QVERIFY(a.hasMatch() && b.hasMatch());
        QCOMPARE(a.captured(0), b.captured(0));

        auto store = openStore(db);
        QVERIFY(store);
        auto packedRun = store->run(1);
        auto memoryRun = store->run(2);
        QVERIFY(packedRun && memoryRun);
        QCOMPARE(packedRun->kind, QStringLiteral("eval"));
        QCOMPARE(memoryRun->layers.size(), 42);
        QCOMPARE(packedRun->perplexities.size(), 1);
        // The in-memory run also carries its FP32 reference (the packed one has no FP32 weights).
        QCOMPARE(memoryRun->perplexities.size(), 2);
        QCOMPARE(memoryRun->perplexities.first().label, QStringLiteral("fp32"));
        QVERIFY(memoryRun->perplexities.last().kl.measured);
        const PerplexityRecord &x = packedRun->perplexities.first(), &y = memoryRun->perplexities.last();
        QCOMPARE(x.label, QStringLiteral("l2qer"));
        QCOMPARE(x.label, y.label);
        QCOMPARE(x.tokens, qint64(4 * 511));
        QCOMPARE(x.tokens, y.tokens);
        // The same codes decoded: bit-identical, not merely close.
        QCOMPARE(x.nll, y.nll);
        QCOMPARE(x.perplexity, y.perplexity);
        // Compared with FP32 on the same windows, the quantized model is a little worse.
        Result fp = run({QStringLiteral("eval"), model(), QStringLiteral("--text"), heldout(),
                         QStringLiteral("--windows"), QStringLiteral("4"), QStringLiteral("--no-record")});
        QVERIFY2(fp.code == 0, qPrintable(fp.err));
        const auto c = ppl.match(fp.out);
        QVERIFY(c.hasMatch());
        QVERIFY(c.captured(1).toDouble() < x.perplexity);

        // A packed checkpoint is already quantized: a plan makes no sense.
        Result twice
            = run({QStringLiteral("eval"), packed, QStringLiteral("--text"), heldout(),
                   QStringLiteral("--preset"), QStringLiteral("paper-w4a8"), QStringLiteral("--no-record")});
        QVERIFY(twice.code != 0);
        QVERIFY2(twice.err.contains(packed) && twice.err.contains(QStringLiteral("already quantized")),
                 qPrintable(twice.err));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
