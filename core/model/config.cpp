#include "config.h"

#include <QJsonArray>

#include <cmath>
#include <limits>
#include <initializer_list>
#include <optional>

namespace lqer {

QString activationName(Activation act)
{
    switch (act) {
    case Activation::Silu:
        return QStringLiteral("silu");
    case Activation::Relu:
        return QStringLiteral("relu");
    case Activation::Gelu:
        return QStringLiteral("gelu");
    case Activation::GeluTanh:
        return QStringLiteral("gelu_new");
    }
    return QString();
}

namespace {

// Reads a positive integer; the first of `keys` that is present wins (HF renamed fields
// between families and versions, e.g. GPT-2 n_embd vs hidden_size).
Expected<int> readInt(const QJsonObject &json, const QString &source,
                      std::initializer_list<const char *> keys, std::optional<int> fallback = std::nullopt)
{
    for (const char *key : keys) {
        const QJsonValue v = json.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            continue;
        if (!v.isDouble() || v.toDouble() != std::floor(v.toDouble()))
            return makeError(QStringLiteral("%1: '%2' is not an integer").arg(source, QLatin1String(key)));
        // Checked before the conversion: a double outside int's range converts to garbage.
        if (std::abs(v.toDouble()) > double(std::numeric_limits<int>::max()))
            return makeError(QStringLiteral("%1: '%2' = %3 is out of range")
                                 .arg(source, QLatin1String(key))
                                 .arg(v.toDouble(), 0, 'g', 17));
        return int(v.toDouble());
    }
    if (fallback)
        return *fallback;
    return makeError(QStringLiteral("%1: missing '%2'").arg(source, QLatin1String(*keys.begin())));
}

double readDouble(const QJsonObject &json, std::initializer_list<const char *> keys, double fallback)
{
    for (const char *key : keys) {
        const QJsonValue v = json.value(QLatin1String(key));
        if (v.isDouble())
            return v.toDouble();
    }
    return fallback;
}

bool readBool(const QJsonObject &json, const char *key, bool fallback)
{
    const QJsonValue v = json.value(QLatin1String(key));
    return v.isBool() ? v.toBool() : fallback;
}

int readTokenId(const QJsonObject &json, const char *key)
{
    const QJsonValue v = json.value(QLatin1String(key));
    if (v.isDouble())
        return v.toInt();
    if (v.isArray() && !v.toArray().isEmpty())
        return v.toArray().first().toInt(-1);
    return -1;
}

Expected<Activation> parseActivation(const QString &name, const QString &source)
{
    const QString n = name.toLower();
    if (n == QLatin1String("silu") || n == QLatin1String("swish"))
        return Activation::Silu;
    if (n == QLatin1String("relu"))
        return Activation::Relu;
    if (n == QLatin1String("gelu"))
        return Activation::Gelu;
    if (n == QLatin1String("gelu_new") || n == QLatin1String("gelu_pytorch_tanh")
        || n == QLatin1String("gelu_fast"))
        return Activation::GeluTanh;
    return makeError(QStringLiteral("%1: unsupported activation '%2' (supported: silu, relu, gelu, gelu_new, "
                                    "gelu_pytorch_tanh)")
                         .arg(source, name));
}

// rope_theta lives at the top level in older configs and inside rope_parameters (transformers
// >= 5) or rope_scaling in newer ones. Scaled rotary variants would silently change the
// logits, so anything but the default type is refused.
Status readRope(const QJsonObject &json, const QString &source, double defaultTheta, ModelConfig &c)
{
    c.ropeTheta = readDouble(json, {"rope_theta", "rotary_emb_base"}, defaultTheta);
    for (const char *key : {"rope_parameters", "rope_scaling"}) {
        const QJsonValue v = json.value(QLatin1String(key));
        if (!v.isObject())
            continue;
        const QJsonObject rp = v.toObject();
        if (rp.value(QLatin1String("rope_theta")).isDouble())
            c.ropeTheta = rp.value(QLatin1String("rope_theta")).toDouble();
        QString type = rp.value(QLatin1String("rope_type")).toString();
        if (type.isEmpty())
            type = rp.value(QLatin1String("type")).toString();
        if (!type.isEmpty() && type != QLatin1String("default"))
            return makeError(QStringLiteral("%1: rope type '%2' is not supported (only the default rotary "
                                            "embedding)")
                                 .arg(source, type));
    }
    if (!(c.ropeTheta > 0))
        return makeError(QStringLiteral("%1: rope_theta must be positive").arg(source));
    return Status::success();
}

#define LQER_READ_INT(target, ...)                                                                           \
    do {                                                                                                     \
        auto r_ = readInt(json, source, __VA_ARGS__);                                                        \
        if (!r_)                                                                                             \
            return makeError(r_.error());                                                                    \
        target = *r_;                                                                                        \
    } while (false)

// The sizes OPT and GPT-NeoX name alike (all heads full-width), with their FFN width under
// `interKey`.
Status readMultiHeadDims(const QJsonObject &json, const QString &source, const char *interKey, ModelConfig &c)
{
    LQER_READ_INT(c.hiddenSize, {"hidden_size"});
    LQER_READ_INT(c.intermediateSize, {interKey});
    LQER_READ_INT(c.numLayers, {"num_hidden_layers"});
    LQER_READ_INT(c.numHeads, {"num_attention_heads"});
    c.numKvHeads = c.numHeads;
    c.headDim = c.numHeads > 0 ? c.hiddenSize / c.numHeads : 0;
    LQER_READ_INT(c.maxPositions, {"max_position_embeddings"});
    return Status::success();
}

// Each architecture's config.json fields; `act` receives the activation's name.
Status readLlama(const QJsonObject &json, const QString &source, ModelConfig &c, QString *act)
{
    LQER_READ_INT(c.hiddenSize, {"hidden_size"});
    LQER_READ_INT(c.intermediateSize, {"intermediate_size"});
    LQER_READ_INT(c.numLayers, {"num_hidden_layers"});
    LQER_READ_INT(c.numHeads, {"num_attention_heads"});
    LQER_READ_INT(c.numKvHeads, {"num_key_value_heads"}, c.numHeads);
    LQER_READ_INT(c.headDim, {"head_dim"}, c.numHeads > 0 ? c.hiddenSize / c.numHeads : 0);
    LQER_READ_INT(c.maxPositions, {"max_position_embeddings"}, 2048);
    c.normEps = readDouble(json, {"rms_norm_eps"}, 1e-6);
    *act = json.value(QLatin1String("hidden_act")).toString(QStringLiteral("silu"));
    c.tiedEmbeddings = readBool(json, "tie_word_embeddings", false);
    if (Status s = readRope(json, source, 10000.0, c); !s)
        return s;
    c.rotaryDims = c.headDim;
    c.attentionBias = readBool(json, "attention_bias", false);
    c.mlpBias = readBool(json, "mlp_bias", false);
    LQER_READ_INT(c.slidingWindow, {"sliding_window"}, 0);
    return Status::success();
}

Status readOpt(const QJsonObject &json, const QString &source, ModelConfig &c, QString *act)
{
    if (Status s = readMultiHeadDims(json, source, "ffn_dim", c); !s)
        return s;
    LQER_READ_INT(c.wordEmbedProjDim, {"word_embed_proj_dim"}, c.hiddenSize);
    c.normEps = 1e-5; // OPT uses nn.LayerNorm's default
    *act = json.value(QLatin1String("activation_function")).toString(QStringLiteral("relu"));
    c.tiedEmbeddings = readBool(json, "tie_word_embeddings", true);
    c.layerNormBefore = readBool(json, "do_layer_norm_before", true);
    c.finalLayerNorm = c.layerNormBefore && !readBool(json, "_remove_final_layer_norm", false);
    c.attentionBias = readBool(json, "enable_bias", true);
    c.mlpBias = c.attentionBias;
    if (!readBool(json, "layer_norm_elementwise_affine", true))
        return makeError(
            QStringLiteral("%1: OPT without LayerNorm affine parameters is not supported").arg(source));
    c.positionOffset = 2;
    return Status::success();
}

Status readNeoX(const QJsonObject &json, const QString &source, ModelConfig &c, QString *act)
{
    if (Status s = readMultiHeadDims(json, source, "intermediate_size", c); !s)
        return s;
    c.normEps = readDouble(json, {"layer_norm_eps"}, 1e-5);
    *act = json.value(QLatin1String("hidden_act")).toString(QStringLiteral("gelu"));
    c.tiedEmbeddings = readBool(json, "tie_word_embeddings", false);
    if (Status s = readRope(json, source, 10000.0, c); !s)
        return s;
    double pct = readDouble(json, {"rotary_pct", "partial_rotary_factor"}, 0.25);
    const QJsonValue rp = json.value(QLatin1String("rope_parameters"));
    if (rp.isObject() && rp.toObject().value(QLatin1String("partial_rotary_factor")).isDouble())
        pct = rp.toObject().value(QLatin1String("partial_rotary_factor")).toDouble();
    c.rotaryDims = int(c.headDim * pct); // HF: int(head_size * rotary_pct)
    c.parallelResidual = readBool(json, "use_parallel_residual", true);
    c.attentionBias = readBool(json, "attention_bias", true);
    c.mlpBias = true;
    return Status::success();
}

Status readGpt2(const QJsonObject &json, const QString &source, ModelConfig &c, QString *act)
{
    LQER_READ_INT(c.hiddenSize, {"n_embd", "hidden_size"});
    LQER_READ_INT(c.numLayers, {"n_layer", "num_hidden_layers"});
    LQER_READ_INT(c.numHeads, {"n_head", "num_attention_heads"});
    LQER_READ_INT(c.intermediateSize, {"n_inner"}, 4 * c.hiddenSize);
    c.numKvHeads = c.numHeads;
    c.headDim = c.numHeads > 0 ? c.hiddenSize / c.numHeads : 0;
    LQER_READ_INT(c.maxPositions, {"n_positions", "max_position_embeddings"});
    c.normEps = readDouble(json, {"layer_norm_epsilon"}, 1e-5);
    *act = json.value(QLatin1String("activation_function")).toString(QStringLiteral("gelu_new"));
    c.tiedEmbeddings = readBool(json, "tie_word_embeddings", true);
    c.attentionBias = true;
    c.mlpBias = true;
    if (readBool(json, "scale_attn_by_inverse_layer_idx", false))
        return makeError(QStringLiteral("%1: scale_attn_by_inverse_layer_idx is not supported").arg(source));
    if (!readBool(json, "scale_attn_weights", true))
        return makeError(QStringLiteral("%1: scale_attn_weights = false is not supported").arg(source));
    return Status::success();
}

using ReadFn = Status (*)(const QJsonObject &json, const QString &source, ModelConfig &c, QString *act);
struct ArchReader
{
    Architecture arch;
    ReadFn read;
};
const ArchReader kArchReaders[] = {
    {Architecture::Llama, readLlama},
    {Architecture::Opt, readOpt},
    {Architecture::GptNeoX, readNeoX},
    {Architecture::Gpt2, readGpt2},
};

} // namespace

Expected<ModelConfig> ModelConfig::fromJson(const QJsonObject &json, const QString &source)
{
    ModelConfig c;
    c.modelType = json.value(QLatin1String("model_type")).toString();
    if (c.modelType.isEmpty())
        return makeError(QStringLiteral("%1: no 'model_type'").arg(source));
    auto arch = architectureFromModelType(c.modelType);
    if (!arch)
        return makeError(QStringLiteral("%1: %2").arg(source, arch.error()));
    c.arch = *arch;
    c.dtype = json.value(QLatin1String("torch_dtype")).toString();
    if (c.dtype.isEmpty())
        c.dtype = json.value(QLatin1String("dtype")).toString();
    c.bosTokenId = readTokenId(json, "bos_token_id");
    c.eosTokenId = readTokenId(json, "eos_token_id");
    LQER_READ_INT(c.vocabSize, {"vocab_size"});

    QString act;
    Status read;
    for (const ArchReader &r : kArchReaders)
        if (r.arch == c.arch)
            read = r.read(json, source, c, &act);
    if (!read)
        return makeError(read.error());
    auto activation = parseActivation(act, source);
    if (!activation)
        return makeError(activation.error());
    c.activation = *activation;
    if (Status s = c.validate(source); !s)
        return makeError(s.error());
    return c;
}

#undef LQER_READ_INT

Status ModelConfig::validate(const QString &source) const
{
    auto bad = [&](const QString &what) { return makeError(QStringLiteral("%1: %2").arg(source, what)); };
    if (hiddenSize <= 0 || intermediateSize <= 0 || numLayers <= 0 || numHeads <= 0 || vocabSize <= 0
        || maxPositions <= 0 || headDim <= 0 || numKvHeads <= 0)
        return bad(QStringLiteral("sizes must be positive (hidden %1, intermediate %2, layers %3, heads %4, "
                                  "kv heads %5, head dim %6, vocab %7, positions %8)")
                       .arg(hiddenSize)
                       .arg(intermediateSize)
                       .arg(numLayers)
                       .arg(numHeads)
                       .arg(numKvHeads)
                       .arg(headDim)
                       .arg(vocabSize)
                       .arg(maxPositions));
    if (numHeads % numKvHeads != 0)
        return bad(QStringLiteral("num_attention_heads %1 is not a multiple of num_key_value_heads %2")
                       .arg(numHeads)
                       .arg(numKvHeads));
    if (arch != Architecture::Llama && numHeads * headDim != hiddenSize)
        return bad(
            QStringLiteral("hidden size %1 is not divisible by %2 heads").arg(hiddenSize).arg(numHeads));
    if (rotaryDims % 2 != 0 || rotaryDims > headDim || rotaryDims < 0)
        return bad(QStringLiteral("rotary dimensions %1 must be even and at most the head dimension %2")
                       .arg(rotaryDims)
                       .arg(headDim));
    if (arch == Architecture::Opt && wordEmbedProjDim <= 0)
        return bad(QStringLiteral("word_embed_proj_dim must be positive"));
    if (!(normEps > 0))
        return bad(QStringLiteral("the normalisation epsilon must be positive"));
    return Status::success();
}

} // namespace lqer
