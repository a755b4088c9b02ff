#include "core/model/tokenizer_text.h"

#include <QChar>

#include <array>

namespace lqer::tokenizer_detail {

const char gpt2SplitPattern[]
    = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

std::u32string toCodePoints(const QString &text)
{
    std::u32string out;
    out.reserve(size_t(text.size()));
    const QChar *p = text.constData();
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = p[i].unicode();
        if (QChar::isHighSurrogate(c) && i + 1 < n && QChar::isLowSurrogate(p[i + 1].unicode())) {
            out.push_back(QChar::surrogateToUcs4(c, p[i + 1].unicode()));
            ++i;
        } else if (QChar::isSurrogate(c)) {
            out.push_back(char32_t(0xFFFD));
        } else {
            out.push_back(char32_t(c));
        }
    }
    return out;
}

QString fromCodePoints(const char32_t *begin, const char32_t *end)
{
    return QString::fromUcs4(begin, end - begin);
}

QString fromCodePoints(const std::u32string &text)
{
    return fromCodePoints(text.data(), text.data() + text.size());
}

void appendUtf8(std::string &out, char32_t c)
{
    if (c < 0x80) {
        out.push_back(char(c));
    } else if (c < 0x800) {
        out.push_back(char(0xC0 | (c >> 6)));
        out.push_back(char(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(char(0xE0 | (c >> 12)));
        out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(char(0x80 | (c & 0x3F)));
    } else {
        out.push_back(char(0xF0 | (c >> 18)));
        out.push_back(char(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(char(0x80 | (c & 0x3F)));
    }
}

std::string toUtf8(const char32_t *begin, const char32_t *end)
{
    std::string out;
    out.reserve(size_t(end - begin));
    for (const char32_t *p = begin; p != end; ++p)
        appendUtf8(out, *p);
    return out;
}

std::u32string utf8ToCodePoints(const std::string &utf8)
{
    std::u32string out;
    out.reserve(utf8.size());
    const size_t n = utf8.size();
    size_t i = 0;
    while (i < n) {
        const unsigned char c = static_cast<unsigned char>(utf8[i]);
        int extra = 0;
        char32_t cp = c;
        if (c >= 0xF0) {
            extra = 3;
            cp = c & 0x07;
        } else if (c >= 0xE0) {
            extra = 2;
            cp = c & 0x0F;
        } else if (c >= 0xC0) {
            extra = 1;
            cp = c & 0x1F;
        }
        if (extra > 0 && i + size_t(extra) >= n) {
            out.push_back(char32_t(0xFFFD)); // truncated sequence: never produced by appendUtf8
            break;
        }
        for (int k = 1; k <= extra; ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + size_t(k)]) & 0x3F);
        out.push_back(cp);
        i += size_t(extra) + 1;
    }
    return out;
}

namespace {

struct ByteTables
{
    std::array<char32_t, 256> byteToUnicode {};
    std::array<int, 512> unicodeToByte {}; // every image is below U+0200

    ByteTables()
    {
        unicodeToByte.fill(-1);
        int next = 256;
        for (int b = 0; b < 256; ++b) {
            const bool printable
                = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            byteToUnicode[size_t(b)] = printable ? char32_t(b) : char32_t(next++);
        }
        for (int b = 0; b < 256; ++b)
            unicodeToByte[size_t(byteToUnicode[size_t(b)])] = b;
    }
};

const ByteTables &byteTables()
{
    static const ByteTables tables;
    return tables;
}

// Character classes of the GPT-2 pattern; ASCII from a table because it is nearly all the text.
enum CharClass : unsigned char { Letter, Number, Space, Other };

struct AsciiClasses
{
    std::array<CharClass, 128> cls {};
    AsciiClasses()
    {
        for (int c = 0; c < 128; ++c) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
                cls[size_t(c)] = Letter;
            else if (c >= '0' && c <= '9')
                cls[size_t(c)] = Number;
            else if (c == ' ' || (c >= 0x09 && c <= 0x0D))
                cls[size_t(c)] = Space;
            else
                cls[size_t(c)] = Other;
        }
    }
};

inline CharClass classOf(char32_t c)
{
    static const AsciiClasses ascii;
    if (c < 128)
        return ascii.cls[size_t(c)];
    if (isLetter(c))
        return Letter;
    if (isNumber(c))
        return Number;
    if (isSpace(c))
        return Space;
    return Other;
}

} // namespace

const char32_t *byteToUnicodeTable()
{
    return byteTables().byteToUnicode.data();
}

int unicodeToByte(char32_t c)
{
    return c < 512 ? byteTables().unicodeToByte[size_t(c)] : -1;
}

bool isLetter(char32_t c)
{
    return QChar::isLetter(c);
}

bool isNumber(char32_t c)
{
    return QChar::isNumber(c);
}

bool isSpace(char32_t c)
{
    // QChar::isSpace is the Unicode White_Space set (tab..CR, space, NEL, NBSP, Z* categories),
    // which is what \s means to the regex engines of `tokenizers` and Python's `regex`.
    return QChar::isSpace(c);
}

void splitGpt2(const char32_t *text, int n, std::vector<std::pair<int, int>> &pieces)
{
    int i = 0;
    while (i < n) {
        const char32_t c = text[i];
        // 's|'t|'re|'ve|'m|'ll|'d (case-sensitive, as in GPT-2)
        if (c == U'\'' && i + 1 < n) {
            const char32_t c1 = text[i + 1];
            if (c1 == U's' || c1 == U't' || c1 == U'm' || c1 == U'd') {
                pieces.emplace_back(i, i + 2);
                i += 2;
                continue;
            }
            if (i + 2 < n) {
                const char32_t c2 = text[i + 2];
                if ((c1 == U'r' && c2 == U'e') || (c1 == U'v' && c2 == U'e') || (c1 == U'l' && c2 == U'l')) {
                    pieces.emplace_back(i, i + 3);
                    i += 3;
                    continue;
                }
            }
        }
        //  ?\p{L}+ |  ?\p{N}+ |  ?[^\s\p{L}\p{N}]+
        int j = i;
        if (c == U' ' && i + 1 < n)
            j = i + 1;
        const CharClass k = classOf(text[j]);
        if (k != Space) {
            int e = j + 1;
            while (e < n && classOf(text[e]) == k)
                ++e;
            pieces.emplace_back(i, e);
            i = e;
            continue;
        }
        // \s+(?!\S) | \s+ : a whitespace run leaves its last character to the word after it.
        int e = i + 1;
        while (e < n && classOf(text[e]) == Space)
            ++e;
        if (e < n && e - i >= 2)
            --e;
        pieces.emplace_back(i, e);
        i = e;
    }
}

} // namespace lqer::tokenizer_detail
