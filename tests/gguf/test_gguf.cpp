// GGUF: the container round trip and its corrupt-file errors, llama.cpp's Q/K row order, and the
// export read back on the shipped models (q4_0 + LoRA on lqs-llama-13m: every weight and factor
// bit for bit, the perplexity of the read-back model; the llama2.c vocabulary of stories260K;
// tiny GPT-2 and GPT-NeoX checkpoints the same way; the refusals); the PEFT adapter export read
// back. The comparison with llama.cpp itself is
// tests/interop.

#include "core/export/exporter.h"
#include "core/export/ggufexport.h"
#include "core/export/ggufmodel.h"
#include "core/export/peftexport.h"
#include "core/io/checkpoint.h"
#include "core/io/gguf.h"
#include "core/io/safetensors.h"
#include "core/model/tokenizer.h"
#include "core/model/transformer.h"
#include "tests/common/tinymodels.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>

using namespace lqer;

namespace {

QString shared(const char *rel)
{
    return QStringLiteral(LQER_SHARED_DIR "/") + QLatin1String(rel);
}

// Quantizes every layer of `ckpt` with `plan` (no statistics: plain / LQER only).
QMap<QString, QuantizedLinear> quantizeAll(const std::shared_ptr<Checkpoint> &ckpt, const Plan &plan)
{
    QMap<QString, QuantizedLinear> out;
    LinearProvider provider = quantizingProvider(ckpt, plan, nullptr);
    const auto layers = quantizableLinears(*ckpt);
    if (!layers)
        qFatal("%s", qPrintable(layers.error()));
    for (const LinearLayerInfo &l : *layers) {
        auto q = provider(l);
        if (!q)
            qFatal("%s", qPrintable(q.error()));
        out.insert(l.weightName, *q);
    }
    return out;
}

Plan ggmlPlan(const QString &weight, int rank)
{
    Plan p;
    p.defaults.weight = *QuantFormat::parse(weight);
    p.defaults.act = QuantFormat::q8_0();
    p.defaults.lowRank = QuantFormat::f16();
    p.defaults.method = rank > 0 ? Method::Lqer : Method::Plain;
    p.defaults.rank = rank;
    return p;
}

GgufExportConfig exportConfig(const std::shared_ptr<Checkpoint> &ckpt, const Plan &plan,
                              const QMap<QString, QuantizedLinear> &linears, const QString &outputDir)
{
    GgufExportConfig c;
    c.checkpoint = ckpt;
    c.plan = plan;
    c.linears = linearsFromMap(linears);
    c.outputDir = outputDir;
    return c;
}

double windowPerplexity(const Transformer &model, const std::vector<int> &ids, int L)
{
    Expected<double> nll = model.sequenceNll(ids.data(), L);
    if (!nll)
        qFatal("%s", qPrintable(nll.error()));
    return std::exp(*nll / (L - 1));
}

// The first `chars` bytes of the held-out text tokenized with `tokenizer` (a tokenizer.json, or a
// model folder); empty, with a warning, when either cannot be read.
std::vector<int> heldoutIds(const QString &tokenizer, qint64 chars)
{
    auto tok = QFileInfo(tokenizer).isDir() ? Tokenizer::fromModelFolder(tokenizer)
                                            : Tokenizer::fromHuggingFace(tokenizer);
    QFile text(shared("data/lqs-corpus/heldout.txt"));
    if (!tok || !text.open(QIODevice::ReadOnly)) {
        qWarning("cannot tokenize the held-out text with %s", qPrintable(tokenizer));
        return {};
    }
    return (*tok)->encode(QString::fromUtf8(text.read(chars)));
}

} // namespace

// A PEFT export of `source`'s `linears` read back (its base folder + adapter): the same Wq, A and B
// as the engine's, and the perplexity of one window of `L` tokens of held-out text (tokenized
// with `tokenizer`) both ways.
static void checkPeftReadBack(const Checkpoint &source, const PeftExportResult &r,
                              const QMap<QString, QuantizedLinear> &linears, const QString &tokenizer, int L,
                              double &ours, double &read)
{
    auto back = Transformer::load(r.base.outputDir);
    QVERIFY2(back.ok(), qPrintable(back.error()));
    QVERIFY2(installPeftAdapter(**back, r.adapterDir).ok(), "install");
    for (auto it = linears.begin(); it != linears.end(); ++it) {
        const QuantizedLinear *q = (*back)->quantizedLinear((*back)->linearIndex(it.key()));
        QVERIFY(q);
        QVERIFY2(q->dequantizedWeight() == it->dequantizedWeight() && q->a == it->a && q->b == it->b,
                 qPrintable(it.key()));
    }
    auto engine = Transformer::fromCheckpoint(source);
    QVERIFY(engine.ok());
    QVERIFY((*engine)->setQuantizedLinears(linears).ok());
    const std::vector<int> ids = heldoutIds(tokenizer, 3000);
    QVERIFY(int(ids.size()) >= L);
    ours = windowPerplexity(**engine, ids, L);
    read = windowPerplexity(**back, ids, L);
}

