#include "tinymodels.h"

#include "core/io/safetensors.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <vector>

namespace lqer::testing {

namespace {

// GPT-2's bytes_to_unicode(): printable bytes map to themselves, the others to 256 + n.
std::vector<QString> byteAlphabet()
{
    std::vector<QString> map(256);
    int n = 0;
    for (int b = 0; b < 256; ++b) {
        const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
        map[size_t(b)] = QString(QChar(printable ? b : 256 + n++));
    }
    return map;
}

Status writeJson(const QString &path, const QJsonObject &o)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(o).toJson()) < 0)
        return makeError(QStringLiteral("%1: cannot write").arg(path));
    return {};
}

} // namespace

Status writeByteLevelTokenizer(const QString &dir, const QString &text, int vocab)
{
    const std::vector<QString> bytes = byteAlphabet();
    std::vector<QString> pieces(bytes);
    // Words as GPT-2's regex roughly splits them (a leading space joins the word), counted.
    static const QRegularExpression word(QStringLiteral(R"( ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+)"));
    std::map<std::vector<int>, qint64> words;
    for (auto it = word.globalMatch(text.left(200000)); it.hasNext();) {
        const QByteArray utf8 = it.next().captured(0).toUtf8();
        std::vector<int> ids;
        for (char c : utf8)
            ids.push_back(uchar(c));
        ++words[ids];
    }
    QJsonArray merges;
    const int mergeCount = vocab - 257;
    for (int m = 0; m < mergeCount; ++m) {
        std::map<std::pair<int, int>, qint64> pairs;
        for (const auto &[ids, count] : words)
            for (size_t i = 0; i + 1 < ids.size(); ++i)
                pairs[{ids[i], ids[i + 1]}] += count;
        if (pairs.empty())
            return makeError(QStringLiteral("the text has too few pairs for %1 merges").arg(mergeCount));
        auto best = pairs.begin(); // ties: the smallest pair (std::map order)
        for (auto it = pairs.begin(); it != pairs.end(); ++it)
            if (it->second > best->second)
                best = it;
        const auto [a, b] = best->first;
        const int id = int(pieces.size());
        pieces.push_back(pieces[size_t(a)] + pieces[size_t(b)]);
        merges.append(pieces[size_t(a)] + QLatin1Char(' ') + pieces[size_t(b)]);
        std::map<std::vector<int>, qint64> merged;
        for (const auto &[ids, count] : words) {
            std::vector<int> out;
            for (size_t i = 0; i < ids.size(); ++i) {
                if (i + 1 < ids.size() && ids[i] == a && ids[i + 1] == b) {
                    out.push_back(id);
                    ++i;
                } else {
                    out.push_back(ids[i]);
                }
            }
            merged[out] += count;
        }
        words.swap(merged);
    }
    QJsonObject vocabJson;
    for (size_t i = 0; i < pieces.size(); ++i)
        vocabJson.insert(pieces[i], int(i));
    const int eot = int(pieces.size());
    vocabJson.insert(QStringLiteral("<|endoftext|>"), eot);
    const QJsonObject byteLevel {{QStringLiteral("type"), QStringLiteral("ByteLevel")},
                                 {QStringLiteral("add_prefix_space"), false},
                                 {QStringLiteral("trim_offsets"), true},
                                 {QStringLiteral("use_regex"), true}};
    const QJsonObject tokenizer {
        {QStringLiteral("version"), QStringLiteral("1.0")},
        {QStringLiteral("truncation"), QJsonValue()},
        {QStringLiteral("padding"), QJsonValue()},
        {QStringLiteral("added_tokens"),
         QJsonArray {QJsonObject {{QStringLiteral("id"), eot},
                                  {QStringLiteral("content"), QStringLiteral("<|endoftext|>")},
                                  {QStringLiteral("single_word"), false},
                                  {QStringLiteral("lstrip"), false},
                                  {QStringLiteral("rstrip"), false},
                                  {QStringLiteral("normalized"), true},
                                  {QStringLiteral("special"), true}}}},
        {QStringLiteral("normalizer"), QJsonValue()},
        {QStringLiteral("pre_tokenizer"), byteLevel},
        {QStringLiteral("post_processor"), byteLevel},
        {QStringLiteral("decoder"), byteLevel},
        {QStringLiteral("model"),
         QJsonObject {{QStringLiteral("type"), QStringLiteral("BPE")},
                      {QStringLiteral("dropout"), QJsonValue()},
                      {QStringLiteral("unk_token"), QJsonValue()},
                      {QStringLiteral("continuing_subword_prefix"), QStringLiteral("")},
                      {QStringLiteral("end_of_word_suffix"), QStringLiteral("")},
                      {QStringLiteral("fuse_unk"), false},
                      {QStringLiteral("byte_fallback"), false},
                      {QStringLiteral("vocab"), vocabJson},
                      {QStringLiteral("merges"), merges}}}};
    return writeJson(QDir(dir).filePath(QStringLiteral("tokenizer.json")), tokenizer);
}

