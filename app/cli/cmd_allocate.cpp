// lqer allocate: per layer, the weight format and correction rank that minimise the predicted
// (or measured-calibrated) loss under a budget of average bits, bytes or circuit area
// (core/alloc). Writes a plan file that quantize, eval, export and the studio load like any
// other; --sensitivity prints the per-layer sensitivity, predicted and measured, with their
// Spearman correlation.

#include "cli.h"
#include "modelcli.h"
#include "options.h"

#include "core/alloc/curves.h"
#include "core/alloc/sensitivity.h"
#include "core/common/parallel.h"

#include <QElapsedTimer>
#include <QJsonDocument>

namespace lqer::cli {

namespace {

struct AllocateRequest : PlanRequest
{
    QList<Budget> budgets;
    QList<int> ranks;
    QList<int> weightBits;
    QStringList formatNames; // --formats
    Objective objective = Objective::Predicted;
    QString output;
    QString uniformOutput; // --save-uniform
    QString curvesIn, curvesOut;
    QString klText; // windows of the measured sensitivity (default: the calibration text)
    WindowOptions windows;
    bool sensitivity = false;
    AllocOptions search;
    bool measureRanks = false;
};

Expected<QList<int>> intList(const QCommandLineParser &p, const QString &name, const QList<int> &fallback,
                             int lo, int hi)
{
    if (!p.isSet(name))
        return fallback;
    QList<int> out;
    for (const QString &part : p.value(name).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int v = part.trimmed().toInt(&ok);
        if (!ok || v < lo || v > hi)
            return makeError(
                QStringLiteral("--%1: '%2' is not an integer in %3..%4").arg(name, part).arg(lo).arg(hi));
        if (!out.contains(v))
            out << v;
    }
    if (out.isEmpty())
        return makeError(QStringLiteral("--%1: empty list").arg(name));
    return out;
}

void declareOptions(QCommandLineParser &p)
{
    p.setApplicationDescription(QStringLiteral(
        "Choose per layer the weight format and low-rank correction rank under a budget (Lagrangian "
        "relaxation over each layer's lower convex hull of (cost, predicted loss), a greedy repair, then "
        "an exact branch-and-bound search that proves the plan optimal among the candidates).\n"
        "Example: lqer allocate ../shared/models/lqs-llama-13m --budget 5 --calib calib.txt -o plan.json"));
    p.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("Hugging Face checkpoint folder"));
    addPlanRequestOptions(p);
    p.addOptions({
        QCommandLineOption(
            QStringLiteral("budget"),
            QStringLiteral("Average bits per weight (5, bits:5), total bytes of the quantized "
                           "layers (2.5MB, 3MiB, bytes:1.2e6) or circuit area relative to FP16 "
                           "(0.3area). Repeat for several plans (-o then names one per budget: "
                           "FILE with the budget before the extension)."),
            QStringLiteral("BUDGET")),
        QCommandLineOption(
            QStringLiteral("search-limit"),
            QStringLiteral("Bound evaluations of the exact search per budget (default 50000000, "
                           "about a second; 0: the repaired relaxation as it is)."),
            QStringLiteral("N"), QStringLiteral("50000000")),
        QCommandLineOption(QStringLiteral("ranks"),
                           QStringLiteral("Candidate ranks (default 0,8,16,32,64,128)."),
                           QStringLiteral("LIST")),
        QCommandLineOption(
            QStringLiteral("weight-bits"),
            QStringLiteral("Candidate weight widths (default 2,3,4,6,8): every format of the "
                           "engine with those bits (MXINT blocks 16/32, INT groups 32/128, ggml)."),
            QStringLiteral("LIST")),
        QCommandLineOption(QStringLiteral("formats"),
                           QStringLiteral("Candidate weight formats by name instead (e.g. "
                                          "mxint4_e8_b16,mxint8_e8_b16,int4_g128_asym)."),
                           QStringLiteral("LIST")),
        QCommandLineOption(QStringLiteral("objective"),
                           QStringLiteral("predicted (scaled residual energy, default) or measured (each "
                                          "layer's curve scaled to the KL measured with that layer alone)."),
                           QStringLiteral("NAME")),
        QCommandLineOption(QStringList {QStringLiteral("o"), QStringLiteral("output")},
                           QStringLiteral("Write the plan (JSON) here."), QStringLiteral("FILE")),
        QCommandLineOption(QStringLiteral("save-uniform"),
                           QStringLiteral("Also write the best uniform plan (one format and rank for every "
                                          "layer) within the budget, for comparison."),
                           QStringLiteral("FILE")),
        QCommandLineOption(QStringLiteral("curves"),
                           QStringLiteral("Read the per-layer curves saved by --save-curves instead of "
                                          "computing them."),
                           QStringLiteral("FILE")),
        QCommandLineOption(QStringLiteral("save-curves"), QStringLiteral("Save the per-layer curves (JSON)."),
                           QStringLiteral("FILE")),
        QCommandLineOption(
            QStringLiteral("sensitivity"),
            QStringLiteral("Print each layer's sensitivity, predicted and measured (KL of that "
                           "layer alone on --windows windows), and their Spearman correlation.")),
        QCommandLineOption(
            QStringLiteral("measure-ranks"),
            QStringLiteral("With --sensitivity: also measure every candidate rank of each layer "
                           "alone.")),
        QCommandLineOption(QStringLiteral("text"),
                           QStringLiteral("Text of the measured KL windows (default: the calibration text)."),
                           QStringLiteral("FILE")),
    });
    addWindowOptions(p, QStringLiteral("the text of the measured KL (default 8)"));
}

Expected<AllocateRequest> requestFrom(const QCommandLineParser &p, const QString &modelPath)
{
    AllocateRequest r;
    if (Status s = readPlanRequest(p, modelPath, r); !s)
        return Error {s.error()};
    for (const QString &b : p.values(QStringLiteral("budget"))) {
        auto budget = Budget::parse(b);
        if (!budget)
            return makeError(QStringLiteral("--budget: %1").arg(budget.error()));
        r.budgets << *budget;
    }
    r.sensitivity = p.isSet(QStringLiteral("sensitivity"));
    bool limitOk = false;
    r.search.searchLimit = p.value(QStringLiteral("search-limit")).toLongLong(&limitOk);
    if (!limitOk || r.search.searchLimit < 0)
        return makeError(QStringLiteral("--search-limit: expected a count of 0 or more, not '%1'")
                             .arg(p.value(QStringLiteral("search-limit"))));
    if (r.budgets.isEmpty() && !r.sensitivity)
        return makeError(QStringLiteral("--budget BUDGET is required (or --sensitivity)"));
    auto ranks = intList(p, QStringLiteral("ranks"), {0, 8, 16, 32, 64, 128}, 0, 4096);
    if (!ranks)
        return Error {ranks.error()};
    r.ranks = *ranks;
    auto bits = intList(p, QStringLiteral("weight-bits"), {2, 3, 4, 6, 8}, 1, 16);
    if (!bits)
        return Error {bits.error()};
    r.weightBits = *bits;
    r.formatNames = p.value(QStringLiteral("formats")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &name : r.formatNames) // checked before any work
        if (auto f = QuantFormat::parse(name.trimmed()); !f)
            return makeError(QStringLiteral("--formats: %1").arg(f.error()));
    const QString objective = p.value(QStringLiteral("objective"));
    if (objective == QLatin1String("measured"))
        r.objective = Objective::Measured;
    else if (!objective.isEmpty() && objective != QLatin1String("predicted"))
        return makeError(
            QStringLiteral("--objective: '%1' is neither predicted nor measured").arg(objective));
    r.output = p.value(QStringLiteral("o"));
    r.uniformOutput = p.value(QStringLiteral("save-uniform"));
    r.curvesIn = p.value(QStringLiteral("curves"));
    r.curvesOut = p.value(QStringLiteral("save-curves"));
    r.measureRanks = p.isSet(QStringLiteral("measure-ranks"));
    r.klText = p.value(QStringLiteral("text"));
    auto windows = windowOptionsFrom(p);
    if (!windows)
        return Error {windows.error()};
    r.windows = *windows;
    if (r.windows.windows == 0)
        r.windows.windows = 8;
    const bool measuring = r.sensitivity || r.objective == Objective::Measured;
    if (r.curvesIn.isEmpty() && !r.statsSource.isSet())
        return makeError(QStringLiteral("--calib FILE (or --stats FILE, or --curves FILE) is required"));
    if (measuring && r.klText.isEmpty())
        r.klText = r.statsSource.calibText;
    if (measuring && r.klText.isEmpty())
        return makeError(QStringLiteral(
            "the measured sensitivity needs windows of text: pass --text FILE or --calib FILE"));
    // The method of layers with a rank: QERA-approx (the scaling whose residual energy is the
    // expected output error) unless --method says otherwise.
    if (!r.planOptions.method)
        r.plan.defaults.method = Method::QeraApprox;
    for (auto it = r.plan.overrides.begin(); it != r.plan.overrides.end(); ++it)
        if (!r.planOptions.method)
            it->method = Method::QeraApprox;
    return r;
}

Expected<QList<QuantFormat>> candidateFormats(const AllocateRequest &r)
{
    if (r.formatNames.isEmpty()) {
        QList<QuantFormat> formats = catalogWeightFormats(r.weightBits);
        if (formats.isEmpty())
            return makeError(
                QStringLiteral("--weight-bits: the engine has no weight format of those widths"));
        return formats;
    }
    QList<QuantFormat> formats;
    for (const QString &name : r.formatNames) {
        auto f = QuantFormat::parse(name.trimmed());
        if (!f)
            return makeError(QStringLiteral("--formats: %1").arg(f.error()));
        if (!f->isQuantized())
            return makeError(QStringLiteral("--formats: '%1' does not quantize").arg(name));
        if (!formats.contains(*f))
            formats << *f;
    }
    return formats;
}

QString outputPath(const QString &output, const Budget &budget, int count)
{
    if (count <= 1)
        return output;
    const QFileInfo info(output);
    QString tag = budget.toString();
    tag.replace(QRegularExpression(QStringLiteral("[^0-9A-Za-z.]+")), QStringLiteral("-"));
    return info.dir().filePath(QStringLiteral("%1-%2.%3").arg(info.completeBaseName(), tag, info.suffix()));
}

void printSensitivity(const LayerCurves &curves, const SensitivityReport &rep)
{
    const QuantFormat ref = curves.formats.value(
        curves.layers.value(0).points.value(curves.layers.value(0).referencePoint).format);
    out(QStringLiteral(
            "\nsensitivity: each layer alone at %1 rank 0, the others FP32; KL from FP32 on %2 tokens "
            "(FP32 ppl %3)\n")
            .arg(ref.toString())
            .arg(rep.tokens)
            .arg(rep.fp32Perplexity, 0, 'f', 4));
    QString head = QStringLiteral("%1 %2 %3 %4 %5 %6")
                       .arg(QStringLiteral("layer"), -42)
                       .arg(QStringLiteral("KL measured ± σ"), 22)
                       .arg(QStringLiteral("resid. energy"), 14)
                       .arg(QStringLiteral("relative"), 9)
                       .arg(QStringLiteral("W err"), 7)
                       .arg(QStringLiteral("out err"), 8);
    const bool ranks = !rep.layers.isEmpty() && !rep.layers.first().rankKl.isEmpty();
    if (ranks)
        for (const RankKl &k : rep.layers.first().rankKl)
            head += QStringLiteral(" %1").arg(QStringLiteral("KL k=%1").arg(k.rank), 10);
    out(head + QLatin1Char('\n'));
    for (const LayerSensitivity &s : rep.layers) {
        QString line
            = QStringLiteral("%1 %2 %3 %4 %5 %6")
                  .arg(s.layer, -42)
                  .arg(QStringLiteral("%1 ± %2")
                           .arg(s.measuredKl, 0, 'e', 3)
                           .arg(s.measuredKlError, 0, 'e', 1),
                       22)
                  .arg(s.predicted, 14, 'e', 3)
                  .arg(s.relativePredicted, 9, 'f', 5)
                  .arg(s.weightError, 7, 'f', 4)
                  .arg(s.outputError >= 0 ? QString::number(s.outputError, 'f', 4) : QStringLiteral("-"), 8);
        for (const RankKl &k : s.rankKl)
            line += QStringLiteral(" %1").arg(k.kl, 10, 'e', 3);
        out(line + QLatin1Char('\n'));
    }
    out(QStringLiteral(
            "Spearman correlation with the measured KL over %1 layers: residual energy %2, relative "
            "residual %3, weight error %4, calibration output error %5\n")
            .arg(rep.layers.size())
            .arg(rep.spearmanPredicted, 0, 'f', 3)
            .arg(rep.spearmanRelative, 0, 'f', 3)
            .arg(rep.spearmanWeightError, 0, 'f', 3)
            .arg(rep.spearmanOutputError, 0, 'f', 3));
}

void printAllocation(const LayerCurves &curves, const Allocation &a, const Plan &basePlan)
{
    const bool measured = a.objective == Objective::Measured;
    const QString unit
        = measured ? QStringLiteral("KL (layer-alone sum)") : QStringLiteral("residual energy");
    out(QStringLiteral("\nbudget   %1, objective %2\n")
            .arg(a.budget.toString(), measured ? QStringLiteral("measured") : QStringLiteral("predicted")));
    out(QStringLiteral("%1 %2 %3 %4\n")
            .arg(QStringLiteral("layer"), -42)
            .arg(QStringLiteral("weight"), -16)
            .arg(QStringLiteral("rank"), 5)
            .arg(QStringLiteral("bits"), 7));
    for (const LayerChoice &c : a.layers)
        out(QStringLiteral("%1 %2 %3 %4\n")
                .arg(c.layer, -42)
                .arg(c.weight.toString(), -16)
                .arg(c.rank, 5)
                .arg(c.bitsPerWeight, 7, 'f', 3));
    out(QStringLiteral("allocated     %1 avg bits/weight, cost %2, predicted %3 %4 (relaxation %5)\n")
            .arg(a.averageBits, 0, 'f', 4)
            .arg(a.cost, 0, 'g', 6)
            .arg(unit)
            .arg(a.loss, 0, 'e', 4)
            .arg(a.relaxedLoss, 0, 'e', 4));
    if (a.proven)
        out(QStringLiteral(
                "              optimal among the candidates (exact search, %1 bound evaluations)\n")
                .arg(a.searchSteps));
    else
        out(QStringLiteral(
                "              not proven optimal: the search limit was reached; at most %1 above the "
                "optimum\n")
                .arg(a.loss - a.lowerBound, 0, 'e', 3));
    const UniformPoint u = bestUniform(curves, a.budget, a.objective);
    if (u.format < 0) {
        out(QStringLiteral("best uniform  none fits the budget\n"));
        return;
    }
    Q_UNUSED(basePlan);
    out(QStringLiteral("best uniform  %1 rank %2: %3 avg bits/weight, cost %4, predicted %5 %6 (%7% of it)\n")
            .arg(curves.formats.at(u.format).toString())
            .arg(u.rank)
            .arg(u.averageBits, 0, 'f', 4)
            .arg(u.cost, 0, 'g', 6)
            .arg(unit)
            .arg(u.loss, 0, 'e', 4)
            .arg(u.loss > 0 ? 100.0 * a.loss / u.loss : 0.0, 0, 'f', 1));
}

} // namespace

