#include "core/model/tokenizer.h"

#include "core/io/checkpoint.h"
#include "core/io/llama2cfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace lqer {

Tokenizer::~Tokenizer() = default;

Expected<std::unique_ptr<Tokenizer>> Tokenizer::forCheckpoint(const Checkpoint &checkpoint)
{
    if (!checkpoint.isLlama2c())
        return fromModelFolder(checkpoint.directory());
    const int vocab = checkpoint.config().value(QStringLiteral("vocab_size")).toInt();
    const QString path = checkpoint.tokenizerPath();
    if (path.isEmpty())
        return makeError(QStringLiteral("%1: no tokenizer.bin or tok%2.bin beside the model")
                             .arg(QDir::toNativeSeparators(checkpoint.modelPath()))
                             .arg(vocab));
    return fromLlama2c(path, vocab);
}

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

namespace {

// The offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF), or -1 when all of it is.
qsizetype firstInvalidUtf8(const QByteArray &bytes)
{
    const auto *s = reinterpret_cast<const unsigned char *>(bytes.constData());
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        int extra = 0;
        unsigned char lo = 0x80, hi = 0xBF; // the allowed range of the second byte
        if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            lo = c == 0xE0 ? 0xA0 : 0x80;
            hi = c == 0xED ? 0x9F : 0xBF;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            lo = c == 0xF0 ? 0x90 : 0x80;
            hi = c == 0xF4 ? 0x8F : 0xBF;
        } else {
            return i;
        }
        if (i + extra >= n || s[i + 1] < lo || s[i + 1] > hi)
            return i;
        for (int k = 2; k <= extra; ++k)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                return i;
        i += extra + 1;
    }
    return -1;
}

} // namespace

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
    // Never guess: a text in another encoding would be scored on replacement characters.
    if (const qsizetype bad = firstInvalidUtf8(bytes); bad >= 0)
        return makeError(QStringLiteral("%1: not UTF-8: invalid byte 0x%2 at byte %3 (line %4); convert the "
                                        "text to UTF-8")
                             .arg(path)
                             .arg(uchar(bytes.at(bad)), 2, 16, QLatin1Char('0'))
                             .arg(bad)
                             .arg(bytes.left(bad).count('\n') + 1));
    if (bytes.startsWith("\xEF\xBB\xBF"))
        bytes.remove(0, 3);
    // Universal newlines, as Python's text mode: "\r\n" -> "\n", then a lone "\r" -> "\n".
    bytes.replace("\r\n", "\n");
    bytes.replace('\r', '\n');
    return QString::fromUtf8(bytes);
}

} // namespace lqer
