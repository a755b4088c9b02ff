#include "cluster.h"

#include <QtGlobal>

#include <chrono>
#include <climits>
#include <cstdlib>
#include <thread>

#if LQER_HAVE_MPI
#include <mpi.h>
#endif

namespace lqer {

namespace {

// The number of ranks an MPI launcher started, from its environment (1 without one).
int launcherSize()
{
    for (const char *name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
        bool ok = false;
        const int n = qEnvironmentVariableIntValue(name, &ok);
        if (ok && n > 0)
            return n;
    }
    if (qEnvironmentVariableIsSet("PMIX_RANK")) {
        bool ok = false;
        const int n = qEnvironmentVariableIntValue("SLURM_STEP_NUM_TASKS", &ok);
        if (ok && n > 0)
            return n;
    }
    return 1;
}

// srun started several tasks without a process-management interface the MPI library can use
// (srun --mpi=none, or a site default without PMI): each task would run the whole command.
Status checkSlurmStep()
{
    if (launcherSize() > 1 || qEnvironmentVariableIsSet("PMIX_RANK"))
        return Status::success();
    bool ok = false;
    const int tasks = qEnvironmentVariableIntValue("SLURM_STEP_NUM_TASKS", &ok);
    if (ok && tasks > 1)
        return makeError(QStringLiteral("started by srun with %1 tasks but without an MPI process-management "
                                        "interface, so each task would run the whole command: run srun "
                                        "--mpi=pmix (or --mpi=pmi2, whichever your Open MPI supports)")
                             .arg(tasks));
    return Status::success();
}

// Messages are sent in pieces of at most this many bytes (MPI counts are int).
constexpr qint64 kPiece = qint64(1) << 30;

} // namespace

Cluster &Cluster::world()
{
    static Cluster cluster;
    return cluster;
}

bool Cluster::available()
{
    return LQER_HAVE_MPI != 0;
}

QString Cluster::describe() const
{
    return QStringLiteral("rank %1 of %2").arg(mRank).arg(mSize);
}

#if LQER_HAVE_MPI

Status Cluster::init(int *argc, char ***argv)
{
    const int launched = launcherSize();
    if (launched <= 1)
        return checkSlurmStep();
    int provided = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        return makeError(
            QStringLiteral("MPI failed to start (%1 ranks asked by the launcher)").arg(launched));
    Cluster &c = world();
    c.mMpi = true;
    MPI_Comm_rank(MPI_COMM_WORLD, &c.mRank);
    MPI_Comm_size(MPI_COMM_WORLD, &c.mSize);
    // Errors come back as codes, so a failure is a message naming the rank, not a crash.
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    return Status::success();
}

void Cluster::finalize()
{
    Cluster &c = world();
    if (c.mMpi) {
        MPI_Finalize();
        c.mMpi = false;
    }
}

void Cluster::abort(int code) const
{
    if (mMpi)
        MPI_Abort(MPI_COMM_WORLD, code);
    std::exit(code);
}

namespace {

QString mpiError(int code, const char *what)
{
    char text[MPI_MAX_ERROR_STRING] = {};
    int length = 0;
    MPI_Error_string(code, text, &length);
    return QStringLiteral("MPI %1 failed: %2").arg(QLatin1String(what), QString::fromLocal8Bit(text, length));
}

} // namespace

Status Cluster::send(int destination, int tag, const QByteArray &data) const
{
    if (!mMpi)
        return makeError(QStringLiteral("MPI send: not running under MPI"));
    long long size = data.size();
    if (int rc = MPI_Send(&size, 1, MPI_LONG_LONG, destination, tag, MPI_COMM_WORLD); rc != MPI_SUCCESS)
        return makeError(mpiError(rc, "send"));
    for (qint64 at = 0; at < size; at += kPiece) {
        const int n = int(std::min(kPiece, size - at));
        if (int rc = MPI_Send(data.constData() + at, n, MPI_BYTE, destination, tag, MPI_COMM_WORLD);
            rc != MPI_SUCCESS)
            return makeError(mpiError(rc, "send"));
    }
    return Status::success();
}

namespace {

// The body of a message whose sender and tag are known (probed): its size, then its pieces.
Expected<QByteArray> receiveFrom(int sender, int tag)
{
    long long size = 0;
    if (int rc = MPI_Recv(&size, 1, MPI_LONG_LONG, sender, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        rc != MPI_SUCCESS)
        return makeError(mpiError(rc, "receive"));
    QByteArray data;
    data.resize(qsizetype(size));
    for (qint64 at = 0; at < size; at += kPiece) {
        const int n = int(std::min(kPiece, size - at));
        if (int rc = MPI_Recv(data.data() + at, n, MPI_BYTE, sender, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            rc != MPI_SUCCESS)
            return makeError(mpiError(rc, "receive"));
    }
    return data;
}

// Whether a message with `tag` from `source` (MPI_ANY_SOURCE: any) is waiting; its sender in
// `*sender`.
Expected<bool> probe(int source, int tag, int *sender = nullptr)
{
    int flag = 0;
    MPI_Status status;
    if (int rc = MPI_Iprobe(source, tag, MPI_COMM_WORLD, &flag, &status); rc != MPI_SUCCESS)
        return makeError(mpiError(rc, "probe"));
    if (flag && sender)
        *sender = status.MPI_SOURCE;
    return flag != 0;
}

// The error of a rank's reportFailure() when one is waiting: its text, or what went wrong
// looking for or receiving it. Empty when none is waiting.
QString takeReportedFailure()
{
    int sender = 0;
    auto waiting = probe(MPI_ANY_SOURCE, kTagFailure, &sender);
    if (!waiting)
        return waiting.error();
    if (!*waiting)
        return QString();
    auto text = receiveFrom(sender, kTagFailure);
    if (!text)
        return QStringLiteral("rank %1 failed (%2)").arg(sender).arg(text.error());
    return QString::fromUtf8(*text);
}

// A reported failure's message, sent without blocking: it stays here until the root takes it
// or the job ends.
struct PendingFailure
{
    long long size = 0;
    QByteArray text;
    MPI_Request requests[2] = {MPI_REQUEST_NULL, MPI_REQUEST_NULL};
};

PendingFailure &pendingFailure()
{
    static PendingFailure failure;
    return failure;
}

// The longest failure message sent (the rest of a longer one is cut).
constexpr qsizetype kMaxFailureBytes = 16384;

// Waits until a message with `tag` from `source` (MPI_ANY_SOURCE: any) is waiting and returns
// its sender; a failure some rank reported (kTagFailure) ends the wait with its message, and
// `keepWaiting` returning false with "cancelled".
Expected<int> waitFor(int source, int tag, const std::function<bool()> &keepWaiting)
{
    for (int sender = 0;;) {
        if (const QString failure = takeReportedFailure(); !failure.isEmpty())
            return makeError(failure);
        auto waiting = probe(source, tag, &sender);
        if (!waiting)
            return Error {waiting.error()};
        if (*waiting)
            return sender;
        if (keepWaiting && !keepWaiting())
            return makeError(QStringLiteral("cancelled"));
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

} // namespace

bool Cluster::hasMessage(int source, int tag) const
{
    if (!mMpi)
        return false;
    // A failed probe answers true too: the receive() that follows reports it.
    const auto wanted = probe(source < 0 ? MPI_ANY_SOURCE : source, tag);
    const auto failure = probe(MPI_ANY_SOURCE, kTagFailure);
    return !wanted || *wanted || !failure || *failure;
}

Expected<QByteArray> Cluster::receive(int source, int tag, int *from,
                                      const std::function<bool()> &keepWaiting) const
{
    if (!mMpi)
        return makeError(QStringLiteral("MPI receive: not running under MPI"));
    const auto sender = waitFor(source < 0 ? MPI_ANY_SOURCE : source, tag, keepWaiting);
    if (!sender)
        return Error {sender.error()};
    auto data = receiveFrom(*sender, tag);
    if (data && from)
        *from = *sender;
    return data;
}

Status Cluster::reportFailure(const QString &message)
{
    if (!mMpi || isRoot())
        return makeError(QStringLiteral("only a worker rank under MPI reports a failure to the root"));
    PendingFailure &f = pendingFailure();
    if (f.requests[0] != MPI_REQUEST_NULL)
        return Status::success(); // one per process: the first
    f.text = QStringLiteral("%1: %2").arg(describe(), message).toUtf8().left(kMaxFailureBytes);
    f.size = f.text.size();
    if (int rc = MPI_Isend(&f.size, 1, MPI_LONG_LONG, 0, kTagFailure, MPI_COMM_WORLD, &f.requests[0]);
        rc != MPI_SUCCESS)
        return makeError(mpiError(rc, "send"));
    if (int rc = MPI_Isend(f.text.constData(), int(f.size), MPI_BYTE, 0, kTagFailure, MPI_COMM_WORLD,
                           &f.requests[1]);
        rc != MPI_SUCCESS)
        return makeError(mpiError(rc, "send"));
    mErrorReported = true;
    return Status::success();
}

Status Cluster::reportDone() const
{
    if (!mMpi || isRoot())
        return Status::success();
    return send(0, kTagDone, QByteArray());
}

Status Cluster::awaitWorkers(const std::function<bool()> &keepWaiting) const
{
    if (!mMpi || !isRoot())
        return Status::success();
    for (int r = 1; r < mSize; ++r) {
        const auto sender = waitFor(r, kTagDone, keepWaiting);
        if (!sender)
            return Error {sender.error()};
        if (auto message = receiveFrom(r, kTagDone); !message)
            return Error {message.error()};
    }
    return Status::success();
}

Status Cluster::broadcast(QByteArray &data) const
{
    if (!mMpi)
        return Status::success();
    long long size = data.size();
    if (int rc = MPI_Bcast(&size, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD); rc != MPI_SUCCESS)
        return makeError(mpiError(rc, "broadcast"));
    if (!isRoot())
        data.resize(qsizetype(size));
    for (qint64 at = 0; at < size; at += kPiece) {
        const int n = int(std::min(kPiece, size - at));
        if (int rc = MPI_Bcast(data.data() + at, n, MPI_BYTE, 0, MPI_COMM_WORLD); rc != MPI_SUCCESS)
            return makeError(mpiError(rc, "broadcast"));
    }
    return Status::success();
}

#else // without MPI: one process

Status Cluster::init(int *, char ***)
{
    const int launched = launcherSize();
    if (launched > 1)
        return makeError(QStringLiteral("started by an MPI launcher with %1 ranks, but this lqer was built "
                                        "without MPI (install Open MPI, e.g. libopenmpi-dev, and rebuild "
                                        "with -DLQER_MPI=ON)")
                             .arg(launched));
    return checkSlurmStep();
}

void Cluster::finalize()
{ }

void Cluster::abort(int code) const
{
    std::exit(code);
}

Status Cluster::send(int, int, const QByteArray &) const
{
    return makeError(QStringLiteral("MPI send: this build has no MPI"));
}

bool Cluster::hasMessage(int, int) const
{
    return false;
}

Expected<QByteArray> Cluster::receive(int, int, int *, const std::function<bool()> &) const
{
    return makeError(QStringLiteral("MPI receive: this build has no MPI"));
}

Status Cluster::broadcast(QByteArray &) const
{
    return Status::success();
}

Status Cluster::reportFailure(const QString &)
{
    return makeError(QStringLiteral("MPI send: this build has no MPI"));
}

Status Cluster::reportDone() const
{
    return Status::success();
}

Status Cluster::awaitWorkers(const std::function<bool()> &) const
{
    return Status::success();
}

#endif

} // namespace lqer
