#pragma once

// A Hugging Face checkpoint folder: config.json, one model.safetensors or shards listed in
// model.safetensors.index.json, tokenizer files. Or a llama2.c checkpoint file (*.bin): its
// header stands for config.json, its arrays are tensors with Hugging Face LLaMA names, and its
// tokenizer is the tokenizer.bin / tok<vocab>.bin beside it. Opening reads headers only.
// A checkpoint can also present tensors stored in another container (a GGUF model,
// core/export/ggufmodel.h) under their Hugging Face names, decoded to float32 when read; it has
// no safetensors shards then. A folder whose config.json declares GPTQ weights is opened so:
// its 4-bit linears read as dequantized .weight tensors (gptq.h).

#include "core/io/safetensors.h"

#include <QJsonObject>
#include <QStringList>

#include <functional>

namespace lqer {

// The tensors of a checkpoint that is not made of safetensors files.
struct CheckpointTensors
{
    QString file; // the container, for messages and the fingerprint
    QList<TensorInfo> tensors; // in file order; dtype F32, shape as the engine sees it
    // Decodes one tensor (a row-major matrix; a vector as one row). Called from any thread.
    std::function<Expected<MatrixRM>(const TensorInfo &)> read;
    QByteArray identity; // what the fingerprint hashes besides the file's name and size
};

class Checkpoint
{
public:
    // `path` is a folder, a single .safetensors file (then there is no config) or a llama2.c
    // .bin file.
    static Expected<std::shared_ptr<Checkpoint>> open(const QString &path);
    // A checkpoint over `tensors`, with `config` as its config.json; `directory` is where its
    // tokenizer files are looked for.
    static std::shared_ptr<Checkpoint> fromTensors(const QString &directory, const QJsonObject &config,
                                                   CheckpointTensors tensors);
    // True for fromTensors() checkpoints: no shards, the tensors are decoded when read.
    bool isDecoded() const { return mDecoded != nullptr; }

    const QString &directory() const { return mDirectory; }
    // What reopens the model: the llama2.c file, else the folder.
    QString modelPath() const { return mLlama2c ? mLlama2cFile : mDirectory; }
    bool isLlama2c() const { return mLlama2c; }
    bool hasConfig() const { return !mConfig.isEmpty(); }
    const QJsonObject &config() const { return mConfig; }
    QString modelType() const { return mConfig.value(QStringLiteral("model_type")).toString(); }
    // tokenizer.json if present (llama2.c: its tokenizer.bin or tok<vocab>.bin), else empty.
    QString tokenizerPath() const;

    QStringList tensorNames() const { return mNames; } // in file order
    const TensorInfo *find(const QString &name) const;
    // Null for a tensor of a decoded checkpoint (isDecoded()): it has no shards.
    std::shared_ptr<SafetensorsFile> shardOf(const QString &name) const;
    const QList<std::shared_ptr<SafetensorsFile>> &shards() const { return mShards; }

    Expected<std::vector<float>> readFloats(const QString &name) const;
    Expected<MatrixRM> readMatrix(const QString &name) const;
    // The tensor's `count` elements as float32 into `out` (an error unless that is its size).
    Status readFloatsInto(const QString &name, float *out, qint64 count) const;

    qint64 parameterCount() const;
    qint64 totalFileBytes() const;
    // Cheap content fingerprint: SHA-256 over each shard's name, size and header bytes.
    QString fingerprint() const;

private:
    Checkpoint() = default;

    QString mDirectory;
    bool mLlama2c = false;
    QString mLlama2cFile;
    QJsonObject mConfig;
    QList<std::shared_ptr<SafetensorsFile>> mShards;
    QStringList mNames;
    QMap<QString, int> mShardOfName;
    std::shared_ptr<const CheckpointTensors> mDecoded;
    QMap<QString, int> mDecodedIndex;
};

} // namespace lqer