// The size preview (predictExportSize, nothing written) against the files an export wrote.
static void checkGgufPrediction(const std::shared_ptr<Checkpoint> &ckpt, const Plan &plan,
                                const GgufExportResult &r, const QString &tokenizer = QString())
{
    auto p = predictExportSize(ckpt, plan, PredictedFormat::Gguf, DType::F16, tokenizer);
    QVERIFY2(p.ok(), qPrintable(p.error()));
    QVERIFY(p->exact);
    QCOMPARE(p->baseBytes, r.modelBytes);
    QCOMPARE(p->adapterBytes, r.loraBytes);
    QCOMPARE(p->otherBytes, r.otherBytes);
    qint64 onDisk = 0;
    for (const QString &f : r.files)
        onDisk += QFileInfo(QDir(r.outputDir).filePath(f)).size();
    QCOMPARE(p->totalBytes(), onDisk);
    QCOMPARE(p->bitsPerWeight, r.formulaBitsPerWeight);
    QCOMPARE(p->quantizedLayers, r.quantizedLayers);
}

class TestGguf : public QObject
{
    Q_OBJECT

private slots:
    void containerRoundTrip()
    {
        QTemporaryDir dir;
        GgufWriter w;
        w.setString(QStringLiteral("general.architecture"), QStringLiteral("llama"));
        w.setU32(QStringLiteral("a.u32"), 4000000000u);
        w.setI32(QStringLiteral("a.i32"), -7);
        w.setF32(QStringLiteral("a.f32"), 0.125f);
        w.setBool(QStringLiteral("a.bool"), true);
        w.setStringArray(QStringLiteral("a.strings"),
                         {QStringLiteral("Ġthe"), QStringLiteral("▁a b"), QString()});
        w.setF32Array(QStringLiteral("a.floats"), {-1.5f, 2.0f});
        w.setI32Array(QStringLiteral("a.ints"), {1, 3, 6});
        QByteArray f32(4 * 3 * 2, '\0');
        for (int i = 0; i < 6; ++i) {
            const float v = float(i) - 2.5f;
            std::memcpy(f32.data() + 4 * i, &v, 4);
        }
        QVERIFY(w.addTensor(QStringLiteral("t.f32"), GgmlType::F32, {3, 2}, f32).ok());
        QByteArray q4(18 * 2, '\x5a');
        QVERIFY(w.addTensor(QStringLiteral("t.q4"), GgmlType::Q4_0, {64}, q4).ok());
        QVERIFY(!w.addTensor(QStringLiteral("t.bad"), GgmlType::Q8_0, {40}, QByteArray(34, '\0')).ok());
        const QString path = dir.filePath(QStringLiteral("x.gguf"));
        QVERIFY(w.write(path).ok());

        auto g = GgufFile::open(path);
        QVERIFY2(g.ok(), qPrintable(g.error()));
        QCOMPARE((*g)->version(), 3u);
        QCOMPARE(*(*g)->string(QStringLiteral("general.architecture")), QStringLiteral("llama"));
        QCOMPARE(*(*g)->integer(QStringLiteral("a.u32")), qint64(4000000000u));
        QCOMPARE(*(*g)->integer(QStringLiteral("a.i32")), qint64(-7));
        QCOMPARE(*(*g)->real(QStringLiteral("a.f32")), 0.125);
        QCOMPARE((*g)->stringArray(QStringLiteral("a.strings"))->at(1), QStringLiteral("▁a b"));
        QCOMPARE((*g)->realArray(QStringLiteral("a.floats"))->at(0), -1.5f);
        QCOMPARE((*g)->integerArray(QStringLiteral("a.ints"))->at(2), qint64(6));
        QVERIFY(!(*g)->string(QStringLiteral("a.i32")).ok()); // wrong type: an error, not a value
        const GgufTensorInfo *t = (*g)->find(QStringLiteral("t.q4"));
        QVERIFY(t);
        QCOMPARE(t->bytes, qint64(36));
        QCOMPARE(t->offset % 32, quint64(0));
        QVERIFY(std::memcmp(*(*g)->data(*t), q4.constData(), 36) == 0);
        const GgufTensorInfo *tf = (*g)->find(QStringLiteral("t.f32"));
        QCOMPARE(tf->ne, (QList<qint64> {3, 2}));
        QVERIFY(std::memcmp(*(*g)->data(*tf), f32.constData(), 24) == 0);
    }

