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

namespace {

// One array of a llama2.c checkpoint, in file order (run.c memory_map_weights): its Hugging Face
// LLaMA name (empty: not used) and shape, once or once per layer.
struct FileSection
{
    QString name;
    qint64 rows = 0;
    qint64 cols = 0;
    bool perLayer = false;
    bool vector = false; // a norm: shape [cols]
    qint64 count(qint64 layers) const { return (perLayer ? layers : 1) * rows * cols; }
};

QList<FileSection> fileSections(const ModelConfig &c)
{
    const qint64 dim = c.hiddenSize, hidden = c.intermediateSize;
    const qint64 kvDim = c.kvDim(), vocab = c.vocabSize, hd = c.headDim;
    const qint64 freqs = c.maxPositions * hd / 2;
    return {
        {QStringLiteral("model.embed_tokens.weight"), vocab, dim},
        {QStringLiteral("input_layernorm.weight"), 1, dim, true, true},
        {QStringLiteral("self_attn.q_proj.weight"), dim, dim, true},
        {QStringLiteral("self_attn.k_proj.weight"), kvDim, dim, true},
        {QStringLiteral("self_attn.v_proj.weight"), kvDim, dim, true},
        {QStringLiteral("self_attn.o_proj.weight"), dim, dim, true},
        {QStringLiteral("post_attention_layernorm.weight"), 1, dim, true, true},
        {QStringLiteral("mlp.gate_proj.weight"), hidden, dim, true}, // w1
        {QStringLiteral("mlp.down_proj.weight"), dim, hidden, true}, // w2
        {QStringLiteral("mlp.up_proj.weight"), hidden, dim, true}, // w3
        {QStringLiteral("model.norm.weight"), 1, dim, false, true},
        {QString(), 1, freqs}, // freq_cis_real (unused)
        {QString(), 1, freqs}, // freq_cis_imag (unused)
        {QStringLiteral("lm_head.weight"), c.tiedEmbeddings ? 0 : vocab, dim}, // wcls
    };
}

} // namespace

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

    const QList<FileSection> sections = fileSections(c);
    qint64 total = 0;
    for (const FileSection &sec : sections)
        total += sec.count(layers);
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

    // Each section's slices under their Hugging Face LLaMA names.
    QMap<QString, MatrixRM> tensors;
    QMap<QString, QList<qint64>> shapes;
    const float *src = reinterpret_cast<const float *>(bytes.constData() + 28);
    for (const FileSection &sec : sections) {
        if (!sec.name.isEmpty() && sec.rows > 0) {
            for (qint64 l = 0; l < (sec.perLayer ? layers : 1); ++l) {
                const QString name
                    = sec.perLayer ? QStringLiteral("model.layers.%1.").arg(l) + sec.name : sec.name;
                MatrixRM m(sec.rows, sec.cols);
                std::memcpy(m.data(), src + l * sec.rows * sec.cols,
                            size_t(sec.rows * sec.cols) * sizeof(float));
                tensors.insert(name, std::move(m));
                shapes.insert(name,
                              sec.vector ? QList<qint64> {sec.cols} : QList<qint64> {sec.rows, sec.cols});
            }
        }
        src += sec.count(layers);
    }

    TensorSource source;
    source.description = where;
    source.has = [&tensors](const QString &name) { return tensors.contains(name); };
    source.read = [&tensors](const QString &name) -> Expected<MatrixRM> { return tensors.value(name); };
    source.shape = [&shapes](const QString &name) { return shapes.value(name); };
    return Transformer::build(c, source, progress);
}

} // namespace lqer
