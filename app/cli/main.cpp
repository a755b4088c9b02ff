// lqer: the command-line face of LQER Studio.

#include "cli.h"

#include "core/common/cluster.h"

#include <QCoreApplication>

#include <cstdio>

using namespace lqer::cli;

namespace {

struct Command
{
    const char *name;
    int (*run)(const QStringList &args);
    const char *summary;
    bool distributed = false; // shares its work over the ranks under mpirun
};

const Command kCommands[] = {
    {"inspect", cmdInspect, "architecture, layers, shapes, dtypes, parameter counts (headers only)"},
    {"analyze", cmdAnalyze, "per-layer quantization and reconstruction error, bits, singular values", true},
    {"calibrate", cmdCalibrate, "run the model on calibration text and save activation statistics", true},
    {"quantize", cmdQuantize, "quantize a model with a plan and evaluate it (--compare: all methods)", true},
    {"eval", cmdEval, "perplexity of a model (optionally quantized by a plan) on a text file"},
    {"generate", cmdGenerate, "greedy text generation (demo and checks)"},
    {"export", cmdExport, "write a packed LQER or a dequantized Hugging Face checkpoint", true},
    {"sessions", cmdSessions, "list, show, export and delete recorded sessions"},
    {"allocate", cmdAllocate, "per-layer weight format and rank under a bits, bytes or area budget"},
    {"synth", cmdSynth, "write a synthetic checkpoint of a real model's shape (llama-7b, opt-6.7b, ...)"},
    {"bench", cmdBench, "benchmarks: quantizer, SVD backends, forward throughput"},
};

void printUsage()
{
    QString text = QStringLiteral("LQER Studio %1 - low-rank quantization error reconstruction for LLMs\n\n"
                                  "usage: lqer <command> [options]   (lqer <command> --help)\n\ncommands:\n")
                       .arg(QStringLiteral(LQER_VERSION_STRING));
    for (const Command &c : kCommands)
        text += QStringLiteral("  %1 %2\n")
                    .arg(QString::fromLatin1(c.name), -10)
                    .arg(QString::fromLatin1(c.summary));
    out(text);
}

} // namespace

// Ends the process the way the cluster needs: under mpirun a failure on any rank ends every
// rank (MPI_Abort), so none waits for a message that will not come; the root fails with a
// worker's error even when its own part succeeded (core/common/cluster.h).
int finish(int code)
{
    lqer::Cluster &cluster = lqer::Cluster::world();
    if (!cluster.distributed())
        return code;
    if (!cluster.isRoot()) {
        if (code == 0) {
            if (lqer::Status s = cluster.reportDone(); !s)
                code = fail(s.error());
        }
        if (code != 0)
            endFailedWorker(code);
    } else {
        if (code == 0) {
            if (lqer::Status s = cluster.awaitWorkers([] { return !interrupted(); }); !s) {
                const bool stopped = interrupted();
                fail(stopped ? QStringLiteral("cancelled") : s.error());
                code = stopped ? kInterruptedExitCode : 1;
            }
        }
        if (code != 0)
            cluster.abort(code);
    }
    lqer::Cluster::finalize();
    return code;
}

int runCommand(const Command &c, QStringList args)
{
    if (lqer::Cluster::world().distributed() && !c.distributed) {
        if (lqer::Cluster::world().isRoot())
            err(QStringLiteral(
                    "lqer: error: lqer %1 does not run under MPI (analyze, calibrate, quantize and "
                    "export do); start it without mpirun\n")
                    .arg(QLatin1String(c.name)));
        else
            setErrorReported();
        return 2;
    }
    args[0] = QStringLiteral("lqer ") + QLatin1String(c.name);
    return c.run(args);
}

int main(int argc, char *argv[])
{
    if (lqer::Status s = lqer::Cluster::init(&argc, &argv); !s) {
        std::fprintf(stderr, "lqer: error: %s\n", s.error().toLocal8Bit().constData());
        return 2;
    }
    if (!lqer::Cluster::world().isRoot())
        setWorkerRank(); // prints nothing but its own errors
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("lqer"));
    QCoreApplication::setOrganizationName(QStringLiteral("lqer-studio"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LQER_VERSION_STRING));

    QStringList args = QCoreApplication::arguments();
    if (args.size() < 2 || args.at(1) == QLatin1String("--help") || args.at(1) == QLatin1String("-h")
        || args.at(1) == QLatin1String("help")) {
        printUsage();
        return finish(args.size() < 2 ? 2 : 0);
    }
    if (args.at(1) == QLatin1String("--version")) {
        out(QStringLiteral("lqer %1\n").arg(QStringLiteral(LQER_VERSION_STRING)));
        return finish(0);
    }
    const QString name = args.at(1);
    for (const Command &c : kCommands) {
        if (name == QLatin1String(c.name)) {
            args.removeAt(1);
            return finish(runCommand(c, args));
        }
    }
    err(QStringLiteral("lqer: unknown command '%1'\n").arg(name));
    printUsage();
    return finish(2);
}
