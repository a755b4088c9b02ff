// Hugging Face tokenizer.json with a BPE model, byte-level (GPT-2 / OPT / Pythia / Llama-3) and
// SentencePiece-style (LLaMA-1/2). The pipeline is that of `tokenizers`:
//   added tokens split out of the raw text -> normalizer -> pre-tokenizer -> BPE -> post-processor
// and for decoding: drop special tokens -> decoder chain.
// Only what changes the ids is implemented (no offsets, no truncation/padding); any component
// that is not implemented is refused at load time, never silently ignored.

#include "core/model/bpemerge.h"
#include "core/model/tokenizer.h"
#include "core/model/tokenizer_text.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QMutexLocker>
#include <QRegularExpression>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace lqer {

using namespace tokenizer_detail;

namespace {

QString jsonString(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

// ---------------------------------------------------------------------------------------------
// Components

enum class NormKind { Nfc, Nfd, Nfkc, Nfkd, Lowercase, Prepend, ReplaceString, ReplaceRegex, Strip };

struct NormStep
{
    NormKind kind = NormKind::Nfc;
    QString text; // Prepend: what; Replace: the pattern
    QString replacement; // Replace: the content
    QRegularExpression regex;
    bool left = false, right = false; // Strip
};

enum class SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };

enum class PreKind { ByteLevel, SplitGpt2, SplitRegex, SplitString, Metaspace };

enum class PrependScheme { Always, Never, First };

struct PreStep
{
    PreKind kind = PreKind::ByteLevel;
    bool addPrefixSpace = false; // ByteLevel
    bool useRegex = true; // ByteLevel
    QRegularExpression regex; // SplitRegex
    std::u32string literal; // SplitString
    SplitBehavior behavior = SplitBehavior::Isolated;
    bool invert = false;
    char32_t replacement = U'\u2581'; // Metaspace
    PrependScheme prepend = PrependScheme::Always;
    bool split = true;
};

enum class DecKind { ByteLevel, ReplaceString, ByteFallback, Fuse, Strip, Metaspace };

struct DecStep
{
    DecKind kind = DecKind::ByteLevel;
    std::string pattern, content; // Replace (UTF-8); Strip: content
    int start = 0, stop = 0; // Strip
    std::string replacement; // Metaspace (UTF-8)
    PrependScheme prepend = PrependScheme::Always;
};

// One item of a post-processor's single-sequence template.
struct TemplateItem
{
    bool isSequence = false;
    std::vector<int> ids; // for special tokens
};

struct AddedToken
{
    int id = -1;
    std::u32string content;
    bool singleWord = false, lstrip = false, rstrip = false, normalized = false, special = false;
};

// A stretch of text between added tokens, or one added token.
struct Segment
{
    std::u32string text;
    int addedId = -1; // >= 0: this segment is an added token
    bool atStart = false; // starts at offset 0 of the input (Metaspace prepend_scheme "first")
};

bool isWordChar(char32_t c)
{
    return c == U'_' || isLetter(c) || isNumber(c);
}

// Leftmost-longest matching of added tokens in a text (`tokenizers` uses Aho-Corasick with the
// same semantics). Few added tokens in practice, so candidates are indexed by first character.
class AddedMatcher
{
public:
    void add(const AddedToken *token)
    {
        if (token->content.empty())
            return;
        auto &list = mByFirst[token->content.front()];
        list.push_back(token);
        std::stable_sort(list.begin(), list.end(), [](const AddedToken *a, const AddedToken *b) {
            return a->content.size() > b->content.size();
        });
    }
    bool empty() const { return mByFirst.empty(); }

    void split(Segment segment, std::vector<Segment> &out) const
    {
        const std::u32string &s = segment.text;
        const int n = int(s.size());
        int textStart = 0;
        int pos = 0;
        while (pos < n) {
            const auto it = mByFirst.find(s[size_t(pos)]);
            const AddedToken *found = nullptr;
            if (it != mByFirst.end()) {
                for (const AddedToken *t : it->second) {
                    const int len = int(t->content.size());
                    if (pos + len > n || s.compare(size_t(pos), size_t(len), t->content) != 0)
                        continue;
                    if (t->singleWord
                        && ((pos > 0 && isWordChar(s[size_t(pos - 1)]))
                            || (pos + len < n && isWordChar(s[size_t(pos + len)]))))
                        continue;
                    found = t;
                    break;
                }
            }
            if (!found) {
                ++pos;
                continue;
            }
            int mStart = pos;
            int mEnd = pos + int(found->content.size());
            if (found->lstrip)
                while (mStart > textStart && isSpace(s[size_t(mStart - 1)]))
                    --mStart;
            if (found->rstrip)
                while (mEnd < n && isSpace(s[size_t(mEnd)]))
                    ++mEnd;
            if (mStart > textStart)
                out.push_back(Segment {s.substr(size_t(textStart), size_t(mStart - textStart)), -1,
                                       segment.atStart && textStart == 0});
            out.push_back(Segment {{}, found->id, false});
            pos = textStart = mEnd;
        }
        if (textStart < n) {
            const bool atStart = segment.atStart && textStart == 0;
            if (textStart == 0)
                out.push_back(Segment {std::move(segment.text), -1, atStart});
            else
                out.push_back(Segment {s.substr(size_t(textStart)), -1, atStart});
        }
    }

private:
    std::unordered_map<char32_t, std::vector<const AddedToken *>> mByFirst;
};

// Applies a split behaviour of `tokenizers` to ranges (begin, end, isMatch) that tile a piece.
struct Range
{
    int begin, end;
    bool match;
};

void applyBehavior(const std::u32string &piece, std::vector<Range> ranges, SplitBehavior behavior,
                   std::vector<std::u32string> &out)
{
    std::vector<Range> merged;
    switch (behavior) {
    case SplitBehavior::Removed:
        for (const Range &r : ranges)
            if (!r.match)
                merged.push_back(r);
        break;
    case SplitBehavior::Isolated:
        merged = std::move(ranges);
        break;
    case SplitBehavior::MergedWithPrevious: {
        bool previousMatch = false;
        for (const Range &r : ranges) {
            if (r.match && !previousMatch && !merged.empty())
                merged.back().end = r.end;
            else
                merged.push_back(r);
            previousMatch = r.match;
        }
        break;
    }
    case SplitBehavior::MergedWithNext: {
        bool nextMatch = false;
        for (auto it = ranges.rbegin(); it != ranges.rend(); ++it) {
            if (it->match && !nextMatch && !merged.empty())
                merged.back().begin = it->begin;
            else
                merged.push_back(*it);
            nextMatch = it->match;
        }
        std::reverse(merged.begin(), merged.end());
        break;
    }
    case SplitBehavior::Contiguous: {
        bool previousMatch = false;
        for (size_t i = 0; i < ranges.size(); ++i) {
            const Range &r = ranges[i];
            if (i > 0 && r.match == previousMatch)
                merged.back().end = r.end;
            else
                merged.push_back(r);
            previousMatch = r.match;
        }
        break;
    }
    }
    for (const Range &r : merged)
        if (r.end > r.begin)
            out.push_back(piece.substr(size_t(r.begin), size_t(r.end - r.begin)));
}

// Turns match spans into ranges that tile [0, n), honouring `invert`.
std::vector<Range> tile(const std::vector<std::pair<int, int>> &matches, int n, bool invert)
{
    std::vector<Range> ranges;
    int pos = 0;
    for (const auto &[b, e] : matches) {
        if (e <= b)
            continue; // empty matches split nothing
        if (b > pos)
            ranges.push_back(Range {pos, b, invert});
        ranges.push_back(Range {b, e, !invert});
        pos = e;
    }
    if (pos < n)
        ranges.push_back(Range {pos, n, invert});
    return ranges;
}

// ---------------------------------------------------------------------------------------------

class HfBpeTokenizer final : public Tokenizer
{
public:
    std::vector<int> encode(const QString &text, bool addSpecial) const override;
    QString decode(const std::vector<int> &ids) const override;
    QString tokenText(int id) const override
    {
        return id >= 0 && id < int(mIdToText.size()) ? mIdToText[size_t(id)] : QString();
    }
    int vocabSize() const override { return int(mIdToPiece.size()); }
    int bosId() const override { return mBosId; }
    int eosId() const override { return mEosId; }
    QString kind() const override { return mKind; }

