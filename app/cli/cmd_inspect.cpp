#include "cli.h"

namespace lqer::cli {

// Placeholder until the command lands; replaced by its implementation.
int cmdInspect(const QStringList &args)
{
    return fail(QStringLiteral("'inspect' is not available in this build yet"));
}

} // namespace lqer::cli
