#include "app/studio/mainwindow.h"

#include "app/studio/exportdialog.h"
#include "app/studio/jobstatus.h"
#include "app/studio/layerbrowser.h"
#include "app/studio/planeditor.h"
#include "app/studio/recentfiles.h"
#include "app/studio/sessionbrowser.h"
#include "app/studio/sessioncontroller.h"
#include "app/studio/sessions.h"
#include "app/studio/studioactions.h"
#include "app/studio/teaching.h"
#include "app/studio/views/compareview.h"
#include "app/studio/views/registry.h"
#include "app/studio/views/spectrumview.h"
#include "core/export/ggufmodel.h"
#include "widgets/plotview.h"

#include <QAction>
#include <QActionGroup>
#include <QMenu>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QUndoGroup>
#include <QVBoxLayout>

// The icons and translations are compiled into this static library; a static library's
// resources are dropped by the linker unless something references their initialiser.
static void initStudioResources()
{
    Q_INIT_RESOURCE(studio_icons);
    Q_INIT_RESOURCE(lqer_studio_lib_translations);
}

namespace lqer {

// Settings keys, declared where they are used (STYLE.md §5).
static const QString kGeometryKey = QStringLiteral("studio.window.geometry");
static const QString kStateKey = QStringLiteral("studio.window.state");
static const QString kLanguageKey = QStringLiteral("studio.language");
static const QString kLastDirKey = QStringLiteral("studio.lastDirectory");
static const QString kMpOverlayKey = QStringLiteral("studio.spectrum.marchenkoPastur");

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , mRunner(new JobRunner(this))
    , mStall(new StallMonitor(this))
    , mSession(new SessionController(*this, this))
    , mJobs(new JobController(*this, mRunner, mSession, this))
{
    initStudioResources();
    setObjectName(QStringLiteral("MainWindow"));
    setAcceptDrops(true);
    setWindowIcon(QIcon(QStringLiteral(":/icons/lqer-studio.svg")));

    createViews();
    mRefreshTimer.setSingleShot(true);
    mRefreshTimer.setInterval(100); // coalesce per-layer updates of the charts
    connect(&mRefreshTimer, &QTimer::timeout, this, &MainWindow::refreshViews);

    createActions();
    createDocks();
    mTeaching = new Teaching(*this, mActions->helpMenu, mActions->fileMenu);
    mJobStatus = new JobStatus(statusBar(), mActions->cancel, this);

    connect(mRunner, &JobRunner::started, this, &MainWindow::onJobStarted);
    connect(mRunner, &JobRunner::progress, this, &MainWindow::onJobProgress);
    connect(mRunner, &JobRunner::finished, this, &MainWindow::onJobFinished);

    QSettings settings;
    restoreGeometry(settings.value(kGeometryKey).toByteArray());
    restoreState(settings.value(kStateKey).toByteArray());
    mActions->marchenkoPastur->setChecked(settings.value(kMpOverlayKey, true).toBool());
    const QString language = settings.value(kLanguageKey, QStringLiteral("en")).toString();
    if (language != QLatin1String("en"))
        setLanguage(language);
    retranslate();
    updateActions();
    mStall->start();
}

MainWindow::~MainWindow()
{
    // The runner's destructor cancels and waits; it must go before the document it feeds.
    delete mRunner;
    mRunner = nullptr;
    // The views' pages go before the views that drive them.
    delete mTabs;
    mTabs = nullptr;
}

void MainWindow::createViews()
{
    mViews = createAnalysisViews(*this);
    mTabs = new QTabWidget;
    mTabs->setDocumentMode(true);
    for (const auto &v : mViews)
        mTabs->addTab(v->widget(), QString());
    connect(mTabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (index >= 0 && index < int(mViews.size()))
            mViews[size_t(index)]->activated();
    });
    auto *central = new QWidget;
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(2);
    centralLayout->addWidget(mSession->banner());
    centralLayout->addWidget(mTabs, 1);
    setCentralWidget(central);
}

