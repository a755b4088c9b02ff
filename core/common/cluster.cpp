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
        return Status::success();
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

bool Cluster::hasMessage(int source, int tag) const
{
    if (!mMpi)
        return false;
    int flag = 0;
    MPI_Status status;
    MPI_Iprobe(source < 0 ? MPI_ANY_SOURCE : source, tag, MPI_COMM_WORLD, &flag, &status);
    return flag != 0;
}

Expected<QByteArray> Cluster::receive(int source, int tag, int *from,
                                      const std::function<bool()> &keepWaiting) const
{
    if (!mMpi)
        return makeError(QStringLiteral("MPI receive: not running under MPI"));
    const int wanted = source < 0 ? MPI_ANY_SOURCE : source;
    MPI_Status status;
    for (;;) {
        int flag = 0;
        if (int rc = MPI_Iprobe(wanted, tag, MPI_COMM_WORLD, &flag, &status); rc != MPI_SUCCESS)
            return makeError(mpiError(rc, "probe"));
        if (flag)
            break;
        if (keepWaiting && !keepWaiting())
            return makeError(QStringLiteral("cancelled"));
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    const int sender = status.MPI_SOURCE;
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
    if (from)
        *from = sender;
    return data;
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
    return Status::success();
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

#endif

} // namespace lqer
