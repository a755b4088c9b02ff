#pragma once

// One kind of studio job (analyze, quantize, layer detail, calibrate, ...): it turns the
// studio's state into a request, the worker that computes it (jobs.h / evaljobs.cpp), the
// GUI-thread hooks that deliver the results, and what is recorded as a run of the session.
// JobController runs the prepared job on the JobRunner and records it; the kinds are listed in
// jobkinds/registry.cpp, so a new kind is one class derived from JobKind plus one line there.

#include "app/studio/jobrunner.h"
#include "app/studio/jobs.h"

#include <QHash>

#include <memory>
#include <optional>

namespace lqer {

class StudioHost;
struct PerplexityRecord;
struct RunCapture;

struct PreparedJob
{
    QString title; // what the status bar shows
    JobFunction work; // runs on the worker thread
    // Filled by the result hooks; recorded as one run of the session when the job ends.
    std::shared_ptr<RunCapture> capture;
    JobDone done; // GUI thread, when the job ends, before the run is recorded
};

class JobKind
{
public:
    virtual ~JobKind() = default;

    // A stable name (JobController::start, scripts, tests), never translated.
    virtual QString id() const = 0;
    // The job's title in the current language.
    virtual QString title() const = 0;
    // Builds the job from the studio's state and `argument` (a layer, a file; kind-specific),
    // asking the user for a missing input unless errors are quiet. nullopt: nothing to run on
    // the worker (refused and said why, or finished on the spot).
    virtual std::optional<PreparedJob> prepare(StudioHost &host, const QString &argument) = 0;
};

// What the jobs need of the document: the shared checkpoint, a copy of the plan, the statistics.
AnalysisRequest analysisRequest(const Document &document, const QStringList &layers);
// An analysis of `layers` (empty: the whole model) with the plan, each result delivered to the
// document and captured as a run of kind `kind`. Methods that need statistics fall back to
// LQER without them; the status bar says so.
PreparedJob recordedAnalysis(StudioHost &host, const QString &kind, const QString &title,
                             const QStringList &layers);
// The perplexity as the session store records it.
PerplexityRecord perplexityRecord(const EvalProtocol &result, const QString &label);
// A perplexity request over the whole model with the host's window limit and evaluation text:
// the host's, else the one chosen last, else the model's data folder's heldout.txt (empty when
// none exists).
EvalRequest evaluationRequest(const StudioHost &host);
// A text of the shared data layout of this project (models/<name> beside data/lqs-corpus):
// data/lqs-corpus/`fileName` two folders above the document's model folder; empty if none.
QString sharedCorpusText(const Document &document, const QString &fileName);
// A job argument of key=value settings separated by ';' ("windows=2;ranks=0,16"); an error
// names a part without '='.
Expected<QHash<QString, QString>> jobArgumentPairs(const QString &argument);
// Remembers the text chosen in a file dialog for the next evaluation.
void rememberEvaluationText(const QString &path);

} // namespace lqer
