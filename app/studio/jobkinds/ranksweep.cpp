// Jobs > Rank sweep: the perplexity of the quantized model for each rank k (rank 0: the plain
// model), drawn point by point and recorded as a "sweep" run.

#include "app/studio/jobkind.h"
#include "app/studio/sessions.h"
#include "app/studio/studiohost.h"
#include "app/studio/views/ranksweepview.h"

#include <QCoreApplication>

namespace lqer {

namespace {

class RankSweepJobKind : public JobKind
{
    Q_DECLARE_TR_FUNCTIONS(RankSweepJobKind)

public:
    QString id() const override { return QStringLiteral("sweep"); }
    QString title() const override { return tr("Rank sweep"); }

    std::optional<PreparedJob> prepare(StudioHost &host, const QString &) override
    {
        const Document &doc = *host.document();
        const EvalRequest req = evaluationRequest(host);
        if (req.textPath.isEmpty()) {
            host.showError(title(), tr("No evaluation text is set."),
                           tr("Run Jobs > Evaluate perplexity once and choose the text file."));
            return std::nullopt;
        }
        if (RankSweepView *view = host.view<RankSweepView>())
            view->beginSweep(doc.fp32Perplexity());
        const QList<int> ranks {0, 4, 8, 16, 32, 64, 128};
        auto capture = std::make_shared<RunCapture>();
        capture->kind = QStringLiteral("sweep");
        capture->plan = doc.plan();
        PreparedJob job;
        job.capture = capture;
        job.work = makeRankSweepJob(
            req, ranks, [&host, capture](const QString &series, int rank, const EvalProtocol &e) {
                capture->perplexities << perplexityRecord(e, sweepLabel(series, rank));
                if (RankSweepView *view = host.view<RankSweepView>())
                    view->addPoint(series, rank, e.perplexity, e.perplexityError);
            });
        return job;
    }
};

} // namespace

std::unique_ptr<JobKind> makeRankSweepJobKind()
{
    return std::make_unique<RankSweepJobKind>();
}

} // namespace lqer
