#include "cli.h"

#include "core/common/cluster.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <unistd.h>

namespace lqer::cli {

namespace {

QString gCommandName = QStringLiteral("lqer");
bool gWorkerRank = false; // under mpirun, not rank 0: silent
QString gWorkerFailure; // a worker's first error (fail()), for the root to print
QString gWorkerErrorText; // a worker's first line on stderr (err()), when it failed without fail()
volatile std::sig_atomic_t gInterrupted = 0;

extern "C" void onInterruptSignal(int)
{
    gInterrupted = 1;
}

} // namespace

void installInterruptHandler()
{
    struct sigaction action = {};
    action.sa_handler = onInterruptSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND; // the second signal gets the default action: the process ends
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

bool interrupted()
{
    return gInterrupted != 0;
}

void interruptPointForTests(const QString &stage)
{
    static const QString at = qEnvironmentVariable("LQER_TEST_SIGINT_AT");
    static std::atomic<bool> raised {false};
    if (!at.isEmpty() && stage == at && !raised.exchange(true))
        std::raise(SIGINT);
}

QString helpText(const QCommandLineParser &parser)
{
    QString text = parser.helpText();
    const QStringList appArgs = QCoreApplication::arguments();
    const QString program = appArgs.isEmpty() ? QString() : appArgs.constFirst();
    const QString prefix = QStringLiteral("Usage: ");
    if (!program.isEmpty() && text.startsWith(prefix + program))
        text.replace(prefix.size(), program.size(), gCommandName);
    return text;
}

QString commandName()
{
    return gCommandName;
}

void setWorkerRank()
{
    gWorkerRank = true;
}

void setErrorReported()
{
    Cluster::world().setErrorReported();
}

namespace {

// A worker's own error line, for when the root does not print it.
void printWorkerError(const QString &message)
{
    const QByteArray utf8
        = QStringLiteral("lqer: error: %1: %2\n").arg(Cluster::world().describe(), message).toUtf8();
    std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stderr);
    std::fflush(stderr);
}

} // namespace

void endFailedWorker(int code)
{
    using namespace std::chrono;
    Cluster &cluster = Cluster::world();
    // An error the root does not have yet goes to it (cluster.h: reportFailure); the root
    // fails its command with it, records the run as failed, prints it and ends every rank.
    const QString message = !gWorkerFailure.isEmpty() ? gWorkerFailure
        : !gWorkerErrorText.isEmpty()                 ? gWorkerErrorText
                                                      : QStringLiteral("ended with exit code %1").arg(code);
    bool printed = cluster.errorReported();
    if (!printed && !cluster.reportFailure(message)) {
        printWorkerError(message);
        printed = true;
    }
    // A root busy with its own share takes the failure at its next wait: this rank prints the
    // error itself when the root has not ended the job within a few seconds, and ends the job
    // when the root never does (or when the launcher stops this rank: Ctrl-C, the root's abort).
    const auto start = steady_clock::now();
    while (!interrupted()) {
        const auto waited = steady_clock::now() - start;
        if (!printed && waited > seconds(kWorkerPrintAfterSeconds)) {
            printWorkerError(message);
            printed = true;
        }
        if (waited > seconds(kWorkerWaitSeconds))
            break;
        std::this_thread::sleep_for(milliseconds(50));
    }
    if (interrupted())
        std::_Exit(code); // the launcher is ending the job (the root's abort, or Ctrl-C)
    cluster.abort(code);
}

void out(const QString &text)
{
    if (gWorkerRank)
        return;
    const QByteArray utf8 = text.toUtf8();
    std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stdout);
    std::fflush(stdout);
}

void err(const QString &text)
{
    if (gWorkerRank) {
        if (gWorkerErrorText.isEmpty())
            gWorkerErrorText = text.section(QLatin1Char('\n'), 0, 0).trimmed();
        return;
    }
    const QByteArray utf8 = text.toUtf8();
    std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stderr);
    std::fflush(stderr);
}

int fail(const QString &message)
{
    if (!gWorkerRank)
        err(QStringLiteral("lqer: error: %1\n").arg(message));
    else if (gWorkerFailure.isEmpty() && !Cluster::world().errorReported())
        gWorkerFailure = message; // endFailedWorker() sends it to the root
    return 1;
}

bool parseOrExit(QCommandLineParser &parser, const QStringList &args, int &exitCode)
{
    const QCommandLineOption help(QStringList {QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help."));
    parser.addOption(help);
    gCommandName = args.value(0, QStringLiteral("lqer"));
    if (!parser.parse(args)) {
        err(QStringLiteral("%1: %2\n\n%3").arg(args.value(0), parser.errorText(), helpText(parser)));
        exitCode = 2;
        return false;
    }
    if (parser.isSet(help)) {
        out(helpText(parser));
        exitCode = 0;
        return false;
    }
    return true;
}

ProgressFn stderrProgress(const QString &label)
{
    struct State
    {
        QElapsedTimer timer;
        int lastTenth = -1;
        int lastWidth = -1;
        bool tty = isatty(2);
    };
    auto state = std::make_shared<State>();
    state->timer.start();
    return [state, label](double fraction, const QString &message) {
        interruptPointForTests(label);
        fraction = std::clamp(fraction, 0.0, 1.0);
        const double elapsed = state->timer.elapsed() / 1000.0;
        if (state->tty) {
            const int width = 30;
            const int filled = int(fraction * width + 0.5);
            if (filled == state->lastWidth && fraction < 1.0)
                return !interrupted();
            state->lastWidth = filled;
            QString eta;
            if (fraction > 0.01 && fraction < 1.0)
                eta = QStringLiteral(" eta %1s").arg(elapsed * (1.0 - fraction) / fraction, 0, 'f', 0);
            err(QStringLiteral("\r%1 [%2%3] %4% %5%6\x1b[K")
                    .arg(label, QString(filled, QLatin1Char('#')), QString(width - filled, QLatin1Char('.')))
                    .arg(int(fraction * 100), 3)
                    .arg(message, eta));
            if (fraction >= 1.0)
                err(QStringLiteral("\n"));
        } else {
            const int tenth = int(fraction * 10);
            if (tenth != state->lastTenth) {
                state->lastTenth = tenth;
                err(QStringLiteral("%1: %2% %3 (%4 s)\n")
                        .arg(label)
                        .arg(tenth * 10)
                        .arg(message)
                        .arg(elapsed, 0, 'f', 1));
            }
        }
        return !interrupted();
    };
}

} // namespace lqer::cli
