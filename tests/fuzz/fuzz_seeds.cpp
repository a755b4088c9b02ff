// fuzz_seeds OUT_DIR [SHARED_DIR]: writes the seed corpus of every fuzz target into
// OUT_DIR/<target>/ (scripts/fuzz.sh runs it before the first fuzzing run).

#include "fuzztargets.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2 || args.size() > 3) {
        std::fprintf(stderr, "usage: fuzz_seeds OUT_DIR [SHARED_DIR]\n");
        return 2;
    }
    const QString shared = args.size() == 3 ? args[2] : QStringLiteral(LQER_SHARED_DIR);
    if (lqer::Status s = lqer::fuzz::writeSeeds(shared, QStringLiteral(LQER_TEST_DATA_DIR), args[1]); !s) {
        std::fprintf(stderr, "fuzz_seeds: %s\n", qPrintable(s.error()));
        return 1;
    }
    for (const lqer::fuzz::Target &t : lqer::fuzz::targets())
        std::printf("%s\n", t.name);
    return 0;
}