    Status load(const QString &path);

private:
    Status parseNormalizer(const QJsonValue &v, const QString &path);
    Status parsePreTokenizer(const QJsonValue &v, const QString &path, bool last);
    Status parseModel(const QJsonObject &model, const QString &path);
    Status parsePostProcessor(const QJsonValue &v, const QString &path);
    Status parseDecoder(const QJsonValue &v, const QString &path);
    Status parseAddedTokens(const QJsonArray &added, const QString &path);
    Status checkId(int id, const QString &token, const QString &path) const;
    void mapByteLevelIds();
    void findSpecialIds(const QString &path);
    QString detectKind() const;
    int tokenId(const QString &content) const;

    std::u32string normalize(const std::u32string &text) const;
    void preTokenize(const Segment &segment, std::vector<std::u32string> &pieces) const;
    void tokenizeWord(const std::u32string &piece, std::vector<int> &out) const;
    std::vector<int> bpeWord(const std::string &key, const std::u32string &piece) const;
    void mergeSymbols(std::vector<int> &symbols) const;

    QString mKind;
    qint64 mEntries = 0; // vocabulary entries plus added tokens in the file
    // Vocabulary: the model's view of each token (byte-mapped for byte-level BPE) in UTF-8.
    std::unordered_map<std::string, int> mVocab;
    std::vector<std::string> mIdToPiece; // UTF-8; added tokens' content for ids beyond the model
    std::vector<QString> mIdToText;
    std::vector<char> mIsSpecial;
    // Merges: (left id << 32 | right id) -> (rank, merged id).
    std::unordered_map<uint64_t, std::pair<int, int>> mMerges;
    std::unordered_map<char32_t, int> mCharIds;
    std::array<int, 256> mByteLevelIds {}; // byte -> id of its mapped character
    std::array<int, 256> mByteFallbackIds {}; // byte -> id of <0xNN>
    int mUnkId = -1;
    bool mByteFallback = false;
    bool mFuseUnk = false;
    bool mIgnoreMerges = false;
    bool mByteLevel = false;

    std::vector<AddedToken> mAdded;
    AddedMatcher mRawMatcher; // normalized = false: matched in the raw text
    AddedMatcher mNormalizedMatcher; // normalized = true: matched after normalization
    std::vector<NormStep> mNormalizer;
    std::vector<PreStep> mPreTokenizer;
    std::vector<std::vector<TemplateItem>> mPostProcessors;
    std::vector<DecStep> mDecoder;
    int mBosId = -1;
    int mEosId = -1;