    void corruptFilesNameTheProblem()
    {
        QTemporaryDir dir;
        GgufWriter w;
        w.setString(QStringLiteral("general.architecture"), QStringLiteral("llama"));
        QVERIFY(w.addTensor(QStringLiteral("t"), GgmlType::F32, {8}, QByteArray(32, '\0')).ok());
        const QString good = dir.filePath(QStringLiteral("good.gguf"));
        QVERIFY(w.write(good).ok());
        QFile f(good);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();

        auto writeVariant = [&](const QString &name, const QByteArray &b) {
            const QString p = dir.filePath(name);
            QFile o(p);
            o.open(QIODevice::WriteOnly);
            o.write(b);
            return p;
        };
        auto truncated
            = GgufFile::open(writeVariant(QStringLiteral("short.gguf"), bytes.left(bytes.size() - 16)));
        QVERIFY(!truncated.ok());
        QVERIFY2(truncated.error().contains(QLatin1String("short.gguf"))
                     && truncated.error().contains(QLatin1String("'t'")),
                 qPrintable(truncated.error()));
        QByteArray badMagic = bytes;
        badMagic[0] = 'X';
        auto magic = GgufFile::open(writeVariant(QStringLiteral("magic.gguf"), badMagic));
        QVERIFY(!magic.ok());
        QVERIFY2(magic.error().contains(QLatin1String("not a GGUF file")), qPrintable(magic.error()));
        auto header = GgufFile::open(writeVariant(QStringLiteral("header.gguf"), bytes.left(40)));
        QVERIFY(!header.ok());
        QVERIFY2(header.error().contains(QLatin1String("truncated")), qPrintable(header.error()));
    }

    // Every truncation and many byte flips of a small file give an error or a file whose tensors
    // lie inside it; never a crash (run under the sanitizer builds too).
    void damagedFilesNeverCrash()
    {
        QTemporaryDir dir;
        GgufWriter w;
        w.setString(QStringLiteral("general.architecture"), QStringLiteral("llama"));
        w.setStringArray(QStringLiteral("tokenizer.ggml.tokens"),
                         {QStringLiteral("a"), QStringLiteral("bc")});
        w.setF32Array(QStringLiteral("s"), {1.0f, 2.0f});
        QVERIFY(w.addTensor(QStringLiteral("q"), GgmlType::Q8_0, {32, 2}, QByteArray(68, '\x01')).ok());
        QVERIFY(w.addTensor(QStringLiteral("f"), GgmlType::F16, {3}, QByteArray(6, '\x02')).ok());
        const QString good = dir.filePath(QStringLiteral("good.gguf"));
        QVERIFY(w.write(good).ok());
        QFile f(good);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        const QString path = dir.filePath(QStringLiteral("damaged.gguf"));
        auto check = [&](const QByteArray &b) {
            QFile o(path);
            QVERIFY(o.open(QIODevice::WriteOnly | QIODevice::Truncate));
            o.write(b);
            o.close();
            auto g = GgufFile::open(path);
            if (!g) {
                QVERIFY(g.error().contains(QLatin1String("damaged.gguf")));
                return;
            }
            for (const GgufTensorInfo &t : (*g)->tensors()) { // read every byte it promises
                QVERIFY(qint64(t.offset) + t.bytes <= (*g)->fileSize());
                const uchar *p = *(*g)->data(t);
                QByteArray copy(reinterpret_cast<const char *>(p), qsizetype(t.bytes));
                QCOMPARE(copy.size(), qsizetype(t.bytes));
            }
        };
        for (int n = 0; n < bytes.size(); ++n)
            check(bytes.left(n));
        quint32 state = 12345;
        for (int i = 0; i < 400; ++i) {
            QByteArray b = bytes;
            state = state * 1664525u + 1013904223u;
            const int at = int(state % quint32(b.size()));
            b[at] = char(b[at] ^ char(1 << (state >> 29)));
            check(b);
        }
    }

    // llama.cpp's converter: reshape(heads, 2, d/2, cols).swapaxes(1, 2). Two heads of 4 rows:
    // output rows (h, i, p) = source (h, p, i) -> [0, 2, 1, 3, 4, 6, 5, 7].
    void interleavedRowOrderByHand()
    {
        QCOMPARE(interleavedRowOrder(2, 4), (std::vector<qint64> {0, 2, 1, 3, 4, 6, 5, 7}));
        QCOMPARE(ggufTensorName(QStringLiteral("model.layers.3.mlp.down_proj.weight")),
                 QStringLiteral("blk.3.ffn_down.weight"));
        QCOMPARE(ggufTensorName(QStringLiteral("model.layers.0.post_attention_layernorm.weight")),
                 QStringLiteral("blk.0.ffn_norm.weight"));
        QVERIFY(ggufTensorName(QStringLiteral("model.decoder.layers.0.fc1.weight")).isEmpty());
    }

