#include "sessionstore.h"

#include "runexport.h"
#include "schema.h"

#include "core/store/records.h"

#include "core/common/tensor.h"
#include "core/io/checkpoint.h"
#include "core/model/architecture.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlRecord>
#include <QStandardPaths>
#include <QSysInfo>
#include <QtEndian>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstring>

#include <unistd.h>

namespace lqer {

namespace {

const QString kStatusNames[] = {
    QStringLiteral("running"),     QStringLiteral("complete"), QStringLiteral("cancelled"),
    QStringLiteral("interrupted"), QStringLiteral("failed"),
};

QString nowText()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

QDateTime parseTime(const QVariant &value)
{
    if (value.isNull())
        return QDateTime();
    return QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
}

// Spectra as little-endian float32: singular values only need to be plotted and compared at
// plot precision, and float32 halves the file (a 7B run: 224 layers x 2 x 4096 values).
QByteArray spectrumToBlob(const std::vector<double> &values)
{
    QByteArray blob(qsizetype(values.size() * sizeof(quint32)), Qt::Uninitialized);
    uchar *out = reinterpret_cast<uchar *>(blob.data());
    for (size_t i = 0; i < values.size(); ++i) {
        qToLittleEndian(floatBits(float(values[i])), out + i * sizeof(quint32));
    }
    return blob;
}

std::vector<double> blobToSpectrum(const QByteArray &blob)
{
    std::vector<double> values(size_t(blob.size()) / sizeof(quint32));
    const uchar *in = reinterpret_cast<const uchar *>(blob.constData());
    for (size_t i = 0; i < values.size(); ++i) {
        values[i] = double(bitsFloat(qFromLittleEndian<quint32>(in + i * sizeof(quint32))));
    }
    return values;
}

// Start time of a process in clock ticks since boot (Linux /proc/<pid>/stat field 22), so a
// recycled pid is not mistaken for the writer that died. Empty where /proc does not exist.
QString processStartTime(qint64 pid)
{
    QFile file(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return QString();
    const QByteArray text = file.readAll();
    // Field 2 is "(comm)" and may hold spaces and parentheses: fields 3.. follow the last ')'.
    const qsizetype close = text.lastIndexOf(')');
    if (close < 0)
        return QString();
    const QList<QByteArray> fields = text.mid(close + 2).split(' ');
    return fields.size() > 19 ? QString::fromLatin1(fields.at(19)) : QString();
}

QString thisWriterToken()
{
    const qint64 pid = QCoreApplication::applicationPid();
    return QStringLiteral("%1:%2:%3").arg(QSysInfo::machineHostName()).arg(pid).arg(processStartTime(pid));
}

enum class Liveness { Alive, Dead, Unknown };

// Whether the process that wrote `token` still exists on this host.
Liveness writerLiveness(const QString &token)
{
    const QStringList parts = token.split(QLatin1Char(':'));
    if (parts.size() != 3 || parts.at(0) != QSysInfo::machineHostName())
        return Liveness::Unknown;
    bool ok = false;
    const qint64 pid = parts.at(1).toLongLong(&ok);
    if (!ok || pid <= 0)
        return Liveness::Dead;
    if (QFileInfo::exists(QStringLiteral("/proc/self/stat"))) {
        const QString start = processStartTime(pid);
        if (start.isEmpty())
            return Liveness::Dead;
        return parts.at(2).isEmpty() || start == parts.at(2) ? Liveness::Alive : Liveness::Dead;
    }
    if (::kill(pid_t(pid), 0) == 0 || errno == EPERM)
        return Liveness::Alive;
    return Liveness::Dead;
}

std::atomic<int> gConnectionCounter {0};

// The SQLite driver binds a null QString as SQL NULL; text columns are NOT NULL with '' for
// "none", so an empty value must be a non-null empty string.
QVariant textValue(const QString &text)
{
    return text.isNull() ? QVariant(QString(QLatin1String(""))) : QVariant(text);
}

// Checks before SQLite touches anything: SQLite would happily turn a file it cannot parse into
// an error later, but must never be given the chance to write into someone's file.
Status checkFileBeforeOpening(const QString &path, bool readOnly)
{
    const QFileInfo info(path);
    if (info.exists()) {
        if (info.isDir())
            return makeError(QStringLiteral("session store %1: is a folder, not a database file").arg(path));
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return makeError(
                QStringLiteral("session store %1: cannot read the file: %2").arg(path, file.errorString()));
        const QByteArray head = file.read(16);
        if (info.size() > 0 && head != QByteArray("SQLite format 3\0", 16)) {
            return makeError(
                QStringLiteral("session store %1: not an SQLite database (corrupt, or another kind of file); "
                               "it was left untouched")
                    .arg(path));
        }
        if (!readOnly && !info.isWritable())
            return makeError(
                QStringLiteral("session store %1: the file is read-only; open it read-only or choose "
                               "another path with --db or LQER_SESSIONS_DB")
                    .arg(path));
        // WAL needs the -wal and -shm files beside the database.
        if (!readOnly && !QFileInfo(info.absolutePath()).isWritable())
            return makeError(
                QStringLiteral("session store %1: the folder %2 is read-only (SQLite needs to create its "
                               "journal files there)")
                    .arg(path, info.absolutePath()));
        return Status::success();
    }
    if (readOnly)
        return makeError(QStringLiteral("session store %1: no such file").arg(path));
    if (!QDir().mkpath(info.absolutePath()))
        return makeError(QStringLiteral("session store %1: cannot create the folder %2 (read-only location?)")
                             .arg(path, info.absolutePath()));
    if (!QFileInfo(info.absolutePath()).isWritable())
        return makeError(
            QStringLiteral("session store %1: the folder %2 is read-only").arg(path, info.absolutePath()));
    return Status::success();
}

// One plan_layers row (layer, quantize, weight, act, low-rank format, method, rank); errors name
// the defaults or the layer.
Expected<LayerPlan> layerPlanFromRow(const QSqlQuery &row, const QString &name)
{
    const QString where
        = name.isEmpty() ? QStringLiteral("defaults") : QStringLiteral("layer '%1'").arg(name);
    LayerPlan lp;
    lp.quantize = row.value(1).toInt() != 0;
    QuantFormat *formats[] = {&lp.weight, &lp.act, &lp.lowRank};
    for (int i = 0; i < 3; ++i) {
        auto f = QuantFormat::parse(row.value(2 + i).toString());
        if (!f)
            return makeError(QStringLiteral("%1: %2").arg(where, f.error()));
        *formats[i] = *f;
    }
    const auto method = methodFromName(row.value(5).toString());
    if (!method)
        return makeError(QStringLiteral("%1: unknown method '%2'").arg(where, row.value(5).toString()));
    lp.method = *method;
    lp.rank = row.value(6).toInt();
    return lp;
}

// Binds one run_layers row in the column order of SessionStore::appendLayers' INSERT.
void bindLayer(QSqlQuery &insert, qint64 runId, int position, const LayerRunRecord &l)
{
    const QVariant values[] = {
        runId,
        position,
        textValue(l.layer),
        textValue(l.method),
        l.rank,
        l.inFeatures,
        l.outFeatures,
        textValue(l.weightFormat),
        l.quantError,
        l.frobError,
        l.relError,
        l.meanAbsError,
        l.outputError,
        l.bits,
        l.seconds,
        l.alpha,
        spectrumToBlob(l.svError),
        spectrumToBlob(l.svScaled),
        QString::fromUtf8(QJsonDocument(layerRecordExtra(l)).toJson(QJsonDocument::Compact)),
    };
    for (int i = 0; i < int(std::size(values)); ++i)
        insert.bindValue(i, values[i]);
}

// The rows of an executed query, each read by `read` (a function of the positioned query); the
// query's error as it is.
template<typename Read>
auto readRows(Expected<QSqlQuery> query, Read read)
    -> Expected<QList<std::decay_t<decltype(read(std::declval<const QSqlQuery &>()))>>>
{
    if (!query)
        return Error {query.error()};
    QList<std::decay_t<decltype(read(*query))>> rows;
    while (query->next())
        rows.append(read(*query));
    query->finish();
    return rows;
}

qint64 firstColumnId(const QSqlQuery &row)
{
    return row.value(0).toLongLong();
}

QString firstColumnText(const QSqlQuery &row)
{
    return row.value(0).toString();
}

SessionSummary sessionSummaryFromRow(const QSqlQuery &q)
{
    SessionSummary s;
    s.id = q.value(0).toLongLong();
    s.name = q.value(1).toString();
    s.modelPath = q.value(2).toString();
    s.architecture = q.value(3).toString();
    s.created = parseTime(q.value(4));
    s.modified = parseTime(q.value(5));
    s.runCount = q.value(6).toInt();
    s.lastRunStatus = q.value(7).toString();
    return s;
}

// The schema-3 columns of a perplexity: its σ and its comparison with FP32 (NULL: not measured).
const QString kPerplexityComparisonColumns = QStringLiteral(
    "perplexity_error, kl_tokens, kl_mean, kl_mean_error, kl_median, kl_p99, kl_max, top1, top1_error,"
    " base_perplexity, base_perplexity_error, delta_perplexity, delta_perplexity_error");

QVariantList perplexityComparisonValues(const PerplexityRecord &p)
{
    const KlStats &k = p.kl;
    const QVariant null;
    auto v = [&](double x) { return k.measured ? QVariant(x) : null; };
    return {p.perplexityError > 0 ? QVariant(p.perplexityError) : null,
            k.measured ? QVariant(k.tokens) : null,
            v(k.meanKl),
            v(k.meanKlError),
            v(k.medianKl),
            v(k.p99Kl),
            v(k.maxKl),
            v(k.top1),
            v(k.top1Error),
            v(k.basePerplexity),
            v(k.basePerplexityError),
            v(k.deltaPerplexity),
            v(k.deltaPerplexityError)};
}

void readPerplexityComparison(const QSqlQuery &q, int first, PerplexityRecord &p)
{
    p.perplexityError = q.value(first).toDouble();
    KlStats &k = p.kl;
    k.measured = !q.value(first + 1).isNull();
    if (!k.measured)
        return;
    k.tokens = q.value(first + 1).toLongLong();
    double *fields[] = {&k.meanKl,
                        &k.meanKlError,
                        &k.medianKl,
                        &k.p99Kl,
                        &k.maxKl,
                        &k.top1,
                        &k.top1Error,
                        &k.basePerplexity,
                        &k.basePerplexityError,
                        &k.deltaPerplexity,
                        &k.deltaPerplexityError};
    for (int i = 0; i < int(std::size(fields)); ++i)
        *fields[i] = q.value(first + 2 + i).toDouble();
}

PerplexityRecord perplexityFromRow(const QSqlQuery &q)
{
    PerplexityRecord p;
    p.label = q.value(0).toString();
    p.textPath = q.value(1).toString();
    p.textFingerprint = q.value(2).toString();
    p.windowLength = q.value(3).toInt();
    p.tokens = q.value(4).toLongLong();
    p.nll = q.value(5).toDouble();
    p.perplexity = q.value(6).toDouble();
    p.seconds = q.value(7).toDouble();
    if (q.record().count() > 8)
        readPerplexityComparison(q, 8, p);
    return p;
}

// One run_layers row in the column order of SessionStore::loadLayers' SELECT.
LayerRunRecord layerFromRow(const QSqlQuery &q, bool withSpectra)
{
    LayerRunRecord l;
    l.layer = q.value(0).toString();
    l.method = q.value(1).toString();
    l.rank = q.value(2).toInt();
    l.inFeatures = q.value(3).toLongLong();
    l.outFeatures = q.value(4).toLongLong();
    l.weightFormat = q.value(5).toString();
    l.quantError = q.value(6).toDouble();
    l.frobError = q.value(7).toDouble();
    l.relError = q.value(8).toDouble();
    l.meanAbsError = q.value(9).toDouble();
    l.outputError = q.value(10).toDouble();
    l.bits = q.value(11).toDouble();
    l.seconds = q.value(12).toDouble();
    l.alpha = q.value(13).toDouble();
    setLayerRecordExtra(l, QJsonDocument::fromJson(q.value(14).toString().toUtf8()).object());
    if (withSpectra) {
        l.svError = blobToSpectrum(q.value(15).toByteArray());
        l.svScaled = blobToSpectrum(q.value(16).toByteArray());
    }
    return l;
}

} // namespace

ModelRecord modelRecordFor(const Checkpoint &checkpoint)
{
    ModelRecord m;
    m.path = QFileInfo(checkpoint.modelPath()).absoluteFilePath();
    const auto arch = architectureFromModelType(checkpoint.modelType());
    m.architecture = arch
        ? architectureName(*arch)
        : (checkpoint.modelType().isEmpty() ? QStringLiteral("unknown") : checkpoint.modelType());
    m.fingerprint = checkpoint.fingerprint();
    m.parameters = checkpoint.parameterCount();
    m.fileBytes = checkpoint.totalFileBytes();
    return m;
}

QString runStatusName(RunStatus status)
{
    return kStatusNames[int(status)];
}

std::optional<RunStatus> runStatusFromName(const QString &name)
{
    for (int i = 0; i < 5; ++i) {
        if (kStatusNames[i].compare(name, Qt::CaseInsensitive) == 0)
            return RunStatus(i);
    }
    return std::nullopt;
}

// BEGIN IMMEDIATE for writes: a deferred transaction that reads first and then writes can fail
// with SQLITE_BUSY at once instead of waiting for busy_timeout when another writer is active.
// Rolls back unless committed.
class StoreTransaction
{
public:
    StoreTransaction(SessionStore &store, bool write)
        : mStore(store)
        , mWrite(write)
    { }
    ~StoreTransaction()
    {
        if (mActive) {
            // SQLite may already have rolled back (e.g. after SQLITE_FULL): ignore that error.
            QSqlQuery rollback(mStore.mDb);
            rollback.exec(QStringLiteral("ROLLBACK"));
        }
    }

