// `lqer analyze MODEL`: quantize every selected linear of a checkpoint in memory and report the
// per-layer errors of NUMERICS.md §5 and the bits of §8 (nothing is written but the reports).

#include "cli.h"
#include "recording.h"

#include "core/job/pipeline.h"
#include "core/lqer/metrics.h"
#include "core/model/architecture.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>

#include <cmath>

namespace lqer::cli {

namespace {

QJsonArray toArray(const VectorD &v)
{
    QJsonArray a;
    for (Eigen::Index i = 0; i < v.size(); ++i)
        a.append(v(i));
    return a;
}

QJsonObject layerJson(const LayerQuantResult &r, const LayerPlan &plan)
{
    const LayerMetrics &m = r.metrics;
    QJsonObject o;
    o[QStringLiteral("layer")] = r.layer;
    o[QStringLiteral("out")] = m.outFeatures;
    o[QStringLiteral("in")] = m.inFeatures;
    o[QStringLiteral("method")] = methodName(m.rank > 0 ? plan.method : Method::Plain);
    o[QStringLiteral("rank")] = m.rank;
    o[QStringLiteral("weight_frob")] = m.weightFrob;
    o[QStringLiteral("quant_frob_error")] = m.quantFrobError;
    o[QStringLiteral("frob_error")] = m.frobError;
    o[QStringLiteral("rel_error")] = m.relError;
    o[QStringLiteral("mean_abs_error")] = m.meanAbsError;
    o[QStringLiteral("plain_mean_abs_error")] = m.plainMeanAbsError;
    if (m.hasScaledError) {
        o[QStringLiteral("act_weighted_error")] = m.scaledFrobError;
        o[QStringLiteral("act_weighted_plain_error")] = m.scaledPlainFrobError;
    }
    o[QStringLiteral("bits_per_weight")] = m.bitsPerWeight;
    o[QStringLiteral("seconds")] = m.seconds;
    return o;
}

Status writeFile(const QString &path, const QByteArray &data)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return makeError(QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    f.write(data);
    if (!f.commit())
        return makeError(QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    return Status::success();
}

// Singular values for plots: JSON (per layer: alpha, sv_error, sv_scaled, Marchenko-Pastur
// support and variance of an i.i.d. matrix with the same energy) or long-format CSV.
QByteArray spectraReport(const QList<LayerQuantResult> &layers, bool json)
{
    if (json) {
        QJsonObject root;
        for (const LayerQuantResult &r : layers) {
            QJsonObject o;
            o[QStringLiteral("alpha")] = r.spectra.alpha;
            o[QStringLiteral("sv_error")] = toArray(r.spectra.svError);
            o[QStringLiteral("sv_scaled")] = toArray(r.spectra.svScaled);
            const double var = equivalentVariance(r.spectra.alpha * r.metrics.quantFrobError,
                                                  r.metrics.inFeatures, r.metrics.outFeatures);
            double lo = 0, hi = 0;
            marchenkoPasturSingularSupport(r.metrics.inFeatures, r.metrics.outFeatures, var, &lo, &hi);
            QJsonObject mp;
            mp[QStringLiteral("variance")] = var;
            mp[QStringLiteral("lo")] = lo;
            mp[QStringLiteral("hi")] = hi;
            o[QStringLiteral("marchenko_pastur")] = mp;
            root[r.layer] = o;
        }
        return QJsonDocument(root).toJson(QJsonDocument::Indented);
    }
    QString csv = QStringLiteral("layer,index,sv_error,sv_scaled,alpha\n");
    for (const LayerQuantResult &r : layers) {
        for (Eigen::Index i = 0; i < r.spectra.svError.size(); ++i) {
            csv += QStringLiteral("%1,%2,%3,%4,%5\n")
                       .arg(r.layer)
                       .arg(i)
                       .arg(r.spectra.svError(i), 0, 'g', 9)
                       .arg(i < r.spectra.svScaled.size() ? QString::number(r.spectra.svScaled(i), 'g', 9)
                                                          : QString())
                       .arg(r.spectra.alpha, 0, 'g', 9);
        }
    }
    return csv.toUtf8();
}

} // namespace

int cmdAnalyze(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Quantize the linear layers of a checkpoint in memory and report, per layer, the plain "
        "quantization error ‖E‖_F, the error after the low-rank term ‖E−Ẽ‖_F, relative error, e_a "
        "(paper eq. 15) and bits per weight (NUMERICS.md §5, §8)."));
    parser.addPositionalArgument(QStringLiteral("model"),
                                 QStringLiteral("Hugging Face checkpoint folder or .safetensors file."));
    const QCommandLineOption layersOpt(QStringLiteral("layers"),
                                       QStringLiteral("Only layers whose name matches REGEX."),
                                       QStringLiteral("regex"));
    const QCommandLineOption presetOpt(
        QStringLiteral("preset"),
        QStringLiteral("Start from a plan preset (%1).").arg(Plan::presetNames().join(QStringLiteral(", "))),
        QStringLiteral("name"));
    const QCommandLineOption formatOpt(QStringLiteral("format"),
                                       QStringLiteral("Weight format: mxint or int (symmetric)."),
                                       QStringLiteral("kind"));
    const QCommandLineOption wbitsOpt(QStringLiteral("wbits"), QStringLiteral("Weight bits (default 4)."),
                                      QStringLiteral("w"));
    const QCommandLineOption ebitsOpt(QStringLiteral("ebits"),
                                      QStringLiteral("MXINT shared exponent bits (default 8)."),
                                      QStringLiteral("e"));
    const QCommandLineOption blockOpt(
        QStringLiteral("block"), QStringLiteral("Block / group size (default 16)."), QStringLiteral("B"));
    const QCommandLineOption methodOpt(
        QStringLiteral("method"),
        QStringLiteral("Method: %1 (default l2qer).").arg(methodNames().join(QStringLiteral(", "))),
        QStringLiteral("method"));
    const QCommandLineOption rankOpt(QStringLiteral("rank"),
                                     QStringLiteral("Rank k (default 32; 0 = plain)."), QStringLiteral("k"));
    const QCommandLineOption svdOpt(QStringLiteral("svd"),
                                    QStringLiteral("SVD backend: auto, exact, spectra, randomized."),
                                    QStringLiteral("backend"));
    const QCommandLineOption statsOpt(
        QStringLiteral("stats"),
        QStringLiteral("Calibration statistics (from `lqer calibrate`); required by l2qer/qera."),
        QStringLiteral("file"));
    const QCommandLineOption threadsOpt(QStringLiteral("threads"),
                                        QStringLiteral("Worker threads (default: all cores)."),
                                        QStringLiteral("n"));
    const QCommandLineOption jsonOpt(QStringLiteral("json"),
                                     QStringLiteral("Print machine-readable JSON instead of the table."));
    const QCommandLineOption csvOpt(QStringLiteral("csv"),
                                    QStringLiteral("Also write the per-layer table as CSV."),
                                    QStringLiteral("file"));
    const QCommandLineOption spectraOpt(
        QStringLiteral("spectra"),
        QStringLiteral("Write singular values of E (α-normalised) and S·E: .json or .csv."),
        QStringLiteral("file"));
    const QCommandLineOption topOpt(QStringLiteral("spectrum-count"),
                                    QStringLiteral("Only the top N singular values in --spectra and in the "
                                                   "recorded run (0 = all; default: all up to "
                                                   "1024, else the top 256)."),
                                    QStringLiteral("n"));
    for (const auto &o : {layersOpt, presetOpt, formatOpt, wbitsOpt, ebitsOpt, blockOpt, methodOpt, rankOpt,
                          svdOpt, statsOpt, threadsOpt, jsonOpt, csvOpt, spectraOpt, topOpt})
        parser.addOption(o);
    parser.addOptions(CliRecorder::options(false));
    int exitCode = 0;
    if (!parseOrExit(parser, args, exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1) {
        err(QStringLiteral("lqer analyze: expected one MODEL argument\n\n%1").arg(helpText(parser)));
        return 2;
    }
    const QString modelPath = parser.positionalArguments().first();

    auto intOption = [&](const QCommandLineOption &o, int def, int lo, int hi, int *value) -> bool {
        *value = def;
        if (!parser.isSet(o))
            return true;
        bool ok = false;
        *value = parser.value(o).toInt(&ok);
        if (!ok || *value < lo || *value > hi) {
            fail(QStringLiteral("--%1 must be an integer in [%2, %3], got '%4'")
                     .arg(o.names().first())
                     .arg(lo)
                     .arg(hi)
                     .arg(parser.value(o)));
            return false;
        }
        return true;
    };

    Plan plan;
    if (parser.isSet(presetOpt)) {
        auto p = Plan::fromPreset(parser.value(presetOpt));
        if (!p)
            return fail(p.error());
        plan = *p;
    }
    LayerPlan &lp = plan.defaults;
    if (parser.isSet(formatOpt) || parser.isSet(wbitsOpt) || parser.isSet(ebitsOpt)
        || parser.isSet(blockOpt)) {
        const QString kind = parser.isSet(formatOpt)
            ? parser.value(formatOpt).toLower()
            : (lp.weight.kind == FormatKind::MxInt ? QStringLiteral("mxint") : QStringLiteral("int"));
        int w = 0, e = 0, b = 0;
        if (!intOption(wbitsOpt, lp.weight.bits, 2, 16, &w)
            || !intOption(ebitsOpt, lp.weight.expBits, 1, 8, &e)
            || !intOption(blockOpt, lp.weight.block, 1, 1 << 20, &b))
            return 1;
        if (kind == QLatin1String("mxint"))
            lp.weight = QuantFormat::mxint(w, e, b);
        else if (kind == QLatin1String("int"))
            lp.weight = QuantFormat::intSym(w, b);
        else
            return fail(QStringLiteral("--format must be mxint or int, got '%1'").arg(kind));
        if (Status st = lp.weight.validate(); !st)
            return fail(st.error());
    }
    if (parser.isSet(methodOpt)) {
        const auto m = methodFromName(parser.value(methodOpt));
        if (!m)
            return fail(QStringLiteral("unknown method '%1' (available: %2)")
                            .arg(parser.value(methodOpt), methodNames().join(QStringLiteral(", "))));
        lp.method = *m;
    }
    if (!intOption(rankOpt, lp.rank, 0, 1 << 20, &lp.rank))
        return 1;
    if (parser.isSet(svdOpt)) {
        const auto b = svdBackendFromName(parser.value(svdOpt));
        if (!b)
            return fail(QStringLiteral("unknown SVD backend '%1' (auto, exact, spectra, randomized)")
                            .arg(parser.value(svdOpt)));
        plan.svd = *b;
    }
    int threads = 0, top = -1;
    if (!intOption(threadsOpt, 0, 0, 1024, &threads) || !intOption(topOpt, -1, 0, 1 << 20, &top))
        return 1;

    // The session store first: a file it cannot use stops the command before any work.
    auto recorder = CliRecorder::open(parser);
    if (!recorder)
        return fail(recorder.error());
    CliRecorder *rec = recorder->get();
    installInterruptHandler();

    auto ckpt = Checkpoint::open(modelPath);
    if (!ckpt)
        return fail(ckpt.error());
    auto linears = quantizableLinears(**ckpt);
    if (!linears)
        return fail(linears.error());
    QStringList layers;
    QRegularExpression re;
    if (parser.isSet(layersOpt)) {
        re.setPattern(parser.value(layersOpt));
        if (!re.isValid())
            return fail(QStringLiteral("--layers: invalid regular expression '%1': %2")
                            .arg(re.pattern(), re.errorString()));
    }
    for (const LinearLayerInfo &info : *linears)
        if (re.pattern().isEmpty() || re.match(info.weightName).hasMatch())
            layers << info.weightName;
    if (layers.isEmpty())
        return fail(
            QStringLiteral("no linear layer of %1 matches --layers '%2'").arg(modelPath, re.pattern()));

    StatsMap stats;
    if (parser.isSet(statsOpt)) {
        auto s = loadStats(parser.value(statsOpt));
        if (!s)
            return fail(s.error());
        stats = std::move(*s);
    } else if (plan.needsStats(layers)) {
        return fail(QStringLiteral(
                        "method %1 needs calibration statistics: run `lqer calibrate` and pass --stats FILE "
                        "(or use --method lqer / plain)")
                        .arg(methodName(lp.method)));
    }

    if (rec) {
        if (Status s = rec->useSession(**ckpt, plan, modelPath); !s)
            return fail(s.error());
        if (Status s = rec->beginRun(QStringLiteral("analyze"), plan, quantizedLayerCount(plan, layers)); !s)
            return fail(s.error());
    }

    PipelineConfig config;
    config.checkpoint = *ckpt;
    config.plan = plan;
    config.layers = layers;
    config.stats = parser.isSet(statsOpt) ? &stats : nullptr;
    config.computeSpectra = parser.isSet(spectraOpt) || rec; // the store keeps spectra (ARCHITECTURE.md)
    config.spectrumCount = top;
    config.threads = threads;
    auto result
        = runPipeline(config, stderrProgress(QStringLiteral("analyze")), [&](const LayerQuantResult &r) {
              if (rec)
                  rec->addLayer(r, plan.forLayer(r.layer));
          });
    if (!result)
        return failRun(rec, result.error());
    if (result->cancelled)
        return failRun(rec, QStringLiteral("cancelled"));
    if (rec)
        rec->finishRun();

    // Model totals: bits are Σ bits / Σ weights (§8), errors add in squares.
    double weights = 0, bits = 0, quantSq = 0, residSq = 0, weightSq = 0, seconds = 0;
    for (const LayerQuantResult &r : result->layers) {
        const double mn = double(r.metrics.inFeatures) * double(r.metrics.outFeatures);
        weights += mn;
        bits += mn * r.metrics.bitsPerWeight;
        quantSq += r.metrics.quantFrobError * r.metrics.quantFrobError;
        residSq += r.metrics.frobError * r.metrics.frobError;
        weightSq += r.metrics.weightFrob * r.metrics.weightFrob;
        seconds += r.metrics.seconds;
    }
    QJsonObject totals;
    totals[QStringLiteral("layers")] = int(result->layers.size());
    totals[QStringLiteral("weights")] = weights;
    totals[QStringLiteral("bits_per_weight")] = weights > 0 ? bits / weights : 0;
    totals[QStringLiteral("quant_frob_error")] = std::sqrt(quantSq);
    totals[QStringLiteral("frob_error")] = std::sqrt(residSq);
    totals[QStringLiteral("rel_error")] = weightSq > 0 ? std::sqrt(residSq / weightSq) : 0;
    totals[QStringLiteral("layer_seconds")] = seconds;
    totals[QStringLiteral("wall_seconds")] = result->seconds;

    QString csv = QStringLiteral("layer,out,in,method,rank,quant_frob_error,frob_error,rel_error,mean_abs_"
                                 "error,bits_per_weight,seconds\n");
    QJsonArray rows;
    for (const LayerQuantResult &r : result->layers) {
        const LayerPlan p = plan.forLayer(r.layer);
        rows.append(layerJson(r, p));
        const LayerMetrics &m = r.metrics;
        csv += QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8,%9,%10,%11\n")
                   .arg(r.layer)
                   .arg(m.outFeatures)
                   .arg(m.inFeatures)
                   .arg(methodName(m.rank > 0 ? p.method : Method::Plain))
                   .arg(m.rank)
                   .arg(m.quantFrobError, 0, 'g', 9)
                   .arg(m.frobError, 0, 'g', 9)
                   .arg(m.relError, 0, 'g', 9)
                   .arg(m.meanAbsError, 0, 'g', 9)
                   .arg(m.bitsPerWeight, 0, 'g', 9)
                   .arg(m.seconds, 0, 'g', 6);
    }
    if (parser.isSet(csvOpt)) {
        if (Status st = writeFile(parser.value(csvOpt), csv.toUtf8()); !st)
            return failRun(rec, st.error());
    }
    if (parser.isSet(spectraOpt)) {
        const QString path = parser.value(spectraOpt);
        if (Status st = writeFile(
                path,
                spectraReport(result->layers, path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive)));
            !st)
            return failRun(rec, st.error());
    }