    // Words repeat (Zipf): caching their BPE makes a corpus pass several times faster.
    mutable QMutex mCacheMutex;
    mutable std::unordered_map<std::string, std::vector<int>> mCache;
};

Status HfBpeTokenizer::load(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return makeError(QStringLiteral("tokenizer file '%1' does not exist").arg(path));
    if (!file.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("cannot open tokenizer file '%1': %2").arg(path, file.errorString()));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return makeError(QStringLiteral("%1: malformed JSON at offset %2: %3")
                             .arg(path)
                             .arg(parseError.offset)
                             .arg(parseError.errorString()));
    if (!doc.isObject())
        return makeError(
            QStringLiteral("%1: not a tokenizer.json (the top level is not an object)").arg(path));
    const QJsonObject root = doc.object();
    if (!root.value(QLatin1String("model")).isObject())
        return makeError(QStringLiteral("%1: not a tokenizer.json (no \"model\" object)").arg(path));

    mEntries = root.value(QLatin1String("model")).toObject().value(QLatin1String("vocab")).toObject().size()
        + root.value(QLatin1String("added_tokens")).toArray().size();
    if (Status s = parseModel(root.value(QLatin1String("model")).toObject(), path); !s)
        return s;

    if (Status s = parseAddedTokens(root.value(QLatin1String("added_tokens")).toArray(), path); !s)
        return s;
    for (const AddedToken &t : mAdded)
        (t.normalized ? mNormalizedMatcher : mRawMatcher).add(&t);

    if (Status s = parseNormalizer(root.value(QLatin1String("normalizer")), path); !s)
        return s;
    if (Status s = parsePreTokenizer(root.value(QLatin1String("pre_tokenizer")), path, true); !s)
        return s;
    if (Status s = parsePostProcessor(root.value(QLatin1String("post_processor")), path); !s)
        return s;
    if (Status s = parseDecoder(root.value(QLatin1String("decoder")), path); !s)
        return s;

    mapByteLevelIds();
    findSpecialIds(path);
    mKind = detectKind();
    return Status::success();
}

// Ids index per-id tables, so they must be dense, as every real tokenizer.json's are: an id
// far beyond the number of entries (a corrupt file; the fuzzer found 2.7e8) would allocate
// gigabytes for the tables.
Status HfBpeTokenizer::checkId(int id, const QString &token, const QString &path) const
{
    if (qint64(id) < 2 * mEntries + 1024)
        return Status::success();
    return makeError(QStringLiteral("%1: token '%2' has id %3, far beyond the %4 entries of the vocabulary "
                                    "and added tokens (ids must be dense)")
                         .arg(path, token)
                         .arg(id)
                         .arg(mEntries));
}

// Added tokens may extend the vocabulary past the model's ids.
Status HfBpeTokenizer::parseAddedTokens(const QJsonArray &added, const QString &path)
{
    for (const QJsonValue &v : added) {
        const QJsonObject o = v.toObject();
        AddedToken t;
        t.id = o.value(QLatin1String("id")).toInt(-1);
        const QString content = jsonString(o, "content");
        if (t.id < 0 || content.isEmpty())
            return makeError(QStringLiteral("%1: added token without an id or content").arg(path));
        if (Status s = checkId(t.id, content, path); !s)
            return s;
        t.content = toCodePoints(content);
        t.singleWord = o.value(QLatin1String("single_word")).toBool();
        t.lstrip = o.value(QLatin1String("lstrip")).toBool();
        t.rstrip = o.value(QLatin1String("rstrip")).toBool();
        t.normalized = o.value(QLatin1String("normalized")).toBool();
        t.special = o.value(QLatin1String("special")).toBool();
        if (t.id >= int(mIdToPiece.size())) {
            mIdToPiece.resize(size_t(t.id) + 1);
            mIdToText.resize(size_t(t.id) + 1);
            mIsSpecial.resize(size_t(t.id) + 1, 0);
        }
        if (mIdToText[size_t(t.id)].isEmpty()) {
            mIdToPiece[size_t(t.id)] = content.toStdString();
            mIdToText[size_t(t.id)] = content;
        }
        if (t.special)
            mIsSpecial[size_t(t.id)] = 1;
        mAdded.push_back(std::move(t));
    }
    return Status::success();
}

// Byte-level BPE works on byte-mapped characters: every byte needs its token.
void HfBpeTokenizer::mapByteLevelIds()
{
    if (mByteLevel) {
        const char32_t *table = byteToUnicodeTable();
        for (int b = 0; b < 256; ++b) {
            std::string key;
            appendUtf8(key, table[b]);
            const auto it = mVocab.find(key);
            mByteLevelIds[size_t(b)] = it == mVocab.end() ? -1 : it->second;
        }
    }
}

// BOS/EOS: tokenizer_config.json beside the file is what transformers uses; else the post
// processor's first special token; else the usual names.
void HfBpeTokenizer::findSpecialIds(const QString &path)
{
    const QString configPath = QFileInfo(path).dir().filePath(QStringLiteral("tokenizer_config.json"));
    QFile config(configPath);
    if (config.open(QIODevice::ReadOnly)) {
        const QJsonObject c = QJsonDocument::fromJson(config.readAll()).object();
        auto special = [&](const char *key) {
            const QJsonValue v = c.value(QLatin1String(key));
            const QString content = v.isObject() ? jsonString(v.toObject(), "content") : v.toString();
            return content.isEmpty() ? -1 : tokenId(content);
        };
        mBosId = special("bos_token");
        mEosId = special("eos_token");
    }
    if (mBosId < 0 && !mPostProcessors.empty()) {
        const std::vector<TemplateItem> &first = mPostProcessors.front();
        if (!first.empty() && !first.front().isSequence && !first.front().ids.empty())
            mBosId = first.front().ids.front();
    }
    if (mBosId < 0) {
        for (const char *name : {"<s>", "<|begin_of_text|>", "<bos>", "<|startoftext|>"}) {
            if ((mBosId = tokenId(QString::fromUtf8(name))) >= 0)
                break;
        }
    }
    if (mEosId < 0) {
        for (const char *name : {"</s>", "<|end_of_text|>", "<eos>", "<|endoftext|>"}) {
            if ((mEosId = tokenId(QString::fromUtf8(name))) >= 0)
                break;
        }
    }
}

QString HfBpeTokenizer::detectKind() const
{
    if (mByteLevel)
        return QStringLiteral("byte-level BPE");
    if (mByteFallback
        || std::any_of(mPreTokenizer.begin(), mPreTokenizer.end(),
                       [](const PreStep &p) { return p.kind == PreKind::Metaspace; })
        || std::any_of(mNormalizer.begin(), mNormalizer.end(), [](const NormStep &n) {
               return n.kind == NormKind::ReplaceString && n.replacement == QStringLiteral("\u2581");
           }))
        return QStringLiteral("SentencePiece BPE");
    return QStringLiteral("BPE");
}

int HfBpeTokenizer::tokenId(const QString &content) const
{
    const std::u32string cp = toCodePoints(content);
    for (const AddedToken &t : mAdded)
        if (t.content == cp)
            return t.id;
    const auto it = mVocab.find(content.toStdString());
    return it == mVocab.end() ? -1 : it->second;
}

Status HfBpeTokenizer::parseModel(const QJsonObject &model, const QString &path)
{
    const QString type = jsonString(model, "type");
    if (type != QStringLiteral("BPE")) {
        return makeError(QStringLiteral("%1: unsupported tokenizer model type '%2' (supported: BPE)")
                             .arg(path, type.isEmpty() ? QStringLiteral("(none)") : type));
    }
    for (const char *key : {"continuing_subword_prefix", "end_of_word_suffix"}) {
        const QJsonValue v = model.value(QLatin1String(key));
        if (v.isString() && !v.toString().isEmpty())
            return makeError(QStringLiteral("%1: unsupported BPE option %2 = '%3'")
                                 .arg(path, QLatin1String(key), v.toString()));
    }
    const QJsonObject vocab = model.value(QLatin1String("vocab")).toObject();
    if (vocab.isEmpty())
        return makeError(QStringLiteral("%1: the BPE model has an empty vocabulary").arg(path));
    int maxId = -1;
    for (auto it = vocab.begin(); it != vocab.end(); ++it) {
        const int id = it.value().toInt(-1);
        if (Status s = checkId(id, it.key(), path); !s)
            return s;
        maxId = std::max(maxId, id);
    }
    mIdToPiece.assign(size_t(maxId) + 1, std::string());
    mIdToText.assign(size_t(maxId) + 1, QString());
    mIsSpecial.assign(size_t(maxId) + 1, 0);
    mVocab.reserve(size_t(vocab.size()));
    for (auto it = vocab.begin(); it != vocab.end(); ++it) {
        const int id = it.value().toInt(-1);
        if (id < 0)
            return makeError(QStringLiteral("%1: token '%2' has no valid id").arg(path, it.key()));
        std::string key = it.key().toStdString();
        mIdToPiece[size_t(id)] = key;
        mIdToText[size_t(id)] = it.key();
        const std::u32string cp = toCodePoints(it.key());
        if (cp.size() == 1)
            mCharIds.emplace(cp.front(), id);
        mVocab.emplace(std::move(key), id);
    }

    const QJsonArray merges = model.value(QLatin1String("merges")).toArray();
    mMerges.reserve(size_t(merges.size()));
    for (qsizetype rank = 0; rank < merges.size(); ++rank) {
        const QJsonValue m = merges.at(rank);
        QString left, right;
        if (m.isArray() && m.toArray().size() == 2) { // newer format: ["a", "b"]
            left = m.toArray().at(0).toString();
            right = m.toArray().at(1).toString();
        } else if (m.isString()) { // older format: "a b"
            const QStringList parts = m.toString().split(QLatin1Char(' '));
            if (parts.size() != 2)
                return makeError(QStringLiteral("%1: merge %2 '%3' is not two tokens")
                                     .arg(path)
                                     .arg(rank)
                                     .arg(m.toString()));
            left = parts[0];
            right = parts[1];
        } else {
            return makeError(
                QStringLiteral("%1: merge %2 is neither \"a b\" nor [\"a\", \"b\"]").arg(path).arg(rank));
        }
        const auto l = mVocab.find(left.toStdString());
        const auto r = mVocab.find(right.toStdString());
        const auto lr = mVocab.find((left + right).toStdString());
        if (l == mVocab.end() || r == mVocab.end() || lr == mVocab.end())
            return makeError(
                QStringLiteral("%1: merge %2 ('%3' '%4') uses a token missing from the vocabulary")
                    .arg(path)
                    .arg(rank)
                    .arg(left, right));
        const uint64_t key = (uint64_t(uint32_t(l->second)) << 32) | uint32_t(r->second);
        mMerges.emplace(key, std::make_pair(int(rank), lr->second)); // the first rank wins
    }

    const QJsonValue unk = model.value(QLatin1String("unk_token"));
    if (unk.isString()) {
        const auto it = mVocab.find(unk.toString().toStdString());
        if (it == mVocab.end())
            return makeError(
                QStringLiteral("%1: unk_token '%2' is not in the vocabulary").arg(path, unk.toString()));
        mUnkId = it->second;
    }
    mByteFallback = model.value(QLatin1String("byte_fallback")).toBool();
    mFuseUnk = model.value(QLatin1String("fuse_unk")).toBool();
    mIgnoreMerges = model.value(QLatin1String("ignore_merges")).toBool();
    for (int b = 0; b < 256; ++b) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", b);
        const auto it = mVocab.find(name);
        mByteFallbackIds[size_t(b)] = it == mVocab.end() ? -1 : it->second;
    }
    return Status::success();
}

