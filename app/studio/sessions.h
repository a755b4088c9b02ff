#pragma once

// Sessions in the studio: the GUI thread's connection to the session store (core/store) and the
// snapshot that redraws every view of a reopened session from the database without computing
// anything. Results map to store records and back in core/store/records.h.
//
// Threading: SessionStore connections belong to the thread that opened them (Qt SQL rule). The
// SessionManager lives on the GUI thread and is only used there. A whole-model run of a small
// model is a few hundred kilobytes, written when the job ends; the time it takes is measured
// (lastWriteMs) and reported by the window.

#include "app/studio/document.h"
#include "core/store/records.h"
#include "core/store/sessionstore.h"
#include "widgets/runcomparison.h"
#include "widgets/ranksweepplot.h"

#include <QHash>
#include <QObject>

#include <memory>
#include <optional>

namespace lqer {

// What one job produced, recorded as one run of the current session when the job ends
// (complete, cancelled or failed).
struct RunCapture
{
    QString kind; // "quantize", "analyze", "eval", "sweep", "export"
    Plan plan; // the document's plan when the job started
    int expectedLayers = 0;
    QList<LayerRunRecord> layers;
    QList<PerplexityRecord> perplexities;
    QJsonObject details; // RunRecord::details (an export's files, sizes, bits per weight)

    bool isEmpty() const { return layers.isEmpty() && perplexities.isEmpty() && details.isEmpty(); }
};

// Run statuses and kinds as the user reads them ("complete" -> "abgeschlossen" in German); the
// database keeps the English names.
QString runStatusText(RunStatus status);
QString runKindText(const QString &kind);
// One line for an export run (RunRecord::details, exportRunDetails()): "gguf · 8.1 MB · 4.63
// bits/weight"; empty when the details are not an export's.
QString exportRunSummary(const QJsonObject &details);

// One line for an "allocate" run (budget, average bits, objective and loss) or a "curves" /
// "sensitivity" run (layers × formats × ranks, layers measured); empty for other details.
QString allocationRunSummary(const QString &kind, const QJsonObject &details);

// Rank-sweep points are stored as perplexities labelled "<method> k=<rank>" ("Plain k=0" for
// the plain model); these two functions are the only place that knows the convention.
QString sweepLabel(const QString &series, int rank);
bool parseSweepLabel(const QString &label, QString *series, int *rank);

// Everything the views need to show a session as it was saved.
struct SessionSnapshot
{
    SessionRecord session;
    QList<RunRecord> runs; // oldest first, without layers
    QHash<QString, LayerResult> results; // the newest stored result of each layer
    std::optional<double> fp32Perplexity; // the newest "fp32" evaluation
    std::optional<double> perplexity; // the newest evaluation of the session's current plan
    QList<RankSweepSeries> sweep; // the newest rank sweep
    std::optional<double> sweepPlain;
    int runsRead = 0; // runs whose layers were loaded
};

class SessionManager : public QObject
{
    Q_OBJECT

public:
    explicit SessionManager(QObject *parent = nullptr);
    ~SessionManager() override;

    // Opens the store at `path` (empty: SessionStore::resolvePath's default). On failure the
    // manager stays closed, keeps the error, and never touches the file.
    Status open(const QString &path);
    void close();
    bool isOpen() const { return mStore != nullptr; }
    QString path() const { return mPath; }
    QString openError() const { return mOpenError; }
    SessionStore *store() const { return mStore.get(); }

    Expected<QList<SessionSummary>> sessions();
    Expected<QList<RunRecord>> runs(qint64 sessionId);
    Expected<SessionRecord> session(qint64 sessionId);
    Expected<SessionSnapshot> snapshot(qint64 sessionId);
    // The two runs side by side (per-layer errors of both, their perplexities and those of the
    // evaluations of the same plan in the session).
    Expected<RunComparison> compare(qint64 runA, qint64 runB);

    // A new session for the document's model (by path + fingerprint) with its current plan.
    Expected<qint64> createSession(const Document &document, const QString &name);
    static QString defaultSessionName(const Document &document);
    Status renameSession(qint64 sessionId, const QString &name);
    Status deleteSession(qint64 sessionId);
    Expected<qint64> duplicateSession(qint64 sessionId, const QString &name);
    Status savePlan(qint64 sessionId, const Plan &plan);
    Status saveStats(qint64 sessionId, const QString &statsPath, const QString &statsFingerprint);

    // Records a finished job as one run: begin, layers, perplexities, final status. Returns the
    // run id; the time it took is lastWriteMs().
    Expected<qint64> recordRun(qint64 sessionId, const RunCapture &capture, RunStatus status,
                               double wallSeconds, const QString &error);
    double lastWriteMs() const { return mLastWriteMs; }
    double maxWriteMs() const { return mMaxWriteMs; }

    // "run 3 · quantize · L²QER k=32 · complete" for lists and legends.
    static QString runLabel(const RunRecord &run);

signals:
    void sessionsChanged();
    void runRecorded(qint64 sessionId, qint64 runId);

private:
    std::unique_ptr<SessionStore> mStore;
    QString mPath;
    QString mOpenError;
    double mLastWriteMs = 0;
    double mMaxWriteMs = 0;
};

} // namespace lqer