QJsonObject neoxConfig(const TinyModelSpec &s, double ropeTheta, double layerNormEps)
{
    return QJsonObject {{QStringLiteral("model_type"), QStringLiteral("gpt_neox")},
                        {QStringLiteral("architectures"), QJsonArray {QStringLiteral("GPTNeoXForCausalLM")}},
                        {QStringLiteral("hidden_size"), s.hidden},
                        {QStringLiteral("intermediate_size"), s.inter},
                        {QStringLiteral("num_hidden_layers"), s.layers},
                        {QStringLiteral("num_attention_heads"), s.heads},
                        {QStringLiteral("vocab_size"), s.vocab},
                        {QStringLiteral("max_position_embeddings"), s.positions},
                        {QStringLiteral("rotary_pct"), s.rotaryPct},
                        {QStringLiteral("rotary_emb_base"), ropeTheta},
                        {QStringLiteral("layer_norm_eps"), layerNormEps},
                        {QStringLiteral("hidden_act"), s.activation},
                        {QStringLiteral("use_parallel_residual"), s.parallelResidual},
                        {QStringLiteral("tie_word_embeddings"), false}};
}

Status writeTinyModel(const QString &dir, const TinyModelSpec &s, const QString &text)
{
    if (!QDir().mkpath(dir))
        return makeError(QStringLiteral("%1: cannot create").arg(dir));
    std::mt19937 gen(s.seed);
    SafetensorsWriter w;
    auto add = [&](const QString &name, qint64 rows, qint64 cols, double sigma, double mean = 0.0) {
        std::normal_distribution<float> d {float(mean), float(sigma)};
        std::vector<float> v(size_t(std::max<qint64>(rows, 1) * cols));
        for (float &x : v)
            x = d(gen);
        w.addFloatTensor(name, v.data(), rows == 0 ? QList<qint64> {cols} : QList<qint64> {rows, cols},
                         DType::F32);
    };
    auto norm = [&](const QString &stem) {
        add(stem + QStringLiteral(".weight"), 0, s.hidden, 0.1, 1.0);
        add(stem + QStringLiteral(".bias"), 0, s.hidden, 0.1);
    };
    const double a = 1.0 / std::sqrt(double(s.hidden));
    const int eot = s.vocab - 1;
    QJsonObject config;
    if (s.modelType == QLatin1String("gpt2")) {
        config
            = QJsonObject {{QStringLiteral("model_type"), QStringLiteral("gpt2")},
                           {QStringLiteral("architectures"), QJsonArray {QStringLiteral("GPT2LMHeadModel")}},
                           {QStringLiteral("n_embd"), s.hidden},
                           {QStringLiteral("n_layer"), s.layers},
                           {QStringLiteral("n_head"), s.heads},
                           {QStringLiteral("n_inner"), s.inter},
                           {QStringLiteral("n_positions"), s.positions},
                           {QStringLiteral("n_ctx"), s.positions},
                           {QStringLiteral("vocab_size"), s.vocab},
                           {QStringLiteral("activation_function"), s.activation},
                           {QStringLiteral("layer_norm_epsilon"), 1e-5},
                           {QStringLiteral("bos_token_id"), eot},
                           {QStringLiteral("eos_token_id"), eot},
                           {QStringLiteral("torch_dtype"), QStringLiteral("float32")}};
        add(QStringLiteral("transformer.wte.weight"), s.vocab, s.hidden, 0.3);
        add(QStringLiteral("transformer.wpe.weight"), s.positions, s.hidden, 0.1);
        for (int l = 0; l < s.layers; ++l) {
            const QString p = QStringLiteral("transformer.h.%1.").arg(l);
            norm(p + QStringLiteral("ln_1"));
            // Conv1D weights are stored (in, out).
            add(p + QStringLiteral("attn.c_attn.weight"), s.hidden, 3 * s.hidden, 2 * a);
            add(p + QStringLiteral("attn.c_attn.bias"), 0, 3 * s.hidden, 0.1);
            add(p + QStringLiteral("attn.c_proj.weight"), s.hidden, s.hidden, a);
            add(p + QStringLiteral("attn.c_proj.bias"), 0, s.hidden, 0.1);
            norm(p + QStringLiteral("ln_2"));
            add(p + QStringLiteral("mlp.c_fc.weight"), s.hidden, s.inter, 2 * a);
            add(p + QStringLiteral("mlp.c_fc.bias"), 0, s.inter, 0.1);
            add(p + QStringLiteral("mlp.c_proj.weight"), s.inter, s.hidden, 1.0 / std::sqrt(double(s.inter)));
            add(p + QStringLiteral("mlp.c_proj.bias"), 0, s.hidden, 0.1);
        }
        norm(QStringLiteral("transformer.ln_f"));
    } else if (s.modelType == QLatin1String("gpt_neox")) {
        config = neoxConfig(s);
        config.insert(QStringLiteral("bos_token_id"), eot);
        config.insert(QStringLiteral("eos_token_id"), eot);
        config.insert(QStringLiteral("torch_dtype"), QStringLiteral("float32"));
        add(QStringLiteral("gpt_neox.embed_in.weight"), s.vocab, s.hidden, 1.0);
        for (int l = 0; l < s.layers; ++l) {
            const QString p = QStringLiteral("gpt_neox.layers.%1.").arg(l);
            norm(p + QStringLiteral("input_layernorm"));
            norm(p + QStringLiteral("post_attention_layernorm"));
            add(p + QStringLiteral("attention.query_key_value.weight"), 3 * s.hidden, s.hidden, 2 * a);
            add(p + QStringLiteral("attention.query_key_value.bias"), 0, 3 * s.hidden, 0.1);
            add(p + QStringLiteral("attention.dense.weight"), s.hidden, s.hidden, a);
            add(p + QStringLiteral("attention.dense.bias"), 0, s.hidden, 0.1);
            add(p + QStringLiteral("mlp.dense_h_to_4h.weight"), s.inter, s.hidden, 2 * a);
            add(p + QStringLiteral("mlp.dense_h_to_4h.bias"), 0, s.inter, 0.1);
            add(p + QStringLiteral("mlp.dense_4h_to_h.weight"), s.hidden, s.inter,
                1.0 / std::sqrt(double(s.inter)));
            add(p + QStringLiteral("mlp.dense_4h_to_h.bias"), 0, s.hidden, 0.1);
        }
        norm(QStringLiteral("gpt_neox.final_layer_norm"));
        add(QStringLiteral("embed_out.weight"), s.vocab, s.hidden, 0.3);
    } else {
        return makeError(QStringLiteral("tiny model: unknown model_type '%1'").arg(s.modelType));
    }
    if (Status st = w.write(QDir(dir).filePath(QStringLiteral("model.safetensors"))); !st)
        return st;
    if (Status st = writeJson(QDir(dir).filePath(QStringLiteral("config.json")), config); !st)
        return st;
    return writeByteLevelTokenizer(dir, text, s.vocab);
}

} // namespace lqer::testing
