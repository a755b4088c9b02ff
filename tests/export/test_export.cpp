// Export of quantized checkpoints: bit-exact packing of every number format, the
// packed round trip on lqs-llama-13m (bit-identical Wq/A/B and the same perplexity), the
// dequantized folder loaded back by the project's own loader, the packed size vs NUMERICS §8,
// and the faults (non-empty folder, --force, cancel, full disk, the source folder). The PEFT
// export's GPTQ base: the packed layout, Wq read back bit for bit, the perplexity of base +
// adapter, the float base of other plans, malformed GPTQ folders.

#include "core/export/exporter.h"
#include "core/export/packedformat.h"
#include "core/export/packedmodel.h"
#include "core/export/packing.h"
#include "core/export/peftexport.h"
#include "core/io/gptq.h"
#include "core/io/checkpoint.h"
#include "core/kernels/packedmatrix.h"
#include "core/lqer/lqer.h"
#include "core/model/tokenizer.h"
#include "core/model/transformer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <cmath>
#include <cstring>
#include <random>
#include <sys/resource.h>

using namespace lqer;

namespace {

QString modelDir()
{
    return QStringLiteral(LQER_SHARED_DIR "/models/lqs-llama-13m");
}

uint32_t bitsOf(float f)
{
    uint32_t u;
    std::memcpy(&u, &f, sizeof u);
    return u;
}

// Number of elements whose bits differ (zeros of either sign count as equal when !signedZero).
qint64 bitMismatches(const float *a, const float *b, qint64 n, bool signedZero = true)
{
    qint64 bad = 0;
    for (qint64 i = 0; i < n; ++i) {
        const bool same = signedZero ? bitsOf(a[i]) == bitsOf(b[i])
                                     : (a[i] == 0.0f ? b[i] == 0.0f : bitsOf(a[i]) == bitsOf(b[i]));
        bad += same ? 0 : 1;
    }
    return bad;
}

qint64 matrixMismatches(const MatrixRM &a, const MatrixRM &b)
{
    if (a.rows() != b.rows() || a.cols() != b.cols())
        return -1;
    return bitMismatches(a.data(), b.data(), a.size());
}

// Random rows with varied scales per block, exact zeros, a zero block, tiny and power-of-two
// values: the cases where recovering the shared exponent / scale is delicate.
std::vector<float> testData(qint64 rows, qint64 cols, quint32 seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::uniform_real_distribution<float> logScale(-12.0f, 6.0f);
    std::vector<float> v(size_t(rows * cols));
    for (qint64 r = 0; r < rows; ++r) {
        const float scale = std::exp2(logScale(rng));
        for (qint64 c = 0; c < cols; ++c)
            v[size_t(r * cols + c)] = normal(rng) * scale;
    }
    for (qint64 c = 0; c < cols; ++c)
        v[size_t(c)] = 0.0f; // an all-zero row
    if (rows > 2) {
        for (qint64 c = 0; c < cols; ++c)
            v[size_t(cols + c)]
                = (c % 3 == 0 ? -1.0f : 1.0f) * std::exp2(float(int(c % 7) - 3)); // powers of two
        for (qint64 c = 0; c < cols; ++c)
            v[size_t(2 * cols + c)] = normal(rng) * 1e-37f; // tiny: exponent clamps, subnormal steps
    }
    return v;
}

double perplexity(const Transformer &model, const std::vector<TokenIds> &windows)
{
    double nll = 0;
    qint64 count = 0;
    for (const TokenIds &w : windows) {
        Expected<double> s = model.sequenceNll(w.data(), int(w.size()));
        if (!s)
            qFatal("sequenceNll: %s", qPrintable(s.error()));
        nll += *s;
        count += qint64(w.size()) - 1;
    }
    return std::exp(nll / double(count));
}

} // namespace

class TestExport : public QObject
{
    Q_OBJECT

private:
    std::shared_ptr<Checkpoint> mCkpt;
    Plan mPlan;
    QMap<QString, QuantizedLinear> mLinears; // the in-memory result
    std::vector<TokenIds> mWindows;

    Plan gptqPlan(int group) const
    {
        Plan plan = mPlan; // LQER k = 32, no statistics needed
        plan.defaults.weight = QuantFormat::intSym(4, group);
        plan.defaults.act = QuantFormat::none();
        return plan;
    }

    // A PEFT export of the int4_g<group>_sym plan (float32 elsewhere, so that the read back
    // model equals the engine's) and its linears.
    Expected<PeftExportResult> exportGptqPeft(int group, const QString &out,
                                              QMap<QString, QuantizedLinear> *linears) const
    {
        ExportConfig c;
        c.checkpoint = mCkpt;
        c.plan = gptqPlan(group);
        c.outputDir = out;
        c.dtype = DType::F32;
        auto all = std::make_shared<QMap<QString, QuantizedLinear>>();
        LinearProvider inner = quantizingProvider(mCkpt, c.plan, nullptr);
        c.linears = [inner, all](const LinearLayerInfo &layer) -> Expected<QuantizedLinear> {
            Expected<QuantizedLinear> q = inner(layer);
            if (q)
                all->insert(layer.weightName, *q);
            return q;
        };
        Expected<PeftExportResult> r = exportPeft(c, DType::F32);
        if (linears)
            *linears = *all;
        return r;
    }

