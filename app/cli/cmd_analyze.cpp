// `lqer analyze MODEL`: quantize every selected linear of a checkpoint in memory and report the
// per-layer errors of NUMERICS.md §5 and the bits of §8 (nothing is written but the reports).

#include "cli.h"
#include "modelcli.h"
#include "options.h"
#include "recording.h"

#include "core/common/cluster.h"
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

// What the command line asks for.
struct AnalyzeRequest : PlanRequest
{
    QString layersPattern; // empty: every linear
    int spectrumCount = -1; // automatic
    bool json = false;
    QString csvPath;
    QString spectraPath;
};

void declareOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QStringLiteral(
        "Quantize the linear layers of a checkpoint in memory and report, per layer, the plain "
        "quantization error ‖E‖_F, the error after the low-rank term ‖E−Ẽ‖_F, relative error, e_a "
        "(paper eq. 15) and bits per weight (NUMERICS.md §5, §8)."));
    parser.addPositionalArgument(QStringLiteral("model"),
                                 QStringLiteral("Hugging Face checkpoint folder or .safetensors file."));
    parser.addOption(QCommandLineOption(QStringLiteral("layers"),
                                        QStringLiteral("Only layers whose name matches REGEX."),
                                        QStringLiteral("REGEX")));
    addPlanRequestOptions(parser);
    parser.addOptions({
        QCommandLineOption(QStringLiteral("json"),
                           QStringLiteral("Print machine-readable JSON instead of the table.")),
        QCommandLineOption(QStringLiteral("csv"), QStringLiteral("Also write the per-layer table as CSV."),
                           QStringLiteral("FILE")),
        QCommandLineOption(
            QStringLiteral("spectra"),
            QStringLiteral("Write singular values of E (α-normalised) and S·E: .json or .csv."),
            QStringLiteral("FILE")),
    });
    CliRecorder::addOptions(parser);
}

Expected<AnalyzeRequest> requestFrom(const QCommandLineParser &parser, const QString &modelPath)
{
    AnalyzeRequest r;
    if (Status s = readPlanRequest(parser, modelPath, r); !s)
        return Error {s.error()};
    auto top = intOptionValue(parser, QStringLiteral("spectrum-count"), -1, 0);
    if (!top)
        return Error {top.error()};
    r.spectrumCount = *top;
    r.layersPattern = parser.value(QStringLiteral("layers"));
    r.json = parser.isSet(QStringLiteral("json"));
    r.csvPath = parser.value(QStringLiteral("csv"));
    r.spectraPath = parser.value(QStringLiteral("spectra"));
    return r;
}

// The checkpoint's linears whose names match --layers, in model order.
Expected<QStringList> selectLayers(const Checkpoint &checkpoint, const AnalyzeRequest &r)
{
    const QRegularExpression re(r.layersPattern);
    if (!re.isValid())
        return makeError(QStringLiteral("--layers: invalid regular expression '%1': %2")
                             .arg(re.pattern(), re.errorString()));
    auto all = linearNames(checkpoint);
    if (!all)
        return all;
    QStringList layers;
    for (const QString &name : *all)
        if (r.layersPattern.isEmpty() || re.match(name).hasMatch())
            layers << name;
    if (layers.isEmpty())
        return makeError(QStringLiteral("no linear layer of %1 matches --layers '%2'")
                             .arg(QDir::toNativeSeparators(r.modelPath), re.pattern()));
    return layers;
}

// Model totals: bits are Σ bits / Σ weights (§8), errors add in squares.
QJsonObject modelTotals(const PipelineResult &result)
{
    double weights = 0, bits = 0, quantSq = 0, residSq = 0, weightSq = 0, seconds = 0;
    for (const LayerQuantResult &r : result.layers) {
        const double mn = double(r.metrics.inFeatures) * double(r.metrics.outFeatures);
        weights += mn;
        bits += mn * r.metrics.bitsPerWeight;
        quantSq += r.metrics.quantFrobError * r.metrics.quantFrobError;
        residSq += r.metrics.frobError * r.metrics.frobError;
        weightSq += r.metrics.weightFrob * r.metrics.weightFrob;
        seconds += r.metrics.seconds;
    }
    QJsonObject totals;
    totals[QStringLiteral("layers")] = int(result.layers.size());
    totals[QStringLiteral("weights")] = weights;
    totals[QStringLiteral("bits_per_weight")] = weights > 0 ? bits / weights : 0;
    totals[QStringLiteral("quant_frob_error")] = std::sqrt(quantSq);
    totals[QStringLiteral("frob_error")] = std::sqrt(residSq);
    totals[QStringLiteral("rel_error")] = weightSq > 0 ? std::sqrt(residSq / weightSq) : 0;
    totals[QStringLiteral("layer_seconds")] = seconds;
    totals[QStringLiteral("wall_seconds")] = result.seconds;
    return totals;
}

QString layersCsv(const QList<LayerQuantResult> &layers, const Plan &plan)
{
    QString csv = QStringLiteral("layer,out,in,method,rank,quant_frob_error,frob_error,rel_error,mean_abs_"
                                 "error,bits_per_weight,seconds\n");
    for (const LayerQuantResult &r : layers) {
        const LayerMetrics &m = r.metrics;
        csv += QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8,%9,%10,%11\n")
                   .arg(r.layer)
                   .arg(m.outFeatures)
                   .arg(m.inFeatures)
                   .arg(methodName(m.rank > 0 ? plan.forLayer(r.layer).method : Method::Plain))
                   .arg(m.rank)
                   .arg(m.quantFrobError, 0, 'g', 9)
                   .arg(m.frobError, 0, 'g', 9)
                   .arg(m.relError, 0, 'g', 9)
                   .arg(m.meanAbsError, 0, 'g', 9)
                   .arg(m.bitsPerWeight, 0, 'g', 9)
                   .arg(m.seconds, 0, 'g', 6);
    }
    return csv;
}

