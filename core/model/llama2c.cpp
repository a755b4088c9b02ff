#include "llama2c.h"

#include "core/model/transformer.h"

#include <QDir>
#include <QFile>
#include <QMap>

#include <cstring>

namespace lqer {

namespace {

Expected<ModelConfig> configFromHeader(const int32_t header[7], const QString &where)
{
    ModelConfig c;
    c.arch = Architecture::Llama;
    c.modelType = QStringLiteral("llama2.c");
    c.hiddenSize = header[0];
    c.intermediateSize = header[1];
    c.numLayers = header[2];
    c.numHeads = header[3];
    c.numKvHeads = header[4];
    c.vocabSize = header[5] < 0 ? -header[5] : header[5];
    c.tiedEmbeddings = header[5] > 0;
    c.maxPositions = header[6];
    c.headDim = c.numHeads > 0 ? c.hiddenSize / c.numHeads : 0;
    c.normEps = 1e-5;
    c.ropeTheta = 10000.0;
    c.rotaryDims = c.headDim;
    c.rotaryInterleaved = true;
    c.activation = Activation::Silu;
    c.dtype = QStringLiteral("float32");
    c.bosTokenId = 1;
    c.eosTokenId = 2;
    if (c.numHeads > 0 && c.headDim * c.numHeads != c.hiddenSize)
        return makeError(QStringLiteral("%1: dim %2 is not divisible by n_heads %3")
                             .arg(where)
                             .arg(c.hiddenSize)
                             .arg(c.numHeads));
    if (Status s = c.validate(where); !s)
        return makeError(s.error());
    return c;
}

} // namespace

Expected<ModelConfig> readLlama2cConfig(const QString &path)
{
    const QString where = QDir::toNativeSeparators(path);
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("%1: cannot open (%2)").arg(where, f.errorString()));
    int32_t header[7];
    if (f.read(reinterpret_cast<char *>(header), sizeof header) != qint64(sizeof header))
        return makeError(QStringLiteral("%1: too short for a llama2.c header (28 bytes)").arg(where));
    return configFromHeader(header, where);
}

Expected<std::shared_ptr<Transformer>> loadLlama2c(const QString &path, const ProgressFn &progress)
{
    const QString where = QDir::toNativeSeparators(path);
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("%1: cannot open (%2)").arg(where, f.errorString()));
    const QByteArray bytes = f.readAll();
    if (bytes.size() < 28)
        return makeError(QStringLiteral("%1: too short for a llama2.c header (28 bytes)").arg(where));
    int32_t header[7];
    std::memcpy(header, bytes.constData(), sizeof header);
    Expected<ModelConfig> config = configFromHeader(header, where);
    if (!config)
        return makeError(config.error());
    const ModelConfig &c = *config;
    const qint64 dim = c.hiddenSize, hidden = c.intermediateSize, layers = c.numLayers;
    const qint64 kvDim = c.kvDim(), vocab = c.vocabSize, hd = c.headDim;

    // Element counts in file order (run.c memory_map_weights).
    const qint64 counts[] = {
        vocab * dim, // token_embedding_table
        layers * dim, // rms_att_weight
        layers * dim * dim, // wq
        layers * kvDim * dim, // wk
        layers * kvDim * dim, // wv
        layers * dim * dim, // wo
        layers * dim, // rms_ffn_weight
        layers * hidden * dim, // w1
        layers * dim * hidden, // w2
        layers * hidden * dim, // w3
        dim, // rms_final_weight
        c.maxPositions * hd / 2, // freq_cis_real (unused)
        c.maxPositions * hd / 2, // freq_cis_imag (unused)
        c.tiedEmbeddings ? 0 : vocab * dim, // wcls
    };
    qint64 total = 0;
    for (qint64 n : counts)
        total += n;
    const qint64 expected = 28 + total * 4;
    if (bytes.size() != expected)
        return makeError(
            QStringLiteral("%1: %2 bytes, but the header (dim %3, hidden %4, layers %5, heads %6, "
                           "kv heads %7, vocab %8, seq_len %9) implies %10 bytes")
                .arg(where)
                .arg(bytes.size())
                .arg(dim)
                .arg(hidden)
                .arg(layers)
                .arg(c.numHeads)
                .arg(c.numKvHeads)
                .arg(header[5])
                .arg(c.maxPositions)
                .arg(expected));

    const float *base = reinterpret_cast<const float *>(bytes.constData() + 28);
    qint64 offsets[14];
    qint64 pos = 0;
    for (int i = 0; i < 14; ++i) {
        offsets[i] = pos;
        pos += counts[i];
    }
    QMap<QString, MatrixRM> tensors;
    QMap<QString, QList<qint64>> shapes;
    auto put = [&](const QString &name, const float *src, qint64 rows, qint64 cols, bool vector) {
        MatrixRM m(rows, cols);
        std::memcpy(m.data(), src, size_t(rows * cols) * sizeof(float));
        tensors.insert(name, std::move(m));
        shapes.insert(name, vector ? QList<qint64> {cols} : QList<qint64> {rows, cols});
    };
    put(QStringLiteral("model.embed_tokens.weight"), base + offsets[0], vocab, dim, false);
    for (qint64 l = 0; l < layers; ++l) {
        const QString p = QStringLiteral("model.layers.%1.").arg(l);
        put(p + QStringLiteral("input_layernorm.weight"), base + offsets[1] + l * dim, 1, dim, true);
        put(p + QStringLiteral("self_attn.q_proj.weight"), base + offsets[2] + l * dim * dim, dim, dim,
            false);
        put(p + QStringLiteral("self_attn.k_proj.weight"), base + offsets[3] + l * kvDim * dim, kvDim, dim,
            false);
        put(p + QStringLiteral("self_attn.v_proj.weight"), base + offsets[4] + l * kvDim * dim, kvDim, dim,
            false);
        put(p + QStringLiteral("self_attn.o_proj.weight"), base + offsets[5] + l * dim * dim, dim, dim,
            false);
        put(p + QStringLiteral("post_attention_layernorm.weight"), base + offsets[6] + l * dim, 1, dim, true);
        put(p + QStringLiteral("mlp.gate_proj.weight"), base + offsets[7] + l * hidden * dim, hidden, dim,
            false);
        put(p + QStringLiteral("mlp.down_proj.weight"), base + offsets[8] + l * dim * hidden, dim, hidden,
            false);
        put(p + QStringLiteral("mlp.up_proj.weight"), base + offsets[9] + l * hidden * dim, hidden, dim,
            false);
    }
    put(QStringLiteral("model.norm.weight"), base + offsets[10], 1, dim, true);
    if (!c.tiedEmbeddings)
        put(QStringLiteral("lm_head.weight"), base + offsets[13], vocab, dim, false);

    TensorSource source;
    source.description = where;
    source.has = [&tensors](const QString &name) { return tensors.contains(name); };
    source.read = [&tensors](const QString &name) -> Expected<MatrixRM> { return tensors.value(name); };
    source.shape = [&shapes](const QString &name) { return shapes.value(name); };
    return Transformer::build(c, source, progress);
}

} // namespace lqer
