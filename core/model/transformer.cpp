#include "transformer.h"

#include "core/io/checkpoint.h"
#include "core/kernels/floatgemm.h"
#include "core/kernels/rowops.h"
#include "core/model/llama2c.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <limits>

namespace lqer {

// Reads tensors from a TensorSource and checks each against the shape the configuration
// implies, so a config/weights mismatch is reported by tensor name before any arithmetic.
class Transformer::Loader
{
public:
    Loader(const TensorSource &source, bool mapWeights)
        : mSource(source)
        , mMap(mapWeights && source.map)
    { }

    // A weight matrix: a view of the mapped file when mapping is on and the tensor is stored
    // (rows, cols) in a float dtype the products convert; else read into float32.
    Status weight(const QString &name, qint64 rows, qint64 cols, WeightMatrix &out,
                  bool storedTransposed = false)
    {
        if (mMap && !storedTransposed) {
            if (Status s = check(name, QList<qint64> {rows, cols}); !s)
                return s;
            std::optional<MappedTensor> m = mSource.map(name);
            if (m && (m->dtype == DType::F16 || m->dtype == DType::BF16 || m->dtype == DType::F32)) {
                const qint64 bad = firstNonFinite(m->data, m->dtype, rows * cols);
                if (bad >= 0)
                    return makeError(QStringLiteral("%1: tensor '%2' contains NaN or Inf at element %3")
                                         .arg(mSource.description, name)
                                         .arg(bad));
                m->rows = rows;
                m->cols = cols;
                out = WeightMatrix(std::move(*m));
                return Status::success();
            }
        }
        MatrixRM m;
        if (Status s = matrix(name, rows, cols, m, storedTransposed); !s)
            return s;
        out = WeightMatrix(std::move(m));
        return Status::success();
    }

    bool has(const QString &name) const { return mSource.has(name); }

    // A matrix stored as (rows, cols), or as (cols, rows) when `storedTransposed` (GPT-2 Conv1D);
    // returned as (rows, cols).
    Status matrix(const QString &name, qint64 rows, qint64 cols, MatrixRM &out, bool storedTransposed = false)
    {
        const QList<qint64> expected
            = storedTransposed ? QList<qint64> {cols, rows} : QList<qint64> {rows, cols};
        if (Status s = check(name, expected); !s)
            return s;
        Expected<MatrixRM> m = mSource.read(name);
        if (!m)
            return makeError(m.error());
        if (Status s = finite(name, m->data(), m->size()); !s)
            return s;
        if (storedTransposed)
            out = m->transpose();
        else
            out = std::move(*m);
        return Status::success();
    }

    Status vector(const QString &name, qint64 size, VectorF &out)
    {
        if (Status s = check(name, QList<qint64> {size}); !s)
            return s;
        Expected<MatrixRM> m = mSource.read(name);
        if (!m)
            return makeError(m.error());
        if (m->size() != size)
            return makeError(QStringLiteral("%1: tensor '%2' has %3 elements, the configuration expects %4")
                                 .arg(mSource.description, name)
                                 .arg(m->size())
                                 .arg(size));
        if (Status s = finite(name, m->data(), m->size()); !s)
            return s;
        out = Eigen::Map<const VectorF>(m->data(), size);
        return Status::success();
    }

private:
    Status check(const QString &name, const QList<qint64> &expected) const
    {
        if (!mSource.has(name))
            return makeError(
                QStringLiteral("%1: missing tensor '%2' (expected shape %3 from the configuration)")
                    .arg(mSource.description, name, shapeText(expected)));
        const QList<qint64> shape = mSource.shape(name);
        if (shape != expected)
            return makeError(QStringLiteral("%1: tensor '%2' has shape %3, the configuration expects %4")
                                 .arg(mSource.description, name, shapeText(shape), shapeText(expected)));
        return Status::success();
    }

    Status finite(const QString &name, const float *data, qint64 count) const
    {
        const qint64 bad = firstNonFinite(data, count);
        if (bad >= 0)
            return makeError(QStringLiteral("%1: tensor '%2' contains %3 at element %4")
                                 .arg(mSource.description, name,
                                      std::isnan(data[bad]) ? QStringLiteral("NaN") : QStringLiteral("Inf"))
                                 .arg(bad));
        return Status::success();
    }

