#pragma once

// The studio's main window: layer browser (left), views (centre tabs), plan editor (bottom),
// jobs with progress/ETA/cancel in the status bar, settings, recent files, drag-and-drop,
// live language switching, and a scripted mode for reproducible screenshots.

#include "app/studio/document.h"
#include "app/studio/jobrunner.h"
#include "app/studio/jobs.h"
#include "app/studio/stallmonitor.h"

#include <QMainWindow>
#include <QPointer>
#include <QTimer>
#include <QTranslator>

#include <memory>

class QAction;
class QActionGroup;
class QCheckBox;
class QDockWidget;
class QFrame;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QTabWidget;
class QToolBar;
class QToolButton;
class QTreeView;

namespace lqer {

class CostPanel;
class ErrorHeatmapPanel;
class ExportDialog;
class RunComparisonView;
class SessionBrowser;
class SessionManager;
struct RunCapture;
class LayerBrowserModel;
class LayerErrorChart;
class LayerFilterModel;
class PlanEditor;
class PlotView;
class RankSweepPlot;
class SpectrumPlot;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    enum View { SpectrumView, HeatmapView, LayerErrorView, RankSweepView, CostView, CompareView, ViewCount };

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens a checkpoint (headers only). On failure shows an error dialog unless `quiet`, and
    // returns the error.
    Status openCheckpoint(const QString &path, bool quiet = false);
    Document *document() const { return mDocument.get(); }

    // Sessions (issue 5). The store at `path` (empty: LQER_SESSIONS_DB or the default location);
    // on failure an error dialog names the path and the studio works on without sessions.
    Status openSessionStore(const QString &path);
    SessionManager *sessions() const { return mSessions; }
    SessionBrowser *sessionBrowser() const { return mSessionBrowser; }
    QDockWidget *sessionDock() const { return mSessionDock; }
    // The session the document belongs to (0 = none yet: one is created on the first plan edit
    // or the first finished job).
    qint64 currentSessionId() const { return mSessionId; }
    // Reopens a session: its model, plan, statistics and stored results, every view redrawn
    // from the database without computing. Warns when the model files changed since.
    Status openSession(qint64 sessionId);
    double lastReopenMs() const { return mReopenMs; }
    // The warning banner's text while it is shown, else empty.
    QString bannerText() const;
    // Writes a pending (debounced) plan edit now.
    void savePlanNow();
    // Fills the comparison view with two stored runs and shows it.
    Status compareRuns(qint64 runA, qint64 runB);
    RunComparisonView *comparisonView() const { return mCompare; }

    // File > Export quantized checkpoint (issue 6); the dialog is created on first use.
    ExportDialog *exportDialog();
    void showExportDialog();
    // True when the document is a packed LQER checkpoint (re-import: evaluation only).
    bool isPackedDocument() const;

    // Jobs (all asynchronous; the runner says when they end).
    void analyzeSelected();
    void quantizeModel();
    void showLayerDetail(const QString &layer);
    void loadStatistics(const QString &path);
    void calibrate();
    void evaluate();
    void rankSweep();
    void cancelJob();
    // Limits evaluations and rank sweeps to the first `windows` windows (0 = all).
    void setEvaluationWindows(int windows) { mEvalWindows = windows; }
    // The text evaluations and rank sweeps use (empty: the last one chosen, or the model's
    // data folder's heldout.txt, or ask).
    void setEvaluationText(const QString &path) { mEvalText = path; }
    JobRunner *runner() const { return mRunner; }
    StallMonitor *stallMonitor() const { return mStall; }
    double lastJobMaxStallMs() const { return mLastJobStallMs; }

    void selectLayer(const QString &layer);
    QString currentLayer() const { return mCurrentLayer; }
    void setCurrentView(View view);
    PlotView *plot(View view) const;
    SpectrumPlot *spectrumPlot() const { return mSpectrum; }
    ErrorHeatmapPanel *heatmapPanel() const { return mHeatmap; }
    LayerErrorChart *layerErrorChart() const { return mLayerChart; }
    RankSweepPlot *rankSweepPlot() const { return mRankSweep; }
    CostPanel *costPanel() const { return mCost; }
    PlanEditor *planEditor() const { return mPlanEditor; }
    QTreeView *layerTree() const { return mLayerTree; }
    LayerFilterModel *layerFilter() const { return mFilterModel; }
    void setLayerFilter(const QString &text, bool regex);

