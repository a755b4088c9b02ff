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

bool boolKey(const GgufFile &f, const QString &key, bool fallback)
{
    const auto it = f.metadata().constFind(key);
    return it != f.metadata().constEnd() && it->type == GgufValueType::Bool ? it->scalar.toBool() : fallback;
}

Expected<ModelConfig> configFrom(const GgufFile &f)
{
    Expected<QString> arch = f.string(QStringLiteral("general.architecture"));
    if (!arch)
        return Error {arch.error()};
    ModelConfig c;
    if (*arch == ggufArchitectureName(Architecture::Llama))
        c.arch = Architecture::Llama;
    else if (*arch == ggufArchitectureName(Architecture::Gpt2))
        c.arch = Architecture::Gpt2;
    else if (*arch == ggufArchitectureName(Architecture::GptNeoX))
        c.arch = Architecture::GptNeoX;
    else
        return makeError(QStringLiteral("%1: architecture '%2' is not supported (llama, gpt2, gptneox)")
                             .arg(native(f.path()), *arch));
    c.modelType = architectureName(c.arch);
    auto key = [&arch](const char *k) { return *arch + QLatin1Char('.') + QLatin1String(k); };
    struct Field
    {
        const char *key;
        int *target;
    };
    for (const Field &fd :
         {Field {"embedding_length", &c.hiddenSize}, Field {"feed_forward_length", &c.intermediateSize},
          Field {"block_count", &c.numLayers}, Field {"attention.head_count", &c.numHeads},
          Field {"context_length", &c.maxPositions}}) {
        Expected<int> v = intKey(f, key(fd.key));
        if (!v)
            return Error {v.error()};
        *fd.target = *v;
    }
    c.numKvHeads = orDefault(intKey(f, key("attention.head_count_kv")), c.numHeads);
    c.headDim = orDefault(intKey(f, key("attention.key_length")), c.hiddenSize / c.numHeads);
    c.ropeTheta = orDefault(f.real(key("rope.freq_base")), 10000.0);
    if (c.arch == Architecture::Llama) {
        c.rotaryDims = orDefault(intKey(f, key("rope.dimension_count")), c.headDim);
        c.rotaryInterleaved = true; // ggml's rope on llama pairs (2i, 2i+1)
        c.normEps = orDefault(f.real(key("attention.layer_norm_rms_epsilon")), 1e-5);
    } else {
        // GPT-2 and GPT-NeoX: LayerNorm with biases, biased linears, ggml_gelu (the tanh
        // approximation); GPT-NeoX's rope rotates halves of the first n_rot dimensions (NEOX).
        c.normEps = orDefault(f.real(key("attention.layer_norm_epsilon")), 1e-5);
        c.activation = Activation::GeluTanh;
        c.attentionBias = true;
        c.mlpBias = true;
        if (c.arch == Architecture::GptNeoX) {
            Expected<int> rot = intKey(f, key("rope.dimension_count"));
            if (!rot)
                return Error {rot.error()};
            c.rotaryDims = *rot;
            c.parallelResidual = boolKey(f, key("use_parallel_residual"), true);
        }
    }
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

// The Hugging Face prefix of block `b`'s tensors and the parts of its linears, in model order.
QString blockPrefix(Architecture arch, int b)
{
    switch (arch) {
    case Architecture::Gpt2:
        return QStringLiteral("transformer.h.%1.").arg(b);
    case Architecture::GptNeoX:
        return QStringLiteral("gpt_neox.layers.%1.").arg(b);
    default:
        return QStringLiteral("model.layers.%1.").arg(b);
    }
}

QStringList linearParts(Architecture arch)
{
    switch (arch) {
    case Architecture::Gpt2:
        return {QStringLiteral("attn.c_attn"), QStringLiteral("attn.c_proj"), QStringLiteral("mlp.c_fc"),
                QStringLiteral("mlp.c_proj")};
    case Architecture::GptNeoX:
        return {QStringLiteral("attention.query_key_value"), QStringLiteral("attention.dense"),
                QStringLiteral("mlp.dense_h_to_4h"), QStringLiteral("mlp.dense_4h_to_h")};
    default:
        return {QStringLiteral("self_attn.q_proj"), QStringLiteral("self_attn.k_proj"),
                QStringLiteral("self_attn.v_proj"), QStringLiteral("self_attn.o_proj"),
                QStringLiteral("mlp.gate_proj"),    QStringLiteral("mlp.up_proj"),
                QStringLiteral("mlp.down_proj")};
    }
}

// The linears of a model with c.numLayers blocks, in model order.
QList<GgufLinearInfo> linearsOf(const GgufFile &f, const ModelConfig &c, QString &missing)
{
    QList<GgufLinearInfo> out;
    for (int b = 0; b < c.numLayers; ++b)
        for (const QString &part : linearParts(c.arch)) {
            GgufLinearInfo l;
            l.weightName = blockPrefix(c.arch, b) + part + QStringLiteral(".weight");
            l.ggufName = ggufTensorName(l.weightName, c.arch);
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

// How a Hugging Face tensor is stored in the GGUF file: its ggml name, the order of its rows
// (entry r: the Hugging Face row of stored row r; empty: the same) and whether it is stored
// transposed (GPT-2's Conv1D weights are (in, out) in Hugging Face files, (out, in) in GGUF).
// `hfRope`: undo llama.cpp's interleaved Q/K rows of a LLaMA model too.
struct HfLayout
{
    QString gguf;
    std::vector<qint64> order;
    bool transposed = false;
};

HfLayout hfLayout(const ModelConfig &c, const QString &hf, bool hfRope)
{
    HfLayout l;
    l.gguf = ggufTensorName(hf, c.arch);
    const bool weight = hf.endsWith(QLatin1String(".weight"));
    switch (c.arch) {
    case Architecture::Llama:
        if (hfRope
            && (hf.endsWith(QLatin1String("q_proj.weight")) || hf.endsWith(QLatin1String("k_proj.weight"))))
            l.order = interleavedRowOrder(
                hf.endsWith(QLatin1String("q_proj.weight")) ? c.numHeads : c.numKvHeads, c.headDim);
        break;
    case Architecture::GptNeoX:
        if (hf.contains(QLatin1String(".attention.query_key_value.")))
            l.order = neoxQkvRowOrder(c.numHeads, c.headDim);
        break;
    case Architecture::Gpt2:
        l.transposed
            = weight && l.gguf.startsWith(QLatin1String("blk.")) && !l.gguf.contains(QLatin1String("_norm."));
        break;
    case Architecture::Opt:
        break;
    }
    return l;
}

// Rows (or, for a vector stored as 1 x n, elements) back in Hugging Face order.
MatrixRM undoRowOrder(const MatrixRM &m, const std::vector<qint64> &order)
{
    MatrixRM hf(m.rows(), m.cols());
    if (m.rows() == 1 && qint64(order.size()) == m.cols()) {
        for (qint64 i = 0; i < m.cols(); ++i)
            hf(0, order[size_t(i)]) = m(0, i);
        return hf;
    }
    for (qint64 r = 0; r < m.rows(); ++r)
        hf.row(order[size_t(r)]) = m.row(r);
    return hf;
}

// The Hugging Face tensor `hf` read from the GGUF file (laid out as hfLayout() says).
Expected<MatrixRM> readHfTensor(const GgufFile &file, const ModelConfig &c, const QString &hf, bool hfRope)
{
    const HfLayout l = hfLayout(c, hf, hfRope);
    const GgufTensorInfo *t = l.gguf.isEmpty() ? nullptr : file.find(l.gguf);
    if (!t)
        return makeError(QStringLiteral("%1: no tensor for '%2'").arg(native(file.path()), hf));
    Expected<MatrixRM> m = decodeTensor(file, *t);
    if (!m)
        return m;
    if (!l.order.empty()) {
        if (qint64(l.order.size()) != (m->rows() == 1 ? m->cols() : m->rows()))
            return makeError(QStringLiteral("%1: tensor '%2' has %3 rows, expected %4")
                                 .arg(native(file.path()), l.gguf)
                                 .arg(m->rows() == 1 ? m->cols() : m->rows())
                                 .arg(l.order.size()));
        *m = undoRowOrder(*m, l.order);
    }
    if (l.transposed) {
        MatrixRM t2 = m->transpose();
        return t2;
    }
    return m;
}

// The shape of `hf` as a Hugging Face file stores it; empty when the GGUF file lacks it.
QList<qint64> hfShape(const GgufFile &file, const ModelConfig &c, const QString &hf)
{
    const HfLayout l = hfLayout(c, hf, false);
    const GgufTensorInfo *t = l.gguf.isEmpty() ? nullptr : file.find(l.gguf);
    if (!t || t->ne.isEmpty())
        return {};
    if (t->ne.size() == 1)
        return {t->ne[0]};
    const qint64 cols = t->ne[0], rows = t->elements() / cols;
    return l.transposed ? QList<qint64> {cols, rows} : QList<qint64> {rows, cols};
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
    const ModelConfig &config = o->info.config;
    TensorSource source;
    source.description = native(path);
    source.has = [&file, &config](const QString &name) {
        const QString gguf = ggufTensorName(name, config.arch);
        return !gguf.isEmpty() && file.find(gguf) != nullptr;
    };
    source.read = [&file, &config](const QString &name) { return readHfTensor(file, config, name, false); };
    source.shape = [&file, &config](const QString &name) { return hfShape(file, config, name); };
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
            // The rows of Bᵀ follow the weight's stored output order (GPT-NeoX's fused Q/K/V).
            if (const HfLayout layout = hfLayout(config, l.weightName, false); !layout.order.empty())
                *b = undoRowOrder(*b, layout.order);
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

// config.json of a model with `c`'s sizes (what ModelConfig::fromJson() reads back).
QJsonObject configJson(const ModelConfig &c)
{
    QJsonObject j;
    switch (c.arch) {
    case Architecture::Gpt2:
        j = QJsonObject {{QStringLiteral("architectures"), QJsonArray {QStringLiteral("GPT2LMHeadModel")}},
                         {QStringLiteral("n_embd"), c.hiddenSize},
                         {QStringLiteral("n_inner"), c.intermediateSize},
                         {QStringLiteral("n_layer"), c.numLayers},
                         {QStringLiteral("n_head"), c.numHeads},
                         {QStringLiteral("n_positions"), c.maxPositions},
                         {QStringLiteral("layer_norm_epsilon"), c.normEps},
                         {QStringLiteral("activation_function"), QStringLiteral("gelu_new")}};
        break;
    case Architecture::GptNeoX:
        // int(head_dim · rotary_pct) must give back n_rot exactly, whatever the rounding.
        j = QJsonObject {{QStringLiteral("architectures"), QJsonArray {QStringLiteral("GPTNeoXForCausalLM")}},
                         {QStringLiteral("hidden_size"), c.hiddenSize},
                         {QStringLiteral("intermediate_size"), c.intermediateSize},
                         {QStringLiteral("num_hidden_layers"), c.numLayers},
                         {QStringLiteral("num_attention_heads"), c.numHeads},
                         {QStringLiteral("max_position_embeddings"), c.maxPositions},
                         {QStringLiteral("rotary_pct"), (c.rotaryDims + 0.5) / c.headDim},
                         {QStringLiteral("rotary_emb_base"), c.ropeTheta},
                         {QStringLiteral("use_parallel_residual"), c.parallelResidual},
                         {QStringLiteral("layer_norm_eps"), c.normEps},
                         {QStringLiteral("hidden_act"), QStringLiteral("gelu_new")}};
        break;
    default:
        j = QJsonObject {{QStringLiteral("architectures"), QJsonArray {QStringLiteral("LlamaForCausalLM")}},
                         {QStringLiteral("hidden_size"), c.hiddenSize},
                         {QStringLiteral("intermediate_size"), c.intermediateSize},
                         {QStringLiteral("num_hidden_layers"), c.numLayers},
                         {QStringLiteral("num_attention_heads"), c.numHeads},
                         {QStringLiteral("num_key_value_heads"), c.numKvHeads},
                         {QStringLiteral("head_dim"), c.headDim},
                         {QStringLiteral("max_position_embeddings"), c.maxPositions},
                         {QStringLiteral("rms_norm_eps"), c.normEps},
                         {QStringLiteral("rope_theta"), c.ropeTheta},
                         {QStringLiteral("hidden_act"), QStringLiteral("silu")}};
        break;
    }
    j.insert(QStringLiteral("model_type"), architectureName(c.arch));
    j.insert(QStringLiteral("vocab_size"), c.vocabSize);
    j.insert(QStringLiteral("tie_word_embeddings"), c.tiedEmbeddings);
    j.insert(QStringLiteral("torch_dtype"), QStringLiteral("float32"));
    if (c.bosTokenId >= 0)
        j.insert(QStringLiteral("bos_token_id"), c.bosTokenId);
    if (c.eosTokenId >= 0)
        j.insert(QStringLiteral("eos_token_id"), c.eosTokenId);
    return j;
}

// The Hugging Face names of a model's tensors, in model order (absent ones are skipped).
QStringList hfTensorNames(const ModelConfig &c)
{
    QStringList names;
    auto both = [&names](const QString &stem) {
        names << stem + QStringLiteral(".weight") << stem + QStringLiteral(".bias");
    };
    switch (c.arch) {
    case Architecture::Gpt2:
        names << QStringLiteral("transformer.wte.weight") << QStringLiteral("transformer.wpe.weight");
        for (int b = 0; b < c.numLayers; ++b)
            for (const char *part : {"ln_1", "attn.c_attn", "attn.c_proj", "ln_2", "mlp.c_fc", "mlp.c_proj"})
                both(blockPrefix(c.arch, b) + QLatin1String(part));
        both(QStringLiteral("transformer.ln_f"));
        break;
    case Architecture::GptNeoX:
        names << QStringLiteral("gpt_neox.embed_in.weight");
        for (int b = 0; b < c.numLayers; ++b)
            for (const char *part :
                 {"input_layernorm", "post_attention_layernorm", "attention.query_key_value",
                  "attention.dense", "mlp.dense_h_to_4h", "mlp.dense_4h_to_h"})
                both(blockPrefix(c.arch, b) + QLatin1String(part));
        both(QStringLiteral("gpt_neox.final_layer_norm"));
        names << QStringLiteral("embed_out.weight");
        return names;
    default:
        names << QStringLiteral("model.embed_tokens.weight");
        for (int b = 0; b < c.numLayers; ++b)
            for (const char *part : {"input_layernorm", "self_attn.q_proj", "self_attn.k_proj",
                                     "self_attn.v_proj", "self_attn.o_proj", "post_attention_layernorm",
                                     "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"})
                names << blockPrefix(c.arch, b) + QLatin1String(part) + QStringLiteral(".weight");
        names << QStringLiteral("model.norm.weight");
        break;
    }
    names << QStringLiteral("lm_head.weight");
    return names;
}

} // namespace

Expected<std::shared_ptr<Checkpoint>> openGgufCheckpoint(const QString &path, GgufModelInfo *infoOut)
{
    Expected<Opened> o = openBoth(path, QString());
    if (!o)
        return Error {o.error()};
    const ModelConfig c = o->info.config;
    if (c.arch == Architecture::Llama && c.rotaryDims != c.headDim)
        return makeError(QStringLiteral("%1: partial rotary embeddings (%2 of %3 dims) have no Hugging Face "
                                        "LLaMA layout")
                             .arg(native(path))
                             .arg(c.rotaryDims)
                             .arg(c.headDim));
    const std::shared_ptr<const GgufFile> file = o->model;
    CheckpointTensors tensors;
    tensors.file = QFileInfo(path).absoluteFilePath();
    for (const QString &hf : hfTensorNames(c)) {
        const HfLayout layout = hfLayout(c, hf, true);
        const GgufTensorInfo *t = layout.gguf.isEmpty() ? nullptr : file->find(layout.gguf);
        if (!t)
            continue;
        if (t->ne.isEmpty() || t->ne.size() > 2)
            return makeError(QStringLiteral("%1: tensor '%2' has %3 dimensions")
                                 .arg(native(path), layout.gguf)
                                 .arg(t->ne.size()));
        // Permuted rows (Q / K of llama, GPT-NeoX's fused Q/K/V) must be whole heads.
        const qint64 rows = t->ne.size() == 1 ? t->ne[0] : t->ne[1];
        if (!layout.order.empty() && rows != qint64(layout.order.size()))
            return makeError(QStringLiteral("%1: tensor '%2' has %3 rows, expected %4 (%5 heads of %6)")
                                 .arg(native(path), layout.gguf)
                                 .arg(rows)
                                 .arg(layout.order.size())
                                 .arg(hf.contains(QLatin1String("k_proj")) ? c.numKvHeads : c.numHeads)
                                 .arg(c.headDim));
        TensorInfo info;
        info.name = hf;
        info.shape = hfShape(*file, c, hf);
        tensors.tensors << info;
        tensors.identity
            += layout.gguf.toUtf8() + QByteArray::number(t->offset) + ggmlTypeName(t->type).toUtf8();
    }
    tensors.read = [file, c](const TensorInfo &info) { return readHfTensor(*file, c, info.name, true); };
    if (infoOut)
        *infoOut = o->info;
    return Checkpoint::fromTensors(QFileInfo(path).absolutePath(), configJson(c), std::move(tensors));
}

} // namespace lqer
