#include "cli.h"

namespace lqer::cli {

// Placeholder until the command lands; replaced by its implementation.
int cmdGenerate(const QStringList &args)
{
    return fail(QStringLiteral("'generate' is not available in this build yet"));
}

} // namespace lqer::cli
