#pragma once

// The `lqer` command line: one function per sub-command, each in cmd_<name>.cpp.
// A command returns the process exit code: 0 success, 1 failure (one-line error on stderr
// naming the file/tensor/layer), 2 usage error.

#include "core/common/progress.h"

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

namespace lqer::cli {

int cmdInspect(const QStringList &args);
int cmdAnalyze(const QStringList &args);
int cmdBench(const QStringList &args);
int cmdCalibrate(const QStringList &args);
int cmdQuantize(const QStringList &args);
int cmdEval(const QStringList &args);
int cmdGenerate(const QStringList &args);
int cmdExport(const QStringList &args);
int cmdSessions(const QStringList &args);
int cmdAllocate(const QStringList &args);
int cmdSynth(const QStringList &args);

// Prints to stdout / stderr (UTF-8).
void out(const QString &text);
void err(const QString &text);
// "lqer: error: <message>" on stderr, returns 1.
int fail(const QString &message);

// Parses `args` (args[0] is "lqer <command>"); on --help prints help and returns 0 via
// `exitCode`; on a usage error prints it and sets exitCode 2. Returns true to continue.
bool parseOrExit(QCommandLineParser &parser, const QStringList &args, int &exitCode);

// The parser's help with "Usage: lqer <command> [options] ..." instead of the binary's path
// (QCommandLineParser names the executable as it was started). Uses the command name of the
// last parseOrExit() call.
QString helpText(const QCommandLineParser &parser);
// "lqer <command>" of the last parseOrExit() call.
QString commandName();

// Ctrl-C (SIGINT) and SIGTERM: the first one asks long operations to stop (stderrProgress
// returns false, so pipelines and evaluations cancel and recorded runs are closed as
// cancelled); a second one ends the process at once. Only for commands whose long work polls
// a progress callback.
void installInterruptHandler();
bool interrupted();
// Exit code of a command stopped by the user (128 + SIGINT, as shells report it).
constexpr int kInterruptedExitCode = 130;
// For the tests of Ctrl-C at each stage: when $LQER_TEST_SIGINT_AT names `stage` (a progress
// label such as "loading", "calibrating", "LQER", "LQER eval", or "recording" for the first
// layer record written), the process sends itself SIGINT there, once. A real signal through the
// real handler, at a point a test cannot hit reliably by timing.
void interruptPointForTests(const QString &stage);

// Under mpirun (core/common/cluster.h): a worker rank (not rank 0) prints nothing, neither
// results nor progress nor warnings. Its error goes to the root, which prints it as
// "lqer: error: rank N of M: ..." (and records the run as failed); the worker prints it itself
// only when the root has not ended the job kWorkerPrintAfterSeconds later. setWorkerRank() is
// called once by main().
void setWorkerRank();
// This rank's error has reached the root (which prints it and ends the job).
void setErrorReported();
// The end of a worker whose command failed (exit code `code`): its error (fail(), else its
// first stderr line) goes to the root unless it already has it; then the worker waits for the
// root to end the job (MPI_Abort), at most kWorkerWaitSeconds, and ends it itself after that.
[[noreturn]] void endFailedWorker(int code);
constexpr int kWorkerPrintAfterSeconds = 5;
constexpr int kWorkerWaitSeconds = 300;

// A progress bar on stderr (only when stderr is a terminal, else one line per 10%).
ProgressFn stderrProgress(const QString &label);

} // namespace lqer::cli
