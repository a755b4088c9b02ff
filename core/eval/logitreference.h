#pragma once

// The FP32 model's next-token distributions on the evaluation windows, kept so that a quantized
// model can be compared with them token by token (KL divergence, top-1 agreement, Δppl), as
// llama.cpp's --kl-divergence-base / --kl-divergence do. One file, memory-mapped: written once
// by the FP32 pass (--save-logits FILE, or a temporary file for the run) and read by every
// quantized pass on the same windows.
//
// Layout (little-endian): a 64-byte header — magic "LQERLGP1", uint32 vocab, uint32 window
// length L, uint32 windows, uint32 complete (1 once every row is written), uint64 FNV-1a hash of
// the windows' tokens, zeros — then windows × (L − 1) rows, one per scored position:
// double NLL of the next token, float min log-probability, float step, int32 argmax token,
// uint32 0, uint16 codes[vocab] (log p ≈ min + code · step), padded to 8 bytes. Log-probabilities
// below max − 25 are clamped there (p < 1.4e-11); the 16-bit step is then ≤ 3.9e-4 nats.

#include "core/common/expected.h"

#include <QFile>
#include <QString>

#include <cstdint>
#include <memory>
#include <span>

namespace lqer {

class LogitReference
{
public:
    // A new file at `path` (an empty path: a temporary file removed with the object) for
    // `windows` windows of `windowLength` tokens over a vocabulary of `vocab`.
    static Expected<std::unique_ptr<LogitReference>> create(const QString &path, int windows,
                                                            int windowLength, int vocab, quint64 tokensHash);
    // A file written before; an error naming it when it is not one, is truncated or incomplete.
    static Expected<std::unique_ptr<LogitReference>> open(const QString &path);
    ~LogitReference();
    LogitReference(const LogitReference &) = delete;
    LogitReference &operator=(const LogitReference &) = delete;

    int windows() const { return mWindows; }
    int windowLength() const { return mWindowLength; }
    int vocab() const { return mVocab; }
    quint64 tokensHash() const { return mTokensHash; }
    QString path() const { return mPath; }

    // Stores position `position` of window `window` (thread-safe for distinct rows).
    void writeRow(int window, int position, const float *logits, double logSumExp, double nll);
    // Marks the file complete and flushes it.
    Status finish();

    struct Row
    {
        double nll = 0; // of the next token, exact (double)
        int32_t argmax = 0;
        double kl = 0; // KL(reference || model) of the row given to compare()
        bool top1 = false; // the model's argmax equals the reference's
    };
    // Compares the model's logits of one position with the stored distribution.
    Row compare(int window, int position, const float *logits, int vocab, double logSumExp) const;

    // The stored NLL of the next token at one position.
    double storedNll(int window, int position) const;

    // An error naming the file when it was not saved on these windows (count, length, tokens).
    Status checkMatches(int windows, int windowLength, int vocab, quint64 tokensHash) const;

private:
    LogitReference() = default;
    uchar *rowPointer(int window, int position) const;

    std::unique_ptr<QFile> mFile;
    QString mPath;
    bool mTemporary = false;
    uchar *mMap = nullptr;
    qint64 mRowBytes = 0;
    int mWindows = 0, mWindowLength = 0, mVocab = 0;
    quint64 mTokensHash = 0;
};

// FNV-1a over the tokens of the first `windows` windows of `windowLength` tokens.
quint64 windowTokensHash(std::span<const int32_t> tokens, int windows, int windowLength);

} // namespace lqer
