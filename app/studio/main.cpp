// lqer-studio: a thin program over lqer_studio_lib (STYLE.md §1).

#include "app/studio/mainwindow.h"
#include "app/studio/script.h"

#include <QApplication>
#include <QCommandLineParser>

#include <cstdio>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
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
