#pragma once

// The main window's actions, menus and toolbar: icons, shortcuts, texts and where each one
// appears. MainWindow connects them and decides when they are enabled.

#include <QCoreApplication>
#include <QList>
#include <QStringList>

class QAction;
class QActionGroup;
class QMainWindow;
class QMenu;
class QToolBar;
class QUndoGroup;

namespace lqer {

class StudioActions
{
    Q_DECLARE_TR_FUNCTIONS(StudioActions)

public:
    // Creates the actions as children of `window` and fills its menu bar and toolbar; one
    // "Show <view>" action per view, one checkable action per language.
    StudioActions(QMainWindow *window, int viewCount, const QStringList &languages);

    void retranslate(const QStringList &viewTitles);

    QAction *open, *openFile, *loadStats, *exportView, *exportModel, *quit;
    QUndoGroup *undoGroup;
    QAction *undo, *redo;
    // The job actions carry their job kind id as data().
    QAction *analyze, *quantize, *calibrate, *evaluate, *sweep, *cancel;
    QAction *marchenkoPastur, *about;
    QActionGroup *languages;
    QList<QAction *> views;

    QMenu *fileMenu, *recentMenu, *editMenu, *viewMenu, *jobsMenu, *languageMenu, *helpMenu;
    QToolBar *toolBar;

    QList<QAction *> jobActions() const { return {analyze, quantize, calibrate, evaluate, sweep}; }

private:
    void createActions(QMainWindow *window, int viewCount, const QStringList &languages);
    void createMenus(QMainWindow *window);
};

} // namespace lqer
