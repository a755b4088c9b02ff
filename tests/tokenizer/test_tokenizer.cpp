// Tokenizer tests. Expected ids come from the reference token counts of GOLDEN.md and from
// independent re-implementations (Python `regex` + a plain BPE loop for tokenizer.json, a
// Python port of llama2.c's encode for tok512.bin) run by hand during development; the values
// are recorded here so the tests need no Python.

#include "core/model/tokenizer.h"
#include "core/model/tokenizer_text.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <string>
#include <thread>
#include <unordered_map>

using namespace lqer;

namespace {

QString sharedPath(const char *relative)
{
    return QDir(QStringLiteral(LQER_SHARED_DIR)).filePath(QString::fromUtf8(relative));
}

QString lqsTokenizerPath()
{
    return sharedPath("models/lqs-llama-13m/tokenizer.json");
}

QString tok512Path()
{
    return sharedPath("models/stories260K/tok512.bin");
}

std::unique_ptr<Tokenizer> openOrFail(Expected<std::unique_ptr<Tokenizer>> result)
{
    if (!result.ok()) {
        qWarning("%s", qUtf8Printable(result.error()));
        return nullptr;
    }
    return std::move(result).value();
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

QByteArray readBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// --- A small, realistic SentencePiece-style BPE tokenizer.json (LLaMA-1/2 layout) -----------
// ids: 0 <unk>, 1 <s>, 2 </s>, 3..258 <0x00>..<0xFF>, then the pieces below.
const char *const kSpPieces[]
    = {"▁",   "h",   "e",      "l",  "o",  "w",    "r",  "d",      "a", "t",  "▁h", "ll",
       "▁he", "llo", "▁hello", "▁w", "or", "▁wor", "ld", "▁world", "é", "at", "▁t"};
// Rank order matters: e.g. "a t" outranks "▁ t", so "that" -> ▁t h at.
const char *const kSpMerges[]
    = {"▁ h", "l l", "▁h e", "ll o", "▁he llo", "▁ w", "o r", "▁w or", "l d", "▁wor ld", "a t", "▁ t"};

int spId(const char *piece)
{
    for (int i = 0; i < int(std::size(kSpPieces)); ++i)
        if (std::strcmp(kSpPieces[i], piece) == 0)
            return 259 + i;
    return -1;
}

QJsonObject addedToken(int id, const char *content)
{
    return QJsonObject {{QStringLiteral("id"), id},
                        {QStringLiteral("content"), QString::fromUtf8(content)},
                        {QStringLiteral("single_word"), false},
                        {QStringLiteral("lstrip"), false},
                        {QStringLiteral("rstrip"), false},
                        {QStringLiteral("normalized"), false},
                        {QStringLiteral("special"), true}};
}

QJsonObject typed(const char *type, QJsonObject o = {})
{
    o.insert(QStringLiteral("type"), QString::fromUtf8(type));
    return o;
}

QJsonObject replaceStep(const char *from, const char *to)
{
    return typed(
        "Replace",
        {{QStringLiteral("pattern"), QJsonObject {{QStringLiteral("String"), QString::fromUtf8(from)}}},
         {QStringLiteral("content"), QString::fromUtf8(to)}});
}

enum class SpStyle { Legacy, Metaspace };

QJsonObject sentencePieceJson(SpStyle style, bool byteFallback)
{
    QJsonObject vocab;
    vocab.insert(QStringLiteral("<unk>"), 0);
    vocab.insert(QStringLiteral("<s>"), 1);
    vocab.insert(QStringLiteral("</s>"), 2);
    for (int b = 0; b < 256; ++b)
        vocab.insert(QStringLiteral("<0x%1>").arg(
                         QString::number(b, 16).toUpper().rightJustified(2, QLatin1Char('0'))),
                     3 + b);
    for (int i = 0; i < int(std::size(kSpPieces)); ++i)
        vocab.insert(QString::fromUtf8(kSpPieces[i]), 259 + i);
    QJsonArray merges;
    for (const char *m : kSpMerges)
        merges.append(QString::fromUtf8(m));

    const QJsonObject model {{QStringLiteral("type"), QStringLiteral("BPE")},
                             {QStringLiteral("dropout"), QJsonValue::Null},
                             {QStringLiteral("unk_token"), QStringLiteral("<unk>")},
                             {QStringLiteral("continuing_subword_prefix"), QJsonValue::Null},
                             {QStringLiteral("end_of_word_suffix"), QJsonValue::Null},
                             {QStringLiteral("fuse_unk"), true},
                             {QStringLiteral("byte_fallback"), byteFallback},
                             {QStringLiteral("vocab"), vocab},
                             {QStringLiteral("merges"), merges}};
    const QJsonObject bos {
        {QStringLiteral("SpecialToken"),
         QJsonObject {{QStringLiteral("id"), QStringLiteral("<s>")}, {QStringLiteral("type_id"), 0}}}};
    const QJsonObject seqA {
        {QStringLiteral("Sequence"),
         QJsonObject {{QStringLiteral("id"), QStringLiteral("A")}, {QStringLiteral("type_id"), 0}}}};
    const QJsonObject post = typed(
        "TemplateProcessing",
        {{QStringLiteral("single"), QJsonArray {bos, seqA}},
         {QStringLiteral("pair"), QJsonArray {bos, seqA}},
         {QStringLiteral("special_tokens"),
          QJsonObject {{QStringLiteral("<s>"),
                        QJsonObject {{QStringLiteral("id"), QStringLiteral("<s>")},
                                     {QStringLiteral("ids"), QJsonArray {1}},
                                     {QStringLiteral("tokens"), QJsonArray {QStringLiteral("<s>")}}}}}}});

    QJsonObject root {{QStringLiteral("version"), QStringLiteral("1.0")},
                      {QStringLiteral("truncation"), QJsonValue::Null},
                      {QStringLiteral("padding"), QJsonValue::Null},
                      {QStringLiteral("added_tokens"),
                       QJsonArray {addedToken(0, "<unk>"), addedToken(1, "<s>"), addedToken(2, "</s>")}},
                      {QStringLiteral("post_processor"), post},
                      {QStringLiteral("model"), model}};
    if (style == SpStyle::Legacy) {
        root.insert(QStringLiteral("normalizer"),
                    typed("Sequence",
                          {{QStringLiteral("normalizers"),
                            QJsonArray {typed("Prepend", {{QStringLiteral("prepend"), QStringLiteral("▁")}}),
                                        replaceStep(" ", "▁")}}}));
        root.insert(QStringLiteral("pre_tokenizer"), QJsonValue::Null);
        root.insert(QStringLiteral("decoder"),
                    typed("Sequence",
                          {{QStringLiteral("decoders"),
                            QJsonArray {replaceStep("▁", " "), typed("ByteFallback"), typed("Fuse"),
                                        typed("Strip",
                                              {{QStringLiteral("content"), QStringLiteral(" ")},
                                               {QStringLiteral("start"), 1},
                                               {QStringLiteral("stop"), 0}})}}}));
    } else {
        const QJsonObject meta {{QStringLiteral("replacement"), QStringLiteral("▁")},
                                {QStringLiteral("prepend_scheme"), QStringLiteral("first")},
                                {QStringLiteral("split"), true}};
        root.insert(QStringLiteral("normalizer"), QJsonValue::Null);
        root.insert(QStringLiteral("pre_tokenizer"), typed("Metaspace", meta));
        root.insert(QStringLiteral("decoder"), typed("Metaspace", meta));
    }
    return root;
}

// --- An independent port of llama2.c's encode (run.c), O(n^2) as the original ---------------
struct NaiveLlama2c
{
    std::vector<std::string> vocab;
    std::vector<float> scores;
    std::unordered_map<std::string, int> ids;

    bool load(const QString &path)
    {
        const QByteArray d = readBytes(path);
        if (d.size() < 4)
            return false;
        qsizetype at = 4;
        while (at + 8 <= d.size()) {
            float s;
            int32_t len;
            std::memcpy(&s, d.constData() + at, 4);
            std::memcpy(&len, d.constData() + at + 4, 4);
            at += 8;
            vocab.emplace_back(d.constData() + at, size_t(len));
            scores.push_back(s);
            at += len;
        }
        for (int i = 0; i < int(vocab.size()); ++i)
            ids.emplace(vocab[size_t(i)], i);
        return at == d.size();
    }
    int lookup(const std::string &s) const
    {
        const auto it = ids.find(s);
        return it == ids.end() ? -1 : it->second;
    }
    std::vector<int> encode(const QByteArray &text) const
    {
        std::vector<int> t {1};
        if (!text.isEmpty())
            t.push_back(lookup(" "));
        std::string buf;
        for (qsizetype i = 0; i < text.size(); ++i) {
            if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
                buf.clear();
            buf.push_back(text[i]);
            if (i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80
                && buf.size() < 4)
                continue;
            const int id = lookup(buf);
            if (id >= 0)
                t.push_back(id);
            else
                for (char b : buf)
                    t.push_back(int(static_cast<unsigned char>(b)) + 3);
            buf.clear();
        }
        for (;;) {
            float best = -1e10f;
            int bestId = -1, bestIdx = -1;
            for (int i = 0; i + 1 < int(t.size()); ++i) {
                const int id = lookup(vocab[size_t(t[size_t(i)])] + vocab[size_t(t[size_t(i + 1)])]);
                if (id != -1 && scores[size_t(id)] > best) {
                    best = scores[size_t(id)];
                    bestId = id;
                    bestIdx = i;
                }
            }
            if (bestIdx == -1)
                break;
            t[size_t(bestIdx)] = bestId;
            t.erase(t.begin() + bestIdx + 1);
        }
        return t;
    }
};

} // namespace

class TestTokenizer : public QObject
{
    Q_OBJECT

private slots:
    void gpt2Split_data();
    void gpt2Split();

