// Tests of the model runtime (core/model): config parsing, llama2.c files, and the forward pass
// of every supported architecture against an independent double-precision reference written
// here from the Hugging Face definitions (tiny random checkpoints built with SafetensorsWriter).

#include "core/io/safetensors.h"
#include "core/model/config.h"
#include "core/model/llama2c.h"
#include "core/model/transformer.h"
#include "tests/common/tinymodels.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <functional>
#include <random>

using namespace lqer;

namespace {

using MatD = Eigen::MatrixXd;
using Tensors = QMap<QString, MatrixRM>;

const QString kShared = QStringLiteral(LQER_SHARED_DIR);

// ---- Random checkpoints -------------------------------------------------------------------

struct Rng
{
    std::mt19937 gen {1234};
    MatrixRM normal(qint64 rows, qint64 cols, double sigma, double mean = 0.0)
    {
        std::normal_distribution<float> d {float(mean), float(sigma)};
        MatrixRM m(rows, cols);
        for (qint64 i = 0; i < m.size(); ++i)
            m.data()[i] = d(gen);
        return m;
    }
};

// 1-D tensors are stored with shape [n] (as 1 x n matrices here).
void writeCheckpoint(const QString &dir, const QJsonObject &config, const Tensors &tensors,
                     const QStringList &vectors)
{
    SafetensorsWriter w;
    for (auto it = tensors.cbegin(); it != tensors.cend(); ++it) {
        const MatrixRM &m = it.value();
        const QList<qint64> shape
            = vectors.contains(it.key()) ? QList<qint64> {m.size()} : QList<qint64> {m.rows(), m.cols()};
        w.addFloatTensor(it.key(), m.data(), shape, DType::F32);
    }
    QVERIFY2(w.write(dir + QStringLiteral("/model.safetensors")).ok(), "write safetensors");
    QFile f(dir + QStringLiteral("/config.json"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QJsonDocument(config).toJson());
}

// ---- Double-precision reference (written from the HF modeling code, not from ours) --------

MatD toD(const MatrixRM &m)
{
    return m.cast<double>();
}

struct Ref
{
    Tensors t;
    MatD w(const QString &name) const { return toD(t.value(name)); }
    Eigen::RowVectorXd v(const QString &name) const
    {
        const MatrixRM &m = t.value(name);
        Eigen::RowVectorXd r(m.size());
        for (qint64 i = 0; i < m.size(); ++i)
            r[i] = m.data()[i];
        return r;
    }
    // nn.Linear: x W^T + b
    MatD linear(const MatD &x, const QString &prefix, bool bias) const
    {
        MatD y = x * w(prefix + QStringLiteral(".weight")).transpose();
        if (bias)
            y.rowwise() += v(prefix + QStringLiteral(".bias"));
        return y;
    }
    // GPT-2 Conv1D: x W + b with W stored (in, out)
    MatD conv1d(const MatD &x, const QString &prefix) const
    {
        MatD y = x * w(prefix + QStringLiteral(".weight"));
        y.rowwise() += v(prefix + QStringLiteral(".bias"));
        return y;
    }
    MatD layerNorm(const MatD &x, const QString &prefix, double eps) const
    {
        MatD y(x.rows(), x.cols());
        const Eigen::RowVectorXd g = v(prefix + QStringLiteral(".weight")),
                                 b = v(prefix + QStringLiteral(".bias"));
        for (Eigen::Index r = 0; r < x.rows(); ++r) {
            const double mean = x.row(r).mean();
            const double var = (x.row(r).array() - mean).square().mean();
            for (Eigen::Index c = 0; c < x.cols(); ++c)
                y(r, c) = (x(r, c) - mean) / std::sqrt(var + eps) * g[c] + b[c];
        }
        return y;
    }
    MatD rmsNorm(const MatD &x, const QString &name, double eps) const
    {
        MatD y(x.rows(), x.cols());
        const Eigen::RowVectorXd g = v(name);
        for (Eigen::Index r = 0; r < x.rows(); ++r) {
            const double ms = x.row(r).squaredNorm() / double(x.cols());
            for (Eigen::Index c = 0; c < x.cols(); ++c)
                y(r, c) = g[c] * (x(r, c) / std::sqrt(ms + eps));
        }
        return y;
    }
};

// apply_rotary_pos_emb with rotate_half, on the first `rot` dims of each head:
// x * cos + rotate_half(x) * sin, cos/sin = cat(freqs, freqs), freqs = pos * theta^(-2i/rot).
void rotateHalf(MatD &x, int heads, int hd, int rot, double theta)
{
    for (Eigen::Index t = 0; t < x.rows(); ++t) {
        for (int h = 0; h < heads; ++h) {
            std::vector<double> xs(rot), rh(rot), out(rot);
            for (int d = 0; d < rot; ++d)
                xs[d] = x(t, h * hd + d);
            for (int d = 0; d < rot; ++d)
                rh[d] = d < rot / 2 ? -xs[d + rot / 2] : xs[d - rot / 2];
            for (int d = 0; d < rot; ++d) {
                const double freq = double(t) * std::pow(theta, -2.0 * (d % (rot / 2)) / rot);
                out[d] = xs[d] * std::cos(freq) + rh[d] * std::sin(freq);
            }
            for (int d = 0; d < rot; ++d)
                x(t, h * hd + d) = out[d];
        }
    }
}

MatD causalAttention(const MatD &q, const MatD &k, const MatD &v, int heads, int kvHeads, int hd,
                     double scale, int window = 0)
{
    const Eigen::Index T = q.rows();
    MatD out = MatD::Zero(T, heads * hd);
    for (int h = 0; h < heads; ++h) {
        const int kh = h / (heads / kvHeads);
        for (Eigen::Index i = 0; i < T; ++i) {
            std::vector<double> s(size_t(T), -INFINITY);
            double mx = -INFINITY;
            for (Eigen::Index j = 0; j <= i; ++j) {
                if (window > 0 && j <= i - window)
                    continue;
                double dot = 0;
                for (int d = 0; d < hd; ++d)
                    dot += q(i, h * hd + d) * k(j, kh * hd + d);
                s[size_t(j)] = dot * scale;
                mx = std::max(mx, s[size_t(j)]);
            }
            double sum = 0;
            for (Eigen::Index j = 0; j <= i; ++j)
                sum += std::isinf(s[size_t(j)]) ? 0.0 : std::exp(s[size_t(j)] - mx);
            for (Eigen::Index j = 0; j <= i; ++j) {
                const double p = std::isinf(s[size_t(j)]) ? 0.0 : std::exp(s[size_t(j)] - mx) / sum;
                for (int d = 0; d < hd; ++d)
                    out(i, h * hd + d) += p * v(j, kh * hd + d);
            }
        }
    }
    return out;
}

MatD embedRows(const MatrixRM &table, const TokenIds &tokens)
{
    MatD x(Eigen::Index(tokens.size()), table.cols());
    for (size_t t = 0; t < tokens.size(); ++t)
        x.row(Eigen::Index(t)) = table.row(tokens[t]).cast<double>();
    return x;
}

double siluD(double x)
{
    return x / (1.0 + std::exp(-x));
}
double geluD(double x)
{
    return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
}
double geluNewD(double x)
{
    return 0.5 * x * (1.0 + std::tanh(std::sqrt(2.0 / M_PI) * (x + 0.044715 * x * x * x)));
}

struct LlamaSpec
{
    QString modelType = QStringLiteral("llama");
    int hidden = 32, heads = 4, kvHeads = 2, headDim = 8, inter = 48, layers = 2, vocab = 50, positions = 64;
    double eps = 1e-6, theta = 500.0;
    bool tied = false, ropeParameters = false, bias = false;
    int slidingWindow = 0;
};

void makeLlama(const LlamaSpec &s, QJsonObject &config, Tensors &t, QStringList &vectors)
{
    Rng rng;
    config = QJsonObject {{QStringLiteral("model_type"), s.modelType},
                          {QStringLiteral("hidden_size"), s.hidden},
                          {QStringLiteral("intermediate_size"), s.inter},
                          {QStringLiteral("num_hidden_layers"), s.layers},
                          {QStringLiteral("num_attention_heads"), s.heads},
                          {QStringLiteral("num_key_value_heads"), s.kvHeads},
                          {QStringLiteral("head_dim"), s.headDim},
                          {QStringLiteral("vocab_size"), s.vocab},
                          {QStringLiteral("max_position_embeddings"), s.positions},
                          {QStringLiteral("rms_norm_eps"), s.eps},
                          {QStringLiteral("hidden_act"), QStringLiteral("silu")},
                          {QStringLiteral("tie_word_embeddings"), s.tied},
                          {QStringLiteral("attention_bias"), s.bias}};
    if (s.ropeParameters) {
        config.insert(QStringLiteral("rope_parameters"),
                      QJsonObject {{QStringLiteral("rope_theta"), s.theta},
                                   {QStringLiteral("rope_type"), QStringLiteral("default")}});
        config.insert(QStringLiteral("dtype"), QStringLiteral("float32"));
    } else {
        config.insert(QStringLiteral("rope_theta"), s.theta);
        config.insert(QStringLiteral("torch_dtype"), QStringLiteral("float32"));
    }
    if (s.slidingWindow > 0)
        config.insert(QStringLiteral("sliding_window"), s.slidingWindow);
    const int qd = s.heads * s.headDim, kvd = s.kvHeads * s.headDim;
    t.insert(QStringLiteral("model.embed_tokens.weight"), rng.normal(s.vocab, s.hidden, 1.0));
    for (int l = 0; l < s.layers; ++l) {
        const QString p = QStringLiteral("model.layers.%1.").arg(l);
        auto vec = [&](const QString &n, double sigma, double mean) {
            t.insert(p + n, rng.normal(1, s.hidden, sigma, mean));
            vectors << p + n;
        };
        vec(QStringLiteral("input_layernorm.weight"), 0.1, 1.0);
        vec(QStringLiteral("post_attention_layernorm.weight"), 0.1, 1.0);
        const double a = 1.0 / std::sqrt(double(s.hidden));
        t.insert(p + QStringLiteral("self_attn.q_proj.weight"), rng.normal(qd, s.hidden, 2 * a));
        t.insert(p + QStringLiteral("self_attn.k_proj.weight"), rng.normal(kvd, s.hidden, 2 * a));
        t.insert(p + QStringLiteral("self_attn.v_proj.weight"), rng.normal(kvd, s.hidden, a));
        t.insert(p + QStringLiteral("self_attn.o_proj.weight"),
                 rng.normal(s.hidden, qd, 1.0 / std::sqrt(double(qd))));
        if (s.bias) {
            for (const char *n : {"q_proj", "k_proj", "v_proj", "o_proj"}) {
                const QString name = p + QStringLiteral("self_attn.%1.bias").arg(QLatin1String(n));
                const int out = QLatin1String(n) == QLatin1String("q_proj") ? qd
                    : QLatin1String(n) == QLatin1String("o_proj")           ? s.hidden
                                                                            : kvd;
                t.insert(name, rng.normal(1, out, 0.1));
                vectors << name;
            }
        }
        t.insert(p + QStringLiteral("mlp.gate_proj.weight"), rng.normal(s.inter, s.hidden, a));
        t.insert(p + QStringLiteral("mlp.up_proj.weight"), rng.normal(s.inter, s.hidden, a));
        t.insert(p + QStringLiteral("mlp.down_proj.weight"),
                 rng.normal(s.hidden, s.inter, 1.0 / std::sqrt(double(s.inter))));
    }
    t.insert(QStringLiteral("model.norm.weight"), rng.normal(1, s.hidden, 0.1, 1.0));
    vectors << QStringLiteral("model.norm.weight");
    if (!s.tied)
        t.insert(QStringLiteral("lm_head.weight"), rng.normal(s.vocab, s.hidden, 0.5));
}

MatD refLlama(const LlamaSpec &s, const Ref &r, const TokenIds &tokens)
{
    MatD x = embedRows(r.t.value(QStringLiteral("model.embed_tokens.weight")), tokens);
    for (int l = 0; l < s.layers; ++l) {
        const QString p = QStringLiteral("model.layers.%1.").arg(l);
        MatD h = r.rmsNorm(x, p + QStringLiteral("input_layernorm.weight"), s.eps);
        MatD q = r.linear(h, p + QStringLiteral("self_attn.q_proj"), s.bias);
        MatD k = r.linear(h, p + QStringLiteral("self_attn.k_proj"), s.bias);
        MatD v = r.linear(h, p + QStringLiteral("self_attn.v_proj"), s.bias);
        rotateHalf(q, s.heads, s.headDim, s.headDim, s.theta);
        rotateHalf(k, s.kvHeads, s.headDim, s.headDim, s.theta);
        MatD a = causalAttention(q, k, v, s.heads, s.kvHeads, s.headDim, 1.0 / std::sqrt(double(s.headDim)),
                                 s.slidingWindow);
        x += r.linear(a, p + QStringLiteral("self_attn.o_proj"), s.bias);
        h = r.rmsNorm(x, p + QStringLiteral("post_attention_layernorm.weight"), s.eps);
        MatD g = r.linear(h, p + QStringLiteral("mlp.gate_proj"), false);
        const MatD u = r.linear(h, p + QStringLiteral("mlp.up_proj"), false);
        for (Eigen::Index i = 0; i < g.size(); ++i)
            g.data()[i] = siluD(g.data()[i]) * u.data()[i];
        x += r.linear(g, p + QStringLiteral("mlp.down_proj"), false);
    }
    x = r.rmsNorm(x, QStringLiteral("model.norm.weight"), s.eps);
    return x
        * r.w(s.tied ? QStringLiteral("model.embed_tokens.weight") : QStringLiteral("lm_head.weight"))
              .transpose();
}

struct OptSpec
{
    int hidden = 32, heads = 4, ffn = 64, layers = 2, vocab = 50, positions = 64, proj = 32;
    bool preLn = true;
};

void makeOpt(const OptSpec &s, QJsonObject &config, Tensors &t, QStringList &vectors)
{
    Rng rng;
    config = QJsonObject {{QStringLiteral("model_type"), QStringLiteral("opt")},
                          {QStringLiteral("hidden_size"), s.hidden},
                          {QStringLiteral("ffn_dim"), s.ffn},
                          {QStringLiteral("num_hidden_layers"), s.layers},
                          {QStringLiteral("num_attention_heads"), s.heads},
                          {QStringLiteral("vocab_size"), s.vocab},
                          {QStringLiteral("max_position_embeddings"), s.positions},
                          {QStringLiteral("word_embed_proj_dim"), s.proj},
                          {QStringLiteral("do_layer_norm_before"), s.preLn},
                          {QStringLiteral("activation_function"), QStringLiteral("relu")},
                          {QStringLiteral("torch_dtype"), QStringLiteral("float16")}};
    const QString d = QStringLiteral("model.decoder.");
    t.insert(d + QStringLiteral("embed_tokens.weight"), rng.normal(s.vocab, s.proj, 1.0));
    t.insert(d + QStringLiteral("embed_positions.weight"), rng.normal(s.positions + 2, s.hidden, 0.5));
    if (s.proj != s.hidden) {
        t.insert(d + QStringLiteral("project_in.weight"),
                 rng.normal(s.hidden, s.proj, 1.0 / std::sqrt(double(s.proj))));
        t.insert(d + QStringLiteral("project_out.weight"),
                 rng.normal(s.proj, s.hidden, 1.0 / std::sqrt(double(s.hidden))));
    }
    auto vec = [&](const QString &n, int size, double sigma, double mean) {
        t.insert(n, rng.normal(1, size, sigma, mean));
        vectors << n;
    };
    const double a = 1.0 / std::sqrt(double(s.hidden));
    for (int l = 0; l < s.layers; ++l) {
        const QString p = d + QStringLiteral("layers.%1.").arg(l);
        for (const char *n : {"q_proj", "k_proj", "v_proj", "out_proj"}) {
            const QString base = p + QStringLiteral("self_attn.%1").arg(QLatin1String(n));
            t.insert(base + QStringLiteral(".weight"), rng.normal(s.hidden, s.hidden, 2 * a));
            vec(base + QStringLiteral(".bias"), s.hidden, 0.1, 0.0);
        }
        vec(p + QStringLiteral("self_attn_layer_norm.weight"), s.hidden, 0.1, 1.0);
        vec(p + QStringLiteral("self_attn_layer_norm.bias"), s.hidden, 0.1, 0.0);
        vec(p + QStringLiteral("final_layer_norm.weight"), s.hidden, 0.1, 1.0);
        vec(p + QStringLiteral("final_layer_norm.bias"), s.hidden, 0.1, 0.0);
        t.insert(p + QStringLiteral("fc1.weight"), rng.normal(s.ffn, s.hidden, 2 * a));
        vec(p + QStringLiteral("fc1.bias"), s.ffn, 0.1, 0.0);
        t.insert(p + QStringLiteral("fc2.weight"),
                 rng.normal(s.hidden, s.ffn, 1.0 / std::sqrt(double(s.ffn))));
        vec(p + QStringLiteral("fc2.bias"), s.hidden, 0.1, 0.0);
    }
    if (s.preLn) {
        vec(d + QStringLiteral("final_layer_norm.weight"), s.hidden, 0.1, 1.0);
        vec(d + QStringLiteral("final_layer_norm.bias"), s.hidden, 0.1, 0.0);
    }
}

MatD refOpt(const OptSpec &s, const Ref &r, const TokenIds &tokens)
{
    const QString d = QStringLiteral("model.decoder.");
    const int hd = s.hidden / s.heads;
    MatD e = embedRows(r.t.value(d + QStringLiteral("embed_tokens.weight")), tokens);
    if (s.proj != s.hidden)
        e = e * r.w(d + QStringLiteral("project_in.weight")).transpose();
    MatD x = e;
    const MatD pos = r.w(d + QStringLiteral("embed_positions.weight"));
    for (Eigen::Index t = 0; t < x.rows(); ++t)
        x.row(t) += pos.row(t + 2); // OPTLearnedPositionalEmbedding: offset 2
    for (int l = 0; l < s.layers; ++l) {
        const QString p = d + QStringLiteral("layers.%1.").arg(l);
        MatD residual = x;
        MatD h = s.preLn ? r.layerNorm(x, p + QStringLiteral("self_attn_layer_norm"), 1e-5) : x;
        const MatD q
            = r.linear(h, p + QStringLiteral("self_attn.q_proj"), true) * (1.0 / std::sqrt(double(hd)));
        const MatD k = r.linear(h, p + QStringLiteral("self_attn.k_proj"), true);
        const MatD v = r.linear(h, p + QStringLiteral("self_attn.v_proj"), true);
        const MatD a = causalAttention(q, k, v, s.heads, s.heads, hd, 1.0);
        x = residual + r.linear(a, p + QStringLiteral("self_attn.out_proj"), true);
        if (!s.preLn)
            x = r.layerNorm(x, p + QStringLiteral("self_attn_layer_norm"), 1e-5);
        residual = x;
        h = s.preLn ? r.layerNorm(x, p + QStringLiteral("final_layer_norm"), 1e-5) : x;
        MatD f = r.linear(h, p + QStringLiteral("fc1"), true).cwiseMax(0.0);
        x = residual + r.linear(f, p + QStringLiteral("fc2"), true);
        if (!s.preLn)
            x = r.layerNorm(x, p + QStringLiteral("final_layer_norm"), 1e-5);
    }
    if (s.preLn)
        x = r.layerNorm(x, d + QStringLiteral("final_layer_norm"), 1e-5);
    if (s.proj != s.hidden)
        x = x * r.w(d + QStringLiteral("project_out.weight")).transpose();
    return x * r.w(d + QStringLiteral("embed_tokens.weight")).transpose();
}

struct NeoXSpec
{
    int hidden = 32, heads = 4, inter = 64, layers = 2, vocab = 50, positions = 64;
    double rotaryPct = 0.5, theta = 10000.0, eps = 1e-5;
    bool parallel = true;
};

void makeNeoX(const NeoXSpec &s, QJsonObject &config, Tensors &t, QStringList &vectors)
{
    Rng rng;
    testing::TinyModelSpec spec;
    spec.modelType = QStringLiteral("gpt_neox");
    spec.hidden = s.hidden;
    spec.heads = s.heads;
    spec.inter = s.inter;
    spec.layers = s.layers;
    spec.vocab = s.vocab;
    spec.positions = s.positions;
    spec.activation = QStringLiteral("gelu");
    spec.rotaryPct = s.rotaryPct;
    spec.parallelResidual = s.parallel;
    config = testing::neoxConfig(spec, s.theta, s.eps);
    auto vec = [&](const QString &n, int size, double sigma, double mean) {
        t.insert(n, rng.normal(1, size, sigma, mean));
        vectors << n;
    };
    const double a = 1.0 / std::sqrt(double(s.hidden));
    t.insert(QStringLiteral("gpt_neox.embed_in.weight"), rng.normal(s.vocab, s.hidden, 1.0));
    for (int l = 0; l < s.layers; ++l) {
        const QString p = QStringLiteral("gpt_neox.layers.%1.").arg(l);
        for (const char *n : {"input_layernorm", "post_attention_layernorm"}) {
            vec(p + QLatin1String(n) + QStringLiteral(".weight"), s.hidden, 0.1, 1.0);
            vec(p + QLatin1String(n) + QStringLiteral(".bias"), s.hidden, 0.1, 0.0);
        }
        t.insert(p + QStringLiteral("attention.query_key_value.weight"),
                 rng.normal(3 * s.hidden, s.hidden, 2 * a));
        vec(p + QStringLiteral("attention.query_key_value.bias"), 3 * s.hidden, 0.1, 0.0);
        t.insert(p + QStringLiteral("attention.dense.weight"), rng.normal(s.hidden, s.hidden, a));
        vec(p + QStringLiteral("attention.dense.bias"), s.hidden, 0.1, 0.0);
        t.insert(p + QStringLiteral("mlp.dense_h_to_4h.weight"), rng.normal(s.inter, s.hidden, 2 * a));
        vec(p + QStringLiteral("mlp.dense_h_to_4h.bias"), s.inter, 0.1, 0.0);
        t.insert(p + QStringLiteral("mlp.dense_4h_to_h.weight"),
                 rng.normal(s.hidden, s.inter, 1.0 / std::sqrt(double(s.inter))));
        vec(p + QStringLiteral("mlp.dense_4h_to_h.bias"), s.hidden, 0.1, 0.0);
    }
    vec(QStringLiteral("gpt_neox.final_layer_norm.weight"), s.hidden, 0.1, 1.0);
    vec(QStringLiteral("gpt_neox.final_layer_norm.bias"), s.hidden, 0.1, 0.0);
    t.insert(QStringLiteral("embed_out.weight"), rng.normal(s.vocab, s.hidden, 0.5));
}

MatD refNeoX(const NeoXSpec &s, const Ref &r, const TokenIds &tokens)
{
    const int hd = s.hidden / s.heads;
    const int rot = int(hd * s.rotaryPct);
    MatD x = embedRows(r.t.value(QStringLiteral("gpt_neox.embed_in.weight")), tokens);
    const Eigen::Index T = x.rows();
    for (int l = 0; l < s.layers; ++l) {
        const QString p = QStringLiteral("gpt_neox.layers.%1.").arg(l);
        const MatD h = r.layerNorm(x, p + QStringLiteral("input_layernorm"), s.eps);
        const MatD qkv = r.linear(h, p + QStringLiteral("attention.query_key_value"), true);
        // qkv.view(T, heads, 3 * head_size).chunk(3, dim=-1)
        MatD q(T, s.hidden), k(T, s.hidden), v(T, s.hidden);
        for (Eigen::Index t = 0; t < T; ++t)
            for (int hh = 0; hh < s.heads; ++hh)
                for (int d = 0; d < hd; ++d) {
                    q(t, hh * hd + d) = qkv(t, hh * 3 * hd + d);
                    k(t, hh * hd + d) = qkv(t, hh * 3 * hd + hd + d);
                    v(t, hh * hd + d) = qkv(t, hh * 3 * hd + 2 * hd + d);
                }
        rotateHalf(q, s.heads, hd, rot, s.theta);
        rotateHalf(k, s.heads, hd, rot, s.theta);
        const MatD a = causalAttention(q, k, v, s.heads, s.heads, hd, 1.0 / std::sqrt(double(hd)));
        const MatD attnOut = r.linear(a, p + QStringLiteral("attention.dense"), true);
        auto mlp = [&](const MatD &in) {
            MatD f = r.linear(in, p + QStringLiteral("mlp.dense_h_to_4h"), true);
            for (Eigen::Index i = 0; i < f.size(); ++i)
                f.data()[i] = geluD(f.data()[i]);
            return MatD(r.linear(f, p + QStringLiteral("mlp.dense_4h_to_h"), true));
        };
        if (s.parallel) {
            x = x + attnOut + mlp(r.layerNorm(x, p + QStringLiteral("post_attention_layernorm"), s.eps));
        } else {
            x = x + attnOut;
            x = x + mlp(r.layerNorm(x, p + QStringLiteral("post_attention_layernorm"), s.eps));
        }
    }
    x = r.layerNorm(x, QStringLiteral("gpt_neox.final_layer_norm"), s.eps);
    return x * r.w(QStringLiteral("embed_out.weight")).transpose();
}

struct Gpt2Spec
{
    int hidden = 32, heads = 4, layers = 2, vocab = 50, positions = 64;
    QString prefix = QStringLiteral("transformer.");
};

void makeGpt2(const Gpt2Spec &s, QJsonObject &config, Tensors &t, QStringList &vectors)
{
    Rng rng;
    config = QJsonObject {{QStringLiteral("model_type"), QStringLiteral("gpt2")},
                          {QStringLiteral("n_embd"), s.hidden},
                          {QStringLiteral("n_layer"), s.layers},
                          {QStringLiteral("n_head"), s.heads},
                          {QStringLiteral("n_positions"), s.positions},
                          {QStringLiteral("n_inner"), QJsonValue()},
                          {QStringLiteral("vocab_size"), s.vocab},
                          {QStringLiteral("activation_function"), QStringLiteral("gelu_new")},
                          {QStringLiteral("layer_norm_epsilon"), 1e-5}};
    auto vec = [&](const QString &n, int size, double sigma, double mean) {
        t.insert(n, rng.normal(1, size, sigma, mean));
        vectors << n;
    };
    const QString &tp = s.prefix;
    const double a = 1.0 / std::sqrt(double(s.hidden));
    t.insert(tp + QStringLiteral("wte.weight"), rng.normal(s.vocab, s.hidden, 1.0));
    t.insert(tp + QStringLiteral("wpe.weight"), rng.normal(s.positions, s.hidden, 0.5));
    for (int l = 0; l < s.layers; ++l) {
        const QString p = tp + QStringLiteral("h.%1.").arg(l);
        for (const char *n : {"ln_1", "ln_2"}) {
            vec(p + QLatin1String(n) + QStringLiteral(".weight"), s.hidden, 0.1, 1.0);
            vec(p + QLatin1String(n) + QStringLiteral(".bias"), s.hidden, 0.1, 0.0);
        }
        // Conv1D weights are stored (in, out).
        t.insert(p + QStringLiteral("attn.c_attn.weight"), rng.normal(s.hidden, 3 * s.hidden, 2 * a));
        vec(p + QStringLiteral("attn.c_attn.bias"), 3 * s.hidden, 0.1, 0.0);
        t.insert(p + QStringLiteral("attn.c_proj.weight"), rng.normal(s.hidden, s.hidden, a));
        vec(p + QStringLiteral("attn.c_proj.bias"), s.hidden, 0.1, 0.0);
        t.insert(p + QStringLiteral("mlp.c_fc.weight"), rng.normal(s.hidden, 4 * s.hidden, 2 * a));
        vec(p + QStringLiteral("mlp.c_fc.bias"), 4 * s.hidden, 0.1, 0.0);
        t.insert(p + QStringLiteral("mlp.c_proj.weight"), rng.normal(4 * s.hidden, s.hidden, 0.5 * a));
        vec(p + QStringLiteral("mlp.c_proj.bias"), s.hidden, 0.1, 0.0);
    }
    vec(tp + QStringLiteral("ln_f.weight"), s.hidden, 0.1, 1.0);
    vec(tp + QStringLiteral("ln_f.bias"), s.hidden, 0.1, 0.0);
}

MatD refGpt2(const Gpt2Spec &s, const Ref &r, const TokenIds &tokens)
{
    const QString &tp = s.prefix;
    const int hd = s.hidden / s.heads;
    MatD x = embedRows(r.t.value(tp + QStringLiteral("wte.weight")), tokens);
    const MatD wpe = r.w(tp + QStringLiteral("wpe.weight"));
    for (Eigen::Index t = 0; t < x.rows(); ++t)
        x.row(t) += wpe.row(t);
    for (int l = 0; l < s.layers; ++l) {
        const QString p = tp + QStringLiteral("h.%1.").arg(l);
        const MatD h = r.layerNorm(x, p + QStringLiteral("ln_1"), 1e-5);
        const MatD qkv = r.conv1d(h, p + QStringLiteral("attn.c_attn")); // split(n_embd, dim=2)
        const MatD q = qkv.leftCols(s.hidden), k = qkv.middleCols(s.hidden, s.hidden),
                   v = qkv.rightCols(s.hidden);
        const MatD a = causalAttention(q, k, v, s.heads, s.heads, hd, 1.0 / std::sqrt(double(hd)));
        x += r.conv1d(a, p + QStringLiteral("attn.c_proj"));
        MatD f = r.conv1d(r.layerNorm(x, p + QStringLiteral("ln_2"), 1e-5), p + QStringLiteral("mlp.c_fc"));
        for (Eigen::Index i = 0; i < f.size(); ++i)
            f.data()[i] = geluNewD(f.data()[i]);
        x += r.conv1d(f, p + QStringLiteral("mlp.c_proj"));
    }
    x = r.layerNorm(x, tp + QStringLiteral("ln_f"), 1e-5);
    return x * r.w(tp + QStringLiteral("wte.weight")).transpose();
}

TokenIds randomTokens(int count, int vocab, unsigned seed)
{
    std::mt19937 gen(seed);
    std::uniform_int_distribution<int> d(0, vocab - 1);
    TokenIds t(size_t(count), 0);
    for (int &x : t)
        x = d(gen);
    return t;
}

// Max |a - b| / (1 + |b|): relative for large logits, absolute near zero.
double maxDiff(const MatrixRM &a, const MatD &b)
{
    double worst = 0;
    for (Eigen::Index r = 0; r < b.rows(); ++r)
        for (Eigen::Index c = 0; c < b.cols(); ++c)
            worst = std::max(worst, std::abs(double(a(r, c)) - b(r, c)) / (1.0 + std::abs(b(r, c))));
    return worst;
}

// One architecture variant as a test row: the checkpoint (config, tensors, which tensors are
// 1-D) and the independent reference forward of the same weights.
struct ArchCase
{
    QJsonObject config;
    Tensors tensors;
    QStringList vectors;
    std::function<MatD(const Ref &, const TokenIds &)> reference;
    int vocab = 0;
    int tokens = 12;
};

template<typename Spec>
ArchCase archCase(const Spec &s, void (*make)(const Spec &, QJsonObject &, Tensors &, QStringList &),
                  MatD (*reference)(const Spec &, const Ref &, const TokenIds &), int tokens = 12)
{
    ArchCase a;
    make(s, a.config, a.tensors, a.vectors);
    a.reference = [s, reference](const Ref &r, const TokenIds &ids) { return reference(s, r, ids); };
    a.vocab = s.vocab;
    a.tokens = tokens;
    return a;
}

} // namespace

Q_DECLARE_METATYPE(ArchCase)

class TestModel : public QObject
{
    Q_OBJECT

private:
    // Writes the checkpoint, loads it, compares logits with the reference.
    void checkArchitecture(const QJsonObject &config, const Tensors &t, const QStringList &vectors,
                           const std::function<MatD(const Ref &, const TokenIds &)> &reference, int vocab,
                           int tokens = 12)
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeCheckpoint(dir.path(), config, t, vectors);
        auto model = Transformer::load(dir.path());
        QVERIFY2(model.ok(), qPrintable(model.error()));
        const TokenIds ids = randomTokens(tokens, vocab, 7);
        auto logits = (*model)->logits(ids);
        QVERIFY2(logits.ok(), qPrintable(logits.error()));
        const MatD expected = reference(Ref {t}, ids);
        QCOMPARE(logits->rows(), expected.rows());
        QCOMPARE(logits->cols(), expected.cols());
        const double diff = maxDiff(*logits, expected);
        QVERIFY2(diff < 2e-5, qPrintable(QStringLiteral("max relative logit difference %1").arg(diff)));
        // The sequence NLL path (chunked lm_head + log-softmax) agrees with the reference.
        double refNll = 0;
        for (Eigen::Index r = 0; r + 1 < expected.rows(); ++r) {
            const double mx = expected.row(r).maxCoeff();
            refNll += mx + std::log((expected.row(r).array() - mx).exp().sum())
                - expected(r, ids[size_t(r + 1)]);
        }
        auto nll = (*model)->sequenceNll(ids.data(), int(ids.size()));
        QVERIFY2(nll.ok(), qPrintable(nll.error()));
        QVERIFY2(std::abs(*nll - refNll) < 1e-4 * std::max(1.0, refNll),
                 qPrintable(QStringLiteral("nll %1 vs reference %2").arg(*nll).arg(refNll)));
    }

private slots:
    // Every architecture variant against its reference: logits and sequence NLL.
    void architecture_data()
    {
        QTest::addColumn<ArchCase>("arch");
        QTest::newRow("llama GQA untied") << archCase(LlamaSpec {}, makeLlama, refLlama);
        // A vocabulary the scoring path projects in three bands, the last one short.
        LlamaSpec bands;
        bands.vocab = 1100;
        QTest::newRow("llama, 1100-token vocabulary") << archCase(bands, makeLlama, refLlama);

        // transformers >= 5 style: rope_theta inside rope_parameters, "dtype"; head_dim * heads != hidden.
        LlamaSpec wide;
        wide.ropeParameters = true;
        wide.tied = true;
        wide.bias = true;
        wide.headDim = 12;
        wide.kvHeads = 1;
        wide.theta = 10000.0;
        QTest::newRow("llama rope_parameters tied bias wide heads") << archCase(wide, makeLlama, refLlama);

        LlamaSpec mistral;
        mistral.modelType = QStringLiteral("mistral");
        mistral.slidingWindow = 5;
        QTest::newRow("mistral sliding window") << archCase(mistral, makeLlama, refLlama, 16);

        OptSpec projected;
        projected.proj = 16; // project_in / project_out
        QTest::newRow("opt pre-LN projected") << archCase(projected, makeOpt, refOpt);

        OptSpec postLn;
        postLn.preLn = false;
        QTest::newRow("opt post-LN") << archCase(postLn, makeOpt, refOpt);

        QTest::newRow("gpt-neox parallel") << archCase(NeoXSpec {}, makeNeoX, refNeoX);

        NeoXSpec sequential;
        sequential.parallel = false;
        sequential.rotaryPct = 0.25;
        sequential.theta = 777.0;
        QTest::newRow("gpt-neox sequential quarter rotary") << archCase(sequential, makeNeoX, refNeoX);

        QTest::newRow("gpt2") << archCase(Gpt2Spec {}, makeGpt2, refGpt2);

        Gpt2Spec bare;
        bare.prefix.clear(); // the original openai-community/gpt2 files name tensors "h.0...."
        QTest::newRow("gpt2 without prefix") << archCase(bare, makeGpt2, refGpt2);
    }

