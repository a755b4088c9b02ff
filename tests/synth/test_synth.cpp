// Tests of core/synth: the shapes' parameter counts against the published models, synthetic
// folders that load as checkpoints and run, heavy input channels, determinism, shards, and
// refusals that leave nothing behind.

#include "core/io/checkpoint.h"
#include "core/model/architecture.h"
#include "core/model/tokenizer.h"
#include "core/model/transformer.h"
#include "core/synth/synth.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace lqer;

namespace {

SynthShape small(const QString &base, int layers = 2)
{
    SynthShape s = *synthShape(base);
    s.layers = layers;
    s.hidden = 128;
    s.intermediate = 320;
    s.vocab = 300;
    s.heads = 4;
    s.kvHeads = s.modelType == QLatin1String("mistral") ? 2 : 4;
    s.maxPositions = 256;
    return s;
}

QByteArray folderHash(const QString &dir)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    const QStringList files = QDir(dir).entryList(QDir::Files, QDir::Name);
    for (const QString &f : files) {
        QFile file(QDir(dir).filePath(f));
        if (!file.open(QIODevice::ReadOnly))
            return {};
        h.addData(f.toUtf8());
        h.addData(file.readAll());
    }
    return h.result().toHex();
}

Expected<SynthReport> write(const SynthShape &shape, const QString &dir, quint64 seed = 1, int threads = 2,
                            qint64 shardBytes = 5'000'000'000)
{
    SynthOptions o;
    o.shape = shape;
    o.outputDir = dir;
    o.seed = seed;
    o.threads = threads;
    o.shardBytes = shardBytes;
    return writeSynthCheckpoint(o);
}

} // namespace

