// Seed corpora for the fuzz targets, built from the shipped models (../shared) and the
// repository's test data. Seeds are small (libFuzzer mutates every byte of an input, so a
// 28 MB checkpoint would be useless as a seed): subsets of real tensors, a tokenizer cut to
// its first few hundred tokens, a llama2.c model of real stories260K values at toy size.

#include "fuzztargets.h"

#include "core/export/exporter.h"
#include "core/export/ggufexport.h"
#include "core/io/gguf.h"
#include "core/io/checkpoint.h"
#include "core/io/safetensors.h"
#include "core/lqer/statsfile.h"
#include "core/model/calibration.h"
#include "core/model/tokenizer.h"
#include "core/model/transformer.h"
#include "core/plan/planoptions.h"
#include "core/store/sessionstore.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cstring>

namespace lqer::fuzz {
namespace {

Expected<QByteArray> readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("%1: %2").arg(path, f.errorString()));
    return f.readAll();
}

Status writeSeed(const QString &outDir, const char *target, const QString &name, const QByteArray &bytes)
{
    const QString dir = QDir(outDir).filePath(QLatin1String(target));
    if (!QDir().mkpath(dir))
        return makeError(QStringLiteral("cannot create %1").arg(dir));
    QFile f(QDir(dir).filePath(name));
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size())
        return makeError(QStringLiteral("cannot write %1: %2").arg(f.fileName(), f.errorString()));
    return {};
}

Status copySeed(const QString &outDir, const char *target, const QString &source)
{
    auto bytes = readFile(source);
    if (!bytes)
        return makeError(bytes.error());
    return writeSeed(outDir, target, QFileInfo(source).fileName(), *bytes);
}

// A few real tensors of stories260K in F32, F16 and BF16.
Status safetensorsSeeds(const QString &shared, const QString &outDir, const QString &scratch)
{
    auto file = SafetensorsFile::open(shared + QStringLiteral("/models/stories260K-hf/model.safetensors"));
    if (!file)
        return makeError(file.error());
    const QStringList names {QStringLiteral("model.layers.0.input_layernorm.weight"),
                             QStringLiteral("model.layers.0.self_attn.k_proj.weight"),
                             QStringLiteral("model.layers.0.self_attn.v_proj.weight")};
    const DType dtypes[] = {DType::F32, DType::F16, DType::BF16};
    for (int seed = 0; seed < 3; ++seed) {
        SafetensorsWriter w;
        w.setMetadata(QStringLiteral("format"), QStringLiteral("pt"));
        for (int i = 0; i < names.size(); ++i) {
            auto m = (*file)->readMatrix(names[i]);
            if (!m)
                return makeError(m.error());
            const TensorInfo *info = (*file)->find(names[i]);
            w.addFloatTensor(names[i], m->data(), info->shape, dtypes[(seed + i) % 3]);
        }
        const QString path = QDir(scratch).filePath(QStringLiteral("seed%1.safetensors").arg(seed));
        if (Status s = w.write(path); !s)
            return s;
        if (Status s = copySeed(outDir, "safetensors", path); !s)
            return s;
    }
    return {};
}

// lqs-llama-13m's byte-level BPE tokenizer cut to its first 320 tokens and the merges among them.
Status tokenizerSeed(const QString &shared, const QString &outDir)
{
    auto raw = readFile(shared + QStringLiteral("/models/lqs-llama-13m/tokenizer.json"));
    if (!raw)
        return makeError(raw.error());
    QJsonObject root = QJsonDocument::fromJson(*raw).object();
    QJsonObject model = root.value(QStringLiteral("model")).toObject();
    const QJsonObject vocab = model.value(QStringLiteral("vocab")).toObject();
    QJsonObject kept;
    for (auto it = vocab.begin(); it != vocab.end(); ++it) {
        if (it.value().toInt() < 320)
            kept.insert(it.key(), it.value());
    }
    QJsonArray merges;
    for (const QJsonValue &m : model.value(QStringLiteral("merges")).toArray()) {
        const QJsonArray pair = m.toArray();
        const QString a = pair.at(0).toString(), b = pair.at(1).toString();
        if (kept.contains(a) && kept.contains(b) && kept.contains(a + b))
            merges.append(m);
    }
    model.insert(QStringLiteral("vocab"), kept);
    model.insert(QStringLiteral("merges"), merges);
    root.insert(QStringLiteral("model"), model);
    return writeSeed(outDir, "tokenizer_json", QStringLiteral("llama13m-320.json"),
                     QJsonDocument(root).toJson(QJsonDocument::Compact));
}