// The value named `name` in a {name, value} table of a tokenizer.json enumeration.
template<typename Kind, size_t N>
std::optional<Kind> lookupName(const QString &name, const std::pair<const char *, Kind> (&table)[N])
{
    for (const auto &[text, kind] : table)
        if (name == QLatin1String(text))
            return kind;
    return std::nullopt;
}

Status HfBpeTokenizer::parseNormalizer(const QJsonValue &v, const QString &path)
{
    if (v.isNull() || v.isUndefined())
        return Status::success();
    const QJsonObject o = v.toObject();
    const QString type = jsonString(o, "type");
    NormStep step;
    if (type == QStringLiteral("Sequence")) {
        for (const QJsonValue &child : o.value(QLatin1String("normalizers")).toArray())
            if (Status s = parseNormalizer(child, path); !s)
                return s;
        return Status::success();
    }
    // The normalizers without parameters.
    static const std::pair<const char *, NormKind> kPlain[] = {
        {"NFC", NormKind::Nfc},
        {"NFD", NormKind::Nfd},
        {"NFKC", NormKind::Nfkc},
        {"NFKD", NormKind::Nfkd},
        {"Lowercase", NormKind::Lowercase},
    };
    if (const std::optional<NormKind> plain = lookupName(type, kPlain)) {
        step.kind = *plain;
    } else if (type == QStringLiteral("Prepend")) {
        step.kind = NormKind::Prepend;
        step.text = jsonString(o, "prepend");
    } else if (type == QStringLiteral("Strip")) {
        step.kind = NormKind::Strip;
        step.left = o.value(QLatin1String("strip_left")).toBool();
        step.right = o.value(QLatin1String("strip_right")).toBool();
    } else if (type == QStringLiteral("Replace")) {
        const QJsonObject pattern = o.value(QLatin1String("pattern")).toObject();
        step.replacement = jsonString(o, "content");
        if (pattern.contains(QLatin1String("String"))) {
            step.kind = NormKind::ReplaceString;
            step.text = jsonString(pattern, "String");
        } else if (pattern.contains(QLatin1String("Regex"))) {
            step.kind = NormKind::ReplaceRegex;
            step.regex = QRegularExpression(jsonString(pattern, "Regex"),
                                            QRegularExpression::UseUnicodePropertiesOption);
            if (!step.regex.isValid())
                return makeError(QStringLiteral("%1: the Replace normalizer's regex '%2' is invalid: %3")
                                     .arg(path, step.regex.pattern(), step.regex.errorString()));
        } else {
            return makeError(
                QStringLiteral("%1: Replace normalizer without a String or Regex pattern").arg(path));
        }
        if (step.kind == NormKind::ReplaceString && step.text.isEmpty())
            return makeError(QStringLiteral("%1: Replace normalizer with an empty pattern").arg(path));
    } else {
        return makeError(QStringLiteral("%1: unsupported normalizer '%2' (supported: NFC, NFD, NFKC, NFKD, "
                                        "Lowercase, Prepend, Replace, Strip, Sequence)")
                             .arg(path, type));
    }
    mNormalizer.push_back(std::move(step));
    return Status::success();
}

SplitBehavior parseBehavior(const QString &name, bool *ok)
{
    static const std::pair<const char *, SplitBehavior> kBehaviors[] = {
        {"Removed", SplitBehavior::Removed},
        {"Isolated", SplitBehavior::Isolated},
        {"MergedWithPrevious", SplitBehavior::MergedWithPrevious},
        {"MergedWithNext", SplitBehavior::MergedWithNext},
        {"Contiguous", SplitBehavior::Contiguous},
    };
    const std::optional<SplitBehavior> behavior = lookupName(name, kBehaviors);
    *ok = behavior.has_value();
    return behavior.value_or(SplitBehavior::Isolated);
}

