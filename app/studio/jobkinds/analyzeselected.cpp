// Jobs > Analyze selected: the plan on the layers selected in the plan table (or the current
// layer), recorded as an "analyze" run.

#include "app/studio/jobkind.h"
#include "app/studio/studiohost.h"

#include <QCoreApplication>

namespace lqer {

namespace {

class AnalyzeSelectedJob : public JobKind
{
    Q_DECLARE_TR_FUNCTIONS(AnalyzeSelectedJob)

public:
    QString id() const override { return QStringLiteral("analyze"); }
    QString title() const override { return tr("Analyze selected"); }

    std::optional<PreparedJob> prepare(StudioHost &host, const QString &) override
    {
        QStringList layers = host.selectedLayers();
        if (layers.isEmpty() && !host.currentLayer().isEmpty())
            layers << host.currentLayer();
        if (layers.isEmpty()) {
            host.showError(
                tr("Nothing to analyze"), tr("No layer is selected."),
                tr("Select layers in the layer list or the plan table, or use Jobs > Quantize model."));
            return std::nullopt;
        }
        return recordedAnalysis(host, QStringLiteral("analyze"),
                                tr("Analyze %n layer(s)", nullptr, int(layers.size())), layers);
    }
};

} // namespace

std::unique_ptr<JobKind> makeAnalyzeSelectedJob()
{
    return std::make_unique<AnalyzeSelectedJob>();
}

} // namespace lqer
