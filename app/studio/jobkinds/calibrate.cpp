// Jobs > Calibrate: activation statistics for L²QER / QERA over the plan's calibration text;
// with a session database they are saved beside it, so the session reloads them.

#include "app/studio/jobkind.h"
#include "app/studio/sessioncontroller.h"
#include "app/studio/studiohost.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QTimer>

namespace lqer {

namespace {

class CalibrateJobKind : public JobKind
{
    Q_DECLARE_TR_FUNCTIONS(CalibrateJobKind)

public:
    QString id() const override { return QStringLiteral("calibrate"); }
    QString title() const override { return tr("Calibrate"); }

    std::optional<PreparedJob> prepare(StudioHost &host, const QString &) override
    {
        const Document &doc = *host.document();
        EvalRequest req;
        req.analysis = analysisRequest(doc, {});
        req.textPath = doc.plan().calibration.textPath;
        if (req.textPath.isEmpty())
            req.textPath = sharedCorpusText(doc, QStringLiteral("calib.txt"));
        if (req.textPath.isEmpty()) {
            req.textPath = QFileDialog::getOpenFileName(host.hostWidget(), tr("Calibration text"), QString(),
                                                        tr("Text (*.txt);;All files (*)"));
            if (req.textPath.isEmpty())
                return std::nullopt;
        }
        const QString source = req.textPath;
        SessionController *sessions = host.sessionController();
        const QString savePath = sessions->calibrationStatsPath();
        const qint64 session = sessions->currentSessionId();
        PreparedJob job;
        job.work = makeCalibrateJob(
            req,
            [&host, source](std::shared_ptr<const StatsMap> stats) {
                if (Document *current = host.document()) {
                    current->setStats(std::move(stats), source);
                    if (!host.currentLayer().isEmpty())
                        QTimer::singleShot(0, host.hostWidget(),
                                           [&host] { host.showLayerDetail(host.currentLayer()); });
                }
            },
            savePath);
        job.done = [sessions, savePath, session](bool ok, bool, const QString &, double) {
            if (ok)
                sessions->calibrationSaved(session, savePath);
        };
        return job;
    }
};

} // namespace

std::unique_ptr<JobKind> makeCalibrateJobKind()
{
    return std::make_unique<CalibrateJobKind>();
}

} // namespace lqer
