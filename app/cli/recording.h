#pragma once

// Recording of `lqer analyze`, `quantize` and `eval` runs in the session store: on by
// default, --no-record to skip, --db PATH / $LQER_SESSIONS_DB for the file, --session NAME
// (default: the model folder's name). The store is opened before any heavy work, so a file the
// store cannot use (corrupt, read-only, from a newer program) fails the command early with one
// line naming it; the store never rewrites such a file.
//
// Layers are appended as they finish (one transaction each), perplexities when measured; a
// run is finished as complete, as cancelled (Ctrl-C) or as failed with the error. A run this
// process abandons is closed as failed by RunRecorder, a run of a killed process is found
// 'running' and marked interrupted by the next writer.

#include "cli.h"

#include "core/eval/planeval.h"
#include "core/store/recorder.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>

#include <memory>

namespace lqer::cli {

class CliRecorder
{
public:
    // --db, --session, --no-record and --spectrum-count.
    static void addOptions(QCommandLineParser &parser);

    // Null (and no error) with --no-record. Otherwise opens (creating if missing) the store at
    // SessionStore::resolvePath(--db); the error is one line naming the path and suggesting
    // --no-record or --db. Messages name the store as the user gave it.
    static Expected<std::unique_ptr<CliRecorder>> open(const QCommandLineParser &parser);

    ~CliRecorder();
    CliRecorder(const CliRecorder &) = delete;
    CliRecorder &operator=(const CliRecorder &) = delete;

    const QString &path() const;
    // Singular values kept per layer (0 = all, -1 = automatic), from --spectrum-count.
    int spectrumCount() const { return mSpectrumCount; }

    // The session (--session NAME, else the model folder's name) of this model, created with
    // `plan` when missing. `modelPath` is the path the user gave.
    Status useSession(const ModelRecord &model, const Plan &plan, const QString &modelPath);
    Status useSession(const Checkpoint &checkpoint, const Plan &plan, const QString &modelPath);

    // Begins a run; layers and perplexities go to the newest run until it is finished.
    Status beginRun(const QString &kind, const Plan &plan, int expectedLayers);
    // Store errors are remembered (error()), and nothing more is recorded after the first.
    void addLayer(const LayerQuantResult &result, const LayerPlan &plan);
    void addPerplexity(const QString &label, const QString &textPath, const PerplexityResult &result);
    // What the run produced besides layers (an export's files, sizes and bits per weight).
    void setDetails(const QJsonObject &details);
    // Complete, or (`failure` not empty) cancelled when the user interrupted, else failed.
    void finishRun(const QString &failure = QString());

    bool hasError() const { return !mError.isEmpty(); }
    // "session store PATH: ...", one line.
    QString error() const;
    // "recorded run N in session 'S' (PATH)", or "runs N, M" (quantize --compare), plus the
    // status when a run did not complete. Empty when no run was begun.
    QString summary() const;

private:
    CliRecorder() = default;
    void remember(const QString &error);

    std::unique_ptr<SessionStore> mStore; // declared first: outlives mRun
    std::unique_ptr<RunRecorder> mRun;
    QString mPath; // as given (--db, $LQER_SESSIONS_DB or the default), for messages
    QString mSessionFlag;
    QString mSessionName;
    qint64 mSessionId = 0;
    int mSpectrumCount = -1; // automatic (LayerQuantOptions::spectrumCount)
    QList<qint64> mRunIds;
    QString mLastStatus; // of the last finished run
    QString mError;
};

// The session name a path stands for: the model folder's name (for a .safetensors file, its
// folder's; for a llama2.c .bin, the file's base name).
QString defaultSessionName(const QString &modelPath);

// installPlan() (core/eval/planeval.h), with every layer recorded as it finishes, spectra
// included (the quantized linears are the same: spectra are measured beside the method, never
// fed into it). Without a recorder it is installPlan() itself.
Expected<InstallPlanResult>
installPlanRecorded(Transformer &model, std::shared_ptr<const Checkpoint> checkpoint, const Plan &plan,
                    const StatsMap *stats, const ProgressFn &progress, int threads, CliRecorder *recorder);

// Layers of `names` the plan quantizes (what a pipeline run will produce).
int quantizedLayerCount(const Plan &plan, const QStringList &names);

// Fails a command: closes the recorder's current run as failed (cancelled after Ctrl-C), prints
// the error and the recorder's summary; returns 130 after Ctrl-C, else 1. After Ctrl-C the
// error printed is "cancelled", or `message` itself when `messageTellsCancel` (an export's
// "... cancelled; nothing was written there").
int failRun(CliRecorder *recorder, const QString &message, bool messageTellsCancel = false);

// Ends a successful command: prints the summary, or fails when recording went wrong.
int finishCommand(CliRecorder *recorder);

} // namespace lqer::cli
