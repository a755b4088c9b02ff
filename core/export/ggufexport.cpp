#include "ggufexport.h"

#include "core/formats/ggmlblocks.h"
#include "core/io/gguf.h"
#include "core/model/config.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

#include <cmath>
#include <cstring>
#include <optional>

namespace lqer {

namespace {

QString native(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

// llama.cpp's token types (llama_token_type).
enum TokenType : int32_t { Normal = 1, Unknown = 2, Control = 3, Byte = 6 };

// ---- encoding matrices as ggml tensors ------------------------------------------------------

template<typename Block>
Status encodeBlocks(const float *row, qint64 cols, QByteArray &out, qint64 rowIndex, const QString &name,
                    const QString &typeName)
{
    std::vector<Block> blocks(size_t(cols / kGgmlBlock));
    quantizeRow(row, blocks.data(), cols);
    std::vector<float> back(static_cast<size_t>(cols));
    dequantizeRow(blocks.data(), back.data(), cols);
    for (qint64 c = 0; c < cols; ++c)
        if (back[size_t(c)] != row[c])
            return makeError(
                QStringLiteral("tensor '%1': row %2, column %3 is not on the %4 grid (%5 would be "
                               "stored as %6); was it quantized with this format?")
                    .arg(name)
                    .arg(rowIndex)
                    .arg(c)
                    .arg(typeName)
                    .arg(double(row[c]), 0, 'g', 9)
                    .arg(double(back[size_t(c)]), 0, 'g', 9));
    out.append(reinterpret_cast<const char *>(blocks.data()), qsizetype(blocks.size() * sizeof(Block)));
    return {};
}

// The rows of `m` in the order `rows` (empty: as they are) as a ggml tensor of `type`. Quantized
// types and f16 must represent every value exactly: the file holds the engine's numbers.
Expected<QByteArray> encodeRows(const MatrixRM &m, GgmlType type, const std::vector<qint64> &rows,
                                const QString &name)
{
    const qint64 cols = m.cols();
    if (ggmlRowBytes(type, cols) < 0)
        return makeError(
            QStringLiteral("tensor '%1': %2 needs rows that are a multiple of 32 elements, got %3")
                .arg(name, ggmlTypeName(type))
                .arg(cols));
    QByteArray out;
    out.reserve(qsizetype(ggmlRowBytes(type, cols) * m.rows()));
    for (qint64 r = 0; r < m.rows(); ++r) {
        const qint64 src = rows.empty() ? r : rows[size_t(r)];
        const float *row = m.data() + src * cols;
        Status s;
        switch (type) {
        case GgmlType::F32:
            out.append(reinterpret_cast<const char *>(row), qsizetype(4 * cols));
            break;
        case GgmlType::F16:
            for (qint64 c = 0; c < cols; ++c) {
                const uint16_t h = floatToHalf(row[c]);
                if (halfToFloat(h) != row[c])
                    return makeError(QStringLiteral("tensor '%1': row %2, column %3: %4 is not an f16 value")
                                         .arg(name)
                                         .arg(src)
                                         .arg(c)
                                         .arg(double(row[c]), 0, 'g', 9));
                out.append(reinterpret_cast<const char *>(&h), 2);
            }
            break;
        case GgmlType::Q4_0:
            s = encodeBlocks<BlockQ4_0>(row, cols, out, src, name, QStringLiteral("q4_0"));
            break;
        case GgmlType::Q8_0:
            s = encodeBlocks<BlockQ8_0>(row, cols, out, src, name, QStringLiteral("q8_0"));
            break;
        }
        if (!s)
            return Error {s.error()};
    }
    return out;
}

// A matrix (rows x cols) as ggml sees it: ne = [cols, rows].
Status addMatrix(GgufWriter &w, const QString &name, const MatrixRM &m, GgmlType type,
                 const std::vector<qint64> &rows = {})
{
    Expected<QByteArray> data = encodeRows(m, type, rows, name);
    if (!data)
        return Error {data.error()};
    return w.addTensor(name, type, {m.cols(), m.rows()}, std::move(*data));
}

// ---- tokenizers -------------------------------------------------------------------------

Expected<QJsonObject> readJsonObject(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("%1: cannot open (%2)").arg(native(path), f.errorString()));
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &err);
    if (!doc.isObject())
        return makeError(QStringLiteral("%1: not a JSON object (%2)").arg(native(path), err.errorString()));
    return doc.object();
}

// A byte-level BPE tokenizer.json (GPT-2 style: ByteLevel pre-tokenizer with its regex, no
// normalizer) as llama.cpp's "gpt2" tokenizer with the GPT-2 pre-tokenizer.
Status writeByteLevelBpe(GgufWriter &w, const QString &path, const ModelConfig &config)
{
    Expected<QJsonObject> json = readJsonObject(path);
    if (!json)
        return Error {json.error()};
    const QJsonObject model = json->value(QStringLiteral("model")).toObject();
    const QJsonObject pre = json->value(QStringLiteral("pre_tokenizer")).toObject();
    if (model.value(QStringLiteral("type")).toString() != QLatin1String("BPE")
        || pre.value(QStringLiteral("type")).toString() != QLatin1String("ByteLevel")
        || !pre.value(QStringLiteral("use_regex")).toBool(true)
        || !json->value(QStringLiteral("normalizer")).isNull())
        return makeError(
            QStringLiteral("%1: only byte-level BPE tokenizers (ByteLevel pre-tokenizer with the "
                           "GPT-2 regex, no normalizer) are mapped to llama.cpp; for a llama2.c "
                           "model pass its tokenizer.bin")
                .arg(native(path)));
    const int vocab = config.vocabSize;
    QStringList tokens;
    for (int i = 0; i < vocab; ++i)
        tokens << QStringLiteral("[PAD%1]").arg(i);
    std::vector<int32_t> types(size_t(vocab), Normal);
    const QJsonObject v = model.value(QStringLiteral("vocab")).toObject();
    for (auto it = v.begin(); it != v.end(); ++it) {
        const int id = it.value().toInt(-1);
        if (id < 0 || id >= vocab)
            return makeError(QStringLiteral("%1: token '%2' has id %3 outside the model's vocabulary of %4")
                                 .arg(native(path), it.key())
                                 .arg(id)
                                 .arg(vocab));
        tokens[id] = it.key();
    }
    for (const QJsonValue &a : json->value(QStringLiteral("added_tokens")).toArray()) {
        const QJsonObject o = a.toObject();
        const int id = o.value(QStringLiteral("id")).toInt(-1);
        if (id < 0 || id >= vocab)
            continue;
        tokens[id] = o.value(QStringLiteral("content")).toString();
        types[size_t(id)] = o.value(QStringLiteral("special")).toBool() ? Control : Normal;
    }
    QStringList merges;
    for (const QJsonValue &m : model.value(QStringLiteral("merges")).toArray()) {
        if (m.isArray())
            merges << m.toArray().at(0).toString() + QLatin1Char(' ') + m.toArray().at(1).toString();
        else
            merges << m.toString();
    }
    w.setString(QStringLiteral("tokenizer.ggml.model"), QStringLiteral("gpt2"));
    w.setString(QStringLiteral("tokenizer.ggml.pre"), QStringLiteral("gpt-2"));
    w.setStringArray(QStringLiteral("tokenizer.ggml.tokens"), tokens);
    w.setI32Array(QStringLiteral("tokenizer.ggml.token_type"), types);
    w.setStringArray(QStringLiteral("tokenizer.ggml.merges"), merges);
    // The post-processor decides BOS (NUMERICS §7): a template that starts with a special token.
    const QJsonArray single
        = json->value(QStringLiteral("post_processor")).toObject().value(QStringLiteral("single")).toArray();
    const bool addBos
        = !single.isEmpty() && single.first().toObject().contains(QStringLiteral("SpecialToken"));
    w.setBool(QStringLiteral("tokenizer.ggml.add_bos_token"), addBos);
    w.setBool(QStringLiteral("tokenizer.ggml.add_eos_token"), false);
    return {};
}

// A llama2.c tokenizer.bin (int32 max length, then per token: f32 score, int32 length, bytes)
// as llama.cpp's SentencePiece-style "llama" tokenizer: spaces become "▁", <unk> <s> </s> and
// the <0xNN> byte tokens get their types.
Status writeLlama2cVocab(GgufWriter &w, const QString &path, int vocab)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("%1: cannot open (%2)").arg(native(path), f.errorString()));
    const QByteArray bytes = f.readAll();
    qint64 pos = 4;
    QStringList tokens;
    std::vector<float> scores;
    std::vector<int32_t> types;
    static const QRegularExpression byteToken(QStringLiteral("^<0x[0-9A-Fa-f]{2}>$"));
    for (int i = 0; i < vocab; ++i) {
        float score = 0;
        int32_t len = 0;
        if (pos + 8 > bytes.size())
            return makeError(QStringLiteral("%1: ends after %2 tokens, the model has %3")
                                 .arg(native(path))
                                 .arg(i)
                                 .arg(vocab));
        std::memcpy(&score, bytes.constData() + pos, 4);
        std::memcpy(&len, bytes.constData() + pos + 4, 4);
        pos += 8;
        if (len < 0 || pos + len > bytes.size())
            return makeError(
                QStringLiteral("%1: token %2 has a bad length %3").arg(native(path)).arg(i).arg(len));
        QString text = QString::fromUtf8(bytes.constData() + pos, len);
        pos += len;
        int32_t type = Normal;
        if (i == 0) {
            text = QStringLiteral("<unk>");
            type = Unknown;
        } else if (i == 1 || i == 2) {
            text = i == 1 ? QStringLiteral("<s>") : QStringLiteral("</s>"); // stored as "\n<s>\n"
            type = Control;
        } else if (byteToken.match(text).hasMatch()) {
            type = Byte;
        } else {
            text.replace(QLatin1Char(' '), QChar(0x2581));
        }
        tokens << text;
        scores.push_back(score);
        types.push_back(type);
    }
    w.setString(QStringLiteral("tokenizer.ggml.model"), QStringLiteral("llama"));
    w.setString(QStringLiteral("tokenizer.ggml.pre"), QStringLiteral("default"));
    w.setStringArray(QStringLiteral("tokenizer.ggml.tokens"), tokens);
    w.setF32Array(QStringLiteral("tokenizer.ggml.scores"), scores);
    w.setI32Array(QStringLiteral("tokenizer.ggml.token_type"), types);
    w.setU32(QStringLiteral("tokenizer.ggml.unknown_token_id"), 0);
    w.setBool(QStringLiteral("tokenizer.ggml.add_bos_token"), true);
    w.setBool(QStringLiteral("tokenizer.ggml.add_eos_token"), false);
    w.setBool(QStringLiteral("tokenizer.ggml.add_space_prefix"), true);
    return {};
}

