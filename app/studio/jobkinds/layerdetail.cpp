// The spectra of all methods and the error heatmaps of one layer (the argument), delivered to
// every view; a preview, so it never replaces a running whole-model job. Not recorded.

#include "app/studio/analysisview.h"
#include "app/studio/jobkind.h"
#include "app/studio/studiohost.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <memory>

namespace lqer {

namespace {

class LayerDetailJobKind : public JobKind
{
    Q_DECLARE_TR_FUNCTIONS(LayerDetailJobKind)

public:
    QString id() const override { return QStringLiteral("detail"); }
    QString title() const override { return tr("Layer detail"); }

    std::optional<PreparedJob> prepare(StudioHost &host, const QString &layer) override
    {
        const Document &doc = *host.document();
        const LinearLayerInfo *info = doc.layer(layer);
        if (!info)
            return std::nullopt;
        PreparedJob job;
        auto requested = std::make_shared<QElapsedTimer>();
        requested->start();
        job.work = makeLayerDetailJob(
            analysisRequest(doc, {layer}), *info, [&host, requested](const LayerDetail &d) {
                if (d.layer != host.currentLayer())
                    return; // an older request that finished after a newer selection
                for (const auto &view : host.views())
                    view->showLayerDetail(d);
                // The log keeps the time to the first and to the final spectrum (README "Measured").
                qInfo("lqer-studio: %s spectrum of %s shown %.2f s after the request",
                      d.preview ? "preview" : "full", qPrintable(d.layer), requested->nsecsElapsed() / 1e9);
                if (!d.note.isEmpty())
                    host.showStatus(d.note, 8000);
            });
        return job;
    }
};

} // namespace

std::unique_ptr<JobKind> makeLayerDetailJobKind()
{
    return std::make_unique<LayerDetailJobKind>();
}

} // namespace lqer
