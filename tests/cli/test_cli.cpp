// The `lqer` command line, run as a user runs it (QProcess on the built binary of this build
// folder, LQER_BIN_DIR): help and usage, errors on bad input (one line naming the file), the
// analyze JSON against GOLDEN.md, recording of analyze/quantize/eval runs in the session store,
// a corrupt store left untouched, Ctrl-C closing a run as cancelled, and a packed
// export evaluated without the original weights giving the in-memory perplexity; and the rows
// of the bad-input catalogue of docs/RELIABILITY.md (catalogue*: the message and exit code each
// row documents, SIGKILL during export and session writes, Ctrl-C at every stage of quantize).
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
#include <cstring>
#include <functional>
#include <limits>
#include <memory>

#include <sys/resource.h>

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

    // An export run's details name the format and folder, and every file with its size on disk.
    static void checkExportDetails(const QJsonObject &details, const QString &format, const QString &dir)
    {
        QCOMPARE(details.value(QStringLiteral("format")).toString(), format);
        QCOMPARE(details.value(QStringLiteral("outputDir")).toString(),
                 QDir::cleanPath(QFileInfo(dir).absoluteFilePath()));
        const QJsonArray files = details.value(QStringLiteral("files")).toArray();
        QVERIFY(!files.isEmpty());
        qint64 total = 0;
        for (const QJsonValue &f : files) {
            const QString name = f.toObject().value(QStringLiteral("name")).toString();
            const qint64 bytes = qint64(f.toObject().value(QStringLiteral("bytes")).toDouble());
            QVERIFY2(QFileInfo::exists(QDir(dir).filePath(name)), qPrintable(name));
            QCOMPARE(bytes, QFileInfo(QDir(dir).filePath(name)).size());
            QVERIFY(bytes > 0);
            total += bytes;
        }
        QCOMPARE(qint64(details.value(QStringLiteral("totalBytes")).toDouble()), total);
        const double bits = details.value(QStringLiteral("bitsPerWeight")).toDouble();
        QVERIFY2(bits > 0 && bits <= 32, qPrintable(QString::number(bits)));
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
    // lqer synth writes a folder the other commands open; bad options name themselves.
    void synthWritesACheckpoint()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("opt-small"));
        const QStringList small {QStringLiteral("--layers"),       QStringLiteral("2"),
                                 QStringLiteral("--hidden"),       QStringLiteral("64"),
                                 QStringLiteral("--intermediate"), QStringLiteral("128"),
                                 QStringLiteral("--vocab"),        QStringLiteral("300"),
                                 QStringLiteral("--heads"),        QStringLiteral("4")};
        Result w = run(QStringList {QStringLiteral("synth"), QStringLiteral("--shape"),
                                    QStringLiteral("opt-1.3b"), QStringLiteral("-o"), out}
                       + small);
        QVERIFY2(w.code == 0, qPrintable(w.err));
        QVERIFY2(w.out.contains(QStringLiteral("opt-1.3b (opt): hidden 64, intermediate 128, 2 layers")),
                 qPrintable(w.out));
        Result i = run({QStringLiteral("inspect"), out});
        QVERIFY2(i.code == 0, qPrintable(i.err));
        QVERIFY2(i.out.contains(QStringLiteral("12 quantizable linears")), qPrintable(i.out));
        Result again = run(QStringList {QStringLiteral("synth"), QStringLiteral("--shape"),
                                        QStringLiteral("opt-1.3b"), QStringLiteral("-o"), out}
                           + small);
        QCOMPARE(again.code, 1);
        QVERIFY2(again.err.contains(QStringLiteral("not empty")), qPrintable(again.err));
        Result bad = run({QStringLiteral("synth"), QStringLiteral("--shape"), QStringLiteral("gpt-5"),
                          QStringLiteral("-o"), dir.filePath(QStringLiteral("x"))});
        QCOMPARE(bad.code, 1);
        QVERIFY2(bad.err.contains(QStringLiteral("unknown shape 'gpt-5'")), qPrintable(bad.err));
        Result heads = run({QStringLiteral("synth"), QStringLiteral("--shape"), QStringLiteral("llama-7b"),
                            QStringLiteral("--hidden"), QStringLiteral("100"), QStringLiteral("--heads"),
                            QStringLiteral("3"), QStringLiteral("-o"), dir.filePath(QStringLiteral("y"))});
        QCOMPARE(heads.code, 1);
        QVERIFY2(heads.err.contains(QStringLiteral("--hidden 100")), qPrintable(heads.err));
    }

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
        // 42 layers x 6 candidates: the exact search proves the plan optimal; the file says so.
        QVERIFY2(a.out.contains(QStringLiteral("optimal among the candidates")), qPrintable(a.out));
        const QJsonObject json = QJsonDocument::fromJson(fileBytes(plan)).object();
        const QJsonObject alloc = json.value(QStringLiteral("allocation")).toObject();
        QVERIFY(alloc.value(QStringLiteral("average_bits")).toDouble() <= 4.75 + 1e-9);
        QVERIFY(alloc.value(QStringLiteral("optimal")).toBool());
        QVERIFY(alloc.value(QStringLiteral("lower_bound")).toDouble()
                <= alloc.value(QStringLiteral("loss")).toDouble());
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
        Result limit = run(common
                           + QStringList {QStringLiteral("--budget"), QStringLiteral("4.75"),
                                          QStringLiteral("--search-limit"), QStringLiteral("-3")});
        QCOMPARE(limit.code, 1);
        QVERIFY2(limit.err.contains(QStringLiteral("--search-limit")), qPrintable(limit.err));
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
        const QString exportDb = dir.filePath(QStringLiteral("export.db"));
        Result exp
            = run({QStringLiteral("export"), model(), QStringLiteral("--preset"),
                   QStringLiteral("paper-w4a8"), QStringLiteral("--calib"), calib(),
                   QStringLiteral("--samples"), QStringLiteral("8"), QStringLiteral("--format"),
                   QStringLiteral("packed"), QStringLiteral("-o"), packed, QStringLiteral("--db"), exportDb});
        QVERIFY2(exp.code == 0, qPrintable(exp.err));
        QVERIFY(QFileInfo::exists(QDir(packed).filePath(QStringLiteral("tokenizer.json"))));
        QVERIFY2(exp.err.contains(QStringLiteral("recorded run 1 in session 'lqs-llama-13m'")),
                 qPrintable(exp.err));
        {
            auto exportStore = openStore(exportDb);
            QVERIFY(exportStore);
            auto exported = exportStore->run(1);
            QVERIFY2(exported, qPrintable(exported.error()));
            QCOMPARE(exported->kind, QStringLiteral("export"));
            QCOMPARE(exported->status, RunStatus::Complete);
            QCOMPARE(exported->plan.preset, QStringLiteral("paper-w4a8"));
            checkExportDetails(exported->details, QStringLiteral("packed"), packed);
            QCOMPARE(exported->details.value(QStringLiteral("quantizedLayers")).toInt(), 42);
            QVERIFY(exported->details.value(QStringLiteral("fileBitsPerWeight")).toDouble() > 4.0);
        }

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

