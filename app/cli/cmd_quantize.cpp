// lqer quantize: quantize a model with a plan and evaluate it; --compare runs plain MXINT,
// LQER and L²QER (and QERA with --qera) on one model and prints a paper-Table-II-style table.
// Each method's run is recorded in the session store (recording.h): kind "quantize", the
// per-layer results with spectra, and the perplexities "fp32" and the method's name (every run
// carries the FP32 reference it is compared with, so a run read alone is complete).

#include "cli.h"
#include "klreport.h"
#include "modelcli.h"
#include "options.h"
#include "recording.h"

#include "core/common/cluster.h"
#include "core/eval/outputerror.h"
#include "core/eval/perplexity.h"
#include "core/model/calibration.h"

#include <QElapsedTimer>

namespace lqer::cli {

namespace {

// What the command line asks for.
struct QuantizeRequest : PlanRequest
{
    QString evalText;
    WindowOptions windows;
    KlOptions kl;
    bool compare = false;
    bool qera = false;
    QString savePlan;
};

// The model and what calibration produced for it.
struct Prepared
{
    LoadedModel m;
    QStringList layers;
    QList<Method> methods;
    bool needStats = false;
    QList<TokenIds> calibSamples; // of the calibration text, if one was given and long enough
    StatsMap stats;
    double calibSeconds = 0;
};

struct Row
{
    QString method;
    double ppl = 0;
    double pplError = 0;
    KlStats kl;
    double bits = 0;
    double quantSeconds = 0;
    double evalSeconds = 0;
    double outputError = -1; // mean relative output error over the layers (NUMERICS §5), < 0: not measured
};

// Σ over layers of the relative output error ‖X(W − Ŵ)ᵀ‖_F / ‖X Wᵀ‖_F, averaged: the proxy of
// NUMERICS §5 on a few calibration samples (the samples are small: it is a cheap stand-in).
constexpr int kProxySamples = 4;

void declareOptions(QCommandLineParser &p)
{
    p.setApplicationDescription(QStringLiteral(
        "Quantize MODEL's decoder linears (LQER family, NUMERICS.md §4) and evaluate the perplexity.\n"
        "Example: lqer quantize ../shared/models/lqs-llama-13m --compare --calib calib.txt --eval "
        "heldout.txt"));
    p.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("Hugging Face checkpoint folder"));
    addPlanRequestOptions(p);
    p.addOption(QCommandLineOption(QStringLiteral("eval"), QStringLiteral("Evaluation text (perplexity)."),
                                   QStringLiteral("FILE")));
    addWindowOptions(p, QStringLiteral("the evaluation text"));
    addKlOptions(p);
    p.addOptions({
        QCommandLineOption(
            QStringLiteral("compare"),
            QStringLiteral("Run plain, LQER and L²QER with the same formats and rank and print a table.")),
        QCommandLineOption(QStringLiteral("qera"),
                           QStringLiteral("With --compare: also QERA-approx and QERA-exact.")),
        QCommandLineOption(QStringLiteral("save-plan"), QStringLiteral("Write the plan used as JSON."),
                           QStringLiteral("FILE")),
    });
    CliRecorder::addOptions(p);
}

Expected<QuantizeRequest> requestFrom(const QCommandLineParser &p, const QString &modelPath)
{
    QuantizeRequest r;
    if (Status s = readPlanRequest(p, modelPath, r); !s)
        return Error {s.error()};
    r.evalText = p.value(QStringLiteral("eval"));
    r.compare = p.isSet(QStringLiteral("compare"));
    r.qera = p.isSet(QStringLiteral("qera"));
    if (r.compare && r.evalText.isEmpty())
        return makeError(QStringLiteral("--compare needs --eval FILE"));
    r.savePlan = p.value(QStringLiteral("save-plan"));
    auto windows = windowOptionsFrom(p);
    if (!windows)
        return Error {windows.error()};
    r.windows = *windows;
    auto kl = klOptionsFrom(p);
    if (!kl)
        return Error {kl.error()};
    r.kl = *kl;
    if (r.evalText.isEmpty() && (!r.kl.saveLogits.isEmpty() || !r.kl.klBase.isEmpty()))
        return makeError(QStringLiteral("--save-logits and --kl-base need --eval FILE"));
    return r;
}

QList<Method> methodsToRun(const QuantizeRequest &r)
{
    if (!r.compare)
        return {r.plan.defaults.method};
    QList<Method> methods {Method::Plain, Method::Lqer, Method::L2Qer};
    if (r.qera)
        methods << Method::QeraApprox << Method::QeraExact;
    return methods;
}

// The plan of one method's run: with --compare, the plan with that method on every layer.
Plan planForMethod(const QuantizeRequest &r, Method method)
{
    return r.compare ? withMethod(r.plan, method) : r.plan;
}

Expected<Prepared> loadModel(const QuantizeRequest &r)
{
    Prepared prepared;
    auto m = openModel(r.modelPath, QString());
    if (!m)
        return Error {m.error()};
    if (!m->checkpoint)
        return makeError(
            QStringLiteral("quantize needs a Hugging Face checkpoint folder (config.json + safetensors)"));
    auto layers = linearNames(*m->checkpoint);
    if (!layers)
        return Error {layers.error()};
    prepared.m = std::move(*m);
    prepared.layers = *layers;
    prepared.methods = methodsToRun(r);
    return prepared;
}

// The calibration text is tokenized once: its samples feed the calibration and (the first
// kProxySamples) the output-error proxy. Without statistics to compute, a text too short for
// one window only skips the proxy. Records in the request's plan the calibration that was done.
Status calibrate(Prepared &prepared, QuantizeRequest &r)
{
    Plan &plan = r.plan;
    bool needGram = plan.needsGram(prepared.layers);
    prepared.needStats = plan.needsStats(prepared.layers);
    for (Method method : prepared.methods) {
        prepared.needStats = prepared.needStats || methodNeedsStats(method);
        needGram = needGram || methodNeedsGram(method);
    }
    const StatsSource &source = r.statsSource;
    if (!source.calibText.isEmpty()) {
        auto ids = tokenizeFile(*prepared.m.tokenizer, source.calibText);
        if (!ids)
            return Error {ids.error()};
        auto cut = calibrationSamplesFromTokens(prepared.m, *ids, source.calibText, plan.calibration.samples,
                                                plan.calibration.seqLen);
        if (cut)
            prepared.calibSamples = *cut;
        else if (prepared.needStats)
            return Error {cut.error()};
    }
    if (!prepared.needStats)
        return Status::success();
    if (!source.statsFile.isEmpty()) {
        auto s = loadStats(source.statsFile);
        if (!s)
            return Error {s.error()};
        prepared.stats = *s;
        return Status::success();
    }
    if (source.calibText.isEmpty())
        return makeError(
            QStringLiteral("%1 needs calibration statistics: pass --calib FILE or --stats FILE")
                .arg(r.compare ? QStringLiteral("--compare") : methodDisplayName(plan.defaults.method)));
    auto c = calibrateOnSamples(prepared.m, prepared.calibSamples, needGram, r.threads);
    if (!c)
        return Error {c.error()};
    // What was used, for the saved and recorded plan (0 would read "min(2048, positions)").
    plan.calibration.seqLen = cliWindowLength(plan.calibration.seqLen, prepared.m.model->config());
    plan.calibration.textPath = QFileInfo(source.calibText).absoluteFilePath();
    prepared.stats = c->stats;
    prepared.calibSeconds = c->seconds;
    err(QStringLiteral("calibration: %1 samples x %2 tokens in %3\n")
            .arg(c->samples)
            .arg(c->tokens / std::max<qint64>(1, c->samples))
            .arg(fmtSeconds(c->seconds)));
    return Status::success();
}

// The evaluation of --eval (FP32 first, then each method on the same windows).
struct Evaluation
{
    PerplexityConfig config;
    Fp32Reference fp32;
};

Expected<Row> runMethod(const Prepared &prepared, const QuantizeRequest &r, Method method, Evaluation *eval,
                        CliRecorder *rec)
{
    const Plan run = planForMethod(r, method);
    const QString name = methodDisplayName(method);
    if (rec) {
        if (Status s
            = rec->beginRun(QStringLiteral("quantize"), run, quantizedLayerCount(run, prepared.layers));
            !s)
            return Error {s.error()};
    }
    QElapsedTimer timer;
    timer.start();
    const LoadedModel &m = prepared.m;
    auto inst
        = installPlanRecorded(*m.model, m.checkpoint, run, prepared.needStats ? &prepared.stats : nullptr,
                              stderrProgress(name), r.threads, rec);
    if (!inst)
        return makeError(QStringLiteral("%1: %2").arg(name, inst.error()));
    Row row;
    row.method = name;
    row.bits = inst->averageBits;
    row.quantSeconds = timer.elapsed() / 1000.0;
    // Under mpirun the other ranks only quantize their share of the layers (runPipeline):
    // rank 0 measures and evaluates the whole quantized model.
    const QList<TokenIds> proxySamples
        = Cluster::world().isRoot() ? prepared.calibSamples.mid(0, kProxySamples) : QList<TokenIds>();
    if (!proxySamples.isEmpty()) {
        auto oe = outputErrorProxy(*m.model, proxySamples, r.threads);
        if (!oe)
            return makeError(QStringLiteral("%1: %2").arg(name, oe.error()));
        double sum = 0;
        for (double v : *oe)
            sum += v;
        row.outputError = oe->isEmpty() ? -1 : sum / double(oe->size());
    }
    if (eval) {
        eval->config.useQuantized = true;
        eval->config.reference = eval->fp32.reference.get();
        auto e = evaluatePerplexity(eval->config, stderrProgress(QStringLiteral("%1 eval").arg(name)));
        if (!e)
            return makeError(QStringLiteral("%1: %2").arg(name, e.error()));
        row.ppl = e->perplexity;
        row.pplError = e->perplexityError;
        row.kl = e->kl;
        row.evalSeconds = e->seconds;
        if (rec) {
            rec->addPerplexity(QStringLiteral("fp32"), r.evalText, eval->fp32.fp32);
            rec->addPerplexity(methodName(method), r.evalText, *e);
        }
    }
    if (rec)
        rec->finishRun();
    return row;
}

void printSetup(const Prepared &prepared, const QuantizeRequest &r, const Evaluation *eval)
{
    const Plan &plan = r.plan;
    const LoadedModel &m = prepared.m;
    out(QStringLiteral("model    %1 (%2, %3 quantizable linears)\n")
            .arg(QDir::toNativeSeparators(r.modelPath), architectureName(m.model->config().arch))
            .arg(prepared.layers.size()));
    // The rank of the low-rank runs (with --compare, plain's 0 is not the one shown).
    const LayerPlan shown = planForMethod(r, r.compare ? Method::Lqer : plan.defaults.method).defaults;
    out(QStringLiteral("formats  W %1, A %2, A/B %3, rank %4%5\n")
            .arg(shown.weight.toString(), shown.act.toString(), shown.lowRank.toString())
            .arg(shown.rank)
            .arg(plan.quantizeAttentionMatmuls ? QStringLiteral(", attention matmuls MXINT8") : QString()));
    const StatsSource &source = r.statsSource;
    if (prepared.needStats)
        out(QStringLiteral("calib    %1%2\n")
                .arg(!source.statsFile.isEmpty() ? QDir::toNativeSeparators(source.statsFile)
                                                 : QStringLiteral("%1, %2 samples")
                                                       .arg(QDir::toNativeSeparators(source.calibText))
                                                       .arg(plan.calibration.samples))
                .arg(prepared.calibSeconds > 0
                         ? QStringLiteral(" (%1)").arg(fmtSeconds(prepared.calibSeconds))
                         : QString()));
    if (eval)
        out(QStringLiteral(
                "eval     %1: %2 windows x %3 tokens (raw file, as llama.cpp; not joined with \"\\n\\n\")\n")
                .arg(QDir::toNativeSeparators(r.evalText))
                .arg(eval->fp32.fp32.windows)
                .arg(eval->fp32.fp32.windowLength));
    if (eval && eval->fp32.fromFile)
        out(QStringLiteral("fp32     read from %1 (saved by --save-logits)\n")
                .arg(QDir::toNativeSeparators(r.kl.klBase)));
}

void printTable(const QList<Row> &rows, double fpPpl)
{
    out(QStringLiteral("\n%1 %2 %3 %4 %5 %6 %7 %8 %9 %10\n")
            .arg(QStringLiteral("method"), -12)
            .arg(QStringLiteral("perplexity ± σ"), 18)
            .arg(QStringLiteral("delta"), 9)
            .arg(QStringLiteral("KL mean"), 9)
            .arg(QStringLiteral("KL p99"), 8)
            .arg(QStringLiteral("top-1"), 7)
            .arg(QStringLiteral("out err"), 8)
            .arg(QStringLiteral("avg bits"), 9)
            .arg(QStringLiteral("quantize"), 10)
            .arg(QStringLiteral("eval"), 9));
    for (const Row &r : rows) {
        const bool fp = r.method == QLatin1String("FP32");
        const bool kl = r.kl.measured;
        out(QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9 %10\n")
                .arg(r.method, -12)
                .arg(r.ppl > 0 ? pplText(r.ppl, r.pplError) : QStringLiteral("-"), 18)
                .arg(fp || r.ppl <= 0 ? QStringLiteral("-")
                                      : QStringLiteral("%1%2")
                                            .arg(r.ppl >= fpPpl ? QStringLiteral("+") : QString())
                                            .arg(r.ppl - fpPpl, 0, 'f', 4),
                     9)
                .arg(kl ? QString::number(r.kl.meanKl, 'f', 5) : QStringLiteral("-"), 9)
                .arg(kl ? QString::number(r.kl.p99Kl, 'f', 4) : QStringLiteral("-"), 8)
                .arg(kl ? QStringLiteral("%1%").arg(100 * r.kl.top1, 0, 'f', 2) : QStringLiteral("-"), 7)
                .arg(r.outputError >= 0 ? QString::number(r.outputError, 'f', 4) : QStringLiteral("-"), 8)
                .arg(fp ? QStringLiteral("32") : QString::number(r.bits, 'f', 3), 9)
                .arg(fp ? QStringLiteral("-") : fmtSeconds(r.quantSeconds), 10)
                .arg(r.evalSeconds > 0 ? fmtSeconds(r.evalSeconds) : QStringLiteral("-"), 9));
    }
}

void printNotes(const Prepared &prepared, const CliRecorder *rec, const Evaluation *eval)
{
    if (eval && eval->fp32.reference)
        out(QStringLiteral(
            "(KL: KL(FP32 ‖ quantized) of the next-token distribution in nats per scored token, "
            "its mean and 99th percentile; top-1: tokens whose most likely next token is "
            "FP32's; σ: standard error over the tokens)\n"));
    const qsizetype proxySamples = std::min<qsizetype>(prepared.calibSamples.size(), kProxySamples);
    if (proxySamples > 0)
        out(QStringLiteral("(out err: mean over the layers of ‖X(W − Ŵ)ᵀ‖_F / ‖X Wᵀ‖_F on the first %1 "
                           "calibration samples, "
                           "NUMERICS §5)\n")
                .arg(proxySamples));
    if (rec)
        out(QStringLiteral("(quantize times include the singular values recorded per layer: %1)\n")
                .arg(rec->spectrumCount() > 0 ? QStringLiteral("the top %1").arg(rec->spectrumCount())
                         : rec->spectrumCount() == 0
                         ? QStringLiteral("all of them")
                         : QStringLiteral("all up to 1024, else the top 256; --spectrum-count N "
                                          "keeps the top N, --no-record skips them")));
}

// The FP32 reference on --eval's text (nothing without --eval).
Expected<std::optional<Evaluation>> evaluateFp32(const Prepared &prepared, const QuantizeRequest &r)
{
    if (r.evalText.isEmpty() || !Cluster::world().isRoot()) // under mpirun rank 0 evaluates
        return std::optional<Evaluation>();
    const LoadedModel &m = prepared.m;
    auto ids = tokenizeFile(*m.tokenizer, r.evalText);
    if (!ids)
        return Error {ids.error()};
    Evaluation eval;
    PerplexityConfig &pc = eval.config;
    pc.model = m.model.get();
    pc.tokens = *ids;
    pc.windowLength = cliWindowLength(r.windows.seqLen, m.model->config());
    pc.maxWindows = r.windows.windows;
    pc.threads = r.threads;
    pc.textName = r.evalText;
    pc.useQuantized = false;
    auto fp = fp32Reference(pc, r.kl, stderrProgress(QStringLiteral("FP32")));
    if (!fp)
        return Error {fp.error()};
    eval.fp32 = std::move(*fp);
    return std::optional<Evaluation>(std::move(eval));
}

} // namespace

