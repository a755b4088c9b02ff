// Rank explorer > Measure sensitivity: the KL divergence from FP32, on the first N windows of
// the evaluation text, of the model with each layer alone quantized at its reference point
// (core/alloc measureSensitivity), and of each rank of that layer's reference format. Needs
// the explorer's curves; fills their measured KL (the allocator then uses the measured
// objective) and records a "sensitivity" run whose details hold the measured curves.
//
// The argument (optional): "windows=2;length=512;ranks=1;layers=a,b" (ranks=0: the reference
// point only; layers: a subset, by weight name).

#include "app/studio/jobkind.h"
#include "app/studio/sessions.h"
#include "app/studio/studiohost.h"
#include "app/studio/views/rankexplorerview.h"

#include <QCoreApplication>

namespace lqer {

namespace {

struct SensitivitySettings
{
    int windows = 2;
    int length = 512;
    bool ranks = true;
    QStringList layers;
};

Expected<SensitivitySettings> sensitivitySettings(const QString &argument, const LayerCurves &curves)
{
    auto pairs = jobArgumentPairs(argument);
    if (!pairs)
        return Error {pairs.error()};
    SensitivitySettings s;
    for (auto it = pairs->begin(); it != pairs->end(); ++it) {
        bool ok = true;
        if (it.key() == QLatin1String("windows"))
            s.windows = it.value().toInt(&ok);
        else if (it.key() == QLatin1String("length"))
            s.length = it.value().toInt(&ok);
        else if (it.key() == QLatin1String("ranks"))
            s.ranks = it.value().toInt(&ok) != 0;
        else if (it.key() == QLatin1String("layers"))
            s.layers = it.value().split(QLatin1Char(','), Qt::SkipEmptyParts);
        else
            return makeError(
                QStringLiteral("unknown setting '%1' (windows, length, ranks, layers)").arg(it.key()));
        if (!ok)
            return makeError(QStringLiteral("%1: '%2' is not an integer").arg(it.key(), it.value()));
    }
    if (s.windows < 1 || s.length < 2)
        return makeError(QStringLiteral("windows must be at least 1 and length at least 2"));
    for (const QString &layer : s.layers)
        if (std::none_of(curves.layers.begin(), curves.layers.end(),
                         [&](const LayerCurve &l) { return l.layer == layer; }))
            return makeError(QStringLiteral("layers: %1 is not a layer of the curves").arg(layer));
    return s;
}

class MeasureSensitivityJob : public JobKind
{
    Q_DECLARE_TR_FUNCTIONS(MeasureSensitivityJob)

public:
    QString id() const override { return QStringLiteral("sensitivity"); }
    QString title() const override { return tr("Measure sensitivity"); }

    std::optional<PreparedJob> prepare(StudioHost &host, const QString &argument) override
    {
        const Document &doc = *host.document();
        RankExplorerView *view = host.view<RankExplorerView>();
        if (!view || !view->curves()) {
            host.showError(title(), tr("The Rank explorer has no curves."),
                           tr("Compute or load the curves first."));
            return std::nullopt;
        }
        if (!doc.checkpoint() || doc.isPacked() || doc.isGguf()) {
            host.showError(title(), tr("The sensitivity needs the model's own weights."),
                           tr("Open the Hugging Face checkpoint folder of the model."));
            return std::nullopt;
        }
        auto settings = sensitivitySettings(argument, *view->curves());
        if (!settings) {
            host.showError(title(), settings.error(), tr("Give windows=N;length=L;ranks=0|1;layers=…."));
            return std::nullopt;
        }
        EvalRequest req = evaluationRequest(host);
        req.seqLen = settings->length;
        if (req.textPath.isEmpty()) {
            host.showError(title(), tr("No evaluation text is set."),
                           tr("Run Jobs > Evaluate perplexity once and choose the text file."));
            return std::nullopt;
        }
        auto capture = std::make_shared<RunCapture>();
        capture->kind = QStringLiteral("sensitivity");
        capture->plan = doc.plan();
        PreparedJob job;
        job.capture = capture;
        job.work = [&host, capture, req, settings = *settings, curves = *view->curves(),
                    previous = view->rankKl()](JobContext &ctx) mutable -> Status {
            auto model = loadModelAndText(req, ctx.progress);
            if (!model)
                return makeError(model.error());
            SensitivityConfig config;
            config.model = model->transformer.get();
            config.checkpoint = req.analysis.checkpoint;
            config.stats = req.analysis.stats.get();
            config.windows.tokens = model->tokens;
            config.windows.windowLength = windowLength(req, *model->transformer);
            config.windows.maxWindows = settings.windows;
            config.windows.textName = req.textPath;
            config.measureRanks = settings.ranks;
            config.onlyLayers = settings.layers;
            config.cancel = &ctx.cancel;
            auto report = measureSensitivity(curves, config, {}, [&ctx](double f, const QString &) {
                return ctx.progress(0.05 + 0.95 * f, QObject::tr("Measuring the sensitivity of each layer"));
            });
            if (!report)
                return makeError(report.error());
            QHash<QString, QList<RankKl>> rankKl = previous;
            for (const LayerSensitivity &s : report->layers)
                if (!s.rankKl.isEmpty())
                    rankKl.insert(s.layer, s.rankKl);
            ctx.post([&host, capture, curves, rankKl] {
                capture->details = RankExplorerView::curvesDetails(curves, rankKl);
                if (RankExplorerView *current = host.view<RankExplorerView>())
                    current->setCurves(curves, rankKl);
            });
            return Status::success();
        };
        return job;
    }
};

} // namespace

std::unique_ptr<JobKind> makeMeasureSensitivityJob()
{
    return std::make_unique<MeasureSensitivityJob>();
}

} // namespace lqer
