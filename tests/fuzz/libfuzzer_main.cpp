// One libFuzzer harness per fuzz target (LQER_FUZZ_TARGET names it; see fuzztargets.h).
// Built when LQER_FUZZ=ON (clang); scripts/fuzz.sh TARGET SECONDS runs it on its corpus.
// LQER_SHARED_DIR in the environment overrides the shared folder compiled in.

#include "fuzztargets.h"

#include <QCoreApplication>

#include <cstdio>
#include <cstdlib>

namespace {
const lqer::fuzz::Target *gTarget = nullptr;
}

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    // Qt's SQL driver wants an application object; it must not see libFuzzer's arguments.
    static int argc = 1;
    static char name[] = "lqer-fuzz";
    static char *argv[] = {name, nullptr};
    static QCoreApplication app(argc, argv);
    lqer::fuzz::setSharedDir(qEnvironmentVariable("LQER_SHARED_DIR", QStringLiteral(LQER_SHARED_DIR)));
    gTarget = lqer::fuzz::findTarget(QStringLiteral(LQER_FUZZ_TARGET));
    if (!gTarget) {
        std::fprintf(stderr, "no fuzz target named %s\n", LQER_FUZZ_TARGET);
        std::exit(2);
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gTarget->run(data, size);
    return 0;
}
