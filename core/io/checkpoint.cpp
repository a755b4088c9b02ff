#include "checkpoint.h"

#include "gptq.h"
#include "llama2cfile.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>

namespace lqer {

namespace {

Expected<QJsonObject> readJsonObject(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(
            QStringLiteral("%1: cannot open: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError)
        return makeError(QStringLiteral("%1: malformed JSON at offset %2: %3")
                             .arg(QDir::toNativeSeparators(path))
                             .arg(error.offset)
                             .arg(error.errorString()));
    if (!doc.isObject())
        return makeError(QStringLiteral("%1: expected a JSON object").arg(QDir::toNativeSeparators(path)));
    return doc.object();
}

} // namespace

Expected<std::shared_ptr<Checkpoint>> Checkpoint::open(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return makeError(QStringLiteral("%1: no such file or folder").arg(QDir::toNativeSeparators(path)));

    std::shared_ptr<Checkpoint> ckpt(new Checkpoint);
    if (isLlama2cPath(path)) {
        auto layout = readLlama2cLayout(path);
        if (!layout)
            return makeError(layout.error());
        ckpt->mLlama2c = true;
        ckpt->mLlama2cFile = info.absoluteFilePath();
        ckpt->mDirectory = info.absolutePath();
        ckpt->mConfig = llama2cConfigJson(layout->header);
        ckpt->mShards << SafetensorsFile::fromLayout(
            ckpt->mLlama2cFile, layout->fileSize, kLlama2cHeaderBytes, layout->headerBytes, layout->tensors);
        for (const TensorInfo &t : layout->tensors) {
            ckpt->mShardOfName.insert(t.name, 0);
            ckpt->mNames << t.name;
        }
        return ckpt;
    }
    QStringList shardFiles;
    if (info.isFile()) {
        ckpt->mDirectory = info.absolutePath();
        shardFiles << info.absoluteFilePath();
    } else {
        const QDir dir(info.absoluteFilePath());
        ckpt->mDirectory = dir.absolutePath();
        const QString configPath = dir.filePath(QStringLiteral("config.json"));
        if (QFileInfo::exists(configPath)) {
            Expected<QJsonObject> config = readJsonObject(configPath);
            if (!config)
                return Error {config.error()};
            ckpt->mConfig = *config;
        }
        const QString indexPath = dir.filePath(QStringLiteral("model.safetensors.index.json"));
        const QString singlePath = dir.filePath(QStringLiteral("model.safetensors"));
        if (QFileInfo::exists(indexPath)) {
            Expected<QJsonObject> index = readJsonObject(indexPath);
            if (!index)
                return Error {index.error()};
            const QJsonObject map = index->value(QStringLiteral("weight_map")).toObject();
            if (map.isEmpty())
                return makeError(
                    QStringLiteral("%1: no weight_map").arg(QDir::toNativeSeparators(indexPath)));
            for (auto it = map.begin(); it != map.end(); ++it) {
                const QString file = it.value().toString();
                if (file.isEmpty() || file.contains(QLatin1Char('/')) || file.contains(QLatin1Char('\\')))
                    return makeError(QStringLiteral("%1: tensor '%2' maps to an invalid shard name '%3'")
                                         .arg(QDir::toNativeSeparators(indexPath), it.key(), file));
                const QString full = dir.filePath(file);
                if (!shardFiles.contains(full))
                    shardFiles << full;
            }
            shardFiles.sort();
        } else if (QFileInfo::exists(singlePath)) {
            shardFiles << singlePath;
        } else {
            const QStringList found
                = dir.entryList({QStringLiteral("*.safetensors")}, QDir::Files, QDir::Name);
            for (const QString &f : found)
                shardFiles << dir.filePath(f);
        }
        if (shardFiles.isEmpty())
            return makeError(QStringLiteral("%1: no safetensors weights (model.safetensors or "
                                            "model.safetensors.index.json) in this folder")
                                 .arg(QDir::toNativeSeparators(ckpt->mDirectory)));
    }

    for (const QString &file : shardFiles) {
        Expected<std::shared_ptr<SafetensorsFile>> shard = SafetensorsFile::open(file);
        if (!shard)
            return Error {shard.error()};
        const int shardIndex = int(ckpt->mShards.size());
        for (const TensorInfo &t : (*shard)->tensors()) {
            if (ckpt->mShardOfName.contains(t.name))
                return makeError(QStringLiteral("%1: tensor '%2' also appears in another shard")
                                     .arg(QDir::toNativeSeparators(file), t.name));
            ckpt->mShardOfName.insert(t.name, shardIndex);
            ckpt->mNames << t.name;
        }
        ckpt->mShards.append(*shard);
    }
    // GPTQ-packed linears (gptq.h) are presented dequantized, under their .weight names.
    if (isGptqConfig(ckpt->mConfig))
        return openGptqCheckpoint(ckpt->mDirectory, ckpt->mConfig, ckpt->mShards);
    return ckpt;
}

std::shared_ptr<Checkpoint> Checkpoint::fromTensors(const QString &directory, const QJsonObject &config,
                                                    CheckpointTensors tensors)
{
    std::shared_ptr<Checkpoint> ckpt(new Checkpoint);
    ckpt->mDirectory = QFileInfo(directory).absoluteFilePath();
    ckpt->mConfig = config;
    for (int i = 0; i < tensors.tensors.size(); ++i) {
        TensorInfo &t = tensors.tensors[i];
        t.dtype = DType::F32;
        t.begin = 0;
        t.end = 4 * t.elementCount();
        ckpt->mNames << t.name;
        ckpt->mDecodedIndex.insert(t.name, i);
    }
    ckpt->mDecoded = std::make_shared<const CheckpointTensors>(std::move(tensors));
    return ckpt;
}

QString Checkpoint::tokenizerPath() const
{
    if (mLlama2c)
        return llama2cTokenizerBeside(mLlama2cFile, mConfig.value(QStringLiteral("vocab_size")).toInt());
    const QString path = QDir(mDirectory).filePath(QStringLiteral("tokenizer.json"));
    return QFileInfo::exists(path) ? path : QString();
}

const TensorInfo *Checkpoint::find(const QString &name) const
{
    if (mDecoded) {
        const auto it = mDecodedIndex.constFind(name);
        return it == mDecodedIndex.constEnd() ? nullptr : &mDecoded->tensors.at(*it);
    }
    const auto it = mShardOfName.constFind(name);
    return it == mShardOfName.constEnd() ? nullptr : mShards.at(*it)->find(name);
}

std::shared_ptr<SafetensorsFile> Checkpoint::shardOf(const QString &name) const
{
    const auto it = mShardOfName.constFind(name);
    return it == mShardOfName.constEnd() ? nullptr : mShards.at(*it);
}

Expected<std::vector<float>> Checkpoint::readFloats(const QString &name) const
{
    if (mDecoded) {
        Expected<MatrixRM> m = readMatrix(name);
        if (!m)
            return Error {m.error()};
        return std::vector<float>(m->data(), m->data() + m->size());
    }
    const std::shared_ptr<SafetensorsFile> shard = shardOf(name);
    if (!shard)
        return makeError(QStringLiteral("%1: checkpoint has no tensor '%2'")
                             .arg(QDir::toNativeSeparators(mDirectory), name));
    return shard->readFloats(name);
}

Status Checkpoint::readFloatsInto(const QString &name, float *out, qint64 count) const
{
    if (mDecoded) {
        auto m = readMatrix(name);
        if (!m)
            return Error {m.error()};
        if (m->size() != count)
            return makeError(QStringLiteral("%1: tensor '%2' has %3 elements, expected %4")
                                 .arg(QDir::toNativeSeparators(mDecoded->file), name)
                                 .arg(m->size())
                                 .arg(count));
        std::copy(m->data(), m->data() + count, out);
        return Status::success();
    }
    const std::shared_ptr<SafetensorsFile> shard = shardOf(name);
    if (!shard)
        return makeError(QStringLiteral("%1: checkpoint has no tensor '%2'")
                             .arg(QDir::toNativeSeparators(mDirectory), name));
    return shard->readFloatsInto(name, out, count);
}

Expected<MatrixRM> Checkpoint::readMatrix(const QString &name) const
{
    if (mDecoded) {
        const TensorInfo *info = find(name);
        if (!info)
            return makeError(
                QStringLiteral("%1: no tensor '%2'").arg(QDir::toNativeSeparators(mDecoded->file), name));
        return mDecoded->read(*info);
    }
    const std::shared_ptr<SafetensorsFile> shard = shardOf(name);
    if (!shard)
        return makeError(QStringLiteral("%1: checkpoint has no tensor '%2'")
                             .arg(QDir::toNativeSeparators(mDirectory), name));
    return shard->readMatrix(name);
}

qint64 Checkpoint::parameterCount() const
{
    qint64 n = 0;
    if (mDecoded)
        for (const TensorInfo &t : mDecoded->tensors)
            n += t.elementCount();
    for (const auto &shard : mShards)
        for (const TensorInfo &t : shard->tensors())
            n += t.elementCount();
    return n;
}

qint64 Checkpoint::totalFileBytes() const
{
    qint64 n = mDecoded ? QFileInfo(mDecoded->file).size() : 0;
    for (const auto &shard : mShards)
        n += shard->fileSize();
    return n;
}

QString Checkpoint::fingerprint() const
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (mDecoded) {
        hash.addData(QFileInfo(mDecoded->file).fileName().toUtf8());
        hash.addData(QByteArray::number(QFileInfo(mDecoded->file).size()));
        hash.addData(mDecoded->identity);
    }
    for (const auto &shard : mShards) {
        hash.addData(QFileInfo(shard->path()).fileName().toUtf8());
        hash.addData(QByteArray::number(shard->fileSize()));
        hash.addData(shard->headerJson());
    }
    return QString::fromLatin1(hash.result().toHex());
}

} // namespace lqer