// ---- the model's metadata --------------------------------------------------------------

// The architecture keys llama.cpp reads (its converter's set_gguf_parameters() for each).
void writeModelMetadata(GgufWriter &w, const ModelConfig &c, const QString &name)
{
    const QString arch = ggufArchitectureName(c.arch);
    auto key = [&arch](const char *k) { return arch + QLatin1Char('.') + QLatin1String(k); };
    w.setString(QStringLiteral("general.architecture"), arch);
    w.setString(QStringLiteral("general.name"), name);
    w.setU32(key("context_length"), uint32_t(c.maxPositions));
    w.setU32(key("embedding_length"), uint32_t(c.hiddenSize));
    w.setU32(key("block_count"), uint32_t(c.numLayers));
    w.setU32(key("feed_forward_length"), uint32_t(c.intermediateSize));
    w.setU32(key("attention.head_count"), uint32_t(c.numHeads));
    w.setU32(key("vocab_size"), uint32_t(c.vocabSize));
    switch (c.arch) {
    case Architecture::Llama:
        w.setU32(key("rope.dimension_count"), uint32_t(c.headDim));
        w.setU32(key("attention.head_count_kv"), uint32_t(c.numKvHeads));
        w.setU32(key("attention.key_length"), uint32_t(c.headDim));
        w.setU32(key("attention.value_length"), uint32_t(c.headDim));
        w.setF32(key("attention.layer_norm_rms_epsilon"), float(c.normEps));
        w.setF32(key("rope.freq_base"), float(c.ropeTheta));
        break;
    case Architecture::GptNeoX:
        w.setU32(key("rope.dimension_count"), uint32_t(c.rotaryDims));
        w.setF32(key("rope.freq_base"), float(c.ropeTheta));
        w.setBool(key("use_parallel_residual"), c.parallelResidual);
        w.setF32(key("attention.layer_norm_epsilon"), float(c.normEps));
        break;
    case Architecture::Gpt2:
    case Architecture::Opt:
        w.setF32(key("attention.layer_norm_epsilon"), float(c.normEps));
        break;
    }
    if (c.bosTokenId >= 0)
        w.setU32(QStringLiteral("tokenizer.ggml.bos_token_id"), uint32_t(c.bosTokenId));
    if (c.eosTokenId >= 0)
        w.setU32(QStringLiteral("tokenizer.ggml.eos_token_id"), uint32_t(c.eosTokenId));
}

