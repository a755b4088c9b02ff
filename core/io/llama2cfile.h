#pragma once

// The layout of a llama2.c checkpoint (Karpathy's run.c, legacy "version 0"): a header of seven
// int32 (dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len; a negative
// vocab_size means the classifier is not shared with the embedding), then float32 arrays in a
// fixed order. Each array of a layer is contiguous, so the file can be read like a safetensors
// file: every tensor under its Hugging Face LLaMA name (model.layers.0.self_attn.q_proj.weight,
// ...) at a fixed offset after the header.

#include "core/common/expected.h"
#include "core/io/safetensors.h"

#include <QJsonObject>

namespace lqer {

struct Llama2cHeader
{
    qint32 dim = 0, hiddenDim = 0, layers = 0, heads = 0, kvHeads = 0, vocab = 0, seqLen = 0;
    // In 64 bits: -INT_MIN does not fit an int (such a header is refused, but only after this ran).
    qint64 vocabSize() const { return vocab < 0 ? -qint64(vocab) : qint64(vocab); }
    bool sharedClassifier() const { return vocab > 0; }
};

constexpr qint64 kLlama2cHeaderBytes = 28;

struct Llama2cLayout
{
    Llama2cHeader header;
    QByteArray headerBytes; // the 28 bytes as in the file
    qint64 fileSize = 0;
    QList<TensorInfo> tensors; // F32, offsets relative to byte 28, in file order
};

// Whether `path` names a llama2.c checkpoint by its name (a file ending in .bin).
bool isLlama2cPath(const QString &path);
// The header alone; errors name the file.
Expected<Llama2cHeader> readLlama2cHeader(const QString &path);
// The header and the tensors; the file length must be what the header implies.
Expected<Llama2cLayout> readLlama2cLayout(const QString &path);
// The Hugging Face LLaMA config.json the header stands for.
QJsonObject llama2cConfigJson(const Llama2cHeader &header);
// The llama2.c tokenizer beside `modelPath` (tokenizer.bin, else tok<vocab>.bin); empty if none.
QString llama2cTokenizerBeside(const QString &modelPath, int vocabSize);

} // namespace lqer