    ExportConfig baseConfig(const QString &out) const
    {
        ExportConfig c;
        c.checkpoint = mCkpt;
        c.plan = mPlan;
        c.linears = linearsFromMap(mLinears);
        c.outputDir = out;
        return c;
    }

private slots:
    void initTestCase()
    {
        auto ck = Checkpoint::open(modelDir());
        QVERIFY2(ck.ok(), qPrintable(ck.error()));
        mCkpt = *ck;
        // W4A8, LQER k = 32 (no statistics needed; the size does not depend on the method).
        auto plan = Plan::fromPreset(QStringLiteral("lqer-w4a8"));
        QVERIFY2(plan.ok(), qPrintable(plan.error()));
        mPlan = *plan;
        QCOMPARE(mPlan.defaults.rank, 32);
        QCOMPARE(mPlan.defaults.weight, QuantFormat::mxint(4, 8, 16));
        LinearProvider provider = quantizingProvider(mCkpt, mPlan, nullptr);
        auto layers = quantizableLinears(*mCkpt);
        QVERIFY2(layers.ok(), qPrintable(layers.error()));
        QCOMPARE(layers->size(), 42);
        for (const LinearLayerInfo &l : *layers) {
            auto q = provider(l);
            QVERIFY2(q.ok(), qPrintable(q.error()));
            mLinears.insert(l.weightName, *q);
        }

        auto tok = Tokenizer::fromModelFolder(modelDir());
        QVERIFY2(tok.ok(), qPrintable(tok.error()));
        QFile f(QStringLiteral(LQER_SHARED_DIR "/data/lqs-corpus/heldout.txt"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const std::vector<int> ids = (*tok)->encode(QString::fromUtf8(f.read(6000)));
        const int L = 128;
        for (int w = 0; w < 2; ++w) {
            QVERIFY(int(ids.size()) >= (w + 1) * L);
            mWindows.emplace_back(ids.begin() + w * L, ids.begin() + (w + 1) * L);
        }
    }

    // ---- packing: encode -> decode gives the quantizer's floats bit for bit -----------------
    void packRoundTrip_data()
    {
        QTest::addColumn<QString>("format");
        for (const char *f :
             {"mxint4_e8_b16", "mxint8_e8_b16", "mxint4_e4_b16", "mxint3_e8_b16", "mxint6_e8_b32",
              "mxint2_e8_b16", "mxint4_e8_b32_ocp", "mxint8_e8_b32_ocp", "int4_g128_sym", "int8_g32_sym",
              "int3_g16_sym", "int4_g128_asym", "int8_g0_asym", "int5_g32_asym", "int12_g64_sym", "fp32"})
            QTest::newRow(f) << QString::fromLatin1(f);
    }

    void packRoundTrip()
    {
        QFETCH(QString, format);
        auto fmt = QuantFormat::parse(format);
        QVERIFY2(fmt.ok(), qPrintable(fmt.error()));
        const qint64 rows = 9, cols = 200; // 200 = 12 blocks of 16 + a trailing 8
        std::vector<float> x = testData(rows, cols, 7);
        // A zero block, a block below the smallest exponent (clamped), a huge one, and a block
        // whose codes are all small and even.
        if (fmt->kind == FormatKind::MxInt) {
            std::fill(x.begin(), x.begin() + 16, 0.0f);
            for (int i = 16; i < 32; ++i)
                x[size_t(i)] = float((i % 3) - 1) * 1e-39f;
            for (int i = 32; i < 48; ++i)
                x[size_t(i)] = float(i - 40) * 1e30f;
            for (int i = 48; i < 64; ++i)
                x[size_t(i)] = float(2 * (i % 2)) * 0.25f + 0.001f;
        }
        std::vector<float> q(x.size());
        QVERIFY(quantizeRows(x.data(), q.data(), rows, cols, *fmt, QStringLiteral("t")).ok());
        auto packed = packRows(q.data(), rows, cols, *fmt, QStringLiteral("t"));
        QVERIFY2(packed.ok(), qPrintable(packed.error()));
        // The export's fast path: the kernels' packed codes straight to the file layout give the
        // bytes packRows gives for their values.
        if (fmt->kind == FormatKind::MxInt) {
            const std::optional<PackedMatrix> m = packQuantizedRows(q.data(), rows, cols, *fmt);
            QVERIFY(m);
            const MatrixRM values = m->dequantize();
            auto viaValues = packRows(values.data(), rows, cols, *fmt, QStringLiteral("t"));
            QVERIFY2(viaValues.ok(), qPrintable(viaValues.error()));
            const std::optional<PackedTensor> direct = packedTensorFromMatrix(*m, *fmt);
            QVERIFY(direct);
            QCOMPARE(direct->codes, viaValues->codes);
            QCOMPARE(direct->exponents, viaValues->exponents);
            QCOMPARE(direct->payloadBytes(), viaValues->payloadBytes());
            // Not for another format than the one the codes hold.
            QVERIFY(!packedTensorFromMatrix(*m, QuantFormat::intSym(fmt->bits, 16)));
            QVERIFY(!packedTensorFromMatrix(*m, QuantFormat::mxint(fmt->bits == 8 ? 4 : 8, 8, fmt->block)));
        }
        std::vector<float> back(x.size(), 123.0f);
        const Status s = unpackRows(*packed, back.data(), QStringLiteral("t"));
        QVERIFY2(s.ok(), qPrintable(s.error()));
        // OCP two's complement codes have no -0: the quantizer's -0 decodes to +0 (documented).
        const bool signedZero = fmt->convention != MxConvention::Ocp;
        QCOMPARE(bitMismatches(q.data(), back.data(), qint64(q.size()), signedZero), qint64(0));
        // Storage: codes w bits per element per row (rounded up to a byte), one exponent byte per
        // block, fp16 scales, b-bit zero points.
        if (fmt->isQuantized()) {
            const qint64 blocks
                = fmt->block > 0 && fmt->block < cols ? (cols + fmt->block - 1) / fmt->block : 1;
            qint64 expected = rows * ((cols * fmt->bits + 7) / 8);
            if (fmt->kind == FormatKind::MxInt)
                expected += rows * blocks;
            else
                expected += rows * blocks * 2;
            if (fmt->kind == FormatKind::IntAsym)
                expected += rows * ((blocks * fmt->bits + 7) / 8);
            QCOMPARE(packed->payloadBytes(), expected);
        }
    }

    // The layout of docs/PACKED_FORMAT.md on the NUMERICS §2 golden block (w = 4, E = 0).
    void goldenMxint4Layout()
    {
        const float x[16] = {0.30f, -0.12f, 0.05f,  0.9f,   -0.61f, 0.0f,  0.25f, -0.0625f,
                             0.44f, 0.01f,  -0.33f, 0.125f, 0.7f,   -0.2f, 0.06f, 0.5f};
        float q[16];
        QVERIFY(quantizeRows(x, q, 1, 16, QuantFormat::mxint(4), QStringLiteral("golden")).ok());
        auto p = packRows(q, 1, 16, QuantFormat::mxint(4), QStringLiteral("golden"));
        QVERIFY2(p.ok(), qPrintable(p.error()));
        // x̂ = [0.25,-0.125,0,0.875,-0.625,0,0.25,-0(!),0.5,0,-0.375,0.125,0.75,-0.25,0,0.5] = q/8;
        // sign-magnitude nibbles, element 2i in the low nibble; -0.0625 rounds to -0 (sign kept).
        // q = [2,-1,0,7,-5,0,2,-0,4,0,-3,1,6,-2,0,4] -> nibbles 2,9,0,7,d,0,2,8,4,0,b,1,6,a,0,4.
        QCOMPARE(p->codes.toHex(), QByteArray("92700d82041ba640"));
        QCOMPARE(p->exponents.size(), 1);
        QCOMPARE(int(uchar(p->exponents.at(0))), 127); // E = 0 + bias 127
    }

    void packRejectsOffGridValues()
    {
        std::vector<float> x = testData(4, 64, 3);
        auto p = packRows(x.data(), 4, 64, QuantFormat::mxint(4), QStringLiteral("blk.3.w"));
        QVERIFY(!p.ok());
        QVERIFY2(p.error().contains(QLatin1String("blk.3.w")) && p.error().contains(QLatin1String("row")),
                 qPrintable(p.error()));
        x[5] = std::nanf("");
        p = packRows(x.data(), 4, 64, QuantFormat::intSym(4, 32), QStringLiteral("nan.w"));
        QVERIFY(!p.ok());
        QVERIFY(p.error().contains(QLatin1String("nan.w")));
    }

    void unpackRejectsBadSizes()
    {
        std::vector<float> x = testData(4, 64, 5);
        std::vector<float> q(x.size());
        QVERIFY(quantizeRows(x.data(), q.data(), 4, 64, QuantFormat::mxint(4), QStringLiteral("t")).ok());
        auto p = packRows(q.data(), 4, 64, QuantFormat::mxint(4), QStringLiteral("t"));
        QVERIFY(p.ok());
        PackedTensor broken = *p;
        broken.exponents.chop(1);
        const Status s = unpackRows(broken, x.data(), QStringLiteral("lay.wq"));
        QVERIFY(!s.ok());
        QVERIFY2(s.error().contains(QLatin1String("lay.wq")) && s.error().contains(QLatin1String("exponent")),
                 qPrintable(s.error()));
    }

    // ---- packed checkpoint round trip ----------------------------------------------------
    void packedRoundTrip()
    {
        QTemporaryDir tmp;
        const QString out = tmp.filePath(QStringLiteral("packed"));
        auto r = exportCheckpoint(baseConfig(out));
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QCOMPARE(r->quantizedLayers, 42);
        QVERIFY(isPackedCheckpoint(out));
        QVERIFY(!isPackedCheckpoint(modelDir()));
        QVERIFY(QFileInfo::exists(QDir(out).filePath(QStringLiteral("config.json"))));
        QVERIFY(QFileInfo::exists(QDir(out).filePath(QStringLiteral("tokenizer.json"))));
        QVERIFY(QFileInfo::exists(QDir(out).filePath(QStringLiteral("quantization_config.json"))));
        QVERIFY(QDir(tmp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).size()
                == 1); // no partial left

        // Size vs NUMERICS §8: MXINT(4,8,16) weights 4.5 bits, A and B MXINT(8,8,16) 8.5 bits
        // per element: the payload is exactly Σ b·m·n / 8 bytes.
        const double formulaBytes = r->formulaBitsPerWeight * double(r->quantizedWeights) / 8.0;
        qInfo("lqs-llama-13m W4A8 k=32: %lld quantized weights, payload %lld bytes = %.6f bits/weight; "
              "formula %.6f bits/weight = %.1f bytes; file total %lld bytes",
              r->quantizedWeights, r->quantizedPayloadBytes, r->fileBitsPerWeight, r->formulaBitsPerWeight,
              formulaBytes, r->totalBytes);
        QCOMPARE(double(r->quantizedPayloadBytes), formulaBytes);
        // The size preview (nothing written): the arrays exact, the JSON estimated; within 1 %.
        auto predicted = predictExportSize(mCkpt, mPlan, PredictedFormat::Packed);
        QVERIFY2(predicted.ok(), qPrintable(predicted.error()));
        qInfo("size preview %lld bytes (%.4f bits/weight), written %lld", predicted->totalBytes(),
              predicted->bitsPerWeight, r->totalBytes);
        QVERIFY(std::abs(predicted->totalBytes() - r->totalBytes) < r->totalBytes / 100);
        QCOMPARE(predicted->bitsPerWeight, r->formulaBitsPerWeight);
        QCOMPARE(predicted->quantizedLayers, 42);
        // The tensors of the packed file: quantized arrays + every other tensor as it was.
        auto packedCk = Checkpoint::open(out);
        QVERIFY2(packedCk.ok(), qPrintable(packedCk.error()));
        qint64 payload = 0, other = 0;
        for (const QString &name : (*packedCk)->tensorNames()) {
            const TensorInfo *t = (*packedCk)->find(name);
            (name.contains(QLatin1String(".lqer.")) ? payload : other) += t->byteSize();
            if (!name.contains(QLatin1String(".lqer."))) {
                const TensorInfo *src = mCkpt->find(name);
                QVERIFY2(src, qPrintable(name));
                QCOMPARE(t->dtype, src->dtype);
                QCOMPARE(t->shape, src->shape);
            }
        }
        QCOMPARE(payload, r->quantizedPayloadBytes);
        const qint64 fileSize = QFileInfo(QDir(out).filePath(QStringLiteral("model.safetensors"))).size();
        QVERIFY(fileSize > payload + other && fileSize < payload + other + 200000); // + the JSON header

        // Re-import: bit-identical Wq, A, B and the activation formats.
        auto pm = loadPackedLinears(out);
        QVERIFY2(pm.ok(), qPrintable(pm.error()));
        QCOMPARE(pm->linears.size(), mLinears.size());
        QCOMPARE(pm->plan, mPlan);
        for (auto it = mLinears.constBegin(); it != mLinears.constEnd(); ++it) {
            const QuantizedLinear &a = *it;
            const QuantizedLinear &b = pm->linears.value(it.key());
            QCOMPARE(matrixMismatches(a.dequantizedWeight(), b.dequantizedWeight()), qint64(0));
            QCOMPARE(matrixMismatches(a.a, b.a), qint64(0));
            QCOMPARE(matrixMismatches(a.b, b.b), qint64(0));
            QCOMPARE(b.act, a.act);
            QCOMPARE(b.lowRankAct, a.lowRankAct);
            QCOMPARE(b.rank(), 32);
        }

        // Same perplexity as the in-memory quantized model (W4A8 with the low-rank term).
        auto fp = Transformer::load(modelDir());
        QVERIFY2(fp.ok(), qPrintable(fp.error()));
        QVERIFY((*fp)->setQuantizedLinears(mLinears).ok());
        auto reloaded = loadPackedModel(out);
        QVERIFY2(reloaded.ok(), qPrintable(reloaded.error()));
        QCOMPARE((*reloaded)->quantizedLinearCount(), 42);
        const double pplMemory = perplexity(**fp, mWindows);
        const double pplPacked = perplexity(**reloaded, mWindows);
        qInfo("perplexity on 2 x 128 tokens of heldout.txt: in-memory %.6f, packed re-import %.6f", pplMemory,
              pplPacked);
        QVERIFY(std::isfinite(pplMemory) && pplMemory > 1.0);
        QCOMPARE(pplPacked, pplMemory);
    }

    void shardedPackedExport()
    {
        QTemporaryDir tmp;
        const QString out = tmp.filePath(QStringLiteral("sharded"));
        ExportConfig c = baseConfig(out);
        c.shardBytes = 4 * 1000 * 1000;
        auto r = exportCheckpoint(c);
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QVERIFY(QFileInfo::exists(QDir(out).filePath(QStringLiteral("model.safetensors.index.json"))));
        QVERIFY(!QFileInfo::exists(QDir(out).filePath(QStringLiteral("model.safetensors"))));
        const QStringList shards = QDir(out).entryList({QStringLiteral("model-*-of-*.safetensors")});
        QVERIFY2(shards.size() >= 3, qPrintable(shards.join(QLatin1Char(' '))));
        for (const QString &s : shards)
            QVERIFY(QFileInfo(QDir(out).filePath(s)).size()
                    < 4 * 1000 * 1000 + 13 * 1000 * 1000); // embed is one group
        auto pm = loadPackedLinears(out);
        QVERIFY2(pm.ok(), qPrintable(pm.error()));
        for (auto it = mLinears.constBegin(); it != mLinears.constEnd(); ++it)
            QCOMPARE(
                matrixMismatches(it->dequantizedWeight(), pm->linears.value(it.key()).dequantizedWeight()),
                qint64(0));

        // The metadata alone (headers, no array): the source's linears in the source's model
        // order, the plan, and the NUMERICS §8 bits the export reported.
        auto packedCk = Checkpoint::open(out);
        QVERIFY2(packedCk.ok(), qPrintable(packedCk.error()));
        auto meta = readPackedMetadata(**packedCk);
        QVERIFY2(meta.ok(), qPrintable(meta.error()));
        auto source = quantizableLinears(*mCkpt);
        QVERIFY2(source.ok(), qPrintable(source.error()));
        QCOMPARE(meta->linears.size(), source->size());
        for (qsizetype i = 0; i < source->size(); ++i) {
            const LinearLayerInfo &a = source->at(i);
            const LinearLayerInfo &b = meta->linears.at(i);
            QCOMPARE(b.weightName, a.weightName);
            QCOMPARE(b.kind, a.kind);
            QCOMPARE(b.block, a.block);
            QCOMPARE(b.inFeatures, a.inFeatures);
            QCOMPARE(b.outFeatures, a.outFeatures);
            QCOMPARE(b.transposed, a.transposed);
            QCOMPARE(b.biasName, a.biasName);
            QCOMPARE(meta->layers.value(a.weightName).rank, 32);
        }
        QCOMPARE(meta->plan, mPlan);
        QVERIFY2(std::abs(meta->formulaBitsPerWeight - r->formulaBitsPerWeight) < 1e-12,
                 qPrintable(QString::number(meta->formulaBitsPerWeight - r->formulaBitsPerWeight)));
        // A folder that is not a packed checkpoint is refused, naming its file.
        auto plain = readPackedMetadata(*mCkpt);
        QVERIFY(!plain.ok());
        QVERIFY2(plain.error().contains(QStringLiteral("not a packed LQER checkpoint")),
                 qPrintable(plain.error()));
    }

    // ---- dequantized checkpoint ------------------------------------------------------------
    void dequantizedMergedFp32()
    {
        QTemporaryDir tmp;
        const QString out = tmp.filePath(QStringLiteral("deq"));
        ExportConfig c = baseConfig(out);
        c.format = ExportFormat::Dequantized;
        c.mergeLowRank = true;
        c.dtype = DType::F32;
        auto r = exportCheckpoint(c);
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QVERIFY(!isPackedCheckpoint(out));
        auto loaded = Transformer::load(out);
        QVERIFY2(loaded.ok(), qPrintable(loaded.error()));

        // In memory: the same linears with activation quantization off, Y = X Wqᵀ + (X A) B.
        QMap<QString, QuantizedLinear> noAct = mLinears;
        for (QuantizedLinear &q : noAct) {
            q.act = QuantFormat::none();
            q.lowRankAct = QuantFormat::none();
        }
        auto fp = Transformer::load(modelDir());
        QVERIFY(fp.ok());
        QVERIFY((*fp)->setQuantizedLinears(noAct).ok());
        auto a = (*fp)->logits(mWindows[0]);
        auto b = (*loaded)->logits(mWindows[0]);
        QVERIFY(a.ok() && b.ok());
        // Only the association of (X A) B vs X (A B) differs: fp32 rounding.
        const double diff = (*a - *b).cwiseAbs().maxCoeff();
        const double scale = a->cwiseAbs().maxCoeff();
        qInfo("dequantized fp32 merged: max |logit diff| %.3g (max |logit| %.3g)", diff, scale);
        QVERIFY2(diff < 1e-3 * scale, qPrintable(QString::number(diff)));
        // ... and the low-rank term is really in there: without it the logits move far more.
        QMap<QString, QuantizedLinear> plainMap = noAct;
        for (QuantizedLinear &q : plainMap) {
            q.a = MatrixRM();
            q.b = MatrixRM();
        }
        QVERIFY((*fp)->setQuantizedLinears(plainMap).ok());
        auto p = (*fp)->logits(mWindows[0]);
        QVERIFY(p.ok());
        QVERIFY((*p - *b).cwiseAbs().maxCoeff() > 20 * diff);
    }

    void dequantizedFp16Unmerged()
    {
        QTemporaryDir tmp;
        const QString out = tmp.filePath(QStringLiteral("deq16"));
        ExportConfig c = baseConfig(out);
        c.format = ExportFormat::Dequantized;
        c.dtype = DType::F16;
        auto r = exportCheckpoint(c);
        QVERIFY2(r.ok(), qPrintable(r.error()));
        auto deq = Checkpoint::open(out);
        QVERIFY(deq.ok());
        QCOMPARE((*deq)->tensorNames().size(), mCkpt->tensorNames().size());
        QCOMPARE((*deq)->config().value(QStringLiteral("dtype")).toString(), QStringLiteral("float16"));
        // MXINT4 values q·2^(E-3) are exact in fp16: the stored weights are Wq bit for bit.
        for (auto it = mLinears.constBegin(); it != mLinears.constEnd(); ++it) {
            QCOMPARE((*deq)->find(it.key())->dtype, DType::F16);
            auto w = (*deq)->readMatrix(it.key());
            QVERIFY(w.ok());
            QCOMPARE(matrixMismatches(*w, it->dequantizedWeight()), qint64(0));
        }
        auto loaded = Transformer::load(out);
        QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
        QMap<QString, QuantizedLinear> plainMap = mLinears;
        for (QuantizedLinear &q : plainMap) {
            q.a = MatrixRM();
            q.b = MatrixRM();
            q.act = QuantFormat::none();
            q.lowRankAct = QuantFormat::none();
        }
        auto fp = Transformer::load(modelDir());
        QVERIFY(fp.ok());
        QVERIFY((*fp)->setQuantizedLinears(plainMap).ok());
        auto a = (*fp)->logits(mWindows[1]);
        auto b = (*loaded)->logits(mWindows[1]);
        QVERIFY(a.ok() && b.ok());
        const double diff = (*a - *b).cwiseAbs().maxCoeff();
        QVERIFY2(diff <= 1e-5 * a->cwiseAbs().maxCoeff(), qPrintable(QString::number(diff)));
    }

    // ---- faults ---------------------------------------------------------------------------
    void refusesNonEmptyFolderAndForceKeepsForeignFiles()
    {
        QTemporaryDir tmp;
        const QString out = tmp.filePath(QStringLiteral("busy"));
        QVERIFY(QDir().mkpath(out));
        QFile mine(QDir(out).filePath(QStringLiteral("notes.md")));
        QVERIFY(mine.open(QIODevice::WriteOnly));
        mine.write("keep me");
        mine.close();
        auto r = exportCheckpoint(baseConfig(out));
        QVERIFY(!r.ok());
        QVERIFY2(r.error().contains(QLatin1String("not empty")) && r.error().contains(QLatin1String("busy")),
                 qPrintable(r.error()));
        QCOMPARE(QDir(out).entryList(QDir::Files).size(), 1);

        // --force, sharded first; then a single-file export must remove the old shards (they
        // are listed in the previous quantization_config.json) but keep notes.md.
        ExportConfig c = baseConfig(out);
        c.force = true;
        c.shardBytes = 4 * 1000 * 1000;
        r = exportCheckpoint(c);
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QVERIFY(QFileInfo::exists(QDir(out).filePath(QStringLiteral("model.safetensors.index.json"))));
        c.shardBytes = qint64(2) << 30;
        r = exportCheckpoint(c);
        QVERIFY2(r.ok(), qPrintable(r.error()));
        const QStringList files = QDir(out).entryList(QDir::Files);
        QVERIFY2(!files.contains(QStringLiteral("model.safetensors.index.json")),
                 qPrintable(files.join(u' ')));
        QVERIFY(QDir(out).entryList({QStringLiteral("model-*")}).isEmpty());
        QVERIFY(files.contains(QStringLiteral("notes.md")));
        QVERIFY(files.contains(QStringLiteral("model.safetensors")));
        QVERIFY(loadPackedLinears(out).ok());
        QCOMPARE(QDir(tmp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).size(), 1);
    }

    void refusesSourceFolder()
    {
        ExportConfig c = baseConfig(modelDir());
        c.force = true;
        auto r = exportCheckpoint(c);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().contains(QLatin1String("source")), qPrintable(r.error()));
        c.outputDir = modelDir() + QStringLiteral("/sub");
        QVERIFY(!exportCheckpoint(c).ok());
    }

    // The work-ahead provider (layers quantized on workers ahead of the export) writes the same
    // bytes as the layer-by-layer one; a layer asked out of its order is still served; a cancel
    // through the caller's token stops it.
    void workAheadExportEqualsLayerByLayer()
    {
        QTemporaryDir tmp;
        auto readAll = [](const QString &path) {
            QFile f(path);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        };
        ExportConfig c = baseConfig(tmp.filePath(QStringLiteral("reference")));
        auto ref = exportCheckpoint(c);
        QVERIFY2(ref.ok(), qPrintable(ref.error()));
        auto order = exportedLayers(*mCkpt, mPlan);
        QVERIFY2(order.ok(), qPrintable(order.error()));
        QCOMPARE(order->size(), 42);
        for (int threads : {1, 3}) {
            auto ahead = workAheadProvider(mCkpt, mPlan, nullptr, nullptr, threads);
            QVERIFY2(ahead.ok(), qPrintable(ahead.error()));
            c.linears = *ahead;
            c.outputDir = tmp.filePath(QStringLiteral("ahead%1").arg(threads));
            auto r = exportCheckpoint(c);
            QVERIFY2(r.ok(), qPrintable(r.error()));
            for (const QString &file : ref->files) {
                const QByteArray want = readAll(QDir(ref->outputDir).filePath(file));
                QVERIFY(!want.isEmpty());
                QVERIFY2(readAll(QDir(r->outputDir).filePath(file)) == want, qPrintable(file));
            }
        }
        // Out of order: the fifth layer, then the first (behind it: quantized on the spot), then
        // the fifth again; each equals the precomputed result.
        auto ahead = workAheadProvider(mCkpt, mPlan, nullptr, nullptr, 2);
        QVERIFY(ahead.ok());
        for (int i : {4, 0, 4, 5}) {
            const LinearLayerInfo &l = order->at(i);
            auto q = (*ahead)(l);
            QVERIFY2(q.ok(), qPrintable(q.error()));
            QVERIFY2(q->dequantizedWeight() == mLinears.value(l.weightName).dequantizedWeight(),
                     qPrintable(l.weightName));
            QVERIFY(q->a == mLinears.value(l.weightName).a && q->b == mLinears.value(l.weightName).b);
        }
        // Cancelled through the caller's token: an error, and the provider's workers stop.
        CancelToken cancel;
        auto stopped = workAheadProvider(mCkpt, mPlan, nullptr, &cancel, 2);
        QVERIFY(stopped.ok());
        QVERIFY((*stopped)(order->at(0)).ok());
        cancel.cancel();
        auto q = (*stopped)(order->at(1));
        QVERIFY(!q.ok());
        QVERIFY2(q.error().contains(QLatin1String("cancel")), qPrintable(q.error()));
    }

    void cancelLeavesNothing()
    {
        QTemporaryDir tmp;
        const QString out = tmp.filePath(QStringLiteral("cancelled"));
        int calls = 0;
        ExportConfig c = baseConfig(out);
        c.shardBytes = 2 * 1000 * 1000; // some shards are already written when it stops
        auto r = exportCheckpoint(c, [&calls](double, const QString &) { return ++calls < 40; });
        QVERIFY(!r.ok());
        QVERIFY2(r.error().contains(QLatin1String("cancelled")), qPrintable(r.error()));
        QVERIFY(QDir(tmp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).isEmpty());
        // A provider failure (e.g. the pipeline's) likewise.
        c.linears = [](const LinearLayerInfo &l) -> Expected<QuantizedLinear> {
            return makeError(QStringLiteral("layer '%1': boom").arg(l.weightName));
        };
        r = exportCheckpoint(c);
        QVERIFY(!r.ok());
        QVERIFY(r.error().contains(QLatin1String("boom")));
        QVERIFY(QDir(tmp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).isEmpty());
    }

    void fullDiskGivesClearError()
    {
        QTemporaryDir tmp;
        const QString out = tmp.filePath(QStringLiteral("full"));
        struct rlimit old;
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &old), 0);
        const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        struct rlimit small = old;
        small.rlim_cur = 1024 * 1024;
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &small), 0);
        auto r = exportCheckpoint(baseConfig(out));
        setrlimit(RLIMIT_FSIZE, &old);
        std::signal(SIGXFSZ, oldHandler);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().contains(QLatin1String("write failed"))
                     || r.error().contains(QLatin1String("nothing was written")),
                 qPrintable(r.error()));
        QVERIFY(QDir(tmp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).isEmpty());
    }

    // ---- GPTQ base of the PEFT export ---------------------------------------------------------
    // The layout on a small matrix: nibble order along the input, code + 8, zero points 7 (v1),
    // fp16 scales, g_idx; decoding gives the quantizer's floats bit for bit, a zero group and
    // groups with subnormal fp16 scales (where the largest code can be below 7) included.
    void gptqPackLayout()
    {
        const qint64 out = 16, in = 64;
        std::vector<float> v = testData(out, in, 7);
        for (qint64 c = 0; c < in; ++c)
            v[size_t(3 * in + c)] = float(c % 5) * 1.67e-7f; // subnormal fp16 scale: largest code 6
        const MatrixRM w = Eigen::Map<const MatrixRM>(v.data(), out, in);
        auto wq = quantizeMatrix(w, QuantFormat::intSym(4, 32), QStringLiteral("w"));
        QVERIFY(wq.ok());
        auto g = packGptqInt4(*wq, 32, QStringLiteral("w"));
        QVERIFY2(g.ok(), qPrintable(g.error()));
        QCOMPARE(qint64(g->qweight.size()), in / 8 * out);
        QCOMPARE(g->groups(), qint64(2));
        QCOMPARE(qint64(g->qzeros.size()), 2 * out / 8);
        for (int32_t z : g->qzeros)
            QCOMPARE(uint32_t(z), 0x77777777u);
        QCOMPARE(g->gIdx.at(31), 0);
        QCOMPARE(g->gIdx.at(32), 1);
        int maxCodeBelow7 = 0;
        for (qint64 o = 0; o < out; ++o)
            for (qint64 i = 0; i < in; ++i) {
                const float scale = halfToFloat(g->scales[size_t(i / 32 * out + o)]);
                const uint32_t word = uint32_t(g->qweight[size_t(i / 8 * out + o)]);
                const int code = int((word >> (4 * (i % 8))) & 0xF) - 8;
                QVERIFY(code >= -7 && code <= 7);
                QCOMPARE(float(code) * scale, (*wq)(o, i));
            }
        for (qint64 o = 0; o < out; ++o)
            for (qint64 grp = 0; grp < 2; ++grp) {
                const float amax = wq->row(o).segment(grp * 32, 32).cwiseAbs().maxCoeff();
                const float scale = halfToFloat(g->scales[size_t(grp * out + o)]);
                maxCodeBelow7 += amax > 0 && amax != 7.0f * scale ? 1 : 0;
            }
        QVERIFY(maxCodeBelow7 > 0); // the subnormal-scale row
        auto back = dequantizeGptq(*g, GptqConfig {}, QStringLiteral("w"));
        QVERIFY2(back.ok(), qPrintable(back.error()));
        QCOMPARE(matrixMismatches(*back, *wq), qint64(0));
        // Off the grid (not INT4 codes times an fp16 scale): an error naming the layer and element.
        MatrixRM off = *wq;
        off(5, 40) *= 1.0001f;
        auto bad = packGptqInt4(off, 32, QStringLiteral("model.layers.0.mlp.up_proj.weight"));
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().contains(QLatin1String("'model.layers.0.mlp.up_proj.weight'"))
                     && bad.error().contains(QLatin1String("output 5")),
                 qPrintable(bad.error()));
        QVERIFY(!packGptqInt4(*wq, 48, QStringLiteral("w")).ok()); // 64 inputs are not whole groups of 48
    }

    // int4_g<N>_sym plans get a GPTQ base: every Wq read back bit for bit, and base + adapter
    // gives the in-memory plan's perplexity (activations unquantized, as the plan says).
    void gptqPeftBase_data()
    {
        QTest::addColumn<int>("group");
        QTest::newRow("g128") << 128;
        QTest::newRow("g32") << 32;
    }

    void gptqPeftBase()
    {
        QFETCH(int, group);
        QTemporaryDir tmp;
        const QString out = tmp.filePath(QStringLiteral("gptq"));
        QMap<QString, QuantizedLinear> linears;
        auto r = exportGptqPeft(group, out, &linears);
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QCOMPARE(r->gptqGroupSize, group);
        QVERIFY2(r->baseNote.startsWith(QLatin1String("GPTQ 4-bit base")), qPrintable(r->baseNote));
        QFile cfgFile(QDir(out).filePath(QStringLiteral("config.json")));
        QVERIFY(cfgFile.open(QIODevice::ReadOnly));
        const QJsonObject qc = QJsonDocument::fromJson(cfgFile.readAll())
                                   .object()
                                   .value(QStringLiteral("quantization_config"))
                                   .toObject();
        QCOMPARE(qc.value(QStringLiteral("quant_method")).toString(), QStringLiteral("gptq"));
        QCOMPARE(qc.value(QStringLiteral("bits")).toInt(), 4);
        QCOMPARE(qc.value(QStringLiteral("group_size")).toInt(), group);
        QCOMPARE(qc.value(QStringLiteral("desc_act")).toBool(true), false);
        QCOMPARE(qc.value(QStringLiteral("sym")).toBool(), true);
        QCOMPARE(qc.value(QStringLiteral("checkpoint_format")).toString(), QStringLiteral("gptq"));

        auto raw = SafetensorsFile::open(QDir(out).filePath(QStringLiteral("model.safetensors")));
        QVERIFY2(raw.ok(), qPrintable(raw.error()));
        const QString qproj = QStringLiteral("model.layers.0.self_attn.q_proj");
        QVERIFY(!(*raw)->find(qproj + QStringLiteral(".weight")));
        QCOMPARE((*raw)->find(qproj + QStringLiteral(".qweight"))->shape, (QList<qint64> {384 / 8, 384}));
        QCOMPARE((*raw)->find(qproj + QStringLiteral(".qweight"))->dtype, DType::I32);
        QCOMPARE((*raw)->find(qproj + QStringLiteral(".qzeros"))->shape,
                 (QList<qint64> {384 / group, 384 / 8}));
        QCOMPARE((*raw)->find(qproj + QStringLiteral(".scales"))->dtype, DType::F16);
        QCOMPARE((*raw)->find(qproj + QStringLiteral(".g_idx"))->shape, (QList<qint64> {384}));
        // 4 bits per weight + 16 / group for the scale + 4 / group for the zero point, + g_idx.
        qint64 linearBytes = 0;
        for (const TensorInfo &t : (*raw)->tensors())
            if (t.dtype == DType::I32 || t.name.endsWith(QLatin1String(".scales")))
                linearBytes += t.byteSize();
        qint64 weights = 0, inputs = 0;
        for (const QuantizedLinear &q : linears)
            weights += q.outFeatures() * q.inFeatures(), inputs += q.inFeatures();
        QCOMPARE(linearBytes, weights / 2 + weights * 20 / 8 / group + 4 * inputs);

        // Read back: the dequantized weights are the engine's INT4 weights bit for bit.
        auto ckpt = Checkpoint::open(out);
        QVERIFY2(ckpt.ok(), qPrintable(ckpt.error()));
        QCOMPARE((*ckpt)->tensorNames().size(), mCkpt->tensorNames().size());
        for (auto it = linears.constBegin(); it != linears.constEnd(); ++it) {
            auto w = (*ckpt)->readMatrix(it.key());
            QVERIFY2(w.ok(), qPrintable(w.error()));
            QCOMPARE(matrixMismatches(*w, it->dequantizedWeight()), qint64(0));
        }
        auto back = Transformer::load(out);
        QVERIFY2(back.ok(), qPrintable(back.error()));
        QVERIFY2(installPeftAdapter(**back, r->adapterDir).ok(), "install");
        auto engine = Transformer::load(modelDir());
        QVERIFY(engine.ok());
        QVERIFY((*engine)->setQuantizedLinears(linears).ok());
        const double ours = perplexity(**engine, mWindows), read = perplexity(**back, mWindows);
        qInfo("GPTQ g%d PEFT export: perplexity in memory %.9g, read back %.9g", group, ours, read);
        QVERIFY2(std::abs(read - ours) <= 1e-6 * ours, qPrintable(QString::number(read - ours)));
        // The size preview knows the packed base.
        auto p = predictExportSize(mCkpt, gptqPlan(group), PredictedFormat::Peft, DType::F32);
        QVERIFY2(p.ok(), qPrintable(p.error()));
        const qint64 written = QFileInfo(QDir(out).filePath(QStringLiteral("model.safetensors"))).size();
        QVERIFY2(std::abs(p->baseBytes - written) < std::max<qint64>(4096, written / 100),
                 qPrintable(QStringLiteral("%1 vs %2").arg(p->baseBytes).arg(written)));
    }

    // Other plans keep the float base, and the result says why.
    void gptqNotForOtherPlans()
    {
        QTemporaryDir tmp;
        ExportConfig c = baseConfig(tmp.filePath(QStringLiteral("mx"))); // mxint4_e8_b16
        auto r = exportPeft(c);
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QCOMPARE(r->gptqGroupSize, 0);
        QVERIFY2(r->baseNote.startsWith(QLatin1String("f16 dequantized base, not GPTQ"))
                     && r->baseNote.contains(QLatin1String("mxint4_e8_b16")),
                 qPrintable(r->baseNote));
        auto ckpt = Checkpoint::open(c.outputDir);
        QVERIFY(ckpt.ok());
        QVERIFY(!(*ckpt)->config().contains(QStringLiteral("quantization_config")));
        QCOMPARE((*ckpt)->find(QStringLiteral("model.layers.0.self_attn.q_proj.weight"))->dtype, DType::F16);

        Plan plan = gptqPlan(64);
        auto why = gptqBaseGroupSize(*mCkpt, plan);
        QVERIFY(!why.ok());
        QVERIFY2(why.error().contains(QLatin1String("int4_g64_sym")), qPrintable(why.error()));
        plan = gptqPlan(128);
        plan.defaults.weight = QuantFormat::intAsym(4, 128);
        QVERIFY(!gptqBaseGroupSize(*mCkpt, plan).ok());
        plan = gptqPlan(128);
        LayerPlan skip = plan.defaults;
        skip.quantize = false;
        plan.setLayer(QStringLiteral("model.layers.2.mlp.down_proj.weight"), skip);
        why = gptqBaseGroupSize(*mCkpt, plan);
        QVERIFY(!why.ok());
        QVERIFY2(why.error().contains(QLatin1String("model.layers.2.mlp.down_proj")),
                 qPrintable(why.error()));
        LayerPlan g32 = gptqPlan(32).defaults;
        plan = gptqPlan(128);
        plan.setLayer(QStringLiteral("model.layers.1.mlp.up_proj.weight"), g32);
        QVERIFY(!gptqBaseGroupSize(*mCkpt, plan).ok()); // one group size per model
        QCOMPARE(gptqBaseGroupSize(*mCkpt, gptqPlan(32)).value(), 32);
    }

    // A GPTQ folder is a source like any other: quantized again and exported packed, the packed
    // folder does not claim GPTQ weights and loads back.
    void gptqFolderAsSource()
    {
        QTemporaryDir tmp;
        const QString gptq = tmp.filePath(QStringLiteral("gptq"));
        QVERIFY(exportGptqPeft(128, gptq, nullptr).ok());
        auto source = Checkpoint::open(gptq);
        QVERIFY2(source.ok(), qPrintable(source.error()));
        ExportConfig c;
        c.checkpoint = *source;
        c.plan = mPlan;
        c.linears = quantizingProvider(*source, mPlan, nullptr);
        c.outputDir = tmp.filePath(QStringLiteral("packed"));
        auto r = exportCheckpoint(c);
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QVERIFY(!isGptqConfig((*Checkpoint::open(c.outputDir))->config()));
        auto loaded = loadPackedModel(c.outputDir);
        QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    }

    // A malformed GPTQ folder: errors name the tensor, nothing crashes.
    void gptqMalformedFolder()
    {
        QTemporaryDir tmp;
        const QString out = tmp.filePath(QStringLiteral("gptq"));
        auto r = exportGptqPeft(128, out, nullptr);
        QVERIFY2(r.ok(), qPrintable(r.error()));
        const QString file = QDir(out).filePath(QStringLiteral("model.safetensors"));
        const QString vproj = QStringLiteral("model.layers.3.self_attn.v_proj");
        struct Case
        {
            QString tensor; // changed or dropped
            QList<qint64> shape; // empty: dropped
            QString expected;
        };
        const QList<Case> cases {
            {vproj + QStringLiteral(".qweight"), {47, 384}, vproj + QStringLiteral(".qweight")},
            {vproj + QStringLiteral(".scales"), {}, vproj + QStringLiteral(".scales' is missing")},
            {vproj + QStringLiteral(".qzeros"), {2, 384 / 8}, vproj + QStringLiteral(".qzeros")},
            {vproj + QStringLiteral(".qweight"), {}, vproj + QStringLiteral(".qweight' is missing")},
        };
        auto original = SafetensorsFile::open(file);
        QVERIFY(original.ok());
        const QString saved = tmp.filePath(QStringLiteral("model.safetensors"));
        QVERIFY(QFile::copy(file, saved));
        for (const Case &c : cases) {
            auto src = SafetensorsFile::open(saved);
            QVERIFY(src.ok());
            SafetensorsWriter w;
            for (const TensorInfo &t : (*src)->tensors()) {
                const uchar *data = (*src)->data(t).value();
                QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(t.byteSize()));
                if (t.name != c.tensor) {
                    w.addTensor(t.name, t.dtype, t.shape, bytes);
                } else if (!c.shape.isEmpty()) {
                    bytes.resize(qsizetype(c.shape[0] * c.shape[1] * dtypeSize(t.dtype)));
                    w.addTensor(t.name, t.dtype, c.shape, bytes);
                }
            }
            QVERIFY(w.write(file).ok());
            auto ckpt = Checkpoint::open(out);
            QVERIFY(!ckpt.ok());
            QVERIFY2(ckpt.error().contains(c.expected), qPrintable(ckpt.error()));
            qInfo("%s", qPrintable(ckpt.error()));
        }
    }

    void packedLoaderErrorsNameTheTensor()
    {
        QTemporaryDir tmp;
        QVERIFY(!isPackedCheckpoint(tmp.path()));
        auto r = loadPackedLinears(modelDir());
        QVERIFY(!r.ok());
        QVERIFY2(r.error().contains(QLatin1String("not a packed")), qPrintable(r.error()));
        QCOMPARE(parseByteSize(QStringLiteral("2GB")).value(), qint64(2000000000));
        QCOMPARE(parseByteSize(QStringLiteral("1.5GiB")).value(), qint64(1610612736));
        QCOMPARE(parseByteSize(QStringLiteral("500MB")).value(), qint64(500000000));
        QVERIFY(!parseByteSize(QStringLiteral("lots")).ok());
    }
};

QTEST_GUILESS_MAIN(TestExport)
#include "test_export.moc"
