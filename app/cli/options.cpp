#include "options.h"

#include "cli.h"

#include "core/store/sessionstore.h"

#include <QDir>

namespace lqer::cli {

namespace {

QCommandLineOption valueOption(const char *name, const QString &description, const char *valueName)
{
    return QCommandLineOption(QString::fromLatin1(name), description, QString::fromLatin1(valueName));
}

// The value of a format option (--weight, --act, --low-rank), if given.
Expected<std::optional<QuantFormat>> formatOption(const QCommandLineParser &parser, const QString &name)
{
    if (!parser.isSet(name))
        return std::optional<QuantFormat>();
    Expected<QuantFormat> f = QuantFormat::parse(parser.value(name));
    if (!f)
        return makeError(QStringLiteral("--%1: %2").arg(name, f.error()));
    return std::optional<QuantFormat>(*f);
}

// The value of an integer option, if given.
Expected<std::optional<int>> optionalInt(const QCommandLineParser &parser, const QString &name, int minimum)
{
    if (!parser.isSet(name))
        return std::optional<int>();
    Expected<int> v = intOptionValue(parser, name, 0, minimum);
    if (!v)
        return Error {v.error()};
    return std::optional<int>(*v);
}

// Method and SVD backend: names from their tables.
Status readNamedOptions(const QCommandLineParser &parser, PlanOptions &o)
{
    const QString methodFlag = QStringLiteral("method");
    if (parser.isSet(methodFlag)) {
        o.method = methodFromName(parser.value(methodFlag));
        if (!o.method)
            return makeError(QStringLiteral("unknown method '%1' (available: %2)")
                                 .arg(parser.value(methodFlag), methodNames().join(QStringLiteral(", "))));
    }
    const QString svdFlag = QStringLiteral("svd");
    if (parser.isSet(svdFlag)) {
        o.svd = svdBackendFromName(parser.value(svdFlag));
        if (!o.svd)
            return makeError(QStringLiteral("unknown SVD backend '%1' (auto, exact, spectra, randomized)")
                                 .arg(parser.value(svdFlag)));
    }
    return Status::success();
}

} // namespace

void addPlanOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        valueOption(
            "preset",
            QStringLiteral("Start from a preset (default %1): %2.")
                .arg(PlanOptions::defaultPreset(), PlanOptions::presetNames().join(QStringLiteral(", "))),
            "NAME"),
        valueOption("plan", QStringLiteral("Start from a plan file (JSON)."), "FILE"),
        valueOption(
            "method",
            QStringLiteral("Method of every layer: %1.").arg(methodNames().join(QStringLiteral(", "))), "M"),
        valueOption("rank", QStringLiteral("Rank k of every layer (0 = no low-rank term)."), "K"),
        valueOption(
            "weight",
            QStringLiteral("Weight format of every layer, e.g. mxint4, mxint4_e8_b16, int4_g128_sym."),
            "FMT"),
        valueOption("act", QStringLiteral("Activation format of every layer, e.g. mxint8, none."), "FMT"),
        valueOption("low-rank", QStringLiteral("Format of A and B of every layer, e.g. mxint8."), "FMT"),
        valueOption("svd", QStringLiteral("SVD backend: auto, exact, spectra, randomized."), "BACKEND"),
        QCommandLineOption(QStringLiteral("attention-matmuls"),
                           QStringLiteral("Also quantize QK^T and softmax.V at MXINT8.")),
        samplesOption(),
        valueOption("calib-seq-len",
                    QStringLiteral("Calibration sample length (default 512; capped by max positions)."), "L"),
    });
}

Expected<PlanOptions> planOptionsFrom(const QCommandLineParser &parser)
{
    PlanOptions o;
    o.preset = parser.value(QStringLiteral("preset"));
    o.planFile = parser.value(QStringLiteral("plan"));
    if (!o.preset.isEmpty() && !o.planFile.isEmpty())
        return makeError(QStringLiteral("--preset and --plan are exclusive"));
    if (Status s = readNamedOptions(parser, o); !s)
        return Error {s.error()};
    for (auto [name, target] :
         {std::pair {"weight", &o.weight}, std::pair {"act", &o.act}, std::pair {"low-rank", &o.lowRank}}) {
        auto f = formatOption(parser, QString::fromLatin1(name));
        if (!f)
            return Error {f.error()};
        *target = *f;
    }
    for (auto [name, target, minimum] :
         {std::tuple {"rank", &o.rank, 0}, std::tuple {"samples", &o.calibrationSamples, 1},
          std::tuple {"calib-seq-len", &o.calibrationSeqLen, 0}}) {
        auto v = optionalInt(parser, QString::fromLatin1(name), minimum);
        if (!v)
            return Error {v.error()};
        *target = *v;
    }
    o.attentionMatmuls = parser.isSet(QStringLiteral("attention-matmuls"));
    if (Status s = o.validate(); !s)
        return Error {s.error()};
    return o;
}

void addStatsOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        valueOption("calib", QStringLiteral("Calibrate on this text first (when a method needs statistics)."),
                    "FILE"),
        valueOption("stats", QStringLiteral("Calibration statistics saved by `lqer calibrate`."), "FILE"),
    });
}

Expected<StatsSource> statsSourceFrom(const QCommandLineParser &parser)
{
    StatsSource s;
    s.calibText = parser.value(QStringLiteral("calib"));
    s.statsFile = parser.value(QStringLiteral("stats"));
    if (!s.calibText.isEmpty() && !s.statsFile.isEmpty())
        return makeError(QStringLiteral("--calib and --stats are exclusive"));
    return s;
}

void addPlanRequestOptions(QCommandLineParser &parser)
{
    addPlanOptions(parser);
    addStatsOptions(parser);
    addThreadsOption(parser);
}

Status readPlanRequest(const QCommandLineParser &parser, const QString &modelPath, PlanRequest &r)
{
    r.modelPath = modelPath;
    auto options = planOptionsFrom(parser);
    if (!options)
        return Error {options.error()};
    r.planOptions = *options;
    auto plan = options->toPlan();
    if (!plan)
        return Error {plan.error()};
    r.plan = *plan;
    auto source = statsSourceFrom(parser);
    if (!source)
        return Error {source.error()};
    r.statsSource = *source;
    auto threads = threadsFrom(parser);
    if (!threads)
        return Error {threads.error()};
    r.threads = *threads;
    return Status::success();
}

QCommandLineOption samplesOption()
{
    return valueOption("samples", QStringLiteral("Calibration samples (default 32)."), "N");
}

void addWindowOptions(QCommandLineParser &parser, const QString &whatIsScored)
{
    parser.addOptions({
        valueOption(
            "seq-len",
            QStringLiteral(
                "Evaluation window (default 512, the protocol of GOLDEN.md; capped by max positions)."),
            "L"),
        valueOption("windows", QStringLiteral("Score only the first N windows of %1.").arg(whatIsScored),
                    "N"),
    });
}

Expected<WindowOptions> windowOptionsFrom(const QCommandLineParser &parser)
{
    WindowOptions w;
    Expected<int> seqLen = intOptionValue(parser, QStringLiteral("seq-len"), 0, 0);
    if (!seqLen)
        return Error {seqLen.error()};
    Expected<int> windows = intOptionValue(parser, QStringLiteral("windows"), 0, 0);
    if (!windows)
        return Error {windows.error()};
    w.seqLen = *seqLen;
    w.windows = *windows;
    return w;
}

void addThreadsOption(QCommandLineParser &parser)
{
    parser.addOption(valueOption("threads", QStringLiteral("Worker threads (default: all cores)."), "N"));
}

Expected<int> threadsFrom(const QCommandLineParser &parser)
{
    return intOptionValue(parser, QStringLiteral("threads"), 0, 0);
}

void addTokenizerOption(QCommandLineParser &parser)
{
    parser.addOption(
        valueOption("tokenizer", QStringLiteral("Tokenizer file (default: the model's)."), "FILE"));
}

QString tokenizerFrom(const QCommandLineParser &parser)
{
    return parser.value(QStringLiteral("tokenizer"));
}

QCommandLineOption dbOption(const QString &purpose)
{
    return valueOption("db",
                       QStringLiteral("Session database %1 (default: $LQER_SESSIONS_DB or %2).")
                           .arg(purpose, QDir::toNativeSeparators(SessionStore::defaultPath())),
                       "PATH");
}

QCommandLineOption spectrumCountOption()
{
    return valueOption("spectrum-count",
                       QStringLiteral("Singular values kept per layer (recorded run, --spectra): the top N "
                                      "(0 = all, exact; default: all up to 1024, else the top 256). A top N "
                                      "comes from a two-block Krylov sketch, within a few percent."),
                       "N");
}

Expected<int> intOptionValue(const QCommandLineParser &parser, const QString &name, int fallback, int minimum)
{
    if (!parser.isSet(name))
        return fallback;
    bool ok = false;
    const int value = parser.value(name).toInt(&ok);
    if (!ok || value < minimum)
        return makeError(QStringLiteral("--%1 must be %2, got '%3'")
                             .arg(name,
                                  minimum == 0       ? QStringLiteral("a non-negative integer")
                                      : minimum == 1 ? QStringLiteral("a positive integer")
                                                     : QStringLiteral("an integer >= %1").arg(minimum),
                                  parser.value(name)));
    return value;
}

bool modelArgument(const QCommandLineParser &parser, QString &model, int &exitCode)
{
    if (parser.positionalArguments().size() == 1) {
        model = parser.positionalArguments().first();
        return true;
    }
    err(QStringLiteral("%1: expected one MODEL argument\n\n%2").arg(commandName(), helpText(parser)));
    exitCode = 2;
    return false;
}

} // namespace lqer::cli
