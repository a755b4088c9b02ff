#pragma once

// Text helpers shared by the tokenizers (internal to core/model, exposed for tests): code
// points, UTF-8, the GPT-2 byte <-> unicode table and a hand-written GPT-2 pre-tokenizer split.
// Tokenizers work on code points (char32_t) because every pre-tokenizer rule is defined on
// characters, while QString is UTF-16.

#include <QString>

#include <string>
#include <utility>
#include <vector>

namespace lqer::tokenizer_detail {

// UTF-16 -> code points; an unpaired surrogate becomes U+FFFD (as QString::toUcs4 does).
std::u32string toCodePoints(const QString &text);
QString fromCodePoints(const std::u32string &text);
QString fromCodePoints(const char32_t *begin, const char32_t *end);
void appendUtf8(std::string &out, char32_t c);
std::string toUtf8(const char32_t *begin, const char32_t *end);
// Decodes UTF-8 that is known to be valid (produced by appendUtf8).
std::u32string utf8ToCodePoints(const std::string &utf8);

// GPT-2's bytes_to_unicode(): printable Latin-1 bytes map to themselves, the other 68 bytes
// to U+0100.. in byte order, so that every byte is a visible, non-space character.
const char32_t *byteToUnicodeTable(); // 256 entries
// The inverse; -1 for a code point that is no byte's image.
int unicodeToByte(char32_t c);

// Unicode classes as the GPT-2 regex sees them: \p{L}, \p{N}, \s.
bool isLetter(char32_t c);
bool isNumber(char32_t c);
bool isSpace(char32_t c);

// The pattern of GPT-2's ByteLevel pre-tokenizer (HF `tokenizers`, use_regex = true):
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// The same string in a Split pre-tokenizer takes the fast path below.
extern const char gpt2SplitPattern[];

// Splits text[0, n) into the pieces the GPT-2 pattern matches (they tile the text), appending
// [begin, end) code-point ranges to `pieces`. Linear time, no regex engine: tokenizing a whole
// corpus is on the perplexity path.
void splitGpt2(const char32_t *text, int n, std::vector<std::pair<int, int>> &pieces);

} // namespace lqer::tokenizer_detail
