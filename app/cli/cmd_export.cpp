// lqer export MODEL --plan plan.json|--preset NAME [--method M] [--rank K] [--stats FILE | --calib TEXT
//              [--samples N] [--calib-seq-len L]] --format packed|dequantized [--merge-lowrank]
//              [--dtype fp16|bf16|fp32] [--shard-size 2GB] [--force] -o DIR
// Quantizes the model layer by layer and writes a packed LQER checkpoint or a dequantized
// Hugging Face folder (docs/PACKED_FORMAT.md). The numbers are those of `lqer quantize` and
// `lqer eval --preset`: the same calibration (calibrateOnText: the text read and tokenized the
// same way, N samples of L tokens, L = 512 unless given) and the same quantizeLayer() settings
// per layer as the pipeline (quantizingProvider), so a packed export evaluates to the
// perplexity of the in-memory quantized model.

#include "cli.h"
#include "modelcli.h"

#include "core/export/exporter.h"
#include "core/io/checkpoint.h"
#include "core/plan/plan.h"
#include "core/lqer/statsfile.h"
#include "core/model/calibration.h"
#include "core/model/tokenizer.h"
#include "core/model/transformer.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>

namespace lqer::cli {

namespace {

Expected<Plan> planFromOptions(const QCommandLineParser &p, const QCommandLineOption &planOpt,
                               const QCommandLineOption &presetOpt, const QCommandLineOption &methodOpt,
                               const QCommandLineOption &rankOpt)
{
    Plan plan;
    if (p.isSet(planOpt) && p.isSet(presetOpt))
        return makeError(QStringLiteral("give --plan or --preset, not both"));
    if (p.isSet(planOpt)) {
        const QString path = p.value(planOpt);
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return makeError(QStringLiteral("%1: cannot read the plan (%2)").arg(path, f.errorString()));
        QJsonParseError perr;
        const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &perr);
        if (!doc.isObject())
            return makeError(QStringLiteral("%1: not a JSON plan (%2)").arg(path, perr.errorString()));
        Expected<Plan> parsed = Plan::fromJson(doc.object());
        if (!parsed)
            return makeError(QStringLiteral("%1: %2").arg(path, parsed.error()));
        plan = *parsed;
    } else {
        const QString name = p.isSet(presetOpt) ? p.value(presetOpt) : QStringLiteral("paper-w4a8");
        Expected<Plan> preset = Plan::fromPreset(name);
        if (!preset)
            return Error {preset.error()};
        plan = *preset;
    }
    if (p.isSet(methodOpt)) {
        const std::optional<Method> m = methodFromName(p.value(methodOpt));
        if (!m)
            return makeError(QStringLiteral("unknown method '%1' (expected %2)")
                                 .arg(p.value(methodOpt), methodNames().join(QStringLiteral(", "))));
        plan.defaults.method = *m;
        for (LayerPlan &lp : plan.overrides)
            lp.method = *m;
    }
    if (p.isSet(rankOpt)) {
        bool ok = false;
        const int k = p.value(rankOpt).toInt(&ok);
        if (!ok || k < 0)
            return makeError(
                QStringLiteral("--rank must be a non-negative integer, got '%1'").arg(p.value(rankOpt)));
        plan.defaults.rank = k;
        for (LayerPlan &lp : plan.overrides)
            lp.rank = k;
    }
    return plan;
}

} // namespace

