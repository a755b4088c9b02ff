#include "app/studio/script.h"

#include "app/studio/exportdialog.h"
#include "app/studio/jobrunner.h"
#include "app/studio/mainwindow.h"
#include "app/studio/sessionbrowser.h"
#include "app/studio/sessions.h"
#include "app/studio/layerbrowser.h"
#include "app/studio/planeditor.h"
#include "app/studio/lessonpanel.h"
#include "app/studio/teaching.h"
#include "app/studio/views/blockexplorerview.h"
#include "app/studio/views/heatmapview.h"
#include "app/studio/views/registry.h"
#include "widgets/errorheatmap.h"
#include "widgets/plotview.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QImageWriter>
#include <QScreen>
#include <QThread>
#include <QTreeView>

#include <cstdio>

namespace lqer {

void addScriptOptions(QCommandLineParser &parser)
{
    parser.addPositionalArgument(QStringLiteral("checkpoint"),
                                 QObject::tr("Checkpoint folder or GGUF model (.gguf) to open"),
                                 QStringLiteral("[checkpoint]"));
    parser.addOptions({
        {QStringLiteral("lora"),
         QObject::tr("The GGUF LoRA adapter <file> of a .gguf model (for evaluation)."),
         QStringLiteral("file")},
        {QStringLiteral("stats"), QObject::tr("Load calibration statistics from <file>."),
         QStringLiteral("file")},
        {QStringLiteral("calibrate"), QObject::tr("Run the calibration job.")},
        {QStringLiteral("analyze"), QObject::tr("Quantize the whole model with the plan.")},
        {QStringLiteral("layer"), QObject::tr("Select <layer> and decompose it."), QStringLiteral("layer")},
        {QStringLiteral("evaluate"), QObject::tr("Evaluate perplexity.")},
        {QStringLiteral("eval-windows"), QObject::tr("Evaluate at most <n> windows."), QStringLiteral("n")},
        {QStringLiteral("rank-sweep"), QObject::tr("Run a rank sweep.")},
        {QStringLiteral("rank-curves"),
         QObject::tr("Predict the Rank explorer's per-layer curves (after the calibration).")},
        {QStringLiteral("eval-text"), QObject::tr("Evaluate on the text <file>."), QStringLiteral("file")},
        {QStringLiteral("view"), QObject::tr("Show <view>: spectrum, heatmap, layers, sweep, cost, compare."),
         QStringLiteral("view")},
        {QStringLiteral("heatmap"), QObject::tr("Heatmap stage: before or after."), QStringLiteral("stage")},
        {QStringLiteral("screenshot"), QObject::tr("Save a PNG of the window to <file> and quit."),
         QStringLiteral("file")},
        {QStringLiteral("screenshot-at"),
         QObject::tr("Take the screenshot while a job passes <percent> % (the status bar shows its progress, "
                     "ETA and memory) instead of at the end."),
         QStringLiteral("percent")},
        {QStringLiteral("export-plot"),
         QObject::tr("Export the current view's plot to <file> (.png/.svg/.pdf) and quit."),
         QStringLiteral("file")},
        {QStringLiteral("language"), QObject::tr("User interface language: en or de."),
         QStringLiteral("lang")},
        {QStringLiteral("size"), QObject::tr("Window size WIDTHxHEIGHT."), QStringLiteral("size")},
        {QStringLiteral("quit"), QObject::tr("Quit after the scripted steps.")},
        {QStringLiteral("db"),
         QObject::tr("Session database <file> (default: $LQER_SESSIONS_DB or the user data folder)."),
         QStringLiteral("file")},
        {QStringLiteral("session"), QObject::tr("Reopen session <id> from the database."),
         QStringLiteral("id")},
        {QStringLiteral("preset"), QObject::tr("Use the plan preset <name>."), QStringLiteral("name")},
        {QStringLiteral("compare"),
         QObject::tr("Compare runs <a,b> of the database (or \"last\": the last two runs with layers)."),
         QStringLiteral("runs")},
        {QStringLiteral("sessions"), QObject::tr("Show the sessions panel.")},
        {QStringLiteral("export"), QObject::tr("Export the packed quantized checkpoint to <dir>."),
         QStringLiteral("dir")},
        {QStringLiteral("lesson"), QObject::tr("Open lesson <n> (1-5) of the teaching mode."),
         QStringLiteral("n")},
        {QStringLiteral("step"), QObject::tr("Start the lesson at step <s>."), QStringLiteral("s")},
        {QStringLiteral("presentation"),
         QObject::tr("Presentation mode (large fonts, high contrast, full screen).")},
    });
}

static Status lessonOptionsFrom(const QCommandLineParser &parser, ScriptOptions &o)
{
    o.presentation = parser.isSet(QStringLiteral("presentation"));
    if (parser.isSet(QStringLiteral("lesson"))) {
        bool ok = false;
        o.lesson = parser.value(QStringLiteral("lesson")).toInt(&ok);
        if (!ok || o.lesson < 1 || o.lesson > lessons().size())
            return makeError(QObject::tr("--lesson %1: expected a lesson number from 1 to %2")
                                 .arg(parser.value(QStringLiteral("lesson")))
                                 .arg(lessons().size()));
    }
    if (parser.isSet(QStringLiteral("step"))) {
        bool ok = false;
        o.lessonStep = parser.value(QStringLiteral("step")).toInt(&ok);
        const int steps = o.lesson ? int(lessons()[o.lesson - 1].steps.size()) : 0;
        if (!ok || o.lessonStep < 1 || o.lessonStep > steps)
            return makeError(QObject::tr("--step %1: expected a step of lesson %2 (1 to %3)")
                                 .arg(parser.value(QStringLiteral("step")))
                                 .arg(o.lesson)
                                 .arg(steps));
    }
    return Status::success();
}

Expected<ScriptOptions> scriptOptionsFrom(const QCommandLineParser &parser)
{
    ScriptOptions o;
    o.model = parser.positionalArguments().value(0);
    o.lora = parser.value(QStringLiteral("lora"));
    o.statsPath = parser.value(QStringLiteral("stats"));
    o.calibrate = parser.isSet(QStringLiteral("calibrate"));
    o.analyze = parser.isSet(QStringLiteral("analyze"));
    o.layer = parser.value(QStringLiteral("layer"));
    o.evaluate = parser.isSet(QStringLiteral("evaluate"));
    o.evalWindows = parser.value(QStringLiteral("eval-windows")).toInt();
    o.rankSweep = parser.isSet(QStringLiteral("rank-sweep"));
    o.rankCurves = parser.isSet(QStringLiteral("rank-curves"));
    o.evalText = parser.value(QStringLiteral("eval-text"));
    if (!o.evalText.isEmpty() && !QFileInfo(o.evalText).isFile())
        return makeError(QObject::tr("--eval-text %1: no such file").arg(o.evalText));
    o.view = parser.value(QStringLiteral("view"));
    o.heatmapStage = parser.value(QStringLiteral("heatmap"));
    o.screenshot = parser.value(QStringLiteral("screenshot"));
    o.exportPlot = parser.value(QStringLiteral("export-plot"));
    if (parser.isSet(QStringLiteral("screenshot-at"))) {
        bool ok = false;
        o.screenshotAtPercent = parser.value(QStringLiteral("screenshot-at")).toInt(&ok);
        if (!ok || o.screenshotAtPercent < 1 || o.screenshotAtPercent > 99 || o.screenshot.isEmpty())
            return makeError(
                QObject::tr("--screenshot-at %1: expected a percentage from 1 to 99, with --screenshot")
                    .arg(parser.value(QStringLiteral("screenshot-at"))));
    }
    o.language = parser.value(QStringLiteral("language"));
    o.quit = parser.isSet(QStringLiteral("quit"));
    o.db = parser.value(QStringLiteral("db"));
    o.preset = parser.value(QStringLiteral("preset"));
    o.showSessions = parser.isSet(QStringLiteral("sessions"));
    o.exportDir = parser.value(QStringLiteral("export"));
    if (parser.isSet(QStringLiteral("session"))) {
        bool ok = false;
        o.session = parser.value(QStringLiteral("session")).toLongLong(&ok);
        if (!ok || o.session <= 0)
            return makeError(QObject::tr("--session %1: expected a session id (a positive number)")
                                 .arg(parser.value(QStringLiteral("session"))));
    }
    if (parser.isSet(QStringLiteral("compare"))) {
        const QString text = parser.value(QStringLiteral("compare"));
        if (text == QLatin1String("last")) {
            o.compareLast = true;
        } else {
            const QStringList ids = text.split(QLatin1Char(','));
            bool ok = ids.size() == 2;
            for (const QString &id : ids) {
                bool good = false;
                o.compare << id.trimmed().toLongLong(&good);
                ok = ok && good;
            }
            if (!ok)
                return makeError(
                    QObject::tr("--compare %1: expected two run ids \"A,B\" or \"last\"").arg(text));
        }
    }
    if (Status s = lessonOptionsFrom(parser, o); !s)
        return makeError(s.error());
    if (!o.preset.isEmpty() && !Plan::presetNames().contains(o.preset))
        return makeError(QObject::tr("--preset %1: expected one of %2")
                             .arg(o.preset, Plan::presetNames().join(QStringLiteral(", "))));
    const QString size = parser.value(QStringLiteral("size"));
    if (!size.isEmpty()) {
        const QStringList wh = size.split(QLatin1Char('x'));
        const int w = wh.value(0).toInt(), h = wh.value(1).toInt();
        if (wh.size() != 2 || w < 200 || h < 200)
            return makeError(QObject::tr("--size %1: expected WIDTHxHEIGHT, e.g. 1600x1000").arg(size));
        o.size = QSize(w, h);
    }
    if (!o.view.isEmpty() && o.view != QLatin1String("all") && !analysisViewIds().contains(o.view))
        return makeError(QObject::tr("--view %1: expected one of %2")
                             .arg(o.view, analysisViewIds().join(QStringLiteral(", "))));
    if (!o.language.isEmpty() && !MainWindow::availableLanguages().contains(o.language))
        return makeError(QObject::tr("--language %1: expected en or de").arg(o.language));
    if ((o.analyze || o.calibrate || o.evaluate || o.rankSweep || !o.layer.isEmpty() || !o.preset.isEmpty()
         || !o.exportDir.isEmpty())
        && o.model.isEmpty() && o.session == 0)
        return makeError(QObject::tr("the scripted jobs need a checkpoint folder argument or --session"));
    if (!o.lora.isEmpty() && !o.model.endsWith(QLatin1String(".gguf"), Qt::CaseInsensitive))
        return makeError(QObject::tr("--lora %1: an adapter needs a .gguf model to open").arg(o.lora));
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

// Screenshots for the documentation stay small: a PNG over 300 KB (e.g. a noisy heatmap) is
// written with a 256-colour palette instead, which keeps the UI text crisp.
static Status saveScreenshot(const QWidget &window, const QString &path)
{
    const QImage image = const_cast<QWidget &>(window).grab().toImage();
    if (!image.save(path, "PNG"))
        return makeError(QObject::tr("Cannot write the screenshot %1").arg(path));
    constexpr qint64 kLimit = 300 * 1024;
    if (QFileInfo(path).size() > kLimit) {
        const QImage palette
            = image.convertToFormat(QImage::Format_Indexed8, Qt::ThresholdDither | Qt::AvoidDither);
        QImageWriter writer(path, "png");
        writer.setQuality(0); // maximum compression
        if (!writer.write(palette))
            return makeError(
                QObject::tr("Cannot write the screenshot %1: %2").arg(path, writer.errorString()));
    }
    return Status::success();
}

static void settle()
{
    // Let layouts settle and plots replot at their final size.
    for (int i = 0; i < 10; ++i) {
        QApplication::processEvents();
        QThread::msleep(20);
    }
}

namespace {

// The steps of runScript, in their fixed order; each returns the first error.

Status openStep(MainWindow &window, const ScriptOptions &o)
{
    if (o.session) {
        if (!window.sessions()->isOpen())
            return makeError(QObject::tr("--session %1: no session database is open (%2)")
                                 .arg(o.session)
                                 .arg(window.sessions()->openError()));
        return window.openSession(o.session);
    }
    if (Teaching::isSessionFile(o.model)) // a workshop bundle (lqer sessions export --session)
        return window.teaching()->openSessionFile(o.model);
    if (!o.model.isEmpty())
        return window.openModel(o.model, o.lora, o.isScripted());
    return Status::success();
}

Status presetStep(MainWindow &window, const ScriptOptions &o)
{
    if (o.preset.isEmpty())
        return Status::success();
    auto plan = Plan::fromPreset(o.preset);
    if (!plan)
        return makeError(plan.error());
    window.planEditor()->applyPreset(o.preset);
    window.savePlanNow();
    return Status::success();
}

Status statisticsStep(MainWindow &window, const ScriptOptions &o)
{
    if (o.statsPath.isEmpty())
        return Status::success();
    window.jobs()->start(QStringLiteral("stats"), o.statsPath);
    if (!window.lastError().isEmpty())
        return makeError(window.lastError());
    return Status::success();
}

// The jobs the options ask for, in order, each waited for.
Status jobSteps(MainWindow &window, const ScriptOptions &o)
{
    const struct
    {
        bool wanted;
        const char *kind;
        QString what;
    } steps[] = {
        {o.calibrate, "calibrate", QObject::tr("Calibration")},
        {o.rankCurves, "curves", QObject::tr("Rank curves")},
        {o.analyze, "quantize", QObject::tr("Quantization")},
        {o.evaluate, "evaluate", QObject::tr("Evaluation")},
        {o.rankSweep, "sweep", QObject::tr("Rank sweep")},
    };
    for (const auto &step : steps) {
        if (!step.wanted)
            continue;
        window.jobs()->start(QString::fromLatin1(step.kind));
        if (Status s = waitFor(window, step.what); !s)
            return s;
    }
    return Status::success();
}

Status layerStep(MainWindow &window, const ScriptOptions &o)
{
    if (o.layer.isEmpty())
        return Status::success();
    if (!window.document() || !window.document()->layer(o.layer))
        return makeError(QObject::tr("--layer %1: no such linear layer in %2").arg(o.layer, o.model));
    // The window as a user sees it before choosing a layer: painted once. The first paint loads
    // fonts and draws every widget (tens of ms), which would otherwise count as the detail job's
    // event-loop stall.
    QCoreApplication::processEvents();
    window.selectLayer(o.layer);
    if (Status s = waitFor(window, QObject::tr("Layer detail")); !s)
        return s;
    window.layerBrowser()->tree()->expandAll();
    return Status::success();
}

Status exportStep(MainWindow &window, const ScriptOptions &o)
{
    if (o.exportDir.isEmpty())
        return Status::success();
    ExportDialog *dialog = window.exportDialog();
    ExportDialog::Settings settings = dialog->settings();
    settings.format = ExportDialog::Format::Packed;
    settings.outputDir = o.exportDir;
    dialog->setSettings(settings);
    dialog->setConfirm([](const QString &) { return false; }); // never overwrite in scripts
    if (Status s = dialog->start(); !s)
        return s;
    dialog->waitForFinished(30 * 60 * 1000);
    if (!dialog->lastOutcome() || !dialog->lastOutcome()->ok)
        return makeError(
            QObject::tr("Export: %1").arg(dialog->lastOutcome() ? dialog->lastOutcome()->error : QString()));
    std::printf("%s\n", qPrintable(dialog->resultText()));
    return Status::success();
}

// --compare last: the last two runs of the current session that have layers.
Expected<QList<qint64>> lastTwoRuns(MainWindow &window)
{
    const qint64 session = window.currentSessionId();
    auto list = window.sessions()->runs(session);
    if (!session || !list)
        return makeError(QObject::tr("--compare last: no session with runs is open"));
    QList<qint64> runs;
    for (auto it = list->crbegin(); it != list->crend() && runs.size() < 2; ++it)
        if (it->layerCount > 0)
            runs.prepend(it->id);
    if (runs.size() < 2)
        return makeError(QObject::tr("--compare last: the session has fewer than two runs with layers"));
    return runs;
}

Status compareStep(MainWindow &window, const ScriptOptions &o)
{
    if (o.compare.isEmpty() && !o.compareLast)
        return Status::success();
    auto runs = o.compareLast ? lastTwoRuns(window) : Expected<QList<qint64>>(o.compare);
    if (!runs)
        return makeError(runs.error());
    if (Status s = window.compareRuns((*runs)[0], (*runs)[1]); !s)
        return s;
    window.sessionBrowser()->selectRuns(*runs);
    return Status::success();
}

// --view all: one screenshot per view, <name>-<view>.png beside --screenshot's path.
Status screenshotEveryView(MainWindow &window, const ScriptOptions &o)
{
    const QFileInfo base(o.screenshot);
    QDir().mkpath(base.absolutePath());
    for (const QString &view : analysisViewIds()) {
        window.setCurrentView(view);
        settle();
        const QString path = base.absolutePath() + QLatin1Char('/') + base.completeBaseName()
            + QLatin1Char('-') + view + QStringLiteral(".png");
        if (Status s = saveScreenshot(window, path); !s)
            return s;
    }
    return Status::success();
}

Status showViewStep(MainWindow &window, const ScriptOptions &o)
{
    if (!o.view.isEmpty())
        window.setCurrentView(o.view);
    if (!o.heatmapStage.isEmpty())
        if (HeatmapView *heatmap = window.view<HeatmapView>())
            heatmap->panel()->heatmap()->setStage(o.heatmapStage == QLatin1String("before")
                                                      ? ErrorHeatmap::Stage::Before
                                                      : ErrorHeatmap::Stage::After);
    // Showing the heatmap may start its detail job (a reopened session computes it on demand).
    settle();
    if (Status s = waitFor(window, QObject::tr("Layer detail")); !s)
        return s;
    settle();
    return Status::success();
}

// --lesson N --step S: the step set up, its jobs and computations finished.
Status lessonStep(MainWindow &window, const ScriptOptions &o)
{
    if (o.lesson > 0) {
        window.teaching()->openLesson(o.lesson);
        window.teaching()->panel()->showStep(o.lesson - 1, o.lessonStep - 1);
        settle();
        if (Status s = waitFor(window, QObject::tr("Lesson %1").arg(o.lesson)); !s)
            return s;
        const BlockExplorerView *explorer = window.view<BlockExplorerView>();
        const LessonPanel *panel = window.teaching()->panel();
        for (int i = 0; i < 3000 && (explorer->isBusy() || panel->isComputingEnergy()); ++i) {
            QApplication::processEvents();
            QThread::msleep(10);
        }
    }
    if (o.presentation)
        window.teaching()->setPresentationMode(true);
    return Status::success();
}

Status outputStep(MainWindow &window, const ScriptOptions &o, bool screenshotTaken)
{
    if (!o.screenshot.isEmpty() && !screenshotTaken) {
        QDir().mkpath(QFileInfo(o.screenshot).absolutePath());
        if (Status s = saveScreenshot(window, o.screenshot); !s)
            return s;
    }
    if (o.exportPlot.isEmpty())
        return Status::success();
    PlotView *p = nullptr;
    for (const auto &view : window.views())
        if (!p && view->plot() && view->plot()->isVisible())
            p = view->plot();
    if (!p)
        return makeError(QObject::tr("No plot is visible to export"));
    return p->exportTo(o.exportPlot);
}

} // namespace

Status runScript(MainWindow &window, const ScriptOptions &o)
{
    if (!o.language.isEmpty())
        window.setLanguage(o.language);
    if (o.size.isValid())
        window.resize(o.size);
    if (o.model.isEmpty() && o.session == 0 && o.compare.isEmpty() && !o.compareLast)
        return Status::success();
    window.setQuietErrors(o.isScripted());
    window.setEvaluationWindows(o.evalWindows);
    window.setEvaluationText(o.evalText);
    // An unusable session database was reported when it was opened; the steps run without it.
    window.clearLastError();
    // --screenshot-at: the window while a job runs, taken when its progress passes the mark.
    bool screenshotTaken = false;
    Status screenshotStatus;
    QMetaObject::Connection midJob;
    if (o.screenshotAtPercent > 0)
        midJob = QObject::connect(window.runner(), &JobRunner::progress, &window,
                                  [&](double fraction, const QString &, double) {
                                      if (screenshotTaken || fraction * 100 < o.screenshotAtPercent)
                                          return;
                                      screenshotTaken = true;
                                      QDir().mkpath(QFileInfo(o.screenshot).absolutePath());
                                      screenshotStatus = saveScreenshot(window, o.screenshot);
                                  });
    using Step = Status (*)(MainWindow &, const ScriptOptions &);
    for (Step step : {openStep, presetStep, statisticsStep, jobSteps, layerStep, exportStep, compareStep})
        if (Status s = step(window, o); !s) {
            QObject::disconnect(midJob);
            return s;
        }
    QObject::disconnect(midJob);
    if (!screenshotStatus)
        return screenshotStatus;
    if (o.showSessions) {
        window.sessionDock()->show();
        window.sessionDock()->raise();
    }
    if (Status s = lessonStep(window, o); !s)
        return s;
    if (o.view == QLatin1String("all") && !o.screenshot.isEmpty())
        return screenshotEveryView(window, o);
    if (Status s = showViewStep(window, o); !s)
        return s;
    return outputStep(window, o, screenshotTaken);
}

} // namespace lqer