// llama_ftype of the most common linear type.
uint32_t fileType(const QMap<GgmlType, qint64> &weights)
{
    GgmlType best = GgmlType::F32;
    qint64 most = -1;
    for (auto it = weights.begin(); it != weights.end(); ++it)
        if (it.value() > most) {
            most = it.value();
            best = it.key();
        }
    switch (best) {
    case GgmlType::F32:
        return 0;
    case GgmlType::F16:
        return 1;
    case GgmlType::Q4_0:
        return 2;
    case GgmlType::Q8_0:
        return 7;
    }
    return 0;
}

// The ggml type that holds a plan format exactly; none for MXINT / INT.
std::optional<GgmlType> ggmlTypeOf(const QuantFormat &f)
{
    switch (f.kind) {
    case FormatKind::None:
        return GgmlType::F32;
    case FormatKind::F16:
        return GgmlType::F16;
    case FormatKind::Q4_0:
        return GgmlType::Q4_0;
    case FormatKind::Q8_0:
        return GgmlType::Q8_0;
    default:
        return std::nullopt;
    }
}

Status prepareOutputDir(const QString &dir, bool force, const QString &sourceDir)
{
    const QString out = QFileInfo(dir).absoluteFilePath();
    if (QFileInfo(out).canonicalFilePath() == QFileInfo(sourceDir).canonicalFilePath())
        return makeError(
            QStringLiteral("%1: the output folder is the source checkpoint's folder").arg(native(out)));
    if (QFileInfo::exists(out)) {
        if (!QFileInfo(out).isDir())
            return makeError(QStringLiteral("%1: exists and is not a folder").arg(native(out)));
        if (!force && !QDir(out).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden))
            return makeError(QStringLiteral("%1: the output folder is not empty (use --force to replace the "
                                            "files of a previous export)")
                                 .arg(native(out)));
    }
    if (!QDir().mkpath(out))
        return makeError(QStringLiteral("%1: cannot create the folder").arg(native(out)));
    return {};
}

Status copyInto(const QString &file, const QString &dir, QStringList &files)
{
    const QString target = QDir(dir).filePath(QFileInfo(file).fileName());
    QFile::remove(target);
    if (!QFile::copy(file, target))
        return makeError(QStringLiteral("%1: cannot copy into %2").arg(native(file), native(dir)));
    files << QFileInfo(file).fileName();
    return {};
}

bool isQueryOrKey(const LinearLayerInfo &l)
{
    return l.kind == QLatin1String("q_proj") || l.kind == QLatin1String("k_proj");
}

} // namespace

