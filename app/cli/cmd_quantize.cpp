// lqer quantize: quantize a model with a plan and evaluate it; --compare runs plain MXINT,
// LQER and L²QER (and QERA with --qera) on one model and prints a paper-Table-II-style table.
// Each method's run is recorded in the session store (recording.h): kind "quantize", the
// per-layer results with spectra, and the perplexities "fp32" and the method's name (every run
// carries the FP32 reference it is compared with, so a run read alone is complete).

#include "cli.h"
#include "modelcli.h"
#include "recording.h"

#include "core/eval/outputerror.h"
#include "core/eval/perplexity.h"
#include "core/model/calibration.h"

#include <QElapsedTimer>

namespace lqer::cli {

namespace {

struct Row
{
    QString method;
    double ppl = 0;
    double bits = 0;
    double quantSeconds = 0;
    double evalSeconds = 0;
    double outputError = -1; // mean relative output error over the layers (NUMERICS §5), < 0: not measured
};

// Σ over layers of the relative output error ‖X(W − Ŵ)ᵀ‖_F / ‖X Wᵀ‖_F, averaged: the proxy of
// NUMERICS §5 on a few calibration samples (the samples are small: it is a cheap stand-in).
constexpr int kProxySamples = 4;

} // namespace

int cmdQuantize(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Quantize MODEL's decoder linears (LQER family, NUMERICS.md §4) and evaluate the perplexity.\n"
        "Example: lqer quantize ../shared/models/lqs-llama-13m --compare --calib calib.txt --eval "
        "heldout.txt"));
    p.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("Hugging Face checkpoint folder"));
    const QCommandLineOption presetOpt(QStringLiteral("preset"),
                                       QStringLiteral("Start from a preset (default paper-w4a8): %1.")
                                           .arg(Plan::presetNames().join(QStringLiteral(", "))),
                                       QStringLiteral("NAME"));
    const QCommandLineOption planOpt(QStringLiteral("plan"), QStringLiteral("Start from a plan file (JSON)."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption methodOpt(
        QStringLiteral("method"), QStringLiteral("Method: %1.").arg(methodNames().join(QStringLiteral(", "))),
        QStringLiteral("M"));
    const QCommandLineOption rankOpt(QStringLiteral("rank"), QStringLiteral("Rank k (0 = plain)."),
                                     QStringLiteral("K"));
    const QCommandLineOption weightOpt(
        QStringLiteral("weight"), QStringLiteral("Weight format, e.g. mxint4, mxint4_e8_b16, int4_g128_sym."),
        QStringLiteral("FMT"));
    const QCommandLineOption actOpt(QStringLiteral("act"),
                                    QStringLiteral("Activation format, e.g. mxint8, none."),
                                    QStringLiteral("FMT"));
    const QCommandLineOption lowRankOpt(
        QStringLiteral("low-rank"), QStringLiteral("Format of A and B, e.g. mxint8."), QStringLiteral("FMT"));
    const QCommandLineOption attnOpt(QStringLiteral("attention-matmuls"),
                                     QStringLiteral("Also quantize QK^T and softmax.V at MXINT8."));
    const QCommandLineOption calibOpt(QStringLiteral("calib"), QStringLiteral("Calibration text."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption statsOpt(QStringLiteral("stats"),
                                      QStringLiteral("Calibration statistics (lqer calibrate)."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption samplesOpt(QStringLiteral("samples"),
                                        QStringLiteral("Calibration samples (default 32)."),
                                        QStringLiteral("N"), QStringLiteral("32"));
    const QCommandLineOption calibLenOpt(
        QStringLiteral("calib-seq-len"),
        QStringLiteral("Calibration sample length (default 512; capped by max positions)."),
        QStringLiteral("L"));
    const QCommandLineOption evalOpt(QStringLiteral("eval"), QStringLiteral("Evaluation text (perplexity)."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption seqLenOpt(
        QStringLiteral("seq-len"),
        QStringLiteral(
            "Evaluation window (default 512, the protocol of GOLDEN.md; capped by max positions)."),
        QStringLiteral("L"));
    const QCommandLineOption windowsOpt(
        QStringLiteral("windows"), QStringLiteral("Evaluate only the first N windows."), QStringLiteral("N"));
    const QCommandLineOption compareOpt(
        QStringLiteral("compare"),
        QStringLiteral("Run plain, LQER and L²QER with the same formats and rank and print a table."));
    const QCommandLineOption qeraOpt(QStringLiteral("qera"),
                                     QStringLiteral("With --compare: also QERA-approx and QERA-exact."));
    const QCommandLineOption savePlanOpt(
        QStringLiteral("save-plan"), QStringLiteral("Write the plan used as JSON."), QStringLiteral("FILE"));
    const QCommandLineOption threadsOpt(QStringLiteral("threads"),
                                        QStringLiteral("Worker threads (default: all cores)."),
                                        QStringLiteral("N"));
    p.addOptions({presetOpt, planOpt, methodOpt, rankOpt, weightOpt, actOpt, lowRankOpt, attnOpt, calibOpt,
                  statsOpt, samplesOpt, calibLenOpt, evalOpt, seqLenOpt, windowsOpt, compareOpt, qeraOpt,
                  savePlanOpt, threadsOpt});
    p.addOptions(CliRecorder::options(true));
    int code = 0;
    if (!parseOrExit(p, args, code))
        return code;
    if (p.positionalArguments().size() != 1) {
        err(helpText(p));
        return 2;
    }
    if (p.isSet(presetOpt) && p.isSet(planOpt))
        return fail(QStringLiteral("--preset and --plan are exclusive"));
    if (p.isSet(calibOpt) && p.isSet(statsOpt))
        return fail(QStringLiteral("--calib and --stats are exclusive"));
    if (p.isSet(compareOpt) && !p.isSet(evalOpt))
        return fail(QStringLiteral("--compare needs --eval FILE"));
    const int threads = p.value(threadsOpt).toInt();

    // ---- the plan
    Plan plan;
    if (p.isSet(planOpt)) {
        auto pl = readPlanFile(p.value(planOpt));
        if (!pl)
            return fail(pl.error());
        plan = *pl;
    } else {
        auto pl = Plan::fromPreset(p.isSet(presetOpt) ? p.value(presetOpt) : QStringLiteral("paper-w4a8"));
        if (!pl)
            return fail(pl.error());
        plan = *pl;
    }
    LayerPlan &d = plan.defaults;
    if (p.isSet(methodOpt)) {
        auto m = methodFromName(p.value(methodOpt));
        if (!m)
            return fail(QStringLiteral("unknown method '%1' (available: %2)")
                            .arg(p.value(methodOpt), methodNames().join(QStringLiteral(", "))));
        d.method = *m;
        plan.preset.clear();
    }
    if (p.isSet(rankOpt)) {
        bool ok = false;
        d.rank = p.value(rankOpt).toInt(&ok);
        if (!ok || d.rank < 0)
            return fail(QStringLiteral("--rank must be a non-negative integer"));
        plan.preset.clear();
    }
    for (auto [opt, target] : {std::pair {&weightOpt, &d.weight}, std::pair {&actOpt, &d.act},
                               std::pair {&lowRankOpt, &d.lowRank}}) {
        if (!p.isSet(*opt))
            continue;
        auto f = QuantFormat::parse(p.value(*opt));
        if (!f)
            return fail(QStringLiteral("--%1: %2").arg(opt->names().first(), f.error()));
        *target = *f;
        plan.preset.clear();
    }
    if (p.isSet(attnOpt))
        plan.quantizeAttentionMatmuls = true;
    if (d.method == Method::Plain)
        d.rank = 0;
    plan.calibration.samples = p.value(samplesOpt).toInt();
    plan.calibration.seqLen = p.value(calibLenOpt).toInt();
    plan.calibration.textPath = p.value(calibOpt);
    if (plan.calibration.samples < 1)
        return fail(QStringLiteral("--samples must be a positive integer"));

    // The session store first: a file it cannot use stops the command before any work.
    auto recorder = CliRecorder::open(p);
    if (!recorder)
        return fail(recorder.error());
    CliRecorder *rec = recorder->get();
    installInterruptHandler();

    // ---- the model
    const QString modelPath = p.positionalArguments().first();
    auto m = openModel(modelPath, QString());
    if (!m)
        return failRun(rec, m.error());
    if (!m->checkpoint)
        return fail(
            QStringLiteral("quantize needs a Hugging Face checkpoint folder (config.json + safetensors)"));
    auto layers = quantizableLinears(*m->checkpoint);
    if (!layers)
        return fail(layers.error());
    QStringList names;
    for (const LinearLayerInfo &l : *layers)
        names << l.weightName;

    QList<Method> methods;
    if (p.isSet(compareOpt)) {
        methods = {Method::Plain, Method::Lqer, Method::L2Qer};
        if (p.isSet(qeraOpt))
            methods << Method::QeraApprox << Method::QeraExact;
    } else {
        methods = {d.method};
    }
    bool needStats = false, needGram = false;
    for (Method mm : methods) {
        needStats = needStats || methodNeedsStats(mm);
        needGram = needGram || methodNeedsGram(mm);
    }
    needStats = needStats || plan.needsStats(names);
    needGram = needGram || plan.needsGram(names);

    // The calibration text is tokenized once: its samples feed the calibration and (the first
    // kProxySamples) the output-error proxy. Without statistics to compute, a text too short for
    // one window only skips the proxy.
    QList<TokenIds> calibSamples;
    if (p.isSet(calibOpt)) {
        auto ids = tokenizeFile(*m->tokenizer, p.value(calibOpt));
        if (!ids)
            return failRun(rec, ids.error());
        auto cut = calibrationSamplesFromTokens(*m, *ids, p.value(calibOpt), plan.calibration.samples,
                                                plan.calibration.seqLen);
        if (cut)
            calibSamples = *cut;
        else if (needStats && !p.isSet(statsOpt))
            return failRun(rec, cut.error());
    }

    StatsMap stats;
    double calibSeconds = 0;
    if (needStats) {
        if (p.isSet(statsOpt)) {
            auto s = loadStats(p.value(statsOpt));
            if (!s)
                return fail(s.error());
            stats = *s;
        } else if (p.isSet(calibOpt)) {
            auto c = calibrateOnSamples(*m, calibSamples, needGram, threads);
            if (!c)
                return failRun(rec, c.error());
            // What was used, for the saved and recorded plan (0 would read "min(2048, positions)").
            plan.calibration.seqLen = cliWindowLength(plan.calibration.seqLen, m->model->config());
            plan.calibration.textPath = QFileInfo(p.value(calibOpt)).absoluteFilePath();
            stats = c->stats;
            calibSeconds = c->seconds;
            err(QStringLiteral("calibration: %1 samples x %2 tokens in %3\n")
                    .arg(c->samples)
                    .arg(c->tokens / std::max<qint64>(1, c->samples))
                    .arg(fmtSeconds(c->seconds)));
        } else {
            return fail(
                QStringLiteral("%1 needs calibration statistics: pass --calib FILE or --stats FILE")
                    .arg(p.isSet(compareOpt) ? QStringLiteral("--compare") : methodDisplayName(d.method)));
        }
    }
    if (p.isSet(savePlanOpt)) {
        if (Status s = writeFileAtomically(p.value(savePlanOpt), QJsonDocument(plan.toJson()).toJson()); !s)
            return fail(s.error());
    }
    if (rec) {
        if (Status s = rec->useSession(*m->checkpoint, plan, modelPath); !s)
            return fail(s.error());
    }

    // ---- evaluation text
    TokenIds evalIds;
    PerplexityConfig pc;
    if (p.isSet(evalOpt)) {
        auto ids = tokenizeFile(*m->tokenizer, p.value(evalOpt));
        if (!ids)
            return fail(ids.error());
        evalIds = *ids;
        pc.model = m->model.get();
        pc.tokens = evalIds;
        pc.windowLength = cliWindowLength(p.value(seqLenOpt).toInt(), m->model->config());
        pc.maxWindows = p.value(windowsOpt).toInt();
        pc.threads = threads;
        pc.textName = p.value(evalOpt);
    }

    const QList<TokenIds> proxySamples = calibSamples.mid(0, kProxySamples);

    QList<Row> rows;
    double fpPpl = 0;
    PerplexityResult fpResult;
    if (p.isSet(evalOpt)) {
        pc.useQuantized = false;
        auto r = evaluatePerplexity(pc, stderrProgress(QStringLiteral("FP32")));
        if (!r)
            return failRun(rec, r.error());
        fpPpl = r->perplexity;
        fpResult = *r;
        rows << Row {QStringLiteral("FP32"), r->perplexity, 32, 0, r->seconds};
    }
    for (Method method : methods) {
        Plan run = plan;
        run.defaults.method = method;
        if (method == Method::Plain)
            run.defaults.rank = 0;
        else if (run.defaults.rank == 0)
            run.defaults.rank = 32;
        const QString name = methodDisplayName(method);
        if (rec) {
            if (Status s = rec->beginRun(QStringLiteral("quantize"), run, quantizedLayerCount(run, names));
                !s)
                return failRun(rec, s.error());
        }
        QElapsedTimer timer;
        timer.start();
        auto inst = installPlanRecorded(*m->model, m->checkpoint, run, needStats ? &stats : nullptr,
                                        stderrProgress(QStringLiteral("%1").arg(name)), threads, rec);
        if (!inst)
            return failRun(rec, QStringLiteral("%1: %2").arg(name, inst.error()));
        Row row {name, 0, inst->averageBits, timer.elapsed() / 1000.0, 0};
        if (!proxySamples.isEmpty()) {
            auto oe = outputErrorProxy(*m->model, proxySamples, threads);
            if (!oe)
                return failRun(rec, QStringLiteral("%1: %2").arg(name, oe.error()));
            double sum = 0;
            for (double v : *oe)
                sum += v;
            row.outputError = oe->isEmpty() ? -1 : sum / double(oe->size());
        }
        if (p.isSet(evalOpt)) {
            pc.useQuantized = true;
            auto r = evaluatePerplexity(pc, stderrProgress(QStringLiteral("%1 eval").arg(name)));
            if (!r)
                return failRun(rec, QStringLiteral("%1: %2").arg(name, r.error()));
            row.ppl = r->perplexity;
            row.evalSeconds = r->seconds;
            if (rec) {
                rec->addPerplexity(QStringLiteral("fp32"), p.value(evalOpt), fpResult);
                rec->addPerplexity(methodName(method), p.value(evalOpt), *r);
            }
        }
        if (rec)
            rec->finishRun();
        rows << row;
    }

    // ---- report
    const LayerPlan &dd = plan.defaults;
    out(QStringLiteral("model    %1 (%2, %3 quantizable linears)\n")
            .arg(QDir::toNativeSeparators(m->checkpoint->directory()),
                 architectureName(m->model->config().arch))
            .arg(names.size()));
    out(QStringLiteral("formats  W %1, A %2, A/B %3, rank %4%5\n")
            .arg(dd.weight.toString(), dd.act.toString(), dd.lowRank.toString())
            .arg(dd.method == Method::Plain && !p.isSet(compareOpt) ? 0 : (dd.rank > 0 ? dd.rank : 32))
            .arg(plan.quantizeAttentionMatmuls ? QStringLiteral(", attention matmuls MXINT8") : QString()));
    if (needStats)
        out(QStringLiteral("calib    %1%2\n")
                .arg(p.isSet(statsOpt) ? QDir::toNativeSeparators(p.value(statsOpt))
                                       : QStringLiteral("%1, %2 samples")
                                             .arg(QDir::toNativeSeparators(p.value(calibOpt)))
                                             .arg(plan.calibration.samples))
                .arg(calibSeconds > 0 ? QStringLiteral(" (%1)").arg(fmtSeconds(calibSeconds)) : QString()));
    if (p.isSet(evalOpt))
        out(QStringLiteral(
                "eval     %1: %2 windows x %3 tokens (raw file, as llama.cpp; not joined with \"\\n\\n\")\n")
                .arg(QDir::toNativeSeparators(p.value(evalOpt)))
                .arg(fpResult.windows)
                .arg(fpResult.windowLength));
    out(QStringLiteral("\n%1 %2 %3 %4 %5 %6 %7\n")
            .arg(QStringLiteral("method"), -12)
            .arg(QStringLiteral("perplexity"), 11)
            .arg(QStringLiteral("delta"), 9)
            .arg(QStringLiteral("out err"), 8)
            .arg(QStringLiteral("avg bits"), 9)
            .arg(QStringLiteral("quantize"), 10)
            .arg(QStringLiteral("eval"), 9));
    for (const Row &r : rows) {
        const bool fp = r.method == QLatin1String("FP32");
        out(QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
                .arg(r.method, -12)
                .arg(r.ppl > 0 ? QString::number(r.ppl, 'f', 4) : QStringLiteral("-"), 11)
                .arg(fp || r.ppl <= 0 ? QStringLiteral("-")
                                      : QStringLiteral("%1%2")
                                            .arg(r.ppl >= fpPpl ? QStringLiteral("+") : QString())
                                            .arg(r.ppl - fpPpl, 0, 'f', 4),
                     9)
                .arg(r.outputError >= 0 ? QString::number(r.outputError, 'f', 4) : QStringLiteral("-"), 8)
                .arg(fp ? QStringLiteral("32") : QString::number(r.bits, 'f', 3), 9)
                .arg(fp ? QStringLiteral("-") : fmtSeconds(r.quantSeconds), 10)
                .arg(r.evalSeconds > 0 ? fmtSeconds(r.evalSeconds) : QStringLiteral("-"), 9));
    }
    if (!proxySamples.isEmpty())
        out(QStringLiteral("(out err: mean over the layers of ‖X(W − Ŵ)ᵀ‖_F / ‖X Wᵀ‖_F on the first %1 "
                           "calibration samples, "
                           "NUMERICS §5)\n")
                .arg(proxySamples.size()));
    if (rec)
        out(QStringLiteral("(quantize times include the singular values recorded per layer: %1)\n")
                .arg(rec->spectrumCount() > 0 ? QStringLiteral("the top %1").arg(rec->spectrumCount())
                         : rec->spectrumCount() == 0
                         ? QStringLiteral("all of them")
                         : QStringLiteral("all up to 1024, else the top 256; --spectrum-count N "
                                          "keeps the top N, --no-record skips them")));
    return finishCommand(rec);
}

} // namespace lqer::cli