    // GPT-NeoX's fused rows per head [q, k, v] -> llama.cpp's [all q | all k | all v]; two heads
    // of 2 rows: source rows h·6 + p·2 + i.
    void gpt2AndNeoXLayouts()
    {
        QCOMPARE(neoxQkvRowOrder(2, 2), (std::vector<qint64> {0, 1, 6, 7, 2, 3, 8, 9, 4, 5, 10, 11}));
        QCOMPARE(ggufTensorName(QStringLiteral("transformer.h.2.attn.c_attn.weight"), Architecture::Gpt2),
                 QStringLiteral("blk.2.attn_qkv.weight"));
        QCOMPARE(ggufTensorName(QStringLiteral("h.0.mlp.c_proj.bias"), Architecture::Gpt2),
                 QStringLiteral("blk.0.ffn_down.bias"));
        QCOMPARE(ggufTensorName(QStringLiteral("transformer.wpe.weight"), Architecture::Gpt2),
                 QStringLiteral("position_embd.weight"));
        QCOMPARE(ggufTensorName(QStringLiteral("gpt_neox.layers.1.attention.query_key_value.bias"),
                                Architecture::GptNeoX),
                 QStringLiteral("blk.1.attn_qkv.bias"));
        QCOMPARE(ggufTensorName(QStringLiteral("embed_out.weight"), Architecture::GptNeoX),
                 QStringLiteral("output.weight"));
        QVERIFY(ggufTensorName(QStringLiteral("gpt_neox.layers.0.attention.bias"), Architecture::GptNeoX)
                    .isEmpty()); // the causal mask buffer
        QCOMPARE(ggufArchitectureName(Architecture::GptNeoX), QStringLiteral("gptneox"));
        QVERIFY(ggufArchitectureName(Architecture::Opt).isEmpty());
    }

    void tinyArchitectureRoundTrip_data()
    {
        QTest::addColumn<QString>("modelType");
        QTest::addColumn<QString>("activation");
        QTest::newRow("gpt2") << QStringLiteral("gpt2") << QStringLiteral("gelu_new");
        QTest::newRow("gpt_neox") << QStringLiteral("gpt_neox") << QStringLiteral("gelu_new");
        QTest::newRow("gpt_neox sequential, exact gelu")
            << QStringLiteral("gpt_neox") << QStringLiteral("gelu");
    }