// A llama2.c model of toy size (dim 8, one layer) filled with the first floats of stories260K.
Status llama2cModelSeed(const QString &shared, const QString &outDir)
{
    auto raw = readFile(shared + QStringLiteral("/models/stories260K/stories260K.bin"));
    if (!raw)
        return makeError(raw.error());
    const qint32 dim = 8, hidden = 16, layers = 1, heads = 2, kvHeads = 2, vocab = 32, seq = 16;
    const qint64 headSize = dim / heads;
    const qint64 floats = vocab * dim + layers * (dim + 4 * dim * dim + dim + 3 * dim * hidden) + dim
        + seq * headSize; // + freq_cis_real/imag: seq * headSize/2 each
    QByteArray bytes;
    for (qint32 v : {dim, hidden, layers, heads, kvHeads, vocab, seq})
        bytes.append(reinterpret_cast<const char *>(&v), 4);
    if (raw->size() < 28 + floats * 4)
        return makeError(QStringLiteral("stories260K.bin is shorter than a toy model"));
    bytes.append(raw->constData() + 28, qsizetype(floats * 4));
    return writeSeed(outDir, "llama2c_model", QStringLiteral("toy-dim8.bin"), bytes);
}

// Real calibration statistics: stories260K on the start of the TinyStories sample.
Status statsSeed(const QString &shared, const QString &outDir, const QString &scratch)
{
    auto model = Transformer::load(shared + QStringLiteral("/models/stories260K-hf"));
    if (!model)
        return makeError(model.error());
    auto tok = Tokenizer::fromLlama2c(shared + QStringLiteral("/models/stories260K/tok512.bin"), 512);
    if (!tok)
        return makeError(tok.error());
    auto text = readTextCorpus(shared + QStringLiteral("/data/tinystories/tinystories_sample.txt"));
    if (!text)
        return makeError(text.error());
    const std::vector<int> ids = (*tok)->encode(text->left(4000));
    CalibrationConfig c;
    c.model = model->get();
    c.samples = {TokenIds(ids.begin(), ids.begin() + std::min<size_t>(ids.size(), 128))};
    c.layers = {QStringLiteral("model.layers.0.self_attn.q_proj.weight"),
                QStringLiteral("model.layers.0.self_attn.k_proj.weight")};
    c.gram = true;
    c.threads = 1;
    auto result = calibrate(c);
    if (!result)
        return makeError(result.error());
    const QString path = QDir(scratch).filePath(QStringLiteral("stories-l0.safetensors"));
    if (Status s = saveStats(path, result->stats, {{QStringLiteral("model"), QStringLiteral("stories260K")}});
        !s)
        return s;
    return copySeed(outDir, "stats", path);
}

Status planSeeds(const QString &outDir)
{
    for (const QString &name : PlanOptions::presetNames()) {
        auto plan = Plan::fromPreset(name);
        if (!plan)
            return makeError(plan.error());
        if (Status s = writeSeed(outDir, "plan", name + QStringLiteral(".json"),
                                 QJsonDocument(plan->toJson()).toJson());
            !s)
            return s;
    }
    // One with a per-layer override and a plan-wide switch.
    PlanOptions o;
    o.method = Method::Lqer;
    o.rank = 8;
    auto plan = o.toPlan();
    if (!plan)
        return makeError(plan.error());
    LayerPlan fp8 = plan->defaults;
    fp8.rank = 16;
    plan->setLayer(QStringLiteral("model.layers.0.mlp.down_proj.weight"), fp8);
    plan->quantizeAttentionMatmuls = true;
    return writeSeed(outDir, "plan", QStringLiteral("override.json"), QJsonDocument(plan->toJson()).toJson());
}

