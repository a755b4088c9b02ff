// lqer calibrate: run the model on calibration text and save the per-linear activation
// statistics (NUMERICS.md §6) for L²QER / QERA.

#include "cli.h"
#include "modelcli.h"

namespace lqer::cli {

int cmdCalibrate(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Run MODEL on N samples of L tokens of a text (each sample alone) and save "
                       "per-linear input statistics: max over samples of mean |x_i|, sum of x_i^2, "
                       "and with --gram the m x m sum of x x^T (QERA-exact)."));
    p.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("Hugging Face folder or llama2.c .bin"));
    const QCommandLineOption text(QStringLiteral("text"), QStringLiteral("Calibration text (UTF-8)."),
                                  QStringLiteral("FILE"));
    const QCommandLineOption samples(QStringLiteral("samples"),
                                     QStringLiteral("Number of samples (default 32)."), QStringLiteral("N"),
                                     QStringLiteral("32"));
    const QCommandLineOption seqLen(
        QStringLiteral("seq-len"),
        QStringLiteral("Tokens per sample (default 512; capped by max positions)."), QStringLiteral("L"));
    const QCommandLineOption gram(
        QStringLiteral("gram"),
        QStringLiteral("Also accumulate x x^T (needed by QERA-exact; m^2 per layer)."));
    const QCommandLineOption output(QStringList {QStringLiteral("o"), QStringLiteral("output")},
                                    QStringLiteral("Output statistics file."), QStringLiteral("FILE"));
    const QCommandLineOption threads(QStringLiteral("threads"),
                                     QStringLiteral("Worker threads (default: all cores)."),
                                     QStringLiteral("N"));
    const QCommandLineOption tok(QStringLiteral("tokenizer"),
                                 QStringLiteral("Tokenizer file (default: the model's)."),
                                 QStringLiteral("FILE"));
    p.addOptions({text, samples, seqLen, gram, output, threads, tok});
    int code = 0;
    if (!parseOrExit(p, args, code))
        return code;
    if (p.positionalArguments().size() != 1) {
        err(helpText(p));
        return 2;
    }
    if (!p.isSet(text))
        return fail(QStringLiteral("--text FILE is required"));
    if (!p.isSet(output))
        return fail(QStringLiteral("-o FILE is required"));
    const int n = p.value(samples).toInt();
    if (n < 1)
        return fail(QStringLiteral("--samples must be a positive integer"));
    auto m = openModel(p.positionalArguments().first(), p.value(tok));
    if (!m)
        return fail(m.error());
    auto r = calibrateOnText(*m, p.value(text), n, p.value(seqLen).toInt(), p.isSet(gram),
                             p.value(threads).toInt());
    if (!r)
        return fail(r.error());
    QMap<QString, QString> meta;
    meta.insert(QStringLiteral("model"), QDir::toNativeSeparators(m->model->source()));
    meta.insert(QStringLiteral("text"), QDir::toNativeSeparators(p.value(text)));
    meta.insert(QStringLiteral("samples"), QString::number(r->samples));
    meta.insert(QStringLiteral("seq_len"), QString::number(r->tokens / std::max<qint64>(1, r->samples)));
    meta.insert(QStringLiteral("gram"), p.isSet(gram) ? QStringLiteral("true") : QStringLiteral("false"));
    if (Status s = saveStats(p.value(output), r->stats, meta); !s)
        return fail(s.error());
    out(QStringLiteral("calibrated %1 linears on %2 samples x %3 tokens in %4 -> %5\n")
            .arg(r->stats.size())
            .arg(r->samples)
            .arg(r->tokens / std::max<qint64>(1, r->samples))
            .arg(fmtSeconds(r->seconds), QDir::toNativeSeparators(p.value(output))));
    return 0;
}

} // namespace lqer::cli
