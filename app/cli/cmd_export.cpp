// lqer export MODEL [plan options: --plan FILE | --preset NAME, --method M, --rank K, ...]
//              [--stats FILE | --calib TEXT [--samples N] [--calib-seq-len L]]
//              --format packed|dequantized|gguf|peft [--merge-lowrank] [--dtype fp16|bf16|fp32]
//              [--shard-size 2GB] [--tokenizer tokenizer.bin] [--force] -o DIR
//              [--db FILE] [--session NAME] [--no-record]
// Quantizes the model layer by layer and writes a packed LQER checkpoint or a dequantized
// Hugging Face folder (docs/PACKED_FORMAT.md). The numbers are those of `lqer quantize` and
// `lqer eval --preset`: the same calibration (calibrateOnText: the text read and tokenized the
// same way, N samples of L tokens, L = 512 unless given) and the same quantizeLayer() settings
// per layer as the pipeline (quantizingProvider), so a packed export evaluates to the
// perplexity of the in-memory quantized model.
// The export is recorded as a run of kind "export" in the session store (recording.h) with the
// format, the files and their sizes, and the bits per weight (exportRunDetails()).

#include "cli.h"
#include "clusterexport.h"
#include "recording.h"
#include "modelcli.h"
#include "options.h"

#include "core/common/cluster.h"
#include "core/export/exporter.h"
#include "core/export/ggufexport.h"
#include "core/export/peftexport.h"
#include "core/io/checkpoint.h"
#include "core/plan/plan.h"
#include "core/lqer/statsfile.h"
#include "core/model/calibration.h"
#include "core/model/tokenizer.h"
#include "core/model/transformer.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>

#include <optional>