    void architecture()
    {
        QFETCH(ArchCase, arch);
        checkArchitecture(arch.config, arch.tensors, arch.vectors, arch.reference, arch.vocab, arch.tokens);
    }

    // sequenceNll reduces the vocabulary band by band; sequenceScores from whole logits rows.
    // Both give each position's log-sum-exp and NLL, and a logit that overflows in a late band
    // is an error naming its position.
    void bandedScoresEqualWholeLogits()
    {
        LlamaSpec s;
        s.vocab = 1300;
        QJsonObject config;
        Tensors t;
        QStringList vectors;
        makeLlama(s, config, t, vectors);
        // Steep logits in the last band: its maximum exceeds the running one of earlier bands.
        MatrixRM &head = t[QStringLiteral("lm_head.weight")];
        head.row(1250) *= 8.0f;
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeCheckpoint(dir.path(), config, t, vectors);
        auto model = Transformer::load(dir.path());
        QVERIFY2(model.ok(), qPrintable(model.error()));
        const TokenIds ids = randomTokens(20, s.vocab, 3);
        std::vector<double> lse(ids.size() - 1), nll(ids.size() - 1);
        auto whole = (*model)->sequenceScores(ids.data(), int(ids.size()), {},
                                              [&](int i, const float *, int, double l, double n) {
                                                  lse[size_t(i)] = l;
                                                  nll[size_t(i)] = n;
                                              });
        QVERIFY2(whole.ok(), qPrintable(whole.error()));
        int seen = 0;
        auto banded = (*model)->sequenceNll(ids.data(), int(ids.size()), {}, [&](int i, double l, double n) {
            ++seen;
            QVERIFY2(
                l == lse[size_t(i)],
                qPrintable(QStringLiteral("position %1: lse %2 vs %3").arg(i).arg(l).arg(lse[size_t(i)])));
            QVERIFY(n == nll[size_t(i)]);
        });
        QVERIFY2(banded.ok(), qPrintable(banded.error()));
        QCOMPARE(seen, int(ids.size()) - 1);
        QCOMPARE(*banded, *whole);
        // And both within float rounding of the log-sum-exp of whole rows in double.
        auto logits = (*model)->logits(ids);
        QVERIFY(logits.ok());
        for (qint64 i = 0; i + 1 < qint64(ids.size()); ++i) {
            const Eigen::VectorXd row = logits->row(i).cast<double>().transpose();
            const double mx = row.maxCoeff();
            const double direct = mx + std::log((row.array() - mx).exp().sum());
            QVERIFY2(
                std::abs(direct - lse[size_t(i)]) < 1e-5 * (1 + std::abs(direct)),
                qPrintable(QStringLiteral("position %1: %2 vs %3").arg(i).arg(lse[size_t(i)]).arg(direct)));
        }

        head.row(1250).setConstant(3e37f);
        QTemporaryDir dir2;
        writeCheckpoint(dir2.path(), config, t, vectors);
        auto huge = Transformer::load(dir2.path());
        QVERIFY2(huge.ok(), qPrintable(huge.error()));
        auto bad = (*huge)->sequenceNll(ids.data(), int(ids.size()));
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().contains(QLatin1String("non-finite logits at position")),
                 qPrintable(bad.error()));
        auto badWhole = (*huge)->sequenceScores(ids.data(), int(ids.size()), {}, {});
        QVERIFY(!badWhole.ok());
        QCOMPARE(bad.error(), badWhole.error()); // the same first position
    }

    void linearNamesFollowTheCheckpoint()
    {
        Gpt2Spec s;
        QJsonObject c;
        Tensors t;
        QStringList v;
        makeGpt2(s, c, t, v);
        QTemporaryDir dir;
        writeCheckpoint(dir.path(), c, t, v);
        auto model = Transformer::load(dir.path());
        QVERIFY2(model.ok(), qPrintable(model.error()));
        QCOMPARE((*model)->linearCount(), 8);
        QCOMPARE((*model)->linearName(0), QStringLiteral("transformer.h.0.attn.c_attn.weight"));
        // Conv1D weights come back as (out, in).
        QCOMPARE((*model)->linearWeight(0).rows(), qint64(96));
        QCOMPARE((*model)->linearWeight(0).cols(), qint64(32));
        QCOMPARE((*model)->linearWeight(0).toMatrix()(5, 3),
                 t.value(QStringLiteral("transformer.h.0.attn.c_attn.weight"))(3, 5));
    }

    // ---- config parsing --------------------------------------------------------------------

    void configErrors()
    {
        auto bad
            = ModelConfig::fromJson(QJsonObject {{QStringLiteral("model_type"), QStringLiteral("bloom")}},
                                    QStringLiteral("x/config.json"));
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().contains(QStringLiteral("bloom"))
                     && bad.error().contains(QStringLiteral("llama"))
                     && bad.error().contains(QStringLiteral("gpt_neox")),
                 qPrintable(bad.error()));
        LlamaSpec s;
        QJsonObject c;
        Tensors t;
        QStringList v;
        makeLlama(s, c, t, v);
        c.remove(QStringLiteral("hidden_size"));
        auto missing = ModelConfig::fromJson(c, QStringLiteral("x/config.json"));
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error().contains(QStringLiteral("hidden_size")), qPrintable(missing.error()));
        makeLlama(s, c, t, v);
        c.insert(QStringLiteral("num_key_value_heads"), 3);
        QVERIFY(!ModelConfig::fromJson(c, QStringLiteral("x")).ok());
        makeLlama(s, c, t, v);
        c.insert(QStringLiteral("rope_scaling"),
                 QJsonObject {{QStringLiteral("rope_type"), QStringLiteral("yarn")}});
        auto yarn = ModelConfig::fromJson(c, QStringLiteral("x"));
        QVERIFY(!yarn.ok());
        QVERIFY2(yarn.error().contains(QStringLiteral("yarn")), qPrintable(yarn.error()));
    }

    void sharedConfigs()
    {
        QFile f(kShared + QStringLiteral("/models/lqs-llama-13m/config.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        auto c = ModelConfig::fromJson(QJsonDocument::fromJson(f.readAll()).object(), f.fileName());
        QVERIFY2(c.ok(), qPrintable(c.error()));
        QCOMPARE(c->ropeTheta, 10000.0); // from rope_parameters
        QCOMPARE(c->hiddenSize, 384);
        QVERIFY(c->tiedEmbeddings);
        QFile g(kShared + QStringLiteral("/models/lqs-opt-14m/config.json"));
        QVERIFY(g.open(QIODevice::ReadOnly));
        auto o = ModelConfig::fromJson(QJsonDocument::fromJson(g.readAll()).object(), g.fileName());
        QVERIFY2(o.ok(), qPrintable(o.error()));
        QCOMPARE(o->positionOffset, 2);
        QCOMPARE(o->intermediateSize, 1536);
        QCOMPARE(o->activation, Activation::Relu);
    }

    // ---- bad weights -------------------------------------------------------------------------

    void missingTensorWrongShapeNaN()
    {
        LlamaSpec s;
        QJsonObject c;
        Tensors t;
        QStringList v;
        makeLlama(s, c, t, v);
        const QString victim = QStringLiteral("model.layers.1.mlp.up_proj.weight");
        {
            Tensors m = t;
            m.remove(victim);
            QTemporaryDir dir;
            writeCheckpoint(dir.path(), c, m, v);
            auto model = Transformer::load(dir.path());
            QVERIFY(!model.ok());
            QVERIFY2(model.error().contains(victim) && model.error().contains(QStringLiteral("missing")),
                     qPrintable(model.error()));
        }
        {
            Tensors m = t;
            m[victim] = MatrixRM::Ones(s.inter + 1, s.hidden);
            QTemporaryDir dir;
            writeCheckpoint(dir.path(), c, m, v);
            auto model = Transformer::load(dir.path());
            QVERIFY(!model.ok());
            QVERIFY2(model.error().contains(victim) && model.error().contains(QStringLiteral("[49, 32]")),
                     qPrintable(model.error()));
        }
        {
            Tensors m = t;
            m[victim](3, 4) = std::nanf("");
            QTemporaryDir dir;
            writeCheckpoint(dir.path(), c, m, v);
            auto model = Transformer::load(dir.path());
            QVERIFY(!model.ok());
            QVERIFY2(model.error().contains(victim) && model.error().contains(QStringLiteral("NaN")),
                     qPrintable(model.error()));
        }
        {
            // Finite but huge weights overflow to Inf/NaN inside the forward pass: an error, not logits.
            Tensors m = t;
            m[QStringLiteral("model.layers.0.mlp.down_proj.weight")].setConstant(3e38f);
            QTemporaryDir dir;
            writeCheckpoint(dir.path(), c, m, v);
            auto model = Transformer::load(dir.path());
            QVERIFY2(model.ok(), qPrintable(model.error()));
            auto logits = (*model)->logits(randomTokens(8, s.vocab, 3));
            QVERIFY(!logits.ok());
            QVERIFY2(logits.error().contains(QStringLiteral("non-finite activation"))
                         && logits.error().contains(QStringLiteral("block 0")),
                     qPrintable(logits.error()));
        }
        {
            QTemporaryDir dir;
            writeCheckpoint(dir.path(), c, t, v);
            auto model = Transformer::load(dir.path());
            QVERIFY(model.ok());
            auto out = (*model)->logits(TokenIds {1, 2, 50});
            QVERIFY(!out.ok());
            QVERIFY2(out.error().contains(QStringLiteral("token id 50")), qPrintable(out.error()));
            QVERIFY(!(*model)->logits(TokenIds(65, 1)).ok()); // beyond max_position_embeddings
            QVERIFY(!(*model)->sequenceNll(TokenIds {1}.data(), 1).ok());
        }
    }

    // ---- llama2.c ------------------------------------------------------------------------------

    void stories260kMatchesHfCopy()
    {
        auto c = readLlama2cConfig(kShared + QStringLiteral("/models/stories260K/stories260K.bin"));
        QVERIFY2(c.ok(), qPrintable(c.error()));
        QCOMPARE(c->hiddenSize, 64);
        QCOMPARE(c->numKvHeads, 4);
        QCOMPARE(c->intermediateSize, 172);
        auto a = Transformer::load(kShared + QStringLiteral("/models/stories260K/stories260K.bin"));
        QVERIFY2(a.ok(), qPrintable(a.error()));
        auto b = Transformer::load(kShared + QStringLiteral("/models/stories260K-hf"));
        QVERIFY2(b.ok(), qPrintable(b.error()));
        TokenIds ids = randomTokens(200, 512, 11);
        ids[0] = 1;
        auto la = (*a)->logits(ids);
        auto lb = (*b)->logits(ids);
        QVERIFY2(la.ok(), qPrintable(la.error()));
        QVERIFY2(lb.ok(), qPrintable(lb.error()));
        const double diff = (*la - *lb).cwiseAbs().maxCoeff();
        const double scale = lb->cwiseAbs().maxCoeff();
        QVERIFY2(diff < 1e-4 * scale,
                 qPrintable(QStringLiteral("max logit difference %1 (scale %2)").arg(diff).arg(scale)));
    }

    void llama2cTruncatedFile()
    {
        QFile in(kShared + QStringLiteral("/models/stories260K/stories260K.bin"));
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QByteArray bytes = in.readAll();
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("cut.bin"));
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(bytes.left(bytes.size() - 100));
        out.close();
        auto m = Transformer::load(path);
        QVERIFY(!m.ok());
        QVERIFY2(m.error().contains(QStringLiteral("cut.bin")) && m.error().contains(QStringLiteral("bytes")),
                 qPrintable(m.error()));
    }
};

QTEST_GUILESS_MAIN(TestModel)
#include "test_model.moc"