    // A tiny GPT-2 / GPT-NeoX (q4_0 + LQER k = 16, f16 factors, q8_0 activations): the files hold
    // the engine's Wq, biases, A and B bit for bit (read back in Hugging Face order: GPT-NeoX's
    // fused rows and Bᵀ's rows permuted back), and the read-back model scores like the engine's
    // own plan; the studio's checkpoint view gives the source's layout back.
    void tinyArchitectureRoundTrip()
    {
        QFETCH(QString, modelType);
        QFETCH(QString, activation);
        QTemporaryDir dir;
        QFile calib(shared("data/lqs-corpus/calib.txt"));
        QVERIFY(calib.open(QIODevice::ReadOnly));
        testing::TinyModelSpec spec;
        spec.modelType = modelType;
        spec.activation = activation;
        spec.parallelResidual = activation != QLatin1String("gelu");
        const QString src = dir.filePath(QStringLiteral("src"));
        const Status made = testing::writeTinyModel(src, spec, QString::fromUtf8(calib.read(200000)));
        QVERIFY2(made.ok(), qPrintable(made.error()));
        auto ckpt = Checkpoint::open(src);
        QVERIFY2(ckpt.ok(), qPrintable(ckpt.error()));
        const Plan plan = ggmlPlan(QStringLiteral("q4_0"), 16);
        const QMap<QString, QuantizedLinear> linears = quantizeAll(*ckpt, plan);
        auto r = exportGguf(exportConfig(*ckpt, plan, linears, dir.filePath(QStringLiteral("out"))));
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QCOMPARE(r->quantizedLayers, 8);
        QCOMPARE(r->loraLayers, 8);
        // Pythia's exact GELU is not llama.cpp's: the export says so.
        QCOMPARE(r->notes.size(), activation == QLatin1String("gelu") ? 1 : 0);
        if (!r->notes.isEmpty())
            QVERIFY2(r->notes.first().contains(QLatin1String("GELU")), qPrintable(r->notes.first()));
        checkGgufPrediction(*ckpt, plan, *r);
        if (QTest::currentTestFailed())
            return;
        const QString model = dir.filePath(QStringLiteral("out/model.gguf"));
        const QString lora = dir.filePath(QStringLiteral("out/lqer-lora.gguf"));
        auto g = GgufFile::open(model);
        QVERIFY(g.ok());
        const QString arch
            = modelType == QLatin1String("gpt2") ? QStringLiteral("gpt2") : QStringLiteral("gptneox");
        QCOMPARE(*(*g)->string(QStringLiteral("general.architecture")), arch);
        QCOMPARE((*g)->find(QStringLiteral("blk.1.attn_qkv.weight"))->ne, (QList<qint64> {64, 192}));
        QCOMPARE((*g)->find(QStringLiteral("blk.1.attn_qkv.weight"))->type, GgmlType::Q4_0);
        QCOMPARE((*g)->find(QStringLiteral("blk.1.attn_qkv.bias"))->type, GgmlType::F32);
        // GPT-2 ties its output to token_embd; GPT-NeoX has its own.
        QCOMPARE((*g)->find(QStringLiteral("output.weight")) != nullptr,
                 modelType == QLatin1String("gpt_neox"));
        if (modelType == QLatin1String("gpt_neox")) {
            QCOMPARE(*(*g)->integer(QStringLiteral("gptneox.rope.dimension_count")), qint64(8));
            QCOMPARE((*g)->metadata().value(QStringLiteral("gptneox.use_parallel_residual")).scalar.toBool(),
                     spec.parallelResidual);
        }

        GgufModelInfo info;
        auto loaded = loadGgufModel(model, lora, {}, &info);
        QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
        const Transformer &m = **loaded;
        // llama.cpp multiplies an f16 lora_a with the layer's input as it comes (the reader
        // emulates it): the engine's plan without the q8_0 rounding of X·A is the same model.
        QMap<QString, QuantizedLinear> asLlamaCpp = linears;
        for (QuantizedLinear &q : asLlamaCpp)
            q.lowRankAct = QuantFormat::none();
        auto engine = Transformer::fromCheckpoint(**ckpt);
        QVERIFY(engine.ok());
        QVERIFY((*engine)->setQuantizedLinears(asLlamaCpp).ok());
        QCOMPARE(m.linearCount(), (*engine)->linearCount());
        for (auto it = linears.begin(); it != linears.end(); ++it) {
            const int index = m.linearIndex(it.key());
            QVERIFY2(index >= 0, qPrintable(it.key()));
            const QuantizedLinear *q = m.quantizedLinear(index);
            QVERIFY(q);
            QCOMPARE(q->act, QuantFormat::q8_0());
            QVERIFY2(q->dequantizedWeight() == it->dequantizedWeight() && q->a == it->a && q->b == it->b,
                     qPrintable(it.key()));
            QVERIFY2(m.linearBias(index) == (*engine)->linearBias((*engine)->linearIndex(it.key())),
                     qPrintable(it.key()));
        }
        const std::vector<int> ids = heldoutIds(info.tokenizerPath, 3000);
        QVERIFY(ids.size() >= 256);
        // The reader computes ggml's GELU (the tanh form): equal to the engine's for gelu_new;
        // for the exact GELU 0.25% apart on this random model (why the export notes it).
        const double ours = windowPerplexity(**engine, ids, 256);
        const double back = windowPerplexity(m, ids, 256);
        const double tolerance = activation == QLatin1String("gelu") ? 5e-3 : 1e-6;
        if (activation == QLatin1String("gelu"))
            QVERIFY(std::fabs(back / ours - 1) > 1e-4);
        QVERIFY2(std::fabs(back / ours - 1) < tolerance,
                 qPrintable(QStringLiteral("%1 vs %2").arg(back).arg(ours)));
        auto plain = loadGgufModel(model);
        QVERIFY(plain.ok());
        QVERIFY(windowPerplexity(**plain, ids, 256) != back);

        // The checkpoint view: Hugging Face names and layouts (GPT-2's Conv1D (in, out)).
        auto view = openGgufCheckpoint(model);
        QVERIFY2(view.ok(), qPrintable(view.error()));
        auto viewLayers = quantizableLinears(**view);
        QVERIFY2(viewLayers.ok(), qPrintable(viewLayers.error()));
        QCOMPARE(viewLayers->size(), 8);
        for (const LinearLayerInfo &l : *viewLayers) {
            QVERIFY2(linears.contains(l.weightName), qPrintable(l.weightName));
            auto w = loadLinearWeight(**view, l);
            QVERIFY2(w.ok() && *w == linears.value(l.weightName).dequantizedWeight(),
                     qPrintable(l.weightName));
            auto bias = (*view)->readMatrix(l.biasName);
            auto srcBias = (*ckpt)->readMatrix(l.biasName);
            QVERIFY2(bias.ok() && srcBias.ok() && *bias == *srcBias, qPrintable(l.biasName));
        }
        auto viewModel = Transformer::fromCheckpoint(**view);
        QVERIFY2(viewModel.ok(), qPrintable(viewModel.error()));
        QCOMPARE((*viewModel)->config().rotaryDims, (*engine)->config().rotaryDims);
        QCOMPARE((*viewModel)->config().parallelResidual, (*engine)->config().parallelResidual);
    }

