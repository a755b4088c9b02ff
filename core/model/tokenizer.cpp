#include "core/model/tokenizer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace lqer {

Tokenizer::~Tokenizer() = default;

Expected<std::unique_ptr<Tokenizer>> Tokenizer::fromModelFolder(const QString &folderPath)
{
    const QFileInfo folder(folderPath);
    if (!folder.isDir())
        return makeError(QStringLiteral("model folder '%1' does not exist").arg(folderPath));
    const QString json = QDir(folderPath).filePath(QStringLiteral("tokenizer.json"));
    if (!QFileInfo::exists(json))
        return makeError(
            QStringLiteral("model folder '%1' has no tokenizer.json (a llama2.c tokenizer.bin is opened "
                           "with its own path)")
                .arg(folderPath));
    return fromHuggingFace(json);
}

Expected<QString> readTextCorpus(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return makeError(QStringLiteral("text file '%1' does not exist").arg(path));
    if (!file.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("cannot open text file '%1': %2").arg(path, file.errorString()));
    QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return makeError(QStringLiteral("cannot read text file '%1': %2").arg(path, file.errorString()));
    if (bytes.startsWith("\xEF\xBB\xBF"))
        bytes.remove(0, 3);
    // Universal newlines, as Python's text mode: "\r\n" -> "\n", then a lone "\r" -> "\n".
    bytes.replace("\r\n", "\n");
    bytes.replace('\r', '\n');
    return QString::fromUtf8(bytes);
}

} // namespace lqer
