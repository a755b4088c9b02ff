// llama2.c's tokenizer.bin (stories260K's tok512.bin): int32 max_token_length, then for each
// token float32 score, int32 length, bytes. Encoding and decoding follow llama2.c's run.c
// (`encode`, `decode`) step for step so that the reference generations (GOLDEN.md) reproduce.

#include "core/model/bpemerge.h"
#include "core/model/tokenizer.h"

#include <QFile>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

namespace lqer {

namespace {

// llama2.c's fixed ids of the SentencePiece specials.
constexpr int kUnkId = 0;
constexpr int kBosId = 1;
constexpr int kEosId = 2;
// Tokens 3..258 are <0x00>..<0xFF>: a byte b that is no token falls back to b + 3.
constexpr int kByteOffset = 3;

class Llama2cTokenizer final : public Tokenizer
{
public:
    std::vector<int> encode(const QString &text, bool addSpecial) const override;
    QString decode(const std::vector<int> &ids) const override;
    QString tokenText(int id) const override
    {
        if (id < 0 || id >= vocabSize())
            return QString();
        const std::string &p = mPieces[size_t(id)];
        return QString::fromUtf8(p.data(), qsizetype(p.size()));
    }
    int vocabSize() const override { return int(mPieces.size()); }
    int bosId() const override { return kBosId < vocabSize() ? kBosId : -1; }
    int eosId() const override { return kEosId < vocabSize() ? kEosId : -1; }
    QString kind() const override { return QStringLiteral("llama2.c"); }

    Status load(const QString &path, int vocabSize);

private:
    int lookup(const std::string &piece) const
    {
        const auto it = mIds.find(piece);
        return it == mIds.end() ? -1 : it->second;
    }

    void mergeGreedy(std::vector<int> &tokens) const;