namespace lqer::cli {

namespace {

// What the command line asks for.
struct ExportRequest : PlanRequest
{
    bool gguf = false; // --format gguf (docs/GGUF_EXPORT.md); `format` is then unused
    bool peft = false; // --format peft: a dequantized folder + lqer-adapter/ (peftexport.h)
    QString tokenizer; // gguf: a llama2.c tokenizer.bin instead of the folder's tokenizer.json
    ExportFormat format = ExportFormat::Packed;
    DType dtype = DType::F16;
    qint64 shardBytes = 0;
    bool mergeLowRank = false;
    bool force = false;
    QString outputDir;
};

void declareOptions(QCommandLineParser &p)
{
    p.setApplicationDescription(QStringLiteral(
        "Quantize MODEL with a plan and export it as a packed LQER checkpoint (re-importable by "
        "'lqer eval' and the studio), as a dequantized Hugging Face folder for standard tools, or as "
        "GGUF for llama.cpp (model.gguf with q4_0/q8_0/f16 weights + lqer-lora.gguf with A and B)."));
    p.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("Hugging Face checkpoint folder"));
    addPlanRequestOptions(p);
    addTokenizerOption(p);
    CliRecorder::addOptions(p);
    p.addOptions({
        QCommandLineOption(QStringLiteral("format"),
                           QStringLiteral("packed (default), dequantized, gguf or peft."),
                           QStringLiteral("FORMAT"), QStringLiteral("packed")),
        QCommandLineOption(QStringLiteral("merge-lowrank"),
                           QStringLiteral("Dequantized: store Wq + A·B (LQER's inference cost is lost).")),
        QCommandLineOption(QStringLiteral("dtype"),
                           QStringLiteral("Dequantized weights: fp16, bf16 or fp32."), QStringLiteral("TYPE"),
                           QStringLiteral("fp16")),
        QCommandLineOption(QStringLiteral("shard-size"), QStringLiteral("Maximum shard size (e.g. 2GB)."),
                           QStringLiteral("SIZE"), QStringLiteral("2GB")),
        QCommandLineOption(QStringLiteral("force"),
                           QStringLiteral("Write into a non-empty folder (replaces only the files of an "
                                          "earlier export there).")),
        QCommandLineOption({QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("Output folder."),
                           QStringLiteral("DIR")),
    });
}

Expected<DType> dtypeFromName(const QString &name)
{
    const QString dt = name.toLower();
    if (dt == QLatin1String("bf16") || dt == QLatin1String("bfloat16"))
        return DType::BF16;
    if (dt == QLatin1String("fp32") || dt == QLatin1String("float32") || dt == QLatin1String("f32"))
        return DType::F32;
    if (dt == QLatin1String("fp16") || dt == QLatin1String("float16") || dt == QLatin1String("f16"))
        return DType::F16;
    return makeError(QStringLiteral("--dtype must be fp16, bf16 or fp32, got '%1'").arg(name));
}

// The output options: format, dtype, shards, folder.
Status readOutputOptions(const QCommandLineParser &p, ExportRequest &r)
{
    r.force = p.isSet(QStringLiteral("force"));
    r.outputDir = p.value(QStringLiteral("output"));
    r.tokenizer = tokenizerFrom(p);
    if (p.value(QStringLiteral("format")).trimmed().toLower() == QLatin1String("gguf")) {
        r.gguf = true;
        if (p.isSet(QStringLiteral("merge-lowrank")) || p.isSet(QStringLiteral("dtype")))
            return makeError(
                QStringLiteral("--merge-lowrank and --dtype do not apply to --format gguf (the plan's "
                               "formats decide each tensor's type)"));
        return Status::success();
    }
    if (!r.tokenizer.isEmpty())
        return makeError(QStringLiteral("--tokenizer applies to --format gguf only"));
    r.peft = p.value(QStringLiteral("format")).trimmed().toLower() == QLatin1String("peft");
    Expected<ExportFormat> format = r.peft ? Expected<ExportFormat>(ExportFormat::Dequantized)
                                           : exportFormatFromName(p.value(QStringLiteral("format")));
    if (!format)
        return Error {format.error()};
    r.format = *format;
    Expected<DType> dtype = dtypeFromName(p.value(QStringLiteral("dtype")));
    if (!dtype)
        return Error {dtype.error()};
    r.dtype = *dtype;
    Expected<qint64> shard = parseByteSize(p.value(QStringLiteral("shard-size")));
    if (!shard)
        return makeError(QStringLiteral("--shard-size: %1").arg(shard.error()));
    r.shardBytes = *shard;
    r.mergeLowRank = p.isSet(QStringLiteral("merge-lowrank"));
    if (r.mergeLowRank && r.peft)
        return makeError(
            QStringLiteral("--merge-lowrank does not apply to --format peft (A and B are the adapter)"));
    if (r.mergeLowRank && r.format == ExportFormat::Packed)
        return makeError(QStringLiteral("--merge-lowrank applies to --format dequantized only"));
    return Status::success();
}

Expected<ExportRequest> requestFrom(const QCommandLineParser &p, const QString &modelPath)
{
    if (!p.isSet(QStringLiteral("output")))
        return makeError(QStringLiteral("-o DIR is required"));
    ExportRequest r;
    if (Status s = readPlanRequest(p, modelPath, r); !s)
        return Error {s.error()};
    if (Status s = readOutputOptions(p, r); !s)
        return Error {s.error()};
    return r;
}

// Where the statistics came from, for the exported metadata.
QJsonObject provenanceOf(const StatsSource &source)
{
    QJsonObject provenance;
    if (!source.statsFile.isEmpty())
        provenance.insert(QStringLiteral("stats"), QDir(source.statsFile).absolutePath());
    else if (!source.calibText.isEmpty())
        provenance.insert(QStringLiteral("calibration_text"), QDir(source.calibText).absolutePath());
    return provenance;
}

// `peftBase`: a PEFT export's base ("GPTQ 4-bit" or "dequantized"); its low-rank term is the
// adapter.
void printSummary(const ExportRequest &request, const ExportResult &r, const QString &peftBase = QString())
{
    out(QStringLiteral("wrote %1 (%2 checkpoint, %3 files, %4 MB)\n")
            .arg(QDir::toNativeSeparators(request.outputDir),
                 peftBase.isEmpty() ? exportFormatName(request.format) : peftBase)
            .arg(r.files.size())
            .arg(double(r.totalBytes) / 1e6, 0, 'f', 1));
    out(QStringLiteral("quantized layers: %1, weights: %2\n").arg(r.quantizedLayers).arg(r.quantizedWeights));
    if (request.format == ExportFormat::Packed)
        out(QStringLiteral("quantized payload: %1 bytes = %2 bits/weight (NUMERICS §8 formula: %3)\n")
                .arg(r.quantizedPayloadBytes)
                .arg(r.fileBitsPerWeight, 0, 'f', 4)
                .arg(r.formulaBitsPerWeight, 0, 'f', 4));
    else
        out(QStringLiteral("bits/weight of the quantized model (NUMERICS §8): %1%2\n")
                .arg(r.formulaBitsPerWeight, 0, 'f', 4)
                .arg(!peftBase.isEmpty() ? QStringLiteral("; low-rank term in the PEFT adapter")
                         : request.mergeLowRank
                         ? QStringLiteral("; low-rank term merged into the weights, which no "
                                          "longer have LQER's inference cost")
                         : QStringLiteral("; low-rank term not included")));
}

void printGgufSummary(const GgufExportResult &r)
{
    out(QStringLiteral("wrote %1 (GGUF for llama.cpp: %2)\n")
            .arg(QDir::toNativeSeparators(r.outputDir), r.files.join(QStringLiteral(", "))));
    out(QStringLiteral("model.gguf %1 MB; lqer-lora.gguf %2\n")
            .arg(double(r.modelBytes) / 1e6, 0, 'f', 2)
            .arg(r.loraBytes > 0 ? QStringLiteral("%1 MB, %2 layers")
                                       .arg(double(r.loraBytes) / 1e6, 0, 'f', 2)
                                       .arg(r.loraLayers)
                                 : QStringLiteral("not written (no layer has a low-rank term)")));
    out(QStringLiteral(
            "quantized layers: %1, weights: %2, bits/weight (NUMERICS §8, low-rank included): %3\n")
            .arg(r.quantizedLayers)
            .arg(r.quantizedWeights)
            .arg(r.formulaBitsPerWeight, 0, 'f', 4));
    for (const QString &note : r.notes)
        out(QStringLiteral("note: %1\n").arg(note));
}

} // namespace

int cmdExport(const QStringList &args)
{
    QCommandLineParser p;
    int exitCode = 0;
    auto request = parseRequest(p, args, declareOptions, requestFrom, exitCode);
    if (!request)
        return exitCode;
    const QString &modelPath = request->modelPath;
    // The session store first: a file it cannot use stops the command before any work.
    auto recorder = CliRecorder::open(p);
    if (!recorder)
        return fail(recorder.error());
    CliRecorder *rec = recorder->get();
    installInterruptHandler(); // Ctrl-C cancels: the partial folder is removed, DIR left as it was

    Expected<std::shared_ptr<Checkpoint>> ckpt = Checkpoint::open(modelPath);
    if (!ckpt)
        return fail(ckpt.error());
    auto linears = linearNames(**ckpt);
    if (!linears)
        return fail(linears.error());
    QStringList layers;
    for (const QString &name : *linears)
        if (request->plan.forLayer(name).quantize)
            layers << name;
    Plan &plan = request->plan;
    if (request->gguf)
        if (Status s = checkGgufPlan(plan, layers); !s)
            return fail(s.error());
    auto stats = statsForPlan(modelPath, nullptr, plan, layers, request->statsSource, request->threads);
    if (!stats)
        return fail(stats.error());
    const StatsMap *planStats = stats->isEmpty() ? nullptr : &*stats;
    // Under mpirun every rank quantizes its share of the layers; rank 0 alone writes.
    std::optional<ClusterExportLayers> shared;
    if (Cluster::world().distributed()) {
        auto infos = quantizableLinears(**ckpt);
        if (!infos)
            return fail(infos.error());
        QList<LinearLayerInfo> quantized;
        for (const LinearLayerInfo &info : *infos)
            if (layers.contains(info.weightName))
                quantized << info;
        shared.emplace(*ckpt, plan, planStats, quantized);
        if (!Cluster::world().isRoot()) {
            if (Status s = shared->serve(); !s)
                return fail(s.error());
            return 0;
        }
    }
    // The session is chosen (created when new) only now: bad options or statistics leave the
    // store without an empty session.
    if (rec) {
        if (Status s = rec->useSession(**ckpt, plan, modelPath); !s)
            return fail(s.error());
        if (Status s = rec->beginRun(QStringLiteral("export"), plan, 0); !s)
            return fail(s.error());
    }

    // One process: the packed, dequantized and PEFT exports ask for the layers in checkpoint
    // order, and the layers are quantized ahead of them on all workers; GGUF asks in its own
    // order, layer by layer.
    LinearProvider provider;
    if (shared) {
        provider = shared->provider();
    } else if (request->gguf) {
        provider = quantizingProvider(*ckpt, plan, planStats, nullptr, request->threads);
    } else {
        Expected<LinearProvider> ahead = workAheadProvider(*ckpt, plan, planStats, nullptr, request->threads);
        if (!ahead)
            return failRun(rec, ahead.error());
        provider = std::move(*ahead);
    }
    // A failed or interrupted export has left nothing behind (the run is closed as failed or
    // cancelled); Ctrl-C exits 130.
    const auto exportFailed = [&](const QString &error) { return failRun(rec, error, true); };
    const auto recorded = [&](const QString &format, const QString &dir, const QStringList &files, int layers,
                              qint64 weights, double bits, double fileBits) {
        if (shared) {
            if (Status s = shared->drain(); !s)
                return failRun(rec, s.error());
        }
        if (rec)
            rec->setDetails(exportRunDetails(format, dir, files, layers, weights, bits, fileBits));
        return finishCommand(rec);
    };
    if (request->gguf) {
        GgufExportConfig g;
        g.checkpoint = *ckpt;
        g.plan = plan;
        g.linears = provider;
        g.outputDir = request->outputDir;
        g.force = request->force;
        g.tokenizerPath = request->tokenizer;
        Expected<GgufExportResult> r = exportGguf(g, stderrProgress(QStringLiteral("exporting")));
        if (!r)
            return exportFailed(r.error());
        printGgufSummary(*r);
        return recorded(QStringLiteral("gguf"), r->outputDir, r->files, r->quantizedLayers,
                        r->quantizedWeights, r->formulaBitsPerWeight, 0);
    }

    ExportConfig config;
    config.checkpoint = *ckpt;
    config.plan = plan;
    config.linears = provider;
    config.format = request->format;
    config.outputDir = request->outputDir;
    config.force = request->force;
    config.mergeLowRank = request->mergeLowRank;
    config.dtype = request->dtype;
    config.shardBytes = request->shardBytes;
    config.provenance = provenanceOf(request->statsSource);
    if (request->peft) {
        Expected<PeftExportResult> pr
            = exportPeft(config, request->dtype, stderrProgress(QStringLiteral("exporting")));
        if (!pr)
            return exportFailed(pr.error());
        printSummary(*request, pr->base,
                     pr->gptqGroupSize > 0 ? QStringLiteral("GPTQ 4-bit") : QStringLiteral("dequantized"));
        out(QStringLiteral("PEFT base: %1\n").arg(pr->baseNote));
        out(QStringLiteral(
                "PEFT adapter: %1 (%2 modules, %3 MB; lora_alpha = r per module, so W x + B A x)\n")
                .arg(QDir::toNativeSeparators(pr->adapterDir))
                .arg(pr->adapterLayers)
                .arg(double(pr->adapterBytes) / 1e6, 0, 'f', 2));
        return recorded(QStringLiteral("peft"), pr->base.outputDir, pr->base.files + pr->adapterFiles,
                        pr->base.quantizedLayers, pr->base.quantizedWeights, pr->base.formulaBitsPerWeight,
                        0);
    }
    Expected<ExportResult> r = exportCheckpoint(config, stderrProgress(QStringLiteral("exporting")));
    if (!r)
        return exportFailed(r.error());
    printSummary(*request, *r);
    return recorded(exportFormatName(request->format), r->outputDir, r->files, r->quantizedLayers,
                    r->quantizedWeights, r->formulaBitsPerWeight, r->fileBitsPerWeight);
}

} // namespace lqer::cli