    void lqsWikiText();
    void lqsWikiTextUntranslatedNewlines();
    void lqsCorpora();
    void lqsEdgeCases_data();
    void lqsEdgeCases();
    void lqsMetadata();
    void lqsThreads();
    void splitSequenceLikeLlama3();

    void sentencePieceLegacy();
    void sentencePieceMetaspace();
    void sentencePieceUnkWithoutFallback();

    void llama2cOnceUponATime();
    void llama2cEdgeCases();
    void llama2cMatchesNaiveReference();
    void llama2cBadInput();

    void badHuggingFaceInput();
    void modelFolder();
    void textMustBeUtf8();
};

// Splits recorded from Python's `regex` with the GPT-2 pattern.
void TestTokenizer::gpt2Split_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("pieces");
    auto row = [](const char *name, const char *text, std::initializer_list<const char *> pieces) {
        QStringList list;
        for (const char *p : pieces)
            list << QString::fromUtf8(p);
        QTest::newRow(name) << QString::fromUtf8(text) << list;
    };
    row("words", "Hello world", {"Hello", " world"});
    row("contraction", "don't stop", {"don", "'t", " stop"});
    row("leading spaces", "  hi", {" ", " hi"});
    row("blank line", "a\n\nb", {"a", "\n", "\n", "b"});
    row("space run", "x   y", {"x", "  ", " y"});
    row("numbers and punctuation", "it's 42 apples!!", {"it", "'s", " 42", " apples", "!!"});
    row("trailing spaces", "end  ", {"end", "  "});
    row("tabs", "\t\tx", {"\t", "\t", "x"});
    row("space quote", " 's", {" '", "s"});
    row("unicode", "café 世界 😀", {"café", " 世界", " 😀"});
    row("uppercase contraction is not one", "I'M ok", {"I", "'", "M", " ok"});
    row("letters digits letters", "abc123def", {"abc", "123", "def"});
}

