// Mutation fuzzing of every loader that reads user files (ARCHITECTURE.md: tests hold fuzz
// harnesses). Each case starts from a valid file (the shared checkpoints or one written here),
// mutates it with a fixed seed, and loads it: the loader must return a value or an error
// message, never crash, hang or hand out non-finite numbers; whatever loads must also be usable
// (tensors read, text encoded, a forward pass run). Iteration counts keep the suite at a few
// seconds; LQER_FUZZ_ITERATIONS=N multiplies them for a longer local run.

#include "core/export/exporter.h"
#include "core/export/packedmodel.h"
#include "core/io/checkpoint.h"
#include "core/io/safetensors.h"
#include "core/lqer/statsfile.h"
#include "core/model/config.h"
#include "core/model/llama2c.h"
#include "core/model/tokenizer.h"
#include "core/model/transformer.h"
#include "fuzztargets.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>
#include <random>

using namespace lqer;

namespace {

const QString kLlama = QStringLiteral(LQER_SHARED_DIR "/models/lqs-llama-13m");
const QString kStories = QStringLiteral(LQER_SHARED_DIR "/models/stories260K");

int scaled(int iterations)
{
    const int factor = qEnvironmentVariableIntValue("LQER_FUZZ_ITERATIONS");
    return factor > 0 ? iterations * factor : iterations;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return f.readAll();
}

void writeAll(const QString &path, const QByteArray &bytes)
{
    QFile::remove(path);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
}

// A JSON value replaced by something of another kind or an extreme number.
QJsonValue wildValue(std::mt19937_64 &rng)
{
    static const QList<QJsonValue> values {
        QJsonValue(0),
        QJsonValue(-1),
        QJsonValue(1),
        QJsonValue(3),
        QJsonValue(1.5),
        QJsonValue(-7.25),
        QJsonValue(1e9),
        QJsonValue(2147483648.0),
        QJsonValue(1e300),
        QJsonValue(QStringLiteral("x")),
        QJsonValue(QString()),
        QJsonValue(QJsonValue::Null),
        QJsonValue(true),
        QJsonValue(QJsonArray()),
        QJsonValue(QJsonObject()),
        QJsonValue(QJsonArray {1, 2, 3}),
    };
    return values[qsizetype(rng() % quint64(values.size()))];
}

// One structural mutation somewhere in the tree: replace a value, delete a key or element, or
// empty a container. Descends into a random child with probability 0.7 per level.
QJsonValue mutateJson(const QJsonValue &v, std::mt19937_64 &rng)
{
    std::uniform_real_distribution<double> u(0, 1);
    if (v.isObject()) {
        QJsonObject o = v.toObject();
        if (o.isEmpty())
            return wildValue(rng);
        const QStringList keys = o.keys();
        const QString key = keys[qsizetype(rng() % quint64(keys.size()))];
        const double r = u(rng);
        if (r < 0.7)
            o[key] = mutateJson(o[key], rng);
        else if (r < 0.85)
            o.remove(key);
        else
            o[key] = wildValue(rng);
        return o;
    }
    if (v.isArray()) {
        QJsonArray a = v.toArray();
        if (a.isEmpty())
            return wildValue(rng);
        const qsizetype i = qsizetype(rng() % quint64(a.size()));
        const double r = u(rng);
        if (r < 0.6)
            a[i] = mutateJson(a[i], rng);
        else if (r < 0.8)
            a.removeAt(i);
        else if (r < 0.9)
            a = QJsonArray();
        else
            a[i] = wildValue(rng);
        return a;
    }
    return wildValue(rng);
}

// Byte-level damage: flips, overwrites with digits or quotes, a truncation.
QByteArray mutateBytes(QByteArray bytes, qint64 regionBegin, qint64 regionEnd, std::mt19937_64 &rng)
{
    regionEnd = std::min<qint64>(regionEnd, bytes.size());
    if (regionEnd <= regionBegin)
        return bytes;
    const int kind = int(rng() % 4);
    const int count = 1 + int(rng() % 4);
    for (int c = 0; c < count; ++c) {
        const qint64 at = regionBegin + qint64(rng() % quint64(regionEnd - regionBegin));
        switch (kind) {
        case 0:
            bytes[at] = char(bytes[at] ^ char(1 << (rng() % 8)));
            break;
        case 1:
            bytes[at] = char('0' + rng() % 10);
            break;
        case 2:
            bytes[at] = "\"{}[],:-9eE\\"[rng() % 12];
            break;
        default:
            bytes.truncate(at);
            return bytes;
        }
    }
    return bytes;
}

} // namespace

