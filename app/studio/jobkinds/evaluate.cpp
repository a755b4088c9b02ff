// Jobs > Evaluate perplexity: the FP32 model first when its distributions on these windows are
// not kept from the last evaluation (the reference of the KL divergence, the cost panel and the
// rank sweep), then the plan, with its KL from FP32 (mean, p99), top-1 agreement and Δppl shown
// in the status bar and stored with the run. A packed checkpoint is evaluated from the packed file alone, a
// GGUF model (with its adapter) as llama.cpp computes it. Recorded as an "eval" run (the packed and GGUF
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
        job.work = makeKlEvaluateJob(
            req, mReference, !doc.fp32Perplexity().has_value(),
            [&host, capture](const EvalProtocol &e) {
                capture->perplexities << perplexityRecord(e, QStringLiteral("fp32"));
                if (Document *current = host.document())
                    current->setFp32Perplexity(e.perplexity);
            },
            [&host, capture](const EvalProtocol &e) {
                capture->perplexities << perplexityRecord(e, QStringLiteral("quantized"));
                if (Document *current = host.document())
                    current->setPerplexity(e.perplexity);
                host.showStatus(evaluationSummary(e), 0);
            });
        return job;
    }

    // "Perplexity 7.90 ± 0.05; KL from FP32 0.0123 (p99 0.081), top-1 agreement 95.1 %, Δppl +0.13 ± 0.01".
    static QString evaluationSummary(const EvalProtocol &e)
    {
        QString text
            = tr("Perplexity %1 ± %2").arg(e.perplexity, 0, 'f', 3).arg(e.perplexityError, 0, 'f', 3);
        if (e.kl.measured)
            text += QStringLiteral("; ")
                + tr("KL from FP32 %1 (p99 %2), top-1 agreement %3 %, Δppl %4 ± %5")
                      .arg(e.kl.meanKl, 0, 'f', 5)
                      .arg(e.kl.p99Kl, 0, 'f', 4)
                      .arg(100 * e.kl.top1, 0, 'f', 1)
                      .arg(e.kl.deltaPerplexity, 0, 'f', 4)
                      .arg(e.kl.deltaPerplexityError, 0, 'f', 4);
        return text;
    }

private:
    // The FP32 distributions of the last evaluation, for the next one on the same windows.
    std::shared_ptr<Fp32Reference> mReference = std::make_shared<Fp32Reference>();
};

} // namespace

std::unique_ptr<JobKind> makeEvaluateJobKind()
{
    return std::make_unique<EvaluateJobKind>();
}

} // namespace lqer
