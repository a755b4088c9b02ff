#include "cli.h"

namespace lqer::cli {

// Placeholder until the command lands; replaced by its implementation.
int cmdBench(const QStringList &args)
{
    return fail(QStringLiteral("'bench' is not available in this build yet"));
}

} // namespace lqer::cli