bool parsePrependScheme(const QJsonObject &o, PrependScheme *scheme)
{
    const QJsonValue v = o.value(QLatin1String("prepend_scheme"));
    if (v.isString()) {
        static const std::pair<const char *, PrependScheme> kSchemes[] = {
            {"always", PrependScheme::Always},
            {"never", PrependScheme::Never},
            {"first", PrependScheme::First},
        };
        const std::optional<PrependScheme> named = lookupName(v.toString(), kSchemes);
        if (!named)
            return false;
        *scheme = *named;
        return true;
    }
    // Files written before prepend_scheme existed carry add_prefix_space (default true).
    *scheme = o.value(QLatin1String("add_prefix_space")).toBool(true) ? PrependScheme::Always
                                                                      : PrependScheme::Never;
    return true;
}

Status HfBpeTokenizer::parsePreTokenizer(const QJsonValue &v, const QString &path, bool last)
{
    if (v.isNull() || v.isUndefined())
        return Status::success();
    const QJsonObject o = v.toObject();
    const QString type = jsonString(o, "type");
    PreStep step;
    if (type == QStringLiteral("Sequence")) {
        const QJsonArray children = o.value(QLatin1String("pretokenizers")).toArray();
        for (qsizetype i = 0; i < children.size(); ++i)
            if (Status s = parsePreTokenizer(children.at(i), path, last && i + 1 == children.size()); !s)
                return s;
        return Status::success();
    }
    if (type == QStringLiteral("ByteLevel")) {
        // The byte mapping is applied when the pieces reach the model, so nothing may follow it.
        if (!last)
            return makeError(
                QStringLiteral("%1: unsupported pre-tokenizer sequence: ByteLevel must come last").arg(path));
        step.kind = PreKind::ByteLevel;
        step.addPrefixSpace = o.value(QLatin1String("add_prefix_space")).toBool();
        step.useRegex = o.value(QLatin1String("use_regex")).toBool(true);
        mByteLevel = true;
    } else if (type == QStringLiteral("Split")) {
        bool ok = false;
        step.behavior = parseBehavior(jsonString(o, "behavior"), &ok);
        if (!ok)
            return makeError(
                QStringLiteral("%1: unsupported Split behavior '%2'").arg(path, jsonString(o, "behavior")));
        step.invert = o.value(QLatin1String("invert")).toBool();
        const QJsonObject pattern = o.value(QLatin1String("pattern")).toObject();
        if (pattern.contains(QLatin1String("String"))) {
            step.kind = PreKind::SplitString;
            step.literal = toCodePoints(jsonString(pattern, "String"));
            if (step.literal.empty())
                return makeError(QStringLiteral("%1: Split pre-tokenizer with an empty pattern").arg(path));
        } else if (pattern.contains(QLatin1String("Regex"))) {
            const QString regex = jsonString(pattern, "Regex");
            if (regex == QString::fromUtf8(gpt2SplitPattern)) {
                step.kind = PreKind::SplitGpt2;
            } else {
                step.kind = PreKind::SplitRegex;
                step.regex = QRegularExpression(regex, QRegularExpression::UseUnicodePropertiesOption);
                if (!step.regex.isValid())
                    return makeError(QStringLiteral("%1: the Split pre-tokenizer's regex '%2' is invalid: %3")
                                         .arg(path, regex, step.regex.errorString()));
                step.regex.optimize();
            }
        } else {
            return makeError(
                QStringLiteral("%1: Split pre-tokenizer without a String or Regex pattern").arg(path));
        }
    } else if (type == QStringLiteral("Metaspace")) {
        step.kind = PreKind::Metaspace;
        const std::u32string rep = toCodePoints(jsonString(o, "replacement"));
        if (rep.size() != 1)
            return makeError(QStringLiteral("%1: Metaspace replacement '%2' is not one character")
                                 .arg(path, jsonString(o, "replacement")));
        step.replacement = rep.front();
        if (!parsePrependScheme(o, &step.prepend))
            return makeError(QStringLiteral("%1: unsupported Metaspace prepend_scheme '%2'")
                                 .arg(path, jsonString(o, "prepend_scheme")));
        step.split = o.value(QLatin1String("split")).toBool(true);
    } else {
        return makeError(
            QStringLiteral("%1: unsupported pre-tokenizer '%2' (supported: ByteLevel, Split, Metaspace, "
                           "Sequence)")
                .arg(path, type));
    }
    mPreTokenizer.push_back(std::move(step));
    return Status::success();
}

Status HfBpeTokenizer::parsePostProcessor(const QJsonValue &v, const QString &path)
{
    if (v.isNull() || v.isUndefined())
        return Status::success();
    const QJsonObject o = v.toObject();
    const QString type = jsonString(o, "type");
    auto idOf = [&](const QJsonValue &pair, int *id) {
        // Roberta/Bert store ["<s>", 0].
        const QJsonArray a = pair.toArray();
        if (a.size() != 2)
            return false;
        *id = a.at(1).toInt(-1);
        return *id >= 0;
    };
    if (type == QStringLiteral("Sequence")) {
        for (const QJsonValue &child : o.value(QLatin1String("processors")).toArray())
            if (Status s = parsePostProcessor(child, path); !s)
                return s;
        return Status::success();
    }
    if (type == QStringLiteral("ByteLevel"))
        return Status::success(); // only trims offsets: the ids are unchanged
    if (type == QStringLiteral("TemplateProcessing")) {
        const QJsonObject specials = o.value(QLatin1String("special_tokens")).toObject();
        std::vector<TemplateItem> items;
        const QJsonValue single = o.value(QLatin1String("single"));
        if (!single.isArray())
            return makeError(
                QStringLiteral("%1: TemplateProcessing without a \"single\" template").arg(path));
        for (const QJsonValue &item : single.toArray()) {
            const QJsonObject io = item.toObject();
            TemplateItem t;
            if (io.contains(QLatin1String("Sequence"))) {
                t.isSequence = true;
            } else if (io.contains(QLatin1String("SpecialToken"))) {
                const QString name = jsonString(io.value(QLatin1String("SpecialToken")).toObject(), "id");
                const QJsonObject special = specials.value(name).toObject();
                for (const QJsonValue &id : special.value(QLatin1String("ids")).toArray())
                    t.ids.push_back(id.toInt(-1));
                if (t.ids.empty() || std::any_of(t.ids.begin(), t.ids.end(), [](int id) { return id < 0; }))
                    return makeError(
                        QStringLiteral("%1: TemplateProcessing uses special token '%2' without ids")
                            .arg(path, name));
            } else {
                return makeError(QStringLiteral("%1: unsupported TemplateProcessing item").arg(path));
            }
            items.push_back(std::move(t));
        }
        mPostProcessors.push_back(std::move(items));
        return Status::success();
    }
    if (type == QStringLiteral("RobertaProcessing") || type == QStringLiteral("BertProcessing")) {
        int cls = -1, sep = -1;
        if (!idOf(o.value(QLatin1String("cls")), &cls) || !idOf(o.value(QLatin1String("sep")), &sep))
            return makeError(QStringLiteral("%1: %2 without valid cls/sep tokens").arg(path, type));
        std::vector<TemplateItem> items(3);
        items[0].ids = {cls};
        items[1].isSequence = true;
        items[2].ids = {sep};
        mPostProcessors.push_back(std::move(items));
        return Status::success();
    }
    return makeError(
        QStringLiteral("%1: unsupported post-processor '%2' (supported: TemplateProcessing, ByteLevel, "
                       "RobertaProcessing, BertProcessing, Sequence)")
            .arg(path, type));
}

