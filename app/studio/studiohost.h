#pragma once

// What the studio's parts (analysis views, job kinds, the session controller) may ask of the
// window around them. MainWindow implements it; the parts never include mainwindow.h, so each
// of them can be read and tested on its own.

#include "core/common/expected.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

class QWidget;

namespace lqer {

class AnalysisView;
class Document;
class SessionController;

class StudioHost
{
public:
    virtual ~StudioHost() = default;

    // The window: parent of dialogs, owner of the title.
    virtual QWidget *hostWidget() = 0;
    virtual Document *document() const = 0;
    virtual Status openCheckpoint(const QString &path, bool quiet) = 0;

    virtual QString currentLayer() const = 0;
    // The rows selected in the plan table.
    virtual QStringList selectedLayers() const = 0;
    virtual void selectLayer(const QString &layer) = 0;
    // Computes the spectra and heatmaps of `layer` (a preview job; never replaces a longer job).
    virtual void showLayerDetail(const QString &layer) = 0;

    // The centre tabs, in tab order, and a redraw of each from the document.
    virtual const std::vector<std::unique_ptr<AnalysisView>> &views() const = 0;
    virtual void refreshViews() = 0;
    virtual bool marchenkoPasturVisible() const = 0;

    virtual SessionController *sessionController() const = 0;
    // Prepares and starts the job of kind `id` (jobkinds/registry.cpp) with `argument`; false
    // when nothing was started (refused and said why, or finished on the spot).
    virtual bool startJob(const QString &id, const QString &argument) = 0;

    virtual void showStatus(const QString &message, int timeoutMs) = 0;
    virtual void showError(const QString &title, const QString &what, const QString &whatToDo) = 0;
    // Tests and the scripted mode: no dialogs, neither for errors nor to ask for a file.
    virtual bool quietErrors() const = 0;

    // Evaluation settings of perplexity jobs (0 / empty: all windows / the remembered text).
    virtual int evaluationWindows() const = 0;
    virtual QString evaluationText() const = 0;

    // The view of type T, or null when none is registered.
    template<class T> T *view() const
    {
        for (const auto &v : views())
            if (auto *t = dynamic_cast<T *>(v.get()))
                return t;
        return nullptr;
    }
};

} // namespace lqer
