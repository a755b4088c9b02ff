#include "cli.h"

namespace lqer::cli {

// Placeholder until the command lands; replaced by its implementation.
int cmdExport(const QStringList &args)
{
    return fail(QStringLiteral("'export' is not available in this build yet"));
}

} // namespace lqer::cli
