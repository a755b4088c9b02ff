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
#include <memory>
#include <unistd.h>

namespace lqer::cli {

namespace {

QString gCommandName = QStringLiteral("lqer");
bool gWorkerRank = false; // under mpirun, not rank 0: silent
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

void waitForRootToEndJob()
{
    // The root aborts the job as soon as it has printed (and recorded) the failure; this
    // bound only matters if it never does.
    std::this_thread::sleep_for(std::chrono::seconds(60));
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
    if (gWorkerRank)
        return;
    const QByteArray utf8 = text.toUtf8();
    std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stderr);
    std::fflush(stderr);
}

int fail(const QString &message)
{
    if (!gWorkerRank) {
        err(QStringLiteral("lqer: error: %1\n").arg(message));
    } else if (!Cluster::world().errorReported()) {
        const QByteArray utf8
            = QStringLiteral("lqer: error: %1: %2\n").arg(Cluster::world().describe(), message).toUtf8();
        std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stderr);
        std::fflush(stderr);
    }
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