private:
    // ---- The bad-input catalogue (docs/RELIABILITY.md): what the user sees, per row. ----

    // One command on bad input: exit code 1 and one message line "lqer: error: ..." holding
    // every piece of `expected`.
    void expectOneError(const Result &r, const QStringList &expected)
    {
        QVERIFY2(r.finished, "the command did not finish");
        QVERIFY2(r.code == 1, qPrintable(QStringLiteral("exit code %1: %2").arg(r.code).arg(r.err)));
        const QStringList lines = messageLines(r.err);
        QVERIFY2(lines.size() == 1, qPrintable(r.err));
        QVERIFY2(lines.first().startsWith(QStringLiteral("lqer: error: ")), qPrintable(r.err));
        for (const QString &piece : expected)
            QVERIFY2(lines.first().contains(piece),
                     qPrintable(lines.first() + QStringLiteral(" / expected: ") + piece));
    }

    QString tinyModel() const { return sharedPath(QStringLiteral("models/stories260K-hf")); }
    QString tinyTokenizer() const { return sharedPath(QStringLiteral("models/stories260K/tok512.bin")); }

    static QStringList words(const char *line)
    {
        return QString::fromUtf8(line).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    }

    // Everything in `folder`, hidden entries included.
    static QStringList entries(const QString &folder)
    {
        return QDir(folder).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
    }

    static bool writeBytes(const QString &path, const QByteArray &bytes)
    {
        QFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
    }

    // A copy of stories260K-hf in `folder` whose safetensors header, data or config.json were
    // changed by `edit` (header JSON, data section, config JSON).
    bool badCopy(const QString &folder,
                 const std::function<void(QJsonObject &, QByteArray &, QJsonObject &)> &edit,
                 qsizetype keepBytes = -1)
    {
        const QByteArray raw = fileBytes(QDir(tinyModel()).filePath(QStringLiteral("model.safetensors")));
        if (raw.size() < 8 || !QDir().mkpath(folder))
            return false;
        quint64 n = 0;
        for (int i = 7; i >= 0; --i)
            n = (n << 8) | uchar(raw.at(i));
        QJsonObject header = QJsonDocument::fromJson(raw.mid(8, qsizetype(n))).object();
        QByteArray data = raw.mid(8 + qsizetype(n));
        QJsonObject config
            = QJsonDocument::fromJson(fileBytes(QDir(tinyModel()).filePath(QStringLiteral("config.json"))))
                  .object();
        edit(header, data, config);
        QByteArray h = QJsonDocument(header).toJson(QJsonDocument::Compact);
        QByteArray out(8, '\0');
        for (int i = 0; i < 8; ++i)
            out[i] = char((quint64(h.size()) >> (8 * i)) & 0xff);
        out += h + data;
        if (keepBytes >= 0)
            out.truncate(keepBytes);
        return writeBytes(QDir(folder).filePath(QStringLiteral("model.safetensors")), out)
            && writeBytes(QDir(folder).filePath(QStringLiteral("config.json")),
                          QJsonDocument(config).toJson());
    }

    static void setOffsets(QJsonObject &header, const QString &tensor, qint64 begin, qint64 end)
    {
        QJsonObject t = header.value(tensor).toObject();
        t.insert(QStringLiteral("data_offsets"), QJsonArray {double(begin), double(end)});
        header.insert(tensor, t);
    }

    static qint64 offsetOf(const QJsonObject &header, const QString &tensor)
    {
        return qint64(
            header.value(tensor).toObject().value(QStringLiteral("data_offsets")).toArray().at(0).toDouble());
    }