    // q4_0 + LQER k = 8 (f16 factors) on lqs-llama-13m: written, read back bit for bit (Q and K
    // rows in llama.cpp's order, A and B transposed into lora_a / lora_b), and the read-back
    // model with its adapter scores like the engine's own plan.
    void q4LoraRoundTripOnLqsLlama()
    {
        auto ckpt = Checkpoint::open(shared("models/lqs-llama-13m"));
        QVERIFY2(ckpt.ok(), qPrintable(ckpt.error()));
        const Plan plan = ggmlPlan(QStringLiteral("q4_0"), 8);
        const QMap<QString, QuantizedLinear> linears = quantizeAll(*ckpt, plan);
        QTemporaryDir dir;
        auto r = exportGguf(exportConfig(*ckpt, plan, linears, dir.filePath(QStringLiteral("out"))));
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QCOMPARE(r->quantizedLayers, 42);
        QCOMPARE(r->loraLayers, 42);
        QVERIFY(r->notes.isEmpty());
        QVERIFY(r->files.contains(QStringLiteral("tokenizer.json")));
        // 4.5 bits + (m + n)·8·16 / (m·n) for the factors.
        QVERIFY2(r->formulaBitsPerWeight > 4.5 && r->formulaBitsPerWeight < 5.5,
                 qPrintable(QString::number(r->formulaBitsPerWeight)));
        checkGgufPrediction(*ckpt, plan, *r);
        if (QTest::currentTestFailed())
            return;

        const QString model = dir.filePath(QStringLiteral("out/model.gguf"));
        const QString lora = dir.filePath(QStringLiteral("out/lqer-lora.gguf"));
        QVERIFY(isGgufFile(model));
        GgufModelInfo info;
        auto loaded = loadGgufModel(model, lora, {}, &info);
        QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
        QCOMPARE(info.tokenizerModel, QStringLiteral("gpt2"));
        QVERIFY(info.plan.has_value());
        QCOMPARE(info.loraAlpha, 8.0); // one rank everywhere: alpha = rank, scale 1
        const Transformer &m = **loaded;
        const std::vector<qint64> qOrder = interleavedRowOrder(6, 64);
        for (auto it = linears.begin(); it != linears.end(); ++it) {
            const int index = m.linearIndex(it.key());
            QVERIFY(index >= 0);
            const QuantizedLinear *q = m.quantizedLinear(index);
            QVERIFY(q);
            QCOMPARE(q->act, QuantFormat::q8_0());
            const bool permuted
                = it.key().contains(QLatin1String("q_proj")) || it.key().contains(QLatin1String("k_proj"));
            const MatrixRM got = q->dequantizedWeight(), want = it->dequantizedWeight();
            for (qint64 row = 0; row < want.rows(); ++row) {
                const qint64 src = permuted ? qOrder[size_t(row)] : row;
                QVERIFY2(got.row(row) == want.row(src), qPrintable(it.key()));
                QVERIFY2(q->b.col(row) == it->b.col(src), qPrintable(it.key()));
            }
            QVERIFY2(q->a == it->a, qPrintable(it.key()));
        }

        // The read-back model (interleaved rotary, q8_0 inputs, LoRA added) against the engine's
        // installed plan on one window of held-out text.
        const std::vector<int> ids = heldoutIds(info.tokenizerPath, 3000);
        QVERIFY(ids.size() >= 256);
        auto engine = Transformer::fromCheckpoint(**ckpt);
        QVERIFY(engine.ok());
        QVERIFY((*engine)->setQuantizedLinears(linears).ok());
        const double ours = windowPerplexity(**engine, ids, 256);
        const double back = windowPerplexity(m, ids, 256);
        QVERIFY2(std::fabs(back / ours - 1) < 0.003,
                 qPrintable(QStringLiteral("%1 vs %2").arg(back).arg(ours)));
        // Without the adapter the correction is gone: a different (higher-error) model.
        auto plain = loadGgufModel(model);
        QVERIFY(plain.ok());
        QVERIFY(windowPerplexity(**plain, ids, 256) != back);
    }

    // stories260K: the llama2.c vocabulary as llama.cpp's SentencePiece-style tokenizer, q8_0
    // weights; ffn_down's 172 inputs are not whole 32-blocks, so its Wq is stored exactly as f32.
    void llama2cVocabularyOnStories260K()
    {
        auto ckpt = Checkpoint::open(shared("models/stories260K-hf"));
        QVERIFY2(ckpt.ok(), qPrintable(ckpt.error()));
        const Plan plan = ggmlPlan(QStringLiteral("q8_0"), 0);
        QTemporaryDir dir;
        GgufExportConfig c;
        c.checkpoint = *ckpt;
        c.plan = plan;
        c.linears = quantizingProvider(*ckpt, plan, nullptr);
        c.outputDir = dir.filePath(QStringLiteral("out"));
        c.tokenizerPath = shared("models/stories260K/tok512.bin");
        auto r = exportGguf(c);
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QCOMPARE(r->notes.size(), 5); // one ffn_down per block
        checkGgufPrediction(*ckpt, plan, *r, c.tokenizerPath);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(r->notes.first().contains(QLatin1String("172")));
        auto g = GgufFile::open(dir.filePath(QStringLiteral("out/model.gguf")));
        QVERIFY(g.ok());
        QCOMPARE(*(*g)->string(QStringLiteral("tokenizer.ggml.model")), QStringLiteral("llama"));
        const QStringList tokens = *(*g)->stringArray(QStringLiteral("tokenizer.ggml.tokens"));
        QCOMPARE(tokens.size(), 512);
        QCOMPARE(tokens.at(1), QStringLiteral("<s>"));
        QCOMPARE(tokens.at(3), QStringLiteral("<0x00>"));
        QCOMPARE(tokens.at(259), QStringLiteral("▁t")); // " t" in tok512.bin
        const std::vector<qint64> types = *(*g)->integerArray(QStringLiteral("tokenizer.ggml.token_type"));
        QCOMPARE(types.at(0), qint64(2));
        QCOMPARE(types.at(1), qint64(3));
        QCOMPARE(types.at(3), qint64(6));
        QCOMPARE(types.at(259), qint64(1));
        QCOMPARE((*g)->find(QStringLiteral("blk.0.ffn_down.weight"))->type, GgmlType::F32);
        QCOMPARE((*g)->find(QStringLiteral("blk.0.ffn_up.weight"))->type, GgmlType::Q8_0);
        GgufModelInfo info;
        auto loaded = loadGgufModel(dir.filePath(QStringLiteral("out/model.gguf")), QString(), {}, &info);
        QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
        QVERIFY(info.tokenizerPath.endsWith(QLatin1String("tok512.bin")));
        QCOMPARE((*loaded)->config().numKvHeads, 4);
    }