void TestTokenizer::gpt2Split()
{
    QFETCH(QString, text);
    QFETCH(QStringList, pieces);
    const std::u32string cp = tokenizer_detail::toCodePoints(text);
    std::vector<std::pair<int, int>> spans;
    tokenizer_detail::splitGpt2(cp.data(), int(cp.size()), spans);
    QStringList got;
    for (const auto &[b, e] : spans)
        got << tokenizer_detail::fromCodePoints(cp.data() + b, cp.data() + e);
    QCOMPARE(got, pieces);
}

void TestTokenizer::lqsWikiText()
{
    auto tok = openOrFail(Tokenizer::fromHuggingFace(lqsTokenizerPath()));
    QVERIFY(tok);
    QCOMPARE(tok->kind(), QStringLiteral("byte-level BPE"));
    const Expected<QString> text = readTextCorpus(sharedPath("data/wikitext-2-raw/wiki.test.raw"));
    QVERIFY2(text.ok(), qPrintable(text.error()));

    const std::vector<int> ids = tok->encode(*text);

    // GOLDEN.md: 402,295 tokens including the leading <s> (id 0) of the post-processor.
    QCOMPARE(int(ids.size()), 402295);
    const std::vector<int> head {0, 720, 610, 81, 6512, 666, 5706, 353, 720, 223, 201, 610};
    QCOMPARE(std::vector<int>(ids.begin(), ids.begin() + 12), head);
    const std::vector<int> tail {338, 836, 629, 223, 201};
    QCOMPARE(std::vector<int>(ids.end() - 5, ids.end()), tail);

    // Byte-level BPE is lossless.
    QCOMPARE(tok->decode(ids), *text);
}

// Regression pin: wiki.test.raw has CRLF line endings; the reference count is only reached
// with Python's text-mode newline translation (readTextCorpus). Untranslated, the \r's are
// tokens of their own.
void TestTokenizer::lqsWikiTextUntranslatedNewlines()
{
    auto tok = openOrFail(Tokenizer::fromHuggingFace(lqsTokenizerPath()));
    QVERIFY(tok);
    const QString raw = QString::fromUtf8(readBytes(sharedPath("data/wikitext-2-raw/wiki.test.raw")));
    QVERIFY(!raw.isEmpty());
    QCOMPARE(int(tok->encode(raw).size()), 405186);
}

void TestTokenizer::lqsCorpora()
{
    auto tok = openOrFail(Tokenizer::fromHuggingFace(lqsTokenizerPath()));
    QVERIFY(tok);
    // Counts from the Python reference.
    const std::pair<const char *, int> corpora[]
        = {{"data/lqs-corpus/heldout.txt", 216186}, {"data/lqs-corpus/calib.txt", 38270}};
    for (const auto &[file, expected] : corpora) {
        const Expected<QString> text = readTextCorpus(sharedPath(file));
        QVERIFY2(text.ok(), qPrintable(text.error()));
        const std::vector<int> ids = tok->encode(*text);
        QCOMPARE(int(ids.size()), expected);
        QCOMPARE(tok->decode(ids), *text);
    }
}