class TestSynth : public QObject
{
    Q_OBJECT

private slots:
    // The published parameter counts of the models whose shapes these are.
    void parameterCounts_data()
    {
        QTest::addColumn<QString>("shape");
        QTest::addColumn<qint64>("parameters");
        QTest::newRow("LLaMA-2-7B") << QStringLiteral("llama-7b") << qint64(6'738'415'616);
        QTest::newRow("LLaMA-2-13B") << QStringLiteral("llama-13b") << qint64(13'015'864'320);
        QTest::newRow("Mistral-7B") << QStringLiteral("mistral-7b") << qint64(7'241'732'096);
        QTest::newRow("OPT-1.3B") << QStringLiteral("opt-1.3b") << qint64(1'315'758'080);
        QTest::newRow("OPT-6.7B") << QStringLiteral("opt-6.7b") << qint64(6'658'473'984);
    }
    void parameterCounts()
    {
        QFETCH(QString, shape);
        QFETCH(qint64, parameters);
        auto s = synthShape(shape);
        QVERIFY2(s.ok(), qPrintable(s.error()));
        QCOMPARE(synthParameterCount(*s), parameters);
        const QString unknown = synthShape(QStringLiteral("llama-70x")).error();
        QVERIFY2(unknown.contains(QStringLiteral("llama-70x"))
                     && unknown.contains(QStringLiteral("opt-6.7b")),
                 qPrintable(unknown));
    }

    // Small variants of each shape load through the same code as real checkpoints and run.
    void foldersLoadAndRun_data()
    {
        QTest::addColumn<QString>("shape");
        QTest::addColumn<int>("linearsPerBlock");
        for (const char *s : {"llama-7b", "mistral-7b", "opt-1.3b"})
            QTest::newRow(s) << QString::fromLatin1(s) << 6 + (QByteArray(s).startsWith("opt") ? 0 : 1);
    }
    void foldersLoadAndRun()
    {
        QFETCH(QString, shape);
        QFETCH(int, linearsPerBlock);
        QTemporaryDir dir;
        const SynthShape s = small(shape);
        auto report = write(s, dir.path());
        QVERIFY2(report.ok(), qPrintable(report.error()));
        QCOMPARE(report->parameters, synthParameterCount(s));
        auto checkpoint = Checkpoint::open(dir.path());
        QVERIFY2(checkpoint.ok(), qPrintable(checkpoint.error()));
        auto linears = quantizableLinears(**checkpoint);
        QVERIFY2(linears.ok(), qPrintable(linears.error()));
        QCOMPARE(linears->size(), s.layers * linearsPerBlock);

        auto model = Transformer::load(dir.path());
        QVERIFY2(model.ok(), qPrintable(model.error()));
        auto tokenizer = Tokenizer::forCheckpoint(**checkpoint);
        QVERIFY2(tokenizer.ok(), qPrintable(tokenizer.error()));
        const QString text = QStringLiteral("Once upon a time, héllo wörld");
        const std::vector<int> ids = (*tokenizer)->encode(text, false);
        QCOMPARE(int(ids.size()), int(text.toUtf8().size())); // bytes, no merges
        QCOMPARE((*tokenizer)->decode(ids), text);
        auto logits = (*model)->logits(TokenIds(ids.begin(), ids.end()));
        QVERIFY2(logits.ok(), qPrintable(logits.error()));
        QCOMPARE(logits->rows(), qint64(ids.size()));
        QCOMPARE(logits->cols(), s.vocab);
        QVERIFY(logits->allFinite());
        // A random model predicts nearly uniformly: its logits spread little.
        QVERIFY(logits->array().abs().maxCoeff() < 20);

        // Heavy input channels: in every linear the loudest column is several times the median.
        for (const LinearLayerInfo &l : *linears) {
            auto w = loadLinearWeight(**checkpoint, l);
            QVERIFY(w.ok());
            std::vector<double> norms;
            for (Eigen::Index c = 0; c < w->cols(); ++c)
                norms.push_back(w->col(c).norm());
            std::sort(norms.begin(), norms.end());
            const double ratio = norms.back() / norms[norms.size() / 2];
            QVERIFY2(ratio > 3.5,
                     qPrintable(QStringLiteral("%1: loudest/median column %2").arg(l.weightName).arg(ratio)));
            // Variance-preserving scale: a typical column of a (out x in) matrix has norm
            // about sqrt(out / in).
            const double expected = std::sqrt(double(w->rows()) / double(w->cols()));
            QVERIFY2(std::abs(norms[norms.size() / 2] / expected - 1) < 0.15,
                     qPrintable(QStringLiteral("%1: median column norm %2, expected %3")
                                    .arg(l.weightName)
                                    .arg(norms[norms.size() / 2])
                                    .arg(expected)));
        }
    }

    // The same seed writes the same bytes whatever the thread count; another seed does not.
    void deterministic()
    {
        QTemporaryDir a, b, c;
        const SynthShape s = small(QStringLiteral("llama-7b"), 1);
        QVERIFY(write(s, a.path(), 7, 1).ok());
        QVERIFY(write(s, b.path(), 7, 3).ok());
        QVERIFY(write(s, c.path(), 8, 2).ok());
        QCOMPARE(folderHash(a.path()), folderHash(b.path()));
        QVERIFY(folderHash(a.path()) != folderHash(c.path()));
    }

    // Shards with an index, as Hugging Face writes them; the checkpoint sees every tensor.
    void shards()
    {
        QTemporaryDir dir;
        const SynthShape s = small(QStringLiteral("opt-1.3b"), 3);
        auto report = write(s, dir.path(), 1, 2, 300'000);
        QVERIFY2(report.ok(), qPrintable(report.error()));
        QVERIFY(report->files.contains(QStringLiteral("model.safetensors.index.json")));
        const QStringList shardFiles
            = QDir(dir.path()).entryList({QStringLiteral("model-*-of-*.safetensors")});
        QVERIFY2(shardFiles.size() >= 3, qPrintable(shardFiles.join(QLatin1Char(' '))));
        auto checkpoint = Checkpoint::open(dir.path());
        QVERIFY2(checkpoint.ok(), qPrintable(checkpoint.error()));
        QCOMPARE((*checkpoint)->tensorNames().size(), synthTensors(s).size());
        QVERIFY(Transformer::load(dir.path()).ok());
    }

    // Refusals name the thing; a failed or cancelled write leaves nothing behind.
    void refusals()
    {
        QTemporaryDir dir;
        const SynthShape s = small(QStringLiteral("llama-7b"), 1);
        QFile keep(dir.filePath(QStringLiteral("notes.txt")));
        QVERIFY(keep.open(QIODevice::WriteOnly));
        keep.close();
        auto full = write(s, dir.path());
        QVERIFY(!full.ok());
        QVERIFY2(full.error().contains(QStringLiteral("not empty")), qPrintable(full.error()));

        const QString target = dir.filePath(QStringLiteral("cancelled"));
        SynthOptions o;
        o.shape = s;
        o.outputDir = target;
        int calls = 0;
        auto cancelled = writeSynthCheckpoint(o, [&](double, const QString &) { return ++calls < 4; });
        QVERIFY(!cancelled.ok());
        QVERIFY2(cancelled.error().contains(QStringLiteral("cancelled")), qPrintable(cancelled.error()));
        QVERIFY2(!QDir(target).exists(), "a cancelled write left its folder");

        // A tokenizer bigger than the vocabulary.
        QTemporaryDir big;
        QFile tok(big.filePath(QStringLiteral("tokenizer.json")));
        QVERIFY(tok.open(QIODevice::WriteOnly));
        tok.write(synthByteLevelTokenizer()); // 259 tokens
        tok.close();
        o.outputDir = dir.filePath(QStringLiteral("tok"));
        o.tokenizerJson = tok.fileName();
        o.shape.vocab = 200;
        auto tooBig = writeSynthCheckpoint(o);
        QVERIFY(!tooBig.ok());
        QVERIFY2(tooBig.error().contains(QStringLiteral("259 tokens")), qPrintable(tooBig.error()));
        QVERIFY(!QDir(o.outputDir).exists());
        // Unwritable: /proc.
        o.tokenizerJson.clear();
        o.shape.vocab = 300;
        o.outputDir = QStringLiteral("/proc/lqer-synth");
        auto unwritable = writeSynthCheckpoint(o);
        QVERIFY(!unwritable.ok());
        QVERIFY2(unwritable.error().contains(QStringLiteral("/proc/lqer-synth")),
                 qPrintable(unwritable.error()));
    }
};

QTEST_GUILESS_MAIN(TestSynth)
#include "test_synth.moc"