Status checkGgufPlan(const Plan &plan, const QStringList &layers)
{
    for (const QString &name : layers) {
        const LayerPlan lp = plan.forLayer(name);
        if (!lp.quantize)
            continue;
        if (!ggmlTypeOf(lp.weight))
            return makeError(
                QStringLiteral("layer '%1': the weight format %2 has no ggml type; GGUF export takes "
                               "q4_0, q8_0, f16 or fp32 weights (--weight q4_0)")
                    .arg(name, lp.weight.toString()));
        const std::optional<GgmlType> low = ggmlTypeOf(lp.lowRank);
        if (lp.rank > 0 && lp.method != Method::Plain && (!low || *low == GgmlType::Q4_0))
            return makeError(QStringLiteral("layer '%1': the low-rank format %2 is not exported to GGUF; use "
                                            "fp32, f16 or q8_0 factors (--low-rank f16)")
                                 .arg(name, lp.lowRank.toString()));
    }
    return {};
}

std::vector<qint64> interleavedRowOrder(int heads, int headDim)
{
    // Output row h·d + 2i + p comes from source row h·d + p·d/2 + i (llama.cpp's converter:
    // reshape(heads, 2, d/2, cols).swapaxes(1, 2)).
    std::vector<qint64> order(size_t(heads) * size_t(headDim));
    const int half = headDim / 2;
    for (int h = 0; h < heads; ++h)
        for (int i = 0; i < half; ++i)
            for (int p = 0; p < 2; ++p)
                order[size_t(h * headDim + 2 * i + p)] = qint64(h * headDim + p * half + i);
    return order;
}

std::vector<qint64> neoxQkvRowOrder(int heads, int headDim)
{
    // Output row p·H·d + h·d + i comes from source row h·3d + p·d + i (llama.cpp's converter:
    // reshape(heads, 3, d, cols), then the q, k and v parts of every head concatenated).
    std::vector<qint64> order(size_t(3) * size_t(heads) * size_t(headDim));
    for (int p = 0; p < 3; ++p)
        for (int h = 0; h < heads; ++h)
            for (int i = 0; i < headDim; ++i)
                order[size_t((p * heads + h) * headDim + i)] = qint64(h * 3 * headDim + p * headDim + i);
    return order;
}

QString ggufArchitectureName(Architecture arch)
{
    switch (arch) {
    case Architecture::Llama:
        return QStringLiteral("llama");
    case Architecture::Gpt2:
        return QStringLiteral("gpt2");
    case Architecture::GptNeoX:
        return QStringLiteral("gptneox");
    case Architecture::Opt:
        break;
    }
    return {};
}

namespace {

// Hugging Face names -> ggml names of one architecture: the tensors outside the blocks by full
// name, the block tensors by the part after the block prefix (which captures the index).
struct GgufNaming
{
    const char *blockPrefix; // regex, captures the block index
    std::vector<std::pair<const char *, const char *>> top;
    std::vector<std::pair<const char *, const char *>> parts;
};

const GgufNaming &ggufNaming(Architecture arch)
{
    static const GgufNaming llama {
        R"(^model\.layers\.(\d+)\.)",
        {{"model.embed_tokens", "token_embd"}, {"model.norm", "output_norm"}, {"lm_head", "output"}},
        {{"self_attn.q_proj", "attn_q"},
         {"self_attn.k_proj", "attn_k"},
         {"self_attn.v_proj", "attn_v"},
         {"self_attn.o_proj", "attn_output"},
         {"mlp.gate_proj", "ffn_gate"},
         {"mlp.up_proj", "ffn_up"},
         {"mlp.down_proj", "ffn_down"},
         {"input_layernorm", "attn_norm"},
         {"post_attention_layernorm", "ffn_norm"}}};
    static const GgufNaming gpt2 {R"(^(?:transformer\.)?h\.(\d+)\.)",
                                  {{"wte", "token_embd"},
                                   {"transformer.wte", "token_embd"},
                                   {"wpe", "position_embd"},
                                   {"transformer.wpe", "position_embd"},
                                   {"ln_f", "output_norm"},
                                   {"transformer.ln_f", "output_norm"},
                                   {"lm_head", "output"}},
                                  {{"ln_1", "attn_norm"},
                                   {"attn.c_attn", "attn_qkv"},
                                   {"attn.c_proj", "attn_output"},
                                   {"ln_2", "ffn_norm"},
                                   {"mlp.c_fc", "ffn_up"},
                                   {"mlp.c_proj", "ffn_down"}}};
    static const GgufNaming neox {R"(^gpt_neox\.layers\.(\d+)\.)",
                                  {{"gpt_neox.embed_in", "token_embd"},
                                   {"gpt_neox.final_layer_norm", "output_norm"},
                                   {"embed_out", "output"}},
                                  {{"input_layernorm", "attn_norm"},
                                   {"post_attention_layernorm", "ffn_norm"},
                                   {"attention.query_key_value", "attn_qkv"},
                                   {"attention.dense", "attn_output"},
                                   {"mlp.dense_h_to_4h", "ffn_up"},
                                   {"mlp.dense_4h_to_h", "ffn_down"}}};
    static const GgufNaming none {R"(^$)", {}, {}};
    switch (arch) {
    case Architecture::Llama:
        return llama;
    case Architecture::Gpt2:
        return gpt2;
    case Architecture::GptNeoX:
        return neox;
    case Architecture::Opt:
        break;
    }
    return none;
}

} // namespace