void TestTokenizer::lqsEdgeCases_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<std::vector<int>>("ids");
    QTest::addColumn<QString>("decoded");
    auto row = [](const char *name, const QString &text, std::vector<int> ids, const QString &decoded) {
        QTest::newRow(name) << text << ids << decoded;
    };
    const QString s40 = QString(40, QLatin1Char(' ')) + QStringLiteral("x");
    row("empty: only BOS", QString(), {0}, QString());
    row("punctuation", QStringLiteral("Hello, world!"), {0, 3589, 355, 14, 2983, 3},
        QStringLiteral("Hello, world!"));
    // Special token text inside the text is matched as the special token (ids from `tokenizers`
    // semantics: added tokens split before pre-tokenization); decode skips specials.
    row("<s> inside text", QStringLiteral("a<s>b"), {0, 67, 0, 68}, QStringLiteral("ab"));
    row("only <s>", QStringLiteral("<s>"), {0, 0}, QString());
    row("blank line", QStringLiteral("\n\n"), {0, 201, 201}, QStringLiteral("\n\n"));
    row("long whitespace run", s40, {0, 1694, 634, 1341}, s40);
    const QString unicode = QString::fromUtf8("naïve café 😀 世界 Ελληνικά");
    row("unicode", unicode,
        {0,   1489, 130, 110, 570, 274, 1418, 130, 105, 223, 175, 256, 249, 225, 223, 163, 119, 247, 166,
         246, 237,  223, 141, 246, 141, 122,  141, 122, 141, 118, 141, 124, 141, 120, 141, 121, 141, 108},
        unicode);
    row("tabs and </s>", QStringLiteral("don't  stop\t\tnow</s>"),
        {0, 5152, 1383, 223, 3743, 200, 200, 4607, 1}, QStringLiteral("don't  stop\t\tnow"));
}

void TestTokenizer::lqsEdgeCases()
{
    QFETCH(QString, text);
    QFETCH(std::vector<int>, ids);
    QFETCH(QString, decoded);
    auto tok = openOrFail(Tokenizer::fromHuggingFace(lqsTokenizerPath()));
    QVERIFY(tok);
    const std::vector<int> got = tok->encode(text);
    QCOMPARE(got, ids);
    QCOMPARE(tok->decode(got), decoded);
    // Without the post-processor, the same ids minus the leading <s>.
    QCOMPARE(tok->encode(text, false), std::vector<int>(ids.begin() + 1, ids.end()));
}

void TestTokenizer::lqsMetadata()
{
    auto tok = openOrFail(Tokenizer::fromHuggingFace(lqsTokenizerPath()));
    QVERIFY(tok);
    QCOMPARE(tok->vocabSize(), 8192);
    QCOMPARE(tok->bosId(), 0);
    QCOMPARE(tok->eosId(), 1);
    QCOMPARE(tok->tokenText(0), QStringLiteral("<s>"));
    QCOMPARE(tok->tokenText(720), QString::fromUtf8("Ġ="));
    QCOMPARE(tok->tokenText(201), QString::fromUtf8("Ċ"));
    QCOMPARE(tok->tokenText(-1), QString());
    QCOMPARE(tok->tokenText(8192), QString());
    // Out-of-range ids are skipped, not a crash.
    QCOMPARE(tok->decode({-5, 720, 99999}), QStringLiteral(" ="));
}

// The BPE cache is shared: concurrent encodes must agree with a sequential one.
void TestTokenizer::lqsThreads()
{
    auto tok = openOrFail(Tokenizer::fromHuggingFace(lqsTokenizerPath()));
    QVERIFY(tok);
    const Expected<QString> text = readTextCorpus(sharedPath("data/lqs-corpus/calib.txt"));
    QVERIFY(text.ok());
    std::vector<int> a, b;
    std::thread t1([&] { a = tok->encode(*text); });
    std::thread t2([&] { b = tok->encode(text->left(text->size() / 2)); });
    t1.join();
    t2.join();
    QCOMPARE(int(a.size()), 38270);
    QCOMPARE(a, tok->encode(*text));
    QCOMPARE(b, tok->encode(text->left(text->size() / 2)));
}

// Llama-3 style: Sequence[Split(regex), ByteLevel(use_regex = false)]. With the GPT-2 pattern
// it must give exactly the ByteLevel(use_regex = true) ids; an equivalent pattern spelled
// differently goes through the generic QRegularExpression path and must agree too.
void TestTokenizer::splitSequenceLikeLlama3()
{
    const QJsonObject original = QJsonDocument::fromJson(readBytes(lqsTokenizerPath())).object();
    QVERIFY(!original.isEmpty());
    auto base = openOrFail(Tokenizer::fromHuggingFace(lqsTokenizerPath()));
    QVERIFY(base);
    const Expected<QString> corpus = readTextCorpus(sharedPath("data/wikitext-2-raw/wiki.test.raw"));
    QVERIFY(corpus.ok());
    const QString sample = corpus->left(20000) + QString::fromUtf8(" naïve 😀 世界  \n\n x's 'll");
    const std::vector<int> expected = base->encode(sample);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString gpt2 = QString::fromUtf8(tokenizer_detail::gpt2SplitPattern);
    for (const QString &pattern : {gpt2, QStringLiteral("(?:") + gpt2 + QStringLiteral(")")}) {
        QJsonObject root = original;
        const QJsonObject split
            = typed("Split",
                    {{QStringLiteral("pattern"), QJsonObject {{QStringLiteral("Regex"), pattern}}},
                     {QStringLiteral("behavior"), QStringLiteral("Isolated")},
                     {QStringLiteral("invert"), false}});
        const QJsonObject byteLevel = typed("ByteLevel",
                                            {{QStringLiteral("add_prefix_space"), false},
                                             {QStringLiteral("trim_offsets"), true},
                                             {QStringLiteral("use_regex"), false}});
        root.insert(QStringLiteral("pre_tokenizer"),
                    typed("Sequence", {{QStringLiteral("pretokenizers"), QJsonArray {split, byteLevel}}}));
        root.insert(QStringLiteral("post_processor"),
                    typed("Sequence",
                          {{QStringLiteral("processors"),
                            QJsonArray {typed("ByteLevel", {{QStringLiteral("trim_offsets"), false}}),
                                        original.value(QStringLiteral("post_processor"))}}}));
        const QString path = dir.filePath(QStringLiteral("llama3like.json"));
        QVERIFY(writeFile(path, QJsonDocument(root).toJson()));
        auto tok = openOrFail(Tokenizer::fromHuggingFace(path));
        QVERIFY(tok);
        QCOMPARE(tok->encode(sample), expected);
    }
}

