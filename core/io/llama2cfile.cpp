#include "llama2cfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

#include <limits>

namespace lqer {

namespace {

// One array of the file, in file order (run.c memory_map_weights): its Hugging Face LLaMA name
// (empty: not used), once or once per layer.
struct FileSection
{
    QString name;
    qint64 rows = 0;
    qint64 cols = 0;
    bool perLayer = false;
    bool vector = false; // a norm: shape [cols]
};

QList<FileSection> fileSections(const Llama2cHeader &h)
{
    const qint64 dim = h.dim, hidden = h.hiddenDim, hd = h.dim / h.heads;
    const qint64 kvDim = qint64(h.kvHeads) * hd, vocab = h.vocabSize();
    const qint64 freqs = qint64(h.seqLen) * hd / 2;
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
        {QStringLiteral("lm_head.weight"), h.sharedClassifier() ? 0 : vocab, dim}, // wcls
    };
}

QString native(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

} // namespace

bool isLlama2cPath(const QString &path)
{
    const QFileInfo info(path);
    return info.isFile() && info.suffix().compare(QLatin1String("bin"), Qt::CaseInsensitive) == 0;
}

Expected<Llama2cHeader> readLlama2cHeader(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("%1: cannot open (%2)").arg(native(path), f.errorString()));
    qint32 v[7];
    if (f.read(reinterpret_cast<char *>(v), sizeof v) != qint64(sizeof v))
        return makeError(QStringLiteral("%1: too short for a llama2.c header (28 bytes)").arg(native(path)));
    return Llama2cHeader {v[0], v[1], v[2], v[3], v[4], v[5], v[6]};
}

Expected<Llama2cLayout> readLlama2cLayout(const QString &path)
{
    auto header = readLlama2cHeader(path);
    if (!header)
        return makeError(header.error());
    const Llama2cHeader &h = *header;
    Llama2cLayout layout;
    layout.header = h;
    layout.fileSize = QFileInfo(path).size();
    const QString describe = QStringLiteral("dim %1, hidden %2, layers %3, heads %4, kv heads %5, vocab %6, "
                                            "seq_len %7")
                                 .arg(h.dim)
                                 .arg(h.hiddenDim)
                                 .arg(h.layers)
                                 .arg(h.heads)
                                 .arg(h.kvHeads)
                                 .arg(h.vocab)
                                 .arg(h.seqLen);
    if (h.dim <= 0 || h.hiddenDim <= 0 || h.layers <= 0 || h.heads <= 0 || h.kvHeads <= 0 || h.vocab == 0
        || h.vocab == std::numeric_limits<qint32>::min() || h.seqLen <= 0 || h.dim % h.heads != 0)
        return makeError(
            QStringLiteral("%1: not a llama2.c checkpoint: the header (%2) has sizes that are not "
                           "positive or a dim not divisible by n_heads")
                .arg(native(path), describe));
    // The length the header implies, in double: exact up to 2^53 bytes, and a header that asks
    // for more than that does not match any real file anyway.
    const QList<FileSection> sections = fileSections(h);
    double total = 0;
    for (const FileSection &sec : sections)
        total += (sec.perLayer ? double(h.layers) : 1.0) * double(sec.rows) * double(sec.cols);
    const double expected = double(kLlama2cHeaderBytes) + 4.0 * total;
    if (double(layout.fileSize) != expected)
        return makeError(QStringLiteral("%1: %2 bytes, but the header (%3) implies %4 bytes")
                             .arg(native(path))
                             .arg(layout.fileSize)
                             .arg(describe)
                             .arg(expected, 0, 'f', 0));
    QFile f(path);
    if (f.open(QIODevice::ReadOnly))
        layout.headerBytes = f.read(kLlama2cHeaderBytes);
    qint64 offset = 0;
    for (const FileSection &sec : sections) {
        const qint64 bytes = 4 * sec.rows * sec.cols;
        for (qint64 l = 0; l < (sec.perLayer ? h.layers : 1); ++l) {
            if (!sec.name.isEmpty() && sec.rows > 0) {
                TensorInfo t;
                t.name = sec.perLayer ? QStringLiteral("model.layers.%1.").arg(l) + sec.name : sec.name;
                t.dtype = DType::F32;
                t.shape = sec.vector ? QList<qint64> {sec.cols} : QList<qint64> {sec.rows, sec.cols};
                t.begin = offset;
                t.end = offset + bytes;
                layout.tensors << t;
            }
            offset += bytes;
        }
    }
    return layout;
}

QJsonObject llama2cConfigJson(const Llama2cHeader &h)
{
    return QJsonObject {
        {QStringLiteral("model_type"), QStringLiteral("llama")},
        {QStringLiteral("architectures"), QJsonArray {QStringLiteral("LlamaForCausalLM")}},
        {QStringLiteral("hidden_size"), h.dim},
        {QStringLiteral("intermediate_size"), h.hiddenDim},
        {QStringLiteral("num_hidden_layers"), h.layers},
        {QStringLiteral("num_attention_heads"), h.heads},
        {QStringLiteral("num_key_value_heads"), h.kvHeads},
        {QStringLiteral("vocab_size"), h.vocabSize()},
        {QStringLiteral("max_position_embeddings"), h.seqLen},
        {QStringLiteral("tie_word_embeddings"), h.sharedClassifier()},
        {QStringLiteral("rms_norm_eps"), 1e-5},
        {QStringLiteral("rope_theta"), 10000.0},
        {QStringLiteral("hidden_act"), QStringLiteral("silu")},
        {QStringLiteral("torch_dtype"), QStringLiteral("float32")},
        {QStringLiteral("bos_token_id"), 1},
        {QStringLiteral("eos_token_id"), 2},
    };
}

QString llama2cTokenizerBeside(const QString &modelPath, int vocabSize)
{
    const QDir dir = QFileInfo(modelPath).absoluteDir();
    for (const QString &candidate :
         {QStringLiteral("tokenizer.bin"), QStringLiteral("tok%1.bin").arg(vocabSize)})
        if (dir.exists(candidate))
            return dir.filePath(candidate);
    return QString();
}

} // namespace lqer
