#pragma once

// The session store (ARCHITECTURE.md: persistence): one SQLite file holding models, sessions
// (a model + a plan + calibration statistics) and runs (per-layer metrics and spectra,
// perplexities, timings). Schema versioned with PRAGMA user_version and migrated forward on
// open; WAL journal so readers never block the writer; every write is one transaction.
//
// Threading: a SessionStore owns one QSqlDatabase connection with a unique name, and Qt allows
// a connection to be used only by the thread that opened it. Open one store per thread (they
// may all point at the same file, also from other processes). Not copyable.
//
// Runs are crash-safe by design: beginRun() creates the run with status 'running', layers are
// appended in transactions, finishRun() sets the final status. A reader never mistakes a
// partial run for a complete one: only status 'complete' means complete. A store opened
// read-write marks 'running' runs whose writer process is gone as 'interrupted'.

#include "core/common/expected.h"
#include "core/eval/klstats.h"
#include "core/plan/plan.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QSqlQuery>
#include <QStringList>
#include <QVariantList>

#include <memory>
#include <optional>
#include <vector>

namespace lqer {

enum class RunStatus { Running, Complete, Cancelled, Interrupted, Failed };

QString runStatusName(RunStatus status); // "running", "complete", "cancelled", "interrupted", "failed"
std::optional<RunStatus> runStatusFromName(const QString &name);

struct ModelRecord
{
    qint64 id = 0;
    QString path; // checkpoint folder or file, absolute
    QString architecture; // architectureName(), e.g. "llama"
    QString fingerprint; // Checkpoint::fingerprint()
    qint64 parameters = 0;
    qint64 fileBytes = 0;
};

class Checkpoint;

// The model row for an opened checkpoint: absolute path, architecture from config.json
// ("unknown" without a config), Checkpoint::fingerprint(), parameter and byte counts.
ModelRecord modelRecordFor(const Checkpoint &checkpoint);

struct SessionRecord
{
    qint64 id = 0;
    QString name;
    qint64 modelId = 0;
    ModelRecord model; // filled by session() / listSessions()
    QDateTime created, modified;
    Plan plan; // the session's current plan (calibration settings included)
    QString statsPath; // saved calibration statistics (statsfile.h), or empty
    QString statsFingerprint; // of the stats file when it was recorded, to notice stale stats
    QString notes; // schema >= 2
};

struct SessionSummary
{
    qint64 id = 0;
    QString name;
    QString modelPath, architecture;
    QDateTime created, modified;
    int runCount = 0;
    QString lastRunStatus; // empty when the session has no run
};

// The results of one linear layer in a run (NUMERICS.md §5, §8).
struct LayerRunRecord
{
    QString layer; // weight tensor name
    QString method; // methodName()
    int rank = 0;
    qint64 inFeatures = 0, outFeatures = 0;
    QString weightFormat; // QuantFormat::toString()
    double quantError = 0; // ||W - Wq||_F (before the low-rank term)
    double frobError = 0; // ||W - W^||_F after reconstruction
    double relError = 0; // ||W - W^||_F / ||W||_F
    double meanAbsError = 0; // e_a of paper eq. 15
    double outputError = -1; // ||X(W - W^)^T||_F / ||X W^T||_F; < 0 when not measured
    double bits = 0; // memory bits per original weight (§8)
    double seconds = 0; // wall time spent on the layer
    double alpha = 1; // scale making ||alpha E||_F = ||S E||_F for the spectrum plot
    std::vector<double> svError; // singular values of E (stored as float32: enough to plot)
    std::vector<double> svScaled; // singular values of S E
    // Stored in the `extra` column; unset when the producer did not measure them.
    std::optional<double> weightFrob; // ||W||_F
    std::optional<double> plainMeanAbsError; // e_a without the low-rank term
    std::optional<double> scaledFrobError; // ||(W - W^) diag(s)||_F, with calibration statistics
    std::optional<double> scaledPlainFrobError; // ||(W - Wq) diag(s)||_F, same condition
    QString actFormat, lowRankFormat; // QuantFormat::toString(); empty when not recorded
    QJsonObject extra; // anything else a producer wants to keep
};

// Perplexity with its protocol (NUMERICS.md §7), so numbers are only compared like with like.
struct PerplexityRecord
{
    QString label; // "fp32", "l2qer", ...
    QString textPath, textFingerprint;
    int windowLength = 0;
    qint64 tokens = 0; // tokens scored
    double nll = 0; // mean negative log-likelihood per scored token
    double perplexity = 0;
    double seconds = 0;
    double perplexityError = 0; // σ (schema >= 3; 0: not recorded)
    KlStats kl; // the comparison with FP32 (schema >= 3; kl.measured false: none)
};

struct RunRecord
{
    qint64 id = 0;
    qint64 sessionId = 0;
    QString kind; // "analyze", "quantize", "eval", ...
    RunStatus status = RunStatus::Running;
    Plan plan; // snapshot of the plan the run used
    QDateTime started, finished;
    double wallSeconds = 0;
    QString programVersion;
    int expectedLayers = 0; // layers the run meant to process (0 = unknown)
    int layerCount = 0; // layers recorded
    QString error; // why it failed (schema >= 2)
    QString notes; // schema >= 2
    QStringList tags; // schema >= 2
    // What the run produced besides layers and perplexities (schema >= 4), e.g. an export's
    // format, files, sizes and bits per weight (sessions.h, exportRunDetails()).
    QJsonObject details;
    QList<LayerRunRecord> layers; // empty in listRuns()
    QList<PerplexityRecord> perplexities; // also filled in listRuns()
};

struct NewRun
{
    qint64 sessionId = 0;
    QString kind;
    Plan plan;
    int expectedLayers = 0;
    QString programVersion; // empty: this program's version
    QString notes;
    QStringList tags;
    QJsonObject details; // schema >= 4; refused when not empty on an older file
};

enum class RunExportFormat { Csv, Json };

struct RunExportConfig
{
    qint64 runId = 0;
    QString path;
    RunExportFormat format = RunExportFormat::Csv;
    bool allowIncomplete = false; // export a cancelled/interrupted/failed run anyway
    bool includeSpectra = true; // JSON only: singular values per layer
};

struct StoreOpenConfig
{
    enum Mode { ReadWrite, ReadOnly };