class TestFuzz : public QObject
{
    Q_OBJECT

    QTemporaryDir mDir;
    int mLoaded = 0; // mutants that loaded (reported, so a run shows both paths were exercised)
    int mRefused = 0;

    void tally(bool ok, const QString &error)
    {
        if (ok) {
            ++mLoaded;
        } else {
            ++mRefused;
            // An error is one line of text a user can read.
            QVERIFY2(!error.trimmed().isEmpty(), "empty error message");
        }
    }

private slots:
    void initTestCase() { QVERIFY(mDir.isValid()); }

    // Header length, JSON, dtypes, shapes and offsets of a small file with every float dtype.
    void safetensors()
    {
        SafetensorsWriter w;
        std::vector<float> a(20), b(7), c(6);
        for (size_t i = 0; i < a.size(); ++i)
            a[i] = float(i) * 0.25f - 2.0f;
        for (size_t i = 0; i < b.size(); ++i)
            b[i] = float(i) - 3.0f;
        for (size_t i = 0; i < c.size(); ++i)
            c[i] = 1.0f / float(i + 1);
        w.addFloatTensor(QStringLiteral("a.weight"), a.data(), {4, 5}, DType::F32);
        w.addFloatTensor(QStringLiteral("b.bias"), b.data(), {7}, DType::F16);
        w.addFloatTensor(QStringLiteral("c.weight"), c.data(), {2, 3}, DType::BF16);
        w.setMetadata(QStringLiteral("format"), QStringLiteral("pt"));
        const QString good = mDir.filePath(QStringLiteral("good.safetensors"));
        QVERIFY(w.write(good).ok());
        const QByteArray bytes = readAll(good);
        quint64 headerLen = 0;
        std::memcpy(&headerLen, bytes.constData(), 8);
        QVERIFY(qint64(headerLen) + 8 < bytes.size());

        std::mt19937_64 rng(20261123);
        const QString path = mDir.filePath(QStringLiteral("mutant.safetensors"));
        for (int it = 0; it < scaled(1500); ++it) {
            QByteArray m;
            const int kind = int(rng() % 5);
            if (kind == 0) { // the length prefix
                m = bytes;
                const quint64 len = rng() % 3 == 0 ? rng() : headerLen + (rng() % 64) - 32;
                std::memcpy(m.data(), &len, 8);
            } else if (kind <= 3) { // the JSON header
                m = mutateBytes(bytes, 8, 8 + qint64(headerLen), rng);
            } else { // the data section
                m = mutateBytes(bytes, 8 + qint64(headerLen), bytes.size(), rng);
            }
            writeAll(path, m);
            auto f = SafetensorsFile::open(path);
            tally(f.ok(), f.ok() ? QString() : f.error());
            if (!f)
                continue;
            for (const TensorInfo &t : (*f)->tensors()) {
                auto v = (*f)->readFloats(t.name);
                if (v)
                    QCOMPARE(qint64(v->size()), t.elementCount());
                auto mat = (*f)->readMatrix(t.name);
                Q_UNUSED(mat);
            }
        }
    }

