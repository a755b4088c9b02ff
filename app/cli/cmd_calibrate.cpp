// lqer calibrate: run the model on calibration text and save the per-linear activation
// statistics (NUMERICS.md §6) for L²QER / QERA.

#include "cli.h"
#include "modelcli.h"
#include "options.h"

#include "core/common/cluster.h"

namespace lqer::cli {

namespace {

void declareOptions(QCommandLineParser &p)
{
    p.setApplicationDescription(
        QStringLiteral("Run MODEL on N samples of L tokens of a text (each sample alone) and save "
                       "per-linear input statistics: max over samples of mean |x_i|, sum of x_i^2, "
                       "and with --gram the m x m sum of x x^T (QERA-exact)."));
    p.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("Hugging Face folder or llama2.c .bin"));
    p.addOptions({
        QCommandLineOption(QStringLiteral("text"), QStringLiteral("Calibration text (UTF-8)."),
                           QStringLiteral("FILE")),
        samplesOption(),
        QCommandLineOption(QStringLiteral("seq-len"),
                           QStringLiteral("Tokens per sample (default 512; capped by max positions)."),
                           QStringLiteral("L")),
        QCommandLineOption(QStringLiteral("gram"),
                           QStringLiteral("Also accumulate x x^T (needed by QERA-exact; m^2 per layer).")),
        QCommandLineOption(QStringList {QStringLiteral("o"), QStringLiteral("output")},
                           QStringLiteral("Output statistics file."), QStringLiteral("FILE")),
    });
    addThreadsOption(p);
    addTokenizerOption(p);
}

} // namespace

int cmdCalibrate(const QStringList &args)
{
    QCommandLineParser p;
    declareOptions(p);
    int code = 0;
    QString modelPath;
    if (!parseOrExit(p, args, code) || !modelArgument(p, modelPath, code))
        return code;
    const QString text = p.value(QStringLiteral("text"));
    const QString output = p.value(QStringLiteral("output"));
    if (text.isEmpty())
        return fail(QStringLiteral("--text FILE is required"));
    if (output.isEmpty())
        return fail(QStringLiteral("-o FILE is required"));
    const bool gram = p.isSet(QStringLiteral("gram"));
    auto samples = intOptionValue(p, QStringLiteral("samples"), 32, 1);
    auto seqLen = intOptionValue(p, QStringLiteral("seq-len"), 0, 0);
    auto threads = threadsFrom(p);
    for (const Expected<int> *v : {&samples, &seqLen, &threads})
        if (!*v)
            return fail(v->error());
    auto m = openModel(modelPath, tokenizerFrom(p));
    if (!m)
        return fail(m.error());
    auto r = calibrateOnText(*m, text, *samples, *seqLen, gram, *threads);
    if (!r)
        return fail(r.error());
    if (!Cluster::world().isRoot())
        return 0; // under mpirun rank 0 writes the statistics of every rank's samples
    const qint64 sampleLength = r->tokens / std::max<qint64>(1, r->samples);
    QMap<QString, QString> meta;
    meta.insert(QStringLiteral("model"), QDir::toNativeSeparators(m->model->source()));
    meta.insert(QStringLiteral("text"), QDir::toNativeSeparators(text));
    meta.insert(QStringLiteral("samples"), QString::number(r->samples));
    meta.insert(QStringLiteral("seq_len"), QString::number(sampleLength));
    meta.insert(QStringLiteral("gram"), gram ? QStringLiteral("true") : QStringLiteral("false"));
    if (Status s = saveStats(output, r->stats, meta); !s)
        return fail(s.error());
    out(QStringLiteral("calibrated %1 linears on %2 samples x %3 tokens in %4 -> %5\n")
            .arg(r->stats.size())
            .arg(r->samples)
            .arg(sampleLength)
            .arg(fmtSeconds(r->seconds), QDir::toNativeSeparators(output)));
    return 0;
}

} // namespace lqer::cli