void MainWindow::createActions()
{
    mActions = std::make_unique<StudioActions>(this, int(mViews.size()), availableLanguages());
    StudioActions &a = *mActions;
    mRecent = new RecentFiles(a.recentMenu, this);
    connect(mRecent, &RecentFiles::openRequested, this,
            [this](const QString &path) { openCheckpoint(path); });
    connect(a.open, &QAction::triggered, this, &MainWindow::openDialog);
    connect(a.openFile, &QAction::triggered, this, &MainWindow::openModelFileDialog);
    connect(a.loadStats, &QAction::triggered, this, [this] { mJobs->start(QStringLiteral("stats")); });
    connect(a.exportView, &QAction::triggered, this, &MainWindow::exportCurrentView);
    connect(a.exportModel, &QAction::triggered, this, &MainWindow::showExportDialog);
    connect(a.quit, &QAction::triggered, this, &QWidget::close);
    for (QAction *job : a.jobActions())
        connect(job, &QAction::triggered, this, [this, job] { mJobs->start(job->data().toString()); });
    connect(a.cancel, &QAction::triggered, this, &MainWindow::cancelJob);
    connect(a.marchenkoPastur, &QAction::toggled, this, [this](bool on) {
        if (SpectrumView *spectrum = view<SpectrumView>())
            spectrum->setReferenceVisible(on);
        QSettings().setValue(kMpOverlayKey, on);
    });
    connect(a.about, &QAction::triggered, this, [this] {
        QMessageBox::about(
            this, tr("About LQER Studio"),
            tr("<b>LQER Studio %1</b><p>Post-training quantization of LLMs with low-rank "
               "quantization error reconstruction (LQER / L²QER, Zhang et al., ICML 2024).</p>")
                .arg(QStringLiteral(LQER_VERSION_STRING)));
    });
    for (int v = 0; v < a.views.size(); ++v)
        connect(a.views[v], &QAction::triggered, this, [this, v] { mTabs->setCurrentIndex(v); });
    for (QAction *lang : a.languages->actions()) {
        lang->setChecked(lang->data().toString() == mLanguage);
        connect(lang, &QAction::triggered, this, [this, lang] { setLanguage(lang->data().toString()); });
    }
}

void MainWindow::createDocks()
{
    createLayerBrowser();

    mPlanEditor = new PlanEditor;
    mPlanDock = new QDockWidget;
    mPlanDock->setObjectName(QStringLiteral("PlanDock"));
    mPlanDock->setWidget(mPlanEditor);
    addDockWidget(Qt::BottomDockWidgetArea, mPlanDock);
    connect(mPlanEditor, &PlanEditor::currentLayerChanged, this, [this](const QString &layer) {
        if (!layer.isEmpty() && layer != mCurrentLayer)
            selectLayer(layer);
    });

    createSessionDock();

    QMenu *viewMenu = mActions->viewMenu;
    viewMenu->addSeparator();
    viewMenu->addActions(
        {mLayerDock->toggleViewAction(), mSessionDock->toggleViewAction(), mPlanDock->toggleViewAction()});
}

void MainWindow::createLayerBrowser()
{
    mLayerBrowser = new LayerBrowser;
    connect(mLayerBrowser, &LayerBrowser::layerActivated, this, [this](const QString &layer) {
        if (layer != mCurrentLayer)
            selectLayer(layer);
    });
    mLayerDock = new QDockWidget;
    mLayerDock->setObjectName(QStringLiteral("LayerDock"));
    mLayerDock->setWidget(mLayerBrowser);
    addDockWidget(Qt::LeftDockWidgetArea, mLayerDock);
    resizeDocks({mLayerDock}, {520}, Qt::Horizontal);
}

void MainWindow::createSessionDock()
{
    mSessionBrowser = new SessionBrowser(mSession->manager());
    mSessionDock = new QDockWidget;
    mSessionDock->setObjectName(QStringLiteral("SessionDock"));
    mSessionDock->setWidget(mSessionBrowser);
    addDockWidget(Qt::LeftDockWidgetArea, mSessionDock);
    tabifyDockWidget(mLayerDock, mSessionDock);
    mLayerDock->raise();
    connect(mSessionBrowser, &SessionBrowser::openRequested, this, [this](qint64 id) { openSession(id); });
    connect(mSessionBrowser, &SessionBrowser::compareRequested, this,
            [this](qint64 a, qint64 b) { compareRuns(a, b); });
    connect(mSessionBrowser, &SessionBrowser::errorOccurred, this,
            [this](const QString &title, const QString &message) {
                showError(title, message, tr("Check that the session database is writable."));
            });
    connect(mSessionBrowser, &SessionBrowser::sessionDeleted, mSession, &SessionController::sessionDeleted);
    connect(mSession, &SessionController::currentSessionChanged, mSessionBrowser,
            &SessionBrowser::setCurrentSession);
}

