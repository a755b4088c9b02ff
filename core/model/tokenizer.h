#pragma once

// Tokenizers for the models the studio quantizes and evaluates (ARCHITECTURE.md: core/model):
//  - Hugging Face tokenizer.json with a BPE model: byte-level (GPT-2 / OPT / Pythia / Llama-3)
//    and SentencePiece-style (LLaMA-1/2: "▁" spaces, <0xNN> byte fallback);
//  - llama2.c tokenizer.bin (stories260K's tok512.bin).
// Perplexity depends on every token, so encoding reproduces the reference implementations
// exactly (GOLDEN.md: wiki.test.raw -> 402,295 tokens with lqs-llama-13m).
//
// Thread-safety: a Tokenizer is immutable after loading except for an internal, mutex-guarded
// cache of BPE results; encode/decode may be called from several threads at once.

#include "core/common/expected.h"

#include <QString>

#include <memory>
#include <vector>

namespace lqer {

class Checkpoint;

class Tokenizer
{
public:
    virtual ~Tokenizer();

    // Encodes text; addSpecial applies the tokenizer's own post-processor (e.g. BOS).
    virtual std::vector<int> encode(const QString &text, bool addSpecial = true) const = 0;
    // Decodes ids to text, skipping special tokens (BOS/EOS/pad...). Ids out of range are skipped.
    virtual QString decode(const std::vector<int> &ids) const = 0;
    // The token's own string as stored in the vocabulary (e.g. "Ġthe", "▁the", " the");
    // an empty string for an id out of range.
    virtual QString tokenText(int id) const = 0;
    virtual int vocabSize() const = 0;
    virtual int bosId() const = 0; // -1 if none
    virtual int eosId() const = 0; // -1 if none
    // "byte-level BPE", "SentencePiece BPE", "BPE" or "llama2.c".
    virtual QString kind() const = 0;

    // Opens tokenizer.json (HF `tokenizers` format). An unsupported model type, pre-tokenizer,
    // normalizer, post-processor or decoder gives an error naming the file and the unsupported
    // thing. BOS/EOS come from tokenizer_config.json beside the file when present, else from
    // the post-processor template and well-known token names.
    static Expected<std::unique_ptr<Tokenizer>> fromHuggingFace(const QString &tokenizerJsonPath);

    // Opens a llama2.c tokenizer.bin. vocabSize = -1 reads tokens up to the end of the file;
    // otherwise exactly vocabSize tokens are read (as llama2.c does with the model's vocab size).
    static Expected<std::unique_ptr<Tokenizer>> fromLlama2c(const QString &tokenizerBinPath,
                                                            int vocabSize = -1);

    // The tokenizer of an opened checkpoint: a llama2.c file's tokenizer.bin / tok<vocab>.bin
    // beside it, else the folder's tokenizer.json; an error naming the model if there is none.
    static Expected<std::unique_ptr<Tokenizer>> forCheckpoint(const Checkpoint &checkpoint);

    // A model folder: its tokenizer.json; an error naming the folder if there is none.
    static Expected<std::unique_ptr<Tokenizer>> fromModelFolder(const QString &folderPath);
};

// Reads a text corpus for tokenization: UTF-8 (a leading BOM dropped; a byte that is not
// well-formed UTF-8 is an error naming the file, byte offset and line), with "\r\n" and lone
// "\r" turned into "\n". The reference token counts and perplexities (GOLDEN.md) were computed
// from files opened in Python's text mode, which translates line endings the same way:
// wiki.test.raw has CRLF endings and gives 405,186 tokens untranslated instead of 402,295.
Expected<QString> readTextCorpus(const QString &path);

} // namespace lqer