Status HfBpeTokenizer::parseDecoder(const QJsonValue &v, const QString &path)
{
    if (v.isNull() || v.isUndefined())
        return Status::success();
    const QJsonObject o = v.toObject();
    const QString type = jsonString(o, "type");
    DecStep step;
    if (type == QStringLiteral("Sequence")) {
        for (const QJsonValue &child : o.value(QLatin1String("decoders")).toArray())
            if (Status s = parseDecoder(child, path); !s)
                return s;
        return Status::success();
    }
    // The decoders without parameters.
    static const std::pair<const char *, DecKind> kPlain[] = {
        {"ByteLevel", DecKind::ByteLevel},
        {"ByteFallback", DecKind::ByteFallback},
        {"Fuse", DecKind::Fuse},
    };
    if (const std::optional<DecKind> plain = lookupName(type, kPlain)) {
        step.kind = *plain;
    } else if (type == QStringLiteral("Strip")) {
        step.kind = DecKind::Strip;
        step.content = jsonString(o, "content").toStdString();
        step.start = o.value(QLatin1String("start")).toInt();
        step.stop = o.value(QLatin1String("stop")).toInt();
    } else if (type == QStringLiteral("Replace")) {
        const QJsonObject pattern = o.value(QLatin1String("pattern")).toObject();
        if (!pattern.contains(QLatin1String("String")) || jsonString(pattern, "String").isEmpty())
            return makeError(
                QStringLiteral("%1: unsupported Replace decoder (only a non-empty String pattern)")
                    .arg(path));
        step.kind = DecKind::ReplaceString;
        step.pattern = jsonString(pattern, "String").toStdString();
        step.content = jsonString(o, "content").toStdString();
    } else if (type == QStringLiteral("Metaspace")) {
        step.kind = DecKind::Metaspace;
        step.replacement = jsonString(o, "replacement").toStdString();
        if (step.replacement.empty())
            return makeError(QStringLiteral("%1: Metaspace decoder without a replacement").arg(path));
        if (!parsePrependScheme(o, &step.prepend))
            return makeError(QStringLiteral("%1: unsupported Metaspace prepend_scheme '%2'")
                                 .arg(path, jsonString(o, "prepend_scheme")));
    } else {
        return makeError(
            QStringLiteral("%1: unsupported decoder '%2' (supported: ByteLevel, ByteFallback, Fuse, "
                           "Strip, Replace, Metaspace, Sequence)")
                .arg(path, type));
    }
    mDecoder.push_back(std::move(step));
    return Status::success();
}

// ---------------------------------------------------------------------------------------------
// Encoding

std::u32string HfBpeTokenizer::normalize(const std::u32string &text) const
{
    if (mNormalizer.empty())
        return text;
    QString s = fromCodePoints(text);
    for (const NormStep &step : mNormalizer) {
        switch (step.kind) {
        case NormKind::Nfc:
            s = s.normalized(QString::NormalizationForm_C);
            break;
        case NormKind::Nfd:
            s = s.normalized(QString::NormalizationForm_D);
            break;
        case NormKind::Nfkc:
            s = s.normalized(QString::NormalizationForm_KC);
            break;
        case NormKind::Nfkd:
            s = s.normalized(QString::NormalizationForm_KD);
            break;
        case NormKind::Lowercase:
            s = s.toLower();
            break;
        case NormKind::Prepend:
            if (!s.isEmpty()) // as `tokenizers`: nothing is prepended to an empty string
                s.prepend(step.text);
            break;
        case NormKind::ReplaceString:
            s.replace(step.text, step.replacement);
            break;
        case NormKind::ReplaceRegex:
            s.replace(step.regex, step.replacement);
            break;
        case NormKind::Strip: {
            qsizetype b = 0, e = s.size();
            if (step.left)
                while (b < e && s.at(b).isSpace())
                    ++b;
            if (step.right)
                while (e > b && s.at(e - 1).isSpace())
                    --e;
            s = s.mid(b, e - b);
            break;
        }
        }
    }
    return toCodePoints(s);
}

