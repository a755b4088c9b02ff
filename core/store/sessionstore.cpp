#include "sessionstore.h"

#include "schema.h"

#include "core/io/checkpoint.h"
#include "core/model/architecture.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSqlDriver>
#include <QSqlError>
#include <QStandardPaths>
#include <QSysInfo>
#include <QtEndian>

#include <atomic>
#include <cerrno>
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
        const float f = float(values[i]);
        quint32 bits;
        std::memcpy(&bits, &f, sizeof bits);
        qToLittleEndian(bits, out + i * sizeof bits);
    }
    return blob;
}

std::vector<double> blobToSpectrum(const QByteArray &blob)
{
    std::vector<double> values(size_t(blob.size()) / sizeof(quint32));
    const uchar *in = reinterpret_cast<const uchar *>(blob.constData());
    for (size_t i = 0; i < values.size(); ++i) {
        const quint32 bits = qFromLittleEndian<quint32>(in + i * sizeof bits);
        float f;
        std::memcpy(&f, &bits, sizeof f);
        values[i] = double(f);
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

QString csvField(const QString &text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"'))
        && !text.contains(QLatin1Char('\n')))
        return text;
    QString quoted = text;
    quoted.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString number(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

// float32-stored values printed as the shortest decimal of the float (0.3, not 0.30000001192).
QJsonArray spectrumJson(const std::vector<double> &values)
{
    QJsonArray array;
    for (double v : values)
        array.append(QString::number(float(v), 'g', QLocale::FloatingPointShortest).toDouble());
    return array;
}

std::atomic<int> gConnectionCounter {0};

// The SQLite driver binds a null QString as SQL NULL; text columns are NOT NULL with '' for
// "none", so an empty value must be a non-null empty string.
QVariant textValue(const QString &text)
{
    return text.isNull() ? QVariant(QString(QLatin1String(""))) : QVariant(text);
}

} // namespace

ModelRecord modelRecordFor(const Checkpoint &checkpoint)
{
    ModelRecord m;
    m.path = QFileInfo(checkpoint.directory()).absoluteFilePath();
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
    const QFileInfo info(path);

    // Checks before SQLite touches anything: SQLite would happily turn a file it cannot parse
    // into an error later, but must never be given the chance to write into someone's file.
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
    } else {
        if (readOnly)
            return makeError(QStringLiteral("session store %1: no such file").arg(path));
        if (!QDir().mkpath(info.absolutePath()))
            return makeError(
                QStringLiteral("session store %1: cannot create the folder %2 (read-only location?)")
                    .arg(path, info.absolutePath()));
        if (!QFileInfo(info.absolutePath()).isWritable())
            return makeError(QStringLiteral("session store %1: the folder %2 is read-only")
                                 .arg(path, info.absolutePath()));
    }

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
    if (auto q = exec(QStringLiteral("PRAGMA busy_timeout = %1").arg(config.busyTimeoutMs), {},
                      QStringLiteral("setup"));
        !q)
        return Error {q.error()};
    // The first real read: a damaged header or a non-database file fails here.
    auto master = exec(QStringLiteral("SELECT count(*) FROM sqlite_master"), {},
                       QStringLiteral("reading the schema"));
    if (!master)
        return makeError(master.error() + QStringLiteral(" (the file was left untouched)"));
    master->next();
    const qint64 objects = master->value(0).toLongLong();
    master->finish();

    auto version
        = exec(QStringLiteral("PRAGMA user_version"), {}, QStringLiteral("reading the schema version"));
    if (!version)
        return Error {version.error()};
    version->next();
    mSchemaVersion = version->value(0).toInt();
    version->finish();
    auto appId
        = exec(QStringLiteral("PRAGMA application_id"), {}, QStringLiteral("reading the application id"));
    if (!appId)
        return Error {appId.error()};
    appId->next();
    const int applicationId = appId->value(0).toInt();
    appId->finish();

    if (mSchemaVersion == 0 && objects > 0)
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

    if (auto q = exec(QStringLiteral("PRAGMA foreign_keys = ON"), {}, QStringLiteral("setup")); !q)
        return Error {q.error()};

    if (mReadOnly) {
        if (mSchemaVersion == 0)
            return makeError(QStringLiteral("session store %1: empty file, no sessions yet").arg(mPath));
        return Status::success();
    }

    // WAL: readers see the last committed state while a job writes, and a killed writer
    // leaves a journal that the next open rolls back. synchronous=NORMAL is durable against
    // process crashes (only a power cut can lose the last transactions, never corrupt).
    auto wal = exec(QStringLiteral("PRAGMA journal_mode = WAL"), {}, QStringLiteral("enabling WAL"));
    if (!wal)
        return Error {wal.error()};
    wal->finish();
    if (auto q = exec(QStringLiteral("PRAGMA synchronous = NORMAL"), {}, QStringLiteral("setup")); !q)
        return Error {q.error()};
    // A big run passes through the WAL; without a limit the -wal file keeps its peak size.
    if (auto q = exec(QStringLiteral("PRAGMA journal_size_limit = 16777216"), {}, QStringLiteral("setup"));
        !q)
        return Error {q.error()};
    if (config.maxPageCount > 0) {
        if (auto q = exec(QStringLiteral("PRAGMA max_page_count = %1").arg(config.maxPageCount), {},
                          QStringLiteral("setup"));
            !q)
            return Error {q.error()};
    }

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

Status SessionStore::migrate(int targetVersion)
{
    while (true) {
        // One transaction per version: a failed migration leaves the previous version intact.
        // The version is re-read inside it, so two processes opening a new file do not both
        // create the tables.
        StoreTransaction tx(*this, true);
        if (Status s = tx.begin(QStringLiteral("migrating")); !s)
            return s;
        auto version = exec(QStringLiteral("PRAGMA user_version"), {}, QStringLiteral("migrating"));
        if (!version)
            return Error {version.error()};
        version->next();
        const int current = version->value(0).toInt();
        version->finish();
        if (current >= targetVersion) {
            mSchemaVersion = current;
            return tx.commit(QStringLiteral("migrating"));
        }
        const int next = current + 1;
        const QString what = QStringLiteral("migrating schema %1 -> %2").arg(current).arg(next);
        for (const QString &sql : storeschema::migrationTo(next)) {
            if (auto q = exec(sql, {}, what); !q)
                return Error {q.error()};
        }
        if (auto q = exec(QStringLiteral("PRAGMA user_version = %1").arg(next), {}, what); !q)
            return Error {q.error()};
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
    auto q = exec(
        QStringLiteral("SELECT preset, quantize_attention_matmuls, svd_backend, calib_samples, calib_seq_len,"
                       " calib_text_path FROM plans WHERE id = ?"),
        {planId}, what);
    if (!q)
        return Error {q.error()};
    if (!q->next())
        return sqlError(what, QStringLiteral("no such plan"));
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
        const QString where
            = name.isEmpty() ? QStringLiteral("defaults") : QStringLiteral("layer '%1'").arg(name);
        LayerPlan lp;
        lp.quantize = layers->value(1).toInt() != 0;
        QuantFormat *formats[] = {&lp.weight, &lp.act, &lp.lowRank};
        for (int i = 0; i < 3; ++i) {
            auto f = QuantFormat::parse(layers->value(2 + i).toString());
            if (!f)
                return sqlError(what, QStringLiteral("%1: %2").arg(where, f.error()));
            *formats[i] = *f;
        }
        const auto method = methodFromName(layers->value(5).toString());
        if (!method)
            return sqlError(
                what, QStringLiteral("%1: unknown method '%2'").arg(where, layers->value(5).toString()));
        lp.method = *method;
        lp.rank = layers->value(6).toInt();
        if (name.isEmpty()) {
            plan.defaults = lp;
            haveDefaults = true;
        } else {
            plan.overrides.insert(name, lp);
        }
    }
    if (!haveDefaults)
        return sqlError(what, QStringLiteral("the plan has no default layer settings"));
    return plan;
}

Status SessionStore::deletePlanIfUnused(qint64 planId)
{
    const QString what = QStringLiteral("deleting plan %1").arg(planId);
    auto q
        = exec(QStringLiteral(
                   "DELETE FROM plans WHERE id = ? AND NOT EXISTS (SELECT 1 FROM sessions WHERE plan_id = ?)"
                   " AND NOT EXISTS (SELECT 1 FROM runs WHERE plan_id = ?)"),
               {planId, planId, planId}, what);
    if (!q)
        return Error {q.error()};
    return Status::success();
}

// ---- models -----------------------------------------------------------------------------

Expected<qint64> SessionStore::ensureModel(const ModelRecord &model)
{
    const QString what = QStringLiteral("recording model %1").arg(model.path);
    StoreTransaction tx(*this, true);
    if (Status s = tx.begin(what); !s)
        return Error {s.error()};
    auto found = exec(QStringLiteral("SELECT id FROM models WHERE path = ? AND fingerprint = ?"),
                      {model.path, model.fingerprint}, what);
    if (!found)
        return Error {found.error()};
    if (found->next()) {
        const qint64 id = found->value(0).toLongLong();
        found->finish();
        if (Status s = tx.commit(what); !s)
            return Error {s.error()};
        return id;
    }
    found->finish();
    auto q = exec(
        QStringLiteral("INSERT INTO models (path, architecture, fingerprint, parameters, file_bytes, created)"
                       " VALUES (?, ?, ?, ?, ?, ?)"),
        {model.path, model.architecture, model.fingerprint, model.parameters, model.fileBytes, nowText()},
        what);
    if (!q)
        return Error {q.error()};
    const qint64 id = q->lastInsertId().toLongLong();
    if (Status s = tx.commit(what); !s)
        return Error {s.error()};
    return id;
}

Expected<ModelRecord> SessionStore::model(qint64 modelId)
{
    const QString what = QStringLiteral("reading model %1").arg(modelId);
    auto q
        = exec(QStringLiteral(
                   "SELECT path, architecture, fingerprint, parameters, file_bytes FROM models WHERE id = ?"),
               {modelId}, what);
    if (!q)
        return Error {q.error()};
    if (!q->next())
        return sqlError(what, QStringLiteral("no such model"));
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
    StoreTransaction tx(*this, true);
    if (Status s = tx.begin(what); !s)
        return Error {s.error()};
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
        if (auto n
            = exec(QStringLiteral("UPDATE sessions SET notes = ? WHERE id = ?"), {session.notes, id}, what);
            !n)
            return Error {n.error()};
    }
    if (Status s = tx.commit(what); !s)
        return Error {s.error()};
    return id;
}

Status SessionStore::renameSession(qint64 sessionId, const QString &name)
{
    const QString what = QStringLiteral("renaming session %1").arg(sessionId);
    StoreTransaction tx(*this, true);
    if (Status s = tx.begin(what); !s)
        return s;
    auto q = exec(QStringLiteral("UPDATE sessions SET name = ?, modified = ? WHERE id = ?"),
                  {name, nowText(), sessionId}, what);
    if (!q)
        return Error {q.error()};
    if (q->numRowsAffected() != 1)
        return sqlError(what, QStringLiteral("no such session"));
    return tx.commit(what);
}

Status SessionStore::setSessionPlan(qint64 sessionId, const Plan &plan)
{
    const QString what = QStringLiteral("saving the plan of session %1").arg(sessionId);
    StoreTransaction tx(*this, true);
    if (Status s = tx.begin(what); !s)
        return s;
    auto old = exec(QStringLiteral("SELECT plan_id FROM sessions WHERE id = ?"), {sessionId}, what);
    if (!old)
        return Error {old.error()};
    if (!old->next())
        return sqlError(what, QStringLiteral("no such session"));
    const qint64 oldPlan = old->value(0).toLongLong();
    old->finish();
    auto planId = insertPlan(plan);
    if (!planId)
        return Error {planId.error()};
    auto q = exec(QStringLiteral("UPDATE sessions SET plan_id = ?, modified = ? WHERE id = ?"),
                  {*planId, nowText(), sessionId}, what);
    if (!q)
        return Error {q.error()};
    if (Status s = deletePlanIfUnused(oldPlan); !s)
        return s;
    return tx.commit(what);
}

Status SessionStore::setSessionStats(qint64 sessionId, const QString &statsPath,
                                     const QString &statsFingerprint)
{
    const QString what = QStringLiteral("saving the statistics of session %1").arg(sessionId);
    StoreTransaction tx(*this, true);
    if (Status s = tx.begin(what); !s)
        return s;
    auto q = exec(QStringLiteral(
                      "UPDATE sessions SET stats_path = ?, stats_fingerprint = ?, modified = ? WHERE id = ?"),
                  {statsPath, statsFingerprint, nowText(), sessionId}, what);
    if (!q)
        return Error {q.error()};
    if (q->numRowsAffected() != 1)
        return sqlError(what, QStringLiteral("no such session"));
    return tx.commit(what);
}

Status SessionStore::setSessionNotes(qint64 sessionId, const QString &notes)
{
    const QString what = QStringLiteral("saving the notes of session %1").arg(sessionId);
    if (Status s = requireSchema(2, QStringLiteral("session notes")); !s)
        return s;
    StoreTransaction tx(*this, true);
    if (Status s = tx.begin(what); !s)
        return s;
    auto q = exec(QStringLiteral("UPDATE sessions SET notes = ?, modified = ? WHERE id = ?"),
                  {notes, nowText(), sessionId}, what);
    if (!q)
        return Error {q.error()};
    if (q->numRowsAffected() != 1)
        return sqlError(what, QStringLiteral("no such session"));
    return tx.commit(what);
}

Status SessionStore::deleteSession(qint64 sessionId)
{
    const QString what = QStringLiteral("deleting session %1").arg(sessionId);
    StoreTransaction tx(*this, true);
    if (Status s = tx.begin(what); !s)
        return s;
    auto plans
        = exec(QStringLiteral("SELECT plan_id FROM sessions WHERE id = ? UNION SELECT plan_id FROM runs"
                              " WHERE session_id = ?"),
               {sessionId, sessionId}, what);
    if (!plans)
        return Error {plans.error()};
    QList<qint64> planIds;
    while (plans->next())
        planIds.append(plans->value(0).toLongLong());
    plans->finish();
    // Runs, their layers, perplexities and tags go by ON DELETE CASCADE.
    auto q = exec(QStringLiteral("DELETE FROM sessions WHERE id = ?"), {sessionId}, what);
    if (!q)
        return Error {q.error()};
    if (q->numRowsAffected() != 1)
        return sqlError(what, QStringLiteral("no such session"));
    for (qint64 planId : planIds) {
        if (Status s = deletePlanIfUnused(planId); !s)
            return s;
    }
    return tx.commit(what);
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
    const QString what = QStringLiteral("listing sessions");
    auto q = exec(
        QStringLiteral("SELECT s.id, s.name, m.path, m.architecture, s.created, s.modified,"
                       " (SELECT count(*) FROM runs r WHERE r.session_id = s.id),"
                       " (SELECT status FROM runs r WHERE r.session_id = s.id ORDER BY r.id DESC LIMIT 1)"
                       " FROM sessions s JOIN models m ON m.id = s.model_id ORDER BY s.id"),
        {}, what);
    if (!q)
        return Error {q.error()};
    QList<SessionSummary> list;
    while (q->next()) {
        SessionSummary s;
        s.id = q->value(0).toLongLong();
        s.name = q->value(1).toString();
        s.modelPath = q->value(2).toString();
        s.architecture = q->value(3).toString();
        s.created = parseTime(q->value(4));
        s.modified = parseTime(q->value(5));
        s.runCount = q->value(6).toInt();
        s.lastRunStatus = q->value(7).toString();
        list.append(s);
    }
    return list;
}

Expected<SessionRecord> SessionStore::session(qint64 sessionId)
{
    const QString what = QStringLiteral("reading session %1").arg(sessionId);
    StoreTransaction tx(*this, false);
    if (Status s = tx.begin(what); !s)
        return Error {s.error()};
    auto q = exec(
        QStringLiteral("SELECT name, model_id, plan_id, stats_path, stats_fingerprint, created, modified%1"
                       " FROM sessions WHERE id = ?")
            .arg(mSchemaVersion >= 2 ? QStringLiteral(", notes") : QString()),
        {sessionId}, what);
    if (!q)
        return Error {q.error()};
    if (!q->next())
        return sqlError(what, QStringLiteral("no such session"));
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
    if (Status st = tx.commit(what); !st)
        return Error {st.error()};
    return s;
}

// ---- runs -------------------------------------------------------------------------------

Expected<qint64> SessionStore::beginRun(const NewRun &run)
{
    const QString what = QStringLiteral("starting a %1 run in session %2").arg(run.kind).arg(run.sessionId);
    StoreTransaction tx(*this, true);
    if (Status s = tx.begin(what); !s)
        return Error {s.error()};
    auto exists = exec(QStringLiteral("SELECT 1 FROM sessions WHERE id = ?"), {run.sessionId}, what);
    if (!exists)
        return Error {exists.error()};
    if (!exists->next())
        return sqlError(what, QStringLiteral("no such session"));
    exists->finish();
    auto planId = insertPlan(run.plan);
    if (!planId)
        return Error {planId.error()};
    const QString now = nowText();
    const QString version
        = run.programVersion.isEmpty() ? QStringLiteral(LQER_VERSION_STRING) : run.programVersion;
    auto q
        = exec(QStringLiteral(
                   "INSERT INTO runs (session_id, kind, status, plan_id, started, heartbeat, program_version,"
                   " writer, expected_layers) VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?)"),
               {run.sessionId, run.kind, *planId, now, now, version, mWriterToken, run.expectedLayers}, what);
    if (!q)
        return Error {q.error()};
    const qint64 runId = q->lastInsertId().toLongLong();
    if (mSchemaVersion >= 2) {
        if (auto n = exec(QStringLiteral("UPDATE runs SET notes = ? WHERE id = ?"), {run.notes, runId}, what);
            !n)
            return Error {n.error()};
        for (const QString &tag : run.tags) {
            if (auto t = exec(QStringLiteral("INSERT OR IGNORE INTO run_tags (run_id, tag) VALUES (?, ?)"),
                              {runId, tag}, what);
                !t)
                return Error {t.error()};
        }
    }
    if (auto u
        = exec(QStringLiteral("UPDATE sessions SET modified = ? WHERE id = ?"), {now, run.sessionId}, what);
        !u)
        return Error {u.error()};
    if (Status s = tx.commit(what); !s)
        return Error {s.error()};
    return runId;
}

Status SessionStore::appendLayers(qint64 runId, const QList<LayerRunRecord> &layers)
{
    const QString what = QStringLiteral("saving %1 layer results of run %2").arg(layers.size()).arg(runId);
    StoreTransaction tx(*this, true);
    if (Status s = tx.begin(what); !s)
        return s;
    auto run = exec(QStringLiteral("SELECT status, layer_count FROM runs WHERE id = ?"), {runId}, what);
    if (!run)
        return Error {run.error()};
    if (!run->next())
        return sqlError(what, QStringLiteral("no such run"));
    const QString status = run->value(0).toString();
    int position = run->value(1).toInt();
    run->finish();
    if (status != runStatusName(RunStatus::Running))
        return sqlError(what, QStringLiteral("the run is %1; a finished run cannot be changed").arg(status));

    QSqlQuery insert(mDb);
    if (!insert.prepare(
            QStringLiteral("INSERT INTO run_layers (run_id, position, layer, method, rank, in_features,"
                           " out_features, weight_format, quant_error, frob_error, rel_error, mean_abs_error,"
                           " output_error, bits, seconds, alpha, sv_error, sv_scaled, extra)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")))
        return sqlError(what, insert.lastError().databaseText());
    for (const LayerRunRecord &l : layers) {
        int i = 0;
        insert.bindValue(i++, runId);
        insert.bindValue(i++, position);
        insert.bindValue(i++, textValue(l.layer));
        insert.bindValue(i++, textValue(l.method));
        insert.bindValue(i++, l.rank);
        insert.bindValue(i++, l.inFeatures);
        insert.bindValue(i++, l.outFeatures);
        insert.bindValue(i++, textValue(l.weightFormat));
        insert.bindValue(i++, l.quantError);
        insert.bindValue(i++, l.frobError);
        insert.bindValue(i++, l.relError);
        insert.bindValue(i++, l.meanAbsError);
        insert.bindValue(i++, l.outputError);
        insert.bindValue(i++, l.bits);
        insert.bindValue(i++, l.seconds);
        insert.bindValue(i++, l.alpha);
        insert.bindValue(i++, spectrumToBlob(l.svError));
        insert.bindValue(i++, spectrumToBlob(l.svScaled));
        insert.bindValue(i++, QString::fromUtf8(QJsonDocument(l.extra).toJson(QJsonDocument::Compact)));
        if (!insert.exec())
            return sqlError(QStringLiteral("saving layer %1 of run %2").arg(l.layer).arg(runId),
                            insert.lastError().databaseText());
        ++position;
    }
    insert.finish();
    auto update = exec(QStringLiteral("UPDATE runs SET layer_count = ?, heartbeat = ? WHERE id = ?"),
                       {position, nowText(), runId}, what);
    if (!update)
        return Error {update.error()};
    return tx.commit(what);
}

Status SessionStore::addPerplexity(qint64 runId, const PerplexityRecord &p)
{
    const QString what = QStringLiteral("saving perplexity '%1' of run %2").arg(p.label).arg(runId);
    StoreTransaction tx(*this, true);
    if (Status s = tx.begin(what); !s)
        return s;
    auto run = exec(QStringLiteral("SELECT status FROM runs WHERE id = ?"), {runId}, what);
    if (!run)
        return Error {run.error()};
    if (!run->next())
        return sqlError(what, QStringLiteral("no such run"));
    const QString status = run->value(0).toString();
    run->finish();
    if (status != runStatusName(RunStatus::Running))
        return sqlError(what, QStringLiteral("the run is %1; a finished run cannot be changed").arg(status));
    auto q = exec(
        QStringLiteral("INSERT INTO perplexities (run_id, label, text_path, text_fingerprint, window_length,"
                       " tokens, nll, perplexity, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        {runId, p.label, p.textPath, p.textFingerprint, p.windowLength, p.tokens, p.nll, p.perplexity,
         p.seconds},
        what);
    if (!q)
        return Error {q.error()};
    if (auto u = exec(QStringLiteral("UPDATE runs SET heartbeat = ? WHERE id = ?"), {nowText(), runId}, what);
        !u)
        return Error {u.error()};
    return tx.commit(what);
}

Status SessionStore::finishRun(qint64 runId, RunStatus status, double wallSeconds, const QString &error)
{
    const QString what = QStringLiteral("finishing run %1 as %2").arg(runId).arg(runStatusName(status));
    if (status == RunStatus::Running)
        return sqlError(what, QStringLiteral("a run cannot be finished as 'running'"));
    StoreTransaction tx(*this, true);
    if (Status s = tx.begin(what); !s)
        return s;
    const QString now = nowText();
    // Only a running run can be finished: 'complete' is written once, after every layer.
    auto q = exec(QStringLiteral("UPDATE runs SET status = ?, finished = ?, heartbeat = ?, wall_seconds = ?"
                                 " WHERE id = ? AND status = 'running'"),
                  {runStatusName(status), now, now, wallSeconds, runId}, what);
    if (!q)
        return Error {q.error()};
    if (q->numRowsAffected() != 1) {
        auto current = exec(QStringLiteral("SELECT status FROM runs WHERE id = ?"), {runId}, what);
        if (!current)
            return Error {current.error()};
        if (!current->next())
            return sqlError(what, QStringLiteral("no such run"));
        return sqlError(what, QStringLiteral("the run is already %1").arg(current->value(0).toString()));
    }
    if (mSchemaVersion >= 2 && !error.isEmpty()) {
        if (auto e = exec(QStringLiteral("UPDATE runs SET error = ? WHERE id = ?"), {error, runId}, what); !e)
            return Error {e.error()};
    }
    if (auto u
        = exec(QStringLiteral(
                   "UPDATE sessions SET modified = ? WHERE id = (SELECT session_id FROM runs WHERE id = ?)"),
               {now, runId}, what);
        !u)
        return Error {u.error()};
    return tx.commit(what);
}

Status SessionStore::deleteRun(qint64 runId)
{
    const QString what = QStringLiteral("deleting run %1").arg(runId);
    StoreTransaction tx(*this, true);
    if (Status s = tx.begin(what); !s)
        return s;
    auto plan = exec(QStringLiteral("SELECT plan_id FROM runs WHERE id = ?"), {runId}, what);
    if (!plan)
        return Error {plan.error()};
    if (!plan->next())
        return sqlError(what, QStringLiteral("no such run"));
    const qint64 planId = plan->value(0).toLongLong();
    plan->finish();
    if (auto q = exec(QStringLiteral("DELETE FROM runs WHERE id = ?"), {runId}, what); !q)
        return Error {q.error()};
    if (Status s = deletePlanIfUnused(planId); !s)
        return s;
    return tx.commit(what);
}

Status SessionStore::setRunNotes(qint64 runId, const QString &notes, const QStringList &tags)
{
    const QString what = QStringLiteral("saving the notes of run %1").arg(runId);
    if (Status s = requireSchema(2, QStringLiteral("run notes and tags")); !s)
        return s;
    StoreTransaction tx(*this, true);
    if (Status s = tx.begin(what); !s)
        return s;
    auto q = exec(QStringLiteral("UPDATE runs SET notes = ? WHERE id = ?"), {notes, runId}, what);
    if (!q)
        return Error {q.error()};
    if (q->numRowsAffected() != 1)
        return sqlError(what, QStringLiteral("no such run"));
    if (auto d = exec(QStringLiteral("DELETE FROM run_tags WHERE run_id = ?"), {runId}, what); !d)
        return Error {d.error()};
    for (const QString &tag : tags) {
        if (auto t = exec(QStringLiteral("INSERT OR IGNORE INTO run_tags (run_id, tag) VALUES (?, ?)"),
                          {runId, tag}, what);
            !t)
            return Error {t.error()};
    }
    return tx.commit(what);
}

Expected<RunRecord> SessionStore::loadRunRow(qint64 runId)
{
    const QString what = QStringLiteral("reading run %1").arg(runId);
    auto q = exec(QStringLiteral("SELECT session_id, kind, status, plan_id, started, finished, wall_seconds,"
                                 " program_version, expected_layers, layer_count%1 FROM runs WHERE id = ?")
                      .arg(mSchemaVersion >= 2 ? QStringLiteral(", error, notes") : QString()),
                  {runId}, what);
    if (!q)
        return Error {q.error()};
    if (!q->next())
        return sqlError(what, QStringLiteral("no such run"));
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
    q->finish();
    auto plan = loadPlan(planId);
    if (!plan)
        return Error {plan.error()};
    r.plan = *plan;
    if (mSchemaVersion >= 2) {
        auto tags
            = exec(QStringLiteral("SELECT tag FROM run_tags WHERE run_id = ? ORDER BY tag"), {runId}, what);
        if (!tags)
            return Error {tags.error()};
        while (tags->next())
            r.tags.append(tags->value(0).toString());
    }
    auto perplexities = loadPerplexities(runId);
    if (!perplexities)
        return Error {perplexities.error()};
    r.perplexities = *perplexities;
    return r;
}

Expected<QList<PerplexityRecord>> SessionStore::loadPerplexities(qint64 runId)
{
    auto q = exec(
        QStringLiteral("SELECT label, text_path, text_fingerprint, window_length, tokens, nll, perplexity,"
                       " seconds FROM perplexities WHERE run_id = ? ORDER BY id"),
        {runId}, QStringLiteral("reading the perplexities of run %1").arg(runId));
    if (!q)
        return Error {q.error()};
    QList<PerplexityRecord> list;
    while (q->next()) {
        PerplexityRecord p;
        p.label = q->value(0).toString();
        p.textPath = q->value(1).toString();
        p.textFingerprint = q->value(2).toString();
        p.windowLength = q->value(3).toInt();
        p.tokens = q->value(4).toLongLong();
        p.nll = q->value(5).toDouble();
        p.perplexity = q->value(6).toDouble();
        p.seconds = q->value(7).toDouble();
        list.append(p);
    }
    return list;
}

Expected<RunRecord> SessionStore::run(qint64 runId, bool withSpectra)
{
    const QString what = QStringLiteral("reading run %1").arg(runId);
    // One read transaction: the run row and its layers come from the same snapshot even while
    // a writer appends, so layerCount always equals layers.size().
    StoreTransaction tx(*this, false);
    if (Status s = tx.begin(what); !s)
        return Error {s.error()};
    auto record = loadRunRow(runId);
    if (!record)
        return record;
    auto q = exec(
        QStringLiteral("SELECT layer, method, rank, in_features, out_features, weight_format, quant_error,"
                       " frob_error, rel_error, mean_abs_error, output_error, bits, seconds, alpha, extra%1"
                       " FROM run_layers WHERE run_id = ? ORDER BY position")
            .arg(withSpectra ? QStringLiteral(", sv_error, sv_scaled") : QString()),
        {runId}, what);
    if (!q)
        return Error {q.error()};
    while (q->next()) {
        LayerRunRecord l;
        l.layer = q->value(0).toString();
        l.method = q->value(1).toString();
        l.rank = q->value(2).toInt();
        l.inFeatures = q->value(3).toLongLong();
        l.outFeatures = q->value(4).toLongLong();
        l.weightFormat = q->value(5).toString();
        l.quantError = q->value(6).toDouble();
        l.frobError = q->value(7).toDouble();
        l.relError = q->value(8).toDouble();
        l.meanAbsError = q->value(9).toDouble();
        l.outputError = q->value(10).toDouble();
        l.bits = q->value(11).toDouble();
        l.seconds = q->value(12).toDouble();
        l.alpha = q->value(13).toDouble();
        l.extra = QJsonDocument::fromJson(q->value(14).toString().toUtf8()).object();
        if (withSpectra) {
            l.svError = blobToSpectrum(q->value(15).toByteArray());
            l.svScaled = blobToSpectrum(q->value(16).toByteArray());
        }
        record->layers.append(std::move(l));
    }
    q->finish();
    if (Status s = tx.commit(what); !s)
        return Error {s.error()};
    if (record->layers.size() != record->layerCount)
        return sqlError(what,
                        QStringLiteral("%1 layer rows for %2 recorded layers (damaged file?)")
                            .arg(record->layers.size())
                            .arg(record->layerCount));
    return record;
}

Expected<QList<RunRecord>> SessionStore::listRuns(qint64 sessionId)
{
    const QString what = QStringLiteral("listing the runs of session %1").arg(sessionId);
    StoreTransaction tx(*this, false);
    if (Status s = tx.begin(what); !s)
        return Error {s.error()};
    auto ids
        = exec(QStringLiteral("SELECT id FROM runs WHERE session_id = ? ORDER BY id"), {sessionId}, what);
    if (!ids)
        return Error {ids.error()};
    QList<qint64> runIds;
    while (ids->next())
        runIds.append(ids->value(0).toLongLong());
    ids->finish();
    QList<RunRecord> runs;
    for (qint64 id : runIds) {
        auto r = loadRunRow(id);
        if (!r)
            return Error {r.error()};
        runs.append(*r);
    }
    if (Status s = tx.commit(what); !s)
        return Error {s.error()};
    return runs;
}

Expected<int> SessionStore::recoverStaleRuns(qint64 staleSeconds)
{
    const QString what = QStringLiteral("recovering interrupted runs");
    if (mReadOnly)
        return 0;
    StoreTransaction tx(*this, true);
    if (Status s = tx.begin(what); !s)
        return Error {s.error()};
    auto q
        = exec(QStringLiteral("SELECT id, writer, heartbeat FROM runs WHERE status = 'running'"), {}, what);
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
        if (auto u = exec(
                QStringLiteral("UPDATE runs SET status = 'interrupted', finished = heartbeat WHERE id = ?"),
                {id}, what);
            !u)
            return Error {u.error()};
    }
    if (Status s = tx.commit(what); !s)
        return Error {s.error()};
    return int(stale.size());
}

