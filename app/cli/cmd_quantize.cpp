#include "cli.h"

namespace lqer::cli {

// Placeholder until the command lands; replaced by its implementation.
int cmdQuantize(const QStringList &args)
{
    return fail(QStringLiteral("'quantize' is not available in this build yet"));
}

} // namespace lqer::cli
