#include "app/studio/mainwindow.h"

#include "app/studio/layermodels.h"
#include "app/studio/planeditor.h"
#include "widgets/costpanel.h"
#include "widgets/errorheatmap.h"
#include "widgets/layererrorchart.h"
#include "widgets/ranksweepplot.h"
#include "widgets/spectrumplot.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLibraryInfo>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QUndoGroup>
#include <QVBoxLayout>

#include <cmath>

// The icons and translations are compiled into this static library; a static library's
// resources are dropped by the linker unless something references their initialiser.
static void initStudioResources()
{
    Q_INIT_RESOURCE(studio_icons);
    Q_INIT_RESOURCE(lqer_studio_lib_translations);
}

namespace lqer {

// Settings keys, declared where they are used (STYLE.md §5).
static const QString kRecentFilesKey = QStringLiteral("studio.recentFiles");
static const QString kGeometryKey = QStringLiteral("studio.window.geometry");
static const QString kStateKey = QStringLiteral("studio.window.state");
static const QString kLanguageKey = QStringLiteral("studio.language");
static const QString kLastDirKey = QStringLiteral("studio.lastDirectory");
static const QString kEvalTextKey = QStringLiteral("studio.evaluation.textPath");
static const QString kMpOverlayKey = QStringLiteral("studio.spectrum.marchenkoPastur");
static const int kMaxRecent = 8;

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , mRunner(new JobRunner(this))
    , mStall(new StallMonitor(this))
{
    initStudioResources();
    setObjectName(QStringLiteral("MainWindow"));
    setAcceptDrops(true);
    setWindowIcon(QIcon(QStringLiteral(":/icons/lqer-studio.svg")));

    mSpectrum = new SpectrumPlot;
    mHeatmap = new ErrorHeatmapPanel;
    mLayerChart = new LayerErrorChart;
    mRankSweep = new RankSweepPlot;
    mCost = new CostPanel;
    mLayerChartPage = new QWidget;
    auto *chartBar = new QHBoxLayout;
    mSortButton = new QToolButton;
    mSortButton->setCheckable(true);
    mMetricBox = new QComboBox;
    mMetricBox->addItems({QString(), QString()});
    chartBar->addWidget(mMetricBox);
    chartBar->addWidget(mSortButton);
    chartBar->addStretch(1);
    auto *chartLayout = new QVBoxLayout(mLayerChartPage);
    chartLayout->setContentsMargins(4, 4, 4, 4);
    chartLayout->addLayout(chartBar);
    chartLayout->addWidget(mLayerChart, 1);
    connect(mSortButton, &QToolButton::toggled, this, [this](bool on) {
        mLayerChart->setOrder(on ? LayerErrorChart::Order::Descending : LayerErrorChart::Order::Model);
    });
    connect(mMetricBox, &QComboBox::currentIndexChanged, this, &MainWindow::refreshLayerChart);
    connect(mLayerChart, &LayerErrorChart::layerClicked, this, &MainWindow::selectLayer);

    mTabs = new QTabWidget;
    mTabs->setDocumentMode(true);
    mTabs->addTab(mSpectrum, QString());
    mTabs->addTab(mHeatmap, QString());
    mTabs->addTab(mLayerChartPage, QString());
    mTabs->addTab(mRankSweep, QString());
    mTabs->addTab(mCost, QString());
    setCentralWidget(mTabs);

    mRefreshTimer.setSingleShot(true);
    mRefreshTimer.setInterval(100); // coalesce per-layer updates of the charts
    connect(&mRefreshTimer, &QTimer::timeout, this, [this] {
        refreshLayerChart();
        refreshCost();
    });

    createActions();
    createMenus();
    createDocks();
    createStatusBar();

    connect(mRunner, &JobRunner::started, this, &MainWindow::onJobStarted);
    connect(mRunner, &JobRunner::progress, this, &MainWindow::onJobProgress);
    connect(mRunner, &JobRunner::finished, this, &MainWindow::onJobFinished);

    QSettings settings;
    restoreGeometry(settings.value(kGeometryKey).toByteArray());
    restoreState(settings.value(kStateKey).toByteArray());
    mMpAction->setChecked(settings.value(kMpOverlayKey, true).toBool());
    const QString language = settings.value(kLanguageKey, QStringLiteral("en")).toString();
    if (language != QLatin1String("en"))
        setLanguage(language);
    retranslate();
    updateRecentMenu();
    updateActions();
    mStall->start();
}

MainWindow::~MainWindow()
{
    // The runner's destructor cancels and waits; it must go before the document it feeds.
    delete mRunner;
    mRunner = nullptr;
}

void MainWindow::createActions()
{
    auto icon
        = [](const char *name) { return QIcon(QStringLiteral(":/icons/%1.svg").arg(QLatin1String(name))); };
    mOpenAction = new QAction(icon("open"), QString(), this);
    mOpenAction->setShortcut(QKeySequence::Open);
    connect(mOpenAction, &QAction::triggered, this, &MainWindow::openDialog);
    mLoadStatsAction = new QAction(this);
    connect(mLoadStatsAction, &QAction::triggered, this, &MainWindow::loadStatisticsDialog);
    mExportViewAction = new QAction(icon("export"), QString(), this);
    mExportViewAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(mExportViewAction, &QAction::triggered, this, &MainWindow::exportCurrentView);
    mQuitAction = new QAction(this);
    mQuitAction->setShortcut(QKeySequence::Quit);
    connect(mQuitAction, &QAction::triggered, this, &QWidget::close);

    auto *group = new QUndoGroup(this);
    mUndoAction = group->createUndoAction(this);
    mUndoAction->setIcon(icon("undo"));
    mUndoAction->setShortcut(QKeySequence::Undo);
    mRedoAction = group->createRedoAction(this);
    mRedoAction->setIcon(icon("redo"));
    mRedoAction->setShortcut(QKeySequence::Redo);
    setProperty("undoGroup", QVariant::fromValue<QObject *>(group));

    mAnalyzeAction = new QAction(icon("analyze"), QString(), this);
    mAnalyzeAction->setShortcut(QKeySequence(Qt::Key_F5));
    connect(mAnalyzeAction, &QAction::triggered, this, &MainWindow::analyzeSelected);
    mQuantizeAction = new QAction(icon("quantize"), QString(), this);
    mQuantizeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_F5));
    connect(mQuantizeAction, &QAction::triggered, this, &MainWindow::quantizeModel);
    mCalibrateAction = new QAction(icon("calibrate"), QString(), this);
    connect(mCalibrateAction, &QAction::triggered, this, &MainWindow::calibrate);
    mEvaluateAction = new QAction(icon("evaluate"), QString(), this);
    mEvaluateAction->setShortcut(QKeySequence(Qt::Key_F6));
    connect(mEvaluateAction, &QAction::triggered, this, &MainWindow::evaluate);
    mSweepAction = new QAction(icon("sweep"), QString(), this);
    connect(mSweepAction, &QAction::triggered, this, &MainWindow::rankSweep);
    mCancelAction = new QAction(icon("cancel"), QString(), this);
    mCancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(mCancelAction, &QAction::triggered, this, &MainWindow::cancelJob);

    mMpAction = new QAction(this);
    mMpAction->setCheckable(true);
    connect(mMpAction, &QAction::toggled, this, [this](bool on) {
        mSpectrum->setReferenceVisible(on);
        QSettings().setValue(kMpOverlayKey, on);
    });
    mAboutAction = new QAction(this);
    connect(mAboutAction, &QAction::triggered, this, [this] {
        QMessageBox::about(
            this, tr("About LQER Studio"),
            tr("<b>LQER Studio %1</b><p>Post-training quantization of LLMs with low-rank "
               "quantization error reconstruction (LQER / L²QER, Zhang et al., ICML 2024).</p>")
                .arg(QStringLiteral(LQER_VERSION_STRING)));
    });
    for (int v = 0; v < ViewCount; ++v) {
        auto *a = new QAction(this);
        a->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + v)));
        connect(a, &QAction::triggered, this, [this, v] { setCurrentView(View(v)); });
        mViewActions << a;
    }
    mLanguageGroup = new QActionGroup(this);
    for (const QString &lang : availableLanguages()) {
        auto *a = new QAction(this);
        a->setCheckable(true);
        a->setData(lang);
        a->setChecked(lang == mLanguage);
        mLanguageGroup->addAction(a);
        connect(a, &QAction::triggered, this, [this, lang] { setLanguage(lang); });
    }
}

