#pragma once

// Synthetic checkpoints of real models' shapes: a Hugging Face folder (config.json, fp16 or
// bf16 safetensors in shards with their index, tokenizer.json) whose weights are random but
// real bytes, with a few heavy input channels in every linear as trained LLM weights have.
// For benchmarks at 7B scale and for workshops ("a 7B-shaped layer without downloading one").
//
// The weights of a tensor depend only on the seed and the tensor's name (and the row chunk),
// never on the thread count: the same command writes the same bytes.

#include "core/common/expected.h"
#include "core/common/progress.h"
#include "core/io/safetensors.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace lqer {

struct SynthShape
{
    QString name; // "llama-7b"
    QString modelType; // config.json model_type: llama, mistral, opt
    qint64 hidden = 0, intermediate = 0, vocab = 0, maxPositions = 0;
    int layers = 0, heads = 0, kvHeads = 0;
    double ropeTheta = 10000;
    int slidingWindow = 0; // mistral
    bool tieEmbeddings = false;
};

// The shapes `lqer synth --shape` knows (LLaMA-2 7B/13B, Mistral-7B v0.1, OPT-1.3B/6.7B).
QList<SynthShape> synthShapes();
// One of them by name; an error lists the known names.
Expected<SynthShape> synthShape(const QString &name);

struct SynthOptions
{
    SynthShape shape;
    QString outputDir; // created; must not exist or be empty
    quint64 seed = 1;
    DType dtype = DType::F16; // F16, BF16 or F32
    qint64 shardBytes = 5'000'000'000; // Hugging Face's default of 5 GB per shard
    QString tokenizerJson; // copied when given (its vocabulary must fit the shape's); else a
                           // byte-level BPE vocabulary of the 256 bytes and three special tokens
    int threads = 0; // 0: all cores
};

struct SynthTensor
{
    QString name;
    QList<qint64> shape; // (out, in) for linears
    enum class Kind { Linear, Embedding, NormWeight, Bias } kind = Kind::Linear;
};

// The tensors of the shape's checkpoint, in file order.
QList<SynthTensor> synthTensors(const SynthShape &shape);
QJsonObject synthConfig(const SynthShape &shape, DType dtype);
// Σ elements of synthTensors().
qint64 synthParameterCount(const SynthShape &shape);

struct SynthReport
{
    qint64 parameters = 0;
    qint64 bytes = 0; // of every file written
    QStringList files;
};

// Writes the folder; memory stays at a few row chunks per thread whatever the model's size. On
// failure or cancel (`progress` returning false) the files written so far are removed and the
// error names the path.
Expected<SynthReport> writeSynthCheckpoint(const SynthOptions &options, const ProgressFn &progress = {});

// The byte-level tokenizer.json written without --tokenizer.
QByteArray synthByteLevelTokenizer();

} // namespace lqer