QString ggufTensorName(const QString &hf, Architecture arch)
{
    static const QRegularExpression suffix(QStringLiteral("^(.+)\\.(weight|bias)$"));
    const QRegularExpressionMatch sm = suffix.match(hf);
    if (!sm.hasMatch())
        return {};
    const QString stem = sm.captured(1);
    const QString kind = sm.captured(2);
    const GgufNaming &naming = ggufNaming(arch);
    for (const auto &[from, to] : naming.top)
        if (stem == QLatin1String(from))
            return QStringLiteral("%1.%2").arg(QLatin1String(to), kind);
    const QRegularExpression block(QString::fromLatin1(naming.blockPrefix));
    const QRegularExpressionMatch m = block.match(stem);
    if (!m.hasMatch())
        return {};
    const QString part = stem.mid(m.capturedLength(0));
    for (const auto &[from, to] : naming.parts)
        if (part == QLatin1String(from))
            return QStringLiteral("blk.%1.%2.%3").arg(m.captured(1), QLatin1String(to), kind);
    return {};
}

namespace {

// One export: the model file, then the adapter, then the tokenizer copy.
class GgufExportRun
{
public:
    // `sizeOnly`: describe the files without writing them (predictGgufExport()).
    GgufExportRun(const GgufExportConfig &config, const ProgressFn &progress, bool sizeOnly = false)
        : mConfig(config)
        , mProgress(progress)
        , mCkpt(*config.checkpoint)
        , mSizeOnly(sizeOnly)
    { }

    Expected<GgufExportResult> run()
    {
        if (Status s = readConfig(); !s)
            return Error {s.error()};
        if (!mSizeOnly) {
            if (Status s = prepareOutputDir(mConfig.outputDir, mConfig.force, mCkpt.directory()); !s)
                return Error {s.error()};
            mResult.outputDir = QFileInfo(mConfig.outputDir).absoluteFilePath();
        }
        if (Status s = writeTokenizer(); !s)
            return Error {s.error()};
        if (Status s = writeTensors(); !s)
            return Error {s.error()};
        if (Status s = writeFiles(); !s)
            return Error {s.error()};
        return mResult;
    }

private:
    Status readConfig()
    {
        if (!mCkpt.hasConfig())
            return makeError(QStringLiteral("%1: no config.json; only a Hugging Face folder can be exported")
                                 .arg(native(mCkpt.directory())));
        Expected<ModelConfig> c = ModelConfig::fromJson(mCkpt.config(), native(mCkpt.directory()));
        if (!c)
            return Error {c.error()};
        mModel = *c;
        if (ggufArchitectureName(mModel.arch).isEmpty())
            return makeError(
                QStringLiteral("GGUF export: the architecture '%1' (%2) has no llama.cpp layout here; "
                               "the LLaMA family (llama, mistral), GPT-2 and GPT-NeoX are exported to GGUF")
                    .arg(mModel.modelType, native(mCkpt.directory())));
        if (mModel.arch != Architecture::Llama) {
            // llama.cpp's GPT-2 and GPT-NeoX graphs apply ggml_gelu, GELU's tanh approximation.
            if (mModel.activation == Activation::Gelu)
                mResult.notes << QStringLiteral("%1 uses the exact (erf) GELU; llama.cpp computes GELU with "
                                                "the tanh approximation, so its logits differ slightly")
                                     .arg(mModel.modelType);
            else if (mModel.activation != Activation::GeluTanh)
                return makeError(QStringLiteral("GGUF export: llama.cpp's %1 graph uses GELU, but %2 uses %3")
                                     .arg(ggufArchitectureName(mModel.arch), native(mCkpt.directory()),
                                          activationName(mModel.activation)));
        }
        if (mModel.arch == Architecture::Llama && mModel.rotaryDims != 0
            && mModel.rotaryDims != mModel.headDim)
            return makeError(
                QStringLiteral("GGUF export: partial rotary embeddings (%1 of %2 dims) are not supported")
                    .arg(mModel.rotaryDims)
                    .arg(mModel.headDim));
        if (!mConfig.linears && !mSizeOnly)
            return makeError(QStringLiteral("GGUF export: no quantized linears were given"));
        return {};
    }

    Status writeTokenizer()
    {
        QString tok = mConfig.tokenizerPath;
        if (tok.isEmpty())
            tok = mCkpt.tokenizerPath();
        if (tok.isEmpty())
            return makeError(
                QStringLiteral("%1: no tokenizer.json; pass the llama2.c tokenizer.bin with --tokenizer")
                    .arg(native(mCkpt.directory())));
        mTokenizerFiles << tok;
        if (tok.endsWith(QLatin1String(".bin")))
            return writeLlama2cVocab(mModelFile, tok, mModel.vocabSize);
        const QString tokConfig = QFileInfo(tok).dir().filePath(QStringLiteral("tokenizer_config.json"));
        if (QFileInfo::exists(tokConfig))
            mTokenizerFiles << tokConfig;
        return writeByteLevelBpe(mModelFile, tok, mModel);
    }

    // Full-precision tensors keep the source's precision: f16 sources stay f16 (exact), others f32.
    GgmlType keptType(const QString &name) const
    {
        const TensorInfo *info = mCkpt.find(name);
        return info && info->dtype == DType::F16 ? GgmlType::F16 : GgmlType::F32;
    }

