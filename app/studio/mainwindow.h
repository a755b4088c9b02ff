#pragma once

// The studio's main window: layer browser (left), analysis views (centre tabs, built from
// views/registry.cpp), plan editor (bottom), jobs with progress/ETA/cancel in the status bar,
// settings, recent files, drag-and-drop and live language switching. What the views show, how
// each job kind runs (JobController) and what is kept in the session database
// (SessionController) live in their own classes; the window wires them to actions and docks.

#include "app/studio/analysisview.h"
#include "app/studio/document.h"
#include "app/studio/jobcontroller.h"
#include "app/studio/jobrunner.h"
#include "app/studio/sessioncontroller.h"
#include "app/studio/stallmonitor.h"
#include "app/studio/studiohost.h"

#include <QMainWindow>
#include <QTimer>
#include <QTranslator>

#include <memory>
#include <vector>

class QDockWidget;
class QTabWidget;

namespace lqer {

class ExportDialog;
class JobStatus;
class LayerBrowser;
class PlanEditor;
class RecentFiles;
class SessionBrowser;
class SessionManager;
class StudioActions;
class Teaching;

class MainWindow : public QMainWindow, public StudioHost
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens a checkpoint (headers only). On failure shows an error dialog unless `quiet`, and
    // returns the error.
    Status openCheckpoint(const QString &path, bool quiet = false) override;
    // The same for a .gguf model with its GGUF LoRA adapter (lqer-lora.gguf), used when the
    // model is evaluated; an empty `loraPath` opens the model alone.
    Status openModel(const QString &path, const QString &loraPath, bool quiet = false);
    Document *document() const override { return mDocument.get(); }
    bool isPackedDocument() const { return mDocument && mDocument->isPacked(); }
    bool isGgufDocument() const { return mDocument && mDocument->isGguf(); }

    // Sessions: the store at `path` (empty: LQER_SESSIONS_DB or the default location); on
    // failure an error dialog names the path and the studio works on without sessions.
    Status openSessionStore(const QString &path);
    SessionController *sessionController() const override { return mSession; }
    SessionManager *sessions() const { return mSession->manager(); }
    SessionBrowser *sessionBrowser() const { return mSessionBrowser; }
    QDockWidget *sessionDock() const { return mSessionDock; }
    // The session the document belongs to (0 = none yet: one is created on the first plan edit
    // or the first finished job).
    qint64 currentSessionId() const { return mSession->currentSessionId(); }
    // Reopens a session: its model, plan, statistics and stored results, every view redrawn
    // from the database without computing. Warns when the model files changed since.
    Status openSession(qint64 sessionId) { return mSession->openSession(sessionId); }
    double lastReopenMs() const { return mSession->lastReopenMs(); }
    // The warning banner's text while it is shown, else empty.
    QString bannerText() const { return mSession->bannerText(); }
    // Writes a pending (debounced) plan edit now.
    void savePlanNow() { mSession->savePlanNow(); }
    // Fills the comparison view with two stored runs and shows it.
    Status compareRuns(qint64 runA, qint64 runB);

    // File > Export quantized checkpoint; the dialog is created on first use.
    ExportDialog *exportDialog();
    void showExportDialog();

    // Jobs by kind id (jobkinds/registry.cpp): analyze, quantize, detail, stats, calibrate,
    // evaluate, sweep. All asynchronous but "stats"; the runner says when they end.
    JobController *jobs() const { return mJobs; }
    bool startJob(const QString &id, const QString &argument) override;
    void showLayerDetail(const QString &layer) override;
    void cancelJob();
    // Limits evaluations and rank sweeps to the first `windows` windows (0 = all).
    void setEvaluationWindows(int windows) { mEvalWindows = windows; }
    int evaluationWindows() const override { return mEvalWindows; }
    // The text evaluations and rank sweeps use (empty: the last one chosen, or the model's
    // data folder's heldout.txt, or ask).
    void setEvaluationText(const QString &path) { mEvalText = path; }
    QString evaluationText() const override { return mEvalText; }
    JobRunner *runner() const { return mRunner; }
    StallMonitor *stallMonitor() const { return mStall; }
    JobStatus *jobStatus() const { return mJobStatus; }
    double lastJobMaxStallMs() const { return mLastJobStallMs; }

    void selectLayer(const QString &layer) override;
    QString currentLayer() const override { return mCurrentLayer; }
    QStringList selectedLayers() const override;
    // The analysis views in tab order; `id` as AnalysisView::id() (null when unknown).
    const std::vector<std::unique_ptr<AnalysisView>> &views() const override { return mViews; }
    AnalysisView *view(const QString &id) const;
    using StudioHost::view;
    void setCurrentView(const QString &id);
    AnalysisView *currentView() const;
    QTabWidget *viewTabs() const { return mTabs; }
    void refreshViews() override;
    bool marchenkoPasturVisible() const override;
    PlanEditor *planEditor() const { return mPlanEditor; }
    LayerBrowser *layerBrowser() const { return mLayerBrowser; }
    // Lessons and presentation mode (teaching.h).
    Teaching *teaching() const { return mTeaching; }

    // "en" or "de"; installs the translator and retranslates everything live.
    void setLanguage(const QString &language);
    QString language() const { return mLanguage; }
    static QStringList availableLanguages();

    // Error dialogs are suppressed in tests and the screenshot mode; the last one is kept.
    void setQuietErrors(bool quiet) { mQuietErrors = quiet; }
    bool quietErrors() const override { return mQuietErrors; }
    QString lastError() const { return mLastError; }
    void clearLastError() { mLastError.clear(); }
    void showError(const QString &title, const QString &what, const QString &whatToDo) override;
    void showStatus(const QString &message, int timeoutMs) override;
    QWidget *hostWidget() override { return this; }

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void createViews();
    void createActions();
    void createDocks();
    void createLayerBrowser();
    void createSessionDock();
    void retranslate();
    void updateActions();
    void attachDocument();
    void reportOpened();
    void scheduleRefresh();
    void onJobStarted(const QString &title);
    void onJobProgress(double fraction, const QString &message, double eta);
    void onJobFinished(const QString &title, bool ok, bool cancelled, const QString &error, double seconds);
    void exportCurrentView();
    void openDialog();
    void openModelFileDialog();
    QString ggufTypeSummary() const; // "42 × q4_0"

    std::unique_ptr<Document> mDocument;
    JobRunner *mRunner;
    StallMonitor *mStall;
    SessionController *mSession;
    JobController *mJobs;
    QTranslator mTranslator;
    QTranslator mQtTranslator;
    QString mLanguage = QStringLiteral("en");
    QString mCurrentLayer;
    double mLastJobStallMs = 0;
    QString mJobNote; // the last note a running job showed (showStatus())
    int mEvalWindows = 0;
    QString mEvalText;
    bool mQuietErrors = false;
    QString mLastError;
    QTimer mRefreshTimer;
    ExportDialog *mExportDialog = nullptr;

    // Widgets
    std::vector<std::unique_ptr<AnalysisView>> mViews;
    QTabWidget *mTabs;
    SessionBrowser *mSessionBrowser;
    QDockWidget *mSessionDock;
    QDockWidget *mLayerDock;
    QDockWidget *mPlanDock;
    LayerBrowser *mLayerBrowser;
    PlanEditor *mPlanEditor;
    JobStatus *mJobStatus;

    std::unique_ptr<StudioActions> mActions;
    RecentFiles *mRecent;
    Teaching *mTeaching = nullptr;
};

} // namespace lqer
