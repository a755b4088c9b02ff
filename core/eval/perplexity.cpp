#include "perplexity.h"

#include "core/eval/logitreference.h"
#include "core/model/calibration.h"
#include "core/common/parallel.h"

#include <QDir>
#include <QElapsedTimer>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <vector>

namespace lqer {

namespace {

struct Span
{
    const int32_t *tokens;
    int count;
};

// What one window contributes; summed in window order so results do not depend on threads.
struct WindowScore
{
    double nll = 0, nll2 = 0; // Σ NLL, Σ NLL² of the scored tokens
    // With a reference: its NLL sums, Σ NLL·NLL_ref, the KL of each token, top-1 matches.
    double refNll = 0, refNll2 = 0, cross = 0;
    std::vector<float> kl;
    qint64 top1 = 0;
};

// σ of a mean from Σx, Σx² over n samples: sd / √(n − 1), as llama.cpp.
double meanError(double sum, double sum2, qint64 n)
{
    if (n < 2)
        return 0;
    const double mean = sum / double(n);
    return std::sqrt(std::max(0.0, sum2 / double(n) - mean * mean) / double(n - 1));
}

double quantile(std::vector<float> &v, double q)
{
    if (v.empty())
        return 0;
    const size_t k = std::min(v.size() - 1, size_t(std::floor(q * double(v.size() - 1) + 0.5)));
    std::nth_element(v.begin(), v.begin() + qint64(k), v.end());
    return double(v[k]);
}

KlStats klStatistics(const std::vector<WindowScore> &scores, qint64 n, double nll, double nll2)
{
    KlStats k;
    k.measured = true;
    k.tokens = n;
    double refNll = 0, refNll2 = 0, cross = 0, kl = 0, kl2 = 0;
    qint64 top1 = 0;
    std::vector<float> all;
    all.reserve(size_t(n));
    for (const WindowScore &w : scores) {
        refNll += w.refNll;
        refNll2 += w.refNll2;
        cross += w.cross;
        top1 += w.top1;
        for (float v : w.kl) {
            kl += double(v);
            kl2 += double(v) * double(v);
        }
        all.insert(all.end(), w.kl.begin(), w.kl.end());
    }
    const double N = double(std::max<qint64>(1, n));
    k.meanKl = kl / N;
    k.meanKlError = meanError(kl, kl2, n);
    k.maxKl = all.empty() ? 0 : double(*std::max_element(all.begin(), all.end()));
    k.p99Kl = quantile(all, 0.99);
    k.medianKl = quantile(all, 0.5);
    k.top1 = double(top1) / N;
    k.top1Error = n > 1 ? std::sqrt(k.top1 * (1 - k.top1) / double(n - 1)) : 0;
    const double mq = nll / N, mb = refNll / N;
    const double pq = std::exp(mq), pb = std::exp(mb);
    k.basePerplexity = pb;
    k.basePerplexityError = pb * meanError(refNll, refNll2, n);
    k.deltaPerplexity = pq - pb;
    // Delta method on (mean NLL, mean reference NLL): the two are strongly correlated.
    if (n > 1) {
        const double vq = std::max(0.0, nll2 / N - mq * mq), vb = std::max(0.0, refNll2 / N - mb * mb);
        const double cov = cross / N - mq * mb;
        const double var = (pq * pq * vq + pb * pb * vb - 2 * pq * pb * cov) / double(n - 1);
        k.deltaPerplexityError = std::sqrt(std::max(0.0, var));
    }
    return k;
}

Expected<PerplexityResult> scoreSpans(const Transformer &model, const std::vector<Span> &spans,
                                      bool useQuantized, int threads, const ProgressFn &progress,
                                      const QString &what, LogitReference *save = nullptr,
                                      const LogitReference *reference = nullptr)
{
    QElapsedTimer timer;
    timer.start();
    std::vector<WindowScore> scores(spans.size());
    ForwardOptions options;
    options.useQuantized = useQuantized;
    std::atomic<qint64> linearNs {0}, windowNs {0};
    options.linearNanoseconds = &linearNs;
    Status s = runParallel(
        int(spans.size()), threads,
        [&](int i) -> Status {
            WindowScore &w = scores[size_t(i)];
            if (reference)
                w.kl.reserve(size_t(spans[size_t(i)].count));
            auto onRow = [&](int t, const float *logits, int vocab, double lse, double tokenNll) {
                w.nll2 += tokenNll * tokenNll;
                if (save)
                    save->writeRow(i, t, logits, lse, tokenNll);
                if (reference) {
                    const LogitReference::Row r = reference->compare(i, t, logits, vocab, lse);
                    w.refNll += r.nll;
                    w.refNll2 += r.nll * r.nll;
                    w.cross += r.nll * tokenNll;
                    w.kl.push_back(float(r.kl));
                    w.top1 += r.top1 ? 1 : 0;
                }
            };
            QElapsedTimer window;
            window.start();
            const Span &span = spans[size_t(i)];
            // Only saving or comparing distributions needs whole logits rows; the plain score
            // projects the vocabulary a band at a time.
            Expected<double> r = save || reference
                ? model.sequenceScores(span.tokens, span.count, options, onRow)
                : model.sequenceNll(span.tokens, span.count, options,
                                    [&](int, double, double tokenNll) { w.nll2 += tokenNll * tokenNll; });
            windowNs.fetch_add(window.nsecsElapsed(), std::memory_order_relaxed);
            if (!r)
                return makeError(QStringLiteral("%1 %2: %3").arg(what).arg(i).arg(r.error()));
            w.nll = *r;
            return Status::success();
        },
        progress, QStringLiteral("scoring"));
    if (!s)
        return makeError(s.error());
    PerplexityResult result;
    double total = 0, total2 = 0;
    qint64 tokens = 0;
    for (size_t i = 0; i < spans.size(); ++i) {
        total += scores[i].nll;
        total2 += scores[i].nll2;
        tokens += spans[i].count;
        result.scoredTokens += spans[i].count - 1;
    }
    result.windows = qint64(spans.size());
    result.meanNll = result.scoredTokens > 0 ? total / double(result.scoredTokens) : 0.0;
    result.perplexity = std::exp(result.meanNll);
    result.perplexityError = result.perplexity * meanError(total, total2, result.scoredTokens);
    result.seconds = timer.elapsed() / 1000.0;
    result.linearSeconds = double(linearNs.load()) * 1e-9;
    result.windowSeconds = double(windowNs.load()) * 1e-9;
    result.tokensPerSecond = result.seconds > 0 ? double(tokens) / result.seconds : 0.0;
    if (!std::isfinite(result.perplexity))
        return makeError(QStringLiteral("perplexity is not finite (mean NLL %1)").arg(result.meanNll));
    if (reference)
        result.kl = klStatistics(scores, result.scoredTokens, total, total2);
    if (save) {
        if (Status f = save->finish(); !f)
            return makeError(f.error());
    }
    return result;
}

} // namespace

Expected<PerplexityResult> evaluatePerplexity(const PerplexityConfig &config, const ProgressFn &progress)
{
    if (!config.model)
        return makeError(QStringLiteral("perplexity: no model"));
    const Transformer &model = *config.model;
    const QString name = config.textName.isEmpty() ? QStringLiteral("evaluation text")
                                                   : QDir::toNativeSeparators(config.textName);
    const int L = config.windowLength > 0 ? config.windowLength : defaultWindowLength(model.config());
    if (L < 2)
        return makeError(QStringLiteral("%1: window length %2 is too short (at least 2)").arg(name).arg(L));
    if (L > model.config().maxPositions)
        return makeError(QStringLiteral("%1: window length %2 exceeds the model's %3 positions")
                             .arg(name)
                             .arg(L)
                             .arg(model.config().maxPositions));
    const qint64 T = qint64(config.tokens.size());
    if (T == 0)
        return makeError(QStringLiteral("%1: the text is empty (no tokens)").arg(name));
    qint64 windows = T / L;
    if (windows < 1)
        return makeError(QStringLiteral("%1: %2 tokens is shorter than one evaluation window of %3 tokens")
                             .arg(name)
                             .arg(T)
                             .arg(L));
    if (config.maxWindows > 0)
        windows = std::min<qint64>(windows, config.maxWindows);
    std::vector<Span> spans;
    for (qint64 w = 0; w < windows; ++w)
        spans.push_back(Span {config.tokens.data() + w * L, L});
    const quint64 hash = windowTokensHash(config.tokens, int(windows), L);
    const int vocab = int(model.outputEmbedding().rows());
    for (const LogitReference *ref :
         {static_cast<const LogitReference *>(config.saveReference), config.reference})
        if (ref)
            if (Status m = ref->checkMatches(int(windows), L, vocab, hash); !m)
                return makeError(m.error());
    Expected<PerplexityResult> r
        = scoreSpans(model, spans, config.useQuantized, config.threads, progress,
                     name + QStringLiteral(", window"), config.saveReference, config.reference);
    if (!r)
        return r;
    r->totalTokens = T;
    r->windowLength = L;
    return r;
}

Expected<PerplexityResult> evaluateSequences(const Transformer &model, const QList<TokenIds> &sequences,
                                             bool useQuantized, int threads, const ProgressFn &progress)
{
    std::vector<Span> spans;
    qint64 total = 0;
    int longest = 0;
    for (int i = 0; i < sequences.size(); ++i) {
        const TokenIds &s = sequences.at(i);
        total += qint64(s.size());
        if (s.size() < 2)
            continue;
        if (int(s.size()) > model.config().maxPositions)
            return makeError(QStringLiteral("sequence %1 has %2 tokens, more than the model's %3 positions")
                                 .arg(i)
                                 .arg(s.size())
                                 .arg(model.config().maxPositions));
        longest = std::max(longest, int(s.size()));
        spans.push_back(Span {s.data(), int(s.size())});
    }
    if (spans.empty())
        return makeError(QStringLiteral("no sequence has at least 2 tokens to score"));
    Expected<PerplexityResult> r
        = scoreSpans(model, spans, useQuantized, threads, progress, QStringLiteral("sequence"));
    if (!r)
        return r;
    r->totalTokens = total;
    r->windowLength = longest;
    return r;
}

PerplexityResult perplexityOfReference(const LogitReference &reference)
{
    PerplexityResult r;
    const int rows = reference.windowLength() - 1;
    double total = 0, total2 = 0;
    for (int w = 0; w < reference.windows(); ++w)
        for (int t = 0; t < rows; ++t) {
            const double nll = reference.storedNll(w, t);
            total += nll;
            total2 += nll * nll;
        }
    r.windows = reference.windows();
    r.windowLength = reference.windowLength();
    r.scoredTokens = qint64(reference.windows()) * rows;
    r.totalTokens = qint64(reference.windows()) * reference.windowLength();
    r.meanNll = total / double(std::max<qint64>(1, r.scoredTokens));
    r.perplexity = std::exp(r.meanNll);
    r.perplexityError = r.perplexity * meanError(total, total2, r.scoredTokens);
    return r;
}

} // namespace lqer
