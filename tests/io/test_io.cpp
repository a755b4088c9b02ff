// Safetensors reader/writer, Hugging Face checkpoint folders, fp16/bf16 conversion, and the
// architecture table of quantizable linears.

#include "core/io/checkpoint.h"
#include "core/model/architecture.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <cstring>
#include <sys/resource.h>

using namespace lqer;

namespace {

const QString kLlama = QStringLiteral(LQER_SHARED_DIR "/models/lqs-llama-13m");
const QString kOpt = QStringLiteral(LQER_SHARED_DIR "/models/lqs-opt-14m");

// Writes a safetensors file from a raw header JSON and a data section, bypassing the writer,
// so malformed files can be produced.
void writeRaw(const QString &path, const QByteArray &header, const QByteArray &data,
              qint64 claimedLength = -1)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    quint64 n = claimedLength >= 0 ? quint64(claimedLength) : quint64(header.size());
    char len[8];
    for (int i = 0; i < 8; ++i) {
        len[i] = char(n & 0xff);
        n >>= 8;
    }
    f.write(len, 8);
    f.write(header);
    f.write(data);
}

QString openError(const QString &path)
{
    Expected<std::shared_ptr<SafetensorsFile>> st = SafetensorsFile::open(path);
    return st.ok() ? QString() : st.error();
}

void writeJson(const QString &path, const QJsonObject &obj)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QJsonDocument(obj).toJson());
}

} // namespace

class TestIo : public QObject
{
    Q_OBJECT

private slots:
    void halfConversionRoundTripsEveryValue()
    {
        for (uint32_t h = 0; h < 65536; ++h) {
            const float f = halfToFloat(uint16_t(h));
            if (std::isnan(f)) {
                QVERIFY(std::isnan(halfToFloat(floatToHalf(f))));
                continue;
            }
            if (floatToHalf(f) != uint16_t(h))
                QFAIL(qPrintable(QStringLiteral("half 0x%1 -> %2 -> 0x%3")
                                     .arg(h, 4, 16)
                                     .arg(double(f))
                                     .arg(floatToHalf(f), 4, 16)));
        }
        QCOMPARE(halfToFloat(0x3c00), 1.0f);
        QCOMPARE(halfToFloat(0x0001), std::ldexp(1.0f, -24)); // smallest subnormal
        QCOMPARE(floatToHalf(1.0f + std::ldexp(1.0f, -11)), uint16_t(0x3c00)); // tie -> even
        QCOMPARE(floatToHalf(1.0f + 3 * std::ldexp(1.0f, -11)), uint16_t(0x3c02)); // tie -> even (up)
        QCOMPARE(floatToHalf(70000.0f), uint16_t(0x7c00)); // overflow -> inf
        QCOMPARE(bf16ToFloat(floatToBf16(1.5f)), 1.5f);
        QCOMPARE(floatToBf16(1.0f + std::ldexp(1.0f, -8)), uint16_t(0x3f80)); // tie -> even
    }

    // The bulk conversion (vectorized where the CPU has F16C) equals the element-wise one for
    // every binary16 value, at every position of a vector and in the scalar tail.
    // The vector conversions (F16C for fp16, AVX2 for bf16) against the element-wise ones:
    // all 65536 bit patterns, then a tail shorter than a vector.
    void bulkHalfConversionEqualsElementWise_data()
    {
        QTest::addColumn<bool>("bf16");
        QTest::newRow("f16") << false;
        QTest::newRow("bf16") << true;
    }

    void bulkHalfConversionEqualsElementWise()
    {
        QFETCH(bool, bf16);
        std::vector<uint16_t> halves(65536 + 5);
        for (size_t i = 0; i < halves.size(); ++i)
            halves[i] = uint16_t(i * 40503u); // every value once (40503 is odd), then a tail
        std::vector<float> floats(halves.size());
        convertToFloat(bf16 ? DType::BF16 : DType::F16, reinterpret_cast<const uchar *>(halves.data()),
                       qint64(halves.size()), floats.data());
        for (size_t i = 0; i < halves.size(); ++i) {
            const float expected = bf16 ? bf16ToFloat(halves[i]) : halfToFloat(halves[i]);
            if (std::isnan(expected) ? !std::isnan(floats[i]) : floatBits(floats[i]) != floatBits(expected))
                QFAIL(qPrintable(QStringLiteral("%1 0x%2 at %3 -> %4, expected %5")
                                     .arg(bf16 ? QStringLiteral("bf16") : QStringLiteral("half"))
                                     .arg(halves[i], 4, 16)
                                     .arg(i)
                                     .arg(double(floats[i]))
                                     .arg(double(expected))));
        }
    }

