// File > Load calibration statistics: a statistics file (the argument, else a file dialog) for
// L²QER / QERA. Reading it is quick and happens on the spot, so a running job is not replaced;
// the session remembers the file.

#include "app/studio/jobkind.h"
#include "app/studio/sessioncontroller.h"
#include "app/studio/studiohost.h"

#include <QCoreApplication>
#include <QFileDialog>
#include <QSettings>

namespace lqer {

namespace {

// The folder the file dialogs start in (shared with the window's Open dialog).
const QString kLastDirKey = QStringLiteral("studio.lastDirectory");

class LoadStatisticsJob : public JobKind
{
    Q_DECLARE_TR_FUNCTIONS(LoadStatisticsJob)

public:
    QString id() const override { return QStringLiteral("stats"); }
    QString title() const override { return tr("Load calibration statistics"); }

    std::optional<PreparedJob> prepare(StudioHost &host, const QString &argument) override
    {
        QString path = argument;
        if (path.isEmpty())
            path = QFileDialog::getOpenFileName(host.hostWidget(), tr("Load calibration statistics"),
                                                QSettings().value(kLastDirKey).toString(),
                                                tr("Statistics (*.safetensors);;All files (*)"));
        if (!path.isEmpty())
            load(host, path);
        return std::nullopt;
    }

private:
    static void load(StudioHost &host, const QString &path)
    {
        Document &doc = *host.document();
        auto stats = loadStats(path);
        if (!stats) {
            host.showError(tr("Cannot load statistics"), stats.error(),
                           tr("Choose a statistics file written by \"lqer calibrate\" for this model."));
            return;
        }
        int matched = 0;
        for (const LinearLayerInfo &l : doc.layers())
            matched += stats->contains(l.weightName) ? 1 : 0;
        if (matched == 0) {
            host.showError(
                tr("Cannot use statistics"),
                tr("%1 has no statistics for any layer of this model.").arg(path),
                tr("Calibrate this model (Jobs > Calibrate) or choose the statistics of the same model."));
            return;
        }
        doc.setStats(std::make_shared<const StatsMap>(std::move(*stats)), path);
        host.sessionController()->statsLoaded(path);
        host.showStatus(tr("Loaded statistics for %1 of %2 layers from %3")
                            .arg(matched)
                            .arg(doc.layers().size())
                            .arg(path),
                        8000);
        if (!host.currentLayer().isEmpty())
            host.showLayerDetail(host.currentLayer());
    }
};

} // namespace

std::unique_ptr<JobKind> makeLoadStatisticsJob()
{
    return std::make_unique<LoadStatisticsJob>();
}

} // namespace lqer