    // PEFT: the dequantized base (fp32: q4_0's Wq exactly) plus lqer-adapter/ read back gives
    // the engine's weight-only plan exactly: the same Wq, A, B (scaling alpha / r = 1).
    void peftRoundTrip()
    {
        auto ckpt = Checkpoint::open(shared("models/lqs-llama-13m"));
        QVERIFY(ckpt.ok());
        Plan plan = ggmlPlan(QStringLiteral("q4_0"), 8);
        plan.defaults.act = QuantFormat::none();
        const QMap<QString, QuantizedLinear> linears = quantizeAll(*ckpt, plan);
        QTemporaryDir dir;
        ExportConfig c;
        c.checkpoint = *ckpt;
        c.plan = plan;
        c.linears = linearsFromMap(linears);
        c.outputDir = dir.filePath(QStringLiteral("peft"));
        c.dtype = DType::F32;
        auto r = exportPeft(c, DType::F32);
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QCOMPARE(r->adapterLayers, 42);
        {
            // The size preview: the data is exact, the headers and adapter_config.json estimated.
            auto p = predictExportSize(*ckpt, plan, PredictedFormat::Peft, DType::F32);
            QVERIFY2(p.ok(), qPrintable(p.error()));
            qint64 base = 0, adapter = 0, other = 0;
            for (const QString &f : r->base.files + r->adapterFiles) {
                const qint64 bytes = QFileInfo(QDir(c.outputDir).filePath(f)).size();
                (f.startsWith(QLatin1String("lqer-adapter/"))    ? adapter
                     : f.endsWith(QLatin1String(".safetensors")) ? base
                                                                 : other)
                    += bytes;
            }
            qInfo("PEFT size preview: base %lld (written %lld), adapter %lld (%lld), other %lld (%lld)",
                  p->baseBytes, base, p->adapterBytes, adapter, p->otherBytes, other);
            QVERIFY(std::abs(p->baseBytes - base) < std::max<qint64>(4096, base / 100));
            QVERIFY(std::abs(p->adapterBytes - adapter) < std::max<qint64>(4096, adapter / 100));
            QVERIFY(std::abs(p->otherBytes - other) < 4096);
        }
        QFile cfgFile(QDir(r->adapterDir).filePath(QStringLiteral("adapter_config.json")));
        QVERIFY(cfgFile.open(QIODevice::ReadOnly));
        const QJsonObject cfg = QJsonDocument::fromJson(cfgFile.readAll()).object();
        QCOMPARE(cfg.value(QStringLiteral("peft_type")).toString(), QStringLiteral("LORA"));
        QCOMPARE(cfg.value(QStringLiteral("rank_pattern"))
                     .toObject()
                     .value(QStringLiteral("model.layers.5.mlp.down_proj"))
                     .toInt(),
                 8);
        QCOMPARE(cfg.value(QStringLiteral("alpha_pattern")), cfg.value(QStringLiteral("rank_pattern")));
        QVERIFY(isPeftAdapter(r->adapterDir));

        double ours = 0, read = 0;
        checkPeftReadBack(**ckpt, *r, linears, c.outputDir, 128, ours, read);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(read, ours);

        // A folder without an adapter, and a module the model does not have.
        QVERIFY(!isPeftAdapter(c.outputDir));
        auto opt = Transformer::load(shared("models/lqs-opt-14m"));
        QVERIFY(opt.ok());
        const Status s = installPeftAdapter(**opt, r->adapterDir);
        QVERIFY(!s.ok());
        QVERIFY2(s.error().contains(QLatin1String("model.layers.")), qPrintable(s.error()));
    }

    void gptqPeftTinyArchitectures_data()
    {
        QTest::addColumn<QString>("modelType");
        QTest::newRow("gpt2") << QStringLiteral("gpt2");
        QTest::newRow("gpt_neox") << QStringLiteral("gpt_neox");
    }