void TestTokenizer::sentencePieceLegacy()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("tokenizer.json"));
    QVERIFY(writeFile(path, QJsonDocument(sentencePieceJson(SpStyle::Legacy, true)).toJson()));
    auto tok = openOrFail(Tokenizer::fromHuggingFace(path));
    QVERIFY(tok);
    QCOMPARE(tok->kind(), QStringLiteral("SentencePiece BPE"));
    QCOMPARE(tok->vocabSize(), 259 + int(std::size(kSpPieces)));
    QCOMPARE(tok->bosId(), 1);
    QCOMPARE(tok->eosId(), 2);

    // "▁hello▁world": merges ▁h, ll, ▁he, llo, ▁hello, ▁w, or, ▁wor, ld, ▁world.
    const std::vector<int> helloWorld {1, spId("▁hello"), spId("▁world")};
    QCOMPARE(tok->encode(QStringLiteral("hello world")), helloWorld);
    QCOMPARE(tok->decode(helloWorld), QStringLiteral("hello world"));

    // ö is not in the vocabulary: its UTF-8 bytes C3 B6 fall back to <0xC3> <0xB6> (3 + byte).
    const QString wold = QString::fromUtf8("hello wörld");
    const std::vector<int> woldIds {1, spId("▁hello"), spId("▁w"), 3 + 0xC3, 3 + 0xB6, spId("r"), spId("ld")};
    QCOMPARE(tok->encode(wold), woldIds);
    QCOMPARE(tok->decode(woldIds), wold);

    // "a t" (rank 10) outranks "▁ t" (rank 11).
    QCOMPARE(tok->encode(QStringLiteral("that"), false),
             (std::vector<int> {spId("▁t"), spId("h"), spId("at")}));

    // Mixed: c and f fall back to bytes, é is a piece.
    const QString cafe = QString::fromUtf8("café");
    const std::vector<int> cafeIds {1, spId("▁"), 3 + 'c', spId("a"), 3 + 'f', spId("é")};
    QCOMPARE(tok->encode(cafe), cafeIds);
    QCOMPARE(tok->decode(cafeIds), cafe);

    // Emoji and CJK: all bytes; decode reassembles them.
    const QString emoji = QString::fromUtf8("😀世");
    const std::vector<int> emojiIds = tok->encode(emoji);
    const std::vector<int> emojiExpected {1,        spId("▁"), 3 + 0xF0, 3 + 0x9F, 3 + 0x98,
                                          3 + 0x80, 3 + 0xE4,  3 + 0xB8, 3 + 0x96};
    QCOMPARE(emojiIds, emojiExpected);
    QCOMPARE(tok->decode(emojiIds), emoji);

    // Empty text: Prepend adds nothing to an empty string, so only BOS.
    QCOMPARE(tok->encode(QString()), std::vector<int> {1});
    // "\n\n": bytes <0x0A> twice after the prefix.
    QCOMPARE(tok->encode(QStringLiteral("\n\n")), (std::vector<int> {1, spId("▁"), 3 + 10, 3 + 10}));
    QCOMPARE(tok->decode(tok->encode(QStringLiteral("\n\n"))), QStringLiteral("\n\n"));

    // <s> in the text is the special token; the legacy normalizer prepends ▁ to each segment.
    QCOMPARE(tok->encode(QStringLiteral("hello<s> world")),
             (std::vector<int> {1, spId("▁hello"), 1, spId("▁"), spId("▁world")}));

    // A dangling byte token decodes to U+FFFD, as `tokenizers` does.
    QCOMPARE(tok->decode({spId("▁hello"), 3 + 0xC3}), QString::fromUtf8("hello\xEF\xBF\xBD"));

    // Round trip on text mixing all of the above.
    const QString mixed = QString::fromUtf8("hello  world, the café 😀 at\tthat");
    QCOMPARE(tok->decode(tok->encode(mixed)), mixed);
}

void TestTokenizer::sentencePieceMetaspace()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("tokenizer.json"));
    QVERIFY(writeFile(path, QJsonDocument(sentencePieceJson(SpStyle::Metaspace, true)).toJson()));
    auto tok = openOrFail(Tokenizer::fromHuggingFace(path));
    QVERIFY(tok);
    QCOMPARE(tok->kind(), QStringLiteral("SentencePiece BPE"));
    // Split on ▁ (merged with the next piece): the same ids as the legacy normalizer here.
    const std::vector<int> helloWorld {1, spId("▁hello"), spId("▁world")};
    QCOMPARE(tok->encode(QStringLiteral("hello world")), helloWorld);
    QCOMPARE(tok->decode(helloWorld), QStringLiteral("hello world"));
    // prepend_scheme "first": only the segment at the start of the text gets a ▁.
    QCOMPARE(tok->encode(QStringLiteral("hello<s>world")),
             (std::vector<int> {1, spId("▁hello"), 1, spId("w"), spId("or"), spId("ld")}));
    QCOMPARE(tok->encode(QStringLiteral("hello<s> world")),
             (std::vector<int> {1, spId("▁hello"), 1, spId("▁world")}));
}