void MainWindow::createMenus()
{
    mFileMenu = menuBar()->addMenu(QString());
    mFileMenu->addAction(mOpenAction);
    mRecentMenu = mFileMenu->addMenu(QString());
    mFileMenu->addAction(mLoadStatsAction);
    mFileMenu->addSeparator();
    mFileMenu->addAction(mExportViewAction);
    mFileMenu->addSeparator();
    mFileMenu->addAction(mQuitAction);
    mEditMenu = menuBar()->addMenu(QString());
    mEditMenu->addAction(mUndoAction);
    mEditMenu->addAction(mRedoAction);
    mViewMenu = menuBar()->addMenu(QString());
    for (QAction *a : mViewActions)
        mViewMenu->addAction(a);
    mViewMenu->addSeparator();
    mViewMenu->addAction(mMpAction);
    mViewMenu->addSeparator();
    mLanguageMenu = mViewMenu->addMenu(QString());
    mLanguageMenu->addActions(mLanguageGroup->actions());
    mJobsMenu = menuBar()->addMenu(QString());
    mJobsMenu->addAction(mAnalyzeAction);
    mJobsMenu->addAction(mQuantizeAction);
    mJobsMenu->addSeparator();
    mJobsMenu->addAction(mCalibrateAction);
    mJobsMenu->addAction(mEvaluateAction);
    mJobsMenu->addAction(mSweepAction);
    mJobsMenu->addSeparator();
    mJobsMenu->addAction(mCancelAction);
    mHelpMenu = menuBar()->addMenu(QString());
    mHelpMenu->addAction(mAboutAction);

    mToolBar = addToolBar(QString());
    mToolBar->setObjectName(QStringLiteral("MainToolBar"));
    mToolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    mToolBar->setIconSize(QSize(18, 18));
    mToolBar->addAction(mOpenAction);
    mToolBar->addSeparator();
    mToolBar->addAction(mUndoAction);
    mToolBar->addAction(mRedoAction);
    mToolBar->addSeparator();
    mToolBar->addAction(mAnalyzeAction);
    mToolBar->addAction(mQuantizeAction);
    mToolBar->addAction(mCalibrateAction);
    mToolBar->addAction(mEvaluateAction);
    mToolBar->addAction(mSweepAction);
    mToolBar->addSeparator();
    mToolBar->addAction(mExportViewAction);
}

