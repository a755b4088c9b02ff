#include "cli.h"

#include <QElapsedTimer>

#include <algorithm>

#include <cstdio>
#include <memory>
#include <unistd.h>

namespace lqer::cli {

void out(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stdout);
    std::fflush(stdout);
}

void err(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stderr);
    std::fflush(stderr);
}

int fail(const QString &message)
{
    err(QStringLiteral("lqer: error: %1\n").arg(message));
    return 1;
}

bool parseOrExit(QCommandLineParser &parser, const QStringList &args, int &exitCode)
{
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help."));
    parser.addOption(help);
    if (!parser.parse(args)) {
        err(QStringLiteral("%1: %2\n\n%3").arg(args.value(0), parser.errorText(), parser.helpText()));
        exitCode = 2;
        return false;
    }
    if (parser.isSet(help)) {
        QString text = parser.helpText();
        text.replace(QStringLiteral("Usage: %1").arg(args.value(0)), QStringLiteral("Usage: %1").arg(args.value(0)));
        out(text);
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
        fraction = std::clamp(fraction, 0.0, 1.0);
        const double elapsed = state->timer.elapsed() / 1000.0;
        if (state->tty) {
            const int width = 30;
            const int filled = int(fraction * width + 0.5);
            if (filled == state->lastWidth && fraction < 1.0)
                return true;
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
                err(QStringLiteral("%1: %2% %3 (%4 s)\n").arg(label).arg(tenth * 10).arg(message).arg(elapsed, 0, 'f', 1));
            }
        }
        return true;
    };
}

} // namespace lqer::cli