    // `hfName` under its ggml name, or under `ggufName` when given.
    Status addFullPrecision(const QString &hfName, const QString &ggufName = QString())
    {
        const QString name = ggufName.isEmpty() ? ggufTensorName(hfName, mModel.arch) : ggufName;
        if (mSizeOnly) {
            const TensorInfo *info = mCkpt.find(hfName);
            if (!info || info->shape.isEmpty())
                return makeError(QStringLiteral("GGUF export: tensor '%1' has no shape").arg(hfName));
            if (info->shape.size() == 1)
                return mModelFile.addTensorShape(name, GgmlType::F32, {info->shape.first()});
            const qint64 rows = info->shape.first();
            return mModelFile.addTensorShape(name, keptType(hfName), {info->elementCount() / rows, rows});
        }
        Expected<MatrixRM> m = mCkpt.readMatrix(hfName);
        if (!m)
            return Error {m.error()};
        const TensorInfo *info = mCkpt.find(hfName);
        if (info && info->shape.size() == 1) // norms and biases: f32 vectors, ne = [n]
            return mModelFile.addTensor(
                name, GgmlType::F32, {m->cols()},
                QByteArray(reinterpret_cast<const char *>(m->data()), qsizetype(4 * m->cols())));
        return addMatrix(mModelFile, name, *m, keptType(hfName));
    }

    Status writeTensors()
    {
        Expected<QList<LinearLayerInfo>> linears = quantizableLinears(mCkpt);
        if (!linears)
            return Error {linears.error()};
        const bool llama = mModel.arch == Architecture::Llama;
        QSet<QString> linearNames;
        for (const LinearLayerInfo &l : *linears) {
            linearNames.insert(l.weightName);
            if (!llama && !l.biasName.isEmpty())
                linearNames.insert(l.biasName); // written with the weight (writeLinearBias())
        }
        // Everything that is not a linear weight, in checkpoint order.
        bool hasOutput = false;
        for (const QString &name : mCkpt.tensorNames()) {
            if (linearNames.contains(name))
                continue;
            const QString gguf = ggufTensorName(name, mModel.arch);
            if (gguf.isEmpty()) {
                if (isBuffer(name))
                    continue;
                return makeError(QStringLiteral("GGUF export: tensor '%1' has no llama.cpp name").arg(name));
            }
            if (llama && isQueryOrKeyBias(name))
                return makeError(
                    QStringLiteral("GGUF export: attention biases are not supported ('%1')").arg(name));
            // GPT-2 ties its output to the token embedding; llama.cpp then reuses token_embd.
            if (gguf == QLatin1String("output.weight") && mModel.arch == Architecture::Gpt2
                && mModel.tiedEmbeddings)
                continue;
            hasOutput = hasOutput || gguf == QLatin1String("output.weight");
            if (Status s = addFullPrecision(name); !s)
                return s;
        }
        // llama.cpp's GPT-NeoX needs output.weight even when the checkpoint ties it.
        if (mModel.arch == Architecture::GptNeoX && !hasOutput) {
            if (Status s = addFullPrecision(QStringLiteral("gpt_neox.embed_in.weight"),
                                            QStringLiteral("output.weight"));
                !s)
                return s;
        }
        int done = 0;
        for (const LinearLayerInfo &l : *linears) {
            if (mConfig.cancel && mConfig.cancel->isCancelled())
                return makeError(QStringLiteral("GGUF export cancelled"));
            if (llama && !l.biasName.isEmpty())
                return makeError(
                    QStringLiteral("GGUF export: linear biases are not supported ('%1')").arg(l.biasName));
            if (Status s = writeLinear(l); !s)
                return s;
            if (!l.biasName.isEmpty()) {
                if (Status s = writeLinearBias(l); !s)
                    return s;
            }
            if (!reportProgress(mProgress, double(++done) / double(linears->size()), l.weightName))
                return makeError(QStringLiteral("GGUF export cancelled"));
        }
        return {};
    }

    // Buffers some checkpoints store that are no weights: rotary frequencies, GPT-2's and
    // GPT-NeoX's causal masks.
    static bool isBuffer(const QString &name)
    {
        for (const char *suffix : {"rotary_emb.inv_freq", ".attn.bias", ".attn.masked_bias",
                                   ".attention.bias", ".attention.masked_bias"})
            if (name.endsWith(QLatin1String(suffix)))
                return true;
        return false;
    }

    // A linear's bias as an f32 vector, in the weight's output row order.
    Status writeLinearBias(const LinearLayerInfo &l)
    {
        const QString name = ggufTensorName(l.biasName, mModel.arch);
        if (mSizeOnly)
            return mModelFile.addTensorShape(name, GgmlType::F32, {l.outFeatures});
        Expected<MatrixRM> b = mCkpt.readMatrix(l.biasName);
        if (!b)
            return Error {b.error()};
        if (b->size() != l.outFeatures)
            return makeError(QStringLiteral("GGUF export: bias '%1' has %2 elements, expected %3")
                                 .arg(l.biasName)
                                 .arg(b->size())
                                 .arg(l.outFeatures));
        const std::vector<qint64> order = rowOrder(l);
        std::vector<float> v(size_t(l.outFeatures));
        for (qint64 i = 0; i < l.outFeatures; ++i)
            v[size_t(i)] = b->data()[order.empty() ? i : order[size_t(i)]];
        return mModelFile.addTensor(
            name, GgmlType::F32, {l.outFeatures},
            QByteArray(reinterpret_cast<const char *>(v.data()), qsizetype(4 * v.size())));
    }

