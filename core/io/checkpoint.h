#pragma once

// A Hugging Face checkpoint folder: config.json, one model.safetensors or shards listed in
// model.safetensors.index.json, tokenizer files. Opening reads headers only.

#include "core/io/safetensors.h"

#include <QJsonObject>
#include <QStringList>

namespace lqer {

class Checkpoint
{
public:
    // `path` is a folder, or a single .safetensors file (then there is no config).
    static Expected<std::shared_ptr<Checkpoint>> open(const QString &path);

    const QString &directory() const { return mDirectory; }
    bool hasConfig() const { return !mConfig.isEmpty(); }
    const QJsonObject &config() const { return mConfig; }
    QString modelType() const { return mConfig.value(QStringLiteral("model_type")).toString(); }
    QString tokenizerPath() const; // tokenizer.json if present, else empty

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
    QJsonObject mConfig;
    QList<std::shared_ptr<SafetensorsFile>> mShards;
    QStringList mNames;
    QMap<QString, int> mShardOfName;
};

} // namespace lqer
