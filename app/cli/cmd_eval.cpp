#include "cli.h"

namespace lqer::cli {

// Placeholder until the command lands; replaced by its implementation.
int cmdEval(const QStringList &args)
{
    return fail(QStringLiteral("'eval' is not available in this build yet"));
}

} // namespace lqer::cli
