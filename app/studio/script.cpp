#include "app/studio/script.h"

#include "app/studio/mainwindow.h"
#include "app/studio/planeditor.h"
#include "widgets/errorheatmap.h"
#include "widgets/plotview.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QScreen>
#include <QThread>
#include <QTreeView>

namespace lqer {

void addScriptOptions(QCommandLineParser &parser)
{
    parser.addPositionalArgument(QStringLiteral("checkpoint"), QObject::tr("Checkpoint folder to open"),
                                 QStringLiteral("[checkpoint]"));
    parser.addOptions({
        {QStringLiteral("stats"), QObject::tr("Load calibration statistics from <file>."),
         QStringLiteral("file")},
        {QStringLiteral("calibrate"), QObject::tr("Run the calibration job.")},
        {QStringLiteral("analyze"), QObject::tr("Quantize the whole model with the plan.")},
        {QStringLiteral("layer"), QObject::tr("Select <layer> and decompose it."), QStringLiteral("layer")},
        {QStringLiteral("evaluate"), QObject::tr("Evaluate perplexity.")},
        {QStringLiteral("eval-windows"), QObject::tr("Evaluate at most <n> windows."), QStringLiteral("n")},
        {QStringLiteral("rank-sweep"), QObject::tr("Run a rank sweep.")},
        {QStringLiteral("view"), QObject::tr("Show <view>: spectrum, heatmap, layers, sweep, cost."),
         QStringLiteral("view")},
        {QStringLiteral("heatmap"), QObject::tr("Heatmap stage: before or after."), QStringLiteral("stage")},
        {QStringLiteral("screenshot"), QObject::tr("Save a PNG of the window to <file> and quit."),
         QStringLiteral("file")},
        {QStringLiteral("export-plot"),
         QObject::tr("Export the current view's plot to <file> (.png/.svg/.pdf) and quit."),
         QStringLiteral("file")},
        {QStringLiteral("language"), QObject::tr("User interface language: en or de."),
         QStringLiteral("lang")},
        {QStringLiteral("size"), QObject::tr("Window size WIDTHxHEIGHT."), QStringLiteral("size")},
        {QStringLiteral("quit"), QObject::tr("Quit after the scripted steps.")},
    });
}

Expected<ScriptOptions> scriptOptionsFrom(const QCommandLineParser &parser)
{
    ScriptOptions o;
    o.model = parser.positionalArguments().value(0);
    o.statsPath = parser.value(QStringLiteral("stats"));
    o.calibrate = parser.isSet(QStringLiteral("calibrate"));
    o.analyze = parser.isSet(QStringLiteral("analyze"));
    o.layer = parser.value(QStringLiteral("layer"));
    o.evaluate = parser.isSet(QStringLiteral("evaluate"));
    o.evalWindows = parser.value(QStringLiteral("eval-windows")).toInt();
    o.rankSweep = parser.isSet(QStringLiteral("rank-sweep"));
    o.view = parser.value(QStringLiteral("view"));
    o.heatmapStage = parser.value(QStringLiteral("heatmap"));
    o.screenshot = parser.value(QStringLiteral("screenshot"));
    o.exportPlot = parser.value(QStringLiteral("export-plot"));
    o.language = parser.value(QStringLiteral("language"));
    o.quit = parser.isSet(QStringLiteral("quit"));
    const QString size = parser.value(QStringLiteral("size"));
    if (!size.isEmpty()) {
        const QStringList wh = size.split(QLatin1Char('x'));
        const int w = wh.value(0).toInt(), h = wh.value(1).toInt();
        if (wh.size() != 2 || w < 200 || h < 200)
            return makeError(QObject::tr("--size %1: expected WIDTHxHEIGHT, e.g. 1600x1000").arg(size));
        o.size = QSize(w, h);
    }
    static const QStringList views {QStringLiteral("spectrum"), QStringLiteral("heatmap"),
                                    QStringLiteral("layers"), QStringLiteral("sweep"),
                                    QStringLiteral("cost")};
    if (!o.view.isEmpty() && o.view != QLatin1String("all") && !views.contains(o.view))
        return makeError(
            QObject::tr("--view %1: expected one of %2").arg(o.view, views.join(QStringLiteral(", "))));
    if (!o.language.isEmpty() && !MainWindow::availableLanguages().contains(o.language))
        return makeError(QObject::tr("--language %1: expected en or de").arg(o.language));
    if ((o.analyze || o.calibrate || o.evaluate || o.rankSweep || !o.layer.isEmpty()) && o.model.isEmpty())
        return makeError(QObject::tr("the scripted jobs need a checkpoint folder argument"));
    return o;
}

static Status waitFor(MainWindow &window, const QString &what)
{
    // Generous: a whole-model evaluation of the small models takes seconds to a few minutes.
    if (!window.runner()->waitForIdle(30 * 60 * 1000))
        return makeError(QObject::tr("%1 did not finish").arg(what));
    if (!window.lastError().isEmpty())
        return makeError(QObject::tr("%1: %2").arg(what, window.lastError()));
    return Status::success();
}

Status runScript(MainWindow &window, const ScriptOptions &o)
{
    if (!o.language.isEmpty())
        window.setLanguage(o.language);
    if (o.size.isValid())
        window.resize(o.size);
    if (o.model.isEmpty())
        return Status::success();
    window.setQuietErrors(o.isScripted());
    window.setEvaluationWindows(o.evalWindows);
    Status s = window.openCheckpoint(o.model, o.isScripted());
    if (!s)
        return s;
    if (!o.statsPath.isEmpty()) {
        window.loadStatistics(o.statsPath);
        if (!window.lastError().isEmpty())
            return makeError(window.lastError());
    }
    if (o.calibrate) {
        window.calibrate();
        if (!(s = waitFor(window, QObject::tr("Calibration"))))
            return s;
    }
    if (o.analyze) {
        window.quantizeModel();
        if (!(s = waitFor(window, QObject::tr("Quantization"))))
            return s;
    }
    if (o.evaluate) {
        window.evaluate();
        if (!(s = waitFor(window, QObject::tr("Evaluation"))))
            return s;
    }
    if (o.rankSweep) {
        window.rankSweep();
        if (!(s = waitFor(window, QObject::tr("Rank sweep"))))
            return s;
    }
    if (!o.layer.isEmpty()) {
        if (!window.document()->layer(o.layer))
            return makeError(QObject::tr("--layer %1: no such linear layer in %2").arg(o.layer, o.model));
        window.selectLayer(o.layer);
        if (!(s = waitFor(window, QObject::tr("Layer detail"))))
            return s;
        window.layerTree()->expandAll();
    }
    if (o.view == QLatin1String("all") && !o.screenshot.isEmpty()) {
        // One screenshot per view: <name>-<view>.png beside --screenshot's path.
        static const QStringList views {QStringLiteral("spectrum"), QStringLiteral("heatmap"),
                                        QStringLiteral("layers"), QStringLiteral("sweep"),
                                        QStringLiteral("cost")};
        const QFileInfo base(o.screenshot);
        QDir().mkpath(base.absolutePath());
        for (int v = 0; v < views.size(); ++v) {
            window.setCurrentView(MainWindow::View(v));
            for (int i = 0; i < 10; ++i) {
                QApplication::processEvents();
                QThread::msleep(20);
            }
            const QString path = base.absolutePath() + QLatin1Char('/') + base.completeBaseName()
                + QLatin1Char('-') + views[v] + QStringLiteral(".png");
            if (!window.grab().save(path))
                return makeError(QObject::tr("Cannot write the screenshot %1").arg(path));
        }
        return Status::success();
    }
    if (!o.view.isEmpty()) {
        static const QStringList views {QStringLiteral("spectrum"), QStringLiteral("heatmap"),
                                        QStringLiteral("layers"), QStringLiteral("sweep"),
                                        QStringLiteral("cost")};
        window.setCurrentView(MainWindow::View(views.indexOf(o.view)));
    }
    if (!o.heatmapStage.isEmpty())
        window.heatmapPanel()->heatmap()->setStage(o.heatmapStage == QLatin1String("before")
                                                       ? ErrorHeatmap::Stage::Before
                                                       : ErrorHeatmap::Stage::After);
    // Let layouts settle and plots replot at their final size.
    for (int i = 0; i < 10; ++i) {
        QApplication::processEvents();
        QThread::msleep(20);
    }
    if (!o.screenshot.isEmpty()) {
        QDir().mkpath(QFileInfo(o.screenshot).absolutePath());
        if (!window.grab().save(o.screenshot))
            return makeError(QObject::tr("Cannot write the screenshot %1").arg(o.screenshot));
    }
    if (!o.exportPlot.isEmpty()) {
        PlotView *p = nullptr;
        for (int i = 0; i < MainWindow::ViewCount && !p; ++i)
            if (window.plot(MainWindow::View(i)) && window.plot(MainWindow::View(i))->isVisible())
                p = window.plot(MainWindow::View(i));
        if (!p)
            return makeError(QObject::tr("No plot is visible to export"));
        if (!(s = p->exportTo(o.exportPlot)))
            return s;
    }
    return Status::success();
}

} // namespace lqer