    void opensRealCheckpointHeadersOnly()
    {
        Expected<std::shared_ptr<Checkpoint>> ckpt = Checkpoint::open(kLlama);
        QVERIFY2(ckpt.ok(), qPrintable(ckpt.error()));
        const Checkpoint &c = **ckpt;
        QCOMPARE(c.modelType(), QStringLiteral("llama"));
        QVERIFY(!c.tokenizerPath().isEmpty());
        // 13.77 M parameters (PROVENANCE.md), tied embeddings: no lm_head tensor.
        QVERIFY2(std::abs(c.parameterCount() - 13770000) < 10000,
                 qPrintable(QString::number(c.parameterCount())));
        const TensorInfo *q = c.find(QStringLiteral("model.layers.0.self_attn.q_proj.weight"));
        QVERIFY(q);
        QCOMPARE(q->dtype, DType::F16);
        QCOMPARE(q->shape, (QList<qint64> {384, 384}));
        const TensorInfo *up = c.find(QStringLiteral("model.layers.5.mlp.up_proj.weight"));
        QVERIFY(up);
        QCOMPARE(up->shape, (QList<qint64> {1024, 384}));
        QCOMPARE(c.fingerprint().size(), 64);

        Expected<MatrixRM> w = c.readMatrix(QStringLiteral("model.layers.0.self_attn.q_proj.weight"));
        QVERIFY(w.ok());
        QCOMPARE(w->rows(), 384);
        QVERIFY(w->allFinite());
        QVERIFY(w->norm() > 1.0f);
        Expected<std::vector<float>> norm = c.readFloats(QStringLiteral("model.norm.weight"));
        QVERIFY(norm.ok());
        QCOMPARE(norm->size(), size_t(384));
        QVERIFY(!c.readMatrix(QStringLiteral("no.such.tensor")).ok());
    }