    const TensorSource &mSource;
    bool mMap;
};

namespace {

Status nonFiniteActivation(const MatrixRM &x, const QString &where)
{
    const qint64 bad = firstNonFinite(x.data(), x.size());
    if (bad < 0)
        return Status::success();
    return makeError(
        QStringLiteral("non-finite activation (%1) %2 at token %3, feature %4")
            .arg(std::isnan(x.data()[bad]) ? QStringLiteral("NaN") : QStringLiteral("Inf"), where)
            .arg(bad / x.cols())
            .arg(bad % x.cols()));
}

} // namespace

// The integer codes of one input matrix that several projections read (q, k and v; gate and
// up): the first integer product quantizes it, the others reuse the codes when their activation
// format is the same. Only applyProjections hands them out, and it marks them stale first.
struct Transformer::SharedCodes
{
    QuantizedRows codes;
    QuantFormat format;
    bool valid = false;
};

// Scratch reused across the blocks of one forward pass: the attention's per-head matrices and
// the block's intermediate activations.
struct Transformer::Workspace
{
    MatrixRM qh, kh, vt, s;
    MatrixRM h, q, k, v, a, o, g, u;
    SharedCodes shared; // of the input applyProjections is at
};

// Returns the error of a Status expression from a function returning Status.
#define LQER_TRY(expr)                                                                                       \
    do {                                                                                                     \
        if (Status s_ = (expr); !s_)                                                                         \
            return s_;                                                                                       \
    } while (false)

// ---------------------------------------------------------------------------------------
// Loading

Expected<std::shared_ptr<Transformer>> Transformer::load(const QString &path, const ProgressFn &progress)
{
    const QFileInfo info(path);
    if (!info.exists())
        return makeError(QStringLiteral("%1: no such file or folder").arg(QDir::toNativeSeparators(path)));
    if (info.isFile() && info.suffix().compare(QLatin1String("bin"), Qt::CaseInsensitive) == 0)
        return loadLlama2c(path, progress);
    Expected<std::shared_ptr<Checkpoint>> ckpt = Checkpoint::open(path);
    if (!ckpt)
        return makeError(ckpt.error());
    return fromCheckpoint(**ckpt, progress);
}

Expected<std::shared_ptr<Transformer>> Transformer::fromCheckpoint(const Checkpoint &checkpoint,
                                                                   const ProgressFn &progress)
{
    const QString where = QDir::toNativeSeparators(checkpoint.modelPath());
    if (!checkpoint.hasConfig())
        return makeError(QStringLiteral("%1: no config.json, cannot build a model").arg(where));
    // A llama2.c file keeps its own conventions (interleaved rotary pairs), which a Hugging Face
    // config.json cannot say.
    Expected<ModelConfig> config = checkpoint.isLlama2c()
        ? readLlama2cConfig(checkpoint.modelPath())
        : ModelConfig::fromJson(checkpoint.config(), where + QStringLiteral("/config.json"));
    if (!config)
        return makeError(config.error());
    TensorSource source;
    source.description = where;
    source.has = [&checkpoint](const QString &name) { return checkpoint.find(name) != nullptr; };
    source.read = [&checkpoint](const QString &name) { return checkpoint.readMatrix(name); };
    source.shape = [&checkpoint](const QString &name) {
        const TensorInfo *t = checkpoint.find(name);
        return t ? t->shape : QList<qint64>();
    };
    source.map = [&checkpoint](const QString &name) -> std::optional<MappedTensor> {
        const TensorInfo *t = checkpoint.find(name);
        std::shared_ptr<SafetensorsFile> shard = checkpoint.shardOf(name);
        if (!t || !shard)
            return std::nullopt;
        Expected<const uchar *> data = shard->data(*t);
        if (!data)
            return std::nullopt;
        return MappedTensor {*data, t->dtype, t->rows(), t->cols(), shard};
    };
    return build(*config, source, progress);
}

namespace {

// The sizes a block's tensors take from the configuration.
enum class Dim { Hidden, Inter, QDim, KvDim, Qkv };

// Which configuration flag says a block tensor has a bias.
enum class BiasRule { Never, Always, AttentionBias, MlpBias };

qint64 dimSize(const ModelConfig &cfg, Dim d)
{
    switch (d) {
    case Dim::Hidden:
        return cfg.hiddenSize;
    case Dim::Inter:
        return cfg.intermediateSize;
    case Dim::QDim:
        return cfg.qDim();
    case Dim::KvDim:
        return cfg.kvDim();
    case Dim::Qkv:
        return 3 * cfg.hiddenSize;
    }
    return 0;
}

bool hasBias(const ModelConfig &cfg, BiasRule rule)
{
    switch (rule) {
    case BiasRule::Never:
        return false;
    case BiasRule::Always:
        return true;
    case BiasRule::AttentionBias:
        return cfg.attentionBias;
    case BiasRule::MlpBias:
        return cfg.mlpBias;
    }
    return false;
}

} // namespace

// One tensor of a decoder block, in the order the block reads them: a norm ("<prefix>.weight"
// and, by its rule, ".bias") or a linear ("<name>" (out, in) and its bias).
struct Transformer::BlockTensor
{
    const char *name; // after the block's prefix
    Norm Block::*norm = nullptr; // a norm, or
    int Block::*linear = nullptr; // a linear
    Dim out = Dim::Hidden;
    Dim in = Dim::Hidden;
    BiasRule bias = BiasRule::Never;
};

// The decoder block of each architecture. Adding one: its block table here, its names in
// modelLayout() and its forward step.
std::span<const Transformer::BlockTensor> Transformer::blockTensors(Architecture arch)
{
    using B = Block;
    static const BlockTensor llama[] = {
        {"input_layernorm", &B::norm1},
        {"self_attn.q_proj.weight", nullptr, &B::q, Dim::QDim, Dim::Hidden, BiasRule::AttentionBias},
        {"self_attn.k_proj.weight", nullptr, &B::k, Dim::KvDim, Dim::Hidden, BiasRule::AttentionBias},
        {"self_attn.v_proj.weight", nullptr, &B::v, Dim::KvDim, Dim::Hidden, BiasRule::AttentionBias},
        {"self_attn.o_proj.weight", nullptr, &B::o, Dim::Hidden, Dim::QDim, BiasRule::AttentionBias},
        {"post_attention_layernorm", &B::norm2},
        {"mlp.gate_proj.weight", nullptr, &B::gate, Dim::Inter, Dim::Hidden, BiasRule::MlpBias},
        {"mlp.up_proj.weight", nullptr, &B::up, Dim::Inter, Dim::Hidden, BiasRule::MlpBias},
        {"mlp.down_proj.weight", nullptr, &B::down, Dim::Hidden, Dim::Inter, BiasRule::MlpBias},
    };
    static const BlockTensor opt[] = {
        {"self_attn_layer_norm", &B::norm1, nullptr, Dim::Hidden, Dim::Hidden, BiasRule::Always},
        {"self_attn.q_proj.weight", nullptr, &B::q, Dim::Hidden, Dim::Hidden, BiasRule::AttentionBias},
        {"self_attn.k_proj.weight", nullptr, &B::k, Dim::Hidden, Dim::Hidden, BiasRule::AttentionBias},
        {"self_attn.v_proj.weight", nullptr, &B::v, Dim::Hidden, Dim::Hidden, BiasRule::AttentionBias},
        {"self_attn.out_proj.weight", nullptr, &B::o, Dim::Hidden, Dim::Hidden, BiasRule::AttentionBias},
        {"final_layer_norm", &B::norm2, nullptr, Dim::Hidden, Dim::Hidden, BiasRule::Always},
        {"fc1.weight", nullptr, &B::up, Dim::Inter, Dim::Hidden, BiasRule::AttentionBias},
        {"fc2.weight", nullptr, &B::down, Dim::Hidden, Dim::Inter, BiasRule::AttentionBias},
    };
    static const BlockTensor neox[] = {
        {"input_layernorm", &B::norm1, nullptr, Dim::Hidden, Dim::Hidden, BiasRule::Always},
        {"post_attention_layernorm", &B::norm2, nullptr, Dim::Hidden, Dim::Hidden, BiasRule::Always},
        {"attention.query_key_value.weight", nullptr, &B::qkv, Dim::Qkv, Dim::Hidden,
         BiasRule::AttentionBias},
        {"attention.dense.weight", nullptr, &B::o, Dim::Hidden, Dim::Hidden, BiasRule::AttentionBias},
        {"mlp.dense_h_to_4h.weight", nullptr, &B::up, Dim::Inter, Dim::Hidden, BiasRule::Always},
        {"mlp.dense_4h_to_h.weight", nullptr, &B::down, Dim::Hidden, Dim::Inter, BiasRule::Always},
    };
    static const BlockTensor gpt2[] = {
        {"ln_1", &B::norm1, nullptr, Dim::Hidden, Dim::Hidden, BiasRule::Always},
        {"attn.c_attn.weight", nullptr, &B::qkv, Dim::Qkv, Dim::Hidden, BiasRule::Always},
        {"attn.c_proj.weight", nullptr, &B::o, Dim::Hidden, Dim::Hidden, BiasRule::Always},
        {"ln_2", &B::norm2, nullptr, Dim::Hidden, Dim::Hidden, BiasRule::Always},
        {"mlp.c_fc.weight", nullptr, &B::up, Dim::Inter, Dim::Hidden, BiasRule::Always},
        {"mlp.c_proj.weight", nullptr, &B::down, Dim::Hidden, Dim::Inter, BiasRule::Always},
    };
    switch (arch) {
    case Architecture::Llama:
        return llama;
    case Architecture::Opt:
        return opt;
    case Architecture::GptNeoX:
        return neox;
    case Architecture::Gpt2:
        return gpt2;
    }
    return {};
}

// Where an architecture keeps the tensors outside its blocks. OPT and GPT-2 checkpoints exist
// with and without the outer prefix ("model.", "transformer."), so the source decides.
struct Transformer::ModelLayout
{
    QString blockPrefix; // "%1" = block index
    QString embed;
    QString lmHead = QStringLiteral("lm_head.weight");
    QString positions; // learned positions, or empty
    QString projectPrefix; // OPT project_in/out when the embedding is narrower, or empty
    QString finalNorm; // empty: none
    bool finalNormBias = true;
    bool conv1d = false; // linears stored (in, out)
};

Transformer::ModelLayout Transformer::modelLayout(const ModelConfig &cfg, const TensorSource &source)
{
    ModelLayout l;
    switch (cfg.arch) {
    case Architecture::Llama:
        l.blockPrefix = QStringLiteral("model.layers.%1.");
        l.embed = QStringLiteral("model.embed_tokens.weight");
        l.finalNorm = QStringLiteral("model.norm");
        l.finalNormBias = false;
        break;
    case Architecture::Opt: {
        const QString d = source.has(QStringLiteral("model.decoder.embed_tokens.weight"))
            ? QStringLiteral("model.decoder.")
            : QStringLiteral("decoder.");
        l.blockPrefix = d + QStringLiteral("layers.%1.");
        l.embed = d + QStringLiteral("embed_tokens.weight");
        l.positions = d + QStringLiteral("embed_positions.weight");
        l.projectPrefix = d;
        if (cfg.finalLayerNorm)
            l.finalNorm = d + QStringLiteral("final_layer_norm");
        break;
    }
    case Architecture::GptNeoX:
        l.blockPrefix = QStringLiteral("gpt_neox.layers.%1.");
        l.embed = QStringLiteral("gpt_neox.embed_in.weight");
        l.lmHead = QStringLiteral("embed_out.weight");
        l.finalNorm = QStringLiteral("gpt_neox.final_layer_norm");
        break;
    case Architecture::Gpt2: {
        const QString t = source.has(QStringLiteral("transformer.wte.weight"))
            ? QStringLiteral("transformer.")
            : QString();
        l.blockPrefix = t + QStringLiteral("h.%1.");
        l.embed = t + QStringLiteral("wte.weight");
        l.positions = t + QStringLiteral("wpe.weight");
        l.finalNorm = t + QStringLiteral("ln_f");
        l.conv1d = true;
        break;
    }
    }
    return l;
}

Status Transformer::addLinear(Loader &ld, const QString &weight, qint64 out, qint64 in, bool withBias,
                              bool conv1d, int &slot)
{
    Linear l;
    l.name = weight;
    LQER_TRY(ld.weight(weight, out, in, l.w, conv1d));
    if (withBias) {
        const QString biasName = weight.left(weight.size() - 6) + QStringLiteral("bias");
        LQER_TRY(ld.vector(biasName, out, l.bias));
    }
    slot = int(mLinears.size());
    mLinearIndex.insert(weight, slot);
    mLinears.push_back(std::move(l));
    return Status::success();
}

Status Transformer::readNorm(Loader &ld, const QString &prefix, bool withBias, Norm &n)
{
    const qint64 size = mConfig.hiddenSize;
    LQER_TRY(ld.vector(prefix + QStringLiteral(".weight"), size, n.weight));
    if (withBias)
        return ld.vector(prefix + QStringLiteral(".bias"), size, n.bias);
    return Status::success();
}

// The learned positions (OPT's with their offset) and OPT's embedding projections.
Status Transformer::loadPositions(Loader &ld, const ModelLayout &layout)
{
    const ModelConfig &cfg = mConfig;
    const qint64 hidden = cfg.hiddenSize;
    if (layout.positions.isEmpty())
        return Status::success();
    LQER_TRY(ld.matrix(layout.positions, cfg.maxPositions + cfg.positionOffset, hidden, mPositions));
    if (!layout.projectPrefix.isEmpty() && cfg.wordEmbedProjDim != hidden) {
        LQER_TRY(ld.matrix(layout.projectPrefix + QStringLiteral("project_in.weight"), hidden,
                           cfg.wordEmbedProjDim, mProjectIn));
        LQER_TRY(ld.matrix(layout.projectPrefix + QStringLiteral("project_out.weight"), cfg.wordEmbedProjDim,
                           hidden, mProjectOut));
    }
    return Status::success();
}

Status Transformer::loadBlocks(Loader &ld, const ModelLayout &layout, const ProgressFn &progress)
{
    const ModelConfig &cfg = mConfig;
    const std::span<const BlockTensor> tensors = blockTensors(cfg.arch);
    for (int i = 0; i < cfg.numLayers; ++i) {
        const QString p = layout.blockPrefix.arg(i);
        Block b;
        for (const BlockTensor &t : tensors) {
            const QString name = p + QLatin1String(t.name);
            if (t.norm)
                LQER_TRY(readNorm(ld, name, hasBias(cfg, t.bias), b.*t.norm));
            else
                LQER_TRY(addLinear(ld, name, dimSize(cfg, t.out), dimSize(cfg, t.in), hasBias(cfg, t.bias),
                                   layout.conv1d, b.*t.linear));
        }
        mBlocks.push_back(std::move(b));
        if (!reportProgress(progress, double(i + 1) / cfg.numLayers, QStringLiteral("loading")))
            return makeError(QStringLiteral("cancelled"));
    }
    return Status::success();
}

// Rotary tables, computed in float32 like the Hugging Face and llama2.c code
// (inv_freq = 1 / theta^(2i/d), angle = pos * inv_freq), cos/sin from the float angle.
// Precomputed for the first kRotaryTablePositions positions only: a config may claim
// millions of positions, and applyRotary computes the rare later ones on the fly.
void Transformer::computeRotaryTables()
{
    if (mConfig.rotaryDims <= 0)
        return;
    const int half = mConfig.rotaryDims / 2;
    const int positions = std::min(mConfig.maxPositions, kRotaryTablePositions);
    mCos.resize(size_t(positions) * half);
    mSin.resize(size_t(positions) * half);
    for (int pos = 0; pos < positions; ++pos)
        rotaryRow(pos, mCos.data() + size_t(pos) * half, mSin.data() + size_t(pos) * half);
}

namespace {

bool mapWeights(const ModelConfig &cfg, WeightStorage storage)
{
    const QByteArray env = qgetenv("LQER_WEIGHTS");
    if (env == "mapped")
        return true;
    if (env == "fp32")
        return false;
    if (storage != WeightStorage::Auto)
        return storage == WeightStorage::Mapped;
    const double h = double(cfg.hiddenSize);
    const double params = double(cfg.numLayers) * (4 * h * h + 3 * h * double(cfg.intermediateSize))
        + 2 * double(cfg.vocabSize) * h;
    return params * sizeof(float) > 4.0 * (1 << 30);
}

} // namespace

Expected<std::shared_ptr<Transformer>> Transformer::build(const ModelConfig &cfg, const TensorSource &source,
                                                          const ProgressFn &progress, WeightStorage storage)
{
    if (Status s = cfg.validate(source.description); !s)
        return makeError(s.error());
    std::shared_ptr<Transformer> model(new Transformer);
    model->mConfig = cfg;
    model->mSource = source.description;
    Loader ld(source, mapWeights(cfg, storage));
    const ModelLayout layout = modelLayout(cfg, source);
    // OPT's embedding may be narrower than the hidden size (project_in / project_out).
    const qint64 embedDim = cfg.arch == Architecture::Opt ? cfg.wordEmbedProjDim : cfg.hiddenSize;

    Status s = model->loadPositions(ld, layout);
    if (s)
        s = model->loadBlocks(ld, layout, progress);
    if (s && !layout.finalNorm.isEmpty())
        s = model->readNorm(ld, layout.finalNorm, layout.finalNormBias, model->mFinalNorm);
    if (s)
        s = ld.weight(layout.embed, cfg.vocabSize, embedDim, model->mEmbed);
    // Tied models use the input embedding as lm_head, as Hugging Face does, even when a
    // (identical) lm_head tensor is also stored.
    model->mTiedOutput = cfg.tiedEmbeddings;
    if (s && !cfg.tiedEmbeddings)
        s = ld.weight(layout.lmHead, cfg.vocabSize, embedDim, model->mLmHead);
    if (!s)
        return makeError(s.error());
    model->mWeightsMapped = model->mEmbed.isMapped();
    for (const Linear &l : model->mLinears)
        model->mWeightsMapped = model->mWeightsMapped || l.w.isMapped();
    model->computeRotaryTables();
    return model;
}

QStringList Transformer::linearNames() const
{
    QStringList names;
    for (const Linear &l : mLinears)
        names << l.name;
    return names;
}

qint64 Transformer::parameterCount() const
{
    qint64 n = mEmbed.size() + mPositions.size() + mProjectIn.size() + mProjectOut.size() + mLmHead.size();
    for (const Linear &l : mLinears)
        n += l.w.size() + l.bias.size();
    for (const Block &b : mBlocks)
        n += b.norm1.weight.size() + b.norm1.bias.size() + b.norm2.weight.size() + b.norm2.bias.size();
    return n + mFinalNorm.weight.size() + mFinalNorm.bias.size();
}

// ---------------------------------------------------------------------------------------
// Quantized replacements

Status Transformer::setQuantizedLinears(const QMap<QString, QuantizedLinear> &linears)
{
    // Validate everything first so a bad entry leaves the model unchanged.
    for (auto it = linears.cbegin(); it != linears.cend(); ++it) {
        const int index = linearIndex(it.key());
        if (index < 0)
            return makeError(QStringLiteral("%1: no decoder linear named '%2'").arg(mSource, it.key()));
        const Linear &l = mLinears[size_t(index)];
        const QuantizedLinear &q = it.value();
        if (q.outFeatures() != l.w.rows() || q.inFeatures() != l.w.cols())
            return makeError(QStringLiteral("quantized '%1': Wq is %2 x %3, the model's weight is %4 x %5")
                                 .arg(it.key())
                                 .arg(q.outFeatures())
                                 .arg(q.inFeatures())
                                 .arg(l.w.rows())
                                 .arg(l.w.cols()));
        if (q.a.size() > 0 || q.b.size() > 0) {
            if (q.a.rows() != l.w.cols() || q.b.cols() != l.w.rows() || q.a.cols() != q.b.rows())
                return makeError(
                    QStringLiteral("quantized '%1': A is %2 x %3 and B is %4 x %5, expected (%6 x k) "
                                   "and (k x %7)")
                        .arg(it.key())
                        .arg(q.a.rows())
                        .arg(q.a.cols())
                        .arg(q.b.rows())
                        .arg(q.b.cols())
                        .arg(l.w.cols())
                        .arg(l.w.rows()));
        }
    }
    clearQuantizedLinears();
    qint64 tileBytes = 0;
    std::vector<const PackedMatrix *> packed; // Wq, Aᵀ and Bᵀ of every layer, where packed
    for (auto it = linears.cbegin(); it != linears.cend(); ++it) {
        auto q = std::make_shared<QuantizedLinear>(it.value());
        q->packWeights(); // a no-op when already packed or when the formats do not allow it
        for (const auto &p : {q->packedW, q->packedAt, q->packedBt})
            if (p) {
                packed.push_back(p.get());
                tileBytes += kernelTileBytes(*p);
            }
        mLinears[size_t(linearIndex(it.key()))].quant = std::move(q);
    }
    // A small model keeps its integer kernels' weight tiles unpacked (all or none: a 7B model
    // would need ~10 GB); LQER_KERNEL_TILES_MB sets the limit, 0 turns it off.
    static const qint64 limit = [] {
        bool ok = false;
        const qint64 mb = qEnvironmentVariable("LQER_KERNEL_TILES_MB").toLongLong(&ok);
        return (ok && mb >= 0 ? mb : 256) << 20;
    }();
    if (tileBytes > 0 && tileBytes <= limit)
        for (const PackedMatrix *p : packed)
            prepareKernelTiles(*p);
    return Status::success();
}

void Transformer::clearQuantizedLinears()
{
    for (Linear &l : mLinears)
        l.quant.reset();
}

int Transformer::quantizedLinearCount() const
{
    int n = 0;
    for (const Linear &l : mLinears)
        n += l.quant ? 1 : 0;
    return n;
}

// ---------------------------------------------------------------------------------------
// Kernels

namespace {

// Adds the lifetime of this object to a counter (when there is one).
class LinearTimer
{
public:
    explicit LinearTimer(std::atomic<qint64> *counter)
        : mCounter(counter)
    {
        if (mCounter)
            mTimer.start();
    }
    ~LinearTimer()
    {
        if (mCounter)
            mCounter->fetch_add(mTimer.nsecsElapsed(), std::memory_order_relaxed);
    }
    LinearTimer(const LinearTimer &) = delete;
    LinearTimer &operator=(const LinearTimer &) = delete;

private:
    std::atomic<qint64> *mCounter;
    QElapsedTimer mTimer;
};

} // namespace

Status Transformer::applyLinear(int index, const MatrixRM &x, MatrixRM &y, const ForwardOptions &options,
                                SharedCodes *shared) const
{
    const LinearTimer timer(options.linearNanoseconds);
    const Linear &l = mLinears[size_t(index)];
    if (options.observer && options.observer->wants(index)) {
        if (Status s = options.observer->observe(index, x); !s)
            return s;
    }
    const QuantizedLinear *q = options.useQuantized ? l.quant.get() : nullptr;
    if (!q) {
        l.w.timesTransposed(x, y);
    } else if (options.kernels == KernelMode::Integer && q->packedW && isCodeQuantizable(q->act)
               && packedGemmSupported(q->act.block, x.cols(), *q->packedW)) {
        LQER_TRY(applyIntegerLinear(*q, l.name, x, y, shared));
    } else {
        const MatrixRM *in = &x;
        MatrixRM xq;
        if (q->act.isQuantized()) {
            xq.resize(x.rows(), x.cols());
            if (Status s = quantizeRows(x.data(), xq.data(), x.rows(), x.cols(), q->act,
                                        QStringLiteral("input of %1").arg(l.name));
                !s)
                return s;
            in = &xq;
        }
        if (q->packedW) { // decoded for this product only: the layer keeps its codes
            const MatrixRM wq = q->dequantizedWeight();
            y.noalias() = *in * wq.transpose();
        } else {
            y.noalias() = *in * q->wq.transpose();
        }
        if (q->rank() > 0) {
            MatrixRM t = *in * q->a;
            if (q->lowRankAct.isQuantized()) {
                if (Status s = quantizeRows(t.data(), t.data(), t.rows(), t.cols(), q->lowRankAct,
                                            QStringLiteral("low-rank intermediate of %1").arg(l.name));
                    !s)
                    return s;
            }
            y.noalias() += t * q->b;
        }
    }
    if (l.bias.size() > 0)
        y.rowwise() += l.bias.transpose();
    return Status::success();
}

// The integer path (core/kernels): X to MXINT codes once, Wq, Aᵀ and Bᵀ as packed codes.
// A product whose matrix is not packed (or whose blocks do not fit the kernels) takes fp32
// over the dequantized operands, as the emulation does.
Status Transformer::applyIntegerLinear(const QuantizedLinear &q, const QString &name, const MatrixRM &x,
                                       MatrixRM &y, SharedCodes *shared) const
{
    thread_local QuantizedRows own, tq;
    const bool reuse = shared && shared->valid && shared->format == q.act && shared->codes.rows == x.rows()
        && shared->codes.cols == x.cols();
    QuantizedRows &xq = shared ? shared->codes : own;
    if (!reuse) {
        if (shared)
            shared->valid = false;
        LQER_TRY(quantizeActivationRows(x.data(), x.rows(), x.cols(), q.act,
                                        QStringLiteral("input of %1").arg(name), xq));
        if (shared) {
            shared->format = q.act;
            shared->valid = true;
        }
    }
    y.resize(x.rows(), q.outFeatures());
    const int k = q.rank();
    if (k == 0) {
        packedGemm(xq, *q.packedW, y.data(), y.cols(), false);
        return Status::success();
    }
    MatrixRM t(x.rows(), k);
    if (q.packedAt && packedGemmSupported(xq, *q.packedAt)) {
        packedGemm(xq, *q.packedAt, t.data(), k, false);
    } else {
        MatrixRM xd(x.rows(), x.cols());
        xq.dequantize(xd.data());
        t.noalias() = xd * q.a;
    }
    const QString what = QStringLiteral("low-rank intermediate of %1").arg(name);
    if (q.packedBt && isCodeQuantizable(q.lowRankAct)
        && packedGemmSupported(q.lowRankAct.block, k, *q.packedBt)) {
        // Q_a(X) Wqᵀ + Q_a(Q_a(X) A) B in one pass over y.
        LQER_TRY(quantizeActivationRows(t.data(), t.rows(), k, q.lowRankAct, what, tq));
        packedGemmSum(xq, *q.packedW, tq, *q.packedBt, y.data(), y.cols(), false);
        return Status::success();
    }
    packedGemm(xq, *q.packedW, y.data(), y.cols(), false);
    if (q.lowRankAct.isQuantized())
        LQER_TRY(quantizeRows(t.data(), t.data(), t.rows(), t.cols(), q.lowRankAct, what));
    y.noalias() += t * q.b;
    return Status::success();
}

Status Transformer::applyProjections(const MatrixRM &x, std::initializer_list<Projection> projections,
                                     Workspace &ws, const ForwardOptions &options) const
{
    ws.shared.valid = false; // codes of an earlier input are never reused for this one
    for (const Projection &p : projections)
        LQER_TRY(applyLinear(p.linear, x, *p.out, options, &ws.shared));
    return Status::success();
}

void Transformer::norm(const Norm &n, const MatrixRM &x, MatrixRM &y) const
{
    const qint64 cols = x.cols();
    y.resize(x.rows(), cols);
    const float *w = n.weight.data();
    const float *b = n.bias.size() > 0 ? n.bias.data() : nullptr;
    const double eps = mConfig.normEps;
    for (qint64 r = 0; r < x.rows(); ++r) {
        const float *in = x.data() + r * cols;
        float *out = y.data() + r * cols;
        if (!b) { // RMSNorm (LLaMA): x / sqrt(mean(x^2) + eps) * w
            const double ss = sumSquares(in, cols);
            const float inv = float(1.0 / std::sqrt(ss / cols + eps));
            for (qint64 c = 0; c < cols; ++c)
                out[c] = (in[c] * inv) * w[c];
        } else { // LayerNorm with the biased variance, as torch.nn.LayerNorm
            double sum = 0;
            for (qint64 c = 0; c < cols; ++c)
                sum += in[c];
            const double mean = sum / cols;
            double var = 0;
            for (qint64 c = 0; c < cols; ++c)
                var += (in[c] - mean) * (in[c] - mean);
            const double inv = 1.0 / std::sqrt(var / cols + eps);
            for (qint64 c = 0; c < cols; ++c)
                out[c] = float((in[c] - mean) * inv) * w[c] + b[c];
        }
    }
}

void Transformer::activate(MatrixRM &m) const
{
    auto a = m.array();
    switch (mConfig.activation) {
    case Activation::Silu:
        siluRow(m.data(), m.size());
        break;
    case Activation::Relu:
        a = a.cwiseMax(0.0f);
        break;
    case Activation::Gelu: {
        float *p = m.data();
        for (qint64 i = 0; i < m.size(); ++i)
            p[i] = 0.5f * p[i] * (1.0f + std::erf(p[i] * float(M_SQRT1_2)));
        break;
    }
    case Activation::GeluTanh: {
        const float c = float(std::sqrt(2.0 / M_PI));
        a = 0.5f * a * (1.0f + (c * (a + 0.044715f * a.cube())).tanh());
        break;
    }
    }
}

void Transformer::rotaryRow(int pos, float *cosOut, float *sinOut) const
{
    const int half = mConfig.rotaryDims / 2;
    for (int i = 0; i < half; ++i) {
        const float exponent = float(2 * i) / float(mConfig.rotaryDims);
        const float invFreq = float(1.0 / std::pow(mConfig.ropeTheta, double(exponent)));
        const float angle = float(pos) * invFreq;
        cosOut[i] = float(std::cos(double(angle)));
        sinOut[i] = float(std::sin(double(angle)));
    }
}

void Transformer::applyRotary(MatrixRM &m, int heads) const
{
    const int hd = mConfig.headDim;
    const int half = mConfig.rotaryDims / 2;
    if (half == 0)
        return;
    const qint64 tableRows = qint64(mCos.size()) / half;
    std::vector<float> rowCos, rowSin; // positions past the table
    for (qint64 t = 0; t < m.rows(); ++t) {
        const float *cs = nullptr;
        const float *sn = nullptr;
        if (t < tableRows) {
            cs = mCos.data() + t * half;
            sn = mSin.data() + t * half;
        } else {
            rowCos.resize(size_t(half));
            rowSin.resize(size_t(half));
            rotaryRow(int(t), rowCos.data(), rowSin.data());
            cs = rowCos.data();
            sn = rowSin.data();
        }
        for (int h = 0; h < heads; ++h) {
            float *p = m.data() + t * m.cols() + qint64(h) * hd;
            if (mConfig.rotaryInterleaved) { // llama2.c: pairs (2i, 2i+1)
                for (int i = 0; i < half; ++i) {
                    const float x0 = p[2 * i], x1 = p[2 * i + 1];
                    p[2 * i] = x0 * cs[i] - x1 * sn[i];
                    p[2 * i + 1] = x0 * sn[i] + x1 * cs[i];
                }
            } else { // Hugging Face rotate_half on the first rotaryDims: pairs (i, i + half)
                for (int i = 0; i < half; ++i) {
                    const float x0 = p[i], x1 = p[i + half];
                    p[i] = x0 * cs[i] - x1 * sn[i];
                    p[i + half] = x1 * cs[i] + x0 * sn[i];
                }
            }
        }
    }
}

Status Transformer::attention(const MatrixRM &q, const MatrixRM &k, const MatrixRM &v, MatrixRM &out,
                              Workspace &ws) const
{
    const qint64 T = q.rows();
    const int H = mConfig.numHeads;
    const int hd = mConfig.headDim;
    const int group = mConfig.numHeads / mConfig.numKvHeads;
    const float scale = float(1.0 / std::sqrt(double(hd)));
    const bool quant = mAttentionFormat.isQuantized();
    const int window = mConfig.slidingWindow;
    out.resize(T, qint64(H) * hd);
    for (int h = 0; h < H; ++h) {
        const int kvh = h / group;
        // Q, K and V are read in place (the projections' row strides); quantized, the head's
        // columns are copied and quantized first (V along tokens, as the rows of Vᵀ).
        const float *qh = q.data() + qint64(h) * hd, *kh = k.data() + qint64(kvh) * hd;
        qint64 ldq = q.cols(), ldk = k.cols();
        if (quant) {
            if (h % group == 0) {
                ws.kh = k.middleCols(qint64(kvh) * hd, hd);
                ws.vt = v.middleCols(qint64(kvh) * hd, hd).transpose(); // Vᵀ: P·V's "weight" rows
                if (Status s = quantizeRows(ws.kh.data(), ws.kh.data(), T, hd, mAttentionFormat,
                                            QStringLiteral("attention K, head %1").arg(kvh));
                    !s)
                    return s;
                // softmax(.) V reduces over tokens: quantize V along tokens (rows of V^T).
                if (Status s = quantizeRows(ws.vt.data(), ws.vt.data(), hd, T, mAttentionFormat,
                                            QStringLiteral("attention V, head %1").arg(kvh));
                    !s)
                    return s;
            }
            ws.qh = q.middleCols(qint64(h) * hd, hd);
            if (Status s = quantizeRows(ws.qh.data(), ws.qh.data(), T, hd, mAttentionFormat,
                                        QStringLiteral("attention Q, head %1").arg(h));
                !s)
                return s;
            qh = ws.qh.data();
            kh = ws.kh.data();
            ldq = ldk = hd;
        }
        // Causal attention in blocks of query rows: block [i0, i1) only needs keys [k0, i1), and
        // inside a block the products skip what lies above the diagonal (query i0 + r sees
        // keys up to i0 + r: the limit offset is i0 - k0 in the block's coordinates).
        const qint64 rowBlock = 512;
        for (qint64 i0 = 0; i0 < T; i0 += rowBlock) {
            const qint64 n = std::min(rowBlock, T - i0);
            const qint64 i1 = i0 + n;
            const qint64 k0 = window > 0 ? std::max<qint64>(0, i0 - window + 1) : 0;
            const qint64 keys = i1 - k0;
            ws.s.resize(n, keys);
            // S = Q Kᵀ and O = P V on the fp32 GEMM of the linears.
            floatGemmTransposedCausal(qh + i0 * ldq, ldq, n, hd, kh + k0 * ldk, ldk, 0, keys, ws.s.data(),
                                      keys, GemmCausal::Output, i0 - k0);
            // Row softmax over the allowed keys; masked entries are exact zeros (those past the
            // diagonal only where quantization reads them: P · V skips them).
            for (qint64 r = 0; r < n; ++r) {
                const qint64 i = i0 + r;
                float *row = ws.s.data() + r * keys;
                const qint64 start = (window > 0 ? std::max<qint64>(0, i - window + 1) : 0) - k0;
                const qint64 end = i + 1 - k0; // exclusive
                softmaxRow(row + start, end - start, scale);
                std::fill(row, row + start, 0.0f);
                if (quant)
                    std::fill(row + end, row + keys, 0.0f);
            }
            if (quant) {
                // Along keys, in MX blocks aligned with key 0 (k0 is 0 unless a sliding window
                // cuts the row; the zeros beyond i1 would not change any block's exponent).
                if (Status s = quantizeRows(ws.s.data(), ws.s.data(), n, keys, mAttentionFormat,
                                            QStringLiteral("attention probabilities, head %1").arg(h));
                    !s)
                    return s;
            }
            float *o = out.data() + i0 * out.cols() + qint64(h) * hd;
            if (quant)
                floatGemmTransposedCausal(ws.s.data(), keys, n, keys, ws.vt.data() + k0, T, 0, hd, o,
                                          out.cols(), GemmCausal::Input, i0 - k0);
            else
                floatGemmCausal(ws.s.data(), keys, n, keys, v.data() + k0 * v.cols() + qint64(kvh) * hd,
                                v.cols(), 0, hd, o, out.cols(), GemmCausal::Input, i0 - k0);
        }
    }
    return Status::success();
}

// ---------------------------------------------------------------------------------------
// Forward

Status Transformer::checkTokens(const int32_t *tokens, int count) const
{
    const ModelConfig &c = mConfig;
    if (count <= 0)
        return makeError(QStringLiteral("%1: empty token sequence").arg(mSource));
    if (count > c.maxPositions)
        return makeError(QStringLiteral("%1: a window of %2 tokens exceeds the model's %3 positions")
                             .arg(mSource)
                             .arg(count)
                             .arg(c.maxPositions));
    for (qint64 t = 0; t < count; ++t) {
        if (tokens[t] < 0 || tokens[t] >= c.vocabSize)
            return makeError(
                QStringLiteral("%1: token id %2 at position %3 is outside the vocabulary (0..%4)")
                    .arg(mSource)
                    .arg(tokens[t])
                    .arg(t)
                    .arg(c.vocabSize - 1));
    }
    return Status::success();
}

// Token embeddings (projected in for OPT's project_in) plus learned positions.
MatrixRM Transformer::embed(const int32_t *tokens, qint64 T) const
{
    MatrixRM x(T, mConfig.hiddenSize);
    if (mProjectIn.size() > 0) {
        MatrixRM e(T, mEmbed.cols());
        for (qint64 t = 0; t < T; ++t)
            mEmbed.row(tokens[t], e.row(t).data());
        x.noalias() = e * mProjectIn.transpose();
    } else {
        for (qint64 t = 0; t < T; ++t)
            mEmbed.row(tokens[t], x.row(t).data());
    }
    if (mPositions.size() > 0)
        x += mPositions.middleRows(mConfig.positionOffset, T);
    return x;
}

// ws.o = o_proj(attention(q, k, v)) from the projections in ws.q, ws.k, ws.v.
Status Transformer::attend(const Block &b, Workspace &ws, const ForwardOptions &options) const
{
    LQER_TRY(attention(ws.q, ws.k, ws.v, ws.a, ws));
    return applyLinear(b.o, ws.a, ws.o, options);
}

// x += down(act(up(in))): the MLP of OPT, GPT-NeoX and GPT-2 (LLaMA's is gated).
Status Transformer::mlp(const Block &b, const MatrixRM &in, MatrixRM &x, Workspace &ws,
                        const ForwardOptions &options) const
{
    LQER_TRY(applyLinear(b.up, in, ws.g, options));
    activate(ws.g);
    LQER_TRY(applyLinear(b.down, ws.g, ws.o, options));
    x += ws.o;
    return Status::success();
}

Status Transformer::llamaBlock(const Block &b, MatrixRM &x, Workspace &ws,
                               const ForwardOptions &options) const
{
    const ModelConfig &c = mConfig;
    norm(b.norm1, x, ws.h);
    LQER_TRY(applyProjections(ws.h, {{b.q, &ws.q}, {b.k, &ws.k}, {b.v, &ws.v}}, ws, options));
    applyRotary(ws.q, c.numHeads);
    applyRotary(ws.k, c.numKvHeads);
    LQER_TRY(attend(b, ws, options));
    x += ws.o;
    norm(b.norm2, x, ws.h);
    LQER_TRY(applyProjections(ws.h, {{b.gate, &ws.g}, {b.up, &ws.u}}, ws, options));
    if (c.activation == Activation::Silu) {
        siluRow(ws.g.data(), ws.g.size(), ws.u.data()); // SiLU(gate) · up in one pass
    } else {
        activate(ws.g);
        ws.g.array() *= ws.u.array();
    }
    LQER_TRY(applyLinear(b.down, ws.g, ws.o, options));
    x += ws.o;
    return Status::success();
}

Status Transformer::optBlock(const Block &b, MatrixRM &x, Workspace &ws, const ForwardOptions &options) const
{
    // Pre-LN (do_layer_norm_before, all OPT sizes but 350m) or post-LN.
    const bool pre = mConfig.layerNormBefore;
    if (pre)
        norm(b.norm1, x, ws.h);
    const MatrixRM &attnIn = pre ? ws.h : x;
    LQER_TRY(applyProjections(attnIn, {{b.q, &ws.q}, {b.k, &ws.k}, {b.v, &ws.v}}, ws, options));
    LQER_TRY(attend(b, ws, options));
    x += ws.o;
    if (!pre) {
        norm(b.norm1, x, ws.h);
        x = ws.h;
    }
    if (pre)
        norm(b.norm2, x, ws.h);
    LQER_TRY(mlp(b, pre ? ws.h : x, x, ws, options));
    if (!pre) {
        norm(b.norm2, x, ws.h);
        x = ws.h;
    }
    return Status::success();
}

Status Transformer::neoxBlock(const Block &b, MatrixRM &x, Workspace &ws, const ForwardOptions &options) const
{
    const ModelConfig &c = mConfig;
    const qint64 T = x.rows();
    norm(b.norm1, x, ws.h);
    MatrixRM qkv;
    LQER_TRY(applyLinear(b.qkv, ws.h, qkv, options));
    // Fused layout per head: [heads, 3, head_dim].
    const int hd = c.headDim;
    ws.q.resize(T, c.hiddenSize);
    ws.k.resize(T, c.hiddenSize);
    ws.v.resize(T, c.hiddenSize);
    for (int hh = 0; hh < c.numHeads; ++hh) {
        ws.q.middleCols(qint64(hh) * hd, hd) = qkv.middleCols(qint64(hh) * 3 * hd, hd);
        ws.k.middleCols(qint64(hh) * hd, hd) = qkv.middleCols(qint64(hh) * 3 * hd + hd, hd);
        ws.v.middleCols(qint64(hh) * hd, hd) = qkv.middleCols(qint64(hh) * 3 * hd + 2 * hd, hd);
    }
    applyRotary(ws.q, c.numHeads);
    applyRotary(ws.k, c.numHeads);
    LQER_TRY(attend(b, ws, options));
    if (c.parallelResidual) { // x + attn(ln1(x)) + mlp(ln2(x))
        norm(b.norm2, x, ws.h);
        x += ws.o;
    } else {
        x += ws.o;
        norm(b.norm2, x, ws.h);
    }
    return mlp(b, ws.h, x, ws, options);
}

Status Transformer::gpt2Block(const Block &b, MatrixRM &x, Workspace &ws, const ForwardOptions &options) const
{
    const qint64 hidden = mConfig.hiddenSize;
    norm(b.norm1, x, ws.h);
    MatrixRM qkv;
    LQER_TRY(applyLinear(b.qkv, ws.h, qkv, options));
    // c_attn output is [q | k | v], each split into heads.
    ws.q = qkv.leftCols(hidden);
    ws.k = qkv.middleCols(hidden, hidden);
    ws.v = qkv.rightCols(hidden);
    LQER_TRY(attend(b, ws, options));
    x += ws.o;
    norm(b.norm2, x, ws.h);
    return mlp(b, ws.h, x, ws, options);
}

Status Transformer::runBlock(int block, MatrixRM &x, Workspace &ws, const ForwardOptions &options) const
{
    const Block &b = mBlocks[size_t(block)];
    Status s;
    switch (mConfig.arch) {
    case Architecture::Llama:
        s = llamaBlock(b, x, ws, options);
        break;
    case Architecture::Opt:
        s = optBlock(b, x, ws, options);
        break;
    case Architecture::GptNeoX:
        s = neoxBlock(b, x, ws, options);
        break;
    case Architecture::Gpt2:
        s = gpt2Block(b, x, ws, options);
        break;
    }
    if (!s)
        return s;
    return nonFiniteActivation(x, QStringLiteral("after decoder block %1").arg(block));
}

Expected<MatrixRM> Transformer::embedTokens(const int32_t *tokens, int count) const
{
    if (Status s = checkTokens(tokens, count); !s)
        return Error {s.error()};
    return embed(tokens, count);
}

Status Transformer::forwardBlock(int block, MatrixRM &x, const ForwardOptions &options) const
{
    if (block < 0 || block >= blockCount())
        return makeError(QStringLiteral("%1: no decoder block %2 (the model has %3)")
                             .arg(mSource)
                             .arg(block)
                             .arg(blockCount()));
    if (x.cols() != mConfig.hiddenSize || x.rows() < 1)
        return makeError(QStringLiteral("decoder block %1: hidden states are %2 x %3, expected tokens x %4")
                             .arg(block)
                             .arg(x.rows())
                             .arg(x.cols())
                             .arg(mConfig.hiddenSize));
    Workspace ws;
    return runBlock(block, x, ws, options);
}

Expected<MatrixRM> Transformer::forward(const int32_t *tokens, int count, const ForwardOptions &options) const
{
    Expected<MatrixRM> embedded = embedTokens(tokens, count);
    if (!embedded)
        return embedded;
    MatrixRM x = std::move(*embedded);
    Workspace ws;
    for (int bi = 0; bi < blockCount(); ++bi) {
        if (Status s = runBlock(bi, x, ws, options); !s)
            return Error {s.error()};
    }
    MatrixRM &h = ws.h;
    if (mFinalNorm.weight.size() > 0) {
        norm(mFinalNorm, x, h);
        x.swap(h);
    }
    if (mProjectOut.size() > 0) {
        h.noalias() = x * mProjectOut.transpose();
        x.swap(h);
    }
    return x;
}

Expected<MatrixRM> Transformer::logits(const TokenIds &tokens, const ForwardOptions &options) const
{
    Expected<MatrixRM> hidden = forward(tokens.data(), int(tokens.size()), options);
    if (!hidden)
        return hidden;
    MatrixRM out;
    outputEmbedding().timesTransposed(*hidden, out);
    // The blocks' outputs are checked; finite but huge weights can still overflow the final
    // norm or the vocabulary projection.
    if (Status st = nonFiniteActivation(out, QStringLiteral("in the output logits")); !st)
        return Error {st.error()};
    return out;
}

Expected<MatrixRM> Transformer::scoredHidden(const int32_t *tokens, int count,
                                             const ForwardOptions &options) const
{
    if (count < 2)
        return makeError(
            QStringLiteral("%1: a sequence of %2 token(s) has nothing to score").arg(mSource).arg(count));
    return forward(tokens, count, options);
}

namespace {

// The vocabulary in bands of kBand rows: a band's logits (positions x kBand floats, 1 MB at
// 511 positions) stay in cache while each position's log-sum-exp takes them in.
constexpr qint64 kBand = 512;

// A position's log-sum-exp over bands, online: the running maximum m and Σ exp(logit − m),
// the sum rescaled by exp(m_old − m_new) when a band raises m. The whole-row and band-by-band
// scorers both add the same bands in the same order, so their results are identical.
struct OnlineLogSumExp
{
    float max = -std::numeric_limits<float>::infinity();
    double sum = 0;
    // False when the band holds NaN or ±Inf.
    bool add(const float *band, qint64 n)
    {
        const RowMax m = rowMax(band, n);
        if (!m.finite)
            return false;
        if (m.max > max) {
            sum *= std::exp(double(max) - double(m.max));
            max = m.max;
        }
        sum += expSumShifted(band, n, max);
        return true;
    }
    double value() const { return double(max) + std::log(sum); }
};

} // namespace

Expected<double> Transformer::sequenceNll(const int32_t *tokens, int count, const ForwardOptions &options,
                                          const TokenScoreFn &onScore) const
{
    Expected<MatrixRM> hidden = scoredHidden(tokens, count, options);
    if (!hidden)
        return makeError(hidden.error());
    const qint64 rows = count - 1; // the last position predicts nothing we can check
    const WeightMatrix &emb = outputEmbedding();
    const qint64 V = emb.rows();
    thread_local std::vector<float> band;
    band.resize(size_t(rows * std::min(kBand, V)));
    std::vector<OnlineLogSumExp> lse(static_cast<size_t>(rows));
    std::vector<float> target(static_cast<size_t>(rows));
    for (qint64 v0 = 0; v0 < V; v0 += kBand) {
        const qint64 n = std::min(kBand, V - v0);
        emb.timesTransposedRows(*hidden, rows, v0, v0 + n, band.data(), n);
        for (qint64 i = 0; i < rows; ++i) {
            const float *row = band.data() + i * n;
            if (!lse[size_t(i)].add(row, n))
                return makeError(QStringLiteral("%1: non-finite logits at position %2").arg(mSource).arg(i));
            const qint64 next = tokens[i + 1];
            if (next >= v0 && next < v0 + n)
                target[size_t(i)] = row[next - v0];
        }
    }
    double nll = 0;
    for (qint64 i = 0; i < rows; ++i) {
        const double l = lse[size_t(i)].value();
        const double tokenNll = l - double(target[size_t(i)]);
        nll += tokenNll;
        if (onScore)
            onScore(int(i), l, tokenNll);
    }
    return nll;
}

Expected<double> Transformer::sequenceScores(const int32_t *tokens, int count, const ForwardOptions &options,
                                             const LogitRowFn &onRow) const
{
    Expected<MatrixRM> hidden = scoredHidden(tokens, count, options);
    if (!hidden)
        return makeError(hidden.error());
    const qint64 rows = count - 1;
    const WeightMatrix &emb = outputEmbedding();
    const qint64 V = emb.rows();
    MatrixRM logits(rows, V);
    emb.timesTransposedRows(*hidden, rows, 0, V, logits.data(), V);
    double nll = 0;
    for (qint64 i = 0; i < rows; ++i) {
        const float *row = logits.data() + i * V;
        OnlineLogSumExp lse;
        for (qint64 v0 = 0; v0 < V; v0 += kBand)
            if (!lse.add(row + v0, std::min(kBand, V - v0)))
                return makeError(QStringLiteral("%1: non-finite logits at position %2").arg(mSource).arg(i));
        const double tokenNll = lse.value() - double(row[tokens[i + 1]]);
        nll += tokenNll;
        if (onRow)
            onRow(int(i), row, int(V), lse.value(), tokenNll);
    }
    return nll;
}

Expected<TokenIds> Transformer::generateGreedy(const TokenIds &prompt, int newTokens, int stopToken) const
{
    if (prompt.empty())
        return makeError(QStringLiteral("%1: generation needs at least one prompt token").arg(mSource));
    TokenIds seq = prompt;
    const WeightMatrix &emb = outputEmbedding();
    for (int n = 0; n < newTokens; ++n) {
        if (int(seq.size()) >= mConfig.maxPositions)
            break;
        Expected<MatrixRM> hidden = forward(seq.data(), int(seq.size()));
        if (!hidden)
            return makeError(hidden.error());
        Eigen::VectorXf last;
        if (!emb.isMapped()) {
            last = emb.owned() * hidden->row(hidden->rows() - 1).transpose();
        } else {
            MatrixRM lastLogits;
            emb.timesTransposed(hidden->bottomRows(1), lastLogits);
            last = Eigen::Map<const Eigen::VectorXf>(lastLogits.data(), lastLogits.cols());
        }
        Eigen::Index best = 0;
        last.maxCoeff(&best); // first maximum, as torch.argmax / llama2.c
        seq.push_back(int32_t(best));
        if (stopToken >= 0 && best == stopToken)
            break;
    }
    return seq;
}

} // namespace lqer
