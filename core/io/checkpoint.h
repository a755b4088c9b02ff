#pragma once

// A Hugging Face checkpoint folder: config.json, one model.safetensors or shards listed in
// model.safetensors.index.json, tokenizer files. Or a llama2.c checkpoint file (*.bin): its
// header stands for config.json, its arrays are tensors with Hugging Face LLaMA names, and its
// tokenizer is the tokenizer.bin / tok<vocab>.bin beside it. Opening reads headers only.

#include "core/io/safetensors.h"

#include <QJsonObject>
#include <QStringList>

namespace lqer {

class Checkpoint
{
public:
    // `path` is a folder, a single .safetensors file (then there is no config) or a llama2.c
    // .bin file.
    static Expected<std::shared_ptr<Checkpoint>> open(const QString &path);

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
    bool mLlama2c = false;
    QString mLlama2cFile;
    QJsonObject mConfig;
    QList<std::shared_ptr<SafetensorsFile>> mShards;
    QStringList mNames;
    QMap<QString, int> mShardOfName;
};

} // namespace lqer
