// The jobs that run the model (calibration, perplexity, rank sweep) on top of core/model's
// Transformer and Tokenizer, with the protocol of NUMERICS.md §6-7.

#include "app/studio/jobs.h"

#include "core/eval/logitreference.h"
#include "core/eval/perplexity.h"
#include "core/eval/planeval.h"
#include "core/export/ggufmodel.h"
#include "core/export/packedmodel.h"
#include "core/job/pipeline.h"
#include "core/model/tokenizer.h"
#include "core/model/transformer.h"
#include "core/store/recorder.h"
#include "core/store/records.h"

#include <QElapsedTimer>

#include <QDir>
#include <QFileInfo>

#include <cmath>
#include <mutex>

namespace lqer {

namespace {

Status loadText(const Expected<std::unique_ptr<Tokenizer>> &tokenizer, const QString &textPath,
                EvalModel &model)
{
    if (!tokenizer)
        return makeError(tokenizer.error());
    auto text = readTextCorpus(textPath);
    if (!text)
        return makeError(text.error());
    model.tokens = (*tokenizer)->encode(*text, true);
    model.textFingerprint = fileFingerprint(textPath);
    return Status::success();
}

} // namespace

Expected<EvalModel> loadModelAndText(const EvalRequest &request, const ProgressFn &progress)
{
    EvalModel model;
    const Checkpoint &checkpoint = *request.analysis.checkpoint;
    if (Status s = loadText(Tokenizer::forCheckpoint(checkpoint), request.textPath, model); !s)
        return makeError(s.error());
    if (!reportProgress(progress, 0.0, QObject::tr("Loading %1").arg(checkpoint.modelPath())))
        return makeError(cancelledMessage());
    auto transformer = Transformer::fromCheckpoint(checkpoint);
    if (!transformer)
        return makeError(transformer.error());
    model.transformer = std::move(*transformer);
    return model;
}

int windowLength(const EvalRequest &request, const Transformer &t)
{
    int len = request.seqLen > 0 ? request.seqLen : 2048;
    if (t.config().maxPositions > 0)
        len = std::min(len, t.config().maxPositions);
    return len;
}

namespace {

// Quantizes every layer with `plan` and installs the result in the transformer.
Status installPlan(const EvalRequest &request, const Plan &plan, Transformer &t, JobContext &ctx, double from,
                   double to)
{
    InstallPlanOptions options;
    options.stats = request.analysis.stats.get();
    options.cancel = &ctx.cancel;
    auto result = lqer::installPlan(
        t, request.analysis.checkpoint,
        effectivePlan(plan, t.linearNames(), request.analysis.stats.get(), nullptr), options,
        [&](double f, const QString &m) { return ctx.progress(from + (to - from) * f, m); });
    if (!result)
        return makeError(result.error()); // "cancelled" is cancelledMessage()
    return Status::success();
}

// NUMERICS §7: ⌊T/L⌋ windows, tokens 2..L scored. `onWindow` gets the running perplexity.
Expected<EvalProtocol> perplexity(const Transformer &t, const std::vector<int> &tokens, int len,
                                  int maxWindows, bool useQuantized, JobContext &ctx, double from, double to,
                                  const std::function<void(double, int, int)> &onWindow)
{
    int windows = int(tokens.size() / size_t(len));
    if (maxWindows > 0)
        windows = std::min(windows, maxWindows);
    if (windows < 1)
        return makeError(QObject::tr("The evaluation text has %1 tokens, fewer than one window of %2")
                             .arg(tokens.size())
                             .arg(len));
    ForwardOptions options;
    options.useQuantized = useQuantized;
    QElapsedTimer timer;
    timer.start();
    double nll = 0, nll2 = 0; // Σ NLL² for the standard error
    std::vector<int32_t> window(static_cast<size_t>(len));
    for (int w = 0; w < windows; ++w) {
        for (int i = 0; i < len; ++i)
            window[size_t(i)] = tokens[size_t(w) * size_t(len) + size_t(i)];
        auto s = t.sequenceNll(window.data(), len, options, [&](int, double, double x) { nll2 += x * x; });
        if (!s)
            return makeError(s.error());
        nll += *s;
        const double ppl = std::exp(nll / (double(w + 1) * (len - 1)));
        if (onWindow)
            onWindow(ppl, w + 1, windows);
        if (!ctx.progress(from + (to - from) * (w + 1) / windows,
                          QObject::tr("Window %1 of %2, perplexity so far %3")
                              .arg(w + 1)
                              .arg(windows)
                              .arg(ppl, 0, 'f', 3)))
            return makeError(cancelledMessage());
    }
    EvalProtocol out;
    out.windowLength = len;
    out.tokens = qint64(windows) * (len - 1);
    out.nll = nll / double(out.tokens);
    out.perplexity = std::exp(out.nll);
    // σ as llama.cpp: ppl · sd(token NLL) / √(N − 1).
    const double n = double(out.tokens);
    if (n > 1)
        out.perplexityError
            = out.perplexity * std::sqrt(std::max(0.0, nll2 / n - out.nll * out.nll) / (n - 1));
    out.seconds = timer.nsecsElapsed() / 1e9;
    return out;
}

// NUMERICS §6: per sample, mean over tokens of |x_i|; the max over samples; Σ x_i² over tokens.
class StatsCollector : public LinearObserver
{
public:
    explicit StatsCollector(const Transformer &t)
    {
        for (int i = 0; i < t.linearCount(); ++i) {
            LayerStats s;
            s.layer = t.linearName(i);
            const qint64 m = t.linearWeight(i).cols();
            s.meanAbsMax = VectorD::Zero(m);
            s.sumSquares = VectorD::Zero(m);
            mStats.push_back(s);
        }
    }
    Status observe(int index, const MatrixRM &x) override
    {
        std::lock_guard<std::mutex> lock(mMutex);
        LayerStats &s = mStats[size_t(index)];
        for (Eigen::Index c = 0; c < x.cols(); ++c) {
            double sumAbs = 0, sumSq = 0;
            for (Eigen::Index r = 0; r < x.rows(); ++r) {
                const double v = x(r, c);
                sumAbs += std::fabs(v);
                sumSq += v * v;
            }
            s.meanAbsMax[c] = std::max(s.meanAbsMax[c], sumAbs / double(x.rows()));
            s.sumSquares[c] += sumSq;
        }
        if (index == 0)
            mTokens += x.rows();
        return Status::success();
    }
    StatsMap finish(qint64 samples)
    {
        StatsMap out;
        for (LayerStats &s : mStats) {
            s.samples = samples;
            s.tokens = mTokens;
            out.insert(s.layer, s);
        }
        return out;
    }

private:
    std::mutex mMutex;
    std::vector<LayerStats> mStats;
    qint64 mTokens = 0;
};

} // namespace

JobFunction makeCalibrateJob(const EvalRequest &request,
                             std::function<void(std::shared_ptr<const StatsMap>)> onDone,
                             const QString &savePath)
{
    return [request, onDone, savePath](JobContext &ctx) -> Status {
        auto model = loadModelAndText(request, ctx.progress);
        if (!model)
            return makeError(model.error());
        const Transformer &t = *model->transformer;
        const CalibrationSettings &cal = request.analysis.plan.calibration;
        int len = cal.seqLen > 0 ? cal.seqLen : 2048;
        if (t.config().maxPositions > 0)
            len = std::min(len, t.config().maxPositions);
        const int samples = std::min<int>(cal.samples, int(model->tokens.size() / size_t(len)));
        if (samples < 1)
            return makeError(QObject::tr("%1 is too short for one calibration sample of %2 tokens")
                                 .arg(request.textPath)
                                 .arg(len));
        StatsCollector collector(t);
        ForwardOptions options;
        options.observer = &collector;
        options.useQuantized = false;
        std::vector<int32_t> window(static_cast<size_t>(len));
        for (int s = 0; s < samples; ++s) {
            // Each sample runs alone (NUMERICS §6).
            for (int i = 0; i < len; ++i)
                window[size_t(i)] = model->tokens[size_t(s) * size_t(len) + size_t(i)];
            auto out = t.forward(window.data(), len, options);
            if (!out)
                return makeError(out.error());
            if (!ctx.progress(double(s + 1) / samples,
                              QObject::tr("Calibration sample %1 of %2").arg(s + 1).arg(samples)))
                return makeError(cancelledMessage());
        }
        auto stats = std::make_shared<const StatsMap>(collector.finish(samples));
        ctx.post([onDone, stats] { onDone(stats); });
        if (!savePath.isEmpty()) {
            QDir().mkpath(QFileInfo(savePath).absolutePath());
            const Status saved = saveStats(savePath, *stats,
                                           {{QStringLiteral("calibration_text"), request.textPath},
                                            {QStringLiteral("samples"), QString::number(samples)},
                                            {QStringLiteral("seq_len"), QString::number(len)}});
            if (!saved)
                return makeError(QObject::tr("Calibrated, but the statistics could not be saved for the "
                                             "session: %1")
                                     .arg(saved.error()));
        }
        return Status::success();
    };
}

JobFunction makeKlEvaluateJob(const EvalRequest &request, std::shared_ptr<Fp32Reference> cache,
                              bool reportCachedFp32, std::function<void(const EvalProtocol &)> onFp32,
                              std::function<void(const EvalProtocol &)> onDone)
{
    return [request, cache, reportCachedFp32, onFp32, onDone](JobContext &ctx) -> Status {
        auto model = loadModelAndText(request, ctx.progress);
        if (!model)
            return makeError(model.error());
        Transformer &t = *model->transformer;
        PerplexityConfig config;
        config.model = &t;
        config.tokens = model->tokens;
        config.windowLength = windowLength(request, t);
        config.maxWindows = request.maxWindows;
        config.textName = request.textPath;
        const int len = config.windowLength;
        int windows = int(config.tokens.size() / size_t(len));
        if (request.maxWindows > 0)
            windows = std::min(windows, request.maxWindows);
        if (windows < 1)
            return makeError(QObject::tr("The evaluation text has %1 tokens, fewer than one window of %2")
                                 .arg(config.tokens.size())
                                 .arg(len));
        auto stage = [&ctx](double from, double to) {
            return [&ctx, from, to](double f, const QString &m) {
                return ctx.progress(from + (to - from) * f, m);
            };
        };
        const QString key = QStringLiteral("%1|%2|%3|%4")
                                .arg(request.analysis.checkpoint->fingerprint(), model->textFingerprint)
                                .arg(len)
                                .arg(windows);
        if (cache->key != key || !cache->logits) {
            cache->key.clear();
            cache->logits.reset();
            auto ref = LogitReference::create(QString(), windows, len, int(t.outputEmbedding().rows()),
                                              windowTokensHash(config.tokens, windows, len));
            if (!ref)
                return makeError(ref.error());
            config.useQuantized = false;
            config.saveReference = ref->get();
            auto fp = evaluatePerplexity(config, stage(0.05, 0.35));
            if (!fp)
                return makeError(fp.error());
            cache->logits = std::move(*ref);
            cache->fp32 = perplexityRecordFromResult(QStringLiteral("fp32"), request.textPath, *fp);
            cache->key = key;
            config.saveReference = nullptr;
            ctx.post([onFp32, value = cache->fp32] { onFp32(value); });
        } else if (reportCachedFp32) {
            ctx.post([onFp32, value = cache->fp32] { onFp32(value); });
        }
        if (Status s = installPlan(request, request.analysis.plan, t, ctx, 0.35, 0.6); !s)
            return s;
        config.useQuantized = true;
        config.reference = cache->logits.get();
        auto q = evaluatePerplexity(config, stage(0.6, 1.0));
        if (!q)
            return makeError(q.error());
        ctx.post(
            [onDone, value = perplexityRecordFromResult(QStringLiteral("quantized"), request.textPath, *q)] {
                onDone(value);
            });
        return Status::success();
    };
}

namespace {

using ModelLoader = std::function<Expected<std::shared_ptr<Transformer>>(const ProgressFn &progress)>;

// Perplexity of a model built from a file by `load` (30 % of the progress), with the tokenizer
// of `tokenizerFolder`; the result is labelled `label`.
JobFunction makeFileEvaluateJob(const EvalRequest &request, const QString &tokenizerFolder,
                                const QString &label, ModelLoader load,
                                std::function<void(double, int, int)> onPartial,
                                std::function<void(const EvalProtocol &)> onDone)
{
    return [request, tokenizerFolder, label, load, onPartial, onDone](JobContext &ctx) -> Status {
        EvalModel model;
        if (Status s = loadText(Tokenizer::fromModelFolder(tokenizerFolder), request.textPath, model); !s)
            return s;
        auto transformer = load([&](double f, const QString &m) { return ctx.progress(0.3 * f, m); });
        if (!transformer)
            return makeError(transformer.error());
        const Transformer &t = **transformer;
        auto partial = [&](double ppl, int done, int total) {
            if (onPartial)
                ctx.post([onPartial, ppl, done, total] { onPartial(ppl, done, total); });
        };
        auto ppl = perplexity(t, model.tokens, windowLength(request, t), request.maxWindows, true, ctx, 0.3,
                              1.0, partial);
        if (!ppl)
            return makeError(ppl.error());
        EvalProtocol value = *ppl;
        value.label = label;
        value.textPath = request.textPath;
        value.textFingerprint = model.textFingerprint;
        ctx.post([onDone, value] { onDone(value); });
        return Status::success();
    };
}

} // namespace

JobFunction makePackedEvaluateJob(const EvalRequest &request, const QString &packedPath,
                                  std::function<void(double, int, int)> onPartial,
                                  std::function<void(const EvalProtocol &)> onDone)
{
    return makeFileEvaluateJob(
        request, packedPath, QStringLiteral("packed"),
        [packedPath](const ProgressFn &progress) { return loadPackedModel(packedPath, progress); }, onPartial,
        onDone);
}

JobFunction makeGgufEvaluateJob(const EvalRequest &request, const QString &ggufPath, const QString &loraPath,
                                std::function<void(double, int, int)> onPartial,
                                std::function<void(const EvalProtocol &)> onDone)
{
    return makeFileEvaluateJob(
        request, QFileInfo(ggufPath).absolutePath(),
        loraPath.isEmpty() ? QStringLiteral("gguf") : QStringLiteral("gguf+lora"),
        [ggufPath, loraPath](const ProgressFn &progress) {
            return loadGgufModel(ggufPath, loraPath, progress);
        },
        onPartial, onDone);
}

JobFunction makeRankSweepJob(const EvalRequest &request, const QList<int> &ranks,
                             std::function<void(const QString &, int, const EvalProtocol &)> onPoint)
{
    return [request, ranks, onPoint](JobContext &ctx) -> Status {
        auto model = loadModelAndText(request, ctx.progress);
        if (!model)
            return makeError(model.error());
        Transformer &t = *model->transformer;
        const int len = windowLength(request, t);
        const double share = 1.0 / std::max<qsizetype>(1, ranks.size());
        for (int i = 0; i < ranks.size(); ++i) {
            Plan plan = request.analysis.plan;
            const int k = ranks[i];
            auto setRank = [k](LayerPlan &lp) {
                lp.rank = k;
                if (k == 0)
                    lp.method = Method::Plain;
            };
            setRank(plan.defaults);
            for (auto it = plan.overrides.begin(); it != plan.overrides.end(); ++it)
                setRank(it.value());
            const double from = i * share;
            const Status s = installPlan(request, plan, t, ctx, from, from + 0.5 * share);
            if (!s)
                return s;
            auto ppl = perplexity(t, model->tokens, len, request.maxWindows, true, ctx, from + 0.5 * share,
                                  from + share, {});
            if (!ppl)
                return makeError(ppl.error());
            Method method = request.analysis.plan.defaults.method;
            if (methodNeedsStats(method) && !request.analysis.stats)
                method = Method::Lqer; // what effectivePlan falls back to
            const QString series = k == 0 ? methodDisplayName(Method::Plain) : methodDisplayName(method);
            EvalProtocol value = *ppl;
            value.label = QStringLiteral("%1 k=%2").arg(series).arg(k);
            value.textPath = request.textPath;
            value.textFingerprint = model->textFingerprint;
            ctx.post([onPoint, series, k, value] { onPoint(series, k, value); });
        }
        return Status::success();
    };
}

} // namespace lqer
