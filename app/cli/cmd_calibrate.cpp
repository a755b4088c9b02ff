#include "cli.h"

namespace lqer::cli {

// Placeholder until the command lands; replaced by its implementation.
int cmdCalibrate(const QStringList &args)
{
    return fail(QStringLiteral("'calibrate' is not available in this build yet"));
}

} // namespace lqer::cli