Expected<QString> SessionStore::integrityCheck()
{
    auto q = exec(QStringLiteral("PRAGMA integrity_check"), {}, QStringLiteral("checking integrity"));
    if (!q)
        return Error {q.error()};
    QStringList lines;
    while (q->next())
        lines.append(q->value(0).toString());
    q->finish();
    auto fk = exec(QStringLiteral("PRAGMA foreign_key_check"), {}, QStringLiteral("checking foreign keys"));
    if (!fk)
        return Error {fk.error()};
    while (fk->next())
        lines.append(QStringLiteral("foreign key violation in %1 row %2 (-> %3)")
                         .arg(fk->value(0).toString(), fk->value(1).toString(), fk->value(2).toString()));
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

    QByteArray bytes;
    if (json) {
        QJsonArray layers;
        for (const LayerRunRecord &l : r->layers) {
            QJsonObject o {
                {QStringLiteral("layer"), l.layer},
                {QStringLiteral("method"), l.method},
                {QStringLiteral("rank"), l.rank},
                {QStringLiteral("in_features"), l.inFeatures},
                {QStringLiteral("out_features"), l.outFeatures},
                {QStringLiteral("weight_format"), l.weightFormat},
                {QStringLiteral("quant_error"), l.quantError},
                {QStringLiteral("frob_error"), l.frobError},
                {QStringLiteral("rel_error"), l.relError},
                {QStringLiteral("mean_abs_error"), l.meanAbsError},
                {QStringLiteral("bits"), l.bits},
                {QStringLiteral("seconds"), l.seconds},
                {QStringLiteral("alpha"), l.alpha},
            };
            // A negative output error means "not measured": JSON says so with null.
            o.insert(QStringLiteral("output_error"),
                     l.outputError < 0 ? QJsonValue() : QJsonValue(l.outputError));
            if (!l.extra.isEmpty())
                o.insert(QStringLiteral("extra"), l.extra);
            if (config.includeSpectra) {
                o.insert(QStringLiteral("sv_error"), spectrumJson(l.svError));
                o.insert(QStringLiteral("sv_scaled"), spectrumJson(l.svScaled));
            }
            layers.append(o);
        }
        QJsonArray ppl;
        for (const PerplexityRecord &p : r->perplexities) {
            ppl.append(QJsonObject {
                {QStringLiteral("label"), p.label},
                {QStringLiteral("text_path"), p.textPath},
                {QStringLiteral("text_fingerprint"), p.textFingerprint},
                {QStringLiteral("window_length"), p.windowLength},
                {QStringLiteral("tokens"), p.tokens},
                {QStringLiteral("nll"), p.nll},
                {QStringLiteral("perplexity"), p.perplexity},
                {QStringLiteral("seconds"), p.seconds},
            });
        }
        QJsonObject root {
            {QStringLiteral("run_id"), r->id},
            {QStringLiteral("session_id"), r->sessionId},
            {QStringLiteral("kind"), r->kind},
            {QStringLiteral("status"), runStatusName(r->status)},
            {QStringLiteral("started"), r->started.toString(Qt::ISODateWithMs)},
            {QStringLiteral("finished"), r->finished.toString(Qt::ISODateWithMs)},
            {QStringLiteral("wall_seconds"), r->wallSeconds},
            {QStringLiteral("program_version"), r->programVersion},
            {QStringLiteral("expected_layers"), r->expectedLayers},
            {QStringLiteral("plan"), r->plan.toJson()},
            {QStringLiteral("perplexities"), ppl},
            {QStringLiteral("layers"), layers},
        };
        if (!r->error.isEmpty())
            root.insert(QStringLiteral("error"), r->error);
        if (!r->notes.isEmpty())
            root.insert(QStringLiteral("notes"), r->notes);
        if (!r->tags.isEmpty())
            root.insert(QStringLiteral("tags"), QJsonArray::fromStringList(r->tags));
        bytes = QJsonDocument(root).toJson(QJsonDocument::Indented);
    } else {
        QString text
            = QStringLiteral("layer,method,rank,in_features,out_features,weight_format,bits,quant_error,"
                             "frob_error,rel_error,mean_abs_error,output_error,alpha,seconds\n");
        for (const LayerRunRecord &l : r->layers) {
            const QStringList fields {
                csvField(l.layer),
                csvField(l.method),
                QString::number(l.rank),
                QString::number(l.inFeatures),
                QString::number(l.outFeatures),
                csvField(l.weightFormat),
                number(l.bits),
                number(l.quantError),
                number(l.frobError),
                number(l.relError),
                number(l.meanAbsError),
                l.outputError < 0 ? QString() : number(l.outputError),
                number(l.alpha),
                number(l.seconds),
            };
            text += fields.join(QLatin1Char(',')) + QLatin1Char('\n');
        }
        bytes = text.toUtf8();
    }

    // Written to a temporary name and renamed when complete (ARCHITECTURE.md: exports).
    QSaveFile file(config.path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(QStringLiteral("cannot write %1: %2").arg(config.path, file.errorString()));
    if (file.write(bytes) != bytes.size() || !file.commit())
        return makeError(QStringLiteral("cannot write %1: %2").arg(config.path, file.errorString()));
    return Status::success();
}

} // namespace lqer