int cmdQuantize(const QStringList &args)
{
    QCommandLineParser p;
    int code = 0;
    auto request = parseRequest(p, args, declareOptions, requestFrom, code);
    if (!request)
        return code;
    auto recorder = CliRecorder::open(p);
    if (!recorder)
        return fail(recorder.error());
    CliRecorder *rec = recorder->get();
    installInterruptHandler();

    auto prepared = loadModel(*request);
    if (!prepared)
        return failRun(rec, prepared.error());
    if (Status s = calibrate(*prepared, *request); !s)
        return failRun(rec, s.error());
    const Plan &plan = request->plan;
    auto eval = evaluateFp32(*prepared, *request);
    if (!eval)
        return failRun(rec, eval.error());
    // The session is chosen (created when new) only now: a failure or Ctrl-C before the first
    // run leaves the store without an empty session.
    if (rec) {
        if (Status s = rec->useSession(*prepared->m.checkpoint, plan, request->modelPath); !s)
            return fail(s.error());
    }
    Evaluation *evaluation = *eval ? &**eval : nullptr;
    QList<Row> rows;
    if (evaluation) {
        Row fp;
        fp.method = QStringLiteral("FP32");
        fp.ppl = evaluation->fp32.fp32.perplexity;
        fp.pplError = evaluation->fp32.fp32.perplexityError;
        fp.bits = 32;
        fp.evalSeconds = evaluation->fp32.fromFile ? 0 : evaluation->fp32.fp32.seconds;
        rows << fp;
    }
    for (Method method : prepared->methods) {
        auto row = runMethod(*prepared, *request, method, evaluation, rec);
        if (!row)
            return failRun(rec, row.error());
        rows << *row;
    }

    if (!Cluster::world().isRoot())
        return 0;
    // Written once every run is done: a failed or interrupted command leaves no file behind.
    if (!request->savePlan.isEmpty()) {
        if (Status s = writeFileAtomically(request->savePlan, QJsonDocument(plan.toJson()).toJson()); !s)
            return fail(s.error());
    }
    printSetup(*prepared, *request, evaluation);
    printTable(rows, evaluation ? evaluation->fp32.fp32.perplexity : 0);
    printNotes(*prepared, rec, evaluation);
    return finishCommand(rec);
}

} // namespace lqer::cli