    // config.json of a real checkpoint with the real weights beside it: every field damaged
    // in turn must be refused (or, when harmless, load a model that runs).
    void configWithRealWeights()
    {
        const QJsonObject config
            = QJsonDocument::fromJson(readAll(kLlama + QStringLiteral("/config.json"))).object();
        QVERIFY(!config.isEmpty());
        QTemporaryDir dir;
        QVERIFY(QFile::link(kLlama + QStringLiteral("/model.safetensors"),
                            dir.filePath(QStringLiteral("model.safetensors"))));
        std::mt19937_64 rng(7);
        const TokenIds tokens {0, 5, 17, 300, 8191};
        int ran = 0;
        // Most mutants hit the fields that size the model; the rest anywhere (each harmless one
        // costs a full load and forward pass, so the count stays small).
        const QStringList sizing {QStringLiteral("hidden_size"),
                                  QStringLiteral("intermediate_size"),
                                  QStringLiteral("num_attention_heads"),
                                  QStringLiteral("num_hidden_layers"),
                                  QStringLiteral("num_key_value_heads"),
                                  QStringLiteral("vocab_size"),
                                  QStringLiteral("max_position_embeddings"),
                                  QStringLiteral("head_dim"),
                                  QStringLiteral("rms_norm_eps"),
                                  QStringLiteral("rope_parameters"),
                                  QStringLiteral("tie_word_embeddings"),
                                  QStringLiteral("model_type")};
        for (int it = 0; it < scaled(60); ++it) {
            QJsonObject m = config;
            if (it % 4 != 3)
                m[sizing[qsizetype(rng() % quint64(sizing.size()))]] = wildValue(rng);
            else
                m = mutateJson(config, rng).toObject();
            writeAll(dir.filePath(QStringLiteral("config.json")), QJsonDocument(m).toJson());
            auto model = Transformer::load(dir.path());
            tally(model.ok(), model.ok() ? QString() : model.error());
            if (!model)
                continue;
            auto logits = (*model)->logits(tokens);
            if (logits) {
                QVERIFY2(logits->allFinite(),
                         "a model that loaded produced non-finite logits without an error");
                ++ran;
            }
        }
        QVERIFY2(ran > 0, "no mutant was harmless: the harness never exercised the forward pass");
    }

    // tokenizer.json: structure damaged (keys removed, wrong kinds of values) and truncated.
    void tokenizerJson()
    {
        const QByteArray raw = readAll(kLlama + QStringLiteral("/tokenizer.json"));
        const QJsonObject tok = QJsonDocument::fromJson(raw).object();
        QVERIFY(!tok.isEmpty());
        const QString path = mDir.filePath(QStringLiteral("tokenizer.json"));
        std::mt19937_64 rng(11);
        const QString text = QStringLiteral("Once upon a time, 1234 tokens\n\tüñí — ok? 😀");
        for (int it = 0; it < scaled(60); ++it) {
            if (it % 6 == 5)
                writeAll(path, raw.left(qsizetype(rng() % quint64(raw.size()))));
            else
                writeAll(path, QJsonDocument(mutateJson(tok, rng).toObject()).toJson(QJsonDocument::Compact));
            auto t = Tokenizer::fromHuggingFace(path);
            tally(t.ok(), t.ok() ? QString() : t.error());
            if (!t)
                continue;
            const std::vector<int> ids = (*t)->encode(text);
            (void)(*t)->decode(ids);
        }
    }

    // llama2.c checkpoints: the seven header integers and the file length.
    void llama2cCheckpoint()
    {
        const QByteArray raw = readAll(kStories + QStringLiteral("/stories260K.bin"));
        const QString path = mDir.filePath(QStringLiteral("stories.bin"));
        std::mt19937_64 rng(13);
        const QList<qint32> extremes {0,  -1,  1,    2,       3,          7,
                                      64, 512, 4096, 1 << 20, 0x7fffffff, qint32(0x80000000)};
        for (int it = 0; it < scaled(150); ++it) {
            QByteArray m = raw;
            if (rng() % 4 == 0) {
                m.truncate(qsizetype(rng() % quint64(raw.size())));
            } else {
                const int field = int(rng() % 7);
                const qint32 value = extremes[qsizetype(rng() % quint64(extremes.size()))];
                std::memcpy(m.data() + 4 * field, &value, 4);
            }
            writeAll(path, m);
            auto model = loadLlama2c(path);
            tally(model.ok(), model.ok() ? QString() : model.error());
            if (!model)
                continue;
            auto logits = (*model)->logits(TokenIds {1, 2, 3});
            if (logits)
                QVERIFY2(logits->allFinite(), "a llama2.c model that loaded produced non-finite logits");
        }
    }

