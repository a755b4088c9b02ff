#pragma once

// Teaching mode in the main window: the Lessons dock and menu, and presentation mode — a
// larger UI scale and plot fonts, a high-contrast palette that survives a projector, full
// screen, the other docks hidden, → / ← through the steps. Leaving presentation mode restores
// the window as it was.

#include "core/common/expected.h"

#include <QByteArray>
#include <QFont>
#include <QObject>
#include <QPalette>
#include <QTemporaryDir>

#include <memory>

class QAction;
class QDockWidget;
class QMenu;
class QShortcut;

namespace lqer {

class LessonPanel;
class MainWindow;

class Teaching : public QObject
{
    Q_OBJECT

public:
    // Adds the Lessons menu before `beforeMenu` (null: at the end), the dock, and File > Open
    // session file… to `fileMenu`.
    Teaching(MainWindow &window, QMenu *beforeMenu, QMenu *fileMenu);
    ~Teaching() override;

    LessonPanel *panel() const { return mPanel; }
    QDockWidget *dock() const { return mDock; }
    QAction *presentationAction() const { return mPresentation; }
    // Shows lesson `lesson` (1-based, as --lesson N) from its first step.
    void openLesson(int lesson);

    void setPresentationMode(bool on);
    bool isPresentationMode() const { return mPresenting; }
    // The factor presentation mode scales fonts by.
    static constexpr double kScale = 1.6;
    // The palette of presentation mode: black on white, saturated highlights.
    static QPalette highContrastPalette();

    // A workshop bundle (`lqer sessions export --session`): unpacked into a private folder and
    // opened from there, so the file itself is never written; the lesson it names is opened.
    // Its model is found where it was made, beside the bundle or in modelsFolder(); else, unless
    // errors are quiet, the user is asked for the models folder; else the bundle opens without
    // it (its runs and rank sweep) and the banner names the model.
    Status openSessionFile(const QString &path);
    static bool isSessionFile(const QString &path);
    // The folder of models a bundle's model is looked for in when it is neither where the bundle
    // was made nor beside the bundle (remembered in the settings).
    static QString modelsFolder();
    static void setModelsFolder(const QString &folder);
    // The bundle the window shows (empty: none).
    QString sessionFile() const { return mSessionFile; }

    void retranslate();

private:
    MainWindow &mWindow;
    LessonPanel *mPanel;
    QDockWidget *mDock;
    QMenu *mMenu;
    QList<QAction *> mLessonActions;
    QAction *mPresentation;
    QAction *mOpenSessionFile;
    std::unique_ptr<QTemporaryDir> mBundleDir;
    QString mSessionFile;
    QShortcut *mNextKey;
    QShortcut *mPrevKey;
    bool mPresenting = false;
    // What presentation mode changed, to restore it.
    QByteArray mSavedState;
    QFont mSavedFont;
    QPalette mSavedPalette;
    bool mWasFullScreen = false;
};

} // namespace lqer
