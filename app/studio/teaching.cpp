#include "app/studio/teaching.h"

#include "app/studio/lessonpanel.h"
#include "app/studio/mainwindow.h"
#include "app/studio/sessionbrowser.h"
#include "app/studio/sessioncontroller.h"
#include "core/store/bundle.h"
#include "widgets/plotview.h"

#include <QAction>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QShortcut>

namespace lqer {

namespace {

const char kModelsFolderKey[] = "teaching/modelsFolder";

} // namespace

Teaching::Teaching(MainWindow &window, QMenu *beforeMenu, QMenu *fileMenu)
    : QObject(&window)
    , mWindow(window)
{
    mOpenSessionFile = new QAction(this);
    if (fileMenu)
        fileMenu->insertAction(fileMenu->actions().value(1), mOpenSessionFile);
    connect(mOpenSessionFile, &QAction::triggered, this, [this] {
        const QString path
            = QFileDialog::getOpenFileName(&mWindow, tr("Open session file"), QString(),
                                           tr("LQER session bundles (*.%1)").arg(bundleSuffix()));
        if (!path.isEmpty())
            openSessionFile(path);
    });
    mPanel = new LessonPanel(window);
    mDock = new QDockWidget;
    mDock->setObjectName(QStringLiteral("LessonDock"));
    mDock->setWidget(mPanel);
    window.addDockWidget(Qt::RightDockWidgetArea, mDock);
    mDock->hide(); // shown when a lesson is opened

    mMenu = new QMenu(&window);
    for (int i = 0; i < lessons().size(); ++i) {
        QAction *a = mMenu->addAction(QString());
        connect(a, &QAction::triggered, this, [this, i] { openLesson(i + 1); });
        mLessonActions << a;
    }
    mMenu->addSeparator();
    mMenu->addAction(mDock->toggleViewAction());
    mPresentation = mMenu->addAction(QString());
    mPresentation->setCheckable(true);
    mPresentation->setShortcut(QKeySequence(Qt::Key_F5));
    connect(mPresentation, &QAction::toggled, this, &Teaching::setPresentationMode);
    if (beforeMenu)
        window.menuBar()->insertMenu(beforeMenu->menuAction(), mMenu);
    else
        window.menuBar()->addMenu(mMenu);

    // → / ← step through the lesson in presentation mode (elsewhere the arrows belong to the
    // tables and sliders).
    mNextKey = new QShortcut(QKeySequence(Qt::Key_Right), &window);
    mPrevKey = new QShortcut(QKeySequence(Qt::Key_Left), &window);
    for (QShortcut *s : {mNextKey, mPrevKey})
        s->setEnabled(false);
    connect(mNextKey, &QShortcut::activated, mPanel, &LessonPanel::next);
    connect(mPrevKey, &QShortcut::activated, mPanel, &LessonPanel::previous);
    retranslate();
}

Teaching::~Teaching() = default;

bool Teaching::isSessionFile(const QString &path)
{
    return QFileInfo(path).suffix() == bundleSuffix();
}

QString Teaching::modelsFolder()
{
    return QSettings().value(QLatin1String(kModelsFolderKey)).toString();
}

void Teaching::setModelsFolder(const QString &folder)
{
    QSettings().setValue(QLatin1String(kModelsFolderKey), folder);
}

Status Teaching::openSessionFile(const QString &path)
{
    auto dir = std::make_unique<QTemporaryDir>();
    auto bundle = dir->isValid() ? unpackSessionBundle(path, dir->path(), modelsFolder())
                                 : Expected<BundleSummary>(makeError(tr("cannot create a temporary folder")));
    if (!bundle) {
        mWindow.showError(tr("Cannot open the session file"), bundle.error(),
                          tr("Choose a file written by “lqer sessions export --session”."));
        return makeError(bundle.error());
    }
    if (!bundle->modelError.isEmpty() && !mWindow.quietErrors()) {
        // The models live elsewhere on this machine: ask once for the folder that holds them.
        const QString folder = QFileDialog::getExistingDirectory(
            &mWindow,
            tr("Where is the model %1? Choose the folder that holds your models")
                .arg(QFileInfo(bundle->modelStoredPath).fileName()),
            modelsFolder());
        if (!folder.isEmpty()) {
            setModelsFolder(folder);
            return openSessionFile(path);
        }
    }
    // The document open so far must not save into the bundle's store.
    mWindow.sessionController()->detach();
    if (Status s = mWindow.openSessionStore(dir->filePath(QStringLiteral("session.db"))); !s)
        return s;
    mBundleDir = std::move(dir); // the previous bundle's folder goes now that its store is closed
    mSessionFile = QFileInfo(path).absoluteFilePath();
    if (!bundle->modelError.isEmpty()) {
        // Without the model: the runs (sessions browser) and what is plotted from them alone.
        const QString what = tr("Session file %1: %2. Shown without the model: its runs in the Sessions "
                                "panel and the rank sweep. Put the model beside the session file, or choose "
                                "the folder that holds your models when opening it, for the layer plots.")
                                 .arg(QFileInfo(path).fileName(), bundle->modelError);
        if (Status s = mWindow.sessionController()->showWithoutModel(bundle->sessionId, what); !s) {
            mWindow.showError(tr("Cannot open the session file"), s.error(),
                              tr("Choose a file written by “lqer sessions export --session”."));
            return s;
        }
        mWindow.sessionDock()->show();
        mWindow.sessionDock()->raise();
        mWindow.sessionBrowser()->selectSession(bundle->sessionId);
        mWindow.setCurrentView(QStringLiteral("sweep"));
        mWindow.showStatus(what, 20000);
        return Status::success();
    }
    if (Status s = mWindow.openSession(bundle->sessionId); !s)
        return s;
    const int lesson = bundle->extra.value(QStringLiteral("lesson")).toInt();
    if (lesson >= 1 && lesson <= lessons().size()) {
        openLesson(lesson);
        mPanel->showStep(lesson - 1, bundle->extra.value(QStringLiteral("step")).toInt(1) - 1);
    }
    mWindow.showStatus(tr("Opened the session file %1 (read-only: changes stay in a private copy)")
                           .arg(QFileInfo(path).fileName()),
                       12000);
    return Status::success();
}

void Teaching::openLesson(int lesson)
{
    mDock->show();
    mDock->raise();
    mPanel->showStep(lesson - 1, 0);
}

QPalette Teaching::highContrastPalette()
{
    QPalette p;
    const QColor black(0, 0, 0), white(255, 255, 255);
    for (QPalette::ColorGroup g : {QPalette::Active, QPalette::Inactive}) {
        p.setColor(g, QPalette::Window, white);
        p.setColor(g, QPalette::WindowText, black);
        p.setColor(g, QPalette::Base, white);
        p.setColor(g, QPalette::AlternateBase, QColor(235, 235, 235));
        p.setColor(g, QPalette::Text, black);
        p.setColor(g, QPalette::Button, QColor(225, 225, 225));
        p.setColor(g, QPalette::ButtonText, black);
        p.setColor(g, QPalette::Highlight, QColor(0, 50, 160));
        p.setColor(g, QPalette::HighlightedText, white);
        p.setColor(g, QPalette::ToolTipBase, white);
        p.setColor(g, QPalette::ToolTipText, black);
        p.setColor(g, QPalette::Mid, QColor(60, 60, 60));
    }
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(90, 90, 90));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(90, 90, 90));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(90, 90, 90));
    return p;
}

