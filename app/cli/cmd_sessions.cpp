#include "cli.h"

namespace lqer::cli {

// Placeholder until the command lands; replaced by its implementation.
int cmdSessions(const QStringList &args)
{
    return fail(QStringLiteral("'sessions' is not available in this build yet"));
}

} // namespace lqer::cli
