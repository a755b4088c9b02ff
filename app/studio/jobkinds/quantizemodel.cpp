// Jobs > Quantize model: the plan on every layer, recorded as a "quantize" run.

#include "app/studio/jobkind.h"

#include <QCoreApplication>

namespace lqer {

namespace {

class QuantizeModelJob : public JobKind
{
    Q_DECLARE_TR_FUNCTIONS(QuantizeModelJob)

public:
    QString id() const override { return QStringLiteral("quantize"); }
    QString title() const override { return tr("Quantize model"); }

    std::optional<PreparedJob> prepare(StudioHost &host, const QString &) override
    {
        return recordedAnalysis(host, QStringLiteral("quantize"), title(), {});
    }
};

} // namespace

std::unique_ptr<JobKind> makeQuantizeModelJob()
{
    return std::make_unique<QuantizeModelJob>();
}

} // namespace lqer