private slots:
    void exportsAreRecordedAsRuns()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("x.db"));
        const QString gguf = dir.filePath(QStringLiteral("gguf")),
                      peft = dir.filePath(QStringLiteral("peft"));
        const QStringList plan {
            QStringLiteral("--weight"),  QStringLiteral("q8_0"),     QStringLiteral("--act"),
            QStringLiteral("none"),      QStringLiteral("--method"), QStringLiteral("lqer"),
            QStringLiteral("--rank"),    QStringLiteral("4"),        QStringLiteral("--low-rank"),
            QStringLiteral("f16"),       QStringLiteral("--db"),     db,
            QStringLiteral("--session"), QStringLiteral("tiny")};
        Result g = run(QStringList {QStringLiteral("export"), tinyModel(), QStringLiteral("--tokenizer"),
                                    tinyTokenizer(), QStringLiteral("--format"), QStringLiteral("gguf"),
                                    QStringLiteral("-o"), gguf}
                       + plan);
        QVERIFY2(g.code == 0, qPrintable(g.err));
        QVERIFY2(g.err.contains(QStringLiteral("recorded run 1 in session 'tiny'")), qPrintable(g.err));
        Result pe = run(QStringList {QStringLiteral("export"), tinyModel(), QStringLiteral("--format"),
                                     QStringLiteral("peft"), QStringLiteral("-o"), peft}
                        + plan);
        QVERIFY2(pe.code == 0, qPrintable(pe.err));
        QVERIFY2(pe.out.contains(QStringLiteral("PEFT base: f16 dequantized base, not GPTQ"))
                     && pe.out.contains(QStringLiteral("q8_0")),
                 qPrintable(pe.out));
        // Into the same non-empty folder without --force: refused, and the run says why.
        Result refused = run(QStringList {QStringLiteral("export"), tinyModel(), QStringLiteral("--format"),
                                          QStringLiteral("peft"), QStringLiteral("-o"), peft}
                             + plan);
        QCOMPARE(refused.code, 1);
        QVERIFY2(refused.err.contains(QStringLiteral("recorded run 3 in session 'tiny'"))
                     && refused.err.contains(QStringLiteral("as failed")),
                 qPrintable(refused.err));

        auto store = openStore(db);
        QVERIFY(store);
        auto runs = store->listRuns(1);
        QVERIFY2(runs && runs->size() == 3, runs ? "not 3 runs" : qPrintable(runs.error()));
        for (const RunRecord &r : *runs)
            QCOMPARE(r.kind, QStringLiteral("export"));
        QCOMPARE(runs->at(0).status, RunStatus::Complete);
        checkExportDetails(runs->at(0).details, QStringLiteral("gguf"), gguf);
        QStringList names;
        for (const QJsonValue &f : runs->at(0).details.value(QStringLiteral("files")).toArray())
            names << f.toObject().value(QStringLiteral("name")).toString();
        QVERIFY2(names.contains(QStringLiteral("model.gguf"))
                     && names.contains(QStringLiteral("lqer-lora.gguf")),
                 qPrintable(names.join(QLatin1Char(' '))));
        // q8_0 (8.5 bits) plus the f16 factors of rank 4.
        QVERIFY(runs->at(0).details.value(QStringLiteral("bitsPerWeight")).toDouble() > 8.5);
        QCOMPARE(runs->at(1).status, RunStatus::Complete);
        checkExportDetails(runs->at(1).details, QStringLiteral("peft"), peft);
        QVERIFY(
            QJsonDocument(runs->at(1).details).toJson().contains("lqer-adapter/adapter_model.safetensors"));
        QCOMPARE(runs->at(2).status, RunStatus::Failed);
        QVERIFY2(runs->at(2).error.contains(QStringLiteral("not empty")), qPrintable(runs->at(2).error));
        QVERIFY(runs->at(2).details.isEmpty());
    }

    // An int4_g128_sym plan's PEFT export has a GPTQ base; `lqer eval DIR --lora` reads it back
    // and gives the plan's own perplexity (activations unquantized, fp32 elsewhere).
    void gptqPeftExportEvaluates()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("gptq"));
        const QStringList common {QStringLiteral("--no-record"), QStringLiteral("--threads"),
                                  QStringLiteral("2")};
        const QStringList plan
            = words("--weight int4_g128_sym --act none --method lqer --rank 8 --low-rank f16");
        Result e = run(QStringList {QStringLiteral("export"), model(), QStringLiteral("--format"),
                                    QStringLiteral("peft"), QStringLiteral("--dtype"), QStringLiteral("fp32"),
                                    QStringLiteral("-o"), out}
                       + plan + common);
        QVERIFY2(e.code == 0, qPrintable(e.err));
        QVERIFY2(e.out.contains(QStringLiteral("PEFT base: GPTQ 4-bit base (group 128")), qPrintable(e.out));
        const QStringList windows = QStringList {QStringLiteral("--text"), heldout(),
                                                 QStringLiteral("--windows"), QStringLiteral("1")}
            + common;
        Result ours = run(QStringList {QStringLiteral("eval"), model()} + plan + windows);
        Result back = run(QStringList {QStringLiteral("eval"), out, QStringLiteral("--lora"),
                                       QDir(out).filePath(QStringLiteral("lqer-adapter"))}
                          + windows);
        QVERIFY2(ours.code == 0 && back.code == 0, qPrintable(ours.err + back.err));
        const QRegularExpression ppl(QStringLiteral("^perplexity\\s+(\\S+)"),
                                     QRegularExpression::MultilineOption);
        const QString a = ppl.match(ours.out).captured(1), b = ppl.match(back.out).captured(1);
        qInfo("lqer eval: the plan %s, its GPTQ PEFT export %s", qPrintable(a), qPrintable(b));
        QVERIFY2(!a.isEmpty() && a == b, qPrintable(ours.out + back.out));
    }

    void catalogueBadCheckpoints_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QStringList>("expected");
        const QString down = QStringLiteral("model.layers.0.mlp.down_proj.weight");
        QTest::newRow("truncated safetensors") << QStringLiteral("truncated")
                                               << QStringList {QStringLiteral("run past the data section"),
                                                               QStringLiteral("truncated or corrupt")};
        QTest::newRow("offsets past the end")
            << QStringLiteral("oversized") << QStringList {down, QStringLiteral("run past the data section")};
        QTest::newRow("overlapping tensors")
            << QStringLiteral("overlapping") << QStringList {QStringLiteral("overlap in the data section")};
        QTest::newRow("huge header length")
            << QStringLiteral("header")
            << QStringList {QStringLiteral("header length 1000000000000 exceeds")};
        QTest::newRow("unknown dtype") << QStringLiteral("dtype")
                                       << QStringList {QStringLiteral("model.layers.0.mlp.up_proj.weight"),
                                                       QStringLiteral("unknown dtype 'Q7'")};
        QTest::newRow("shape against config.json")
            << QStringLiteral("shape")
            << QStringList {QStringLiteral("model.layers.0.mlp.gate_proj.weight"),
                            QStringLiteral("has shape [172, 64], the configuration expects [160, 64]")};
        QTest::newRow("NaN weight") << QStringLiteral("nan")
                                    << QStringList {
                                           QStringLiteral("model.layers.2.self_attn.k_proj.weight"),
                                           QStringLiteral("NaN or Inf at element 5 (row 0, column 5)")};
        QTest::newRow("Inf weight") << QStringLiteral("inf")
                                    << QStringList {
                                           QStringLiteral("model.layers.3.mlp.up_proj.weight"),
                                           QStringLiteral("NaN or Inf at element 5 (row 0, column 5)")};
    }

    void catalogueBadCheckpoints()
    {
        QFETCH(QString, kind);
        QFETCH(QStringList, expected);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString folder = dir.filePath(QStringLiteral("bad"));
        const QString weights = QDir(folder).filePath(QStringLiteral("model.safetensors"));
        const auto poke = [](QByteArray &data, qint64 at, float value) {
            std::memcpy(data.data() + at, &value, sizeof value);
        };
        bool made = false;
        if (kind == QLatin1String("truncated")) {
            made = badCopy(
                folder, [](QJsonObject &, QByteArray &, QJsonObject &) {},
                fileBytes(QDir(tinyModel()).filePath(QStringLiteral("model.safetensors"))).size() / 2);
        } else if (kind == QLatin1String("header")) {
            made = badCopy(folder, [](QJsonObject &, QByteArray &, QJsonObject &) {});
            QByteArray raw = fileBytes(weights);
            quint64 n = 1000000000000ULL;
            for (int i = 0; i < 8; ++i)
                raw[i] = char((n >> (8 * i)) & 0xff);
            made = made && writeBytes(weights, raw);
        } else {
            made = badCopy(folder, [&](QJsonObject &h, QByteArray &data, QJsonObject &config) {
                const QString down = QStringLiteral("model.layers.0.mlp.down_proj.weight");
                const QString gate = QStringLiteral("model.layers.0.mlp.gate_proj.weight");
                if (kind == QLatin1String("oversized")) {
                    const qint64 begin = offsetOf(h, down);
                    setOffsets(h, down, begin, begin + 64 * 172 * 4 + data.size());
                } else if (kind == QLatin1String("overlapping")) {
                    const qint64 begin = offsetOf(h, gate) - 400;
                    setOffsets(h, gate, begin, begin + 172 * 64 * 4);
                } else if (kind == QLatin1String("dtype")) {
                    QJsonObject t = h.value(QStringLiteral("model.layers.0.mlp.up_proj.weight")).toObject();
                    t.insert(QStringLiteral("dtype"), QStringLiteral("Q7"));
                    h.insert(QStringLiteral("model.layers.0.mlp.up_proj.weight"), t);
                } else if (kind == QLatin1String("shape")) {
                    config.insert(QStringLiteral("intermediate_size"), 160);
                } else if (kind == QLatin1String("nan")) {
                    poke(data, offsetOf(h, QStringLiteral("model.layers.2.self_attn.k_proj.weight")) + 20,
                         std::numeric_limits<float>::quiet_NaN());
                } else if (kind == QLatin1String("inf")) {
                    poke(data, offsetOf(h, QStringLiteral("model.layers.3.mlp.up_proj.weight")) + 20,
                         std::numeric_limits<float>::infinity());
                }
            });
        }
        QVERIFY(made);
        // Checkpoint errors name the file (the shape error: the folder); weight errors the tensor.
        const QString named = kind == QLatin1String("shape")               ? folder
            : kind == QLatin1String("nan") || kind == QLatin1String("inf") ? QString()
                                                                           : weights;
        const QStringList command = kind == QLatin1String("shape")
            ? QStringList {QStringLiteral("eval"),        folder,
                           QStringLiteral("--tokenizer"), tinyTokenizer(),
                           QStringLiteral("--text"),      heldout(),
                           QStringLiteral("--windows"),   QStringLiteral("1"),
                           QStringLiteral("--no-record")}
            : QStringList {QStringLiteral("analyze"), folder, QStringLiteral("--method"),
                           QStringLiteral("lqer"), QStringLiteral("--no-record")};
        Result r = run(command, 60000);
        expectOneError(r, named.isEmpty() ? expected : expected + QStringList {named});
        QVERIFY(r.out.isEmpty());
    }

    void catalogueBadTexts_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("empty") << QByteArray() << QStringList {QStringLiteral("the text is empty")};
        QTest::newRow("only blanks") << QByteArray(" \n\n \t\n")
                                     << QStringList {QStringLiteral("the text is empty")};
        QTest::newRow("shorter than a window") << QByteArray("Once upon a time\n")
                                               << QStringList {QStringLiteral("tokens is shorter than one"),
                                                               QStringLiteral("window of 512 tokens")};
        QTest::newRow("invalid UTF-8 (Latin-1)")
            << QByteArray("A line.\nCaf\xe9 cr\xe8me\n")
            << QStringList {QStringLiteral("not UTF-8: invalid byte 0xe9 at byte 11 (line 2)")};
        QTest::newRow("truncated UTF-8 sequence")
            << QByteArray("ends in the middle \xe2\x82")
            << QStringList {QStringLiteral("not UTF-8: invalid byte 0xe2 at byte 19 (line 1)")};
        QTest::newRow("UTF-16 surrogate as UTF-8")
            << QByteArray("x\xed\xa0\x80y")
            << QStringList {QStringLiteral("not UTF-8: invalid byte 0xed at byte 1")};
    }

    void catalogueBadTexts()
    {
        QFETCH(QByteArray, text);
        QFETCH(QStringList, expected);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("bad text.txt"));
        QVERIFY(writeBytes(path, text));
        // As evaluation text, as calibration text of quantize and of calibrate: the same message.
        const QList<QStringList> commands {
            {QStringLiteral("eval"), model(), QStringLiteral("--text"), path, QStringLiteral("--windows"),
             QStringLiteral("1"), QStringLiteral("--no-record")},
            {QStringLiteral("quantize"), model(), QStringLiteral("--method"), QStringLiteral("l2qer"),
             QStringLiteral("--calib"), path, QStringLiteral("--no-record")},
            {QStringLiteral("calibrate"), model(), QStringLiteral("--text"), path, QStringLiteral("-o"),
             dir.filePath(QStringLiteral("x.stats"))}};
        for (const QStringList &command : commands) {
            Result r = run(command, 60000);
            expectOneError(r, expected + QStringList {path});
            QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("x.stats"))));
        }
        // A missing text: the same shape of message.
        Result missing = run({QStringLiteral("eval"), model(), QStringLiteral("--text"),
                              dir.filePath(QStringLiteral("nope.txt")), QStringLiteral("--no-record")});
        expectOneError(
            missing,
            {QStringLiteral("text file '%1' does not exist").arg(dir.filePath(QStringLiteral("nope.txt")))});
        Result folder = run({QStringLiteral("eval"), model(), QStringLiteral("--text"), dir.path(),
                             QStringLiteral("--no-record")});
        expectOneError(
            folder,
            {QStringLiteral("cannot open text file '%1': file to open is a directory").arg(dir.path())});
    }

    void catalogueTokenizerOfAnotherModel()
    {
        // Ids beyond the model's vocabulary: the first one, its position and the text are named.
        Result big = run({QStringLiteral("eval"), tinyModel(), QStringLiteral("--tokenizer"),
                          QDir(model()).filePath(QStringLiteral("tokenizer.json")), QStringLiteral("--text"),
                          heldout(), QStringLiteral("--windows"), QStringLiteral("1"),
                          QStringLiteral("--no-record")});
        expectOneError(big,
                       {heldout(),
                        QStringLiteral("stories260K-hf: token id 4607 at position 1 is outside the "
                                       "vocabulary (0..511)")});
        // A llama2.c tokenizer with fewer tokens than the model's vocabulary.
        Result small = run({QStringLiteral("eval"), model(), QStringLiteral("--tokenizer"), tinyTokenizer(),
                            QStringLiteral("--text"), heldout(), QStringLiteral("--windows"),
                            QStringLiteral("1"), QStringLiteral("--no-record")});
        expectOneError(
            small, {tinyTokenizer(), QStringLiteral("holds 512 tokens, the model's vocabulary has 8192")});
    }

    void catalogueBadFormatsAndRanks()
    {
        // Bit widths out of range: the option, the format and the valid range.
        const QList<QPair<QStringList, QString>> bad {
            {words("--weight mxint17"),
             QStringLiteral(
                 "--weight: number format 'mxint17': MXINT element width must be 2..8 bits, got 17")},
            {words("--weight mxint1"), QStringLiteral("MXINT element width must be 2..8 bits, got 1")},
            {words("--weight int0_g32_sym"),
             QStringLiteral("--weight: number format 'int0_g32_sym': INT width must be 2..16 bits, got 0")},
            {words("--weight int17_g32_sym"), QStringLiteral("INT width must be 2..16 bits, got 17")},
            {words("--weight mxint4_e8_b0"),
             QStringLiteral("--weight: number format 'mxint4_e8_b0': MXINT block size must be >= 1, got 0")},
            {words("--weight mxint4_e0_b16"),
             QStringLiteral("MXINT exponent width must be 1..8 bits, got 0")},
            {words("--act mxint99"), QStringLiteral("--act: number format 'mxint99'")},
            {words("--low-rank mxint9"), QStringLiteral("--low-rank: number format 'mxint9'")},
            {words("--rank -1"), QStringLiteral("--rank")}};
        for (const auto &[options, message] : bad) {
            Result r = run(QStringList {QStringLiteral("analyze"), tinyModel(), QStringLiteral("--method"),
                                        QStringLiteral("lqer"), QStringLiteral("--no-record")}
                           + options);
            expectOneError(r, {message});
        }
        // A rank above min(m, n) is min(m, n) (exact reconstruction, NUMERICS §4), shown as the
        // rank used; a block that does not divide the row ends in a shorter block (NUMERICS §2).
        Result rank
            = run({QStringLiteral("analyze"), tinyModel(), QStringLiteral("--method"), QStringLiteral("lqer"),
                   QStringLiteral("--rank"), QStringLiteral("100"), QStringLiteral("--weight"),
                   QStringLiteral("mxint4_e8_b48"), QStringLiteral("--json"), QStringLiteral("--no-record")});
        QVERIFY2(rank.code == 0, qPrintable(rank.err));
        const QJsonArray layers
            = QJsonDocument::fromJson(rank.out.toUtf8()).object().value(QStringLiteral("layers")).toArray();
        QCOMPARE(layers.size(), 35);
        for (const QJsonValue &v : layers) {
            const QJsonObject l = v.toObject();
            QCOMPARE(l.value(QStringLiteral("rank")).toInt(),
                     std::min(l.value(QStringLiteral("in")).toInt(), l.value(QStringLiteral("out")).toInt()));
            const double relative = l.value(QStringLiteral("rel_error")).toDouble();
            QVERIFY2(std::isfinite(relative) && relative < 0.01,
                     qPrintable(l.value(QStringLiteral("layer")).toString()));
        }
    }

    void catalogueUnwritableAndFullOutput()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString file = dir.filePath(QStringLiteral("a-file"));
        QVERIFY(writeBytes(file, "x"));
        // A folder that cannot be made (a file stands where a parent folder should be; as root,
        // permissions would not stop a write).
        Result exp
            = run({QStringLiteral("export"), tinyModel(), QStringLiteral("--method"), QStringLiteral("lqer"),
                   QStringLiteral("--no-record"), QStringLiteral("-o"), file + QStringLiteral("/out")});
        expectOneError(exp, {file, QStringLiteral("cannot create the folder")});
        Result cal = run({QStringLiteral("calibrate"), tinyModel(), QStringLiteral("--tokenizer"),
                          tinyTokenizer(), QStringLiteral("--text"), calib(), QStringLiteral("--samples"),
                          QStringLiteral("1"), QStringLiteral("--seq-len"), QStringLiteral("64"),
                          QStringLiteral("-o"), file + QStringLiteral("/x.stats")});
        expectOneError(cal,
                       {file + QStringLiteral("/x.stats"), QStringLiteral("cannot create: Not a directory")});

        // A full disk, as a file size limit (SIGXFSZ ignored: the write fails with EFBIG).
        const auto limited = [&](const QStringList &args) {
            QProcess p;
            p.setProcessEnvironment(environment());
            p.setChildProcessModifier([] {
                std::signal(SIGXFSZ, SIG_IGN);
                struct rlimit small = {256 * 1024, 256 * 1024};
                setrlimit(RLIMIT_FSIZE, &small);
            });
            p.start(lqerBinary(), args);
            Result r;
            r.finished = p.waitForStarted(10000) && p.waitForFinished(120000 * LQER_TIMEOUT_SCALE);
            r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
            r.err = QString::fromUtf8(p.readAllStandardError());
            return r;
        };
        const QString out = dir.filePath(QStringLiteral("full"));
        Result full
            = limited({QStringLiteral("export"), model(), QStringLiteral("--method"), QStringLiteral("lqer"),
                       QStringLiteral("--no-record"), QStringLiteral("-o"), out});
        expectOneError(full,
                       {out + QStringLiteral(".partial-"),
                        QStringLiteral("write failed (File too large); nothing was written")});
        const QString stats = dir.filePath(QStringLiteral("full.stats"));
        Result fullStats
            = limited({QStringLiteral("calibrate"), model(), QStringLiteral("--text"), calib(),
                       QStringLiteral("--samples"), QStringLiteral("2"), QStringLiteral("--seq-len"),
                       QStringLiteral("64"), QStringLiteral("-o"), stats});
        expectOneError(fullStats,
                       {stats, QStringLiteral("write failed (File too large); nothing was written")});
        // Nothing is left behind: no output folder, no partial folder, no stats file.
        QCOMPARE(entries(dir.path()), QStringList {QStringLiteral("a-file")});
    }

    void catalogueLockedStore()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString db = dir.filePath(QStringLiteral("locked.db"));
        const QStringList analyze {
            QStringLiteral("analyze"),  tinyModel(),
            QStringLiteral("--layers"), QStringLiteral("layers\\.0\\.self_attn\\.v_proj"),
            QStringLiteral("--method"), QStringLiteral("lqer"),
            QStringLiteral("--db"),     db};
        Result made = run(analyze);
        QVERIFY2(made.code == 0, qPrintable(made.err));
        {
            // Another process (here: this one) holds the write lock longer than the busy timeout.
            QSqlDatabase sql = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("locker"));
            sql.setDatabaseName(db);
            QVERIFY(sql.open());
            QSqlQuery q(sql);
            QVERIFY(q.exec(QStringLiteral("BEGIN EXCLUSIVE")));
            QElapsedTimer timer;
            timer.start();
            Result r = run(analyze);
            const qint64 waited = timer.elapsed();
            expectOneError(r,
                           {db, QStringLiteral("database is locked"),
                            QStringLiteral("another process held it for more than 10 s"),
                            QStringLiteral("--no-record")});
            QVERIFY2(waited >= 9000, qPrintable(QString::number(waited))); // it waited, then gave up
            QVERIFY(q.exec(QStringLiteral("ROLLBACK")));
            q.finish();
            sql.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("locker"));
        // Released: the next run records normally, after the first.
        Result after = run(analyze);
        QVERIFY2(after.code == 0 && after.err.contains(QStringLiteral("recorded run 2")),
                 qPrintable(after.err));
    }

    // Starts `args`, waits until stderr shows `marker`, sends `signal`; returns the result.
    Result signalWhen(const QStringList &args, const QString &marker, int signal,
                      const QString &env = QString())
    {
        QProcess p;
        QProcessEnvironment e = environment();
        if (!env.isEmpty())
            e.insert(QStringLiteral("LQER_TEST_SIGINT_AT"), env);
        p.setProcessEnvironment(e);
        p.start(lqerBinary(), args);
        Result r;
        if (!p.waitForStarted(10000))
            return r;
        QElapsedTimer timer;
        timer.start();
        const QRegularExpression seen(marker);
        while (!seen.match(r.err).hasMatch() && timer.elapsed() < 60000 * LQER_TIMEOUT_SCALE
               && p.state() == QProcess::Running) {
            p.waitForReadyRead(100);
            r.err += QString::fromUtf8(p.readAllStandardError());
        }
        if (!marker.isEmpty() && p.state() == QProcess::Running)
            ::kill(pid_t(p.processId()), signal);
        r.finished = p.waitForFinished(120000 * LQER_TIMEOUT_SCALE);
        r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.err += QString::fromUtf8(p.readAllStandardError());
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        return r;
    }

    void catalogueKilledExport()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString out = dir.filePath(QStringLiteral("packed"));
        const QStringList exportArgs {
            QStringLiteral("export"), model(), QStringLiteral("--method"),   QStringLiteral("lqer"),
            QStringLiteral("-o"),     out,     QStringLiteral("--no-record")};
        Result killed = signalWhen(exportArgs, QStringLiteral("exporting: +[1-9]0%"), SIGKILL);
        QVERIFY(killed.finished);
        QCOMPARE(killed.code, -1); // killed, no exit code
        // Never a folder that looks complete: only the partial folder (and its lock) are left.
        QVERIFY(!QFileInfo::exists(out));
        QStringList left = entries(dir.path());
        QVERIFY2(left.size() == 2 && left.first().startsWith(QStringLiteral("packed.partial-")),
                 qPrintable(left.join(QLatin1Char(' '))));
        // The next export to the same folder succeeds and removes the leftovers of the killed one.
        Result again = run(exportArgs);
        QVERIFY2(again.code == 0, qPrintable(again.err));
        QVERIFY(QFileInfo::exists(QDir(out).filePath(QStringLiteral("quantization_config.json"))));
        QCOMPARE(entries(dir.path()), QStringList {QStringLiteral("packed")});
    }

    void catalogueKilledDuringSessionWrite()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString db = dir.filePath(QStringLiteral("k.db"));
        // Layers are written to the store as they finish: kill while they are being recorded.
        Result killed = signalWhen({QStringLiteral("quantize"), model(), QStringLiteral("--method"),
                                    QStringLiteral("lqer"), QStringLiteral("--db"), db},
                                   QStringLiteral("LQER: +[1-9]0%"), SIGKILL);
        QVERIFY(killed.finished);
        QCOMPARE(killed.code, -1);
        // The store is intact; the next process to open it marks the run interrupted.
        Result check = run({QStringLiteral("sessions"), QStringLiteral("check"), QStringLiteral("--db"), db});
        QVERIFY2(check.code == 0 && check.out.contains(QStringLiteral(": ok")),
                 qPrintable(check.out + check.err));
        Result list = run({QStringLiteral("sessions"), QStringLiteral("list"), QStringLiteral("--db"), db});
        QVERIFY2(list.code == 0 && list.out.contains(QStringLiteral("interrupted")),
                 qPrintable(list.out + list.err));
        auto store = openStore(db);
        QVERIFY(store);
        auto run1 = store->run(1);
        QVERIFY(run1);
        QCOMPARE(run1->status, RunStatus::Interrupted);
        QVERIFY(run1->layers.size() >= 1 && run1->layers.size() < 42);
    }

    void catalogueInterruptQuantizeAtEveryStage_data()
    {
        QTest::addColumn<QString>("stage"); // LQER_TEST_SIGINT_AT: a progress label, or "recording"
        QTest::addColumn<int>("runs"); // runs recorded (as cancelled)
        QTest::newRow("loading") << QStringLiteral("loading") << 0;
        QTest::newRow("calibration") << QStringLiteral("calibrating") << 0;
        QTest::newRow("FP32 evaluation") << QStringLiteral("FP32") << 0;
        QTest::newRow("quantization") << QStringLiteral("L²QER") << 1;
        QTest::newRow("recording a layer") << QStringLiteral("recording") << 1;
        QTest::newRow("evaluation") << QStringLiteral("L²QER eval") << 1;
    }

    void catalogueInterruptQuantizeAtEveryStage()
    {
        QFETCH(QString, stage);
        QFETCH(int, runs);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString db = dir.filePath(QStringLiteral("i.db"));
        const QString plan = dir.filePath(QStringLiteral("plan.json"));
        Result r = signalWhen({QStringLiteral("quantize"),
                               model(),
                               QStringLiteral("--method"),
                               QStringLiteral("l2qer"),
                               QStringLiteral("--calib"),
                               calib(),
                               QStringLiteral("--samples"),
                               QStringLiteral("2"),
                               QStringLiteral("--eval"),
                               heldout(),
                               QStringLiteral("--windows"),
                               QStringLiteral("1"),
                               QStringLiteral("--seq-len"),
                               QStringLiteral("64"),
                               QStringLiteral("--calib-seq-len"),
                               QStringLiteral("64"),
                               QStringLiteral("--spectrum-count"),
                               QStringLiteral("8"),
                               QStringLiteral("--save-plan"),
                               plan,
                               QStringLiteral("--db"),
                               db},
                              QString(), SIGINT, stage);
        QVERIFY(r.finished);
        QVERIFY2(r.code == 130, qPrintable(QStringLiteral("exit code %1: %2").arg(r.code).arg(r.err)));
        QVERIFY2(r.err.contains(QStringLiteral("lqer: error: cancelled")), qPrintable(r.err));
        QVERIFY2(r.out.isEmpty(), qPrintable(r.out)); // no table
        QVERIFY(!QFileInfo::exists(plan)); // no output file
        auto store = openStore(db);
        QVERIFY(store);
        auto sessions = store->listSessions();
        QVERIFY(sessions);
        QCOMPARE(sessions->size(), runs); // no empty session before the first run
        if (runs == 0)
            return;
        QVERIFY2(r.err.contains(
                     QStringLiteral("recorded run 1 in session 'lqs-llama-13m' (%1) as cancelled").arg(db)),
                 qPrintable(r.err));
        auto run1 = store->run(1);
        QVERIFY(run1);
        QCOMPARE(run1->status, RunStatus::Cancelled);
        QVERIFY(run1->perplexities.isEmpty());
        if (stage == QStringLiteral("L²QER eval"))
            QCOMPARE(run1->layers.size(), 42); // quantization was complete
        else
            QVERIFY2(run1->layers.size() < 42, qPrintable(QString::number(run1->layers.size())));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
