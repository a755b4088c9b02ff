#include "cli.h"

namespace lqer::cli {

// Placeholder until the command lands; replaced by its implementation.
int cmdAnalyze(const QStringList &args)
{
    return fail(QStringLiteral("'analyze' is not available in this build yet"));
}

} // namespace lqer::cli