QString layersTable(const QList<LayerQuantResult> &layers, const Plan &plan, const QJsonObject &totals)
{
    int nameWidth = 5;
    for (const LayerQuantResult &r : layers)
        nameWidth = std::max(nameWidth, int(r.layer.size()));
    QString table = QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8  %9  %10\n")
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
    for (const LayerQuantResult &r : layers) {
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
    auto total = [&](const char *key) { return totals[QLatin1String(key)].toDouble(); };
    table += QStringLiteral(
                 "\nmodel: %1 layers, %2 weights, %3 bits/weight (Σ bits / Σ weights), ‖E‖_F %4 → ‖E−Ẽ‖_F %5 "
                 "(rel %6), %7 s of layer work in %8 s\n")
                 .arg(layers.size())
                 .arg(qint64(total("weights")))
                 .arg(total("bits_per_weight"), 0, 'f', 4)
                 .arg(total("quant_frob_error"), 0, 'g', 6)
                 .arg(total("frob_error"), 0, 'g', 6)
                 .arg(total("rel_error"), 0, 'g', 4)
                 .arg(total("layer_seconds"), 0, 'f', 2)
                 .arg(total("wall_seconds"), 0, 'f', 2);
    return table;
}

// --csv and --spectra.
Status writeReportFiles(const AnalyzeRequest &r, const PipelineResult &result)
{
    if (!r.csvPath.isEmpty()) {
        if (Status st = writeFile(r.csvPath, layersCsv(result.layers, r.plan).toUtf8()); !st)
            return st;
    }
    if (!r.spectraPath.isEmpty()) {
        const bool json = r.spectraPath.endsWith(QLatin1String(".json"), Qt::CaseInsensitive);
        if (Status st = writeFile(r.spectraPath, spectraReport(result.layers, json)); !st)
            return st;
    }
    return Status::success();
}

void printReport(const AnalyzeRequest &r, const PipelineResult &result)
{
    const QJsonObject totals = modelTotals(result);
    if (!r.json) {
        out(layersTable(result.layers, r.plan, totals));
        return;
    }
    QJsonArray rows;
    for (const LayerQuantResult &layer : result.layers)
        rows.append(layerJson(layer, r.plan.forLayer(layer.layer)));
    QJsonObject root;
    root[QStringLiteral("model")] = r.modelPath;
    root[QStringLiteral("plan")] = r.plan.toJson();
    root[QStringLiteral("layers")] = rows;
    root[QStringLiteral("totals")] = totals;
    out(QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented)));
}

// Quantizes the selected layers, recording each as it finishes.
Expected<PipelineResult> analyzeLayers(const AnalyzeRequest &r, std::shared_ptr<const Checkpoint> checkpoint,
                                       const QStringList &layers, const StatsMap &stats, CliRecorder *rec)
{
    if (rec) {
        if (Status s = rec->useSession(*checkpoint, r.plan, r.modelPath); !s)
            return Error {s.error()};
        if (Status s = rec->beginRun(QStringLiteral("analyze"), r.plan, quantizedLayerCount(r.plan, layers));
            !s)
            return Error {s.error()};
    }
    PipelineConfig config;
    config.checkpoint = std::move(checkpoint);
    config.plan = r.plan;
    config.layers = layers;
    config.stats = stats.isEmpty() ? nullptr : &stats;
    config.computeSpectra = !r.spectraPath.isEmpty() || rec; // the store keeps spectra (ARCHITECTURE.md)
    config.spectrumCount = r.spectrumCount;
    config.threads = r.threads;
    auto result
        = runPipeline(config, stderrProgress(QStringLiteral("analyze")), [&](const LayerQuantResult &l) {
              if (rec)
                  rec->addLayer(l, r.plan.forLayer(l.layer));
          });
    if (!result)
        return result;
    if (result->cancelled)
        return makeError(QStringLiteral("cancelled"));
    return result;
}

} // namespace

int cmdAnalyze(const QStringList &args)
{
    QCommandLineParser parser;
    int exitCode = 0;
    auto request = parseRequest(parser, args, declareOptions, requestFrom, exitCode);
    if (!request)
        return exitCode;
    const QString &modelPath = request->modelPath;
    auto recorder = CliRecorder::open(parser);
    if (!recorder)
        return fail(recorder.error());
    CliRecorder *rec = recorder->get();
    installInterruptHandler();

    auto ckpt = Checkpoint::open(modelPath);
    if (!ckpt)
        return fail(ckpt.error());
    auto layers = selectLayers(**ckpt, *request);
    if (!layers)
        return fail(layers.error());
    auto stats
        = statsForPlan(modelPath, nullptr, request->plan, *layers, request->statsSource, request->threads);
    if (!stats)
        return fail(stats.error());

    auto result = analyzeLayers(*request, *ckpt, *layers, *stats, rec);
    if (!result)
        return failRun(rec, result.error());
    if (!Cluster::world().isRoot())
        return 0; // under mpirun: its layers went to rank 0, which reports them all
    if (rec)
        rec->finishRun();
    if (Status st = writeReportFiles(*request, *result); !st)
        return failRun(rec, st.error());
    printReport(*request, *result);
    return finishCommand(rec);
}

} // namespace lqer::cli