    static bool isQueryOrKeyBias(const QString &name)
    {
        return name.endsWith(QLatin1String("q_proj.bias")) || name.endsWith(QLatin1String("k_proj.bias"));
    }

    std::vector<qint64> rowOrder(const LinearLayerInfo &l) const
    {
        if (mModel.arch == Architecture::GptNeoX && l.kind == QLatin1String("query_key_value"))
            return neoxQkvRowOrder(mModel.numHeads, mModel.headDim);
        if (mModel.arch != Architecture::Llama || !isQueryOrKey(l) || mModel.rotaryInterleaved)
            return {};
        const int heads = l.kind == QLatin1String("q_proj") ? mModel.numHeads : mModel.numKvHeads;
        return interleavedRowOrder(heads, mModel.headDim);
    }

    Status writeLinear(const LinearLayerInfo &l)
    {
        const QString name = ggufTensorName(l.weightName, mModel.arch);
        const LayerPlan lp = mConfig.plan.forLayer(l.weightName);
        const std::vector<qint64> order = rowOrder(l);
        if (!lp.quantize) {
            const GgmlType kept = keptType(l.weightName);
            if (mSizeOnly) {
                mWeightsByType[kept] += l.parameterCount();
                return mModelFile.addTensorShape(name, kept, {l.inFeatures, l.outFeatures});
            }
            Expected<MatrixRM> w = loadLinearWeight(mCkpt, l);
            if (!w)
                return Error {w.error()};
            const GgmlType t = keptType(l.weightName);
            mWeightsByType[t] += l.parameterCount();
            return addMatrix(mModelFile, name, *w, t, order);
        }
        if (Status s = checkGgufPlan(mConfig.plan, {l.weightName}); !s)
            return s;
        std::optional<GgmlType> type = ggmlTypeOf(lp.weight);
        if (mSizeOnly)
            return describeLinear(l, lp, *type);
        Expected<QuantizedLinear> q = mConfig.linears(l);
        if (!q)
            return Error {q.error()};
        ++mResult.quantizedLayers;
        mResult.quantizedWeights += l.parameterCount();
        mBits += double(l.parameterCount()) * lp.weight.bitsPerElement();
        if (ggmlRowBytes(*type, l.inFeatures) < 0) {
            // ggml blocks need whole 32-element rows: store the engine's Wq exactly as f32.
            mResult.notes << QStringLiteral("%1: %2 input features are not a multiple of 32; Wq (%3) stored "
                                            "exactly as f32")
                                 .arg(l.weightName)
                                 .arg(l.inFeatures)
                                 .arg(lp.weight.toString());
            type = GgmlType::F32;
        }
        mWeightsByType[*type] += l.parameterCount();
        if (Status s = addMatrix(mModelFile, name, q->dequantizedWeight(), *type, order); !s)
            return s;
        if (q->rank() > 0)
            return writeLowRank(l, *q, lp, order);
        return {};
    }

    // The size preview of a quantized linear: the same types, notes and bits as writeLinear()
    // and writeLowRank(), the rank effectiveRank() (what quantizeLayer() will use).
    Status describeLinear(const LinearLayerInfo &l, const LayerPlan &lp, GgmlType type)
    {
        const QString name = ggufTensorName(l.weightName, mModel.arch);
        ++mResult.quantizedLayers;
        mResult.quantizedWeights += l.parameterCount();
        mBits += double(l.parameterCount()) * lp.weight.bitsPerElement();
        if (ggmlRowBytes(type, l.inFeatures) < 0)
            type = GgmlType::F32;
        mWeightsByType[type] += l.parameterCount();
        if (Status s = mModelFile.addTensorShape(name, type, {l.inFeatures, l.outFeatures}); !s)
            return s;
        const int rank = effectiveRank(lp, l.inFeatures, l.outFeatures);
        if (rank == 0)
            return {};
        GgmlType low = *ggmlTypeOf(lp.lowRank); // checkGgufPlan() accepted it
        if (ggmlRowBytes(low, l.inFeatures) < 0 || ggmlRowBytes(low, rank) < 0)
            low = GgmlType::F32;
        if (Status s = mLoraFile.addTensorShape(name + QStringLiteral(".lora_a"), low, {l.inFeatures, rank});
            !s)
            return s;
        if (Status s = mLoraFile.addTensorShape(name + QStringLiteral(".lora_b"), low, {rank, l.outFeatures});
            !s)
            return s;
        mRanks.insert(rank);
        ++mResult.loraLayers;
        mBits += double(l.inFeatures + l.outFeatures) * rank * lp.lowRank.bitsPerElement();
        return {};
    }