int cmdAllocate(const QStringList &args)
{
    QCommandLineParser p;
    int code = 0;
    auto request = parseRequest(p, args, declareOptions, requestFrom, code);
    if (!request)
        return code;
    installInterruptHandler();
    const AllocateRequest &r = *request;
    Plan basePlan = r.plan;

    auto opened = openModel(r.modelPath, QString());
    if (!opened)
        return fail(opened.error());
    LoadedModel &m = *opened;
    if (!m.checkpoint)
        return fail(
            QStringLiteral("allocate needs a Hugging Face checkpoint folder (config.json + safetensors)"));
    auto names = linearNames(*m.checkpoint);
    if (!names)
        return fail(names.error());

    LayerCurves curves;
    StatsMap stats;
    if (!r.curvesIn.isEmpty()) {
        QFile f(r.curvesIn);
        if (!f.open(QIODevice::ReadOnly))
            return fail(QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(r.curvesIn), f.errorString()));
        auto c = LayerCurves::fromJson(QJsonDocument::fromJson(f.readAll()).object());
        if (!c)
            return fail(QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(r.curvesIn), c.error()));
        curves = *c;
        if (curves.layers.size() != names->size())
            return fail(QStringLiteral("%1: curves of %2 layers, the model has %3")
                            .arg(QDir::toNativeSeparators(r.curvesIn))
                            .arg(curves.layers.size())
                            .arg(names->size()));
    }
    // Curves saved after a measurement carry it: the measured objective reuses it.
    const bool measured = !curves.layers.isEmpty()
        && std::all_of(curves.layers.begin(), curves.layers.end(),
                       [](const LayerCurve &l) { return l.measuredKl >= 0; });
    const bool measuring = r.sensitivity || (r.objective == Objective::Measured && !measured);
    if (r.curvesIn.isEmpty() || measuring) {
        Plan statsPlan = basePlan;
        statsPlan.defaults.rank = std::max(1, statsPlan.defaults.rank);
        auto s = statsForPlan(r.modelPath, &m, statsPlan, *names, r.statsSource, r.threads);
        if (!s)
            return fail(s.error());
        stats = std::move(*s);
        basePlan.calibration = statsPlan.calibration;
    }
    if (r.curvesIn.isEmpty()) {
        auto formats = candidateFormats(r);
        if (!formats)
            return fail(formats.error());
        CandidateSpace space;
        space.weights = *formats;
        space.ranks = r.ranks;
        space.base = basePlan.defaults;
        space.base.quantize = true;
        QElapsedTimer timer;
        timer.start();
        auto c
            = predictCurves(*m.checkpoint, stats, space, r.threads, stderrProgress(QStringLiteral("curves")));
        if (!c)
            return fail(c.error());
        curves = std::move(*c);
        QStringList fnames;
        for (const QuantFormat &f : curves.formats)
            fnames << f.toString();
        QStringList rnames;
        for (int k : curves.ranks)
            rnames << QString::number(k);
        out(QStringLiteral(
                "model       %1 (%2 layers, %3 weights)\n"
                "candidates  %4 weight formats (%5) x ranks %6; method %7 for ranks > 0, A %8, A/B %9\n"
                "curves      %10 (one SVD per layer and format)\n")
                .arg(QDir::toNativeSeparators(r.modelPath))
                .arg(curves.layers.size())
                .arg(curves.weights())
                .arg(curves.formats.size())
                .arg(fnames.join(QStringLiteral(", ")))
                .arg(rnames.join(QLatin1Char(',')))
                .arg(methodDisplayName(curves.base.method), curves.base.act.toString(),
                     curves.base.lowRank.toString())
                .arg(fmtSeconds(timer.elapsed() / 1000.0)));
    }

    if (measuring) {
        auto ids = tokenizeFile(*m.tokenizer, r.klText);
        if (!ids)
            return fail(ids.error());
        SensitivityConfig sc;
        sc.model = m.model.get();
        sc.checkpoint = m.checkpoint;
        sc.stats = &stats;
        sc.windows.tokens = *ids;
        sc.windows.windowLength = cliWindowLength(r.windows.seqLen, m.model->config());
        sc.windows.maxWindows = r.windows.windows;
        sc.windows.threads = r.threads;
        sc.windows.textName = r.klText;
        sc.measureRanks = r.measureRanks;
        QList<TokenIds> calibSamples;
        if (!r.statsSource.calibText.isEmpty()) {
            auto cids = tokenizeFile(*m.tokenizer, r.statsSource.calibText);
            if (!cids)
                return fail(cids.error());
            auto cut = calibrationSamplesFromTokens(m, *cids, r.statsSource.calibText, 4,
                                                    basePlan.calibration.seqLen);
            if (cut)
                calibSamples = *cut;
        }
        auto rep
            = measureSensitivity(curves, sc, calibSamples, stderrProgress(QStringLiteral("sensitivity")));
        if (!rep)
            return fail(rep.error());
        if (r.sensitivity)
            printSensitivity(curves, *rep);
    }
    if (!r.curvesOut.isEmpty()) {
        if (Status s
            = writeFileAtomically(r.curvesOut, QJsonDocument(curves.toJson()).toJson(QJsonDocument::Compact));
            !s)
            return fail(s.error());
        out(QStringLiteral("curves saved to %1\n").arg(QDir::toNativeSeparators(r.curvesOut)));
    }
    for (const Budget &budget : r.budgets) {
        QElapsedTimer timer;
        timer.start();
        auto a = allocateCurves(curves, budget, r.objective, basePlan, r.search);
        if (!a)
            return fail(a.error());
        const double ms = timer.nsecsElapsed() / 1e6;
        printAllocation(curves, *a, basePlan);
        out(QStringLiteral("allocation took %1 ms\n").arg(ms, 0, 'f', 1));
        if (!r.output.isEmpty()) {
            const QString path = outputPath(r.output, budget, int(r.budgets.size()));
            if (Status s = writeFileAtomically(path, QJsonDocument(a->toJson()).toJson()); !s)
                return fail(s.error());
            out(QStringLiteral("plan written to %1\n").arg(QDir::toNativeSeparators(path)));
        }
        const UniformPoint u = bestUniform(curves, budget, r.objective);
        if (!r.uniformOutput.isEmpty() && u.format >= 0) {
            const QString path = outputPath(r.uniformOutput, budget, int(r.budgets.size()));
            if (Status s = writeFileAtomically(
                    path, QJsonDocument(uniformPlan(curves, u, basePlan).toJson()).toJson());
                !s)
                return fail(s.error());
            out(QStringLiteral("uniform plan written to %1\n").arg(QDir::toNativeSeparators(path)));
        }
    }
    return 0;
}

} // namespace lqer::cli