    // The GPTQ base of a PEFT export for GPT-2 (Conv1D weights, stored (in, out)) and GPT-NeoX
    // (fused Q/K/V): qweight is [in/8, out] for both, the folder reads back GPT-2's weights in
    // Conv1D orientation, Wq bit for bit, and base + adapter scores as the engine's plan.
    void gptqPeftTinyArchitectures()
    {
        QFETCH(QString, modelType);
        QTemporaryDir dir;
        QFile calib(shared("data/lqs-corpus/calib.txt"));
        QVERIFY(calib.open(QIODevice::ReadOnly));
        testing::TinyModelSpec spec;
        spec.modelType = modelType;
        const QString src = dir.filePath(QStringLiteral("src"));
        QVERIFY(testing::writeTinyModel(src, spec, QString::fromUtf8(calib.read(200000))).ok());
        auto ckpt = Checkpoint::open(src);
        QVERIFY2(ckpt.ok(), qPrintable(ckpt.error()));
        Plan plan = ggmlPlan(QStringLiteral("f16"), 8);
        plan.defaults.weight = QuantFormat::intSym(4, 32);
        plan.defaults.act = QuantFormat::none();
        const QMap<QString, QuantizedLinear> linears = quantizeAll(*ckpt, plan);
        ExportConfig c;
        c.checkpoint = *ckpt;
        c.plan = plan;
        c.linears = linearsFromMap(linears);
        c.outputDir = dir.filePath(QStringLiteral("peft"));
        c.dtype = DType::F32;
        auto r = exportPeft(c, DType::F32);
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QCOMPARE(r->gptqGroupSize, 32);
        auto raw = SafetensorsFile::open(QDir(c.outputDir).filePath(QStringLiteral("model.safetensors")));
        QVERIFY(raw.ok());
        const QString fused = modelType == QLatin1String("gpt2")
            ? QStringLiteral("transformer.h.0.attn.c_attn")
            : QStringLiteral("gpt_neox.layers.0.attention.query_key_value");
        QCOMPARE((*raw)->find(fused + QStringLiteral(".qweight"))->shape, (QList<qint64> {64 / 8, 3 * 64}));
        QVERIFY((*raw)->find(fused + QStringLiteral(".bias")));
        auto back = Checkpoint::open(c.outputDir);
        QVERIFY2(back.ok(), qPrintable(back.error()));
        QCOMPARE((*back)->find(fused + QStringLiteral(".weight"))->shape,
                 (*ckpt)->find(fused + QStringLiteral(".weight"))->shape);
        double ours = 0, read = 0;
        checkPeftReadBack(**ckpt, *r, linears, QDir(src).filePath(QStringLiteral("tokenizer.json")), 256,
                          ours, read);
        if (QTest::currentTestFailed())
            return;
        qInfo("%s GPTQ PEFT export: perplexity in memory %.9g, read back %.9g", qPrintable(modelType), ours,
              read);
        QVERIFY2(std::abs(read - ours) <= 1e-6 * ours, qPrintable(QString::number(read - ours)));
    }

    void refusals()
    {
        QTemporaryDir dir;
        auto opt = Checkpoint::open(shared("models/lqs-opt-14m"));
        QVERIFY(opt.ok());
        GgufExportConfig c;
        c.checkpoint = *opt;
        c.plan = ggmlPlan(QStringLiteral("q4_0"), 0);
        c.linears = quantizingProvider(*opt, c.plan, nullptr);
        c.outputDir = dir.filePath(QStringLiteral("opt"));
        auto r = exportGguf(c);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().contains(QLatin1String("'opt'")), qPrintable(r.error()));

        auto llama = Checkpoint::open(shared("models/lqs-llama-13m"));
        QVERIFY(llama.ok());
        c.checkpoint = *llama;
        c.plan = Plan(); // MXINT4 weights: no ggml type
        c.linears = quantizingProvider(*llama, c.plan, nullptr);
        c.outputDir = dir.filePath(QStringLiteral("mx"));
        r = exportGguf(c);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().contains(QLatin1String("model.layers.0.self_attn.q_proj.weight"))
                     && r.error().contains(QLatin1String("mxint4")),
                 qPrintable(r.error()));

        // A non-empty folder without force.
        QFile junk(dir.filePath(QStringLiteral("busy/x.txt")));
        QDir().mkpath(dir.filePath(QStringLiteral("busy")));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.close();
        c.plan = ggmlPlan(QStringLiteral("q4_0"), 0);
        c.outputDir = dir.filePath(QStringLiteral("busy"));
        r = exportGguf(c);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().contains(QLatin1String("not empty")), qPrintable(r.error()));

        // A file that is not GGUF.
        QVERIFY(!readGgufInfo(shared("models/lqs-llama-13m/config.json")).ok());
    }
};

QTEST_GUILESS_MAIN(TestGguf)
#include "test_gguf.moc"