// The headers of two packed exports of stories260K (plain, and LQER rank 4).
Status packedSeeds(const QString &shared, const QString &outDir, const QString &scratch)
{
    auto ck = Checkpoint::open(shared + QStringLiteral("/models/stories260K-hf"));
    if (!ck)
        return makeError(ck.error());
    const QList<std::pair<Method, int>> variants {{Method::Plain, 0}, {Method::Lqer, 4}};
    for (const auto &[method, rank] : variants) {
        PlanOptions o;
        o.preset = QStringLiteral("plain-w4a8");
        o.method = method;
        o.rank = rank;
        o.weight = *QuantFormat::parse(QStringLiteral("mxint4_e8_b4"));
        o.act = *QuantFormat::parse(QStringLiteral("none"));
        o.lowRank = *QuantFormat::parse(QStringLiteral("mxint8_e8_b4"));
        auto plan = o.toPlan();
        if (!plan)
            return makeError(plan.error());
        ExportConfig c;
        c.checkpoint = *ck;
        c.plan = *plan;
        c.linears = quantizingProvider(*ck, *plan, nullptr);
        c.outputDir = QDir(scratch).filePath(QStringLiteral("packed-%1").arg(methodName(method)));
        auto exported = exportCheckpoint(c);
        if (!exported)
            return makeError(exported.error());
        auto bytes = readFile(QDir(c.outputDir).filePath(QStringLiteral("model.safetensors")));
        if (!bytes)
            return makeError(bytes.error());
        quint64 n = 0;
        std::memcpy(&n, bytes->constData(), 8);
        if (Status s = writeSeed(outDir, "packed", methodName(method) + QStringLiteral(".json"),
                                 bytes->mid(8, qsizetype(n)));
            !s)
            return s;
    }
    return {};
}

// GGUF: stories260K exported by this project as a q8_0 model (llama2.c vocabulary) and as a
// q4_0 model with its LoRA adapter (LQER rank 4), plus a small file with one tensor of every
// type and one key of every value type.
Status ggufSeeds(const QString &shared, const QString &outDir, const QString &scratch)
{
    auto ck = Checkpoint::open(shared + QStringLiteral("/models/stories260K-hf"));
    if (!ck)
        return makeError(ck.error());
    const QList<std::pair<QString, int>> variants {{QStringLiteral("q8_0"), 0}, {QStringLiteral("q4_0"), 4}};
    for (const auto &[format, rank] : variants) {
        Plan plan;
        plan.defaults.weight = *QuantFormat::parse(format);
        plan.defaults.act = QuantFormat::q8_0();
        plan.defaults.lowRank = QuantFormat::f16();
        plan.defaults.method = rank > 0 ? Method::Lqer : Method::Plain;
        plan.defaults.rank = rank;
        GgufExportConfig c;
        c.checkpoint = *ck;
        c.plan = plan;
        c.linears = quantizingProvider(*ck, plan, nullptr);
        c.outputDir = QDir(scratch).filePath(QStringLiteral("gguf-") + format);
        c.tokenizerPath = shared + QStringLiteral("/models/stories260K/tok512.bin");
        auto exported = exportGguf(c);
        if (!exported)
            return makeError(exported.error());
        for (const QString &file : exported->files) {
            if (!file.endsWith(QLatin1String(".gguf")))
                continue;
            auto bytes = readFile(QDir(c.outputDir).filePath(file));
            if (!bytes)
                return makeError(bytes.error());
            if (Status s = writeSeed(outDir, "gguf", format + QLatin1Char('-') + file, *bytes); !s)
                return s;
        }
    }
    GgufWriter w;
    w.setString(QStringLiteral("general.architecture"), QStringLiteral("llama"));
    w.setU32(QStringLiteral("llama.block_count"), 1);
    w.setI32(QStringLiteral("seed.i32"), -7);
    w.setF32(QStringLiteral("seed.f32"), 0.5f);
    w.setBool(QStringLiteral("seed.bool"), true);
    w.setStringArray(QStringLiteral("seed.strings"), {QStringLiteral("a"), QStringLiteral("b c")});
    w.setF32Array(QStringLiteral("seed.f32s"), {1.0f, -2.0f});
    w.setI32Array(QStringLiteral("seed.i32s"), {3, -4});
    for (GgmlType type : {GgmlType::F32, GgmlType::F16, GgmlType::Q4_0, GgmlType::Q8_0}) {
        const qint64 rowBytes = ggmlRowBytes(type, 32);
        QByteArray bytes(rowBytes * 2, '\0');
        for (qsizetype i = 0; i < bytes.size(); ++i)
            bytes[i] = char(i * 37 + 11);
        if (type == GgmlType::F32 || type == GgmlType::F16)
            bytes.fill('\0'); // finite values
        if (Status s = w.addTensor(QStringLiteral("seed.") + ggmlTypeName(type), type, {32, 2}, bytes); !s)
            return s;
    }
    const QString small = QDir(scratch).filePath(QStringLiteral("types.gguf"));
    if (Status s = w.write(small); !s)
        return s;
    return copySeed(outDir, "gguf", small);
}