    if (parser.isSet(jsonOpt)) {
        QJsonObject root;
        root[QStringLiteral("model")] = modelPath;
        root[QStringLiteral("plan")] = plan.toJson();
        root[QStringLiteral("layers")] = rows;
        root[QStringLiteral("totals")] = totals;
        out(QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented)));
        return finishCommand(rec);
    }

    int nameWidth = 5;
    for (const LayerQuantResult &r : result->layers)
        nameWidth = std::max(nameWidth, int(r.layer.size()));
    const QString header = QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8  %9  %10\n")
                               .arg(QStringLiteral("layer"), -nameWidth)
                               .arg(QStringLiteral("shape"), -11)
                               .arg(QStringLiteral("method"), -11)
                               .arg(QStringLiteral("k"), 5)
                               .arg(QStringLiteral("‖E‖_F"), 10)
                               .arg(QStringLiteral("‖E−Ẽ‖_F"), 10)
                               .arg(QStringLiteral("rel"), 10)
                               .arg(QStringLiteral("e_a"), 10)
                               .arg(QStringLiteral("bits"), 6)
                               .arg(QStringLiteral("time"), 7);
    QString table = header;
    for (const LayerQuantResult &r : result->layers) {
        const LayerMetrics &m = r.metrics;
        table += QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8  %9  %10\n")
                     .arg(r.layer, -nameWidth)
                     .arg(QStringLiteral("%1x%2").arg(m.outFeatures).arg(m.inFeatures), -11)
                     .arg(methodName(m.rank > 0 ? plan.forLayer(r.layer).method : Method::Plain), -11)
                     .arg(m.rank, 5)
                     .arg(m.quantFrobError, 10, 'g', 5)
                     .arg(m.frobError, 10, 'g', 5)
                     .arg(m.relError, 10, 'g', 4)
                     .arg(m.meanAbsError, 10, 'g', 4)
                     .arg(m.bitsPerWeight, 6, 'f', 3)
                     .arg(QStringLiteral("%1s").arg(m.seconds, 0, 'f', 3), 7);
    }
    table += QStringLiteral(
                 "\nmodel: %1 layers, %2 weights, %3 bits/weight (Σ bits / Σ weights), ‖E‖_F %4 → ‖E−Ẽ‖_F %5 "
                 "(rel %6), %7 s of layer work in %8 s\n")
                 .arg(result->layers.size())
                 .arg(qint64(weights))
                 .arg(totals[QStringLiteral("bits_per_weight")].toDouble(), 0, 'f', 4)
                 .arg(std::sqrt(quantSq), 0, 'g', 6)
                 .arg(std::sqrt(residSq), 0, 'g', 6)
                 .arg(totals[QStringLiteral("rel_error")].toDouble(), 0, 'g', 4)
                 .arg(seconds, 0, 'f', 2)
                 .arg(result->seconds, 0, 'f', 2);
    out(table);
    return finishCommand(rec);
}

} // namespace lqer::cli