    Status begin(const QString &what)
    {
        auto q = mStore.exec(mWrite ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"), {}, what);
        if (!q)
            return Error {q.error()};
        mActive = true;
        return Status::success();
    }

    Status commit(const QString &what)
    {
        auto q = mStore.exec(QStringLiteral("COMMIT"), {}, what);
        if (!q)
            return Error {q.error()};
        mActive = false;
        return Status::success();
    }

private:
    SessionStore &mStore;
    bool mWrite;
    bool mActive = false;
};

namespace {

// Runs `body` in one transaction (BEGIN IMMEDIATE when `write`) and commits when it succeeds;
// a failure rolls everything back. Returns what `body` returns (a Status or an Expected).
template<typename Body>
auto inTransaction(SessionStore &store, bool write, const QString &what, Body &&body) -> decltype(body())
{
    StoreTransaction tx(store, write);
    if (Status s = tx.begin(what); !s)
        return Error {s.error()};
    auto result = body();
    if (!result)
        return result;
    if (Status s = tx.commit(what); !s)
        return Error {s.error()};
    return result;
}

} // namespace

SessionStore::~SessionStore()
{
    if (mDb.isValid())
        mDb.close();
    mDb = QSqlDatabase();
    if (!mConnectionName.isEmpty())
        QSqlDatabase::removeDatabase(mConnectionName);
}

QString SessionStore::defaultPath()
{
    const QString env = qEnvironmentVariable("LQER_SESSIONS_DB");
    if (!env.isEmpty())
        return env;
    QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    if (base.isEmpty())
        base = QDir::homePath() + QStringLiteral("/.local/share");
    return base + QStringLiteral("/lqer-studio/sessions.db");
}

QString SessionStore::resolvePath(const QString &explicitPath)
{
    return explicitPath.isEmpty() ? defaultPath() : explicitPath;
}

int SessionStore::currentSchemaVersion()
{
    return storeschema::latestVersion();
}

Error SessionStore::sqlError(const QString &what, const QString &detail) const
{
    return makeError(QStringLiteral("session store %1: %2: %3").arg(mPath, what, detail));
}

Expected<QSqlQuery> SessionStore::exec(const QString &sql, const QVariantList &values, const QString &what)
{
    QSqlQuery query(mDb);
    query.setForwardOnly(true);
    if (!query.prepare(sql)) {
        const QSqlError e = query.lastError();
        return sqlError(what, e.databaseText().isEmpty() ? e.text() : e.databaseText());
    }
    for (const QVariant &v : values)
        query.addBindValue(v.typeId() == QMetaType::QString ? textValue(v.toString()) : v);
    if (!query.exec()) {
        const QSqlError e = query.lastError();
        return sqlError(what, e.databaseText().isEmpty() ? e.text() : e.databaseText());
    }
    return query;
}

Status SessionStore::execute(const QString &sql, const QVariantList &values, const QString &what)
{
    auto q = exec(sql, values, what);
    if (!q)
        return Error {q.error()};
    return Status::success();
}

Expected<QSqlQuery> SessionStore::execRow(const QString &sql, const QVariantList &values, const QString &what,
                                          const QString &missing)
{
    auto q = exec(sql, values, what);
    if (!q)
        return q;
    if (!q->next())
        return sqlError(what, missing);
    return q;
}

Expected<QVariant> SessionStore::selectValue(const QString &sql, const QVariantList &values,
                                             const QString &what, const QString &missing)
{
    auto q = execRow(sql, values, what, missing);
    if (!q)
        return Error {q.error()};
    const QVariant value = q->value(0);
    q->finish();
    return value;
}

Status SessionStore::updateOne(const QString &sql, const QVariantList &values, const QString &what,
                               const QString &missing)
{
    auto q = exec(sql, values, what);
    if (!q)
        return Error {q.error()};
    if (q->numRowsAffected() != 1)
        return sqlError(what, missing);
    return Status::success();
}

Status SessionStore::requireSchema(int version, const QString &what) const
{
    if (mSchemaVersion >= version)
        return Status::success();
    return makeError(QStringLiteral("session store %1: %2 needs schema version %3, the file is at version %4")
                         .arg(mPath, what)
                         .arg(version)
                         .arg(mSchemaVersion));
}

Expected<std::unique_ptr<SessionStore>> SessionStore::open(const QString &path)
{
    StoreOpenConfig config;
    config.path = path;
    return open(config);
}

Expected<std::unique_ptr<SessionStore>> SessionStore::open(const StoreOpenConfig &config)
{
    const QString path = QFileInfo(resolvePath(config.path)).absoluteFilePath();
    const bool readOnly = config.mode == StoreOpenConfig::ReadOnly;
    if (Status s = checkFileBeforeOpening(path, readOnly); !s)
        return Error {s.error()};
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return makeError(
            QStringLiteral("session store %1: the Qt SQLite driver (QSQLITE) is not available").arg(path));

    std::unique_ptr<SessionStore> store(new SessionStore());
    store->mPath = path;
    store->mReadOnly = readOnly;
    store->mWriterToken = thisWriterToken();
    store->mConnectionName = QStringLiteral("lqer-store-%1").arg(gConnectionCounter.fetch_add(1));
    store->mDb = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), store->mConnectionName);
    store->mDb.setDatabaseName(path);
    QString options = QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(config.busyTimeoutMs);
    if (readOnly)
        options += QStringLiteral(";QSQLITE_OPEN_READONLY");
    store->mDb.setConnectOptions(options);
    if (!store->mDb.open()) {
        return makeError(
            QStringLiteral("session store %1: cannot open: %2").arg(path, store->mDb.lastError().text()));
    }
    if (Status s = store->configure(config); !s)
        return Error {s.error()};
    return store;
}

Status SessionStore::configure(const StoreOpenConfig &config)
{
    if (Status s = execute(QStringLiteral("PRAGMA busy_timeout = %1").arg(config.busyTimeoutMs), {},
                           QStringLiteral("setup"));
        !s)
        return s;
    if (Status s = checkSchemaOwner(); !s)
        return s;
    if (Status s = execute(QStringLiteral("PRAGMA foreign_keys = ON"), {}, QStringLiteral("setup")); !s)
        return s;

    if (mReadOnly) {
        if (mSchemaVersion == 0)
            return makeError(QStringLiteral("session store %1: empty file, no sessions yet").arg(mPath));
        return Status::success();
    }
    if (Status s = configureWriter(config); !s)
        return s;
    const int target = config.schemaVersion > 0 ? std::min(config.schemaVersion, currentSchemaVersion())
                                                : currentSchemaVersion();
    if (mSchemaVersion < target) {
        if (Status s = migrate(target); !s)
            return s;
    }
    if (config.recoverStaleRuns) {
        if (auto n = recoverStaleRuns(); !n)
            return Error {n.error()};
    }
    return Status::success();
}

Status SessionStore::checkSchemaOwner()
{
    // The first real read: a damaged header or a non-database file fails here.
    auto objects = selectValue(QStringLiteral("SELECT count(*) FROM sqlite_master"), {},
                               QStringLiteral("reading the schema"), QString());
    if (!objects)
        return makeError(objects.error() + QStringLiteral(" (the file was left untouched)"));
    auto version = selectValue(QStringLiteral("PRAGMA user_version"), {},
                               QStringLiteral("reading the schema version"), QString());
    if (!version)
        return Error {version.error()};
    mSchemaVersion = version->toInt();
    auto appId = selectValue(QStringLiteral("PRAGMA application_id"), {},
                             QStringLiteral("reading the application id"), QString());
    if (!appId)
        return Error {appId.error()};
    const int applicationId = appId->toInt();

    // A negative version is no schema this program (or any other LQER Studio) wrote: a corrupt
    // header. Migrating from it would step through millions of empty versions (the fuzzer's
    // -16777213 took minutes).
    if (mSchemaVersion < 0)
        return makeError(
            QStringLiteral("session store %1: schema version %2 is not valid (a damaged file); it "
                           "was left untouched")
                .arg(mPath)
                .arg(mSchemaVersion));
    if (mSchemaVersion == 0 && objects->toLongLong() > 0)
        return makeError(
            QStringLiteral("session store %1: an SQLite database of another program (no LQER Studio "
                           "schema); it was left untouched")
                .arg(mPath));
    if (mSchemaVersion > 0 && applicationId != storeschema::kApplicationId)
        return makeError(
            QStringLiteral("session store %1: an SQLite database of another program (application id "
                           "%2); it was left untouched")
                .arg(mPath)
                .arg(applicationId));
    if (mSchemaVersion > currentSchemaVersion())
        return makeError(
            QStringLiteral("session store %1: written by a newer LQER Studio (schema version %2, this "
                           "program knows up to %3); upgrade the program, the file was left untouched")
                .arg(mPath)
                .arg(mSchemaVersion)
                .arg(currentSchemaVersion()));
    return Status::success();
}

Status SessionStore::configureWriter(const StoreOpenConfig &config)
{
    // WAL: readers see the last committed state while a job writes, and a killed writer
    // leaves a journal that the next open rolls back. synchronous=NORMAL is durable against
    // process crashes (only a power cut can lose the last transactions, never corrupt).
    if (Status s = execute(QStringLiteral("PRAGMA journal_mode = WAL"), {}, QStringLiteral("enabling WAL"));
        !s)
        return s;
    QStringList pragmas {
        QStringLiteral("PRAGMA synchronous = NORMAL"),
        // A big run passes through the WAL; without a limit the -wal file keeps its peak size.
        QStringLiteral("PRAGMA journal_size_limit = 16777216"),
    };
    if (config.maxPageCount > 0)
        pragmas << QStringLiteral("PRAGMA max_page_count = %1").arg(config.maxPageCount);
    for (const QString &pragma : std::as_const(pragmas)) {
        if (Status s = execute(pragma, {}, QStringLiteral("setup")); !s)
            return s;
    }
    return Status::success();
}

Status SessionStore::migrate(int targetVersion)
{
    while (true) {
        // One transaction per version: a failed migration leaves the previous version intact.
        // The version is re-read inside it, so two processes opening a new file do not both
        // create the tables.
        StoreTransaction tx(*this, true);
        if (Status s = tx.begin(QStringLiteral("migrating")); !s)
            return s;
        auto version
            = selectValue(QStringLiteral("PRAGMA user_version"), {}, QStringLiteral("migrating"), QString());
        if (!version)
            return Error {version.error()};
        const int current = version->toInt();
        if (current >= targetVersion) {
            mSchemaVersion = current;
            return tx.commit(QStringLiteral("migrating"));
        }
        const int next = current + 1;
        const QString what = QStringLiteral("migrating schema %1 -> %2").arg(current).arg(next);
        for (const QString &sql : storeschema::migrationTo(next)) {
            if (Status s = execute(sql, {}, what); !s)
                return s;
        }
        if (Status s = execute(QStringLiteral("PRAGMA user_version = %1").arg(next), {}, what); !s)
            return s;
        if (Status s = tx.commit(what); !s)
            return s;
        mSchemaVersion = next;
    }
}

// ---- plans as data ----------------------------------------------------------------------

Expected<qint64> SessionStore::insertPlan(const Plan &plan)
{
    const QString what = QStringLiteral("saving a plan");
    auto q = exec(
        QStringLiteral("INSERT INTO plans (preset, quantize_attention_matmuls, svd_backend, calib_samples,"
                       " calib_seq_len, calib_text_path) VALUES (?, ?, ?, ?, ?, ?)"),
        {plan.preset, int(plan.quantizeAttentionMatmuls), svdBackendName(plan.svd), plan.calibration.samples,
         plan.calibration.seqLen, plan.calibration.textPath},
        what);
    if (!q)
        return Error {q.error()};
    const qint64 planId = q->lastInsertId().toLongLong();

    QSqlQuery layer(mDb);
    layer.prepare(
        QStringLiteral("INSERT INTO plan_layers (plan_id, layer, quantize, weight_format, act_format,"
                       " low_rank_format, method, rank) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    auto insertLayer = [&](const QString &name, const LayerPlan &lp) -> Status {
        layer.bindValue(0, planId);
        layer.bindValue(1, textValue(name));
        layer.bindValue(2, int(lp.quantize));
        layer.bindValue(3, lp.weight.toString());
        layer.bindValue(4, lp.act.toString());
        layer.bindValue(5, lp.lowRank.toString());
        layer.bindValue(6, methodName(lp.method));
        layer.bindValue(7, lp.rank);
        if (!layer.exec())
            return sqlError(QStringLiteral("saving the plan of layer '%1'").arg(name),
                            layer.lastError().databaseText());
        return Status::success();
    };
    if (Status s = insertLayer(QString(), plan.defaults); !s)
        return Error {s.error()};
    for (auto it = plan.overrides.cbegin(); it != plan.overrides.cend(); ++it) {
        if (Status s = insertLayer(it.key(), it.value()); !s)
            return Error {s.error()};
    }
    return planId;
}

Expected<Plan> SessionStore::loadPlan(qint64 planId)
{
    const QString what = QStringLiteral("reading plan %1").arg(planId);
    auto q = execRow(
        QStringLiteral("SELECT preset, quantize_attention_matmuls, svd_backend, calib_samples, calib_seq_len,"
                       " calib_text_path FROM plans WHERE id = ?"),
        {planId}, what, QStringLiteral("no such plan"));
    if (!q)
        return Error {q.error()};
    Plan plan;
    plan.preset = q->value(0).toString();
    plan.quantizeAttentionMatmuls = q->value(1).toInt() != 0;
    const auto svd = svdBackendFromName(q->value(2).toString());
    if (!svd)
        return sqlError(what, QStringLiteral("unknown SVD backend '%1'").arg(q->value(2).toString()));
    plan.svd = *svd;
    plan.calibration.samples = q->value(3).toInt();
    plan.calibration.seqLen = q->value(4).toInt();
    plan.calibration.textPath = q->value(5).toString();
    q->finish();

    auto layers = exec(
        QStringLiteral("SELECT layer, quantize, weight_format, act_format, low_rank_format, method, rank"
                       " FROM plan_layers WHERE plan_id = ?"),
        {planId}, what);
    if (!layers)
        return Error {layers.error()};
    bool haveDefaults = false;
    while (layers->next()) {
        const QString name = layers->value(0).toString();
        auto lp = layerPlanFromRow(*layers, name);
        if (!lp)
            return sqlError(what, lp.error());
        if (name.isEmpty()) {
            plan.defaults = *lp;
            haveDefaults = true;
        } else {
            plan.overrides.insert(name, *lp);
        }
    }
    if (!haveDefaults)
        return sqlError(what, QStringLiteral("the plan has no default layer settings"));
    return plan;
}

Status SessionStore::deletePlanIfUnused(qint64 planId)
{
    return execute(
        QStringLiteral(
            "DELETE FROM plans WHERE id = ? AND NOT EXISTS (SELECT 1 FROM sessions WHERE plan_id = ?)"
            " AND NOT EXISTS (SELECT 1 FROM runs WHERE plan_id = ?)"),
        {planId, planId, planId}, QStringLiteral("deleting plan %1").arg(planId));
}

// ---- models -----------------------------------------------------------------------------

Expected<qint64> SessionStore::ensureModel(const ModelRecord &model)
{
    const QString what = QStringLiteral("recording model %1").arg(model.path);
    return inTransaction(*this, true, what, [&]() -> Expected<qint64> {
        auto found = exec(QStringLiteral("SELECT id FROM models WHERE path = ? AND fingerprint = ?"),
                          {model.path, model.fingerprint}, what);
        if (!found)
            return Error {found.error()};
        if (found->next())
            return found->value(0).toLongLong();
        found->finish();
        auto q = exec(
            QStringLiteral("INSERT INTO models (path, architecture, fingerprint, parameters, file_bytes,"
                           " created) VALUES (?, ?, ?, ?, ?, ?)"),
            {model.path, model.architecture, model.fingerprint, model.parameters, model.fileBytes, nowText()},
            what);
        if (!q)
            return Error {q.error()};
        return q->lastInsertId().toLongLong();
    });
}

Expected<ModelRecord> SessionStore::model(qint64 modelId)
{
    auto q = execRow(
        QStringLiteral(
            "SELECT path, architecture, fingerprint, parameters, file_bytes FROM models WHERE id = ?"),
        {modelId}, QStringLiteral("reading model %1").arg(modelId), QStringLiteral("no such model"));
    if (!q)
        return Error {q.error()};
    ModelRecord m;
    m.id = modelId;
    m.path = q->value(0).toString();
    m.architecture = q->value(1).toString();
    m.fingerprint = q->value(2).toString();
    m.parameters = q->value(3).toLongLong();
    m.fileBytes = q->value(4).toLongLong();
    return m;
}

// ---- sessions ---------------------------------------------------------------------------

Expected<qint64> SessionStore::createSession(const SessionRecord &session)
{
    const QString what = QStringLiteral("creating session '%1'").arg(session.name);
    return inTransaction(*this, true, what, [&]() -> Expected<qint64> {
        auto planId = insertPlan(session.plan);
        if (!planId)
            return Error {planId.error()};
        const QString now = nowText();
        auto q = exec(
            QStringLiteral(
                "INSERT INTO sessions (name, model_id, plan_id, stats_path, stats_fingerprint, created,"
                " modified) VALUES (?, ?, ?, ?, ?, ?, ?)"),
            {session.name, session.modelId, *planId, session.statsPath, session.statsFingerprint, now, now},
            what);
        if (!q)
            return Error {q.error()};
        const qint64 id = q->lastInsertId().toLongLong();
        if (!session.notes.isEmpty() && mSchemaVersion >= 2) {
            if (Status s = execute(QStringLiteral("UPDATE sessions SET notes = ? WHERE id = ?"),
                                   {session.notes, id}, what);
                !s)
                return Error {s.error()};
        }
        return id;
    });
}

Status SessionStore::updateSession(qint64 sessionId, const QString &assignments, QVariantList values,
                                   const QString &what)
{
    values << nowText() << sessionId;
    return inTransaction(*this, true, what, [&] {
        return updateOne(QStringLiteral("UPDATE sessions SET %1, modified = ? WHERE id = ?").arg(assignments),
                         values, what, QStringLiteral("no such session"));
    });
}

Status SessionStore::renameSession(qint64 sessionId, const QString &name)
{
    return updateSession(sessionId, QStringLiteral("name = ?"), {name},
                         QStringLiteral("renaming session %1").arg(sessionId));
}

Status SessionStore::setSessionPlan(qint64 sessionId, const Plan &plan)
{
    const QString what = QStringLiteral("saving the plan of session %1").arg(sessionId);
    return inTransaction(*this, true, what, [&]() -> Status {
        auto oldPlan = selectValue(QStringLiteral("SELECT plan_id FROM sessions WHERE id = ?"), {sessionId},
                                   what, QStringLiteral("no such session"));
        if (!oldPlan)
            return Error {oldPlan.error()};
        auto planId = insertPlan(plan);
        if (!planId)
            return Error {planId.error()};
        if (Status s = execute(QStringLiteral("UPDATE sessions SET plan_id = ?, modified = ? WHERE id = ?"),
                               {*planId, nowText(), sessionId}, what);
            !s)
            return s;
        return deletePlanIfUnused(oldPlan->toLongLong());
    });
}

Status SessionStore::setSessionModel(qint64 sessionId, qint64 modelId)
{
    return updateSession(sessionId, QStringLiteral("model_id = ?"), {modelId},
                         QStringLiteral("changing the model of session %1").arg(sessionId));
}

Status SessionStore::setSessionStats(qint64 sessionId, const QString &statsPath,
                                     const QString &statsFingerprint)
{
    return updateSession(sessionId, QStringLiteral("stats_path = ?, stats_fingerprint = ?"),
                         {statsPath, statsFingerprint},
                         QStringLiteral("saving the statistics of session %1").arg(sessionId));
}

Status SessionStore::setSessionNotes(qint64 sessionId, const QString &notes)
{
    if (Status s = requireSchema(2, QStringLiteral("session notes")); !s)
        return s;
    return updateSession(sessionId, QStringLiteral("notes = ?"), {notes},
                         QStringLiteral("saving the notes of session %1").arg(sessionId));
}

Status SessionStore::deleteSession(qint64 sessionId)
{
    const QString what = QStringLiteral("deleting session %1").arg(sessionId);
    return inTransaction(*this, true, what, [&]() -> Status {
        auto planIds = readRows(
            exec(QStringLiteral("SELECT plan_id FROM sessions WHERE id = ? UNION SELECT plan_id FROM"
                                " runs WHERE session_id = ?"),
                 {sessionId, sessionId}, what),
            firstColumnId);
        if (!planIds)
            return Error {planIds.error()};
        // Runs, their layers, perplexities and tags go by ON DELETE CASCADE.
        if (Status s = updateOne(QStringLiteral("DELETE FROM sessions WHERE id = ?"), {sessionId}, what,
                                 QStringLiteral("no such session"));
            !s)
            return s;
        for (qint64 planId : std::as_const(*planIds)) {
            if (Status s = deletePlanIfUnused(planId); !s)
                return s;
        }
        return Status::success();
    });
}

Expected<qint64> SessionStore::duplicateSession(qint64 sessionId, const QString &newName)
{
    auto original = session(sessionId);
    if (!original)
        return Error {original.error()};
    SessionRecord copy = *original;
    copy.name = newName;
    return createSession(copy);
}

Expected<QList<SessionSummary>> SessionStore::listSessions()
{
    return readRows(
        exec(
            QStringLiteral("SELECT s.id, s.name, m.path, m.architecture, s.created, s.modified,"
                           " (SELECT count(*) FROM runs r WHERE r.session_id = s.id),"
                           " (SELECT status FROM runs r WHERE r.session_id = s.id ORDER BY r.id DESC LIMIT 1)"
                           " FROM sessions s JOIN models m ON m.id = s.model_id ORDER BY s.id"),
            {}, QStringLiteral("listing sessions")),
        sessionSummaryFromRow);
}

Expected<SessionRecord> SessionStore::session(qint64 sessionId)
{
    const QString what = QStringLiteral("reading session %1").arg(sessionId);
    return inTransaction(*this, false, what, [&]() -> Expected<SessionRecord> {
        auto q
            = execRow(QStringLiteral(
                          "SELECT name, model_id, plan_id, stats_path, stats_fingerprint, created, modified%1"
                          " FROM sessions WHERE id = ?")
                          .arg(mSchemaVersion >= 2 ? QStringLiteral(", notes") : QString()),
                      {sessionId}, what, QStringLiteral("no such session"));
        if (!q)
            return Error {q.error()};
        SessionRecord s;
        s.id = sessionId;
        s.name = q->value(0).toString();
        s.modelId = q->value(1).toLongLong();
        const qint64 planId = q->value(2).toLongLong();
        s.statsPath = q->value(3).toString();
        s.statsFingerprint = q->value(4).toString();
        s.created = parseTime(q->value(5));
        s.modified = parseTime(q->value(6));
        if (mSchemaVersion >= 2)
            s.notes = q->value(7).toString();
        q->finish();
        auto m = model(s.modelId);
        if (!m)
            return Error {m.error()};
        s.model = *m;
        auto plan = loadPlan(planId);
        if (!plan)
            return Error {plan.error()};
        s.plan = *plan;
        return s;
    });
}

// ---- runs -------------------------------------------------------------------------------

Expected<qint64> SessionStore::beginRun(const NewRun &run)
{
    const QString what = QStringLiteral("starting a %1 run in session %2").arg(run.kind).arg(run.sessionId);
    return inTransaction(*this, true, what, [&]() -> Expected<qint64> {
        if (auto exists = selectValue(QStringLiteral("SELECT 1 FROM sessions WHERE id = ?"), {run.sessionId},
                                      what, QStringLiteral("no such session"));
            !exists)
            return Error {exists.error()};
        auto planId = insertPlan(run.plan);
        if (!planId)
            return Error {planId.error()};
        const QString now = nowText();
        const QString version
            = run.programVersion.isEmpty() ? QStringLiteral(LQER_VERSION_STRING) : run.programVersion;
        auto q = exec(
            QStringLiteral(
                "INSERT INTO runs (session_id, kind, status, plan_id, started, heartbeat, program_version,"
                " writer, expected_layers) VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?)"),
            {run.sessionId, run.kind, *planId, now, now, version, mWriterToken, run.expectedLayers}, what);
        if (!q)
            return Error {q.error()};
        const qint64 runId = q->lastInsertId().toLongLong();
        if (mSchemaVersion >= 2) {
            if (Status s
                = execute(QStringLiteral("UPDATE runs SET notes = ? WHERE id = ?"), {run.notes, runId}, what);
                !s)
                return Error {s.error()};
            if (Status s = insertTags(runId, run.tags, what); !s)
                return Error {s.error()};
        }
        if (!run.details.isEmpty()) {
            if (Status s = requireSchema(4, QStringLiteral("run details")); !s)
                return Error {s.error()};
            const QString json = QString::fromUtf8(QJsonDocument(run.details).toJson(QJsonDocument::Compact));
            if (Status s
                = execute(QStringLiteral("UPDATE runs SET details = ? WHERE id = ?"), {json, runId}, what);
                !s)
                return Error {s.error()};
        }
        if (Status s = execute(QStringLiteral("UPDATE sessions SET modified = ? WHERE id = ?"),
                               {now, run.sessionId}, what);
            !s)
            return Error {s.error()};
        return runId;
    });
}

Status SessionStore::insertTags(qint64 runId, const QStringList &tags, const QString &what)
{
    for (const QString &tag : tags) {
        if (Status s = execute(QStringLiteral("INSERT OR IGNORE INTO run_tags (run_id, tag) VALUES (?, ?)"),
                               {runId, tag}, what);
            !s)
            return s;
    }
    return Status::success();
}

Expected<int> SessionStore::writableRun(qint64 runId, const QString &what)
{
    auto run = execRow(QStringLiteral("SELECT status, layer_count FROM runs WHERE id = ?"), {runId}, what,
                       QStringLiteral("no such run"));
    if (!run)
        return Error {run.error()};
    const QString status = run->value(0).toString();
    const int layerCount = run->value(1).toInt();
    run->finish();
    if (status != runStatusName(RunStatus::Running))
        return sqlError(what, QStringLiteral("the run is %1; a finished run cannot be changed").arg(status));
    return layerCount;
}

// SQLite stores NaN as NULL, which reads back as 0: a non-finite number must never reach the
// database. The message names the layer (or perplexity) and the field.
static Status checkFinite(const LayerRunRecord &l)
{
    const std::pair<const char *, double> fields[] = {{"quantization error", l.quantError},
                                                      {"reconstruction error", l.frobError},
                                                      {"relative error", l.relError},
                                                      {"mean |error|", l.meanAbsError},
                                                      {"output error", l.outputError},
                                                      {"bits per weight", l.bits},
                                                      {"seconds", l.seconds},
                                                      {"alpha", l.alpha}};
    for (const auto &[name, value] : fields) {
        if (!std::isfinite(value))
            return makeError(
                QStringLiteral("%1: %2 is %3; not saved").arg(l.layer, QLatin1String(name)).arg(value));
    }
    for (const std::optional<double> &v :
         {l.weightFrob, l.plainMeanAbsError, l.scaledFrobError, l.scaledPlainFrobError}) {
        if (v && !std::isfinite(*v))
            return makeError(QStringLiteral("%1: an error metric is %2; not saved").arg(l.layer).arg(*v));
    }
    for (const std::vector<double> *sv : {&l.svError, &l.svScaled}) {
        if (std::any_of(sv->begin(), sv->end(), [](double x) { return !std::isfinite(x); }))
            return makeError(QStringLiteral("%1: a singular value is NaN or Inf; not saved").arg(l.layer));
    }
    return {};
}

Status SessionStore::setRunDetails(qint64 runId, const QJsonObject &details)
{
    const QString what = QStringLiteral("saving the details of run %1").arg(runId);
    if (Status s = requireSchema(4, QStringLiteral("run details")); !s)
        return s;
    return inTransaction(*this, true, what, [&]() -> Status {
        if (auto position = writableRun(runId, what); !position)
            return Error {position.error()};
        return execute(
            QStringLiteral("UPDATE runs SET details = ?, heartbeat = ? WHERE id = ?"),
            {QString::fromUtf8(QJsonDocument(details).toJson(QJsonDocument::Compact)), nowText(), runId},
            what);
    });
}

Status SessionStore::appendLayers(qint64 runId, const QList<LayerRunRecord> &layers)
{
    const QString what = QStringLiteral("saving %1 layer results of run %2").arg(layers.size()).arg(runId);
    for (const LayerRunRecord &l : layers) {
        if (Status s = checkFinite(l); !s)
            return makeError(QStringLiteral("%1: %2").arg(what, s.error()));
    }
    return inTransaction(*this, true, what, [&]() -> Status {
        auto position = writableRun(runId, what);
        if (!position)
            return Error {position.error()};
        QSqlQuery insert(mDb);
        if (!insert.prepare(QStringLiteral(
                "INSERT INTO run_layers (run_id, position, layer, method, rank, in_features, out_features,"
                " weight_format, quant_error, frob_error, rel_error, mean_abs_error, output_error, bits,"
                " seconds, alpha, sv_error, sv_scaled, extra)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")))
            return sqlError(what, insert.lastError().databaseText());
        for (const LayerRunRecord &l : layers) {
            bindLayer(insert, runId, *position, l);
            if (!insert.exec())
                return sqlError(QStringLiteral("saving layer %1 of run %2").arg(l.layer).arg(runId),
                                insert.lastError().databaseText());
            ++*position;
        }
        insert.finish();
        return execute(QStringLiteral("UPDATE runs SET layer_count = ?, heartbeat = ? WHERE id = ?"),
                       {*position, nowText(), runId}, what);
    });
}

Status SessionStore::addPerplexity(qint64 runId, const PerplexityRecord &p)
{
    const QString what = QStringLiteral("saving perplexity '%1' of run %2").arg(p.label).arg(runId);
    if (!std::isfinite(p.perplexity) || !std::isfinite(p.nll) || !std::isfinite(p.seconds))
        return makeError(QStringLiteral("%1: perplexity %2 (NLL %3) is not finite; not saved")
                             .arg(what)
                             .arg(p.perplexity)
                             .arg(p.nll));
    return inTransaction(*this, true, what, [&]() -> Status {
        if (auto running = writableRun(runId, what); !running)
            return Error {running.error()};
        QString sql
            = QStringLiteral("INSERT INTO perplexities (run_id, label, text_path, text_fingerprint,"
                             " window_length, tokens, nll, perplexity, seconds%1) VALUES (?, ?, ?, ?, ?,"
                             " ?, ?, ?, ?%2)");
        QVariantList values {runId,    p.label, p.textPath,   p.textFingerprint, p.windowLength,
                             p.tokens, p.nll,   p.perplexity, p.seconds};
        if (mSchemaVersion >= 3) {
            const QVariantList extra = perplexityComparisonValues(p);
            sql = sql.arg(QStringLiteral(", ") + kPerplexityComparisonColumns,
                          QStringLiteral(", ?").repeated(int(extra.size())));
            values += extra;
        } else {
            sql = sql.arg(QString(), QString());
        }
        if (Status s = execute(sql, values, what); !s)
            return s;
        return execute(QStringLiteral("UPDATE runs SET heartbeat = ? WHERE id = ?"), {nowText(), runId},
                       what);
    });
}

Status SessionStore::finishRun(qint64 runId, RunStatus status, double wallSeconds, const QString &error)
{
    const QString what = QStringLiteral("finishing run %1 as %2").arg(runId).arg(runStatusName(status));
    if (status == RunStatus::Running)
        return sqlError(what, QStringLiteral("a run cannot be finished as 'running'"));
    return inTransaction(*this, true, what, [&]() -> Status {
        const QString now = nowText();
        // Only a running run can be finished: 'complete' is written once, after every layer.
        auto q
            = exec(QStringLiteral("UPDATE runs SET status = ?, finished = ?, heartbeat = ?, wall_seconds = ?"
                                  " WHERE id = ? AND status = 'running'"),
                   {runStatusName(status), now, now, wallSeconds, runId}, what);
        if (!q)
            return Error {q.error()};
        if (q->numRowsAffected() != 1) {
            auto current = selectValue(QStringLiteral("SELECT status FROM runs WHERE id = ?"), {runId}, what,
                                       QStringLiteral("no such run"));
            if (!current)
                return Error {current.error()};
            return sqlError(what, QStringLiteral("the run is already %1").arg(current->toString()));
        }
        if (mSchemaVersion >= 2 && !error.isEmpty()) {
            if (Status s
                = execute(QStringLiteral("UPDATE runs SET error = ? WHERE id = ?"), {error, runId}, what);
                !s)
                return s;
        }
        return execute(
            QStringLiteral("UPDATE sessions SET modified = ? WHERE id = (SELECT session_id FROM runs"
                           " WHERE id = ?)"),
            {now, runId}, what);
    });
}

Status SessionStore::deleteRun(qint64 runId)
{
    const QString what = QStringLiteral("deleting run %1").arg(runId);
    return inTransaction(*this, true, what, [&]() -> Status {
        auto planId = selectValue(QStringLiteral("SELECT plan_id FROM runs WHERE id = ?"), {runId}, what,
                                  QStringLiteral("no such run"));
        if (!planId)
            return Error {planId.error()};
        if (Status s = execute(QStringLiteral("DELETE FROM runs WHERE id = ?"), {runId}, what); !s)
            return s;
        return deletePlanIfUnused(planId->toLongLong());
    });
}

Status SessionStore::setRunNotes(qint64 runId, const QString &notes, const QStringList &tags)
{
    const QString what = QStringLiteral("saving the notes of run %1").arg(runId);
    if (Status s = requireSchema(2, QStringLiteral("run notes and tags")); !s)
        return s;
    return inTransaction(*this, true, what, [&]() -> Status {
        if (Status s = updateOne(QStringLiteral("UPDATE runs SET notes = ? WHERE id = ?"), {notes, runId},
                                 what, QStringLiteral("no such run"));
            !s)
            return s;
        if (Status s = execute(QStringLiteral("DELETE FROM run_tags WHERE run_id = ?"), {runId}, what); !s)
            return s;
        return insertTags(runId, tags, what);
    });
}

Expected<RunRecord> SessionStore::loadRunRow(qint64 runId)
{
    const QString what = QStringLiteral("reading run %1").arg(runId);
    auto q
        = execRow(QStringLiteral("SELECT session_id, kind, status, plan_id, started, finished, wall_seconds,"
                                 " program_version, expected_layers, layer_count%1%2 FROM runs WHERE id = ?")
                      .arg(mSchemaVersion >= 2 ? QStringLiteral(", error, notes") : QString(),
                           mSchemaVersion >= 4 ? QStringLiteral(", details") : QString()),
                  {runId}, what, QStringLiteral("no such run"));
    if (!q)
        return Error {q.error()};
    RunRecord r;
    r.id = runId;
    r.sessionId = q->value(0).toLongLong();
    r.kind = q->value(1).toString();
    const auto status = runStatusFromName(q->value(2).toString());
    if (!status)
        return sqlError(what, QStringLiteral("unknown status '%1'").arg(q->value(2).toString()));
    r.status = *status;
    const qint64 planId = q->value(3).toLongLong();
    r.started = parseTime(q->value(4));
    r.finished = parseTime(q->value(5));
    r.wallSeconds = q->value(6).toDouble();
    r.programVersion = q->value(7).toString();
    r.expectedLayers = q->value(8).toInt();
    r.layerCount = q->value(9).toInt();
    if (mSchemaVersion >= 2) {
        r.error = q->value(10).toString();
        r.notes = q->value(11).toString();
    }
    if (mSchemaVersion >= 4)
        r.details = QJsonDocument::fromJson(q->value(12).toString().toUtf8()).object();
    q->finish();
    auto plan = loadPlan(planId);
    if (!plan)
        return Error {plan.error()};
    r.plan = *plan;
    if (mSchemaVersion >= 2) {
        auto tags = readRows(
            exec(QStringLiteral("SELECT tag FROM run_tags WHERE run_id = ? ORDER BY tag"), {runId}, what),
            firstColumnText);
        if (!tags)
            return Error {tags.error()};
        r.tags = *tags;
    }
    auto perplexities = loadPerplexities(runId);
    if (!perplexities)
        return Error {perplexities.error()};
    r.perplexities = *perplexities;
    return r;
}

Expected<QList<PerplexityRecord>> SessionStore::loadPerplexities(qint64 runId)
{
    return readRows(
        exec(QStringLiteral(
                 "SELECT label, text_path, text_fingerprint, window_length, tokens, nll, perplexity,"
                 " seconds%1 FROM perplexities WHERE run_id = ? ORDER BY id")
                 .arg(mSchemaVersion >= 3 ? QStringLiteral(", ") + kPerplexityComparisonColumns : QString()),
             {runId}, QStringLiteral("reading the perplexities of run %1").arg(runId)),
        perplexityFromRow);
}

Expected<QList<LayerRunRecord>> SessionStore::loadLayers(qint64 runId, bool withSpectra, const QString &what)
{
    return readRows(
        exec(QStringLiteral(
                 "SELECT layer, method, rank, in_features, out_features, weight_format, quant_error,"
                 " frob_error, rel_error, mean_abs_error, output_error, bits, seconds, alpha, extra%1"
                 " FROM run_layers WHERE run_id = ? ORDER BY position")
                 .arg(withSpectra ? QStringLiteral(", sv_error, sv_scaled") : QString()),
             {runId}, what),
        [withSpectra](const QSqlQuery &row) { return layerFromRow(row, withSpectra); });
}

Expected<RunRecord> SessionStore::run(qint64 runId, bool withSpectra)
{
    const QString what = QStringLiteral("reading run %1").arg(runId);
    // One read transaction: the run row and its layers come from the same snapshot even while
    // a writer appends, so layerCount always equals layers.size().
    auto record = inTransaction(*this, false, what, [&]() -> Expected<RunRecord> {
        auto r = loadRunRow(runId);
        if (!r)
            return r;
        auto layers = loadLayers(runId, withSpectra, what);
        if (!layers)
            return Error {layers.error()};
        r->layers = std::move(*layers);
        return r;
    });
    if (record && record->layers.size() != record->layerCount)
        return sqlError(what,
                        QStringLiteral("%1 layer rows for %2 recorded layers (damaged file?)")
                            .arg(record->layers.size())
                            .arg(record->layerCount));
    return record;
}

Expected<QList<RunRecord>> SessionStore::listRuns(qint64 sessionId)
{
    const QString what = QStringLiteral("listing the runs of session %1").arg(sessionId);
    return inTransaction(*this, false, what, [&]() -> Expected<QList<RunRecord>> {
        auto runIds = readRows(
            exec(QStringLiteral("SELECT id FROM runs WHERE session_id = ? ORDER BY id"), {sessionId}, what),
            firstColumnId);
        if (!runIds)
            return Error {runIds.error()};
        QList<RunRecord> runs;
        for (qint64 id : std::as_const(*runIds)) {
            auto r = loadRunRow(id);
            if (!r)
                return Error {r.error()};
            runs.append(*r);
        }
        return runs;
    });
}

Expected<int> SessionStore::recoverStaleRuns(qint64 staleSeconds)
{
    const QString what = QStringLiteral("recovering interrupted runs");
    if (mReadOnly)
        return 0;
    return inTransaction(*this, true, what, [&]() -> Expected<int> {
        auto q = exec(QStringLiteral("SELECT id, writer, heartbeat FROM runs WHERE status = 'running'"), {},
                      what);
        if (!q)
            return Error {q.error()};
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QList<qint64> stale;
        while (q->next()) {
            const Liveness live = writerLiveness(q->value(1).toString());
            const QDateTime heartbeat = parseTime(q->value(2));
            const bool silent = !heartbeat.isValid() || heartbeat.secsTo(now) > staleSeconds;
            if (live == Liveness::Dead || (live == Liveness::Unknown && silent))
                stale.append(q->value(0).toLongLong());
        }
        q->finish();
        for (qint64 id : stale) {
            // The run keeps the layers it had committed; 'interrupted' says they are not all.
            if (Status s
                = execute(QStringLiteral(
                              "UPDATE runs SET status = 'interrupted', finished = heartbeat WHERE id = ?"),
                          {id}, what);
                !s)
                return Error {s.error()};
        }
        return int(stale.size());
    });
}

Expected<QString> SessionStore::integrityCheck()
{
    auto integrity
        = readRows(exec(QStringLiteral("PRAGMA integrity_check"), {}, QStringLiteral("checking integrity")),
                   firstColumnText);
    if (!integrity)
        return Error {integrity.error()};
    auto foreignKeys = readRows(
        exec(QStringLiteral("PRAGMA foreign_key_check"), {}, QStringLiteral("checking foreign keys")),
        [](const QSqlQuery &row) {
            return QStringLiteral("foreign key violation in %1 row %2 (-> %3)")
                .arg(row.value(0).toString(), row.value(1).toString(), row.value(2).toString());
        });
    if (!foreignKeys)
        return Error {foreignKeys.error()};
    QStringList lines = *integrity + *foreignKeys;
    if (lines == QStringList {QStringLiteral("ok")})
        return QStringLiteral("ok");
    lines.removeAll(QStringLiteral("ok"));
    return lines.join(QLatin1Char('\n'));
}

// ---- export -----------------------------------------------------------------------------

Status SessionStore::exportRun(const RunExportConfig &config)
{
    const bool json = config.format == RunExportFormat::Json;
    auto r = run(config.runId, json && config.includeSpectra);
    if (!r)
        return Error {r.error()};
    if (r->status != RunStatus::Complete && !config.allowIncomplete)
        return makeError(
            QStringLiteral("run %1 is %2, not complete (%3 of %4 layers); export it anyway with --partial")
                .arg(config.runId)
                .arg(runStatusName(r->status))
                .arg(r->layerCount)
                .arg(r->expectedLayers));
    const QByteArray bytes = json ? runJson(*r, config.includeSpectra) : runCsv(*r);
    // Written to a temporary name and renamed when complete (ARCHITECTURE.md: exports).
    QSaveFile file(config.path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(QStringLiteral("cannot write %1: %2").arg(config.path, file.errorString()));
    if (file.write(bytes) != bytes.size() || !file.commit())
        return makeError(QStringLiteral("cannot write %1: %2").arg(config.path, file.errorString()));
    return Status::success();
}

} // namespace lqer