QStringList MainWindow::availableLanguages()
{
    return {QStringLiteral("en"), QStringLiteral("de")};
}

void MainWindow::setLanguage(const QString &language)
{
    if (!availableLanguages().contains(language))
        return;
    qApp->removeTranslator(&mTranslator);
    qApp->removeTranslator(&mQtTranslator);
    mLanguage = language;
    if (language != QLatin1String("en")) {
        if (mTranslator.load(QStringLiteral(":/i18n/lqer_studio_%1.qm").arg(language)))
            qApp->installTranslator(&mTranslator);
        if (mQtTranslator.load(QStringLiteral("qtbase_%1").arg(language),
                               QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            qApp->installTranslator(&mQtTranslator);
    }
    // installTranslator sends LanguageChange to every widget; English needs it done by hand.
    if (language == QLatin1String("en"))
        retranslate();
    for (QAction *a : mActions->languages->actions())
        a->setChecked(a->data().toString() == language);
    QSettings().setValue(kLanguageKey, language);
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QMainWindow::changeEvent(event);
}

void MainWindow::retranslate()
{
    setWindowTitle(mDocument ? tr("%1 — LQER Studio").arg(mDocument->displayName()) : tr("LQER Studio"));
    QStringList titles;
    for (size_t v = 0; v < mViews.size(); ++v) {
        mViews[v]->retranslate();
        mTabs->setTabText(int(v), mViews[v]->title());
        titles << mViews[v]->title();
    }
    mActions->retranslate(titles);
    mLayerDock->setWindowTitle(tr("Layers"));
    mPlanDock->setWindowTitle(tr("Plan"));
    mSessionDock->setWindowTitle(mSession->manager()->openError().isEmpty() ? tr("Sessions")
                                                                            : tr("Sessions (unavailable)"));
    mLayerBrowser->retranslate();
    if (mTeaching)
        mTeaching->retranslate();
    refreshViews();
    if (!mRunner || !mRunner->isRunning())
        statusBar()->showMessage(mDocument ? tr("Ready")
                                           : tr("Open a checkpoint to begin (Ctrl+O or drop a folder)"));
}

void MainWindow::updateActions()
{
    const bool open = mDocument != nullptr;
    // A packed checkpoint holds codes, not the original weights: it can only be evaluated. A
    // GGUF model's weights are dequantized for analysis; it is not exported again.
    const bool editable = open && !isPackedDocument();
    const bool running = mRunner && mRunner->isRunning();
    const StudioActions &a = *mActions;
    for (QAction *action : {a.analyze, a.quantize, a.calibrate, a.sweep, a.loadStats})
        action->setEnabled(editable);
    a.exportModel->setEnabled(editable && !isGgufDocument());
    a.evaluate->setEnabled(open);
    a.cancel->setEnabled(running);
    if (mPlanEditor)
        mPlanEditor->setEnabled(!open || editable);
}

void MainWindow::openDialog()
{
    QSettings settings;
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open checkpoint folder"),
                                                          settings.value(kLastDirKey).toString());
    if (dir.isEmpty())
        return;
    settings.setValue(kLastDirKey, QFileInfo(dir).absolutePath());
    openCheckpoint(dir);
}

void MainWindow::openModelFileDialog()
{
    QSettings settings;
    // One file (a GGUF or llama2.c model) or two (a GGUF model and its lqer-lora.gguf adapter).
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Open model file"), settings.value(kLastDirKey).toString(),
        tr("Model files (*.gguf *.bin);;GGUF models (*.gguf);;llama2.c models (*.bin);;All files (*)"));
    if (files.isEmpty())
        return;
    settings.setValue(kLastDirKey, QFileInfo(files.first()).absolutePath());
    QString model, lora;
    for (const QString &f : files)
        (isGgufAdapter(f) ? lora : model) = f;
    if (files.size() > 2 || model.isEmpty() || (!lora.isEmpty() && !isGgufFile(model))) {
        showError(tr("Cannot open model file"),
                  tr("Choose one model file, and for a GGUF model optionally its LoRA adapter."), QString());
        return;
    }
    openModel(model, lora);
}

