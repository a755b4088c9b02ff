#include "perplexity.h"

#include "core/model/calibration.h"
#include "core/common/parallel.h"

#include <QDir>
#include <QElapsedTimer>

#include <cmath>
#include <vector>

namespace lqer {

namespace {

struct Span
{
    const int32_t *tokens;
    int count;
};

Expected<PerplexityResult> scoreSpans(const Transformer &model, const std::vector<Span> &spans,
                                      bool useQuantized, int threads, const ProgressFn &progress,
                                      const QString &what)
{
    QElapsedTimer timer;
    timer.start();
    std::vector<double> nll(spans.size(), 0.0);
    ForwardOptions options;
    options.useQuantized = useQuantized;
    Status s = runParallel(
        int(spans.size()), threads,
        [&](int i) -> Status {
            Expected<double> r = model.sequenceNll(spans[size_t(i)].tokens, spans[size_t(i)].count, options);
            if (!r)
                return makeError(QStringLiteral("%1 %2: %3").arg(what).arg(i).arg(r.error()));
            nll[size_t(i)] = *r;
            return Status::success();
        },
        progress, QStringLiteral("scoring"));
    if (!s)
        return makeError(s.error());
    PerplexityResult result;
    double total = 0;
    qint64 tokens = 0;
    for (size_t i = 0; i < spans.size(); ++i) {
        total += nll[i];
        tokens += spans[i].count;
        result.scoredTokens += spans[i].count - 1;
    }
    result.windows = qint64(spans.size());
    result.meanNll = result.scoredTokens > 0 ? total / double(result.scoredTokens) : 0.0;
    result.perplexity = std::exp(result.meanNll);
    result.seconds = timer.elapsed() / 1000.0;
    result.tokensPerSecond = result.seconds > 0 ? double(tokens) / result.seconds : 0.0;
    if (!std::isfinite(result.perplexity))
        return makeError(QStringLiteral("perplexity is not finite (mean NLL %1)").arg(result.meanNll));
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
    Expected<PerplexityResult> r = scoreSpans(model, spans, config.useQuantized, config.threads, progress,
                                              name + QStringLiteral(", window"));
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

} // namespace lqer