void TestTokenizer::sentencePieceUnkWithoutFallback()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("tokenizer.json"));
    QVERIFY(writeFile(path, QJsonDocument(sentencePieceJson(SpStyle::Legacy, false)).toJson()));
    auto tok = openOrFail(Tokenizer::fromHuggingFace(path));
    QVERIFY(tok);
    // x, y, z are not pieces: without byte fallback they become <unk>, fused into one.
    QCOMPARE(tok->encode(QStringLiteral("xyz hello")), (std::vector<int> {1, spId("▁"), 0, spId("▁hello")}));
}

void TestTokenizer::llama2cOnceUponATime()
{
    auto tok = openOrFail(Tokenizer::fromLlama2c(tok512Path()));
    QVERIFY(tok);
    QCOMPARE(tok->kind(), QStringLiteral("llama2.c"));
    QCOMPARE(tok->vocabSize(), 512);
    QCOMPARE(tok->bosId(), 1);
    QCOMPARE(tok->eosId(), 2);
    // BOS, then " Once" " upon" " a" " time": the dummy-prefix space merges into the first word.
    const std::vector<int> ids {1, 403, 407, 261, 378};
    QCOMPARE(tok->encode(QStringLiteral("Once upon a time")), ids);
    QCOMPARE(tok->tokenText(403), QStringLiteral(" Once"));
    QCOMPARE(tok->tokenText(378), QStringLiteral(" time"));
    QCOMPARE(tok->decode(ids), QStringLiteral("Once upon a time"));
    QCOMPARE(tok->encode(QStringLiteral("Once upon a time"), false),
             std::vector<int>(ids.begin() + 1, ids.end()));
    // With an explicit vocabulary size (the model's), the same.
    auto sized = openOrFail(Tokenizer::fromLlama2c(tok512Path(), 512));
    QVERIFY(sized);
    QCOMPARE(sized->encode(QStringLiteral("Once upon a time")), ids);
}

void TestTokenizer::llama2cEdgeCases()
{
    auto tok = openOrFail(Tokenizer::fromLlama2c(tok512Path()));
    QVERIFY(tok);
    QCOMPARE(tok->encode(QString()), std::vector<int> {1});
    QCOMPARE(tok->encode(QString(), false), std::vector<int> {});
    // From the Python port of llama2.c: é is a piece; 😀 and 世界 fall back to byte + 3; \n is <0x0A>.
    const QString text = QString::fromUtf8("héllo 😀 世界\n\nx");
    const std::vector<int> ids {1,   270, 485, 306, 414, 410, 243, 162, 155, 131,
                                410, 231, 187, 153, 234, 152, 143, 13,  13,  444};
    QCOMPARE(tok->encode(text), ids);
    QCOMPARE(tok->decode(ids), text);
    const QString quote = QStringLiteral("Lily said, \"Hi!\"");
    QCOMPARE(tok->encode(quote), (std::vector<int> {1, 317, 336, 432, 313, 440, 417, 443, 436}));
    QCOMPARE(tok->decode(tok->encode(quote)), quote);
    // Without BOS the dummy-prefix space stays (llama2.c strips it only after BOS).
    QCOMPARE(tok->decode(tok->encode(quote, false)), QStringLiteral(" ") + quote);
    // Long whitespace runs and the specials' text are ordinary bytes here.
    const QString spaces = QString(50, QLatin1Char(' ')) + QStringLiteral("<s>");
    QCOMPARE(tok->decode(tok->encode(spaces)), spaces);
    QCOMPARE(tok->decode({1, 9999, -1, 403}), QStringLiteral("Once"));
    // Equal scores: the same pair at two places merges leftmost first ("oo" "o", not "o" "oo").
    const QString ties = QStringLiteral("Hooo appple fulll");
    QCOMPARE(tok->encode(ties),
             (std::vector<int> {1, 320, 347, 414, 261, 339, 427, 305, 272, 425, 306, 421}));
    QCOMPARE(tok->decode(tok->encode(ties)), ties);
}

// The heap-ordered merge must give exactly llama2.c's O(n^2) greedy loop.
void TestTokenizer::llama2cMatchesNaiveReference()
{
    auto tok = openOrFail(Tokenizer::fromLlama2c(tok512Path()));
    QVERIFY(tok);
    NaiveLlama2c naive;
    QVERIFY(naive.load(tok512Path()));
    const QString sample
        = QString::fromUtf8(readBytes(sharedPath("data/tinystories/tinystories_sample.txt")));
    QVERIFY(sample.size() > 1000);
    const QStringList stories = sample.split(QStringLiteral("<|endoftext|>"));
    QVERIFY(stories.size() >= 2);
    int checked = 0;
    for (const QString &story : stories) {
        const QString s = story.trimmed();
        const std::vector<int> ids = tok->encode(s);
        QCOMPARE(ids, naive.encode(s.toUtf8()));
        QCOMPARE(tok->decode(ids), s);
        checked += int(ids.size());
    }
    QVERIFY(checked > 500);
    const QString odd = QString::fromUtf8(
        "aaaaaaaaaaaaa bbb Hooo appple fulll  ...!!! ééé 12345 \t\n Zoë's \xF0\x9F\x98\x80\xF0\x9F\x98\x80");
    QCOMPARE(tok->encode(odd), naive.encode(odd.toUtf8()));
}

