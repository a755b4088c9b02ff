#include "ggufmodel.h"

#include "core/export/ggufexport.h"
#include "core/formats/ggmlblocks.h"
#include "core/io/checkpoint.h"
#include "core/model/architecture.h"
#include "core/model/transformer.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <cstring>

namespace lqer {

namespace {

// The value of an optional setting, or `fallback` when it is absent.
template<typename T> T orDefault(const Expected<T> &v, T fallback)
{
    return v ? *v : fallback;
}

QString native(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

// The tensor as a row-major matrix: rows = the product of ne[1..], cols = ne[0].
Expected<MatrixRM> decodeTensor(const GgufFile &file, const GgufTensorInfo &t)
{
    Expected<const uchar *> data = file.data(t);
    if (!data)
        return Error {data.error()};
    const qint64 cols = t.ne.first();
    const qint64 rows = t.elements() / cols;
    MatrixRM m(rows, cols);
    const qint64 rowBytes = ggmlRowBytes(t.type, cols);
    for (qint64 r = 0; r < rows; ++r) {
        const uchar *src = *data + r * rowBytes;
        float *dst = m.data() + r * cols;
        switch (t.type) {
        case GgmlType::F32:
            std::memcpy(dst, src, size_t(4 * cols));
            break;
        case GgmlType::F16:
            for (qint64 c = 0; c < cols; ++c) {
                uint16_t h;
                std::memcpy(&h, src + 2 * c, 2);
                dst[c] = halfToFloat(h);
            }
            break;
        case GgmlType::Q4_0:
            dequantizeRow(reinterpret_cast<const BlockQ4_0 *>(src), dst, cols);
            break;
        case GgmlType::Q8_0:
            dequantizeRow(reinterpret_cast<const BlockQ8_0 *>(src), dst, cols);
            break;
        }
    }
    if (const qint64 bad = firstNonFinite(m.data(), m.size()); bad >= 0)
        return makeError(QStringLiteral("%1: tensor '%2' holds a non-finite value at element %3")
                             .arg(native(file.path()), t.name)
                             .arg(bad));
    return m;
}

Expected<int> intKey(const GgufFile &f, const QString &key)
{
    Expected<qint64> v = f.integer(key);
    if (!v)
        return Error {v.error()};
    if (*v <= 0 || *v > (qint64(1) << 30))
        return makeError(QStringLiteral("%1: %2 = %3 is out of range").arg(native(f.path()), key).arg(*v));
    return int(*v);
}

Expected<ModelConfig> configFrom(const GgufFile &f)
{
    Expected<QString> arch = f.string(QStringLiteral("general.architecture"));
    if (!arch)
        return Error {arch.error()};
    if (*arch != QLatin1String("llama"))
        return makeError(QStringLiteral("%1: architecture '%2' is not supported (only llama)")
                             .arg(native(f.path()), *arch));
    ModelConfig c;
    c.arch = Architecture::Llama;
    c.modelType = QStringLiteral("llama");
    struct Field
    {
        const char *key;
        int *target;
    };
    for (const Field &fd :
         {Field {"llama.embedding_length", &c.hiddenSize},
          Field {"llama.feed_forward_length", &c.intermediateSize}, Field {"llama.block_count", &c.numLayers},
          Field {"llama.attention.head_count", &c.numHeads},
          Field {"llama.context_length", &c.maxPositions}}) {
        Expected<int> v = intKey(f, QLatin1String(fd.key));
        if (!v)
            return Error {v.error()};
        *fd.target = *v;
    }
    c.numKvHeads = orDefault(intKey(f, QStringLiteral("llama.attention.head_count_kv")), c.numHeads);
    c.headDim = orDefault(intKey(f, QStringLiteral("llama.attention.key_length")), c.hiddenSize / c.numHeads);
    c.rotaryDims = orDefault(intKey(f, QStringLiteral("llama.rope.dimension_count")), c.headDim);
    c.rotaryInterleaved = true; // ggml's rope on llama pairs (2i, 2i+1)
    c.normEps = orDefault(f.real(QStringLiteral("llama.attention.layer_norm_rms_epsilon")), 1e-5);
    c.ropeTheta = orDefault(f.real(QStringLiteral("llama.rope.freq_base")), 10000.0);
    const GgufTensorInfo *embed = f.find(QStringLiteral("token_embd.weight"));
    if (!embed || embed->ne.size() != 2)
        return makeError(QStringLiteral("%1: no 2-D token_embd.weight").arg(native(f.path())));
    c.vocabSize = int(embed->ne[1]);
    c.tiedEmbeddings = !f.find(QStringLiteral("output.weight"));
    c.bosTokenId = int(orDefault(f.integer(QStringLiteral("tokenizer.ggml.bos_token_id")), qint64(-1)));
    c.eosTokenId = int(orDefault(f.integer(QStringLiteral("tokenizer.ggml.eos_token_id")), qint64(-1)));
    c.dtype = QStringLiteral("gguf");
    if (Status s = c.validate(native(f.path())); !s)
        return Error {s.error()};
    return c;
}

// The linears of a LLaMA model with c.numLayers blocks, in model order.
QList<GgufLinearInfo> linearsOf(const GgufFile &f, const ModelConfig &c, QString &missing)
{
    static const char *kinds[]
        = {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
           "mlp.gate_proj",    "mlp.up_proj",      "mlp.down_proj"};
    QList<GgufLinearInfo> out;
    for (int b = 0; b < c.numLayers; ++b)
        for (const char *k : kinds) {
            GgufLinearInfo l;
            l.weightName = QStringLiteral("model.layers.%1.%2.weight").arg(b).arg(QLatin1String(k));
            l.ggufName = ggufTensorName(l.weightName);
            const GgufTensorInfo *t = f.find(l.ggufName);
            if (!t || t->ne.size() != 2) {
                missing = l.ggufName;
                return {};
            }
            l.type = t->type;
            l.inFeatures = t->ne[0];
            l.outFeatures = t->ne[1];
            out << l;
        }
    return out;
}

QString tokenizerBeside(const QString &path, int vocab)
{
    const QDir dir = QFileInfo(path).absoluteDir();
    for (const QString &name : {QStringLiteral("tokenizer.json"), QStringLiteral("tokenizer.bin"),
                                QStringLiteral("tok%1.bin").arg(vocab)})
        if (dir.exists(name))
            return dir.filePath(name);
    return {};
}

// Checks the adapter's identity and fills rank / loraType per linear.
Status readAdapter(const GgufFile &lora, const GgufFile &model, GgufModelInfo &info)
{
    const QString where = native(lora.path());
    if (orDefault(lora.string(QStringLiteral("general.type")), QString()) != QLatin1String("adapter")
        || orDefault(lora.string(QStringLiteral("adapter.type")), QString()) != QLatin1String("lora"))
        return makeError(
            QStringLiteral("%1: not a LoRA adapter (general.type 'adapter', adapter.type 'lora')")
                .arg(where));
    if (orDefault(lora.string(QStringLiteral("general.architecture")), QString())
        != orDefault(model.string(QStringLiteral("general.architecture")), QString()))
        return makeError(
            QStringLiteral("%1: the adapter's architecture differs from the model's").arg(where));
    info.loraAlpha = orDefault(lora.real(QStringLiteral("adapter.lora.alpha")), 0.0);
    QSet<QString> used;
    for (GgufLinearInfo &l : info.linears) {
        const GgufTensorInfo *a = lora.find(l.ggufName + QStringLiteral(".lora_a"));
        const GgufTensorInfo *b = lora.find(l.ggufName + QStringLiteral(".lora_b"));
        if (!a && !b)
            continue;
        if (!a || !b)
            return makeError(
                QStringLiteral("%1: '%2' has only one of lora_a / lora_b").arg(where, l.ggufName));
        if (a->ne.size() != 2 || b->ne.size() != 2 || a->ne[0] != l.inFeatures || b->ne[1] != l.outFeatures
            || a->ne[1] != b->ne[0])
            return makeError(
                QStringLiteral("%1: '%2': lora_a [%3, %4] and lora_b [%5, %6] do not fit the weight "
                               "[%7, %8]")
                    .arg(where, l.ggufName)
                    .arg(a->ne.value(0))
                    .arg(a->ne.value(1))
                    .arg(b->ne.value(0))
                    .arg(b->ne.value(1))
                    .arg(l.inFeatures)
                    .arg(l.outFeatures));
        l.rank = int(a->ne[1]);
        l.loraType = a->type;
        used << a->name << b->name;
    }
    for (const GgufTensorInfo &t : lora.tensors())
        if (!used.contains(t.name))
            return makeError(
                QStringLiteral("%1: tensor '%2' adapts no linear of the model").arg(where, t.name));
    info.loraBytes = lora.fileSize();
    return {};
}

struct Opened
{
    std::shared_ptr<GgufFile> model;
    std::shared_ptr<GgufFile> lora;
    GgufModelInfo info;
};

Expected<Opened> openBoth(const QString &path, const QString &loraPath)
{
    Opened o;
    auto model = GgufFile::open(path);
    if (!model)
        return Error {model.error()};
    o.model = *model;
    GgufModelInfo &info = o.info;
    info.path = path;
    info.loraPath = loraPath;
    info.modelBytes = o.model->fileSize();
    if (orDefault(o.model->string(QStringLiteral("general.type")), QStringLiteral("model"))
        == QLatin1String("adapter"))
        return makeError(
            QStringLiteral("%1 is a LoRA adapter, not a model; pass it with --lora").arg(native(path)));
    Expected<ModelConfig> c = configFrom(*o.model);
    if (!c)
        return Error {c.error()};
    info.config = *c;
    info.tokenizerModel = orDefault(o.model->string(QStringLiteral("tokenizer.ggml.model")), QString());
    info.tokenizerPath = tokenizerBeside(path, c->vocabSize);
    QString missing;
    info.linears = linearsOf(*o.model, *c, missing);
    if (info.linears.isEmpty())
        return makeError(QStringLiteral("%1: no 2-D tensor '%2'").arg(native(path), missing));
    if (o.model->has(QStringLiteral("lqer.plan"))) {
        const QJsonDocument doc = QJsonDocument::fromJson(
            orDefault(o.model->string(QStringLiteral("lqer.plan")), QString()).toUtf8());
        Expected<Plan> plan = Plan::fromJson(doc.object());
        if (!plan)
            return makeError(QStringLiteral("%1: lqer.plan: %2").arg(native(path), plan.error()));
        info.plan = *plan;
    }
    if (!loraPath.isEmpty()) {
        auto lora = GgufFile::open(loraPath);
        if (!lora)
            return Error {lora.error()};
        o.lora = *lora;
        if (Status s = readAdapter(*o.lora, *o.model, info); !s)
            return Error {s.error()};
    }
    qint64 bytes = 0, weights = 0;
    for (const GgufLinearInfo &l : info.linears) {
        bytes += o.model->find(l.ggufName)->bytes;
        weights += l.inFeatures * l.outFeatures;
        if (o.lora && l.rank > 0)
            bytes += o.lora->find(l.ggufName + QStringLiteral(".lora_a"))->bytes
                + o.lora->find(l.ggufName + QStringLiteral(".lora_b"))->bytes;
    }
    info.fileBitsPerWeight = weights > 0 ? 8.0 * double(bytes) / double(weights) : 0;
    return o;
}

} // namespace

bool isGgufFile(const QString &path)
{
    return QFileInfo(path).isFile() && GgufFile::looksLikeGguf(path);
}

bool isGgufAdapter(const QString &path)
{
    if (!isGgufFile(path))
        return false;
    auto file = GgufFile::open(path);
    return file
        && orDefault((*file)->string(QStringLiteral("general.type")), QString()) == QLatin1String("adapter");
}

Expected<GgufModelInfo> readGgufInfo(const QString &path, const QString &loraPath)
{
    Expected<Opened> o = openBoth(path, loraPath);
    if (!o)
        return Error {o.error()};
    return o->info;
}

Expected<std::shared_ptr<Transformer>> loadGgufModel(const QString &path, const QString &loraPath,
                                                     const ProgressFn &progress, GgufModelInfo *infoOut)
{
    Expected<Opened> o = openBoth(path, loraPath);
    if (!o)
        return Error {o.error()};
    const GgufFile &file = *o->model;
    TensorSource source;
    source.description = native(path);
    source.has = [&file](const QString &name) { return file.find(ggufTensorName(name)) != nullptr; };
    source.read = [&file](const QString &name) -> Expected<MatrixRM> {
        const GgufTensorInfo *t = file.find(ggufTensorName(name));
        if (!t)
            return makeError(QStringLiteral("%1: no tensor for '%2'").arg(native(file.path()), name));
        return decodeTensor(file, *t);
    };
    source.shape = [&file](const QString &name) -> QList<qint64> {
        const GgufTensorInfo *t = file.find(ggufTensorName(name));
        if (!t)
            return {};
        if (t->ne.size() == 1)
            return {t->ne[0]};
        return {t->elements() / t->ne[0], t->ne[0]};
    };
    auto model = Transformer::build(o->info.config, source, progress);
    if (!model)
        return Error {model.error()};

    QMap<QString, QuantizedLinear> linears;
    for (const GgufLinearInfo &l : o->info.linears) {
        const bool blockType = l.type == GgmlType::Q4_0 || l.type == GgmlType::Q8_0;
        if (!blockType && l.rank == 0)
            continue;
        const int index = (*model)->linearIndex(l.weightName);
        if (index < 0)
            return makeError(
                QStringLiteral("%1: the model has no linear '%2'").arg(native(path), l.weightName));
        QuantizedLinear q;
        q.wq = (*model)->linearWeight(index).toMatrix();
        q.act = blockType ? QuantFormat::q8_0() : QuantFormat::none();
        if (l.rank > 0) {
            Expected<MatrixRM> a
                = decodeTensor(*o->lora, *o->lora->find(l.ggufName + QStringLiteral(".lora_a")));
            if (!a)
                return Error {a.error()};
            Expected<MatrixRM> b
                = decodeTensor(*o->lora, *o->lora->find(l.ggufName + QStringLiteral(".lora_b")));
            if (!b)
                return Error {b.error()};
            const float scale = o->info.loraAlpha != 0 ? float(o->info.loraAlpha / l.rank) : 1.0f;
            q.a = a->transpose();
            q.b = b->transpose() * scale;
        }
        linears.insert(l.weightName, std::move(q));
    }
    if (Status s = (*model)->setQuantizedLinears(linears); !s)
        return Error {s.error()};
    if (infoOut)
        *infoOut = o->info;
    return *model;
}

namespace {

// config.json of a LLaMA model with `c`'s sizes (what ModelConfig::fromJson() reads back).
QJsonObject llamaConfigJson(const ModelConfig &c)
{
    QJsonObject j {{QStringLiteral("model_type"), QStringLiteral("llama")},
                   {QStringLiteral("architectures"), QJsonArray {QStringLiteral("LlamaForCausalLM")}},
                   {QStringLiteral("hidden_size"), c.hiddenSize},
                   {QStringLiteral("intermediate_size"), c.intermediateSize},
                   {QStringLiteral("num_hidden_layers"), c.numLayers},
                   {QStringLiteral("num_attention_heads"), c.numHeads},
                   {QStringLiteral("num_key_value_heads"), c.numKvHeads},
                   {QStringLiteral("head_dim"), c.headDim},
                   {QStringLiteral("max_position_embeddings"), c.maxPositions},
                   {QStringLiteral("rms_norm_eps"), c.normEps},
                   {QStringLiteral("rope_theta"), c.ropeTheta},
                   {QStringLiteral("vocab_size"), c.vocabSize},
                   {QStringLiteral("hidden_act"), QStringLiteral("silu")},
                   {QStringLiteral("tie_word_embeddings"), c.tiedEmbeddings},
                   {QStringLiteral("torch_dtype"), QStringLiteral("float32")}};
    if (c.bosTokenId >= 0)
        j.insert(QStringLiteral("bos_token_id"), c.bosTokenId);
    if (c.eosTokenId >= 0)
        j.insert(QStringLiteral("eos_token_id"), c.eosTokenId);
    return j;
}

// The Hugging Face names of a LLaMA model's tensors, in model order.
QStringList llamaTensorNames(const ModelConfig &c)
{
    QStringList names {QStringLiteral("model.embed_tokens.weight")};
    for (int b = 0; b < c.numLayers; ++b)
        for (const char *part : {"input_layernorm", "self_attn.q_proj", "self_attn.k_proj",
                                 "self_attn.v_proj", "self_attn.o_proj", "post_attention_layernorm",
                                 "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"})
            names << QStringLiteral("model.layers.%1.%2.weight").arg(b).arg(QLatin1String(part));
    names << QStringLiteral("model.norm.weight") << QStringLiteral("lm_head.weight");
    return names;
}

} // namespace

Expected<std::shared_ptr<Checkpoint>> openGgufCheckpoint(const QString &path, GgufModelInfo *infoOut)
{
    Expected<Opened> o = openBoth(path, QString());
    if (!o)
        return Error {o.error()};
    const ModelConfig &c = o->info.config;
    if (c.rotaryDims != c.headDim)
        return makeError(QStringLiteral("%1: partial rotary embeddings (%2 of %3 dims) have no Hugging Face "
                                        "LLaMA layout")
                             .arg(native(path))
                             .arg(c.rotaryDims)
                             .arg(c.headDim));
    const std::shared_ptr<const GgufFile> file = o->model;
    CheckpointTensors tensors;
    tensors.file = QFileInfo(path).absoluteFilePath();
    // Output row r of llama.cpp's Q / K is Hugging Face row order[r]: undo it on read.
    QMap<QString, std::vector<qint64>> rowOrders;
    QMap<QString, QString> ggufNames;
    for (const QString &hf : llamaTensorNames(c)) {
        const QString gguf = ggufTensorName(hf);
        const GgufTensorInfo *t = file->find(gguf);
        if (!t)
            continue;
        if (t->ne.isEmpty() || t->ne.size() > 2)
            return makeError(QStringLiteral("%1: tensor '%2' has %3 dimensions")
                                 .arg(native(path), gguf)
                                 .arg(t->ne.size()));
        TensorInfo info;
        info.name = hf;
        info.shape = t->ne.size() == 1 ? QList<qint64> {t->ne[0]} : QList<qint64> {t->ne[1], t->ne[0]};
        tensors.tensors << info;
        ggufNames.insert(hf, gguf);
        const bool q = hf.endsWith(QLatin1String("q_proj.weight"));
        if (q || hf.endsWith(QLatin1String("k_proj.weight"))) {
            const int heads = q ? c.numHeads : c.numKvHeads;
            if (t->ne.size() != 2 || t->ne[1] != qint64(heads) * c.headDim)
                return makeError(QStringLiteral("%1: tensor '%2' has %3 rows, expected %4 heads of %5")
                                     .arg(native(path), gguf)
                                     .arg(t->ne.value(1))
                                     .arg(heads)
                                     .arg(c.headDim));
            rowOrders.insert(hf, interleavedRowOrder(heads, c.headDim));
        }
        tensors.identity += gguf.toUtf8() + QByteArray::number(t->offset) + ggmlTypeName(t->type).toUtf8();
    }
    tensors.read = [file, rowOrders, ggufNames](const TensorInfo &info) -> Expected<MatrixRM> {
        const GgufTensorInfo *t = file->find(ggufNames.value(info.name));
        if (!t)
            return makeError(QStringLiteral("%1: no tensor for '%2'").arg(native(file->path()), info.name));
        Expected<MatrixRM> m = decodeTensor(*file, *t);
        if (!m)
            return m;
        const auto order = rowOrders.constFind(info.name);
        if (order == rowOrders.constEnd())
            return m;
        MatrixRM hf(m->rows(), m->cols());
        for (qint64 r = 0; r < m->rows(); ++r)
            hf.row((*order)[size_t(r)]) = m->row(r);
        return hf;
    };
    if (infoOut)
        *infoOut = o->info;
    return Checkpoint::fromTensors(QFileInfo(path).absolutePath(), llamaConfigJson(c), std::move(tensors));
}

} // namespace lqer