    std::vector<std::string> mPieces;
    std::vector<float> mScores;
    std::unordered_map<std::string, int> mIds;
    int mMaxTokenLength = 0;
};

Status Llama2cTokenizer::load(const QString &path, int vocabSize)
{
    QFile file(path);
    if (!file.exists())
        return makeError(QStringLiteral("tokenizer file '%1' does not exist").arg(path));
    if (!file.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("cannot open tokenizer file '%1': %2").arg(path, file.errorString()));
    const QByteArray data = file.readAll();
    const qsizetype size = data.size();
    if (size < 4)
        return makeError(
            QStringLiteral("%1: truncated llama2.c tokenizer (%2 bytes, no header)").arg(path).arg(size));
    auto readInt = [&](qsizetype at) {
        int32_t v;
        std::memcpy(&v, data.constData() + at, 4);
        return v;
    };
    mMaxTokenLength = readInt(0);
    if (mMaxTokenLength <= 0 || mMaxTokenLength > (1 << 16))
        return makeError(QStringLiteral("%1: not a llama2.c tokenizer (max_token_length %2)")
                             .arg(path)
                             .arg(mMaxTokenLength));

    qsizetype at = 4;
    while (vocabSize < 0 ? at < size : int(mPieces.size()) < vocabSize) {
        const int index = int(mPieces.size());
        if (at == size && vocabSize > 0)
            return makeError(
                QStringLiteral("%1: holds %2 tokens, the model's vocabulary has %3 (the tokenizer "
                               "of another model, or a truncated file)")
                    .arg(path)
                    .arg(index)
                    .arg(vocabSize));
        if (at + 8 > size)
            return makeError(QStringLiteral("%1: truncated llama2.c tokenizer: token %2 has no score/length "
                                            "(file ends at byte %3)")
                                 .arg(path)
                                 .arg(index)
                                 .arg(size));
        float score;
        std::memcpy(&score, data.constData() + at, 4);
        const int32_t length = readInt(at + 4);
        at += 8;
        if (length < 0 || length > mMaxTokenLength)
            return makeError(QStringLiteral("%1: token %2 has length %3 outside [0, max_token_length = %4]")
                                 .arg(path)
                                 .arg(index)
                                 .arg(length)
                                 .arg(mMaxTokenLength));
        if (at + length > size)
            return makeError(
                QStringLiteral("%1: truncated llama2.c tokenizer: token %2 needs %3 bytes, %4 left")
                    .arg(path)
                    .arg(index)
                    .arg(length)
                    .arg(size - at));
        mPieces.emplace_back(data.constData() + at, size_t(length));
        mScores.push_back(score);
        at += length;
    }
    if (mPieces.size() < size_t(kByteOffset + 256))
        return makeError(
            QStringLiteral("%1: truncated or not a llama2.c tokenizer: %2 tokens, at least %3 are "
                           "needed (3 specials and 256 byte tokens)")
                .arg(path)
                .arg(mPieces.size())
                .arg(kByteOffset + 256));
    // llama2.c looks pieces up by binary search in a sorted copy; the vocabularies it ships have
    // unique pieces, and for a duplicate the lowest id is the deterministic choice.
    for (int i = int(mPieces.size()) - 1; i >= 0; --i)
        mIds[mPieces[size_t(i)]] = i;
    return Status::success();
}

std::vector<int> Llama2cTokenizer::encode(const QString &text, bool addSpecial) const
{
    const QByteArray utf8 = text.toUtf8();
    const char *c = utf8.constData();
    const qsizetype n = utf8.size();
    std::vector<int> tokens;
    tokens.reserve(size_t(n) + 2);
    if (addSpecial)
        tokens.push_back(kBosId);
    // SentencePiece's add_dummy_prefix: a space token before any non-empty text.
    if (n > 0) {
        const int space = lookup(" ");
        if (space >= 0)
            tokens.push_back(space);
    }
    // One code point at a time (a lead byte and at most 3 continuation bytes, exactly as
    // llama2.c groups them), looked up whole, else its bytes as <0xNN> tokens.
    std::string buffer;
    for (qsizetype i = 0; i < n; ++i) {
        if ((static_cast<unsigned char>(c[i]) & 0xC0) != 0x80)
            buffer.clear();
        buffer.push_back(c[i]);
        if (i + 1 < n && (static_cast<unsigned char>(c[i + 1]) & 0xC0) == 0x80 && buffer.size() < 4)
            continue;
        const int id = lookup(buffer);
        if (id >= 0) {
            tokens.push_back(id);
        } else {
            for (char b : buffer)
                tokens.push_back(int(static_cast<unsigned char>(b)) + kByteOffset);
        }
        buffer.clear();
    }
    mergeGreedy(tokens);
    return tokens;
}

void Llama2cTokenizer::mergeGreedy(std::vector<int> &tokens) const
{
    // llama2.c repeatedly merges the adjacent pair whose concatenation is the token with the
    // best score (strictly greater than the best so far, so the leftmost wins a tie): the
    // shared loop's order with the negated score as the priority.
    std::string merged;
    mergeBpeSymbols(tokens, [this, &merged](int left, int right) -> std::optional<BpeMerge> {
        merged.assign(mPieces[size_t(left)]);
        merged.append(mPieces[size_t(right)]);
        const int id = lookup(merged);
        if (id < 0 || !(mScores[size_t(id)] > -1e10f)) // llama2.c's initial best score
            return std::nullopt;
        return BpeMerge {-double(mScores[size_t(id)]), id};
    });
}

QString Llama2cTokenizer::decode(const std::vector<int> &ids) const
{
    // Bytes first, then one UTF-8 decode: a character split into <0xNN> tokens spans several ids.
    std::string bytes;
    int previous = -1;
    for (int id : ids) {
        if (id < 0 || id >= vocabSize())
            continue;
        if (id == kUnkId || id == kBosId || id == kEosId) {
            previous = id;
            continue;
        }
        const std::string &piece = mPieces[size_t(id)];
        size_t start = 0;
        // After BOS, SentencePiece strips the dummy-prefix space.
        if (previous == kBosId && !piece.empty() && piece[0] == ' ')
            start = 1;
        unsigned int byte = 0;
        if (piece.size() == 6 && std::sscanf(piece.c_str(), "<0x%02X>", &byte) == 1)
            bytes.push_back(char(byte));
        else
            bytes.append(piece, start, std::string::npos);
        previous = id;
    }
    return QString::fromUtf8(bytes.data(), qsizetype(bytes.size()));
}

} // namespace

Expected<std::unique_ptr<Tokenizer>> Tokenizer::fromLlama2c(const QString &tokenizerBinPath, int vocabSize)
{
    auto tokenizer = std::make_unique<Llama2cTokenizer>();
    if (Status s = tokenizer->load(tokenizerBinPath, vocabSize); !s)
        return makeError(s.error());
    return std::unique_ptr<Tokenizer>(std::move(tokenizer));
}

} // namespace lqer