// A session database with a session, a finished run with two layers (spectra included) and a
// perplexity, and a running one; plus the schema-1 fixture of the store tests.
Status sessionSeeds(const QString &testData, const QString &outDir, const QString &scratch)
{
    const QString path = QDir(scratch).filePath(QStringLiteral("sessions.db"));
    {
        auto store = SessionStore::open(path);
        if (!store)
            return makeError(store.error());
        ModelRecord m;
        m.path = QStringLiteral("/models/stories260K-hf");
        m.architecture = QStringLiteral("llama");
        m.fingerprint = QStringLiteral("seed");
        m.parameters = 260000;
        auto modelId = (*store)->ensureModel(m);
        if (!modelId)
            return makeError(modelId.error());
        SessionRecord s;
        s.name = QStringLiteral("seed");
        s.modelId = *modelId;
        s.plan = *Plan::fromPreset(QStringLiteral("paper-w4a8"));
        auto sessionId = (*store)->createSession(s);
        if (!sessionId)
            return makeError(sessionId.error());
        for (int r = 0; r < 2; ++r) {
            NewRun run;
            run.sessionId = *sessionId;
            run.kind = QStringLiteral("analyze");
            run.plan = s.plan;
            run.expectedLayers = 2;
            auto runId = (*store)->beginRun(run);
            if (!runId)
                return makeError(runId.error());
            QList<LayerRunRecord> layers;
            for (int l = 0; l < 2; ++l) {
                LayerRunRecord rec;
                rec.layer = QStringLiteral("model.layers.%1.self_attn.q_proj.weight").arg(l);
                rec.method = QStringLiteral("l2qer");
                rec.rank = 4;
                rec.inFeatures = rec.outFeatures = 64;
                rec.weightFormat = QStringLiteral("mxint4_e8_b16");
                rec.frobError = 0.5 + l;
                rec.svError = {3.0, 2.0, 1.0, 0.5};
                rec.svScaled = {5.0, 1.0, 0.25, 0.125};
                layers.append(rec);
            }
            if (Status st = (*store)->appendLayers(*runId, layers); !st)
                return st;
            if (r == 0) {
                PerplexityRecord p;
                p.label = QStringLiteral("l2qer");
                p.windowLength = 256;
                p.tokens = 1024;
                p.nll = 2.0;
                p.perplexity = 7.389;
                if (Status st = (*store)->addPerplexity(*runId, p); !st)
                    return st;
                if (Status st = (*store)->finishRun(*runId, RunStatus::Complete, 1.5); !st)
                    return st;
            }
        }
    }
    // Checkpointed into the main file by the close above (no -wal left behind).
    if (Status s = copySeed(outDir, "session_db", path); !s)
        return s;
    return copySeed(outDir, "session_db", QDir(testData).filePath(QStringLiteral("store_v1.sqlite")));
}

} // namespace

Status writeSeeds(const QString &sharedDir, const QString &testDataDir, const QString &outDir)
{
    QTemporaryDir scratch;
    if (!scratch.isValid())
        return makeError(QStringLiteral("cannot create a temporary folder: %1").arg(scratch.errorString()));
    const QString models = sharedDir + QStringLiteral("/models");
    for (Status s :
         {safetensorsSeeds(sharedDir, outDir, scratch.path()),
          copySeed(outDir, "config", models + QStringLiteral("/stories260K-hf/config.json")),
          tokenizerSeed(sharedDir, outDir),
          copySeed(outDir, "llama2c_tokenizer", models + QStringLiteral("/stories260K/tok512.bin")),
          llama2cModelSeed(sharedDir, outDir), statsSeed(sharedDir, outDir, scratch.path()),
          planSeeds(outDir), packedSeeds(sharedDir, outDir, scratch.path()),
          ggufSeeds(sharedDir, outDir, scratch.path()), sessionSeeds(testDataDir, outDir, scratch.path())}) {
        if (!s)
            return s;
    }
    return {};
}

} // namespace lqer::fuzz