    void writerRoundTrip()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("t.safetensors"));
        MatrixRM m(3, 5);
        for (int i = 0; i < m.size(); ++i)
            m.data()[i] = float(i) * 0.37f - 2.0f;
        SafetensorsWriter writer;
        writer.setMetadata(QStringLiteral("format"), QStringLiteral("pt"));
        writer.addMatrix(QStringLiteral("a.f32"), m, DType::F32);
        writer.addMatrix(QStringLiteral("b.f16"), m, DType::F16);
        writer.addMatrix(QStringLiteral("c.bf16"), m, DType::BF16);
        writer.addTensor(QStringLiteral("d.u8"), DType::U8, {4}, QByteArray("\x01\x02\x03\x04", 4));
        QVERIFY(writer.write(path).ok());
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files),
                 QStringList {QStringLiteral("t.safetensors")}); // no temp left

        Expected<std::shared_ptr<SafetensorsFile>> st = SafetensorsFile::open(path);
        QVERIFY2(st.ok(), qPrintable(st.error()));
        QCOMPARE((*st)->metadata().value(QStringLiteral("format")), QStringLiteral("pt"));
        QCOMPARE((*st)->tensors().size(), 4);
        QCOMPARE(*(*st)->readMatrix(QStringLiteral("a.f32")), m);
        const MatrixRM h = *(*st)->readMatrix(QStringLiteral("b.f16"));
        QVERIFY((h - m).cwiseAbs().maxCoeff() < 2e-3f);
        const MatrixRM b = *(*st)->readMatrix(QStringLiteral("c.bf16"));
        QVERIFY((b - m).cwiseAbs().maxCoeff() < 2e-2f);
        QVERIFY(!(*st)->readFloats(QStringLiteral("d.u8")).ok()); // not a float type
        QCOMPARE((8 + (*st)->headerSize()) % 8, 0); // data section aligned
    }

    void writerFailsCleanlyOnUnwritablePath()
    {
        SafetensorsWriter writer;
        writer.addTensor(QStringLiteral("x"), DType::U8, {1}, QByteArray(1, 'a'));
        const Status s = writer.write(QStringLiteral("/nonexistent-dir/sub/x.safetensors"));
        QVERIFY(!s.ok());
        QVERIFY2(s.error().contains(QLatin1String("/nonexistent-dir/sub/x.safetensors")),
                 qPrintable(s.error()));
    }

    // A full disk, simulated with a file-size limit (RLIMIT_FSIZE): the write fails, the
    // error names the file, and neither the target nor a temporary file is left behind.
    void writerReportsFullDisk()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("big.safetensors"));
        SafetensorsWriter writer;
        writer.addTensor(QStringLiteral("x"), DType::U8, {1 << 20}, QByteArray(1 << 20, 'a'));
        struct rlimit old;
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &old), 0);
        const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        struct rlimit small = old;
        small.rlim_cur = 64 * 1024;
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &small), 0);
        const Status s = writer.write(path);
        setrlimit(RLIMIT_FSIZE, &old);
        std::signal(SIGXFSZ, oldHandler);
        QVERIFY(!s.ok());
        QVERIFY2(s.error().contains(QLatin1String("big.safetensors")), qPrintable(s.error()));
        QVERIFY2(s.error().contains(QLatin1String("nothing was written")), qPrintable(s.error()));
        QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
    }

    // A spooled writer (the exporter's shards) holds one tensor, not the file: the file it
    // writes is byte for byte the in-memory writer's, and its scratch file is gone afterwards.
    void spooledWriterEqualsInMemory()
    {
        QTemporaryDir dir;
        MatrixRM m(37, 53);
        for (int i = 0; i < m.size(); ++i)
            m.data()[i] = float(i % 97) * 0.013f - 0.6f;
        // Over 8 MiB, so the read back from the scratch file comes in several pieces.
        const QByteArray big((qint64(9) << 20) + 5, 'z');
        SafetensorsWriter plain, spooled;
        spooled.spoolTo(dir.filePath(QStringLiteral("scratch.spool")));
        for (SafetensorsWriter *w : {&plain, &spooled}) {
            w->setMetadata(QStringLiteral("format"), QStringLiteral("pt"));
            w->addMatrix(QStringLiteral("a"), m, DType::F16);
            w->addTensor(QStringLiteral("empty"), DType::U8, {0}, QByteArray());
            w->addTensor(QStringLiteral("big"), DType::U8, {big.size()}, big);
            w->addMatrix(QStringLiteral("c"), m, DType::F32);
        }
        QCOMPARE(spooled.dataBytes(), plain.dataBytes());
        QCOMPARE(spooled.tensorCount(), 4);
        QVERIFY(QFileInfo(dir.filePath(QStringLiteral("scratch.spool"))).size() == spooled.dataBytes());
        QVERIFY(plain.write(dir.filePath(QStringLiteral("plain.safetensors"))).ok());
        const Status s = spooled.write(dir.filePath(QStringLiteral("spooled.safetensors")));
        QVERIFY2(s.ok(), qPrintable(s.error()));
        QFile a(dir.filePath(QStringLiteral("plain.safetensors"))),
            b(dir.filePath(QStringLiteral("spooled.safetensors")));
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QVERIFY(a.size() > big.size());
        QVERIFY(a.readAll() == b.readAll());
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("scratch.spool"))));

        // A scratch file that cannot be created: write() says so and writes nothing.
        SafetensorsWriter broken;
        broken.spoolTo(QStringLiteral("/nonexistent-dir/x.spool"));
        broken.addMatrix(QStringLiteral("a"), m, DType::F32);
        const Status e = broken.write(dir.filePath(QStringLiteral("broken.safetensors")));
        QVERIFY(!e.ok());
        QVERIFY2(e.error().contains(QLatin1String("/nonexistent-dir/x.spool")), qPrintable(e.error()));
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("broken.safetensors"))));
    }

    // Malformed files: each gives a clear error that names the file and the problem.
    void malformedFiles_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<int>("dataBytes");
        QTest::addColumn<qint64>("claimedLength");
        QTest::addColumn<QString>("expectedWords");
        const QByteArray good = R"({"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}})";
        QTest::newRow("truncated data") << good << 8 << qint64(-1) << QStringLiteral("run past");
        QTest::newRow("header too long")
            << good << 16 << qint64(good.size() + 100) << QStringLiteral("past the end");
        QTest::newRow("header over limit") << good << 16 << qint64(1) << QStringLiteral("malformed header");
        QTest::newRow("absurd length") << good << 16 << (qint64(1) << 40) << QStringLiteral("100 MB");
        QTest::newRow("bad dtype") << QByteArray(
            R"({"w":{"dtype":"F33","shape":[2,2],"data_offsets":[0,16]}})")
                                   << 16 << qint64(-1) << QStringLiteral("unknown dtype 'F33'");
        QTest::newRow("shape/bytes mismatch")
            << QByteArray(R"({"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,16]}})") << 16 << qint64(-1)
            << QStringLiteral("24 bytes");
        QTest::newRow("overlap") << QByteArray(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                               R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})")
                                 << 16 << qint64(-1) << QStringLiteral("overlap");
        QTest::newRow("out of range")
            << QByteArray(R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}})") << 16 << qint64(-1)
            << QStringLiteral("run past");
        QTest::newRow("negative offsets")
            << QByteArray(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}})") << 16 << qint64(-1)
            << QStringLiteral("invalid data_offsets");
        // Found by the packed-header fuzzer: offsets beyond any integer were converted unchecked.
        QTest::newRow("offsets beyond 64 bits")
            << QByteArray(R"({"w":{"dtype":"U8","shape":[4],"data_offsets":[0,2.77562e63]}})") << 16
            << qint64(-1) << QStringLiteral("invalid data_offsets");
        QTest::newRow("dimension beyond 64 bits")
            << QByteArray(R"({"w":{"dtype":"U8","shape":[1e300],"data_offsets":[0,4]}})") << 16 << qint64(-1)
            << QStringLiteral("invalid dimension");
        QTest::newRow("malformed json") << QByteArray(R"({"w":{"dtype":"F32",)") << 16 << qint64(-1)
                                        << QStringLiteral("malformed header JSON");
        QTest::newRow("not an object")
            << QByteArray(R"([1,2])") << 0 << qint64(-1) << QStringLiteral("not a JSON object");
        QTest::newRow("bad shape") << QByteArray(
            R"({"w":{"dtype":"F32","shape":[2,-1],"data_offsets":[0,0]}})")
                                   << 0 << qint64(-1) << QStringLiteral("invalid dimension");
    }

    void malformedFiles()
    {
        QFETCH(QByteArray, header);
        QFETCH(int, dataBytes);
        QFETCH(qint64, claimedLength);
        QFETCH(QString, expectedWords);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.safetensors"));
        writeRaw(path, header, QByteArray(dataBytes, '\0'), claimedLength);
        const QString error = openError(path);
        QVERIFY2(!error.isEmpty(), "a malformed file was accepted");
        QVERIFY2(error.contains(expectedWords), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("bad.safetensors")), qPrintable(error));
    }

    void tinyAndMissingFiles()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("tiny.safetensors"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("abc");
        f.close();
        QVERIFY(openError(path).contains(QLatin1String("truncated")));
        QVERIFY(openError(dir.filePath(QStringLiteral("missing.safetensors")))
                    .contains(QLatin1String("no such file")));
        QVERIFY(!Checkpoint::open(dir.filePath(QStringLiteral("nothing"))).ok());
        const Expected<std::shared_ptr<Checkpoint>> empty
            = Checkpoint::open(dir.path() + QStringLiteral("/"));
        QVERIFY(!empty.ok()); // tiny.safetensors is malformed
    }

    // A real checkpoint cut short: the header still parses but the offsets run past the end.
    void truncatedRealCheckpoint()
    {
        QTemporaryDir dir;
        QFile src(kLlama + QStringLiteral("/model.safetensors"));
        QVERIFY(src.open(QIODevice::ReadOnly));
        const QByteArray head = src.read(2 * 1024 * 1024);
        QFile dst(dir.filePath(QStringLiteral("model.safetensors")));
        QVERIFY(dst.open(QIODevice::WriteOnly));
        dst.write(head);
        dst.close();
        const QString error = openError(dst.fileName());
        QVERIFY2(error.contains(QLatin1String("truncated or corrupt")), qPrintable(error));
    }

    void shardedCheckpoint()
    {
        QTemporaryDir dir;
        MatrixRM a = MatrixRM::Constant(4, 8, 0.5f), b = MatrixRM::Constant(8, 4, -1.0f);
        SafetensorsWriter w1, w2;
        w1.addMatrix(QStringLiteral("model.layers.0.self_attn.q_proj.weight"), a, DType::BF16);
        w2.addMatrix(QStringLiteral("model.layers.1.self_attn.q_proj.weight"), b, DType::F16);
        QVERIFY(w1.write(dir.filePath(QStringLiteral("model-00001-of-00002.safetensors"))).ok());
        QVERIFY(w2.write(dir.filePath(QStringLiteral("model-00002-of-00002.safetensors"))).ok());
        QJsonObject map;
        map.insert(QStringLiteral("model.layers.0.self_attn.q_proj.weight"),
                   QStringLiteral("model-00001-of-00002.safetensors"));
        map.insert(QStringLiteral("model.layers.1.self_attn.q_proj.weight"),
                   QStringLiteral("model-00002-of-00002.safetensors"));
        writeJson(dir.filePath(QStringLiteral("model.safetensors.index.json")),
                  QJsonObject {{QStringLiteral("weight_map"), map}});
        writeJson(dir.filePath(QStringLiteral("config.json")),
                  QJsonObject {{QStringLiteral("model_type"), QStringLiteral("llama")}});

        Expected<std::shared_ptr<Checkpoint>> ckpt = Checkpoint::open(dir.path());
        QVERIFY2(ckpt.ok(), qPrintable(ckpt.error()));
        QCOMPARE((*ckpt)->shards().size(), 2);
        QCOMPARE(*(*ckpt)->readMatrix(QStringLiteral("model.layers.1.self_attn.q_proj.weight")), b);
        QCOMPARE(*(*ckpt)->readMatrix(QStringLiteral("model.layers.0.self_attn.q_proj.weight")), a);
        QCOMPARE((*ckpt)->parameterCount(), qint64(64));
        Expected<QList<LinearLayerInfo>> layers = quantizableLinears(**ckpt);
        QVERIFY(layers.ok());
        QCOMPARE(layers->size(), 2);

        // A shard named in the index but missing is an error naming it.
        map.insert(QStringLiteral("lm_head.weight"), QStringLiteral("model-00003-of-00003.safetensors"));
        writeJson(dir.filePath(QStringLiteral("model.safetensors.index.json")),
                  QJsonObject {{QStringLiteral("weight_map"), map}});
        Expected<std::shared_ptr<Checkpoint>> broken = Checkpoint::open(dir.path());
        QVERIFY(!broken.ok());
        QVERIFY2(broken.error().contains(QLatin1String("model-00003-of-00003.safetensors")),
                 qPrintable(broken.error()));
    }

    void architectureTables()
    {
        Expected<std::shared_ptr<Checkpoint>> llama = Checkpoint::open(kLlama);
        QVERIFY(llama.ok());
        Expected<QList<LinearLayerInfo>> layers = quantizableLinears(**llama);
        QVERIFY2(layers.ok(), qPrintable(layers.error()));
        QCOMPARE(layers->size(), 6 * 7);
        QCOMPARE(layers->first().kind, QStringLiteral("q_proj"));
        QCOMPARE(layers->at(6).kind, QStringLiteral("down_proj"));
        QCOMPARE(layers->at(6).inFeatures, 1024);
        QCOMPARE(layers->at(6).outFeatures, 384);
        QCOMPARE(layers->last().block, 5);

        Expected<std::shared_ptr<Checkpoint>> opt = Checkpoint::open(kOpt);
        QVERIFY(opt.ok());
        Expected<QList<LinearLayerInfo>> optLayers = quantizableLinears(**opt);
        QVERIFY2(optLayers.ok(), qPrintable(optLayers.error()));
        QCOMPARE(optLayers->size(), 6 * 6);
        QCOMPARE(optLayers->at(4).kind, QStringLiteral("fc1"));
        QVERIFY(!optLayers->at(4).biasName.isEmpty());
        QCOMPARE(optLayers->at(5).inFeatures, 1536);

        const Expected<Architecture> unknown = architectureFromModelType(QStringLiteral("bert"));
        QVERIFY(!unknown.ok());
        QVERIFY(unknown.error().contains(QLatin1String("bert")));
        QVERIFY(unknown.error().contains(QLatin1String("gpt_neox")));
    }

    void gpt2ConvWeightsAreTransposed()
    {
        QTemporaryDir dir;
        MatrixRM w(3, 5); // Conv1D stores (in, out)
        for (int i = 0; i < w.size(); ++i)
            w.data()[i] = float(i);
        SafetensorsWriter writer;
        writer.addMatrix(QStringLiteral("transformer.h.0.mlp.c_fc.weight"), w, DType::F32);
        QVERIFY(writer.write(dir.filePath(QStringLiteral("model.safetensors"))).ok());
        writeJson(dir.filePath(QStringLiteral("config.json")),
                  QJsonObject {{QStringLiteral("model_type"), QStringLiteral("gpt2")}});
        Expected<std::shared_ptr<Checkpoint>> ckpt = Checkpoint::open(dir.path());
        QVERIFY(ckpt.ok());
        Expected<QList<LinearLayerInfo>> layers = quantizableLinears(**ckpt);
        QVERIFY(layers.ok());
        QCOMPARE(layers->first().inFeatures, 3);
        QCOMPARE(layers->first().outFeatures, 5);
        Expected<MatrixRM> loaded = loadLinearWeight(**ckpt, layers->first());
        QVERIFY(loaded.ok());
        QCOMPARE(loaded->rows(), 5);
        QCOMPARE((*loaded)(4, 2), w(2, 4));
    }
};

QTEST_GUILESS_MAIN(TestIo)
#include "test_io.moc"