void HfBpeTokenizer::preTokenize(const Segment &segment, std::vector<std::u32string> &pieces) const
{
    std::vector<std::u32string> current;
    current.push_back(segment.text);
    std::vector<std::u32string> next;
    std::vector<std::pair<int, int>> spans;
    for (const PreStep &step : mPreTokenizer) {
        next.clear();
        for (std::u32string &piece : current) {
            const int n = int(piece.size());
            switch (step.kind) {
            case PreKind::ByteLevel:
                if (step.addPrefixSpace && (piece.empty() || piece.front() != U' '))
                    piece.insert(piece.begin(), U' ');
                if (!step.useRegex) {
                    next.push_back(std::move(piece));
                    break;
                }
                [[fallthrough]];
            case PreKind::SplitGpt2: {
                spans.clear();
                splitGpt2(piece.data(), int(piece.size()), spans);
                if (step.kind == PreKind::ByteLevel
                    || (step.behavior == SplitBehavior::Isolated && !step.invert)) {
                    for (const auto &[b, e] : spans) // the spans tile the piece: no gaps to keep
                        next.push_back(piece.substr(size_t(b), size_t(e - b)));
                } else {
                    applyBehavior(piece, tile(spans, int(piece.size()), step.invert), step.behavior, next);
                }
                break;
            }
            case PreKind::SplitString: {
                spans.clear();
                const size_t len = step.literal.size();
                size_t pos = 0;
                while ((pos = piece.find(step.literal, pos)) != std::u32string::npos) {
                    spans.emplace_back(int(pos), int(pos + len));
                    pos += len;
                }
                applyBehavior(piece, tile(spans, n, step.invert), step.behavior, next);
                break;
            }
            case PreKind::SplitRegex: {
                // QRegularExpression works on UTF-16: map its offsets back to code points.
                const QString s = fromCodePoints(piece);
                std::vector<int> cpIndex(size_t(s.size()) + 1, 0);
                int cp = 0;
                for (qsizetype i = 0; i < s.size(); ++i) {
                    cpIndex[size_t(i)] = cp;
                    if (!(s.at(i).isHighSurrogate() && i + 1 < s.size() && s.at(i + 1).isLowSurrogate()))
                        ++cp;
                }
                cpIndex[size_t(s.size())] = cp;
                spans.clear();
                auto it = step.regex.globalMatch(s);
                while (it.hasNext()) {
                    const QRegularExpressionMatch m = it.next();
                    spans.emplace_back(cpIndex[size_t(m.capturedStart())], cpIndex[size_t(m.capturedEnd())]);
                }
                applyBehavior(piece, tile(spans, n, step.invert), step.behavior, next);
                break;
            }
            case PreKind::Metaspace: {
                for (char32_t &c : piece)
                    if (c == U' ')
                        c = step.replacement;
                const bool prepend = step.prepend == PrependScheme::Always
                    || (step.prepend == PrependScheme::First && segment.atStart);
                if (prepend && (piece.empty() || piece.front() != step.replacement))
                    piece.insert(piece.begin(), step.replacement);
                if (!step.split) {
                    next.push_back(std::move(piece));
                    break;
                }
                spans.clear();
                for (int i = 0; i < int(piece.size()); ++i)
                    if (piece[size_t(i)] == step.replacement)
                        spans.emplace_back(i, i + 1);
                applyBehavior(piece, tile(spans, int(piece.size()), false), SplitBehavior::MergedWithNext,
                              next);
                break;
            }
            }
        }
        current.swap(next);
    }
    for (std::u32string &piece : current)
        if (!piece.empty())
            pieces.push_back(std::move(piece));
}

void HfBpeTokenizer::mergeSymbols(std::vector<int> &symbols) const
{
    if (mMerges.empty())
        return;
    // Lowest rank first, then leftmost, as `tokenizers` does.
    mergeBpeSymbols(symbols, [this](int left, int right) -> std::optional<BpeMerge> {
        const uint64_t key = (uint64_t(uint32_t(left)) << 32) | uint32_t(right);
        const auto it = mMerges.find(key);
        if (it == mMerges.end())
            return std::nullopt;
        return BpeMerge {double(it->second.first), it->second.second};
    });
}

std::vector<int> HfBpeTokenizer::bpeWord(const std::string &key, const std::u32string &piece) const
{
    std::vector<int> symbols;
    symbols.reserve(key.size());
    bool lastWasUnk = false;
    auto pushUnk = [&]() {
        if (mUnkId < 0)
            return; // `tokenizers` fails here; dropping the character is the only non-fatal choice
        if (!(mFuseUnk && lastWasUnk))
            symbols.push_back(mUnkId);
        lastWasUnk = true;
    };
    if (mByteLevel) {
        if (mIgnoreMerges) {
            std::string mapped;
            const char32_t *table = byteToUnicodeTable();
            for (unsigned char b : key)
                appendUtf8(mapped, table[b]);
            const auto it = mVocab.find(mapped);
            if (it != mVocab.end())
                return {it->second};
        }
        for (unsigned char b : key) {
            const int id = mByteLevelIds[b];
            if (id >= 0) {
                symbols.push_back(id);
                lastWasUnk = false;
            } else {
                pushUnk();
            }
        }
    } else {
        if (mIgnoreMerges) {
            const auto it = mVocab.find(key);
            if (it != mVocab.end())
                return {it->second};
        }
        std::string utf8;
        for (char32_t c : piece) {
            const auto it = mCharIds.find(c);
            if (it != mCharIds.end()) {
                symbols.push_back(it->second);
                lastWasUnk = false;
                continue;
            }
            bool fellBack = false;
            if (mByteFallback) {
                utf8.clear();
                appendUtf8(utf8, c);
                fellBack = std::all_of(utf8.begin(), utf8.end(), [&](char b) {
                    return mByteFallbackIds[static_cast<unsigned char>(b)] >= 0;
                });
                if (fellBack) {
                    for (char b : utf8)
                        symbols.push_back(mByteFallbackIds[static_cast<unsigned char>(b)]);
                    lastWasUnk = false;
                }
            }
            if (!fellBack)
                pushUnk();
        }
    }
    mergeSymbols(symbols);
    return symbols;
}

void HfBpeTokenizer::tokenizeWord(const std::u32string &piece, std::vector<int> &out) const
{
    std::string key = toUtf8(piece.data(), piece.data() + piece.size());
    {
        QMutexLocker lock(&mCacheMutex);
        const auto it = mCache.find(key);
        if (it != mCache.end()) {
            out.insert(out.end(), it->second.begin(), it->second.end());
            return;
        }
    }
    std::vector<int> ids = bpeWord(key, piece);
    out.insert(out.end(), ids.begin(), ids.end());
    QMutexLocker lock(&mCacheMutex);
    if (mCache.size() > 500000) // bounded: a stream of unique garbage must not grow memory forever
        mCache.clear();
    mCache.emplace(std::move(key), std::move(ids));
}