    // "en" or "de"; installs the translator and retranslates everything live.
    void setLanguage(const QString &language);
    QString language() const { return mLanguage; }
    static QStringList availableLanguages();

    // Error dialogs are suppressed in tests and the screenshot mode; the last one is kept.
    void setQuietErrors(bool quiet) { mQuietErrors = quiet; }
    QString lastError() const { return mLastError; }
    void clearLastError() { mLastError.clear(); }

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createDocks();
    void createStatusBar();
    void retranslate();
    void updateActions();
    void updateRecentMenu();
    void addRecentFile(const QString &path);
    void refreshLayerChart();
    void refreshCost();
    void scheduleRefresh();
    void onLayerResult(const LayerResult &result);
    void onLayerDetail(const LayerDetail &detail);
    void onJobStarted(const QString &title);
    void onJobProgress(double fraction, const QString &message, double eta);
    void onJobFinished(const QString &title, bool ok, bool cancelled, const QString &error, double seconds);
    void showError(const QString &title, const QString &what, const QString &whatToDo);
    void startRecorded(const QString &title, std::shared_ptr<RunCapture> capture, JobFunction job);
    void recordCapture(const RunCapture &capture, bool ok, bool cancelled, const QString &error,
                       double seconds);
    Expected<qint64> ensureSession();
    void showStoredSpectrum(const QString &layer);
    void showBanner(const QString &text);
    void onPlanChanged();
    AnalysisRequest makeRequest(const QStringList &layers) const;
    void exportCurrentView();
    void openDialog();
    void loadStatisticsDialog();

    std::unique_ptr<Document> mDocument;
    JobRunner *mRunner;
    StallMonitor *mStall;
    QTranslator mTranslator;
    QTranslator mQtTranslator;
    QString mLanguage = QStringLiteral("en");
    QString mCurrentLayer;
    double mLastJobStallMs = 0;
    int mEvalWindows = 0;
    QString mEvalText;
    bool mQuietErrors = false;
    QString mLastError;
    QTimer mRefreshTimer;
    QTimer mPlanSaveTimer;
    SessionManager *mSessions;
    qint64 mSessionId = 0;
    double mReopenMs = 0;
    bool mRestoring = false;
    bool mPlanDirty = false; // an edit not yet saved to the session
    ExportDialog *mExportDialog = nullptr;

    // Widgets
    QTabWidget *mTabs;
    SpectrumPlot *mSpectrum;
    ErrorHeatmapPanel *mHeatmap;
    LayerErrorChart *mLayerChart;
    RankSweepPlot *mRankSweep;
    CostPanel *mCost;
    RunComparisonView *mCompare;
    QFrame *mBanner;
    QLabel *mBannerLabel;
    SessionBrowser *mSessionBrowser;
    QDockWidget *mSessionDock;
    QWidget *mLayerChartPage;
    QToolButton *mSortButton;
    QComboBox *mMetricBox = nullptr;
    QDockWidget *mLayerDock;
    QDockWidget *mPlanDock;
    QTreeView *mLayerTree;
    LayerBrowserModel *mLayerModel;
    LayerFilterModel *mFilterModel;
    QLineEdit *mFilterEdit;
    QCheckBox *mRegexBox;
    PlanEditor *mPlanEditor;
    QToolBar *mToolBar;
    QProgressBar *mProgress;
    QLabel *mEtaLabel;
    QLabel *mStallLabel;
    QLabel *mInfoLabel;
    QToolButton *mCancelButton;

    // Menus and actions
    QMenu *mFileMenu, *mRecentMenu, *mEditMenu, *mViewMenu, *mJobsMenu, *mLanguageMenu, *mHelpMenu;
    QAction *mOpenAction, *mLoadStatsAction, *mExportViewAction, *mExportModelAction, *mQuitAction;
    QAction *mUndoAction, *mRedoAction;
    QAction *mAnalyzeAction, *mQuantizeAction, *mCalibrateAction, *mEvaluateAction, *mSweepAction,
        *mCancelAction;
    QAction *mMpAction;
    QAction *mAboutAction;
    QActionGroup *mLanguageGroup;
    QList<QAction *> mViewActions;
};

} // namespace lqer
