// Jobs > Evaluate perplexity: the FP32 model first when its perplexity is not known yet (the
// reference of the cost panel and the rank sweep), then the plan; the cost panel shows the
// running estimate. A packed checkpoint is evaluated from the packed file alone, a GGUF model
// (with its adapter) as llama.cpp computes it. Recorded as an "eval" run (the packed and GGUF
// evaluations are not: they have no session of their own).

#include "app/studio/jobkind.h"
#include "app/studio/sessions.h"
#include "app/studio/studiohost.h"
#include "app/studio/views/costview.h"

#include <QCoreApplication>
#include <QFileDialog>

namespace lqer {

namespace {

class EvaluateJobKind : public JobKind
{
    Q_DECLARE_TR_FUNCTIONS(EvaluateJobKind)

public:
    QString id() const override { return QStringLiteral("evaluate"); }
    QString title() const override { return tr("Evaluate perplexity"); }

    std::optional<PreparedJob> prepare(StudioHost &host, const QString &) override
    {
        const Document &doc = *host.document();
        EvalRequest req = evaluationRequest(host);
        if (req.textPath.isEmpty() && host.quietErrors()) {
            host.showError(title(), tr("No evaluation text is set."), tr("Pass --eval-text FILE."));
            return std::nullopt;
        }
        if (req.textPath.isEmpty()) {
            req.textPath = QFileDialog::getOpenFileName(host.hostWidget(), tr("Evaluation text"), QString(),
                                                        tr("Text (*.txt *.raw);;All files (*)"));
            if (req.textPath.isEmpty())
                return std::nullopt;
            rememberEvaluationText(req.textPath);
        }
        auto partial = [&host](double ppl, int done, int total) {
            if (CostView *cost = host.view<CostView>())
                cost->showRunningEstimate(ppl, done, total);
        };
        PreparedJob job;
        auto setPerplexity = [&host](const EvalProtocol &e) {
            if (Document *current = host.document())
                current->setPerplexity(e.perplexity);
        };
        if (doc.isPacked()) {
            job.work = makePackedEvaluateJob(req, doc.path(), partial, setPerplexity);
            return job;
        }
        if (doc.isGguf()) {
            job.work = makeGgufEvaluateJob(req, doc.path(), doc.loraPath(), partial, setPerplexity);
            return job;
        }
        auto capture = std::make_shared<RunCapture>();
        capture->kind = QStringLiteral("eval");
        capture->plan = doc.plan();
        job.capture = capture;
        JobFunction quantized = makeEvaluateJob(req, false, partial, [&host, capture](const EvalProtocol &e) {
            capture->perplexities << perplexityRecord(e, QStringLiteral("quantized"));
            if (Document *current = host.document())
                current->setPerplexity(e.perplexity);
        });
        if (doc.fp32Perplexity().has_value()) {
            job.work = quantized;
            return job;
        }
        JobFunction fp32 = makeEvaluateJob(req, true, {}, [&host, capture](const EvalProtocol &e) {
            capture->perplexities << perplexityRecord(e, QStringLiteral("fp32"));
            if (Document *current = host.document())
                current->setFp32Perplexity(e.perplexity);
        });
        job.work = [fp32, quantized](JobContext &ctx) -> Status {
            JobContext first = ctx;
            first.progress = [&ctx](double f, const QString &m) { return ctx.progress(0.3 * f, m); };
            const Status s = fp32(first);
            if (!s || ctx.cancel.isCancelled())
                return s;
            JobContext second = ctx;
            second.progress = [&ctx](double f, const QString &m) { return ctx.progress(0.3 + 0.7 * f, m); };
            return quantized(second);
        };
        return job;
    }
};

} // namespace

std::unique_ptr<JobKind> makeEvaluateJobKind()
{
    return std::make_unique<EvaluateJobKind>();
}

} // namespace lqer