void Teaching::setPresentationMode(bool on)
{
    if (on == mPresenting)
        return;
    mPresenting = on;
    {
        const QSignalBlocker block(mPresentation);
        mPresentation->setChecked(on);
    }
    if (on) {
        mSavedState = mWindow.saveState();
        mSavedFont = mWindow.font();
        mSavedPalette = mWindow.palette();
        mWasFullScreen = mWindow.isFullScreen();
        QFont big = mSavedFont;
        big.setPointSizeF(big.pointSizeF() * kScale);
        mWindow.setFont(big);
        mWindow.setPalette(highContrastPalette());
        for (QDockWidget *dock : mWindow.findChildren<QDockWidget *>())
            if (dock != mDock)
                dock->hide();
        mDock->show();
        PlotView::setPresentationScale(kScale);
        mWindow.showFullScreen();
    } else {
        mWindow.setFont(mSavedFont);
        mWindow.setPalette(mSavedPalette);
        PlotView::setPresentationScale(1.0);
        mWindow.restoreState(mSavedState);
        if (!mWasFullScreen)
            mWindow.showNormal();
    }
    mNextKey->setEnabled(on);
    mPrevKey->setEnabled(on);
}

void Teaching::retranslate()
{
    mMenu->setTitle(tr("&Lessons"));
    for (int i = 0; i < mLessonActions.size(); ++i)
        mLessonActions[i]->setText(lessonText(lessons()[i].title));
    mDock->setWindowTitle(tr("Lessons"));
    mDock->toggleViewAction()->setText(tr("Lessons panel"));
    mPresentation->setText(tr("&Presentation mode"));
    mOpenSessionFile->setText(tr("Open &session file…"));
    mPanel->retranslate();
}

} // namespace lqer
