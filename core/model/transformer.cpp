#include "transformer.h"

#include "core/io/checkpoint.h"
#include "core/model/llama2c.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <limits>

namespace lqer {

namespace {

QString shapeText(const QList<qint64> &shape)
{
    QStringList parts;
    for (qint64 d : shape)
        parts << QString::number(d);
    return QStringLiteral("[%1]").arg(parts.join(QStringLiteral(", ")));
}

// Reads tensors from a TensorSource and checks each against the shape the configuration
// implies, so a config/weights mismatch is reported by tensor name before any arithmetic.
class Loader
{
public:
    explicit Loader(const TensorSource &source)
        : mSource(source)
    { }

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
};

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

struct Transformer::Workspace
{
    MatrixRM qh, kh, vh, vt, s, oh;
};

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
    const QString where = QDir::toNativeSeparators(checkpoint.directory());
    if (!checkpoint.hasConfig())
        return makeError(QStringLiteral("%1: no config.json, cannot build a model").arg(where));
    Expected<ModelConfig> config
        = ModelConfig::fromJson(checkpoint.config(), where + QStringLiteral("/config.json"));
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
    return build(*config, source, progress);
}

Expected<std::shared_ptr<Transformer>> Transformer::build(const ModelConfig &cfg, const TensorSource &source,
                                                          const ProgressFn &progress)
{
    if (Status s = cfg.validate(source.description); !s)
        return makeError(s.error());
    std::shared_ptr<Transformer> model(new Transformer);
    model->mConfig = cfg;
    model->mSource = source.description;
    Loader ld(source);

    const qint64 hidden = cfg.hiddenSize;
    const qint64 inter = cfg.intermediateSize;
    const qint64 vocab = cfg.vocabSize;

    auto addLinear
        = [&](const QString &weight, qint64 out, qint64 in, bool withBias, bool conv1d, int &slot) -> Status {
        Linear l;
        l.name = weight;
        if (Status s = ld.matrix(weight, out, in, l.w, conv1d); !s)
            return s;
        if (withBias) {
            const QString biasName = weight.left(weight.size() - 6) + QStringLiteral("bias");
            if (Status s = ld.vector(biasName, out, l.bias); !s)
                return s;
        }
        slot = int(model->mLinears.size());
        model->mLinearIndex.insert(weight, slot);
        model->mLinears.push_back(std::move(l));
        return Status::success();
    };
    auto readNorm = [&](const QString &prefix, qint64 size, bool withBias, Norm &n) -> Status {
        if (Status s = ld.vector(prefix + QStringLiteral(".weight"), size, n.weight); !s)
            return s;
        if (withBias)
            return ld.vector(prefix + QStringLiteral(".bias"), size, n.bias);
        return Status::success();
    };
#define LQER_TRY(expr)                                                                                       \
    do {                                                                                                     \
        if (Status s_ = (expr); !s_)                                                                         \
            return makeError(s_.error());                                                                    \
    } while (false)

    QString embedName, lmHeadName = QStringLiteral("lm_head.weight");
    qint64 embedDim = hidden;
    switch (cfg.arch) {
    case Architecture::Llama: {
        embedName = QStringLiteral("model.embed_tokens.weight");
        for (int i = 0; i < cfg.numLayers; ++i) {
            const QString p = QStringLiteral("model.layers.%1.").arg(i);
            Block b;
            const bool ab = cfg.attentionBias, mb = cfg.mlpBias;
            LQER_TRY(readNorm(p + QStringLiteral("input_layernorm"), hidden, false, b.norm1));
            LQER_TRY(
                addLinear(p + QStringLiteral("self_attn.q_proj.weight"), cfg.qDim(), hidden, ab, false, b.q));
            LQER_TRY(addLinear(p + QStringLiteral("self_attn.k_proj.weight"), cfg.kvDim(), hidden, ab, false,
                               b.k));
            LQER_TRY(addLinear(p + QStringLiteral("self_attn.v_proj.weight"), cfg.kvDim(), hidden, ab, false,
                               b.v));
            LQER_TRY(
                addLinear(p + QStringLiteral("self_attn.o_proj.weight"), hidden, cfg.qDim(), ab, false, b.o));
            LQER_TRY(readNorm(p + QStringLiteral("post_attention_layernorm"), hidden, false, b.norm2));
            LQER_TRY(addLinear(p + QStringLiteral("mlp.gate_proj.weight"), inter, hidden, mb, false, b.gate));
            LQER_TRY(addLinear(p + QStringLiteral("mlp.up_proj.weight"), inter, hidden, mb, false, b.up));
            LQER_TRY(addLinear(p + QStringLiteral("mlp.down_proj.weight"), hidden, inter, mb, false, b.down));
            model->mBlocks.push_back(std::move(b));
            if (!reportProgress(progress, double(i + 1) / cfg.numLayers, QStringLiteral("loading")))
                return makeError(QStringLiteral("cancelled"));
        }
        LQER_TRY(readNorm(QStringLiteral("model.norm"), hidden, false, model->mFinalNorm));
        break;
    }
    case Architecture::Opt: {
        const QString d = ld.has(QStringLiteral("model.decoder.embed_tokens.weight"))
            ? QStringLiteral("model.decoder.")
            : QStringLiteral("decoder.");
        embedName = d + QStringLiteral("embed_tokens.weight");
        embedDim = cfg.wordEmbedProjDim;
        LQER_TRY(ld.matrix(d + QStringLiteral("embed_positions.weight"),
                           cfg.maxPositions + cfg.positionOffset, hidden, model->mPositions));
        if (embedDim != hidden) {
            LQER_TRY(ld.matrix(d + QStringLiteral("project_in.weight"), hidden, embedDim, model->mProjectIn));
            LQER_TRY(
                ld.matrix(d + QStringLiteral("project_out.weight"), embedDim, hidden, model->mProjectOut));
        }
        const bool bias = cfg.attentionBias;
        for (int i = 0; i < cfg.numLayers; ++i) {
            const QString p = d + QStringLiteral("layers.%1.").arg(i);
            Block b;
            LQER_TRY(readNorm(p + QStringLiteral("self_attn_layer_norm"), hidden, true, b.norm1));
            LQER_TRY(
                addLinear(p + QStringLiteral("self_attn.q_proj.weight"), hidden, hidden, bias, false, b.q));
            LQER_TRY(
                addLinear(p + QStringLiteral("self_attn.k_proj.weight"), hidden, hidden, bias, false, b.k));
            LQER_TRY(
                addLinear(p + QStringLiteral("self_attn.v_proj.weight"), hidden, hidden, bias, false, b.v));
            LQER_TRY(
                addLinear(p + QStringLiteral("self_attn.out_proj.weight"), hidden, hidden, bias, false, b.o));
            LQER_TRY(readNorm(p + QStringLiteral("final_layer_norm"), hidden, true, b.norm2));
            LQER_TRY(addLinear(p + QStringLiteral("fc1.weight"), inter, hidden, bias, false, b.up));
            LQER_TRY(addLinear(p + QStringLiteral("fc2.weight"), hidden, inter, bias, false, b.down));
            model->mBlocks.push_back(std::move(b));
            if (!reportProgress(progress, double(i + 1) / cfg.numLayers, QStringLiteral("loading")))
                return makeError(QStringLiteral("cancelled"));
        }
        if (cfg.finalLayerNorm)
            LQER_TRY(readNorm(d + QStringLiteral("final_layer_norm"), hidden, true, model->mFinalNorm));
        break;
    }
    case Architecture::GptNeoX: {
        embedName = QStringLiteral("gpt_neox.embed_in.weight");
        lmHeadName = QStringLiteral("embed_out.weight");
        for (int i = 0; i < cfg.numLayers; ++i) {
            const QString p = QStringLiteral("gpt_neox.layers.%1.").arg(i);
            Block b;
            const bool ab = cfg.attentionBias;
            LQER_TRY(readNorm(p + QStringLiteral("input_layernorm"), hidden, true, b.norm1));
            LQER_TRY(readNorm(p + QStringLiteral("post_attention_layernorm"), hidden, true, b.norm2));
            LQER_TRY(addLinear(p + QStringLiteral("attention.query_key_value.weight"), 3 * hidden, hidden, ab,
                               false, b.qkv));
            LQER_TRY(addLinear(p + QStringLiteral("attention.dense.weight"), hidden, hidden, ab, false, b.o));
            LQER_TRY(
                addLinear(p + QStringLiteral("mlp.dense_h_to_4h.weight"), inter, hidden, true, false, b.up));
            LQER_TRY(addLinear(p + QStringLiteral("mlp.dense_4h_to_h.weight"), hidden, inter, true, false,
                               b.down));
            model->mBlocks.push_back(std::move(b));
            if (!reportProgress(progress, double(i + 1) / cfg.numLayers, QStringLiteral("loading")))
                return makeError(QStringLiteral("cancelled"));
        }
        LQER_TRY(readNorm(QStringLiteral("gpt_neox.final_layer_norm"), hidden, true, model->mFinalNorm));
        break;
    }
    case Architecture::Gpt2: {
        const QString t
            = ld.has(QStringLiteral("transformer.wte.weight")) ? QStringLiteral("transformer.") : QString();
        embedName = t + QStringLiteral("wte.weight");
        LQER_TRY(ld.matrix(t + QStringLiteral("wpe.weight"), cfg.maxPositions, hidden, model->mPositions));
        for (int i = 0; i < cfg.numLayers; ++i) {
            const QString p = t + QStringLiteral("h.%1.").arg(i);
            Block b;
            LQER_TRY(readNorm(p + QStringLiteral("ln_1"), hidden, true, b.norm1));
            LQER_TRY(
                addLinear(p + QStringLiteral("attn.c_attn.weight"), 3 * hidden, hidden, true, true, b.qkv));
            LQER_TRY(addLinear(p + QStringLiteral("attn.c_proj.weight"), hidden, hidden, true, true, b.o));
            LQER_TRY(readNorm(p + QStringLiteral("ln_2"), hidden, true, b.norm2));
            LQER_TRY(addLinear(p + QStringLiteral("mlp.c_fc.weight"), inter, hidden, true, true, b.up));
            LQER_TRY(addLinear(p + QStringLiteral("mlp.c_proj.weight"), hidden, inter, true, true, b.down));
            model->mBlocks.push_back(std::move(b));
            if (!reportProgress(progress, double(i + 1) / cfg.numLayers, QStringLiteral("loading")))
                return makeError(QStringLiteral("cancelled"));
        }
        LQER_TRY(readNorm(t + QStringLiteral("ln_f"), hidden, true, model->mFinalNorm));
        break;
    }
    }

    LQER_TRY(ld.matrix(embedName, vocab, embedDim, model->mEmbed));
    // Tied models use the input embedding as lm_head, as Hugging Face does, even when a
    // (identical) lm_head tensor is also stored.
    model->mTiedOutput = cfg.tiedEmbeddings;
    if (!cfg.tiedEmbeddings)
        LQER_TRY(ld.matrix(lmHeadName, vocab, embedDim, model->mLmHead));
#undef LQER_TRY

    // Rotary tables, computed in float32 like the Hugging Face and llama2.c code
    // (inv_freq = 1 / theta^(2i/d), angle = pos * inv_freq), cos/sin from the float angle.
    // Precomputed for the first kRotaryTablePositions positions only: a config may claim
    // millions of positions, and applyRotary computes the rare later ones on the fly.
    if (cfg.rotaryDims > 0) {
        const int half = cfg.rotaryDims / 2;
        const int positions = std::min(cfg.maxPositions, kRotaryTablePositions);
        model->mCos.resize(size_t(positions) * half);
        model->mSin.resize(size_t(positions) * half);
        for (int pos = 0; pos < positions; ++pos)
            model->rotaryRow(pos, model->mCos.data() + size_t(pos) * half,
                             model->mSin.data() + size_t(pos) * half);
    }
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
        if (q.wq.rows() != l.w.rows() || q.wq.cols() != l.w.cols())
            return makeError(QStringLiteral("quantized '%1': Wq is %2 x %3, the model's weight is %4 x %5")
                                 .arg(it.key())
                                 .arg(q.wq.rows())
                                 .arg(q.wq.cols())
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
    for (auto it = linears.cbegin(); it != linears.cend(); ++it)
        mLinears[size_t(linearIndex(it.key()))].quant = std::make_shared<const QuantizedLinear>(it.value());
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

Status Transformer::applyLinear(int index, const MatrixRM &x, MatrixRM &y,
                                const ForwardOptions &options) const
{
    const Linear &l = mLinears[size_t(index)];
    if (options.observer && options.observer->wants(index)) {
        if (Status s = options.observer->observe(index, x); !s)
            return s;
    }
    const QuantizedLinear *q = options.useQuantized ? l.quant.get() : nullptr;
    if (!q) {
        y.noalias() = x * l.w.transpose();
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
        y.noalias() = *in * q->wq.transpose();
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
            double ss = 0;
            for (qint64 c = 0; c < cols; ++c)
                ss += double(in[c]) * in[c];
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
        a = a / (1.0f + (-a).exp());
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
        ws.qh = q.middleCols(qint64(h) * hd, hd);
        if (h % group == 0) {
            ws.kh = k.middleCols(qint64(kvh) * hd, hd);
            ws.vh = v.middleCols(qint64(kvh) * hd, hd);
            if (quant) {
                if (Status s = quantizeRows(ws.kh.data(), ws.kh.data(), T, hd, mAttentionFormat,
                                            QStringLiteral("attention K, head %1").arg(kvh));
                    !s)
                    return s;
                // softmax(.) V reduces over tokens: quantize V along tokens (rows of V^T).
                ws.vt = ws.vh.transpose();
                if (Status s = quantizeRows(ws.vt.data(), ws.vt.data(), hd, T, mAttentionFormat,
                                            QStringLiteral("attention V, head %1").arg(kvh));
                    !s)
                    return s;
                ws.vh = ws.vt.transpose();
            }
        }
        if (quant) {
            if (Status s = quantizeRows(ws.qh.data(), ws.qh.data(), T, hd, mAttentionFormat,
                                        QStringLiteral("attention Q, head %1").arg(h));
                !s)
                return s;
        }
        // Causal attention in blocks of query rows: block [i0, i1) only needs keys [k0, i1), which
        // skips the masked upper triangle of QK^T (about 40% of the attention FLOPs at L = 512).
        const qint64 rowBlock = 128;
        for (qint64 i0 = 0; i0 < T; i0 += rowBlock) {
            const qint64 n = std::min(rowBlock, T - i0);
            const qint64 i1 = i0 + n;
            const qint64 k0 = window > 0 ? std::max<qint64>(0, i0 - window + 1) : 0;
            const qint64 keys = i1 - k0;
            ws.s.resize(n, keys);
            ws.s.noalias() = ws.qh.middleRows(i0, n) * ws.kh.middleRows(k0, keys).transpose();
            // Row softmax over the allowed keys; masked entries are exact zeros.
            for (qint64 r = 0; r < n; ++r) {
                const qint64 i = i0 + r;
                float *row = ws.s.data() + r * keys;
                const qint64 start = (window > 0 ? std::max<qint64>(0, i - window + 1) : 0) - k0;
                const qint64 end = i + 1 - k0; // exclusive
                Eigen::Map<Eigen::ArrayXf> a(row + start, end - start);
                a *= scale;
                const float mx = a.maxCoeff();
                a = (a - mx).exp();
                a *= 1.0f / a.sum();
                std::fill(row, row + start, 0.0f);
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
            ws.oh.noalias() = ws.s * ws.vh.middleRows(k0, keys);
            out.block(i0, qint64(h) * hd, n, hd) = ws.oh;
        }
    }
    return Status::success();
}

// ---------------------------------------------------------------------------------------
// Forward

Expected<MatrixRM> Transformer::forward(const int32_t *tokens, int count, const ForwardOptions &options) const
{
    const ModelConfig &c = mConfig;
    if (count <= 0)
        return makeError(QStringLiteral("%1: empty token sequence").arg(mSource));
    if (count > c.maxPositions)
        return makeError(QStringLiteral("%1: a window of %2 tokens exceeds the model's %3 positions")
                             .arg(mSource)
                             .arg(count)
                             .arg(c.maxPositions));
    const qint64 T = count;
    const qint64 hidden = c.hiddenSize;
    for (qint64 t = 0; t < T; ++t) {
        if (tokens[t] < 0 || tokens[t] >= c.vocabSize)
            return makeError(
                QStringLiteral("%1: token id %2 at position %3 is outside the vocabulary (0..%4)")
                    .arg(mSource)
                    .arg(tokens[t])
                    .arg(t)
                    .arg(c.vocabSize - 1));
    }

    MatrixRM x(T, hidden);
    if (mProjectIn.size() > 0) {
        MatrixRM e(T, mEmbed.cols());
        for (qint64 t = 0; t < T; ++t)
            e.row(t) = mEmbed.row(tokens[t]);
        x.noalias() = e * mProjectIn.transpose();
    } else {
        for (qint64 t = 0; t < T; ++t)
            x.row(t) = mEmbed.row(tokens[t]);
    }
    if (mPositions.size() > 0)
        x += mPositions.middleRows(c.positionOffset, T);

    Workspace ws;
    MatrixRM h, q, k, v, a, o, g, u;
    for (size_t bi = 0; bi < mBlocks.size(); ++bi) {
        const Block &b = mBlocks[bi];
#define LQER_TRY(expr)                                                                                       \
    do {                                                                                                     \
        if (Status s_ = (expr); !s_)                                                                         \
            return makeError(s_.error());                                                                    \
    } while (false)
        switch (c.arch) {
        case Architecture::Llama: {
            norm(b.norm1, x, h);
            LQER_TRY(applyLinear(b.q, h, q, options));
            LQER_TRY(applyLinear(b.k, h, k, options));
            LQER_TRY(applyLinear(b.v, h, v, options));
            applyRotary(q, c.numHeads);
            applyRotary(k, c.numKvHeads);
            LQER_TRY(attention(q, k, v, a, ws));
            LQER_TRY(applyLinear(b.o, a, o, options));
            x += o;
            norm(b.norm2, x, h);
            LQER_TRY(applyLinear(b.gate, h, g, options));
            LQER_TRY(applyLinear(b.up, h, u, options));
            activate(g);
            g.array() *= u.array();
            LQER_TRY(applyLinear(b.down, g, o, options));
            x += o;
            break;
        }
        case Architecture::Opt: {
            // Pre-LN (do_layer_norm_before, all OPT sizes but 350m) or post-LN.
            const bool pre = c.layerNormBefore;
            if (pre)
                norm(b.norm1, x, h);
            const MatrixRM &attnIn = pre ? h : x;
            LQER_TRY(applyLinear(b.q, attnIn, q, options));
            LQER_TRY(applyLinear(b.k, attnIn, k, options));
            LQER_TRY(applyLinear(b.v, attnIn, v, options));
            LQER_TRY(attention(q, k, v, a, ws));
            LQER_TRY(applyLinear(b.o, a, o, options));
            x += o;
            if (!pre) {
                norm(b.norm1, x, h);
                x = h;
            }
            if (pre)
                norm(b.norm2, x, h);
            LQER_TRY(applyLinear(b.up, pre ? h : x, g, options));
            activate(g);
            LQER_TRY(applyLinear(b.down, g, o, options));
            x += o;
            if (!pre) {
                norm(b.norm2, x, h);
                x = h;
            }
            break;
        }
        case Architecture::GptNeoX: {
            norm(b.norm1, x, h);
            MatrixRM qkv;
            LQER_TRY(applyLinear(b.qkv, h, qkv, options));
            // Fused layout per head: [heads, 3, head_dim].
            const int hd = c.headDim;
            q.resize(T, hidden);
            k.resize(T, hidden);
            v.resize(T, hidden);
            for (int hh = 0; hh < c.numHeads; ++hh) {
                q.middleCols(qint64(hh) * hd, hd) = qkv.middleCols(qint64(hh) * 3 * hd, hd);
                k.middleCols(qint64(hh) * hd, hd) = qkv.middleCols(qint64(hh) * 3 * hd + hd, hd);
                v.middleCols(qint64(hh) * hd, hd) = qkv.middleCols(qint64(hh) * 3 * hd + 2 * hd, hd);
            }
            applyRotary(q, c.numHeads);
            applyRotary(k, c.numHeads);
            LQER_TRY(attention(q, k, v, a, ws));
            LQER_TRY(applyLinear(b.o, a, o, options));
            if (c.parallelResidual) { // x + attn(ln1(x)) + mlp(ln2(x))
                norm(b.norm2, x, h);
                x += o;
            } else {
                x += o;
                norm(b.norm2, x, h);
            }
            LQER_TRY(applyLinear(b.up, h, g, options));
            activate(g);
            LQER_TRY(applyLinear(b.down, g, o, options));
            x += o;
            break;
        }
        case Architecture::Gpt2: {
            norm(b.norm1, x, h);
            MatrixRM qkv;
            LQER_TRY(applyLinear(b.qkv, h, qkv, options));
            // c_attn output is [q | k | v], each split into heads.
            q = qkv.leftCols(hidden);
            k = qkv.middleCols(hidden, hidden);
            v = qkv.rightCols(hidden);
            LQER_TRY(attention(q, k, v, a, ws));
            LQER_TRY(applyLinear(b.o, a, o, options));
            x += o;
            norm(b.norm2, x, h);
            LQER_TRY(applyLinear(b.up, h, g, options));
            activate(g);
            LQER_TRY(applyLinear(b.down, g, o, options));
            x += o;
            break;
        }
        }
        LQER_TRY(nonFiniteActivation(x, QStringLiteral("after decoder block %1").arg(bi)));
#undef LQER_TRY
    }
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
    MatrixRM out = *hidden * outputEmbedding().transpose();
    return out;
}

Expected<double> Transformer::sequenceNll(const int32_t *tokens, int count,
                                          const ForwardOptions &options) const
{
    if (count < 2)
        return makeError(
            QStringLiteral("%1: a sequence of %2 token(s) has nothing to score").arg(mSource).arg(count));
    Expected<MatrixRM> hidden = forward(tokens, count, options);
    if (!hidden)
        return makeError(hidden.error());
    const qint64 rows = count - 1; // the last position predicts nothing we can check
    const MatrixRM &emb = outputEmbedding();
    const qint64 V = emb.rows();
    // One (L-1) x dim x vocab GEMM: chunking would repack the whole embedding per chunk.
    MatrixRM logits(rows, V);
    logits.noalias() = hidden->topRows(rows) * emb.transpose();
    double nll = 0;
    for (qint64 i = 0; i < rows; ++i) {
        Eigen::Map<Eigen::ArrayXf> row(logits.data() + i * V, V);
        const float mx = row.maxCoeff();
        if (!std::isfinite(mx))
            return makeError(QStringLiteral("%1: non-finite logits at position %2").arg(mSource).arg(i));
        const double sum = double((row - mx).exp().sum());
        const double lse = double(mx) + std::log(sum);
        nll += lse - double(row[tokens[i + 1]]);
    }
    return nll;
}

Expected<TokenIds> Transformer::generateGreedy(const TokenIds &prompt, int newTokens, int stopToken) const
{
    if (prompt.empty())
        return makeError(QStringLiteral("%1: generation needs at least one prompt token").arg(mSource));
    TokenIds seq = prompt;
    const MatrixRM &emb = outputEmbedding();
    for (int n = 0; n < newTokens; ++n) {
        if (int(seq.size()) >= mConfig.maxPositions)
            break;
        Expected<MatrixRM> hidden = forward(seq.data(), int(seq.size()));
        if (!hidden)
            return makeError(hidden.error());
        const Eigen::VectorXf last = emb * hidden->row(hidden->rows() - 1).transpose();
        Eigen::Index best = 0;
        last.maxCoeff(&best); // first maximum, as torch.argmax / llama2.c
        seq.push_back(int32_t(best));
        if (stopToken >= 0 && best == stopToken)
            break;
    }
    return seq;
}

} // namespace lqer
