// lqer-studio: a thin program over lqer_studio_lib (STYLE.md §1).

#include "app/studio/mainwindow.h"
#include "app/studio/script.h"

#include <QApplication>
#include <QCommandLineParser>

#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char *argv[])
{
    // QGuiApplication takes "-session ID" / "--session ID" for X11 session management and
    // removes it from the arguments; our --session (reopen a stored session) is passed on as
    // "--session=ID", which Qt leaves alone.
    std::vector<std::string> storage;
    for (int i = 0; i < argc; ++i) {
        const std::string arg = argv[i];
        if ((arg == "--session" || arg == "-session") && i + 1 < argc) {
            storage.push_back("--session=" + std::string(argv[++i]));
            continue;
        }
        storage.push_back(arg);
    }
    std::vector<char *> args;
    for (std::string &a : storage)
        args.push_back(a.data());
    args.push_back(nullptr);
    int count = int(storage.size());
    QApplication app(count, args.data());
    QApplication::setOrganizationName(QStringLiteral("LQER"));
    QApplication::setApplicationName(QStringLiteral("LQER Studio"));
    QApplication::setApplicationVersion(QStringLiteral(LQER_VERSION_STRING));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QObject::tr("LQER Studio: post-training quantization with low-rank error reconstruction"));
    parser.addHelpOption();
    parser.addVersionOption();
    lqer::addScriptOptions(parser);
    parser.process(app);
    auto options = lqer::scriptOptionsFrom(parser);
    if (!options) {
        std::fprintf(stderr, "lqer-studio: error: %s\n", qPrintable(options.error()));
        return 2;
    }

    lqer::MainWindow window;
    window.resize(options->size.isValid() ? options->size : QSize(1500, 950));
    window.show();
    // Sessions: --db FILE, else LQER_SESSIONS_DB, else the user data folder. A database that
    // cannot be opened is reported (never overwritten) and the studio works on without it.
    window.setQuietErrors(options->isScripted());
    (void)window.openSessionStore(options->db);
    const lqer::Status status = lqer::runScript(window, *options);
    if (!status) {
        std::fprintf(stderr, "lqer-studio: error: %s\n", qPrintable(status.error()));
        if (options->isScripted())
            return 1;
    }
    if (options->isScripted())
        return 0;
    return app.exec();
}