void MainWindow::createDocks()
{
    mLayerModel = new LayerBrowserModel(this);
    mFilterModel = new LayerFilterModel(this);
    mFilterModel->setSourceModel(mLayerModel);
    auto *browser = new QWidget;
    mFilterEdit = new QLineEdit;
    mFilterEdit->setClearButtonEnabled(true);
    mRegexBox = new QCheckBox;
    mLayerTree = new QTreeView;
    mLayerTree->setModel(mFilterModel);
    mLayerTree->setSortingEnabled(true);
    mLayerTree->sortByColumn(-1, Qt::AscendingOrder);
    mLayerTree->setAlternatingRowColors(true);
    mLayerTree->setUniformRowHeights(true);
    mLayerTree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    // Interactive, not ResizeToContents: that re-measures every row on each per-layer update
    // and was the largest GUI stall during a whole-model job.
    mLayerTree->header()->setSectionResizeMode(QHeaderView::Interactive);
    mLayerTree->header()->setDefaultSectionSize(80);
    auto *filterRow = new QHBoxLayout;
    filterRow->addWidget(mFilterEdit, 1);
    filterRow->addWidget(mRegexBox);
    auto *browserLayout = new QVBoxLayout(browser);
    browserLayout->setContentsMargins(4, 4, 4, 4);
    browserLayout->addLayout(filterRow);
    browserLayout->addWidget(mLayerTree, 1);
    auto applyFilter = [this] {
        const bool ok = mFilterModel->setFilter(mFilterEdit->text(), mRegexBox->isChecked());
        mFilterEdit->setStyleSheet(ok ? QString() : QStringLiteral("background: #fdd;"));
        mFilterEdit->setToolTip(ok ? QString() : tr("Invalid regular expression"));
        if (ok)
            mLayerTree->expandAll();
    };
    connect(mFilterEdit, &QLineEdit::textChanged, this, applyFilter);
    connect(mRegexBox, &QCheckBox::toggled, this, applyFilter);
    connect(mLayerTree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &cur) {
                const QString layer
                    = cur.siblingAtColumn(0).data(LayerBrowserModel::LayerNameRole).toString();
                if (!layer.isEmpty() && layer != mCurrentLayer)
                    selectLayer(layer);
            });
    mLayerDock = new QDockWidget;
    mLayerDock->setObjectName(QStringLiteral("LayerDock"));
    mLayerDock->setWidget(browser);
    addDockWidget(Qt::LeftDockWidgetArea, mLayerDock);
    resizeDocks({mLayerDock}, {520}, Qt::Horizontal);

    mPlanEditor = new PlanEditor;
    mPlanDock = new QDockWidget;
    mPlanDock->setObjectName(QStringLiteral("PlanDock"));
    mPlanDock->setWidget(mPlanEditor);
    addDockWidget(Qt::BottomDockWidgetArea, mPlanDock);
    connect(mPlanEditor, &PlanEditor::currentLayerChanged, this, [this](const QString &layer) {
        if (!layer.isEmpty() && layer != mCurrentLayer)
            selectLayer(layer);
    });
    mViewMenu->addSeparator();
    mViewMenu->addAction(mLayerDock->toggleViewAction());
    mViewMenu->addAction(mPlanDock->toggleViewAction());
}