void TestTokenizer::llama2cBadInput()
{
    const auto missing = Tokenizer::fromLlama2c(QStringLiteral("/nonexistent/tok.bin"));
    QVERIFY(!missing.ok());
    QVERIFY2(missing.error().contains(QStringLiteral("/nonexistent/tok.bin")), qPrintable(missing.error()));

    const QByteArray full = readBytes(tok512Path());
    QVERIFY(full.size() > 1000);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString cut = dir.filePath(QStringLiteral("cut.bin"));
    // Cut inside a token's bytes, inside a score, and right after the header.
    for (qsizetype size : {full.size() - 3, full.size() / 2 + 1, qsizetype(6), qsizetype(2)}) {
        QVERIFY(writeFile(cut, full.left(size)));
        const auto r = Tokenizer::fromLlama2c(cut);
        QVERIFY2(!r.ok(), qPrintable(QStringLiteral("size %1 accepted").arg(size)));
        QVERIFY2(r.error().contains(cut) && r.error().contains(QStringLiteral("truncated")),
                 qPrintable(r.error()));
    }
    // More tokens asked for than the file has.
    const auto tooMany = Tokenizer::fromLlama2c(tok512Path(), 600);
    QVERIFY(!tooMany.ok());
    QVERIFY2(tooMany.error().contains(QStringLiteral("truncated")), qPrintable(tooMany.error()));
    // ...said as what it most likely is: the tokenizer of another model.
    QVERIFY2(tooMany.error().contains(QStringLiteral("holds 512 tokens, the model's vocabulary has 600")),
             qPrintable(tooMany.error()));
    // Not a tokenizer at all: a JSON file.
    const auto json = Tokenizer::fromLlama2c(lqsTokenizerPath());
    QVERIFY(!json.ok());
    QVERIFY2(json.error().contains(lqsTokenizerPath()), qPrintable(json.error()));
}

void TestTokenizer::badHuggingFaceInput()
{
    const auto missing = Tokenizer::fromHuggingFace(QStringLiteral("/nonexistent/tokenizer.json"));
    QVERIFY(!missing.ok());
    QVERIFY2(missing.error().contains(QStringLiteral("/nonexistent/tokenizer.json")),
             qPrintable(missing.error()));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("tokenizer.json"));
    QVERIFY(writeFile(path, QByteArrayLiteral("{\"model\": {\"type\": \"BPE\", ")));
    const auto malformed = Tokenizer::fromHuggingFace(path);
    QVERIFY(!malformed.ok());
    QVERIFY2(malformed.error().contains(path) && malformed.error().contains(QStringLiteral("malformed JSON")),
             qPrintable(malformed.error()));

    const QJsonObject good = sentencePieceJson(SpStyle::Legacy, true);
    auto expectError = [&](QJsonObject root, const QString &what) {
        QVERIFY(writeFile(path, QJsonDocument(root).toJson()));
        const auto r = Tokenizer::fromHuggingFace(path);
        QVERIFY2(!r.ok(), qPrintable(what));
        QVERIFY2(r.error().contains(path) && r.error().contains(what), qPrintable(r.error()));
    };
    for (const char *type : {"WordPiece", "Unigram", "WordLevel"}) {
        QJsonObject root = good;
        QJsonObject model = root.value(QStringLiteral("model")).toObject();
        model.insert(QStringLiteral("type"), QString::fromUtf8(type));
        root.insert(QStringLiteral("model"), model);
        expectError(root, QString::fromUtf8(type));
    }
    {
        QJsonObject root = good;
        root.insert(QStringLiteral("pre_tokenizer"), typed("BertPreTokenizer"));
        expectError(root, QStringLiteral("BertPreTokenizer"));
    }
    {
        QJsonObject root = good;
        root.insert(
            QStringLiteral("normalizer"),
            typed("Sequence",
                  {{QStringLiteral("normalizers"), QJsonArray {typed("NFC"), typed("BertNormalizer")}}}));
        expectError(root, QStringLiteral("BertNormalizer"));
    }
    {
        QJsonObject root = good;
        root.insert(QStringLiteral("decoder"), typed("WordPiece"));
        expectError(root, QStringLiteral("WordPiece"));
    }
    {
        QJsonObject root = good;
        QJsonObject model = root.value(QStringLiteral("model")).toObject();
        model.insert(QStringLiteral("merges"), QJsonArray {QStringLiteral("▁ q")});
        root.insert(QStringLiteral("model"), model);
        expectError(root, QStringLiteral("missing from the vocabulary"));
    }
    {
        QJsonObject root = good;
        root.remove(QStringLiteral("model"));
        expectError(root, QStringLiteral("no \"model\""));
    }
    // Ids far beyond the entries (found by the fuzzer: 2.7e8 asked for 8.6 GB of tables), in the
    // vocabulary and in the added tokens.
    {
        QJsonObject root = good;
        QJsonObject model = root.value(QStringLiteral("model")).toObject();
        QJsonObject vocab = model.value(QStringLiteral("vocab")).toObject();
        vocab.insert(QStringLiteral("far"), 270000000);
        model.insert(QStringLiteral("vocab"), vocab);
        root.insert(QStringLiteral("model"), model);
        expectError(root, QStringLiteral("token 'far' has id 270000000, far beyond"));
    }
    {
        QJsonObject root = good;
        QJsonArray added = root.value(QStringLiteral("added_tokens")).toArray();
        added.append(QJsonObject {{QStringLiteral("id"), 2000000000},
                                  {QStringLiteral("content"), QStringLiteral("<x>")}});
        root.insert(QStringLiteral("added_tokens"), added);
        expectError(root, QStringLiteral("token '<x>' has id 2000000000, far beyond"));
    }
    // The NFC / NFKC normalizers are supported: "é" as e + combining acute composes to the piece.
    {
        QJsonObject root = good;
        root.insert(QStringLiteral("normalizer"),
                    typed("Sequence",
                          {{QStringLiteral("normalizers"),
                            QJsonArray {typed("NFKC"),
                                        typed("Prepend", {{QStringLiteral("prepend"), QStringLiteral("▁")}}),
                                        replaceStep(" ", "▁")}}}));
        QVERIFY(writeFile(path, QJsonDocument(root).toJson()));
        auto tok = openOrFail(Tokenizer::fromHuggingFace(path));
        QVERIFY(tok);
        QCOMPARE(tok->encode(QString::fromUtf8("e\xCC\x81"), false),
                 (std::vector<int> {spId("▁"), spId("é")}));
    }
}