    QString path; // empty: SessionStore::defaultPath()
    Mode mode = ReadWrite;
    int busyTimeoutMs = 10000; // wait this long for another writer before failing
    // Stop migrating at this schema version (0 = current). For fixtures and migration tests;
    // features of later versions (notes, tags, run errors) are then not stored.
    int schemaVersion = 0;
    // Limit on the file size in pages (0 = none); also how tests simulate a full disk.
    qint64 maxPageCount = 0;
    bool recoverStaleRuns = true; // mark runs of dead writers 'interrupted' on open
};

class SessionStore
{
public:
    ~SessionStore();
    SessionStore(const SessionStore &) = delete;
    SessionStore &operator=(const SessionStore &) = delete;

    // Creates the file (and its folder) if missing in ReadWrite mode. Never deletes, truncates
    // or recreates a file it cannot use: a corrupt file, a non-SQLite file or a file from a
    // newer program is an error naming the path.
    static Expected<std::unique_ptr<SessionStore>> open(const StoreOpenConfig &config);
    static Expected<std::unique_ptr<SessionStore>> open(const QString &path);
    // LQER_SESSIONS_DB if set, else <GenericDataLocation>/lqer-studio/sessions.db.
    static QString defaultPath();
    // `explicitPath` if not empty (a --db flag), else defaultPath().
    static QString resolvePath(const QString &explicitPath);
    static int currentSchemaVersion();

    const QString &path() const { return mPath; }
    int schemaVersion() const { return mSchemaVersion; }
    bool isReadOnly() const { return mReadOnly; }

    // Models: one row per (path, fingerprint); returns the existing id when already known.
    Expected<qint64> ensureModel(const ModelRecord &model);
    Expected<ModelRecord> model(qint64 modelId);