    // Calibration statistics: header and data damage, including NaN and negative values.
    void statsFile()
    {
        StatsMap stats;
        for (int l = 0; l < 3; ++l) {
            LayerStats s;
            s.layer = QStringLiteral("model.layers.%1.mlp.down_proj.weight").arg(l);
            s.samples = 4;
            s.tokens = 64;
            s.meanAbsMax = VectorD::LinSpaced(16, 0.1, 2.0);
            s.sumSquares = VectorD::LinSpaced(16, 1.0, 9.0);
            if (l == 2)
                s.gram = MatrixRMd::Identity(16, 16);
            stats.insert(s.layer, s);
        }
        const QString good = mDir.filePath(QStringLiteral("stats.safetensors"));
        QVERIFY(saveStats(good, stats).ok());
        const QByteArray bytes = readAll(good);
        quint64 headerLen = 0;
        std::memcpy(&headerLen, bytes.constData(), 8);
        const QString path = mDir.filePath(QStringLiteral("stats-mutant.safetensors"));
        std::mt19937_64 rng(17);
        for (int it = 0; it < scaled(600); ++it) {
            QByteArray m = bytes;
            if (it % 3 == 2) { // a NaN, Inf or negative double somewhere in the data
                const qint64 cells = (bytes.size() - 8 - qint64(headerLen)) / 8;
                const double bad[] = {std::nan(""), INFINITY, -1.0, -1e300};
                const qint64 at = 8 + qint64(headerLen) + 8 * qint64(rng() % quint64(cells));
                std::memcpy(m.data() + at, &bad[rng() % 4], 8);
            } else {
                m = mutateBytes(bytes, 8, 8 + qint64(headerLen), rng);
            }
            writeAll(path, m);
            auto s = loadStats(path);
            tally(s.ok(), s.ok() ? QString() : s.error());
            if (!s)
                continue;
            for (const LayerStats &ls : *s) {
                QVERIFY2(
                    ls.meanAbsMax.allFinite() && ls.sumSquares.allFinite() && ls.gram.allFinite(),
                    qPrintable(
                        QStringLiteral("%1: non-finite statistics loaded without an error").arg(ls.layer)));
                QVERIFY2(ls.meanAbsMax.size() == 0 || ls.meanAbsMax.minCoeff() >= 0,
                         qPrintable(
                             QStringLiteral("%1: negative mean |x| loaded without an error").arg(ls.layer)));
            }
        }
    }

    // A packed LQER checkpoint (plain W4A8, so the export takes a second): its JSON header,
    // its __metadata__ (plan, formats) and its payload bytes (codes, shared exponents).
    void packedCheckpoint()
    {
        auto ck = Checkpoint::open(kLlama);
        QVERIFY2(ck.ok(), qPrintable(ck.error()));
        auto plan = Plan::fromPreset(QStringLiteral("plain-w4a8"));
        QVERIFY2(plan.ok(), qPrintable(plan.error()));
        ExportConfig c;
        c.checkpoint = *ck;
        c.plan = *plan;
        c.linears = quantizingProvider(*ck, *plan, nullptr);
        c.outputDir = mDir.filePath(QStringLiteral("packed"));
        auto exported = exportCheckpoint(c);
        QVERIFY2(exported.ok(), qPrintable(exported.error()));
        const QString file = QDir(c.outputDir).filePath(QStringLiteral("model.safetensors"));
        QVERIFY(QFileInfo::exists(file));
        const QByteArray bytes = readAll(file);
        quint64 headerLen = 0;
        std::memcpy(&headerLen, bytes.constData(), 8);
        std::mt19937_64 rng(19);
        int ran = 0;
        for (int it = 0; it < scaled(16); ++it) {
            const bool header = it % 2 == 0;
            const QByteArray m = header ? mutateBytes(bytes, 8, 8 + qint64(headerLen), rng)
                                        : mutateBytes(bytes, 8 + qint64(headerLen), bytes.size(), rng);
            writeAll(file, m);
            auto model = loadPackedModel(c.outputDir);
            tally(model.ok(), model.ok() ? QString() : model.error());
            if (!model)
                continue;
            auto logits = (*model)->logits(TokenIds {0, 5, 17, 300});
            if (logits) {
                QVERIFY2(logits->allFinite(),
                         "a packed model that loaded produced non-finite logits without an error");
                ++ran;
            }
        }
        writeAll(file, bytes);
        QVERIFY(loadPackedModel(c.outputDir).ok());
        QVERIFY2(ran > 0, "no packed mutant loaded: the harness never ran the forward pass");
    }