Status MainWindow::openCheckpoint(const QString &path, bool quiet)
{
    return openModel(path, QString(), quiet);
}

Status MainWindow::openModel(const QString &path, const QString &loraPath, bool quiet)
{
    QElapsedTimer opening;
    opening.start();
    auto doc = Document::open(path, loraPath);
    if (!doc) {
        if (!quiet)
            showError(tr("Cannot open checkpoint"), doc.error(),
                      tr("Choose a Hugging Face model folder with config.json and *.safetensors files "
                         "(a LLaMA, Mistral, OPT, GPT-NeoX or GPT-2 model), a GGUF LLaMA model or a llama2.c "
                         "model file (.bin)."));
        mLastError = doc.error();
        return makeError(doc.error());
    }
    // A running job works on the old document: stop it first (its results are recorded in the
    // old document's session as a cancelled run), and save a pending plan edit.
    mRunner->cancel();
    if (mRunner->isRunning())
        mRunner->waitForIdle(30000);
    mSession->detach();
    // The views still point at the old document until they get the new one: it goes last.
    std::unique_ptr<Document> previous = std::move(mDocument);
    mDocument = std::move(*doc);
    attachDocument();
    previous.reset();
    for (const auto &v : mViews)
        v->clear();
    mCurrentLayer.clear();
    mRecent->add(QFileInfo(path).absoluteFilePath());
    retranslate();
    reportOpened();
    updateActions();
    qInfo("lqer-studio: opened %s: %d layers in %.1f ms (headers only); layer browser and plan filled "
          "%.1f ms after the open began",
          qPrintable(path), int(mDocument->layers().size()), mDocument->openSeconds() * 1000.0,
          opening.nsecsElapsed() / 1e6);
    return Status::success();
}

void MainWindow::attachDocument()
{
    mActions->undoGroup->addStack(mDocument->undoStack());
    mActions->undoGroup->setActiveStack(mDocument->undoStack());
    mLayerBrowser->setDocument(mDocument.get());
    mPlanEditor->setDocument(mDocument.get());
    if (mExportDialog && !mExportDialog->isRunning())
        mExportDialog->hide();
    connect(mDocument.get(), &Document::layerResultChanged, this, [this] { scheduleRefresh(); });
    connect(mDocument.get(), &Document::planChanged, this, [this] {
        scheduleRefresh();
        mSession->planChanged();
        for (const auto &v : mViews)
            v->planChanged();
    });
    connect(mDocument.get(), &Document::perplexityChanged, this, &MainWindow::refreshViews);
}

void MainWindow::reportOpened()
{
    if (isGgufDocument())
        statusBar()->showMessage(
            tr("Opened the GGUF model %1: %2 linear layers (%3); layer detail and analysis use the "
               "dequantized "
               "weights, Evaluate runs it as llama.cpp does%4")
                .arg(mDocument->displayName())
                .arg(mDocument->layers().size())
                .arg(ggufTypeSummary())
                .arg(mDocument->loraPath().isEmpty()
                         ? QString()
                         : tr(" with the adapter %1").arg(QFileInfo(mDocument->loraPath()).fileName())),
            12000);
    else if (isPackedDocument())
        statusBar()->showMessage(tr("Opened the packed LQER checkpoint %1: %2 quantized layers; it can be "
                                    "evaluated (Jobs > Evaluate perplexity), not re-quantized")
                                     .arg(mDocument->displayName())
                                     .arg(mDocument->layers().size()),
                                 12000);
    else
        statusBar()->showMessage(tr("Opened %1: %2 linear layers, %3 parameters, in %4 ms")
                                     .arg(mDocument->displayName())
                                     .arg(mDocument->layers().size())
                                     .arg(formatParameterCount(mDocument->checkpoint()->parameterCount()))
                                     .arg(mDocument->openSeconds() * 1000.0, 0, 'f', 1),
                                 8000);
}