    // Sessions.
    Expected<qint64> createSession(const SessionRecord &session); // id, created, modified ignored
    Status renameSession(qint64 sessionId, const QString &name);
    Status setSessionPlan(qint64 sessionId, const Plan &plan);
    // Points the session at another model row (a bundle opened where its model lives elsewhere).
    Status setSessionModel(qint64 sessionId, qint64 modelId);
    Status setSessionStats(qint64 sessionId, const QString &statsPath, const QString &statsFingerprint);
    Status setSessionNotes(qint64 sessionId, const QString &notes); // schema >= 2
    Status deleteSession(qint64 sessionId); // with its runs
    Expected<qint64> duplicateSession(qint64 sessionId, const QString &newName); // plan, not runs
    Expected<QList<SessionSummary>> listSessions();
    Expected<SessionRecord> session(qint64 sessionId);

    // Runs.
    Expected<qint64> beginRun(const NewRun &run);
    // One transaction; fails if the run is not 'running' (a finished run is immutable).
    Status appendLayers(qint64 runId, const QList<LayerRunRecord> &layers);
    Status addPerplexity(qint64 runId, const PerplexityRecord &perplexity);
    // Replaces the run's details (schema >= 4); like layers, only while the run is 'running'.
    Status setRunDetails(qint64 runId, const QJsonObject &details);
    Status finishRun(qint64 runId, RunStatus status, double wallSeconds, const QString &error = QString());
    Status deleteRun(qint64 runId);
    Status setRunNotes(qint64 runId, const QString &notes, const QStringList &tags); // schema >= 2
    // A consistent snapshot of the run (one read transaction).
    Expected<RunRecord> run(qint64 runId, bool withSpectra = true);
    Expected<QList<RunRecord>> listRuns(qint64 sessionId); // without layers, newest last

    Status exportRun(const RunExportConfig &config);

    // Marks 'running' runs whose writer process no longer exists as 'interrupted'; returns how
    // many. Writers on other hosts count as gone when silent for `staleSeconds`.
    Expected<int> recoverStaleRuns(qint64 staleSeconds = 3600);
    // "ok", or SQLite's list of problems.
    Expected<QString> integrityCheck();

private:
    SessionStore() = default;

    Status configure(const StoreOpenConfig &config);
    // Reads the schema version; refuses files of other programs and of newer versions.
    Status checkSchemaOwner();
    // WAL journal and the pragmas of a writing connection.
    Status configureWriter(const StoreOpenConfig &config);
    Status migrate(int targetVersion);
    Expected<qint64> insertPlan(const Plan &plan);
    Expected<Plan> loadPlan(qint64 planId);
    Status deletePlanIfUnused(qint64 planId);
    // Sets `assignments` ("name = ?, ...", bound to `values`) and the modification time of one
    // session, in one transaction.
    Status updateSession(qint64 sessionId, const QString &assignments, QVariantList values,
                         const QString &what);
    Status insertTags(qint64 runId, const QStringList &tags, const QString &what);
    // The number of layers a run has recorded; an error when it is missing or finished.
    Expected<int> writableRun(qint64 runId, const QString &what);
    Expected<RunRecord> loadRunRow(qint64 runId);
    Expected<QList<PerplexityRecord>> loadPerplexities(qint64 runId);
    Expected<QList<LayerRunRecord>> loadLayers(qint64 runId, bool withSpectra, const QString &what);
    Status requireSchema(int version, const QString &what) const;
    Error sqlError(const QString &what, const QString &detail) const;
    // Prepares `sql`, binds `values` in order and runs it; the error names the store and `what`.
    Expected<QSqlQuery> exec(const QString &sql, const QVariantList &values, const QString &what);
    // exec() for the effect only.
    Status execute(const QString &sql, const QVariantList &values, const QString &what);
    // exec() positioned on the first row; `missing` ("no such run") when there is none.
    Expected<QSqlQuery> execRow(const QString &sql, const QVariantList &values, const QString &what,
                                const QString &missing);
    // The first column of the first row, as execRow().
    Expected<QVariant> selectValue(const QString &sql, const QVariantList &values, const QString &what,
                                   const QString &missing);
    // exec() of an UPDATE or DELETE that must change exactly one row, else `missing`.
    Status updateOne(const QString &sql, const QVariantList &values, const QString &what,
                     const QString &missing);

    QString mPath;
    QString mConnectionName;
    QSqlDatabase mDb;
    int mSchemaVersion = 0;
    bool mReadOnly = false;
    QString mWriterToken; // "host:pid:start" of this process, recorded in runs it writes

    friend class StoreTransaction;
};

} // namespace lqer
