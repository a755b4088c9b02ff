#pragma once

// The processes that share one command's work: the ranks of an MPI job when `lqer` was started
// by an MPI launcher (mpirun, srun) and built with MPI, else this one process. The rest of the
// code talks to MPI only through this class (no MPI headers or #ifdefs elsewhere).
//
// Only the calling (main) thread may use it (MPI_THREAD_FUNNELED). Rank 0 is the root: it
// prints, writes files and the session record; the other ranks compute their share and send
// it there (core/job/pipeline.h, core/model/calibration.h).

#include "core/common/expected.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>

namespace lqer {

class Cluster
{
public:
    // The process-wide cluster: one process until init() started MPI.
    static Cluster &world();

    // Starts MPI when the process was launched by an MPI launcher with more than one rank
    // (OMPI_COMM_WORLD_SIZE, PMI_SIZE or PMIX/Slurm variables). An error when it was launched
    // so but this build has no MPI, or MPI fails to start. Without a launcher: nothing happens.
    static Status init(int *argc, char ***argv);
    // Ends MPI normally (every rank must call it); nothing without MPI.
    static void finalize();
    // Whether this build can run distributed (MPI found at build time).
    static bool available();

    int rank() const { return mRank; }
    int size() const { return mSize; }
    bool isRoot() const { return mRank == 0; }
    bool distributed() const { return mSize > 1; }
    // "rank 2 of 4", for messages.
    QString describe() const;

    // Ends every rank at once with `code` (MPI_Abort); without MPI, exits this process.
    [[noreturn]] void abort(int code) const;

    // Point-to-point byte messages (any size; sent in pieces below 2^31 bytes). Messages
    // between two ranks with the same tag arrive in the order they were sent.
    Status send(int destination, int tag, const QByteArray &data) const;
    // Waits for a message with `tag` from `source` (-1: any rank) and stores its sender in
    // `*from`. While nothing has arrived, `keepWaiting` (when set) is asked every few
    // milliseconds; false ends the wait with the error "cancelled". A failure another rank
    // reported (reportFailure) ends the wait too: its message ("rank 1 of 4: ...") is the error.
    Expected<QByteArray> receive(int source, int tag, int *from = nullptr,
                                 const std::function<bool()> &keepWaiting = {}) const;
    // Whether receive(source, tag) would return at once: a message with `tag` from `source`
    // (-1: any) or a reported failure is waiting (never blocks).
    bool hasMessage(int source, int tag) const;
    // Root's `data` to every rank (collective: every rank calls it).
    Status broadcast(QByteArray &data) const;

    // A non-root rank that has sent its error to the root calls this before returning: the root
    // prints it and ends the job, so this rank says nothing more.
    void setErrorReported() { mErrorReported = true; }
    bool errorReported() const { return mErrorReported; }

    // The end of a command under MPI, so that no rank waits forever for one that failed:
    // - a worker that failed where no message of its command carried the error (before its
    //   first message, e.g. opening the model) sends it with reportFailure() (without blocking;
    //   "rank r of N: " is prepended) and waits for the root to end the job; the root's next
    //   receive() returns it as its error, so the root fails the command (recording the run
    //   as failed) and ends every rank;
    // - a worker that succeeded says so with reportDone(); the root, after its command
    //   succeeded, waits in awaitWorkers() for every worker's word, which is an error when a
    //   worker reported a failure there.
    Status reportFailure(const QString &message);
    Status reportDone() const;
    Status awaitWorkers(const std::function<bool()> &keepWaiting = {}) const;

private:
    int mRank = 0;
    int mSize = 1;
    bool mMpi = false;
    bool mErrorReported = false;
};

// Message tags of the distributed commands.
enum ClusterTag : int {
    kTagPipeline = 11, // per-layer results to the root (core/job/pipeline.cpp)
    kTagCalibration = 12, // per-sample statistics to the root (core/model/calibration.cpp)
    kTagExport = 13, // quantized linears to the exporting root (app/cli/cmd_export.cpp)
    kTagFailure = 14, // a worker's error the root has not had otherwise (reportFailure)
    kTagDone = 15, // a worker's successful end (reportDone)
};

} // namespace lqer
