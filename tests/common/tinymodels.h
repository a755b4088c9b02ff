#pragma once

// Tiny random GPT-2 and GPT-NeoX checkpoints with a byte-level BPE tokenizer, for the tests that
// export them (tests/gguf) and run them in llama.cpp (tests/interop, through make_tiny_models);
// tests/model builds its GPT-NeoX configs with neoxConfig().
// The weights are random but deterministic (a seeded generator); the tokenizer's merges are
// learned from a text, so that it tokenizes real text into multi-byte pieces.

#include "core/common/expected.h"

#include <QJsonObject>
#include <QString>

namespace lqer::testing {

struct TinyModelSpec
{
    QString modelType = QStringLiteral("gpt2"); // "gpt2" or "gpt_neox"
    int hidden = 64;
    int heads = 4;
    int layers = 2;
    int inter = 256;
    int positions = 256;
    int vocab = 512; // 256 bytes, vocab - 257 merges, <|endoftext|>
    QString activation = QStringLiteral("gelu_new");
    double rotaryPct = 0.5; // GPT-NeoX
    bool parallelResidual = true; // GPT-NeoX
    unsigned seed = 7;
};

// tokenizer.json in `dir`: GPT-2's byte alphabet (ids 0..255 = the bytes), spec.vocab - 257
// merges learned from `text` (most frequent pair first), <|endoftext|> as the last id. GPT-2's
// pre-tokenizer (ByteLevel with its regex), no normalizer, no BOS.
Status writeByteLevelTokenizer(const QString &dir, const QString &text, int vocab);

// config.json of a GPT-NeoX model of `spec`'s sizes, activation, rotary share and residual
// (Hugging Face's keys; untied embeddings).
QJsonObject neoxConfig(const TinyModelSpec &spec, double ropeTheta = 10000.0, double layerNormEps = 1e-5);

// config.json, model.safetensors (float32) and the tokenizer of `text` in `dir`.
Status writeTinyModel(const QString &dir, const TinyModelSpec &spec, const QString &text);

} // namespace lqer::testing