void MainWindow::createStatusBar()
{
    mInfoLabel = new QLabel;
    mProgress = new QProgressBar;
    mProgress->setRange(0, 1000);
    mProgress->setMaximumWidth(260);
    mProgress->setTextVisible(true);
    mEtaLabel = new QLabel;
    mCancelButton = new QToolButton;
    mCancelButton->setDefaultAction(mCancelAction);
    mCancelButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    mStallLabel = new QLabel;
    mStallLabel->setStyleSheet(QStringLiteral("color: #777;"));
    statusBar()->addPermanentWidget(mInfoLabel);
    statusBar()->addPermanentWidget(mProgress);
    statusBar()->addPermanentWidget(mEtaLabel);
    statusBar()->addPermanentWidget(mCancelButton);
    statusBar()->addPermanentWidget(mStallLabel);
    mProgress->hide();
    mEtaLabel->hide();
    mCancelButton->hide();
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
    for (QAction *a : mLanguageGroup->actions())
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
    mTabs->setTabText(SpectrumView, tr("Error spectrum"));
    mTabs->setTabText(HeatmapView, tr("Error heatmap"));
    mTabs->setTabText(LayerErrorView, tr("Per-layer error"));
    mTabs->setTabText(RankSweepView, tr("Perplexity vs rank"));
    mTabs->setTabText(CostView, tr("Cost"));
    for (int v = 0; v < ViewCount; ++v)
        mViewActions[v]->setText(tr("Show %1").arg(mTabs->tabText(v)));
    mSortButton->setText(tr("Sort by error"));
    mMetricBox->setItemText(0, tr("Mean absolute error eₐ"));
    mMetricBox->setItemText(1, tr("Relative error ‖E−Ẽ‖/‖W‖"));
    mFileMenu->setTitle(tr("&File"));
    mRecentMenu->setTitle(tr("Open &recent"));
    mEditMenu->setTitle(tr("&Edit"));
    mViewMenu->setTitle(tr("&View"));
    mJobsMenu->setTitle(tr("&Jobs"));
    mLanguageMenu->setTitle(tr("&Language"));
    mHelpMenu->setTitle(tr("&Help"));
    mToolBar->setWindowTitle(tr("Main toolbar"));
    mOpenAction->setText(tr("&Open checkpoint…"));
    mOpenAction->setToolTip(
        tr("Open a Hugging Face checkpoint folder (Ctrl+O); you can also drop a folder on the window"));
    mLoadStatsAction->setText(tr("Load calibration &statistics…"));
    mExportViewAction->setText(tr("&Export view…"));
    mQuitAction->setText(tr("&Quit"));
    mUndoAction->setText(tr("&Undo"));
    mRedoAction->setText(tr("&Redo"));
    mAnalyzeAction->setText(tr("&Analyze selected"));
    mAnalyzeAction->setToolTip(tr("Quantize and decompose the selected layers (F5)"));
    mQuantizeAction->setText(tr("&Quantize model"));
    mQuantizeAction->setToolTip(tr("Run the plan on every layer of the model (Ctrl+F5)"));
    mCalibrateAction->setText(tr("&Calibrate"));
    mCalibrateAction->setToolTip(tr("Collect activation statistics for L²QER / QERA"));
    mEvaluateAction->setText(tr("&Evaluate perplexity"));
    mSweepAction->setText(tr("Rank &sweep"));
    mCancelAction->setText(tr("Cancel"));
    mCancelAction->setToolTip(tr("Stop the running job (Esc)"));
    mMpAction->setText(tr("&Marchenko–Pastur overlay"));
    mAboutAction->setText(tr("&About LQER Studio"));
    for (QAction *a : mLanguageGroup->actions())
        a->setText(a->data().toString() == QLatin1String("de") ? QStringLiteral("Deutsch")
                                                               : QStringLiteral("English"));
    mLayerDock->setWindowTitle(tr("Layers"));
    mPlanDock->setWindowTitle(tr("Plan"));
    mFilterEdit->setPlaceholderText(tr("Filter layers by name…"));
    mRegexBox->setText(tr("Regex"));
    mLayerModel->retranslate();
    refreshLayerChart();
    refreshCost();
    if (!mRunner || !mRunner->isRunning())
        statusBar()->showMessage(mDocument ? tr("Ready")
                                           : tr("Open a checkpoint to begin (Ctrl+O or drop a folder)"));
}