void TestTokenizer::modelFolder()
{
    auto tok = openOrFail(Tokenizer::fromModelFolder(sharedPath("models/lqs-opt-14m")));
    QVERIFY(tok);
    QCOMPARE(tok->encode(QStringLiteral("Hello, world!")), (std::vector<int> {0, 3589, 355, 14, 2983, 3}));
    const auto none = Tokenizer::fromModelFolder(sharedPath("models/stories260K"));
    QVERIFY(!none.ok());
    QVERIFY2(none.error().contains(QStringLiteral("stories260K")), qPrintable(none.error()));
    const auto missing = Tokenizer::fromModelFolder(QStringLiteral("/nonexistent/model"));
    QVERIFY(!missing.ok());
    QVERIFY2(missing.error().contains(QStringLiteral("/nonexistent/model")), qPrintable(missing.error()));
    const auto corpus = readTextCorpus(QStringLiteral("/nonexistent/corpus.txt"));
    QVERIFY(!corpus.ok());
    QVERIFY2(corpus.error().contains(QStringLiteral("/nonexistent/corpus.txt")), qPrintable(corpus.error()));
}

// readTextCorpus accepts every well-formed UTF-8 sequence (1 to 4 bytes, a BOM) and rejects
// with file, byte and line what RFC 3629 forbids: stray continuation bytes, cut sequences,
// overlong forms, UTF-16 surrogates, code points above U+10FFFF.
void TestTokenizer::textMustBeUtf8()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("t.txt"));
    const auto read = [&](const QByteArray &bytes) {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(path));
        f.close();
        return readTextCorpus(path);
    };
    const QByteArray good(
        "\xEF\xBB\xBF"
        "a \xC3\xA9 \xE2\x82\xAC \xED\x9F\xBF \xEE\x80\x80 \xF0\x9D\x84\x9E \xF4\x8F\xBF\xBF\n");
    const auto ok = read(good);
    QVERIFY2(ok.ok(), qPrintable(ok.error()));
    QCOMPARE(*ok, QString::fromUtf8(good.mid(3)));
    const QList<QPair<QByteArray, int>> bad {{QByteArray("ab\x80"), 2}, // continuation byte alone
                                             {QByteArray("line\nx\xC3"), 6}, // cut at the end
                                             {QByteArray("\xC3\x28"), 0}, // lead byte, then ASCII
                                             {QByteArray("\xC0\xAF"), 0}, // overlong '/'
                                             {QByteArray("\xE0\x80\xAF"), 0}, // overlong, 3 bytes
                                             {QByteArray("\xF0\x80\x80\xAF"), 0}, // overlong, 4 bytes
                                             {QByteArray("z\xED\xA0\x80"), 1}, // surrogate U+D800
                                             {QByteArray("\xF4\x90\x80\x80"), 0}, // U+110000
                                             {QByteArray("\xF5\x80\x80\x80"), 0}, // no such lead byte
                                             {QByteArray("\xFF"), 0}};
    for (const auto &[bytes, at] : bad) {
        const auto r = read(bytes);
        QVERIFY2(!r.ok(), bytes.toHex().constData());
        const QString expected
            = QStringLiteral("at byte %1 (line %2)").arg(at).arg(bytes.left(at).count('\n') + 1);
        QVERIFY2(r.error().contains(path) && r.error().contains(QStringLiteral("not UTF-8"))
                     && r.error().contains(expected),
                 qPrintable(r.error() + QStringLiteral(" / expected: ") + expected));
    }
}

QTEST_GUILESS_MAIN(TestTokenizer)
#include "test_tokenizer.moc"
