#pragma once

// Perplexity, exactly as NUMERICS.md §7: the whole text tokenized once, split into ⌊T/L⌋
// non-overlapping windows of L tokens (the remainder dropped), tokens 2..L of each window scored
// given the earlier ones, ppl = exp(Σ NLL / (⌊T/L⌋ · (L − 1))). Windows run in parallel, one per
// thread; the NLL of each window is summed in window order, so results do not depend on the
// number of threads.

#include "core/common/expected.h"
#include "core/common/progress.h"
#include "core/eval/klstats.h"
#include "core/model/transformer.h"

#include <QList>
#include <QString>

namespace lqer {

class LogitReference;

struct PerplexityConfig
{
    const Transformer *model = nullptr;
    TokenIds tokens; // the whole tokenized text
    int windowLength = 0; // L; 0 = min(2048, max_position_embeddings)
    int maxWindows = 0; // 0 = all; else only the first N windows (benchmarks, previews)
    bool useQuantized = true; // use the model's installed quantized linears
    int threads = 0; // 0 = QThread::idealThreadCount()
    QString textName; // for messages
    // The FP32 reference (core/eval/logitreference.h): `saveReference` receives this pass's
    // distributions (create() it for these windows); `reference` is compared with, giving
    // PerplexityResult::kl. It must have been saved on the same windows (else an error).
    LogitReference *saveReference = nullptr;
    const LogitReference *reference = nullptr;
};

struct PerplexityResult
{
    double perplexity = 0;
    double meanNll = 0;
    qint64 windows = 0;
    qint64 scoredTokens = 0;
    qint64 totalTokens = 0; // tokens in the text (before dropping the remainder)
    int windowLength = 0;
    double seconds = 0;
    double tokensPerSecond = 0; // forward throughput: windows * L / seconds
    // Thread-seconds spent in the linear layers' products (all windows, all threads) and in the
    // whole windows' scoring: their ratio is the linears' share of the pass.
    double linearSeconds = 0;
    double windowSeconds = 0;
    // σ of the perplexity, as llama.cpp prints "PPL ± σ": ppl · sd(token NLL) / √(N − 1).
    double perplexityError = 0;
    KlStats kl; // with PerplexityConfig::reference
};

// The perplexity and KL of a pass whose scored tokens were the reference's (its FP32 figures
// read back from the reference file: NLL per token, exact).
PerplexityResult perplexityOfReference(const LogitReference &reference);

Expected<PerplexityResult> evaluatePerplexity(const PerplexityConfig &config,
                                              const ProgressFn &progress = {});

// Scores independent sequences (each alone, tokens 2..n given the earlier ones), e.g. the
// TinyStories protocol of GOLDEN.md: one story per sequence. Sequences longer than the model's
// positions are an error naming the sequence; shorter than 2 tokens are skipped.
Expected<PerplexityResult> evaluateSequences(const Transformer &model, const QList<TokenIds> &sequences,
                                             bool useQuantized = true, int threads = 0,
                                             const ProgressFn &progress = {});

} // namespace lqer