void MainWindow::updateActions()
{
    const bool open = mDocument != nullptr;
    const bool running = mRunner && mRunner->isRunning();
    mAnalyzeAction->setEnabled(open);
    mQuantizeAction->setEnabled(open);
    mCalibrateAction->setEnabled(open);
    mEvaluateAction->setEnabled(open);
    mSweepAction->setEnabled(open);
    mLoadStatsAction->setEnabled(open);
    mCancelAction->setEnabled(running);
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

Status MainWindow::openCheckpoint(const QString &path, bool quiet)
{
    auto doc = Document::open(path);
    if (!doc) {
        if (!quiet)
            showError(tr("Cannot open checkpoint"), doc.error(),
                      tr("Choose a Hugging Face model folder with config.json and *.safetensors files "
                         "(a LLaMA, Mistral, OPT, GPT-NeoX or GPT-2 model)."));
        mLastError = doc.error();
        return makeError(doc.error());
    }
    // A running job works on the old document: stop it first.
    mRunner->cancel();
    mRunner->waitForIdle(30000);
    mDocument = std::move(*doc);
    auto *group = qobject_cast<QUndoGroup *>(property("undoGroup").value<QObject *>());
    group->addStack(mDocument->undoStack());
    group->setActiveStack(mDocument->undoStack());
    mLayerModel->setDocument(mDocument.get());
    mLayerTree->expandAll();
    mLayerTree->setColumnWidth(LayerBrowserModel::Name, 250);
    mPlanEditor->setDocument(mDocument.get());
    connect(mDocument.get(), &Document::layerResultChanged, this, [this] { scheduleRefresh(); });
    connect(mDocument.get(), &Document::planChanged, this, [this] {
        scheduleRefresh();
        if (const LinearLayerInfo *l = mDocument->layer(mCurrentLayer)) {
            const LayerPlan lp = mDocument->plan().forLayer(l->weightName);
            mSpectrum->setRank(lp.method == Method::Plain ? 0 : lp.rank);
        }
    });
    connect(mDocument.get(), &Document::perplexityChanged, this, [this] { refreshCost(); });
    mSpectrum->clear();
    mHeatmap->heatmap()->clear();
    mRankSweep->clear();
    mCurrentLayer.clear();
    addRecentFile(QFileInfo(path).absoluteFilePath());
    qInfo("lqer-studio: opened %s: %d layers in %.1f ms (headers only)", qPrintable(path),
          int(mDocument->layers().size()), mDocument->openSeconds() * 1000.0);
    retranslate();
    statusBar()->showMessage(tr("Opened %1: %2 linear layers, %3 parameters, in %4 ms")
                                 .arg(mDocument->displayName())
                                 .arg(mDocument->layers().size())
                                 .arg(formatParameterCount(mDocument->checkpoint()->parameterCount()))
                                 .arg(mDocument->openSeconds() * 1000.0, 0, 'f', 1),
                             8000);
    updateActions();
    return Status::success();
}

void MainWindow::addRecentFile(const QString &path)
{
    QSettings settings;
    QStringList recent = settings.value(kRecentFilesKey).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings.setValue(kRecentFilesKey, recent);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    mRecentMenu->clear();
    const QStringList recent = QSettings().value(kRecentFilesKey).toStringList();
    for (int i = 0; i < recent.size(); ++i) {
        QAction *a = mRecentMenu->addAction(QStringLiteral("&%1 %2").arg(i + 1).arg(recent[i]));
        const QString path = recent[i];
        connect(a, &QAction::triggered, this, [this, path] { openCheckpoint(path); });
    }
    mRecentMenu->setEnabled(!recent.isEmpty());
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
        openCheckpoint(urls.first().toLocalFile());
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    mRunner->cancel();
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

void MainWindow::setLayerFilter(const QString &text, bool regex)
{
    mRegexBox->setChecked(regex);
    mFilterEdit->setText(text);
}

void MainWindow::setCurrentView(View view)
{
    mTabs->setCurrentIndex(view);
}

PlotView *MainWindow::plot(View view) const
{
    switch (view) {
    case SpectrumView:
        return mSpectrum;
    case HeatmapView:
        return mHeatmap->heatmap();
    case LayerErrorView:
        return mLayerChart;
    case RankSweepView:
        return mRankSweep;
    case CostView:
        return mCost->chart();
    default:
        return nullptr;
    }
}

void MainWindow::exportCurrentView()
{
    PlotView *p = plot(View(mTabs->currentIndex()));
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

void MainWindow::selectLayer(const QString &layer)
{
    if (!mDocument || !mDocument->layer(layer))
        return;
    mCurrentLayer = layer;
    {
        const QModelIndex src = mLayerModel->indexOfLayer(layer);
        const QModelIndex idx = mFilterModel->mapFromSource(src);
        if (idx.isValid() && mLayerTree->currentIndex() != idx) {
            const QSignalBlocker block(mLayerTree->selectionModel());
            mLayerTree->setCurrentIndex(idx);
            mLayerTree->scrollTo(idx);
        }
    }
    {
        const QSignalBlocker block(mPlanEditor);
        mPlanEditor->selectLayer(layer);
    }
    mLayerChart->setSelectedLayer(layer);
    showLayerDetail(layer);
}

AnalysisRequest MainWindow::makeRequest(const QStringList &layers) const
{
    AnalysisRequest r;
    r.checkpoint = mDocument->checkpoint();
    r.plan = mDocument->plan();
    r.layers = layers;
    r.stats = mDocument->stats();
    return r;
}

void MainWindow::showLayerDetail(const QString &layer)
{
    const LinearLayerInfo *info = mDocument ? mDocument->layer(layer) : nullptr;
    if (!info)
        return;
    // A preview: when a whole-model job runs, do not cancel it for a preview of one layer.
    if (mRunner->isRunning() && mRunner->title() != tr("Layer detail"))
        return;
    mRunner->start(
        tr("Layer detail"),
        makeLayerDetailJob(makeRequest({layer}), *info, [this](const LayerDetail &d) { onLayerDetail(d); }));
}

void MainWindow::onLayerDetail(const LayerDetail &detail)
{
    if (detail.layer != mCurrentLayer)
        return; // an older request that finished after a newer selection
    mSpectrum->setLayerName(detail.layer);
    mSpectrum->setRank(detail.rank);
    mSpectrum->setReference(detail.marchenkoPastur, tr("Marchenko–Pastur (i.i.d., same energy)"));
    mSpectrum->setReferenceVisible(mMpAction->isChecked());
    mSpectrum->setSeries(detail.spectra);
    mHeatmap->heatmap()->setData(detail.layer, detail.before, detail.after);
    if (!detail.note.isEmpty())
        statusBar()->showMessage(detail.note, 8000);
}

void MainWindow::analyzeSelected()
{
    if (!mDocument)
        return;
    QStringList layers = mPlanEditor->selectedLayers();
    if (layers.isEmpty() && !mCurrentLayer.isEmpty())
        layers << mCurrentLayer;
    if (layers.isEmpty()) {
        showError(tr("Nothing to analyze"), tr("No layer is selected."),
                  tr("Select layers in the layer list or the plan table, or use Jobs > Quantize model."));
        return;
    }
    QString note;
    effectivePlan(mDocument->plan(), layers, mDocument->stats().get(), &note);
    if (!note.isEmpty())
        statusBar()->showMessage(note, 10000);
    mRunner->start(tr("Analyze %n layer(s)", nullptr, int(layers.size())),
                   makeAnalysisJob(makeRequest(layers), [this](const LayerResult &r) { onLayerResult(r); }));
}

void MainWindow::quantizeModel()
{
    if (!mDocument)
        return;
    QString note;
    effectivePlan(mDocument->plan(), mDocument->layerNames(), mDocument->stats().get(), &note);
    if (!note.isEmpty())
        statusBar()->showMessage(note, 10000);
    mRunner->start(tr("Quantize model"),
                   makeAnalysisJob(makeRequest({}), [this](const LayerResult &r) { onLayerResult(r); }));
}

void MainWindow::onLayerResult(const LayerResult &result)
{
    if (mDocument)
        mDocument->setLayerResult(result);
}

void MainWindow::cancelJob()
{
    mRunner->cancel();
    statusBar()->showMessage(tr("Cancelling…"));
}

void MainWindow::loadStatisticsDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Load calibration statistics"),
                                                      QSettings().value(kLastDirKey).toString(),
                                                      tr("Statistics (*.safetensors);;All files (*)"));
    if (!path.isEmpty())
        loadStatistics(path);
}

void MainWindow::loadStatistics(const QString &path)
{
    if (!mDocument)
        return;
    auto stats = loadStats(path);
    if (!stats) {
        showError(tr("Cannot load statistics"), stats.error(),
                  tr("Choose a statistics file written by \"lqer calibrate\" for this model."));
        return;
    }
    int matched = 0;
    for (const LinearLayerInfo &l : mDocument->layers())
        matched += stats->contains(l.weightName) ? 1 : 0;
    if (matched == 0) {
        showError(tr("Cannot use statistics"),
                  tr("%1 has no statistics for any layer of this model.").arg(path),
                  tr("Calibrate this model (Jobs > Calibrate) or choose the statistics of the same model."));
        return;
    }
    mDocument->setStats(std::make_shared<const StatsMap>(std::move(*stats)), path);
    statusBar()->showMessage(tr("Loaded statistics for %1 of %2 layers from %3")
                                 .arg(matched)
                                 .arg(mDocument->layers().size())
                                 .arg(path),
                             8000);
    if (!mCurrentLayer.isEmpty())
        showLayerDetail(mCurrentLayer);
}

static QString defaultEvaluationText(const QString &checkpointPath)
{
    // The shared data layout of this project: models/<name> beside data/lqs-corpus.
    const QDir dir(checkpointPath);
    const QString guess
        = QDir::cleanPath(dir.absoluteFilePath(QStringLiteral("../../data/lqs-corpus/heldout.txt")));
    return QFileInfo::exists(guess) ? guess : QString();
}

static QString calibrationText(const QString &checkpointPath)
{
    const QDir dir(checkpointPath);
    const QString guess
        = QDir::cleanPath(dir.absoluteFilePath(QStringLiteral("../../data/lqs-corpus/calib.txt")));
    return QFileInfo::exists(guess) ? guess : QString();
}

void MainWindow::calibrate()
{
    if (!mDocument)
        return;
    EvalRequest req;
    req.analysis = makeRequest({});
    req.textPath = mDocument->plan().calibration.textPath;
    if (req.textPath.isEmpty())
        req.textPath = calibrationText(mDocument->path());
    if (req.textPath.isEmpty()) {
        req.textPath = QFileDialog::getOpenFileName(this, tr("Calibration text"), QString(),
                                                    tr("Text (*.txt);;All files (*)"));
        if (req.textPath.isEmpty())
            return;
    }
    const QString source = req.textPath;
    mRunner->start(tr("Calibrate"),
                   makeCalibrateJob(req, [this, source](std::shared_ptr<const StatsMap> stats) {
                       if (mDocument) {
                           mDocument->setStats(std::move(stats), source);
                           if (!mCurrentLayer.isEmpty())
                               QTimer::singleShot(0, this, [this] { showLayerDetail(mCurrentLayer); });
                       }
                   }));
}

void MainWindow::evaluate()
{
    if (!mDocument)
        return;
    QSettings settings;
    EvalRequest req;
    req.analysis = makeRequest({});
    req.maxWindows = mEvalWindows;
    req.textPath = settings.value(kEvalTextKey).toString();
    if (req.textPath.isEmpty() || !QFileInfo::exists(req.textPath))
        req.textPath = defaultEvaluationText(mDocument->path());
    if (req.textPath.isEmpty()) {
        req.textPath = QFileDialog::getOpenFileName(this, tr("Evaluation text"), QString(),
                                                    tr("Text (*.txt *.raw);;All files (*)"));
        if (req.textPath.isEmpty())
            return;
        settings.setValue(kEvalTextKey, req.textPath);
    }
    auto partial = [this](double ppl, int done, int total) {
        CostSummary s = mCost->summary();
        s.proxyPerplexity = ppl;
        s.proxyNote = tr("Running estimate over %1 of %2 windows").arg(done).arg(total);
        mCost->setSummary(s);
    };
    const bool needFp32 = !mDocument->fp32Perplexity().has_value();
    JobFunction quantized = makeEvaluateJob(req, false, partial, [this](double ppl) {
        if (mDocument)
            mDocument->setPerplexity(ppl);
    });
    if (needFp32) {
        // FP32 first (the reference of the cost panel and the rank sweep), then the plan.
        JobFunction fp32 = makeEvaluateJob(req, true, {}, [this](double ppl) {
            if (mDocument)
                mDocument->setFp32Perplexity(ppl);
        });
        mRunner->start(tr("Evaluate perplexity"), [fp32, quantized](JobContext &ctx) -> Status {
            JobContext first = ctx;
            first.progress = [&ctx](double f, const QString &m) { return ctx.progress(0.3 * f, m); };
            const Status s = fp32(first);
            if (!s || ctx.cancel.isCancelled())
                return s;
            JobContext second = ctx;
            second.progress = [&ctx](double f, const QString &m) { return ctx.progress(0.3 + 0.7 * f, m); };
            return quantized(second);
        });
    } else {
        mRunner->start(tr("Evaluate perplexity"), quantized);
    }
}

void MainWindow::rankSweep()
{
    if (!mDocument)
        return;
    EvalRequest req;
    req.analysis = makeRequest({});
    req.maxWindows = mEvalWindows;
    req.textPath = QSettings().value(kEvalTextKey).toString();
    if (req.textPath.isEmpty() || !QFileInfo::exists(req.textPath))
        req.textPath = defaultEvaluationText(mDocument->path());
    if (req.textPath.isEmpty()) {
        showError(tr("Rank sweep"), tr("No evaluation text is set."),
                  tr("Run Jobs > Evaluate perplexity once and choose the text file."));
        return;
    }
    mRankSweep->clear();
    if (mDocument->fp32Perplexity())
        mRankSweep->setFp32Reference(*mDocument->fp32Perplexity());
    const QList<int> ranks {0, 4, 8, 16, 32, 64, 128};
    mRunner->start(tr("Rank sweep"),
                   makeRankSweepJob(req, ranks, [this](const QString &series, int rank, double ppl) {
                       if (rank == 0)
                           mRankSweep->setPlainReference(ppl);
                       else
                           mRankSweep->addPoint(series, rank, ppl);
                   }));
}

void MainWindow::onJobStarted(const QString &title)
{
    mStall->reset();
    mProgress->setValue(0);
    mProgress->setFormat(QStringLiteral("%p%"));
    mProgress->show();
    mEtaLabel->show();
    mEtaLabel->setText(tr("ETA –"));
    mCancelButton->show();
    mInfoLabel->setText(title);
    updateActions();
}

void MainWindow::onJobProgress(double fraction, const QString &message, double eta)
{
    mProgress->setValue(int(std::lround(fraction * 1000)));
    mEtaLabel->setText(tr("ETA %1").arg(JobRunner::formatDuration(eta)));
    if (!message.isEmpty())
        statusBar()->showMessage(message);
    mStallLabel->setText(tr("UI stall max %1 ms").arg(mStall->maxStallMs(), 0, 'f', 1));
}

void MainWindow::onJobFinished(const QString &title, bool ok, bool cancelled, const QString &error,
                               double seconds)
{
    mLastJobStallMs = mStall->maxStallMs();
    qInfo("lqer-studio: job \"%s\" %s in %.2f s; longest event-loop stall %.1f ms", qPrintable(title),
          ok ? "finished" : (cancelled ? "cancelled" : "failed"), seconds, mLastJobStallMs);
    mStallLabel->setText(tr("UI stall max %1 ms").arg(mLastJobStallMs, 0, 'f', 1));
    mProgress->hide();
    mEtaLabel->hide();
    mCancelButton->hide();
    mInfoLabel->clear();
    updateActions();
    if (cancelled) {
        statusBar()->showMessage(tr("%1: cancelled after %2").arg(title, JobRunner::formatDuration(seconds)),
                                 8000);
    } else if (!ok) {
        showError(
            tr("%1 failed").arg(title), error,
            tr("Check the plan (formats, rank) and the input files named above, then run the job again."));
    } else {
        statusBar()->showMessage(tr("%1: done in %2").arg(title, JobRunner::formatDuration(seconds)), 8000);
    }
    refreshLayerChart();
    refreshCost();
}

void MainWindow::scheduleRefresh()
{
    if (!mRefreshTimer.isActive())
        mRefreshTimer.start();
}

void MainWindow::refreshLayerChart()
{
    if (!mDocument) {
        mLayerChart->clear();
        return;
    }
    const bool relative = mMetricBox->currentIndex() == 1;
    mLayerChart->setMetricLabel(relative ? tr("Relative error ‖E−Ẽ‖_F / ‖W‖_F")
                                         : tr("Mean absolute error eₐ"));
    QStringList names;
    LayerErrorSeries plain {tr("Wq only (plain)"), {}};
    LayerErrorSeries after {tr("Wq + AB"), {}};
    QString methods;
    for (const LinearLayerInfo &l : mDocument->layers()) {
        const LayerResult *r = mDocument->result(l.weightName);
        if (!r)
            continue;
        names << l.weightName;
        const LayerMetrics &m = r->metrics;
        plain.values << (relative ? (m.weightFrob > 0 ? m.quantFrobError / m.weightFrob : NAN)
                                  : m.plainMeanAbsError);
        after.values << (relative ? m.relError : m.meanAbsError);
        if (methods.isEmpty())
            methods = methodDisplayName(r->method);
    }
    if (!methods.isEmpty())
        after.label = tr("Wq + AB (%1)").arg(methods);
    mLayerChart->setData(
        names, names.isEmpty() ? QList<LayerErrorSeries>() : QList<LayerErrorSeries> {plain, after});
    if (!mCurrentLayer.isEmpty())
        mLayerChart->setSelectedLayer(mCurrentLayer);
}

void MainWindow::refreshCost()
{
    if (!mDocument) {
        mCost->setSummary(CostSummary());
        return;
    }
    CostSummary s = mCost->summary();
    s.planLabel = mDocument->plan().preset;
    s.modelBits = mDocument->modelBitsPerWeight();
    s.paperBits = mDocument->paperBitsPerWeight();
    s.areaRatio = mDocument->areaRatio();
    s.fp32Perplexity = mDocument->fp32Perplexity();
    s.perplexity = mDocument->perplexity();
    s.layers = mDocument->layerNames();
    s.layerBits.clear();
    for (const LinearLayerInfo &l : mDocument->layers())
        s.layerBits << mDocument->layerBits(l);
    mCost->setSummary(s);
}

} // namespace lqer
