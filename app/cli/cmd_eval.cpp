// lqer eval: perplexity of a model, optionally quantized by a plan (NUMERICS.md §7), or of a
// packed LQER checkpoint read back without the original weights; --bench: forward throughput in
// fp32 and with W4A8 L²QER emulation, and calibration time. Evaluations (not --bench) are
// recorded in the session store as runs of kind "eval" (recording.h).

#include "cli.h"
#include "klreport.h"
#include "modelcli.h"
#include "options.h"
#include "recording.h"

#include "core/eval/perplexity.h"
#include "core/export/ggufmodel.h"
#include "core/export/packedmodel.h"
#include "core/export/peftexport.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QThread>

#include <optional>

namespace lqer::cli {

namespace {

// What the command line asks for.
struct EvalRequest : PlanRequest
{
    QString textPath;
    QString tokenizer;
    bool quantize = false; // plan options were given: evaluate the model quantized by the plan
    WindowOptions windows;
    KlOptions kl;
    bool bench = false;
    QString lora; // a GGUF LoRA adapter for a GGUF model
    QString saveTokens; // write the evaluated token ids here (JSON array)
};

// Installs the request's plan, with the statistics it needs. With a recorder, the run (kind
// "eval") begins once the plan is complete and records the layers. `plan` receives the plan
// as run (its calibration recorded).
Expected<InstallPlanResult> quantizeModel(LoadedModel &m, const EvalRequest &r, Plan &plan,
                                          CliRecorder *recorder = nullptr)
{
    plan = r.plan;
    if (!m.checkpoint)
        return makeError(
            QStringLiteral("quantized evaluation needs a Hugging Face checkpoint folder (the pipeline reads "
                           "layers from safetensors); llama2.c files run in fp32 only"));
    auto names = linearNames(*m.checkpoint);
    if (!names)
        return Error {names.error()};
    auto stats = statsForPlan(r.modelPath, &m, plan, *names, r.statsSource, r.threads);
    if (!stats)
        return Error {stats.error()};
    if (recorder) {
        if (Status s = recorder->useSession(*m.checkpoint, plan, r.modelPath); !s)
            return Error {s.error()};
        if (Status s = recorder->beginRun(QStringLiteral("eval"), plan, quantizedLayerCount(plan, *names));
            !s)
            return Error {s.error()};
    }
    return installPlanRecorded(*m.model, m.checkpoint, plan, plan.needsStats(*names) ? &*stats : nullptr,
                               stderrProgress(QStringLiteral("quantizing")), r.threads, recorder);
}

int runBench(LoadedModel &m, const TokenIds &ids, const EvalRequest &o, int windowLength, int windows)
{
    const int cores = QThread::idealThreadCount();
    const int threads = o.threads > 0 ? o.threads : cores;
    out(QStringLiteral("forward benchmark: %1, %2 windows of %3 tokens, %4 thread(s) (%5 cores)\n")
            .arg(QDir::toNativeSeparators(o.modelPath))
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
    EvalRequest q = o;
    if (!q.statsSource.isSet())
        return fail(QStringLiteral("--bench needs --calib FILE (or --stats FILE) for the W4A8 L²QER run"));
    if (!q.statsSource.calibText.isEmpty()) {
        QElapsedTimer timer;
        timer.start();
        auto c = calibrateOnText(m, q.statsSource.calibText, q.plan.calibration.samples,
                                 q.plan.calibration.seqLen, false, q.threads);
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
        q.statsSource = StatsSource {QString(), tmp};
    }
    QElapsedTimer timer;
    timer.start();
    Plan plan;
    auto inst = quantizeModel(m, q, plan);
    if (q.statsSource.statsFile != o.statsSource.statsFile)
        QFile::remove(q.statsSource.statsFile);
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
    row(QStringLiteral("W4A8 %1 forward, %2 thread(s)")
            .arg(defaultKernelMode() == KernelMode::Integer ? QStringLiteral("integer")
                                                            : QStringLiteral("emulated"))
            .arg(threads),
        r->tokensPerSecond, r->seconds, r->perplexity);
    out(table);
    return 0;
}

void declareOptions(QCommandLineParser &p)
{
    p.setApplicationDescription(
        QStringLiteral("Perplexity of MODEL on a text file (NUMERICS.md §7: the raw file tokenized "
                       "whole, non-overlapping windows, tokens 2..L scored). With plan options, of MODEL "
                       "quantized by that plan."));
    p.addPositionalArgument(
        QStringLiteral("MODEL"),
        QStringLiteral("Hugging Face folder, llama2.c .bin, a packed LQER checkpoint (lqer export "
                       "--format packed: evaluated as stored, without the original weights) or a GGUF "
                       "model (evaluated with llama.cpp's CPU arithmetic: q8_0 activations on q4_0/q8_0 "
                       "weights)"));
    p.addOption(QCommandLineOption(QStringLiteral("text"), QStringLiteral("Evaluation text (UTF-8)."),
                                   QStringLiteral("FILE")));
    p.addOption(QCommandLineOption(
        QStringLiteral("lora"),
        QStringLiteral("A LoRA adapter to add: lqer-lora.gguf for a GGUF model, a PEFT adapter "
                       "folder (lqer export --format peft) for a Hugging Face folder."),
        QStringLiteral("FILE")));
    p.addOption(QCommandLineOption(QStringLiteral("save-tokens"),
                                   QStringLiteral("Write the token ids of the text as a JSON array (for "
                                                  "comparisons with other engines)."),
                                   QStringLiteral("FILE")));
    addWindowOptions(p, QStringLiteral("the text"));
    addKlOptions(p);
    addPlanRequestOptions(p);
    addTokenizerOption(p);
    p.addOption(QCommandLineOption(
        QStringLiteral("bench"),
        QStringLiteral("Benchmark: fp32 and W4A8 L²QER forward throughput, calibration time "
                       "(default 8 windows; needs --calib or --stats).")));
    p.addOption(QCommandLineOption(
        QStringLiteral("kernels"),
        QStringLiteral("Quantized layers run on the integer kernels where the formats allow (mode int, the "
                       "default; LQER_KERNELS in the environment) or always on the fp32 emulation (emulate, "
                       "the reference path)."),
        QStringLiteral("mode")));
    CliRecorder::addOptions(p);
}

Expected<EvalRequest> requestFrom(const QCommandLineParser &p, const QString &modelPath)
{
    EvalRequest r;
    if (Status s = readPlanRequest(p, modelPath, r); !s)
        return Error {s.error()};
    r.textPath = p.value(QStringLiteral("text"));
    if (r.textPath.isEmpty())
        return makeError(QStringLiteral("--text FILE is required"));
    r.tokenizer = tokenizerFrom(p);
    r.quantize = r.planOptions.isSet();
    auto windows = windowOptionsFrom(p);
    if (!windows)
        return Error {windows.error()};
    r.windows = *windows;
    r.bench = p.isSet(QStringLiteral("bench"));
    if (p.isSet(QStringLiteral("kernels"))) {
        auto mode = parseKernelMode(p.value(QStringLiteral("kernels")));
        if (!mode)
            return makeError(QStringLiteral("--kernels: %1").arg(mode.error()));
        setDefaultKernelMode(*mode);
    }
    r.lora = p.value(QStringLiteral("lora"));
    r.saveTokens = p.value(QStringLiteral("save-tokens"));
    const bool gguf = isGgufFile(modelPath);
    if (!r.lora.isEmpty() && !gguf && !isPeftAdapter(r.lora))
        return makeError(
            QStringLiteral("--lora %1: for a Hugging Face folder give a PEFT adapter folder (with "
                           "adapter_config.json)")
                .arg(QDir::toNativeSeparators(r.lora)));
    if (!r.lora.isEmpty() && !gguf && (r.quantize || r.bench))
        return makeError(QStringLiteral("--lora with a PEFT adapter evaluates the folder as stored: the plan "
                                        "options and --bench do not apply"));
    if (gguf && (r.quantize || r.statsSource.isSet() || r.bench))
        return makeError(QStringLiteral("%1 is a GGUF model, evaluated as stored: the plan options, --stats, "
                                        "--calib and --bench do not apply")
                             .arg(QDir::toNativeSeparators(modelPath)));
    auto kl = klOptionsFrom(p);
    if (!kl)
        return Error {kl.error()};
    r.kl = *kl;
    if (isPackedCheckpoint(modelPath) && !r.kl.saveLogits.isEmpty())
        return makeError(QStringLiteral("--save-logits saves FP32 distributions; %1 is a packed (quantized) "
                                        "checkpoint: pass --kl-base FILE saved from its FP32 model")
                             .arg(QDir::toNativeSeparators(modelPath)));
    if (isPackedCheckpoint(modelPath) && (r.quantize || r.statsSource.isSet() || r.bench))
        return makeError(QStringLiteral("%1 is a packed LQER checkpoint, already quantized: the plan options "
                                        "(--plan, --preset, --method, ...), --stats, --calib and --bench do "
                                        "not apply")
                             .arg(QDir::toNativeSeparators(modelPath)));
    return r;
}

// The model to evaluate and how the output names it.
struct EvalModel
{
    LoadedModel m;
    QString label = QStringLiteral("fp32"); // after the path in "model ..."
    QString pplLabel = QStringLiteral("fp32"); // of the recorded perplexity
};

// A packed checkpoint, evaluated as stored; its run is recorded with the plan it was made with.
Expected<EvalModel> openPacked(const EvalRequest &r, CliRecorder *rec)
{
    EvalModel e;
    auto ckpt = Checkpoint::open(r.modelPath);
    if (!ckpt)
        return Error {ckpt.error()};
    auto summary = readPackedMetadata(**ckpt);
    if (!summary)
        return Error {summary.error()};
    auto model = loadPackedModel(r.modelPath, stderrProgress(QStringLiteral("loading")));
    if (!model)
        return Error {model.error()};
    e.m.model = *model;
    auto t = openTokenizer((*ckpt)->directory(), r.tokenizer, e.m.model->config().vocabSize);
    if (!t)
        return makeError(
            QStringLiteral("%1 (the packed folder needs the tokenizer files the export copies, or "
                           "pass --tokenizer)")
                .arg(t.error()));
    e.m.tokenizer = std::move(*t);
    e.label
        = QStringLiteral("packed LQER checkpoint, %1%2 layers, %3 bits/weight")
              .arg(summary->plan.preset.isEmpty() ? QString() : summary->plan.preset + QStringLiteral(", "))
              .arg(summary->layers.size())
              .arg(summary->formulaBitsPerWeight, 0, 'f', 3);
    e.pplLabel = methodName(summary->plan.defaults.method);
    if (rec) {
        if (Status s = rec->useSession(**ckpt, summary->plan, r.modelPath); !s)
            return Error {s.error()};
        if (Status s = rec->beginRun(QStringLiteral("eval"), summary->plan, 0); !s)
            return Error {s.error()};
    }
    return e;
}

// A plan that quantizes nothing, so an fp32 run cannot be mistaken for a quantized one.
Plan fp32Plan()
{
    Plan plan;
    plan.defaults.quantize = false;
    plan.defaults.method = Method::Plain;
    plan.defaults.rank = 0;
    plan.defaults.weight = QuantFormat::none();
    plan.defaults.act = QuantFormat::none();
    plan.defaults.lowRank = QuantFormat::none();
    return plan;
}

// A model that is not a checkpoint folder (llama2.c, GGUF) as the session store knows it.
ModelRecord fileModelRecord(const QString &modelPath, const ModelConfig &config)
{
    ModelRecord record;
    record.path = QFileInfo(modelPath).absoluteFilePath();
    record.architecture = architectureName(config.arch);
    record.fingerprint = fileFingerprint(modelPath);
    record.fileBytes = QFileInfo(modelPath).size();
    return record;
}

// A GGUF model (and adapter), evaluated as llama.cpp computes it; recorded with the plan it
// was exported with when it carries one.
Expected<EvalModel> openGguf(const EvalRequest &r, CliRecorder *rec)
{
    EvalModel e;
    GgufModelInfo info;
    auto model = loadGgufModel(r.modelPath, r.lora, stderrProgress(QStringLiteral("loading")), &info);
    if (!model)
        return Error {model.error()};
    e.m.model = *model;
    const QString tok = r.tokenizer.isEmpty() ? info.tokenizerPath : r.tokenizer;
    if (tok.isEmpty())
        return makeError(
            QStringLiteral("%1: no tokenizer.json or tokenizer .bin beside the GGUF file (the export "
                           "copies it); pass --tokenizer")
                .arg(QDir::toNativeSeparators(r.modelPath)));
    auto t = openTokenizer(QFileInfo(tok).absolutePath(), tok, info.config.vocabSize);
    if (!t)
        return Error {t.error()};
    e.m.tokenizer = std::move(*t);
    QMap<QString, int> types;
    for (const GgufLinearInfo &l : info.linears)
        ++types[ggmlTypeName(l.type)];
    QStringList typeText;
    for (auto it = types.begin(); it != types.end(); ++it)
        typeText << QStringLiteral("%1 %2").arg(it.value()).arg(it.key());
    e.label = QStringLiteral("GGUF, linears %1%2, %3 bits/weight in the file(s)")
                  .arg(typeText.join(QStringLiteral(", ")),
                       r.lora.isEmpty() ? QString()
                                        : QStringLiteral(" + LoRA ") + QDir::toNativeSeparators(r.lora))
                  .arg(info.fileBitsPerWeight, 0, 'f', 3);
    e.pplLabel = r.lora.isEmpty() ? QStringLiteral("gguf") : QStringLiteral("gguf+lora");
    if (rec) {
        const Plan plan = info.plan ? *info.plan : fp32Plan();
        if (Status s = rec->useSession(fileModelRecord(r.modelPath, info.config), plan, r.modelPath); !s)
            return Error {s.error()};
        if (Status s = rec->beginRun(QStringLiteral("eval"), plan, 0); !s)
            return Error {s.error()};
    }
    return e;
}

Status recordFp32Run(const LoadedModel &m, const QString &modelPath, CliRecorder &rec)
{
    const Plan plan = fp32Plan();
    Status s = Status::success();
    if (m.checkpoint) {
        s = rec.useSession(*m.checkpoint, plan, modelPath);
    } else {
        s = rec.useSession(fileModelRecord(modelPath, m.model->config()), plan, modelPath);
    }
    if (!s)
        return s;
    return rec.beginRun(QStringLiteral("eval"), plan, 0);
}

// A model folder or llama2.c file: quantized by the plan when one is asked for, else fp32.
Expected<EvalModel> openAndQuantize(const EvalRequest &r, CliRecorder *rec)
{
    EvalModel e;
    auto opened = openModel(r.modelPath, r.tokenizer);
    if (!opened)
        return Error {opened.error()};
    e.m = std::move(*opened);
    if (r.bench)
        return e;
    if (!r.lora.isEmpty()) { // a PEFT adapter on the (dequantized) base
        if (Status s = installPeftAdapter(*e.m.model, r.lora); !s)
            return Error {s.error()};
        e.label = QStringLiteral("+ PEFT adapter %1").arg(QDir::toNativeSeparators(r.lora));
        e.pplLabel = QStringLiteral("peft");
        if (rec)
            if (Status s = recordFp32Run(e.m, r.modelPath, *rec); !s)
                return Error {s.error()};
        return e;
    }
    if (r.quantize) {
        Plan plan;
        auto inst = quantizeModel(e.m, r, plan, rec);
        if (!inst)
            return Error {inst.error()};
        e.label = QStringLiteral("%1, %2 layers, %3 bits/weight")
                      .arg(!plan.preset.isEmpty() ? plan.preset
                               : !r.planOptions.planFile.isEmpty()
                               ? QDir::toNativeSeparators(r.planOptions.planFile)
                               : QStringLiteral("plan"))
                      .arg(inst->layers)
                      .arg(inst->averageBits, 0, 'f', 3);
        e.pplLabel = methodName(plan.defaults.method);
    } else if (rec) {
        if (Status s = recordFp32Run(e.m, r.modelPath, *rec); !s)
            return Error {s.error()};
    }
    return e;
}

Status saveTokenIds(const QString &path, const TokenIds &ids)
{
    QByteArray text = "[";
    for (size_t i = 0; i < ids.size(); ++i) {
        if (i)
            text += ',';
        text += QByteArray::number(ids[i]);
    }
    text += "]\n";
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(text) != text.size())
        return makeError(
            QStringLiteral("%1: cannot write (%2)").arg(QDir::toNativeSeparators(path), f.errorString()));
    return Status::success();
}

void printResult(const EvalRequest &request, const EvalModel &e, const PerplexityResult &r)
{
    out(QStringLiteral("model       %1 (%2)\n").arg(QDir::toNativeSeparators(request.modelPath), e.label));
    out(QStringLiteral(
            "text        %1: %2 tokens, read raw as llama.cpp does (not joined with \"\\n\\n\" like the "
            "official code)\n")
            .arg(QDir::toNativeSeparators(request.textPath))
            .arg(r.totalTokens));
    out(QStringLiteral("windows     %1 x %2 tokens, %3 scored tokens\n")
            .arg(r.windows)
            .arg(r.windowLength)
            .arg(r.scoredTokens));
    out(QStringLiteral("perplexity  %1 (mean NLL %2)\n")
            .arg(pplText(r.perplexity, r.perplexityError))
            .arg(r.meanNll, 0, 'f', 5));
    out(klLines(r.kl));
    if (!request.kl.saveLogits.isEmpty())
        out(QStringLiteral("logits      FP32 distributions saved to %1\n")
                .arg(QDir::toNativeSeparators(request.kl.saveLogits)));
    out(QStringLiteral("time        %1, %2 tokens/s\n")
            .arg(fmtSeconds(r.seconds))
            .arg(r.tokensPerSecond, 0, 'f', 0));
}

} // namespace

int cmdEval(const QStringList &args)
{
    QCommandLineParser p;
    int code = 0;
    auto request = parseRequest(p, args, declareOptions, requestFrom, code);
    if (!request)
        return code;
    const QString &modelPath = request->modelPath;

    // The session store first (benchmarks are not recorded): a file it cannot use stops the
    // command before any work.
    std::unique_ptr<CliRecorder> recorder;
    if (!request->bench) {
        auto opened = CliRecorder::open(p);
        if (!opened)
            return fail(opened.error());
        recorder = std::move(*opened);
    }
    CliRecorder *rec = recorder.get();
    installInterruptHandler();

    auto model = isGgufFile(modelPath)  ? openGguf(*request, rec)
        : isPackedCheckpoint(modelPath) ? openPacked(*request, rec)
                                        : openAndQuantize(*request, rec);
    if (!model)
        return failRun(rec, model.error());
    const LoadedModel &m = model->m;
    auto ids = tokenizeFile(*m.tokenizer, request->textPath);
    if (!ids)
        return failRun(rec, ids.error());
    if (!request->saveTokens.isEmpty())
        if (Status s = saveTokenIds(request->saveTokens, *ids); !s)
            return failRun(rec, s.error());
    const int L = cliWindowLength(request->windows.seqLen, m.model->config());
    const int windows = request->windows.windows;
    if (request->bench)
        return runBench(model->m, *ids, *request, L, windows > 0 ? windows : 8);

    PerplexityConfig pc;
    pc.model = m.model.get();
    pc.tokens = *ids;
    pc.windowLength = L;
    pc.maxWindows = windows;
    pc.threads = request->threads;
    pc.textName = request->textPath;
    // The FP32 reference: computed first for a quantized model (unless --no-kl) or read with
    // --kl-base; an FP32 model with --save-logits is itself the pass that saves it.
    const bool quantized = request->quantize || isPackedCheckpoint(modelPath);
    const KlOptions &kl = request->kl;
    std::optional<Fp32Reference> reference;
    if (!kl.klBase.isEmpty() || (quantized && !kl.skip && request->quantize) || !kl.saveLogits.isEmpty()) {
        auto fp = fp32Reference(pc, kl, stderrProgress(QStringLiteral("FP32")));
        if (!fp)
            return failRun(rec, fp.error());
        reference = std::move(*fp);
        pc.reference = reference->reference.get();
        if (rec && quantized && !reference->fromFile)
            rec->addPerplexity(QStringLiteral("fp32"), request->textPath, reference->fp32);
    }
    // An FP32 model whose pass just ran (saving its logits) is not run again.
    const bool done = !quantized && reference && !reference->fromFile;
    auto r = done ? Expected<PerplexityResult>(reference->fp32)
                  : evaluatePerplexity(pc, stderrProgress(QStringLiteral("evaluating")));
    if (!r)
        return failRun(rec, r.error());
    if (rec)
        rec->addPerplexity(model->pplLabel, request->textPath, *r);
    printResult(*request, *model, *r);
    return finishCommand(rec);
}

} // namespace lqer::cli
