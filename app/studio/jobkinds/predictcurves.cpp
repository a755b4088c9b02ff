// Rank explorer > Compute curves: per layer, the predicted loss (scaled residual energy) of
// every candidate weight format and rank, from one decomposition per layer and format
// (core/alloc predictCurves), on the worker. The method of ranks > 0 is the plan's (methods that
// need statistics fall back to LQER without them; the status bar says so). Delivered to the
// Rank explorer and recorded as a "curves" run whose details hold the curves, so a reopened
// session shows them again without recomputing.
//
// The argument (optional): "bits=2,3,4,6,8;ranks=0,8,16,32,64,128" or
// "formats=mxint4_e8_b16,mxint6_e8_b16;ranks=0,16"; the defaults are lqer allocate's.

#include "app/studio/jobkind.h"
#include "app/studio/sessions.h"
#include "app/studio/studiohost.h"
#include "app/studio/views/rankexplorerview.h"

#include <QCoreApplication>

namespace lqer {

namespace {

Expected<QList<int>> intList(const QString &key, const QString &text, const QList<int> &fallback)
{
    if (text.isEmpty())
        return fallback;
    QList<int> out;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int v = part.trimmed().toInt(&ok);
        if (!ok || v < 0 || v > 4096)
            return makeError(QStringLiteral("%1: '%2' is not an integer in 0..4096").arg(key, part));
        if (!out.contains(v))
            out << v;
    }
    if (out.isEmpty())
        return makeError(QStringLiteral("%1: empty list").arg(key));
    return out;
}

Expected<CandidateSpace> candidateSpace(const QString &argument)
{
    auto pairs = jobArgumentPairs(argument);
    if (!pairs)
        return Error {pairs.error()};
    for (auto it = pairs->begin(); it != pairs->end(); ++it)
        if (it.key() != QLatin1String("bits") && it.key() != QLatin1String("ranks")
            && it.key() != QLatin1String("formats"))
            return makeError(QStringLiteral("unknown setting '%1' (bits, formats, ranks)").arg(it.key()));
    CandidateSpace space;
    auto ranks = intList(QStringLiteral("ranks"), pairs->value(QStringLiteral("ranks")), space.ranks);
    if (!ranks)
        return Error {ranks.error()};
    space.ranks = *ranks;
    const QString names = pairs->value(QStringLiteral("formats"));
    if (!names.isEmpty()) {
        for (const QString &name : names.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            auto f = QuantFormat::parse(name.trimmed());
            if (!f)
                return makeError(QStringLiteral("formats: %1").arg(f.error()));
            if (!f->isQuantized())
                return makeError(QStringLiteral("formats: '%1' does not quantize").arg(name));
            if (!space.weights.contains(*f))
                space.weights << *f;
        }
        return space;
    }
    auto bits = intList(QStringLiteral("bits"), pairs->value(QStringLiteral("bits")), {2, 3, 4, 6, 8});
    if (!bits)
        return Error {bits.error()};
    space.weights = catalogWeightFormats(*bits);
    if (space.weights.isEmpty())
        return makeError(QStringLiteral("bits: the engine has no weight format of those widths"));
    return space;
}

class PredictCurvesJob : public JobKind
{
    Q_DECLARE_TR_FUNCTIONS(PredictCurvesJob)

public:
    QString id() const override { return QStringLiteral("curves"); }
    QString title() const override { return tr("Predict rank curves"); }

    std::optional<PreparedJob> prepare(StudioHost &host, const QString &argument) override
    {
        const Document &doc = *host.document();
        if (!doc.checkpoint() || doc.isPacked() || doc.isGguf()) {
            host.showError(title(), tr("The curves need the model's own weights."),
                           tr("Open the Hugging Face checkpoint folder of the model."));
            return std::nullopt;
        }
        auto space = candidateSpace(argument);
        if (!space) {
            host.showError(title(), space.error(), tr("Give bits=…;ranks=… or formats=…;ranks=…."));
            return std::nullopt;
        }
        // The plan's method for ranks > 0 (as a quantize job would run it).
        Plan methodPlan = doc.plan();
        if (methodPlan.defaults.method == Method::Plain)
            methodPlan.defaults.method = Method::QeraApprox;
        methodPlan.defaults.rank = std::max(1, methodPlan.defaults.rank);
        methodPlan.overrides.clear();
        QString note;
        // One method for every layer: LQER when any layer lacks the statistics the method needs.
        space->base = methodPlan.defaults;
        if (!effectivePlan(methodPlan, doc.layerNames(), doc.stats().get(), &note).overrides.isEmpty()) {
            space->base.method = Method::Lqer;
            note = tr("The curves use LQER: %1 needs calibration statistics (Jobs > Calibrate or File > "
                      "Load statistics).")
                       .arg(methodDisplayName(methodPlan.defaults.method));
        }
        space->base.quantize = true;
        if (!note.isEmpty())
            host.showStatus(note, 10000);
        auto capture = std::make_shared<RunCapture>();
        capture->kind = QStringLiteral("curves");
        capture->plan = doc.plan();
        PreparedJob job;
        job.capture = capture;
        job.work = [&host, capture, checkpoint = doc.checkpoint(), stats = doc.stats(),
                    space = *space](JobContext &ctx) -> Status {
            auto curves = predictCurves(*checkpoint, stats ? *stats : StatsMap(), space, 0, ctx.progress,
                                        &ctx.cancel);
            if (!curves)
                return makeError(curves.error());
            ctx.post([&host, capture, curves = std::move(*curves)] {
                capture->details = RankExplorerView::curvesDetails(curves, {});
                if (RankExplorerView *view = host.view<RankExplorerView>())
                    view->setCurves(curves);
            });
            return Status::success();
        };
        return job;
    }
};

} // namespace

std::unique_ptr<JobKind> makePredictCurvesJob()
{
    return std::make_unique<PredictCurvesJob>();
}

} // namespace lqer
