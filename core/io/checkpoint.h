#pragma once

// A Hugging Face checkpoint folder: config.json, one model.safetensors or shards listed in
// model.safetensors.index.json, tokenizer files. Opening reads headers only.
// A checkpoint can also present tensors stored in another container (a GGUF model,
// core/export/ggufmodel.h) under their Hugging Face names, decoded to float32 when read; it has
// no safetensors shards then.

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
    // `path` is a folder, or a single .safetensors file (then there is no config).
    static Expected<std::shared_ptr<Checkpoint>> open(const QString &path);
    // A checkpoint over `tensors`, with `config` as its config.json; `directory` is where its
    // tokenizer files are looked for.
    static std::shared_ptr<Checkpoint> fromTensors(const QString &directory, const QJsonObject &config,
                                                   CheckpointTensors tensors);
    // True for fromTensors() checkpoints: no shards, the tensors are decoded when read.
    bool isDecoded() const { return mDecoded != nullptr; }

    const QString &directory() const { return mDirectory; }
    bool hasConfig() const { return !mConfig.isEmpty(); }
    const QJsonObject &config() const { return mConfig; }
    QString modelType() const { return mConfig.value(QStringLiteral("model_type")).toString(); }
    QString tokenizerPath() const; // tokenizer.json if present, else empty

    QStringList tensorNames() const { return mNames; } // in file order
    const TensorInfo *find(const QString &name) const;
    // Null for a tensor of a decoded checkpoint (isDecoded()): it has no shards.
    std::shared_ptr<SafetensorsFile> shardOf(const QString &name) const;
    const QList<std::shared_ptr<SafetensorsFile>> &shards() const { return mShards; }

    Expected<std::vector<float>> readFloats(const QString &name) const;
    Expected<MatrixRM> readMatrix(const QString &name) const;

    qint64 parameterCount() const;
    qint64 totalFileBytes() const;
    // Cheap content fingerprint: SHA-256 over each shard's name, size and header bytes.
    QString fingerprint() const;

private:
    Checkpoint() = default;

    QString mDirectory;
    QJsonObject mConfig;
    QList<std::shared_ptr<SafetensorsFile>> mShards;
    QStringList mNames;
    QMap<QString, int> mShardOfName;
    std::shared_ptr<const CheckpointTensors> mDecoded;
    QMap<QString, int> mDecodedIndex;
};

} // namespace lqer