    // lora_a = Aᵀ (ne [in, k]: blocks along in, as Q_l quantizes A), lora_b = Bᵀ (ne [k, out]:
    // blocks along k), rows of Bᵀ in the weight's own output order.
    Status writeLowRank(const LinearLayerInfo &l, const QuantizedLinear &q, const LayerPlan &lp,
                        const std::vector<qint64> &order)
    {
        const std::optional<GgmlType> type = ggmlTypeOf(lp.lowRank); // checkGgufPlan named it
        if (!type || *type == GgmlType::Q4_0)
            return makeError(QStringLiteral("layer '%1': low-rank format %2 is not exported to GGUF")
                                 .arg(l.weightName, lp.lowRank.toString()));
        const QString base = ggufTensorName(l.weightName, mModel.arch);
        const MatrixRM at = q.a.transpose();
        const MatrixRM bt = q.b.transpose();
        GgmlType ta = *type, tb = *type;
        if (ggmlRowBytes(ta, at.cols()) < 0 || ggmlRowBytes(tb, bt.cols()) < 0) {
            mResult.notes << QStringLiteral("%1: low-rank factors (%2 x %3) are not whole 32-blocks; stored "
                                            "exactly as f32")
                                 .arg(l.weightName)
                                 .arg(at.cols())
                                 .arg(at.rows());
            ta = tb = GgmlType::F32;
        }
        if (Status s = addMatrix(mLoraFile, base + QStringLiteral(".lora_a"), at, ta); !s)
            return s;
        if (Status s = addMatrix(mLoraFile, base + QStringLiteral(".lora_b"), bt, tb, order); !s)
            return s;
        mRanks.insert(q.rank());
        ++mResult.loraLayers;
        mBits += double(l.inFeatures + l.outFeatures) * q.rank() * lp.lowRank.bitsPerElement();
        return {};
    }

    Status writeFiles()
    {
        const QDir out(mResult.outputDir);
        const QString name = QFileInfo(mCkpt.directory()).fileName();
        writeModelMetadata(mModelFile, mModel, name);
        mModelFile.setU32(QStringLiteral("general.file_type"), fileType(mWeightsByType));
        mModelFile.setU32(QStringLiteral("general.quantization_version"), 2);
        mModelFile.setString(
            QStringLiteral("lqer.plan"),
            QString::fromUtf8(QJsonDocument(mConfig.plan.toJson()).toJson(QJsonDocument::Compact)));
        const QString modelPath = out.filePath(QStringLiteral("model.gguf"));
        if (!mSizeOnly) {
            if (Status s = mModelFile.write(modelPath); !s)
                return s;
        }
        mResult.files << QStringLiteral("model.gguf");
        mResult.modelBytes = mSizeOnly ? mModelFile.fileSize() : QFileInfo(modelPath).size();
        const QString loraPath = out.filePath(QStringLiteral("lqer-lora.gguf"));
        if (!mSizeOnly)
            QFile::remove(loraPath);
        if (mResult.loraLayers > 0) {
            mLoraFile.setString(QStringLiteral("general.architecture"), ggufArchitectureName(mModel.arch));
            mLoraFile.setString(QStringLiteral("general.type"), QStringLiteral("adapter"));
            mLoraFile.setString(QStringLiteral("general.name"), name + QStringLiteral(" LQER correction"));
            mLoraFile.setString(QStringLiteral("adapter.type"), QStringLiteral("lora"));
            // llama.cpp scales by alpha / rank when alpha != 0, and by 1 when alpha is 0 (or
            // absent). One rank everywhere: alpha = rank, the conventional spelling of scale 1;
            // mixed ranks: alpha = 0, so every layer adds exactly x·A·B.
            mLoraFile.setF32(QStringLiteral("adapter.lora.alpha"),
                             mRanks.size() == 1 ? float(*mRanks.begin()) : 0.0f);
            if (!mSizeOnly) {
                if (Status s = mLoraFile.write(loraPath); !s)
                    return s;
            }
            mResult.files << QStringLiteral("lqer-lora.gguf");
            mResult.loraBytes = mSizeOnly ? mLoraFile.fileSize() : QFileInfo(loraPath).size();
        }
        for (const QString &f : mTokenizerFiles) {
            mResult.otherBytes += QFileInfo(f).size();
            if (mSizeOnly)
                mResult.files << QFileInfo(f).fileName();
            else if (Status s = copyInto(f, mResult.outputDir, mResult.files); !s)
                return s;
        }
        mResult.formulaBitsPerWeight
            = mResult.quantizedWeights > 0 ? mBits / double(mResult.quantizedWeights) : 0;
        return {};
    }

    const GgufExportConfig &mConfig;
    ProgressFn mProgress;
    const Checkpoint &mCkpt;
    ModelConfig mModel;
    GgufWriter mModelFile;
    GgufWriter mLoraFile;
    QStringList mTokenizerFiles;
    QMap<GgmlType, qint64> mWeightsByType;
    QSet<int> mRanks;
    double mBits = 0;
    GgufExportResult mResult;
    bool mSizeOnly = false;
};

} // namespace

Expected<GgufExportResult> exportGguf(const GgufExportConfig &config, const ProgressFn &progress)
{
    if (!config.checkpoint)
        return makeError(QStringLiteral("GGUF export: no checkpoint given"));
    GgufExportRun run(config, progress);
    return run.run();
}

Expected<GgufExportResult> predictGgufExport(const GgufExportConfig &config)
{
    if (!config.checkpoint)
        return makeError(QStringLiteral("GGUF export: no checkpoint given"));
    GgufExportRun run(config, {}, true);
    return run.run();
}

} // namespace lqer