int cmdExport(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Quantize MODEL with a plan and export it as a packed LQER checkpoint (re-importable by "
        "'lqer eval' and the studio) or as a dequantized Hugging Face folder for standard tools."));
    p.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("Hugging Face checkpoint folder"));
    const QCommandLineOption planOpt(QStringLiteral("plan"), QStringLiteral("Plan JSON file."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption presetOpt(QStringLiteral("preset"),
                                       QStringLiteral("Preset plan: %1 (default paper-w4a8).")
                                           .arg(Plan::presetNames().join(QStringLiteral(", "))),
                                       QStringLiteral("NAME"));
    const QCommandLineOption methodOpt(
        QStringLiteral("method"),
        QStringLiteral("Override the method: %1.").arg(methodNames().join(QStringLiteral(", "))),
        QStringLiteral("M"));
    const QCommandLineOption rankOpt(QStringLiteral("rank"), QStringLiteral("Override the rank k."),
                                     QStringLiteral("K"));
    const QCommandLineOption statsOpt(QStringLiteral("stats"), QStringLiteral("Calibration statistics file."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption calibOpt(
        QStringLiteral("calib"),
        QStringLiteral("Calibrate on this text file first (when the method needs it)."),
        QStringLiteral("TEXT"));
    const QCommandLineOption samplesOpt(QStringLiteral("samples"),
                                        QStringLiteral("Calibration samples (default 32)."),
                                        QStringLiteral("N"), QStringLiteral("32"));
    const QCommandLineOption calibLenOpt(
        QStringLiteral("calib-seq-len"),
        QStringLiteral("Calibration sample length (default 512; capped by max positions)."),
        QStringLiteral("L"));
    const QCommandLineOption formatOpt(QStringLiteral("format"),
                                       QStringLiteral("packed (default) or dequantized."),
                                       QStringLiteral("FORMAT"), QStringLiteral("packed"));
    const QCommandLineOption mergeOpt(
        QStringLiteral("merge-lowrank"),
        QStringLiteral("Dequantized: store Wq + A·B (LQER's inference cost is lost)."));
    const QCommandLineOption dtypeOpt(QStringLiteral("dtype"),
                                      QStringLiteral("Dequantized weights: fp16, bf16 or fp32."),
                                      QStringLiteral("TYPE"), QStringLiteral("fp16"));
    const QCommandLineOption shardOpt(QStringLiteral("shard-size"),
                                      QStringLiteral("Maximum shard size (e.g. 2GB)."),
                                      QStringLiteral("SIZE"), QStringLiteral("2GB"));
    const QCommandLineOption forceOpt(
        QStringLiteral("force"),
        QStringLiteral("Write into a non-empty folder (replaces only the files of an "
                       "earlier export there)."));
    const QCommandLineOption outOpt({QStringLiteral("o"), QStringLiteral("output")},
                                    QStringLiteral("Output folder."), QStringLiteral("DIR"));
    p.addOptions({planOpt, presetOpt, methodOpt, rankOpt, statsOpt, calibOpt, samplesOpt, calibLenOpt,
                  formatOpt, mergeOpt, dtypeOpt, shardOpt, forceOpt, outOpt});
    int exitCode = 0;
    if (!parseOrExit(p, args, exitCode))
        return exitCode;
    if (p.positionalArguments().size() != 1) {
        err(QStringLiteral("lqer export: expected one MODEL folder (see --help)"));
        return 2;
    }
    if (!p.isSet(outOpt)) {
        err(QStringLiteral("lqer export: -o DIR is required"));
        return 2;
    }
    const QString modelPath = p.positionalArguments().first();

    Expected<Plan> plan = planFromOptions(p, planOpt, presetOpt, methodOpt, rankOpt);
    if (!plan)
        return fail(plan.error());
    Expected<ExportFormat> format = exportFormatFromName(p.value(formatOpt));
    if (!format)
        return fail(format.error());
    const QString dt = p.value(dtypeOpt).toLower();
    DType dtype = DType::F16;
    if (dt == QLatin1String("bf16") || dt == QLatin1String("bfloat16"))
        dtype = DType::BF16;
    else if (dt == QLatin1String("fp32") || dt == QLatin1String("float32") || dt == QLatin1String("f32"))
        dtype = DType::F32;
    else if (dt != QLatin1String("fp16") && dt != QLatin1String("float16") && dt != QLatin1String("f16"))
        return fail(QStringLiteral("--dtype must be fp16, bf16 or fp32, got '%1'").arg(p.value(dtypeOpt)));
    Expected<qint64> shard = parseByteSize(p.value(shardOpt));
    if (!shard)
        return fail(QStringLiteral("--shard-size: %1").arg(shard.error()));
    if (p.isSet(mergeOpt) && *format == ExportFormat::Packed)
        return fail(QStringLiteral("--merge-lowrank applies to --format dequantized only"));
    if (p.isSet(statsOpt) && p.isSet(calibOpt))
        return fail(QStringLiteral("give --stats or --calib, not both"));
    bool ok = false;
    const int samples = p.value(samplesOpt).toInt(&ok);
    if (!ok || samples < 1)
        return fail(
            QStringLiteral("--samples must be a positive integer, got '%1'").arg(p.value(samplesOpt)));
    const int calibSeqLen = p.isSet(calibLenOpt) ? p.value(calibLenOpt).toInt(&ok) : 0;
    if (!ok || calibSeqLen < 0)
        return fail(
            QStringLiteral("--calib-seq-len must be a positive integer, got '%1'").arg(p.value(calibLenOpt)));
    installInterruptHandler(); // Ctrl-C cancels: the partial folder is removed, DIR left as it was

    Expected<std::shared_ptr<Checkpoint>> ckpt = Checkpoint::open(modelPath);
    if (!ckpt)
        return fail(ckpt.error());
    Expected<QList<LinearLayerInfo>> linears = quantizableLinears(**ckpt);
    if (!linears)
        return fail(linears.error());
    QStringList layers;
    for (const LinearLayerInfo &l : *linears)
        if (plan->forLayer(l.weightName).quantize)
            layers << l.weightName;

    QJsonObject provenance;
    StatsMap stats;
    const bool needsStats = plan->needsStats(layers);
    if (p.isSet(statsOpt)) {
        Expected<StatsMap> loaded = loadStats(p.value(statsOpt));
        if (!loaded)
            return fail(loaded.error());
        stats = std::move(*loaded);
        provenance.insert(QStringLiteral("stats"), QDir(p.value(statsOpt)).absolutePath());
    } else if (p.isSet(calibOpt)) {
        if (needsStats) {
            Expected<LoadedModel> m = openModel(modelPath, QString());
            if (!m)
                return fail(m.error());
            Expected<CalibrationResult> c
                = calibrateOnText(*m, p.value(calibOpt), samples, calibSeqLen, plan->needsGram(layers), 0);
            if (!c)
                return fail(c.error());
            stats = std::move(c->stats);
            plan->calibration.samples = samples;
            plan->calibration.seqLen = cliWindowLength(calibSeqLen, m->model->config());
            plan->calibration.textPath = QFileInfo(p.value(calibOpt)).absoluteFilePath();
        }
        provenance.insert(QStringLiteral("calibration_text"), QDir(p.value(calibOpt)).absolutePath());
    } else if (needsStats) {
        return fail(QStringLiteral(
            "the plan's method needs calibration statistics: give --stats FILE or --calib TEXT "
            "(or --method lqer / plain)"));
    }

    ExportConfig config;
    config.checkpoint = *ckpt;
    config.plan = *plan;
    config.linears = quantizingProvider(*ckpt, *plan, stats.isEmpty() ? nullptr : &stats);
    config.format = *format;
    config.outputDir = p.value(outOpt);
    config.force = p.isSet(forceOpt);
    config.mergeLowRank = p.isSet(mergeOpt);
    config.dtype = dtype;
    config.shardBytes = *shard;
    config.provenance = provenance;
    Expected<ExportResult> r = exportCheckpoint(config, stderrProgress(QStringLiteral("exporting")));
    if (!r) {
        fail(r.error());
        return interrupted() ? kInterruptedExitCode : 1;
    }

    out(QStringLiteral("wrote %1 (%2 checkpoint, %3 files, %4 MB)\n")
            .arg(QDir::toNativeSeparators(r->outputDir), exportFormatName(*format))
            .arg(r->files.size())
            .arg(double(r->totalBytes) / 1e6, 0, 'f', 1));
    out(QStringLiteral("quantized layers: %1, weights: %2\n")
            .arg(r->quantizedLayers)
            .arg(r->quantizedWeights));
    if (*format == ExportFormat::Packed)
        out(QStringLiteral("quantized payload: %1 bytes = %2 bits/weight (NUMERICS §8 formula: %3)\n")
                .arg(r->quantizedPayloadBytes)
                .arg(r->fileBitsPerWeight, 0, 'f', 4)
                .arg(r->formulaBitsPerWeight, 0, 'f', 4));
    else
        out(QStringLiteral("bits/weight of the quantized model (NUMERICS §8): %1%2\n")
                .arg(r->formulaBitsPerWeight, 0, 'f', 4)
                .arg(config.mergeLowRank
                         ? QStringLiteral("; low-rank term merged into the weights, which no longer "
                                          "have LQER's inference cost")
                         : QStringLiteral("; low-rank term not included")));
    return 0;
}

} // namespace lqer::cli
