#include "synth.h"

#include "core/common/parallel.h"
#include "core/common/tensor.h"
#include "core/model/config.h"
#include "core/model/tokenizer_text.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace lqer {

namespace {

QString native(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

// splitmix64: a fast generator whose whole state is one word, seeded per row chunk.
struct SplitMix
{
    quint64 state;
    quint64 next()
    {
        quint64 z = (state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    // Irwin-Hall of four 16-bit uniforms from one draw, scaled to unit variance: close enough to
    // a normal for weights (bounded at ±2√3), and one draw per value.
    float normal()
    {
        const quint64 r = next();
        const double sum
            = double(r & 0xffff) + double((r >> 16) & 0xffff) + double((r >> 32) & 0xffff) + double(r >> 48);
        return float((sum / 65536.0 - 2.0) * 1.7320508075688772);
    }
    double uniform() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
};

quint64 nameSeed(quint64 seed, const QString &name, quint64 salt)
{
    const QByteArray h = QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Sha1);
    quint64 v = 0;
    std::memcpy(&v, h.constData(), sizeof v);
    SplitMix m {seed ^ v ^ (salt * 0xd1b54a32d192ed03ull)};
    return m.next();
}

// The value generator of one tensor: a standard deviation, and per input channel a scale (the
// few heavy channels of a linear).
struct TensorRecipe
{
    double stddev = 0.02;
    float constant = 0; // norm weights: every element this value (stddev 0)
    std::vector<float> columnScale; // empty: 1
};

TensorRecipe recipeFor(const SynthTensor &t, quint64 seed)
{
    TensorRecipe r;
    const qint64 in = t.shape.last();
    switch (t.kind) {
    case SynthTensor::Kind::NormWeight:
        r.stddev = 0;
        r.constant = 1;
        return r;
    case SynthTensor::Kind::Bias:
        r.stddev = 0.01;
        return r;
    case SynthTensor::Kind::Embedding:
        r.stddev = 0.02;
        return r;
    case SynthTensor::Kind::Linear:
        break;
    }
    // Variance-preserving scale, and about one heavy input channel in 512 (at least one), 4 to
    // 12 times louder: the outlier channels that make LQER's scaling matter.
    r.stddev = 1.0 / std::sqrt(double(in));
    r.columnScale.assign(size_t(in), 1.0f);
    SplitMix m {nameSeed(seed, t.name, 0x5eed)};
    const qint64 heavy = std::max<qint64>(1, in / 512);
    for (qint64 i = 0; i < heavy; ++i)
        r.columnScale[size_t(m.next() % quint64(in))] = float(4.0 + 8.0 * m.uniform());
    return r;
}

void fillChunk(const TensorRecipe &r, quint64 chunkSeed, qint64 rows, qint64 cols, DType dtype, char *out)
{
    SplitMix m {chunkSeed};
    const int size = dtypeSize(dtype);
    for (qint64 i = 0; i < rows; ++i)
        for (qint64 j = 0; j < cols; ++j) {
            float v = r.stddev > 0 ? float(r.stddev) * m.normal() : r.constant;
            if (!r.columnScale.empty())
                v *= r.columnScale[size_t(j)];
            char *dst = out + (i * cols + j) * size;
            if (dtype == DType::F32) {
                std::memcpy(dst, &v, 4);
            } else {
                const uint16_t h = dtype == DType::F16 ? floatToHalf(v) : floatToBf16(v);
                std::memcpy(dst, &h, 2);
            }
        }
}

// Streams one tensor: row chunks of about 4 MB generated in parallel a batch at a time, then
// written in order.
Status writeTensor(const SynthTensor &t, quint64 seed, DType dtype, int threads, QIODevice &out)
{
    const TensorRecipe recipe = recipeFor(t, seed);
    const qint64 cols = t.shape.last();
    const qint64 rows = t.shape.size() == 2 ? t.shape.first() : 1;
    const qint64 rowsPerChunk = std::max<qint64>(1, (qint64(1) << 21) / cols);
    const qint64 chunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
    const int batch = std::max(1, threads) * 2;
    const int size = dtypeSize(dtype);
    std::vector<QByteArray> buffers(static_cast<size_t>(batch));
    for (qint64 first = 0; first < chunks; first += batch) {
        const int n = int(std::min<qint64>(batch, chunks - first));
        Status s = runParallel(n, threads, [&](int k) -> Status {
            const qint64 chunk = first + k;
            const qint64 r0 = chunk * rowsPerChunk, nr = std::min(rowsPerChunk, rows - r0);
            QByteArray &buf = buffers[size_t(k)];
            buf.resize(nr * cols * size);
            fillChunk(recipe, nameSeed(seed, t.name, quint64(chunk) + 1), nr, cols, dtype, buf.data());
            return {};
        });
        if (!s)
            return s;
        for (int k = 0; k < n; ++k)
            if (out.write(buffers[size_t(k)]) != buffers[size_t(k)].size())
                return makeError(QStringLiteral("tensor '%1': write failed").arg(t.name));
    }
    return {};
}

QString shapeNames()
{
    QStringList names;
    for (const SynthShape &s : synthShapes())
        names << s.name;
    return names.join(QStringLiteral(", "));
}

QString dtypeConfigName(DType dtype)
{
    return dtype == DType::F16 ? QStringLiteral("float16")
        : dtype == DType::BF16 ? QStringLiteral("bfloat16")
                               : QStringLiteral("float32");
}

// Removes what a failed run wrote, and the folder when the run created it.
class Cleanup
{
public:
    Cleanup(QString dir, bool created)
        : mDir(std::move(dir))
        , mCreated(created)
    { }
    ~Cleanup()
    {
        if (mDone)
            return;
        for (const QString &f : mFiles)
            QFile::remove(QDir(mDir).filePath(f));
        if (mCreated)
            QDir().rmdir(mDir);
    }
    void add(const QString &file) { mFiles << file; }
    void done() { mDone = true; }

private:
    QString mDir;
    bool mCreated;
    bool mDone = false;
    QStringList mFiles;
};

} // namespace

QList<SynthShape> synthShapes()
{
    QList<SynthShape> s;
    // LLaMA-2 (Touvron et al. 2023), Mistral-7B v0.1, OPT (Zhang et al. 2022): their config.json.
    s << SynthShape {
        QStringLiteral("llama-7b"), QStringLiteral("llama"), 4096, 11008, 32000, 4096, 32, 32, 32};
    s << SynthShape {
        QStringLiteral("llama-13b"), QStringLiteral("llama"), 5120, 13824, 32000, 4096, 40, 40, 40};
    SynthShape mistral {
        QStringLiteral("mistral-7b"), QStringLiteral("mistral"), 4096, 14336, 32000, 32768, 32, 32, 8};
    mistral.slidingWindow = 4096;
    s << mistral;
    SynthShape opt13 {QStringLiteral("opt-1.3b"), QStringLiteral("opt"), 2048, 8192, 50272, 2048, 24, 32, 32};
    opt13.tieEmbeddings = true;
    s << opt13;
    SynthShape opt67 {
        QStringLiteral("opt-6.7b"), QStringLiteral("opt"), 4096, 16384, 50272, 2048, 32, 32, 32};
    opt67.tieEmbeddings = true;
    s << opt67;
    return s;
}

Expected<SynthShape> synthShape(const QString &name)
{
    for (const SynthShape &s : synthShapes())
        if (s.name == name)
            return s;
    return makeError(QStringLiteral("unknown shape '%1' (known: %2)").arg(name, shapeNames()));
}

QList<SynthTensor> synthTensors(const SynthShape &shape)
{
    using K = SynthTensor::Kind;
    QList<SynthTensor> t;
    const qint64 h = shape.hidden, f = shape.intermediate, v = shape.vocab;
    if (shape.modelType == QLatin1String("opt")) {
        const QString d = QStringLiteral("model.decoder.");
        t << SynthTensor {d + QStringLiteral("embed_tokens.weight"), {v, h}, K::Embedding};
        t << SynthTensor {
            d + QStringLiteral("embed_positions.weight"), {shape.maxPositions + 2, h}, K::Embedding};
        for (int i = 0; i < shape.layers; ++i) {
            const QString p = d + QStringLiteral("layers.%1.").arg(i);
            const auto linear = [&](const QString &name, qint64 out, qint64 in) {
                t << SynthTensor {p + name + QStringLiteral(".weight"), {out, in}, K::Linear};
                t << SynthTensor {p + name + QStringLiteral(".bias"), {out}, K::Bias};
            };
            const auto norm = [&](const QString &name) {
                t << SynthTensor {p + name + QStringLiteral(".weight"), {h}, K::NormWeight};
                t << SynthTensor {p + name + QStringLiteral(".bias"), {h}, K::Bias};
            };
            norm(QStringLiteral("self_attn_layer_norm"));
            for (const char *n :
                 {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.out_proj"})
                linear(QLatin1String(n), h, h);
            norm(QStringLiteral("final_layer_norm"));
            linear(QStringLiteral("fc1"), f, h);
            linear(QStringLiteral("fc2"), h, f);
        }
        t << SynthTensor {d + QStringLiteral("final_layer_norm.weight"), {h}, K::NormWeight};
        t << SynthTensor {d + QStringLiteral("final_layer_norm.bias"), {h}, K::Bias};
    } else {
        const qint64 headDim = h / shape.heads, kv = qint64(shape.kvHeads) * headDim;
        t << SynthTensor {QStringLiteral("model.embed_tokens.weight"), {v, h}, K::Embedding};
        for (int i = 0; i < shape.layers; ++i) {
            const QString p = QStringLiteral("model.layers.%1.").arg(i);
            const auto linear = [&](const char *name, qint64 out, qint64 in) {
                t << SynthTensor {p + QLatin1String(name) + QStringLiteral(".weight"), {out, in}, K::Linear};
            };
            t << SynthTensor {p + QStringLiteral("input_layernorm.weight"), {h}, K::NormWeight};
            linear("self_attn.q_proj", qint64(shape.heads) * headDim, h);
            linear("self_attn.k_proj", kv, h);
            linear("self_attn.v_proj", kv, h);
            linear("self_attn.o_proj", h, qint64(shape.heads) * headDim);
            t << SynthTensor {p + QStringLiteral("post_attention_layernorm.weight"), {h}, K::NormWeight};
            linear("mlp.gate_proj", f, h);
            linear("mlp.up_proj", f, h);
            linear("mlp.down_proj", h, f);
        }
        t << SynthTensor {QStringLiteral("model.norm.weight"), {h}, K::NormWeight};
    }
    if (!shape.tieEmbeddings)
        t << SynthTensor {QStringLiteral("lm_head.weight"), {v, h}, K::Embedding};
    return t;
}

qint64 synthParameterCount(const SynthShape &shape)
{
    qint64 n = 0;
    for (const SynthTensor &t : synthTensors(shape)) {
        qint64 e = 1;
        for (qint64 d : t.shape)
            e *= d;
        n += e;
    }
    return n;
}

QJsonObject synthConfig(const SynthShape &s, DType dtype)
{
    QJsonObject c {
        {QStringLiteral("model_type"), s.modelType},
        {QStringLiteral("hidden_size"), double(s.hidden)},
        {QStringLiteral("num_hidden_layers"), s.layers},
        {QStringLiteral("num_attention_heads"), s.heads},
        {QStringLiteral("vocab_size"), double(s.vocab)},
        {QStringLiteral("max_position_embeddings"), double(s.maxPositions)},
        {QStringLiteral("tie_word_embeddings"), s.tieEmbeddings},
        {QStringLiteral("torch_dtype"), dtypeConfigName(dtype)},
        {QStringLiteral("lqer_synthetic"), s.name},
    };
    if (s.modelType == QLatin1String("opt")) {
        c.insert(QStringLiteral("architectures"), QJsonArray {QStringLiteral("OPTForCausalLM")});
        c.insert(QStringLiteral("ffn_dim"), double(s.intermediate));
        c.insert(QStringLiteral("word_embed_proj_dim"), double(s.hidden));
        c.insert(QStringLiteral("do_layer_norm_before"), true);
        c.insert(QStringLiteral("activation_function"), QStringLiteral("relu"));
        c.insert(QStringLiteral("enable_bias"), true);
        c.insert(QStringLiteral("layer_norm_elementwise_affine"), true);
        c.insert(QStringLiteral("bos_token_id"), 2);
        c.insert(QStringLiteral("eos_token_id"), 2);
        c.insert(QStringLiteral("pad_token_id"), 1);
        return c;
    }
    c.insert(QStringLiteral("architectures"),
             QJsonArray {s.modelType == QLatin1String("mistral") ? QStringLiteral("MistralForCausalLM")
                                                                 : QStringLiteral("LlamaForCausalLM")});
    c.insert(QStringLiteral("intermediate_size"), double(s.intermediate));
    c.insert(QStringLiteral("num_key_value_heads"), s.kvHeads);
    c.insert(QStringLiteral("hidden_act"), QStringLiteral("silu"));
    c.insert(QStringLiteral("rms_norm_eps"), 1e-5);
    c.insert(QStringLiteral("rope_theta"), s.ropeTheta);
    if (s.slidingWindow > 0)
        c.insert(QStringLiteral("sliding_window"), s.slidingWindow);
    c.insert(QStringLiteral("bos_token_id"), 1);
    c.insert(QStringLiteral("eos_token_id"), 2);
    return c;
}

QByteArray synthByteLevelTokenizer()
{
    // GPT-2's byte-level BPE with no merges: every byte is a token (ids 3..258), after <unk>,
    // <s> and </s>; a real tokenizer.json that our reader and Hugging Face's load.
    QJsonObject vocab {{QStringLiteral("<unk>"), 0}, {QStringLiteral("<s>"), 1}, {QStringLiteral("</s>"), 2}};
    const char32_t *table = tokenizer_detail::byteToUnicodeTable();
    for (int b = 0; b < 256; ++b)
        vocab.insert(QString::fromUcs4(&table[b], 1), 3 + b);
    QJsonArray added;
    int id = 0;
    for (const char *special : {"<unk>", "<s>", "</s>"})
        added.append(QJsonObject {{QStringLiteral("id"), id++},
                                  {QStringLiteral("content"), QLatin1String(special)},
                                  {QStringLiteral("single_word"), false},
                                  {QStringLiteral("lstrip"), false},
                                  {QStringLiteral("rstrip"), false},
                                  {QStringLiteral("normalized"), false},
                                  {QStringLiteral("special"), true}});
    const QJsonObject byteLevel {{QStringLiteral("type"), QStringLiteral("ByteLevel")},
                                 {QStringLiteral("add_prefix_space"), false},
                                 {QStringLiteral("trim_offsets"), true},
                                 {QStringLiteral("use_regex"), true}};
    const QJsonObject root {
        {QStringLiteral("version"), QStringLiteral("1.0")},
        {QStringLiteral("added_tokens"), added},
        {QStringLiteral("normalizer"), QJsonValue()},
        {QStringLiteral("pre_tokenizer"), byteLevel},
        {QStringLiteral("post_processor"), QJsonValue()},
        {QStringLiteral("decoder"), byteLevel},
        {QStringLiteral("model"),
         QJsonObject {{QStringLiteral("type"), QStringLiteral("BPE")},
                      {QStringLiteral("vocab"), vocab},
                      {QStringLiteral("merges"), QJsonArray()},
                      {QStringLiteral("unk_token"), QStringLiteral("<unk>")},
                      {QStringLiteral("fuse_unk"), false},
                      {QStringLiteral("byte_fallback"), false}}},
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Expected<SynthReport> writeSynthCheckpoint(const SynthOptions &o, const ProgressFn &progress)
{
    const SynthShape &shape = o.shape;
    if (o.dtype != DType::F16 && o.dtype != DType::BF16 && o.dtype != DType::F32)
        return makeError(
            QStringLiteral("synthetic weights are F16, BF16 or F32, not %1").arg(dtypeName(o.dtype)));
    const QJsonObject config = synthConfig(shape, o.dtype);
    // The folder must load: the config goes through the same reader as any checkpoint's.
    if (auto c = ModelConfig::fromJson(config, QStringLiteral("synthetic %1 config").arg(shape.name)); !c)
        return Error {c.error()};
    QByteArray tokenizer;
    if (!o.tokenizerJson.isEmpty()) {
        QFile f(o.tokenizerJson);
        if (!f.open(QIODevice::ReadOnly))
            return makeError(
                QStringLiteral("%1: cannot read: %2").arg(native(o.tokenizerJson), f.errorString()));
        tokenizer = f.readAll();
        const QJsonObject vocab = QJsonDocument::fromJson(tokenizer)
                                      .object()
                                      .value(QStringLiteral("model"))
                                      .toObject()
                                      .value(QStringLiteral("vocab"))
                                      .toObject();
        if (vocab.isEmpty())
            return makeError(QStringLiteral("%1: not a tokenizer.json with a model vocabulary")
                                 .arg(native(o.tokenizerJson)));
        if (vocab.size() > shape.vocab)
            return makeError(QStringLiteral("%1: %2 tokens do not fit the shape's vocabulary of %3")
                                 .arg(native(o.tokenizerJson))
                                 .arg(vocab.size())
                                 .arg(shape.vocab));
    } else {
        tokenizer = synthByteLevelTokenizer();
    }

    const QDir dir(o.outputDir);
    const bool existed = dir.exists();
    if (existed && !dir.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden))
        return makeError(QStringLiteral("%1: the output folder is not empty").arg(native(o.outputDir)));
    if (!existed && !QDir().mkpath(o.outputDir))
        return makeError(QStringLiteral("%1: cannot create the folder").arg(native(o.outputDir)));
    Cleanup cleanup(o.outputDir, !existed);

    // Shards: consecutive tensors up to shardBytes each (a tensor never splits).
    const QList<SynthTensor> tensors = synthTensors(shape);
    QList<QList<int>> shards {{}};
    qint64 inShard = 0, total = 0;
    for (int i = 0; i < tensors.size(); ++i) {
        const qint64 bytes = TensorSpec {tensors[i].name, o.dtype, tensors[i].shape}.byteSize();
        if (!shards.last().isEmpty() && inShard + bytes > o.shardBytes) {
            shards.append(QList<int>());
            inShard = 0;
        }
        shards.last().append(i);
        inShard += bytes;
        total += bytes;
    }
    const int threads = o.threads > 0 ? o.threads : std::max(1, QThread::idealThreadCount());
    SynthReport report;
    report.parameters = synthParameterCount(shape);
    QJsonObject weightMap;
    qint64 done = 0;
    for (int s = 0; s < shards.size(); ++s) {
        const QString name = shardFileName(s, int(shards.size()));
        QList<TensorSpec> specs;
        for (int i : shards[s])
            specs << TensorSpec {tensors[i].name, o.dtype, tensors[i].shape};
        cleanup.add(name);
        const QString path = dir.filePath(name);
        Status st = writeSafetensorsStreaming(
            path, specs, {{QStringLiteral("format"), QStringLiteral("pt")}},
            [&](int k, QIODevice &out) -> Status {
                const SynthTensor &t = tensors[shards[s][k]];
                if (Status w = writeTensor(t, o.seed, o.dtype, threads, out); !w)
                    return w;
                done += specs[k].byteSize();
                if (!reportProgress(progress, double(done) / double(std::max<qint64>(total, 1)), t.name))
                    return makeError(QStringLiteral("cancelled"));
                return {};
            });
        if (!st)
            return Error {st.error()};
        for (const TensorSpec &t : specs)
            weightMap.insert(t.name, name);
        report.files << name;
        report.bytes += QFileInfo(path).size();
    }
    QList<QPair<QString, QByteArray>> sideFiles {
        {QStringLiteral("config.json"), QJsonDocument(config).toJson(QJsonDocument::Indented)},
        {QStringLiteral("tokenizer.json"), tokenizer},
    };
    if (shards.size() > 1) {
        const QJsonObject index {
            {QStringLiteral("metadata"), QJsonObject {{QStringLiteral("total_size"), double(total)}}},
            {QStringLiteral("weight_map"), weightMap}};
        sideFiles.prepend({QStringLiteral("model.safetensors.index.json"),
                           QJsonDocument(index).toJson(QJsonDocument::Indented)});
    }
    for (const auto &[name, bytes] : sideFiles) {
        cleanup.add(name);
        if (Status st = writeFileAtomically(dir.filePath(name), bytes); !st)
            return Error {st.error()};
        report.files << name;
        report.bytes += bytes.size();
    }
    cleanup.done();
    return report;
}

} // namespace lqer