QString MainWindow::ggufTypeSummary() const
{
    QMap<QString, int> counts;
    for (const LinearLayerInfo &l : mDocument->layers())
        ++counts[mDocument->storedType(l.weightName)];
    QStringList parts;
    for (auto it = counts.begin(); it != counts.end(); ++it)
        parts << QStringLiteral("%1 × %2").arg(it.value()).arg(it.key());
    return parts.join(QStringLiteral(", "));
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.first().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.first().isLocalFile()) {
        event->acceptProposedAction();
        const QString path = urls.first().toLocalFile();
        if (Teaching::isSessionFile(path))
            mTeaching->openSessionFile(path);
        else
            openCheckpoint(path);
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // Stop the job so what it computed is recorded (as a cancelled run), and save the plan.
    mRunner->cancel();
    mRunner->waitForIdle(10000);
    savePlanNow();
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::showError(const QString &title, const QString &what, const QString &whatToDo)
{
    mLastError = what;
    qWarning("lqer-studio: %s: %s", qPrintable(title), qPrintable(what));
    statusBar()->showMessage(what, 10000);
    if (mQuietErrors)
        return;
    QMessageBox box(QMessageBox::Warning, title, what, QMessageBox::Ok, this);
    box.setInformativeText(whatToDo);
    box.exec();
}

void MainWindow::showStatus(const QString &message, int timeoutMs)
{
    statusBar()->showMessage(message, timeoutMs);
    if (mRunner->isRunning())
        mJobNote = message; // shown again when the job ends, instead of "done"
}

AnalysisView *MainWindow::view(const QString &id) const
{
    for (const auto &v : mViews)
        if (v->id() == id)
            return v.get();
    return nullptr;
}

void MainWindow::setCurrentView(const QString &id)
{
    if (AnalysisView *v = view(id))
        mTabs->setCurrentWidget(v->widget());
}

AnalysisView *MainWindow::currentView() const
{
    const int index = mTabs->currentIndex();
    return index >= 0 && index < int(mViews.size()) ? mViews[size_t(index)].get() : nullptr;
}

bool MainWindow::marchenkoPasturVisible() const
{
    return mActions->marchenkoPastur->isChecked();
}

void MainWindow::exportCurrentView()
{
    PlotView *p = currentView() ? currentView()->plot() : nullptr;
    if (!p)
        return;
    QString selected;
    const QString path
        = QFileDialog::getSaveFileName(this, tr("Export view"), QSettings().value(kLastDirKey).toString(),
                                       PlotView::exportFilters().join(QStringLiteral(";;")), &selected);
    if (path.isEmpty())
        return;
    QString target = path;
    if (QFileInfo(target).suffix().isEmpty()) {
        const int star = int(selected.indexOf(QLatin1String("*.")));
        target += selected.mid(star + 1, selected.size() - star - 2);
    }
    const Status s = p->exportTo(target);
    if (!s)
        showError(tr("Export failed"), s.error(), tr("Choose another folder or file name."));
    else
        statusBar()->showMessage(tr("Exported %1").arg(target), 5000);
}

QStringList MainWindow::selectedLayers() const
{
    return mPlanEditor->selectedLayers();
}

void MainWindow::selectLayer(const QString &layer)
{
    if (!mDocument || !mDocument->layer(layer))
        return;
    mCurrentLayer = layer;
    mLayerBrowser->showLayer(layer);
    {
        const QSignalBlocker block(mPlanEditor);
        mPlanEditor->selectLayer(layer);
    }
    for (const auto &v : mViews)
        v->layerSelected(layer);
    // While a whole-model job runs (no preview then) or while a session is being restored, the
    // views show the stored result; otherwise the detail job computes all methods' spectra and
    // the heatmap.
    if (mSession->isRestoring() || mJobs->isRunningOtherThan(QStringLiteral("detail"))
        || isPackedDocument()) {
        for (const auto &v : mViews)
            v->showStoredLayer(layer);
        return;
    }
    showLayerDetail(layer);
}

void MainWindow::showLayerDetail(const QString &layer)
{
    // A preview: when a whole-model job runs, do not cancel it for a preview of one layer.
    if (!mJobs->isRunningOtherThan(QStringLiteral("detail")))
        mJobs->start(QStringLiteral("detail"), layer);
}

void MainWindow::cancelJob()
{
    mRunner->cancel();
    statusBar()->showMessage(tr("Cancelling…"));
}

void MainWindow::onJobStarted(const QString &title)
{
    mStall->reset();
    mJobNote.clear();
    mJobStatus->started(title);
    updateActions();
}

void MainWindow::onJobProgress(double fraction, const QString &message, double eta)
{
    mJobStatus->progress(fraction, eta, mStall->maxStallMs());
    if (!message.isEmpty())
        statusBar()->showMessage(message);
}

void MainWindow::onJobFinished(const QString &title, bool ok, bool cancelled, const QString &error,
                               double seconds)
{
    mLastJobStallMs = mStall->maxStallMs();
    mJobStatus->finished(mLastJobStallMs);
    qInfo("lqer-studio: job \"%s\" %s in %.2f s; longest event-loop stall %.1f ms; RssAnon peak %.0f MB",
          qPrintable(title), ok ? "finished" : (cancelled ? "cancelled" : "failed"), seconds, mLastJobStallMs,
          mJobStatus->jobPeakMemoryBytes() / 1048576.0);
    updateActions();
    if (cancelled) {
        statusBar()->showMessage(tr("%1: cancelled after %2").arg(title, JobRunner::formatDuration(seconds)),
                                 8000);
    } else if (!ok) {
        showError(
            tr("%1 failed").arg(title), error,
            tr("Check the plan (formats, rank) and the input files named above, then run the job again."));
    } else if (!mJobNote.isEmpty()) {
        statusBar()->showMessage(mJobNote, 12000); // what the job had to say outlasts "done"
    } else {
        statusBar()->showMessage(tr("%1: done in %2").arg(title, JobRunner::formatDuration(seconds)), 8000);
    }
    mJobNote.clear();
    refreshViews();
}

void MainWindow::scheduleRefresh()
{
    if (!mRefreshTimer.isActive())
        mRefreshTimer.start();
}

bool MainWindow::startJob(const QString &id, const QString &argument)
{
    return mJobs->start(id, argument);
}

void MainWindow::refreshViews()
{
    mRefreshTimer.stop();
    for (const auto &v : mViews)
        v->refresh();
}

// ---- sessions ------------------------------------------------------------------------------

Status MainWindow::openSessionStore(const QString &path)
{
    const Status s = mSession->openStore(path);
    mSessionDock->setWindowTitle(s ? tr("Sessions") : tr("Sessions (unavailable)"));
    mSessionBrowser->refresh();
    return s;
}

Status MainWindow::compareRuns(qint64 runA, qint64 runB)
{
    auto c = sessions()->compare(runA, runB);
    if (!c) {
        showError(tr("Cannot compare the runs"), c.error(), tr("Choose two runs of the list."));
        return makeError(c.error());
    }
    if (CompareView *compare = view<CompareView>()) {
        compare->setComparison(*c);
        setCurrentView(compare->id());
    }
    return Status::success();
}

// ---- export and re-import ----------------------------------------------------------------------

ExportDialog *MainWindow::exportDialog()
{
    if (!mExportDialog) {
        mExportDialog = new ExportDialog(this);
        connect(mExportDialog, &ExportDialog::openRequested, this, [this](const QString &dir) {
            mExportDialog->hide();
            openCheckpoint(dir);
        });
        // Every export, complete or not, is a run of the open session.
        connect(mExportDialog, &ExportDialog::exportFinished, this, [this] {
            const std::optional<ExportDialog::Outcome> &o = mExportDialog->lastOutcome();
            if (!o)
                return;
            RunCapture capture;
            capture.kind = QStringLiteral("export");
            capture.plan = o->plan;
            capture.details = mExportDialog->runDetails();
            mSession->recordRun(capture, o->ok, o->cancelled, o->error, o->seconds);
        });
    }
    if (mDocument && !isPackedDocument() && !isGgufDocument())
        mExportDialog->setSource(mDocument->checkpoint(), mDocument->plan(), mDocument->stats(),
                                 mDocument->statsSource());
    return mExportDialog;
}

void MainWindow::showExportDialog()
{
    if (!mDocument || isPackedDocument() || isGgufDocument())
        return;
    ExportDialog *dialog = exportDialog();
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
}

} // namespace lqer