std::vector<int> HfBpeTokenizer::encode(const QString &text, bool addSpecial) const
{
    std::vector<Segment> segments;
    Segment all {toCodePoints(text), -1, true};
    if (mRawMatcher.empty())
        segments.push_back(std::move(all));
    else
        mRawMatcher.split(std::move(all), segments);

    // Normalize the text between added tokens, then split out the normalized added tokens.
    if (!mNormalizer.empty() || !mNormalizedMatcher.empty()) {
        std::vector<Segment> normalized;
        for (Segment &s : segments) {
            if (s.addedId >= 0) {
                normalized.push_back(std::move(s));
                continue;
            }
            s.text = normalize(s.text);
            if (s.text.empty())
                continue;
            if (mNormalizedMatcher.empty())
                normalized.push_back(std::move(s));
            else
                mNormalizedMatcher.split(std::move(s), normalized);
        }
        segments.swap(normalized);
    }

    std::vector<int> ids;
    ids.reserve(size_t(text.size()) / 3 + 4);
    std::vector<std::u32string> pieces;
    for (const Segment &s : segments) {
        if (s.addedId >= 0) {
            ids.push_back(s.addedId);
            continue;
        }
        pieces.clear();
        preTokenize(s, pieces);
        for (const std::u32string &piece : pieces)
            tokenizeWord(piece, ids);
    }

    if (addSpecial) {
        for (const std::vector<TemplateItem> &processor : mPostProcessors) {
            std::vector<int> processed;
            processed.reserve(ids.size() + 4);
            for (const TemplateItem &item : processor) {
                if (item.isSequence)
                    processed.insert(processed.end(), ids.begin(), ids.end());
                else
                    processed.insert(processed.end(), item.ids.begin(), item.ids.end());
            }
            ids.swap(processed);
        }
    }
    return ids;
}

// ---------------------------------------------------------------------------------------------
// Decoding: the decoder chain of `tokenizers`, on UTF-8 token strings.

bool parseByteToken(const std::string &token, unsigned char *byte)
{
    if (token.size() != 6 || token.compare(0, 3, "<0x") != 0 || token[5] != '>')
        return false;
    int value = 0;
    for (int i = 3; i < 5; ++i) {
        const char c = token[size_t(i)];
        int d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else
            return false;
        value = value * 16 + d;
    }
    *byte = static_cast<unsigned char>(value);
    return true;
}

// Builds a new string rather than std::string::replace in place, which GCC 12 at -O3 flags
// with a false -Wrestrict.
std::string replaceAll(const std::string &text, const std::string &from, const std::string &to)
{
    if (from.empty())
        return text;
    std::string out;
    out.reserve(text.size());
    size_t pos = 0;
    for (;;) {
        const size_t hit = text.find(from, pos);
        if (hit == std::string::npos)
            break;
        out.append(text, pos, hit - pos);
        out.append(to);
        pos = hit + from.size();
    }
    out.append(text, pos, std::string::npos);
    return out;
}

bool isValidUtf8(const std::string &s)
{
    const QByteArray bytes(s.data(), qsizetype(s.size()));
    const QString decoded = QString::fromUtf8(bytes);
    return decoded.toUtf8() == bytes;
}

// ByteLevel decoder: the byte-mapped characters back to bytes, all tokens joined.
void decodeByteLevel(std::vector<std::string> &tokens)
{
    std::string bytes;
    for (const std::string &t : tokens) {
        for (char32_t c : utf8ToCodePoints(t)) {
            const int b = unicodeToByte(c);
            if (b >= 0)
                bytes.push_back(char(b));
            else
                appendUtf8(bytes, c);
        }
    }
    tokens.assign(1, std::move(bytes));
}

// ByteFallback decoder: runs of <0xNN> tokens become their bytes when those are valid UTF-8.
void decodeByteFallback(std::vector<std::string> &tokens)
{
    std::vector<std::string> out;
    std::string pending;
    int pendingCount = 0;
    auto flush = [&]() {
        if (pendingCount == 0)
            return;
        if (isValidUtf8(pending)) {
            out.push_back(pending);
        } else {
            for (int i = 0; i < pendingCount; ++i)
                out.emplace_back("\xEF\xBF\xBD"); // U+FFFD per byte, as `tokenizers`
        }
        pending.clear();
        pendingCount = 0;
    };
    for (std::string &t : tokens) {
        unsigned char b;
        if (parseByteToken(t, &b)) {
            pending.push_back(char(b));
            ++pendingCount;
        } else {
            flush();
            out.push_back(std::move(t));
        }
    }
    flush();
    tokens.swap(out);
}

// Strip decoder: up to `start` leading and `stop` trailing copies of the content.
void decodeStrip(std::vector<std::string> &tokens, const DecStep &step)
{
    for (std::string &t : tokens) {
        int start = 0;
        size_t b = 0;
        while (start < step.start && !step.content.empty() && b + step.content.size() <= t.size()
               && t.compare(b, step.content.size(), step.content) == 0) {
            b += step.content.size();
            ++start;
        }
        size_t e = t.size();
        int stop = 0;
        while (stop < step.stop && !step.content.empty() && e >= b + step.content.size()
               && t.compare(e - step.content.size(), step.content.size(), step.content) == 0) {
            e -= step.content.size();
            ++stop;
        }
        t = t.substr(b, e - b);
    }
}

QString HfBpeTokenizer::decode(const std::vector<int> &ids) const
{
    std::vector<std::string> tokens;
    tokens.reserve(ids.size());
    for (int id : ids) {
        if (id < 0 || id >= int(mIdToPiece.size()) || mIsSpecial[size_t(id)])
            continue;
        tokens.push_back(mIdToPiece[size_t(id)]);
    }
    for (const DecStep &step : mDecoder) {
        switch (step.kind) {
        case DecKind::ByteLevel:
            decodeByteLevel(tokens);
            break;
        case DecKind::ReplaceString:
            for (std::string &t : tokens)
                t = replaceAll(t, step.pattern, step.content);
            break;
        case DecKind::ByteFallback:
            decodeByteFallback(tokens);
            break;
        case DecKind::Fuse: {
            std::string all;
            for (const std::string &t : tokens)
                all += t;
            tokens.assign(1, std::move(all));
            break;
        }
        case DecKind::Strip:
            decodeStrip(tokens, step);
            break;
        case DecKind::Metaspace:
            for (size_t i = 0; i < tokens.size(); ++i) {
                std::string &t = tokens[i];
                t = replaceAll(t, step.replacement, " ");
                if (i == 0 && step.prepend != PrependScheme::Never && !t.empty() && t.front() == ' ')
                    t.erase(0, 1);
            }
            break;
        }
    }
    std::string all;
    for (const std::string &t : tokens)
        all += t;
    return QString::fromUtf8(all.data(), qsizetype(all.size()));
}

} // namespace

Expected<std::unique_ptr<Tokenizer>> Tokenizer::fromHuggingFace(const QString &tokenizerJsonPath)
{
    auto tokenizer = std::make_unique<HfBpeTokenizer>();
    if (Status s = tokenizer->load(tokenizerJsonPath); !s)
        return makeError(s.error());
    return std::unique_ptr<Tokenizer>(std::move(tokenizer));
}

} // namespace lqer
