// lqer eval: perplexity of a model, optionally quantized by a plan (NUMERICS.md §7), or of a
// packed LQER checkpoint read back without the original weights; --bench: forward throughput in
// fp32 and with W4A8 L²QER emulation, and calibration time. Evaluations (not --bench) are
// recorded in the session store as runs of kind "eval" (recording.h).

#include "cli.h"
#include "modelcli.h"
#include "recording.h"

#include "core/eval/perplexity.h"
#include "core/export/packedmodel.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QThread>

namespace lqer::cli {

namespace {

struct EvalOptions
{
    QString planPath, preset, statsPath, calibPath;
    int samples = 32;
    int calibSeqLen = 0;
    bool attentionMatmuls = false;
    int threads = 0;
};

// Resolves --plan/--preset (+ statistics when the plan needs them) and installs it. With a
// recorder, the run (kind "eval") begins once the plan is complete and records the layers.
Expected<InstallPlanResult> quantizeFromOptions(LoadedModel &m, const EvalOptions &o, Plan *usedPlan,
                                                CliRecorder *recorder = nullptr,
                                                const QString &modelPath = QString())
{
    Plan plan;
    if (!o.planPath.isEmpty()) {
        auto p = readPlanFile(o.planPath);
        if (!p)
            return makeError(p.error());
        plan = *p;
    } else {
        auto p = Plan::fromPreset(o.preset.isEmpty() ? QStringLiteral("paper-w4a8") : o.preset);
        if (!p)
            return makeError(p.error());
        plan = *p;
    }
    if (o.attentionMatmuls)
        plan.quantizeAttentionMatmuls = true;
    if (!m.checkpoint)
        return makeError(
            QStringLiteral("quantized evaluation needs a Hugging Face checkpoint folder (the pipeline reads "
                           "layers from safetensors); llama2.c files run in fp32 only"));
    auto layers = quantizableLinears(*m.checkpoint);
    if (!layers)
        return makeError(layers.error());
    QStringList names;
    for (const LinearLayerInfo &l : *layers)
        names << l.weightName;
    StatsMap stats;
    if (plan.needsStats(names)) {
        if (!o.statsPath.isEmpty()) {
            auto s = loadStats(o.statsPath);
            if (!s)
                return makeError(s.error());
            stats = *s;
        } else if (!o.calibPath.isEmpty()) {
            auto c
                = calibrateOnText(m, o.calibPath, o.samples, o.calibSeqLen, plan.needsGram(names), o.threads);
            if (!c)
                return makeError(c.error());
            stats = c->stats;
            plan.calibration.samples = o.samples;
            plan.calibration.seqLen = cliWindowLength(o.calibSeqLen, m.model->config());
            plan.calibration.textPath = QFileInfo(o.calibPath).absoluteFilePath();
        } else {
            return makeError(
                QStringLiteral("the plan's methods need calibration statistics: pass --stats FILE or "
                               "--calib FILE"));
        }
    }
    if (usedPlan)
        *usedPlan = plan;
    if (recorder) {
        if (Status s = recorder->useSession(*m.checkpoint, plan, modelPath); !s)
            return Error {s.error()};
        if (Status s = recorder->beginRun(QStringLiteral("eval"), plan, quantizedLayerCount(plan, names)); !s)
            return Error {s.error()};
    }
    return installPlanRecorded(*m.model, m.checkpoint, plan, plan.needsStats(names) ? &stats : nullptr,
                               stderrProgress(QStringLiteral("quantizing")), o.threads, recorder);
}

int runBench(LoadedModel &m, const TokenIds &ids, const EvalOptions &o, int windowLength, int windows)
{
    const int cores = QThread::idealThreadCount();
    const int threads = o.threads > 0 ? o.threads : cores;
    out(QStringLiteral("forward benchmark: %1, %2 windows of %3 tokens, %4 thread(s) (%5 cores)\n")
            .arg(QDir::toNativeSeparators(m.model->source()))
            .arg(windows)
            .arg(windowLength)
            .arg(threads)
            .arg(cores));
    PerplexityConfig pc;
    pc.model = m.model.get();
    pc.tokens = ids;
    pc.windowLength = windowLength;
    pc.maxWindows = windows;
    pc.useQuantized = false;
    QString table = QStringLiteral("%1 %2 %3 %4\n")
                        .arg(QStringLiteral("run"), -34)
                        .arg(QStringLiteral("tokens/s"), 10)
                        .arg(QStringLiteral("time"), 10)
                        .arg(QStringLiteral("ppl"), 10);
    auto row = [&](const QString &name, double tps, double secs, double ppl) {
        table += QStringLiteral("%1 %2 %3 %4\n")
                     .arg(name, -34)
                     .arg(tps, 10, 'f', 0)
                     .arg(fmtSeconds(secs), 10)
                     .arg(ppl > 0 ? QString::number(ppl, 'f', 4) : QStringLiteral("-"), 10);
    };
    for (int t : {1, threads}) {
        pc.threads = t;
        auto r = evaluatePerplexity(pc, stderrProgress(QStringLiteral("fp32")));
        if (!r)
            return fail(r.error());
        row(QStringLiteral("fp32 forward, %1 thread(s)").arg(t), r->tokensPerSecond, r->seconds,
            r->perplexity);
        if (t == threads)
            break;
    }
    // Calibration time (samples of the window length from the calibration text, or the eval text).
    EvalOptions q = o;
    if (q.statsPath.isEmpty() && q.calibPath.isEmpty())
        return fail(QStringLiteral("--bench needs --calib FILE (or --stats FILE) for the W4A8 L²QER run"));
    if (!q.calibPath.isEmpty()) {
        QElapsedTimer timer;
        timer.start();
        auto c = calibrateOnText(m, q.calibPath, q.samples, q.calibSeqLen, false, q.threads);
        if (!c)
            return fail(c.error());
        row(QStringLiteral("calibration, %1 x %2 tokens")
                .arg(c->samples)
                .arg(c->tokens / std::max<qint64>(1, c->samples)),
            double(c->tokens) / c->seconds, c->seconds, 0);
        const QString tmp = QDir::temp().filePath(
            QStringLiteral("lqer-bench-stats-%1.safetensors").arg(QCoreApplication::applicationPid()));
        if (Status s = saveStats(tmp, c->stats); !s)
            return fail(s.error());
        q.statsPath = tmp;
        q.calibPath.clear();
    }
    QElapsedTimer timer;
    timer.start();
    Plan plan;
    auto inst = quantizeFromOptions(m, q, &plan);
    if (!q.statsPath.isEmpty() && o.statsPath.isEmpty())
        QFile::remove(q.statsPath);
    if (!inst)
        return fail(inst.error());
    row(QStringLiteral("quantize (%1, %2 layers)")
            .arg(plan.preset.isEmpty() ? QStringLiteral("plan") : plan.preset)
            .arg(inst->layers),
        0, timer.elapsed() / 1000.0, 0);
    pc.useQuantized = true;
    pc.threads = threads;
    auto r = evaluatePerplexity(pc, stderrProgress(QStringLiteral("quantized")));
    if (!r)
        return fail(r.error());
    row(QStringLiteral("W4A8 emulated forward, %1 thread(s)").arg(threads), r->tokensPerSecond, r->seconds,
        r->perplexity);
    out(table);
    return 0;
}

} // namespace

int cmdEval(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Perplexity of MODEL on a text file (NUMERICS.md §7: the raw file tokenized "
                       "whole, non-overlapping windows, tokens 2..L scored)."));
    p.addPositionalArgument(
        QStringLiteral("MODEL"),
        QStringLiteral("Hugging Face folder, llama2.c .bin, or a packed LQER checkpoint (lqer export "
                       "--format packed: evaluated as stored, without the original weights)"));
    const QCommandLineOption text(QStringLiteral("text"), QStringLiteral("Evaluation text (UTF-8)."),
                                  QStringLiteral("FILE"));
    const QCommandLineOption planOpt(
        QStringLiteral("plan"), QStringLiteral("Quantize with this plan (JSON)."), QStringLiteral("FILE"));
    const QCommandLineOption presetOpt(
        QStringLiteral("preset"),
        QStringLiteral("Quantize with a preset: %1.").arg(Plan::presetNames().join(QStringLiteral(", "))),
        QStringLiteral("NAME"));
    const QCommandLineOption statsOpt(QStringLiteral("stats"),
                                      QStringLiteral("Calibration statistics (lqer calibrate)."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption calibOpt(
        QStringLiteral("calib"), QStringLiteral("Calibrate on this text first."), QStringLiteral("FILE"));
    const QCommandLineOption samplesOpt(QStringLiteral("samples"),
                                        QStringLiteral("Calibration samples (default 32)."),
                                        QStringLiteral("N"), QStringLiteral("32"));
    const QCommandLineOption calibLenOpt(
        QStringLiteral("calib-seq-len"),
        QStringLiteral("Calibration sample length (default 512; capped by max positions)."),
        QStringLiteral("L"));
    const QCommandLineOption seqLen(
        QStringLiteral("seq-len"),
        QStringLiteral("Window length L (default 512, the protocol of GOLDEN.md; capped by max positions)."),
        QStringLiteral("L"));
    const QCommandLineOption windowsOpt(
        QStringLiteral("windows"), QStringLiteral("Score only the first N windows."), QStringLiteral("N"));
    const QCommandLineOption threadsOpt(QStringLiteral("threads"),
                                        QStringLiteral("Worker threads (default: all cores)."),
                                        QStringLiteral("N"));
    const QCommandLineOption tokOpt(QStringLiteral("tokenizer"),
                                    QStringLiteral("Tokenizer file (default: the model's)."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption attn(QStringLiteral("attention-matmuls"),
                                  QStringLiteral("Also quantize QK^T and softmax.V at MXINT8."));
    const QCommandLineOption bench(
        QStringLiteral("bench"),
        QStringLiteral("Benchmark: fp32 and W4A8 L²QER forward throughput, calibration time "
                       "(default 8 windows; needs --calib or --stats)."));
    p.addOptions({text, planOpt, presetOpt, statsOpt, calibOpt, samplesOpt, calibLenOpt, seqLen, windowsOpt,
                  threadsOpt, tokOpt, attn, bench});
    p.addOptions(CliRecorder::options(true));
    int code = 0;
    if (!parseOrExit(p, args, code))
        return code;
    if (p.positionalArguments().size() != 1) {
        err(helpText(p));
        return 2;
    }
    if (!p.isSet(text))
        return fail(QStringLiteral("--text FILE is required"));
    if (p.isSet(planOpt) && p.isSet(presetOpt))
        return fail(QStringLiteral("--plan and --preset are exclusive"));
    EvalOptions o;
    o.planPath = p.value(planOpt);
    o.preset = p.value(presetOpt);
    o.statsPath = p.value(statsOpt);
    o.calibPath = p.value(calibOpt);
    o.samples = p.value(samplesOpt).toInt();
    o.calibSeqLen = p.value(calibLenOpt).toInt();
    o.attentionMatmuls = p.isSet(attn);
    o.threads = p.value(threadsOpt).toInt();
    if (o.samples < 1)
        return fail(QStringLiteral("--samples must be a positive integer"));

    const QString modelPath = p.positionalArguments().first();
    const bool packed = isPackedCheckpoint(modelPath);
    if (packed
        && (!o.planPath.isEmpty() || !o.preset.isEmpty() || !o.statsPath.isEmpty() || !o.calibPath.isEmpty()
            || o.attentionMatmuls || p.isSet(bench)))
        return fail(
            QStringLiteral(
                "%1 is a packed LQER checkpoint, already quantized: --plan, --preset, --stats, --calib, "
                "--attention-matmuls and --bench do not apply")
                .arg(QDir::toNativeSeparators(modelPath)));

    // The session store first (benchmarks are not recorded): a file it cannot use stops the
    // command before any work.
    std::unique_ptr<CliRecorder> recorder;
    if (!p.isSet(bench)) {
        auto opened = CliRecorder::open(p);
        if (!opened)
            return fail(opened.error());
        recorder = std::move(*opened);
    }
    CliRecorder *rec = recorder.get();
    installInterruptHandler();

    LoadedModel loaded;
    LoadedModel *m = &loaded;
    QString label = QStringLiteral("fp32");
    QString pplLabel = QStringLiteral("fp32");
    if (packed) {
        auto ckpt = Checkpoint::open(modelPath);
        if (!ckpt)
            return fail(ckpt.error());
        auto summary = readPackedMetadata(**ckpt);
        if (!summary)
            return fail(summary.error());
        auto model = loadPackedModel(modelPath, stderrProgress(QStringLiteral("loading")));
        if (!model)
            return failRun(rec, model.error());
        loaded.model = *model;
        const QString tok = p.value(tokOpt);
        auto t = tok.isEmpty() ? Tokenizer::fromModelFolder((*ckpt)->directory())
                               : (tok.endsWith(QLatin1String(".bin"))
                                      ? Tokenizer::fromLlama2c(tok, loaded.model->config().vocabSize)
                                      : Tokenizer::fromHuggingFace(tok));
        if (!t)
            return fail(
                QStringLiteral("%1 (the packed folder needs the tokenizer files the export copies, or pass "
                               "--tokenizer)")
                    .arg(t.error()));
        loaded.tokenizer = std::move(*t);
        label = QStringLiteral("packed LQER checkpoint, %1%2 layers, %3 bits/weight")
                    .arg(summary->plan.preset.isEmpty() ? QString()
                                                        : summary->plan.preset + QStringLiteral(", "))
                    .arg(summary->layers.size())
                    .arg(summary->formulaBitsPerWeight, 0, 'f', 3);
        pplLabel = methodName(summary->plan.defaults.method);
        if (rec) {
            if (Status s = rec->useSession(**ckpt, summary->plan, modelPath); !s)
                return fail(s.error());
            if (Status s = rec->beginRun(QStringLiteral("eval"), summary->plan, 0); !s)
                return fail(s.error());
        }
    } else {
        auto opened = openModel(modelPath, p.value(tokOpt));
        if (!opened)
            return fail(opened.error());
        loaded = std::move(*opened);
    }
    auto ids = tokenizeFile(*m->tokenizer, p.value(text));
    if (!ids)
        return failRun(rec, ids.error());
    const int L = cliWindowLength(p.value(seqLen).toInt(), m->model->config());
    int windows = p.value(windowsOpt).toInt();
    if (p.isSet(bench))
        return runBench(*m, *ids, o, L, windows > 0 ? windows : 8);

    if (!packed && (!o.planPath.isEmpty() || !o.preset.isEmpty())) {
        Plan plan;
        auto inst = quantizeFromOptions(*m, o, &plan, rec, modelPath);
        if (!inst)
            return failRun(rec, inst.error());
        label = QStringLiteral("%1, %2 layers, %3 bits/weight")
                    .arg(plan.preset.isEmpty() ? QDir::toNativeSeparators(o.planPath) : plan.preset)
                    .arg(inst->layers)
                    .arg(inst->averageBits, 0, 'f', 3);
        pplLabel = methodName(plan.defaults.method);
    } else if (!packed && rec) {
        // FP32: a plan that quantizes nothing, so the run cannot be mistaken for a quantized one.
        Plan plan;
        plan.defaults.quantize = false;
        plan.defaults.method = Method::Plain;
        plan.defaults.rank = 0;
        plan.defaults.weight = QuantFormat::none();
        plan.defaults.act = QuantFormat::none();
        plan.defaults.lowRank = QuantFormat::none();
        Status s = Status::success();
        if (m->checkpoint) {
            s = rec->useSession(*m->checkpoint, plan, modelPath);
        } else {
            ModelRecord record;
            record.path = QFileInfo(modelPath).absoluteFilePath();
            record.architecture = architectureName(m->model->config().arch);
            record.fingerprint = fileFingerprint(modelPath);
            record.fileBytes = QFileInfo(modelPath).size();
            s = rec->useSession(record, plan, modelPath);
        }
        if (!s)
            return fail(s.error());
        if (Status b = rec->beginRun(QStringLiteral("eval"), plan, 0); !b)
            return fail(b.error());
    }
    PerplexityConfig pc;
    pc.model = m->model.get();
    pc.tokens = *ids;
    pc.windowLength = L;
    pc.maxWindows = windows;
    pc.threads = o.threads;
    pc.textName = p.value(text);
    auto r = evaluatePerplexity(pc, stderrProgress(QStringLiteral("evaluating")));
    if (!r)
        return failRun(rec, r.error());
    if (rec)
        rec->addPerplexity(pplLabel, p.value(text), *r);
    out(QStringLiteral("model       %1 (%2)\n").arg(QDir::toNativeSeparators(m->model->source()), label));
    out(QStringLiteral(
            "text        %1: %2 tokens, read raw as llama.cpp does (not joined with \"\\n\\n\" like the "
            "official code)\n")
            .arg(QDir::toNativeSeparators(p.value(text)))
            .arg(r->totalTokens));
    out(QStringLiteral("windows     %1 x %2 tokens, %3 scored tokens\n")
            .arg(r->windows)
            .arg(r->windowLength)
            .arg(r->scoredTokens));
    out(QStringLiteral("perplexity  %1 (mean NLL %2)\n")
            .arg(r->perplexity, 0, 'f', 4)
            .arg(r->meanNll, 0, 'f', 5));
    out(QStringLiteral("time        %1, %2 tokens/s\n")
            .arg(fmtSeconds(r->seconds))
            .arg(r->tokensPerSecond, 0, 'f', 0));
    return finishCommand(rec);
}

} // namespace lqer::cli
