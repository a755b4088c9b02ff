#include "app/studio/mainwindow.h"

#include "app/studio/exportdialog.h"
#include "app/studio/layermodels.h"
#include "app/studio/planeditor.h"
#include "app/studio/sessionbrowser.h"
#include "app/studio/sessions.h"
#include "core/lqer/metrics.h"
#include "core/store/recorder.h"
#include "widgets/costpanel.h"
#include "widgets/errorheatmap.h"
#include "widgets/layererrorchart.h"
#include "widgets/ranksweepplot.h"
#include "widgets/runcomparison.h"
#include "widgets/spectrumplot.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDateTime>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFrame>
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
// Plan edits reach the session store this long after the last edit.
static const int kPlanSaveDelayMs = 600;

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , mRunner(new JobRunner(this))
    , mStall(new StallMonitor(this))
    , mSessions(new SessionManager(this))
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
    mCompare = new RunComparisonView;
    mTabs->addTab(mCompare, QString());
    connect(mCompare, &RunComparisonView::layerClicked, this, [this](const QString &layer) {
        if (layer != mCurrentLayer)
            selectLayer(layer);
    });
    // The heatmap needs the weights: computed when its tab is shown for a layer it does not show
    // yet (e.g. after a session was reopened from the database).
    connect(mTabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (index == HeatmapView && mDocument && !mCurrentLayer.isEmpty() && !isPackedDocument()
            && mHeatmap->heatmap()->layerName() != mCurrentLayer)
            showLayerDetail(mCurrentLayer);
    });

    // A non-modal warning above the views (e.g. "the model files changed since ...").
    mBanner = new QFrame;
    mBanner->setObjectName(QStringLiteral("WarningBanner"));
    mBanner->setStyleSheet(
        QStringLiteral("#WarningBanner { background: #fff4c2; border: 1px solid #e0c060; }"));
    mBannerLabel = new QLabel;
    mBannerLabel->setWordWrap(true);
    mBannerLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *bannerClose = new QToolButton;
    bannerClose->setAutoRaise(true);
    bannerClose->setText(QStringLiteral("✕"));
    connect(bannerClose, &QToolButton::clicked, mBanner, &QWidget::hide);
    auto *bannerLayout = new QHBoxLayout(mBanner);
    bannerLayout->setContentsMargins(8, 4, 4, 4);
    bannerLayout->addWidget(mBannerLabel, 1);
    bannerLayout->addWidget(bannerClose, 0, Qt::AlignTop);
    mBanner->hide();
    auto *central = new QWidget;
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(2);
    centralLayout->addWidget(mBanner);
    centralLayout->addWidget(mTabs, 1);
    setCentralWidget(central);

    mPlanSaveTimer.setSingleShot(true);
    mPlanSaveTimer.setInterval(kPlanSaveDelayMs);
    connect(&mPlanSaveTimer, &QTimer::timeout, this, &MainWindow::savePlanNow);

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
    mExportModelAction = new QAction(icon("export"), QString(), this);
    mExportModelAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    connect(mExportModelAction, &QAction::triggered, this, &MainWindow::showExportDialog);
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
    mFileMenu->addAction(mExportModelAction);
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

    mSessionBrowser = new SessionBrowser(mSessions);
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
    connect(mSessionBrowser, &SessionBrowser::sessionDeleted, this, [this](qint64 id) {
        if (id == mSessionId) {
            // The document stays open; its next edit or run starts a new session.
            mPlanSaveTimer.stop();
            mPlanDirty = false;
            mSessionId = 0;
        }
    });

    mViewMenu->addSeparator();
    mViewMenu->addAction(mLayerDock->toggleViewAction());
    mViewMenu->addAction(mSessionDock->toggleViewAction());
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
    mTabs->setTabText(CompareView, tr("Compare runs"));
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
    mExportModelAction->setText(tr("Export &quantized checkpoint…"));
    mExportModelAction->setToolTip(
        tr("Write the quantized model: packed LQER checkpoint or dequantized Hugging Face folder"));
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
    mSessionDock->setWindowTitle(tr("Sessions"));
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
    // A packed checkpoint holds codes, not the original weights: it can only be evaluated.
    const bool editable = open && !isPackedDocument();
    const bool running = mRunner && mRunner->isRunning();
    mAnalyzeAction->setEnabled(editable);
    mQuantizeAction->setEnabled(editable);
    mCalibrateAction->setEnabled(editable);
    mEvaluateAction->setEnabled(open);
    mSweepAction->setEnabled(editable);
    mLoadStatsAction->setEnabled(editable);
    mExportModelAction->setEnabled(editable);
    mCancelAction->setEnabled(running);
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
    // A running job works on the old document: stop it first (its results are recorded in the
    // old document's session as a cancelled run), and save a pending plan edit.
    mRunner->cancel();
    mRunner->waitForIdle(30000);
    savePlanNow();
    mSessionId = 0;
    mBanner->hide();
    mSessionBrowser->setCurrentSession(0);
    // The views still point at the old document until they get the new one: it goes last.
    std::unique_ptr<Document> previous = std::move(mDocument);
    mDocument = std::move(*doc);
    auto *group = qobject_cast<QUndoGroup *>(property("undoGroup").value<QObject *>());
    group->addStack(mDocument->undoStack());
    group->setActiveStack(mDocument->undoStack());
    mLayerModel->setDocument(mDocument.get());
    mLayerTree->expandAll();
    mLayerTree->setColumnWidth(LayerBrowserModel::Name, 175);
    mLayerTree->setColumnWidth(LayerBrowserModel::Shape, 90);
    mLayerTree->setColumnWidth(LayerBrowserModel::DType, 50);
    mLayerTree->setColumnWidth(LayerBrowserModel::Parameters, 72);
    mLayerTree->setColumnWidth(LayerBrowserModel::Bits, 52);
    mPlanEditor->setDocument(mDocument.get());
    if (mExportDialog && !mExportDialog->isRunning())
        mExportDialog->hide();
    previous.reset();
    connect(mDocument.get(), &Document::layerResultChanged, this, [this] { scheduleRefresh(); });
    connect(mDocument.get(), &Document::planChanged, this, [this] {
        scheduleRefresh();
        onPlanChanged();
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
    if (isPackedDocument())
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
    case CompareView:
        return mCompare->chart();
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
    // While a whole-model job runs (no preview then) or while a session is being restored, the
    // spectrum comes from the stored result; otherwise the detail job computes all methods'
    // spectra and the heatmap.
    const bool busy = mRunner->isRunning() && mRunner->title() != tr("Layer detail");
    if (mRestoring || busy || isPackedDocument()) {
        showStoredSpectrum(layer);
        return;
    }
    showLayerDetail(layer);
}

void MainWindow::showStoredSpectrum(const QString &layer)
{
    const LayerResult *r = mDocument ? mDocument->result(layer) : nullptr;
    if (!r || r->spectra.svError.size() == 0)
        return;
    auto values = [](const VectorD &v) {
        QVector<double> out(v.size());
        for (Eigen::Index i = 0; i < v.size(); ++i)
            out[i] = v[i];
        return out;
    };
    QList<SpectrumSeries> series;
    if (r->spectra.svScaled.size() > 0) {
        // As in paper Fig. 1a: σ(αE) at the energy of σ(SE), and σ(SE) of the method run.
        series << SpectrumSeries {tr("LQER: σ(αE)"), values(r->spectra.svError)};
        series << SpectrumSeries {tr("%1: σ(SE)").arg(methodDisplayName(r->method)),
                                  values(r->spectra.svScaled)};
    } else {
        series << SpectrumSeries {tr("%1: σ(E)").arg(methodDisplayName(r->method)),
                                  values(r->spectra.svError)};
    }
    double energy = 0;
    for (double v : series.first().values)
        energy += v * v;
    const qint64 rows = r->metrics.outFeatures, cols = r->metrics.inFeatures;
    mSpectrum->setLayerName(layer);
    mSpectrum->setRank(r->metrics.rank);
    if (rows > 0 && cols > 0)
        mSpectrum->setReference(
            marchenkoPasturQuantiles(rows, cols, equivalentVariance(std::sqrt(energy), rows, cols)),
            tr("Marchenko–Pastur (i.i.d., same energy)"));
    mSpectrum->setReferenceVisible(mMpAction->isChecked());
    mSpectrum->setSeries(series);
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
    const Plan plan = effectivePlan(mDocument->plan(), layers, mDocument->stats().get(), &note);
    if (!note.isEmpty())
        statusBar()->showMessage(note, 10000);
    auto capture = std::make_shared<RunCapture>();
    capture->kind = QStringLiteral("analyze");
    capture->plan = mDocument->plan();
    capture->expectedLayers = int(layers.size());
    startRecorded(tr("Analyze %n layer(s)", nullptr, int(layers.size())), capture,
                  makeAnalysisJob(makeRequest(layers), [this, capture, plan](const LayerResult &r) {
                      onLayerResult(r);
                      capture->layers << layerRunRecordFromResult(r, plan.forLayer(r.layer));
                  }));
}

void MainWindow::quantizeModel()
{
    if (!mDocument)
        return;
    QString note;
    const Plan plan
        = effectivePlan(mDocument->plan(), mDocument->layerNames(), mDocument->stats().get(), &note);
    if (!note.isEmpty())
        statusBar()->showMessage(note, 10000);
    auto capture = std::make_shared<RunCapture>();
    capture->kind = QStringLiteral("quantize");
    capture->plan = mDocument->plan();
    capture->expectedLayers = int(mDocument->layers().size());
    startRecorded(tr("Quantize model"), capture,
                  makeAnalysisJob(makeRequest({}), [this, capture, plan](const LayerResult &r) {
                      onLayerResult(r);
                      capture->layers << layerRunRecordFromResult(r, plan.forLayer(r.layer));
                  }));
}

void MainWindow::startRecorded(const QString &title, std::shared_ptr<RunCapture> capture, JobFunction job)
{
    mRunner->start(title, std::move(job),
                   [this, capture](bool ok, bool cancelled, const QString &error, double seconds) {
                       recordCapture(*capture, ok, cancelled, error, seconds);
                   });
}

void MainWindow::recordCapture(const RunCapture &capture, bool ok, bool cancelled, const QString &error,
                               double seconds)
{
    // Nothing computed (e.g. cancelled before the first layer): no run to keep.
    if (capture.isEmpty() || !mSessions->isOpen() || !mDocument)
        return;
    auto session = ensureSession();
    if (!session) {
        showError(tr("Cannot save the run"), session.error(),
                  tr("The results stay in the window; check the session database (--db)."));
        return;
    }
    const RunStatus status
        = ok ? RunStatus::Complete : (cancelled ? RunStatus::Cancelled : RunStatus::Failed);
    auto run = mSessions->recordRun(*session, capture, status, seconds, cancelled ? QString() : error);
    if (!run) {
        showError(tr("Cannot save the run"), run.error(),
                  tr("The results stay in the window; check the session database (--db)."));
        return;
    }
    qInfo("lqer-studio: recorded run %lld (%s, %s, %d layers, %d perplexities) in session %lld: %.2f ms on "
          "the GUI thread",
          *run, qPrintable(capture.kind), qPrintable(runStatusName(status)), int(capture.layers.size()),
          int(capture.perplexities.size()), *session, mSessions->lastWriteMs());
}

Expected<qint64> MainWindow::ensureSession()
{
    if (!mSessions->isOpen())
        return makeError(tr("No session database is open"));
    if (!mDocument)
        return makeError(tr("No checkpoint is open"));
    if (mSessionId)
        return mSessionId;
    auto id = mSessions->createSession(*mDocument, QString());
    if (!id)
        return id;
    mSessionId = *id;
    mSessionBrowser->setCurrentSession(mSessionId);
    return mSessionId;
}

void MainWindow::onPlanChanged()
{
    if (mRestoring || !mSessions->isOpen() || isPackedDocument())
        return;
    mPlanDirty = true;
    mPlanSaveTimer.start(); // debounced: a burst of edits is one write
}

void MainWindow::savePlanNow()
{
    if (!mPlanDirty)
        return;
    mPlanDirty = false;
    mPlanSaveTimer.stop();
    if (!mDocument || !mSessions->isOpen())
        return;
    auto id = ensureSession();
    Status s = id ? mSessions->savePlan(*id, mDocument->plan()) : Status(makeError(id.error()));
    if (!s)
        showError(tr("Cannot save the plan"), s.error(), tr("Check the session database (--db)."));
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
    if (!mRestoring && mSessions->isOpen()) {
        auto id = ensureSession();
        Status saved = id
            ? mSessions->saveStats(*id, QFileInfo(path).absoluteFilePath(), fileFingerprint(path))
            : Status(makeError(id.error()));
        if (!saved)
            showError(tr("Cannot save the plan"), saved.error(), tr("Check the session database (--db)."));
    }
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
    // With a session database the statistics are saved beside it, so the session reloads them.
    QString savePath;
    if (mSessions->isOpen()) {
        if (auto id = ensureSession()) {
            savePath = QFileInfo(mSessions->path()).absolutePath()
                + QStringLiteral("/lqer-stats/session-%1-%2.safetensors")
                      .arg(*id)
                      .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-hhmmss")));
        }
    }
    const qint64 session = mSessionId;
    mRunner->start(tr("Calibrate"),
                   makeCalibrateJob(
                       req,
                       [this, source](std::shared_ptr<const StatsMap> stats) {
                           if (mDocument) {
                               mDocument->setStats(std::move(stats), source);
                               if (!mCurrentLayer.isEmpty())
                                   QTimer::singleShot(0, this, [this] { showLayerDetail(mCurrentLayer); });
                           }
                       },
                       savePath),
                   [this, savePath, session](bool ok, bool, const QString &, double) {
                       if (!ok || savePath.isEmpty() || !session || session != mSessionId)
                           return;
                       const Status s = mSessions->saveStats(session, savePath, fileFingerprint(savePath));
                       if (!s)
                           showError(tr("Cannot save the plan"), s.error(),
                                     tr("Check the session database (--db)."));
                   });
}

static PerplexityRecord perplexityRecord(const EvalProtocol &e, const QString &label)
{
    PerplexityRecord p;
    p.label = label;
    p.textPath = e.textPath;
    p.textFingerprint = e.textFingerprint;
    p.windowLength = e.windowLength;
    p.tokens = e.tokens;
    p.nll = e.nll;
    p.perplexity = e.perplexity;
    p.seconds = e.seconds;
    return p;
}

void MainWindow::evaluate()
{
    if (!mDocument)
        return;
    QSettings settings;
    EvalRequest req;
    req.analysis = makeRequest({});
    req.maxWindows = mEvalWindows;
    req.textPath = mEvalText.isEmpty() ? settings.value(kEvalTextKey).toString() : mEvalText;
    if (req.textPath.isEmpty() || !QFileInfo::exists(req.textPath))
        req.textPath = defaultEvaluationText(mDocument->path());
    if (req.textPath.isEmpty() && mQuietErrors) {
        showError(tr("Evaluate perplexity"), tr("No evaluation text is set."), tr("Pass --eval-text FILE."));
        return;
    }
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
    auto capture = std::make_shared<RunCapture>();
    capture->kind = QStringLiteral("eval");
    capture->plan = mDocument->plan();
    if (isPackedDocument()) {
        // A packed checkpoint: the model is built from the packed file alone.
        mRunner->start(tr("Evaluate perplexity"),
                       makePackedEvaluateJob(req, mDocument->path(), partial, [this](const EvalProtocol &e) {
                           if (mDocument)
                               mDocument->setPerplexity(e.perplexity);
                       }));
        return;
    }
    const bool needFp32 = !mDocument->fp32Perplexity().has_value();
    JobFunction quantized = makeEvaluateJob(req, false, partial, [this, capture](const EvalProtocol &e) {
        capture->perplexities << perplexityRecord(e, QStringLiteral("quantized"));
        if (mDocument)
            mDocument->setPerplexity(e.perplexity);
    });
    if (needFp32) {
        // FP32 first (the reference of the cost panel and the rank sweep), then the plan.
        JobFunction fp32 = makeEvaluateJob(req, true, {}, [this, capture](const EvalProtocol &e) {
            capture->perplexities << perplexityRecord(e, QStringLiteral("fp32"));
            if (mDocument)
                mDocument->setFp32Perplexity(e.perplexity);
        });
        startRecorded(tr("Evaluate perplexity"), capture, [fp32, quantized](JobContext &ctx) -> Status {
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
        startRecorded(tr("Evaluate perplexity"), capture, quantized);
    }
}

void MainWindow::rankSweep()
{
    if (!mDocument)
        return;
    EvalRequest req;
    req.analysis = makeRequest({});
    req.maxWindows = mEvalWindows;
    req.textPath = mEvalText.isEmpty() ? QSettings().value(kEvalTextKey).toString() : mEvalText;
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
    auto capture = std::make_shared<RunCapture>();
    capture->kind = QStringLiteral("sweep");
    capture->plan = mDocument->plan();
    startRecorded(
        tr("Rank sweep"), capture,
        makeRankSweepJob(req, ranks, [this, capture](const QString &series, int rank, const EvalProtocol &e) {
            capture->perplexities << perplexityRecord(e, sweepLabel(series, rank));
            if (rank == 0)
                mRankSweep->setPlainReference(e.perplexity);
            else
                mRankSweep->addPoint(series, rank, e.perplexity);
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

// ---- sessions ------------------------------------------------------------------------------

Status MainWindow::openSessionStore(const QString &path)
{
    const Status s = mSessions->open(path);
    if (!s) {
        showError(tr("Session database unavailable"), s.error(),
                  tr("The studio works on without sessions (nothing is saved). The file was not changed; "
                     "choose another one with --db FILE or LQER_SESSIONS_DB."));
        mSessionDock->setWindowTitle(tr("Sessions (unavailable)"));
    } else {
        mSessionDock->setWindowTitle(tr("Sessions"));
        qInfo("lqer-studio: session database %s", qPrintable(mSessions->path()));
    }
    mSessionBrowser->refresh();
    return s;
}

QString MainWindow::bannerText() const
{
    return mBanner->isVisibleTo(const_cast<MainWindow *>(this)) ? mBannerLabel->text() : QString();
}

void MainWindow::showBanner(const QString &text)
{
    mBannerLabel->setText(text);
    mBanner->show();
}

Status MainWindow::openSession(qint64 sessionId)
{
    QElapsedTimer timer;
    timer.start();
    auto snap = mSessions->snapshot(sessionId);
    if (!snap) {
        showError(tr("Cannot open the session"), snap.error(), tr("Check the session database (--db)."));
        return makeError(snap.error());
    }
    const double readMs = timer.nsecsElapsed() / 1e6;
    const SessionRecord &session = snap->session;
    const QString modelPath = session.model.path;
    if (Status s = openCheckpoint(modelPath, true); !s) { // one dialog, the session's
        const QString what
            = tr("Session \"%1\": its model %2 cannot be opened: %3").arg(session.name, modelPath, s.error());
        showError(tr("Cannot open the session"), what,
                  tr("Move the model back to %1, or open the model and start a new session.").arg(modelPath));
        return makeError(what);
    }
    mSessionId = sessionId;
    mRestoring = true;
    mDocument->restore(session.plan, snap->results);

    // The model files must be the ones the results were computed from.
    const QString now = mDocument->checkpoint()->fingerprint();
    if (!session.model.fingerprint.isEmpty() && now != session.model.fingerprint) {
        const QString warning
            = tr("The model files changed since this session was saved (%1): the stored results were "
                 "computed from other weights. Re-run the jobs to refresh them. (fingerprint %2… now %3…)")
                  .arg(modelPath, session.model.fingerprint.left(12), now.left(12));
        showBanner(warning);
        qWarning("lqer-studio: %s", qPrintable(warning));
        if (!mQuietErrors) {
            auto *box = new QMessageBox(QMessageBox::Warning, tr("Model files changed"), warning,
                                        QMessageBox::Ok, this);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open(); // window-modal but non-blocking
        }
    }

    // Statistics saved with the session (when still there and unchanged).
    QString statsNote;
    if (!session.statsPath.isEmpty()) {
        if (!QFileInfo::exists(session.statsPath)) {
            statsNote = tr("The session's statistics %1 are missing.").arg(session.statsPath);
        } else if (!session.statsFingerprint.isEmpty()
                   && fileFingerprint(session.statsPath) != session.statsFingerprint) {
            statsNote = tr("The session's statistics %1 changed since; not loaded.").arg(session.statsPath);
        } else if (auto stats = loadStats(session.statsPath)) {
            mDocument->setStats(std::make_shared<const StatsMap>(std::move(*stats)), session.statsPath);
        } else {
            statsNote = stats.error();
        }
    }

    if (snap->fp32Perplexity)
        mDocument->setFp32Perplexity(*snap->fp32Perplexity);
    if (snap->perplexity)
        mDocument->setPerplexity(*snap->perplexity);
    mRankSweep->clear();
    mRankSweep->setSeries(snap->sweep);
    mRankSweep->setPlainReference(snap->sweepPlain);
    mRankSweep->setFp32Reference(snap->fp32Perplexity);
    mRefreshTimer.stop();
    refreshLayerChart();
    refreshCost();
    // The spectrum of the first layer with a stored result; the heatmap is computed when shown.
    for (const LinearLayerInfo &l : mDocument->layers()) {
        if (mDocument->result(l.weightName)) {
            selectLayer(l.weightName);
            break;
        }
    }
    mRestoring = false;
    mSessionBrowser->setCurrentSession(sessionId);
    setWindowTitle(tr("%1 — %2 — LQER Studio").arg(session.name, mDocument->displayName()));
    mReopenMs = timer.nsecsElapsed() / 1e6;
    qInfo("lqer-studio: reopened session %lld \"%s\": %d stored layer results from %d run(s), database read "
          "%.1f ms, total with the views %.1f ms, no job run",
          sessionId, qPrintable(session.name), int(snap->results.size()), snap->runsRead, readMs, mReopenMs);
    statusBar()->showMessage(tr("Reopened session \"%1\": %2 stored layer results, %3 run(s), in %4 ms. %5")
                                 .arg(session.name)
                                 .arg(snap->results.size())
                                 .arg(snap->runs.size())
                                 .arg(mReopenMs, 0, 'f', 0)
                                 .arg(statsNote),
                             10000);
    return Status::success();
}

Status MainWindow::compareRuns(qint64 runA, qint64 runB)
{
    auto c = mSessions->compare(runA, runB);
    if (!c) {
        showError(tr("Cannot compare the runs"), c.error(), tr("Choose two runs of the list."));
        return makeError(c.error());
    }
    mCompare->setComparison(*c);
    setCurrentView(CompareView);
    return Status::success();
}

// ---- export and re-import ----------------------------------------------------------------------

bool MainWindow::isPackedDocument() const
{
    return mDocument && mDocument->isPacked();
}

ExportDialog *MainWindow::exportDialog()
{
    if (!mExportDialog) {
        mExportDialog = new ExportDialog(this);
        connect(mExportDialog, &ExportDialog::openRequested, this, [this](const QString &dir) {
            mExportDialog->hide();
            openCheckpoint(dir);
        });
    }
    if (mDocument && !isPackedDocument())
        mExportDialog->setSource(mDocument->checkpoint(), mDocument->plan(), mDocument->stats(),
                                 mDocument->statsSource());
    return mExportDialog;
}

void MainWindow::showExportDialog()
{
    if (!mDocument || isPackedDocument())
        return;
    ExportDialog *dialog = exportDialog();
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
}

} // namespace lqer
