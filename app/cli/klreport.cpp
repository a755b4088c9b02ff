#include "klreport.h"

#include <QDir>

namespace lqer::cli {

void addKlOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        QCommandLineOption(QStringLiteral("save-logits"),
                           QStringLiteral("Save the FP32 model's next-token distributions of the evaluation "
                                          "windows to FILE (for --kl-base; 16 bits per token and vocabulary "
                                          "entry)."),
                           QStringLiteral("FILE")),
        QCommandLineOption(
            QStringLiteral("kl-base"),
            QStringLiteral("Compare with FP32 distributions saved by --save-logits on the same "
                           "windows instead of running the FP32 model again."),
            QStringLiteral("FILE")),
        QCommandLineOption(QStringLiteral("no-kl"),
                           QStringLiteral("Skip the comparison with FP32 (KL divergence, top-1 agreement).")),
    });
}

Expected<KlOptions> klOptionsFrom(const QCommandLineParser &parser)
{
    KlOptions o;
    o.saveLogits = parser.value(QStringLiteral("save-logits"));
    o.klBase = parser.value(QStringLiteral("kl-base"));
    o.skip = parser.isSet(QStringLiteral("no-kl"));
    if (!o.saveLogits.isEmpty() && !o.klBase.isEmpty())
        return makeError(
            QStringLiteral("--save-logits and --kl-base exclude each other (the base is already saved)"));
    if (o.skip && (!o.saveLogits.isEmpty() || !o.klBase.isEmpty()))
        return makeError(QStringLiteral("--no-kl excludes --save-logits and --kl-base"));
    return o;
}

Expected<Fp32Reference> fp32Reference(PerplexityConfig config, const KlOptions &options,
                                      const ProgressFn &progress)
{
    Fp32Reference r;
    const int L = config.windowLength;
    qint64 windows64 = qint64(config.tokens.size()) / std::max(1, L);
    if (config.maxWindows > 0)
        windows64 = std::min<qint64>(windows64, config.maxWindows);
    const int windows = int(windows64);
    const int vocab = int(config.model->outputEmbedding().rows());
    config.useQuantized = false;
    config.reference = nullptr;
    config.saveReference = nullptr;
    if (!options.klBase.isEmpty()) {
        auto ref = LogitReference::open(options.klBase);
        if (!ref)
            return Error {ref.error()};
        if (Status s = (*ref)->checkMatches(windows, L, vocab, windowTokensHash(config.tokens, windows, L));
            !s)
            return Error {s.error()};
        r.fp32 = perplexityOfReference(**ref);
        r.fp32.totalTokens = qint64(config.tokens.size());
        r.reference = std::move(*ref);
        r.fromFile = true;
        return r;
    }
    if (!options.skip) {
        if (windows >= 1) {
            auto ref = LogitReference::create(options.saveLogits, windows, L, vocab,
                                              windowTokensHash(config.tokens, windows, L));
            if (!ref)
                return Error {ref.error()};
            r.reference = std::move(*ref);
            config.saveReference = r.reference.get();
        }
    }
    auto fp = evaluatePerplexity(config, progress);
    if (!fp)
        return Error {fp.error()};
    r.fp32 = *fp;
    return r;
}

QString pplText(double ppl, double error)
{
    return QStringLiteral("%1 ± %2").arg(ppl, 0, 'f', 4).arg(error, 0, 'f', 4);
}

QString klLines(const KlStats &kl)
{
    if (!kl.measured)
        return QString();
    return QStringLiteral("fp32        %1 on the same tokens\n"
                          "Δppl        %2%3 ± %4\n"
                          "KL          mean %5 ± %6, median %7, p99 %8, max %9 (nats, from FP32)\n"
                          "top-1       %10 ± %11 % of tokens agree with FP32's most likely token\n")
        .arg(pplText(kl.basePerplexity, kl.basePerplexityError))
        .arg(kl.deltaPerplexity >= 0 ? QStringLiteral("+") : QString())
        .arg(kl.deltaPerplexity, 0, 'f', 4)
        .arg(kl.deltaPerplexityError, 0, 'f', 4)
        .arg(kl.meanKl, 0, 'f', 6)
        .arg(kl.meanKlError, 0, 'f', 6)
        .arg(kl.medianKl, 0, 'f', 6)
        .arg(kl.p99Kl, 0, 'f', 6)
        .arg(kl.maxKl, 0, 'f', 4)
        .arg(100 * kl.top1, 0, 'f', 2)
        .arg(100 * kl.top1Error, 0, 'f', 2);
}

} // namespace lqer::cli