    // The coverage-guided harnesses' targets (fuzztargets.h) on their seed corpora: every seed
    // loads (so each harness starts from the success path), the list matches the harnesses
    // CMake builds, and fixed-seed mutants of every seed are accepted or refused cleanly.
    void seedCorpora()
    {
        QStringList names;
        for (const fuzz::Target &t : fuzz::targets())
            names << QLatin1String(t.name);
        QCOMPARE(names.join(QLatin1Char(',')), QStringLiteral(LQER_FUZZ_TARGETS));
        fuzz::setSharedDir(QStringLiteral(LQER_SHARED_DIR));
        const QString out = mDir.filePath(QStringLiteral("seeds"));
        const Status written
            = fuzz::writeSeeds(QStringLiteral(LQER_SHARED_DIR), QStringLiteral(LQER_TEST_DATA_DIR), out);
        QVERIFY2(written.ok(), qPrintable(written.error()));
        std::mt19937_64 rng(23);
        for (const fuzz::Target &t : fuzz::targets()) {
            const QDir dir(QDir(out).filePath(QLatin1String(t.name)));
            const QStringList seeds = dir.entryList(QDir::Files, QDir::Name);
            QVERIFY2(!seeds.isEmpty(), t.name);
            for (const QString &seed : seeds) {
                const QByteArray bytes = readAll(dir.filePath(seed));
                const auto *data = reinterpret_cast<const uint8_t *>(bytes.constData());
                QVERIFY2(
                    t.run(data, size_t(bytes.size())) == fuzz::Outcome::Loaded,
                    qPrintable(
                        QStringLiteral("%1: the seed %2 does not load").arg(QLatin1String(t.name), seed)));
                for (int it = 0; it < scaled(12); ++it) {
                    const QByteArray m = mutateBytes(bytes, 0, bytes.size(), rng);
                    const bool ok = t.run(reinterpret_cast<const uint8_t *>(m.constData()), size_t(m.size()))
                        == fuzz::Outcome::Loaded;
                    tally(ok, ok ? QString() : QStringLiteral("refused"));
                }
            }
        }
    }

    // Inputs that libFuzzer once found to break a promise (tests/data/fuzz/<target>/, one file
    // per finding, named after what it did): each must now be loaded or refused cleanly.
    void findingsStayFixed()
    {
        fuzz::setSharedDir(QStringLiteral(LQER_SHARED_DIR));
        const QDir root(QStringLiteral(LQER_TEST_DATA_DIR "/fuzz"));
        int inputs = 0;
        for (const QString &target : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            const fuzz::Target *t = fuzz::findTarget(target);
            QVERIFY2(t, qPrintable(QStringLiteral("tests/data/fuzz/%1: no such fuzz target").arg(target)));
            const QDir dir(root.filePath(target));
            for (const QString &name : dir.entryList(QDir::Files)) {
                const QByteArray bytes = readAll(dir.filePath(name));
                (void)t->run(reinterpret_cast<const uint8_t *>(bytes.constData()), size_t(bytes.size()));
                ++inputs;
            }
        }
        QVERIFY(inputs > 0);
    }

    void cleanupTestCase()
    {
        qInfo("fuzz: %d mutants loaded, %d refused with an error", mLoaded, mRefused);
        QVERIFY(mLoaded > 0 && mRefused > 0);
    }
};

QTEST_GUILESS_MAIN(TestFuzz)
#include "test_fuzz.moc"
