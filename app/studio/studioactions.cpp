#include "app/studio/studioactions.h"

#include <QAction>
#include <QActionGroup>
#include <QMainWindow>
#include <QMenuBar>
#include <QToolBar>
#include <QUndoGroup>

namespace lqer {

static QIcon icon(const char *name)
{
    return QIcon(QStringLiteral(":/icons/%1.svg").arg(QLatin1String(name)));
}

StudioActions::StudioActions(QMainWindow *window, int viewCount, const QStringList &languageList)
{
    createActions(window, viewCount, languageList);
    createMenus(window);
}

void StudioActions::createActions(QMainWindow *window, int viewCount, const QStringList &languageList)
{
    auto make = [window](const char *iconName, const QKeySequence &shortcut, const char *kind = nullptr) {
        auto *a = iconName ? new QAction(icon(iconName), QString(), window) : new QAction(window);
        a->setShortcut(shortcut);
        if (kind)
            a->setData(QString::fromLatin1(kind));
        return a;
    };
    open = make("open", QKeySequence::Open);
    openFile = make(nullptr, {});
    loadStats = make(nullptr, {});
    exportView = make("export", QKeySequence(Qt::CTRL | Qt::Key_E));
    exportModel = make("export", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    quit = make(nullptr, QKeySequence::Quit);

    undoGroup = new QUndoGroup(window);
    undo = undoGroup->createUndoAction(window);
    undo->setIcon(icon("undo"));
    undo->setShortcut(QKeySequence::Undo);
    redo = undoGroup->createRedoAction(window);
    redo->setIcon(icon("redo"));
    redo->setShortcut(QKeySequence::Redo);

    analyze = make("analyze", QKeySequence(Qt::Key_F5), "analyze");
    quantize = make("quantize", QKeySequence(Qt::CTRL | Qt::Key_F5), "quantize");
    calibrate = make("calibrate", {}, "calibrate");
    evaluate = make("evaluate", QKeySequence(Qt::Key_F6), "evaluate");
    sweep = make("sweep", {}, "sweep");
    cancel = make("cancel", QKeySequence(Qt::Key_Escape));

    marchenkoPastur = make(nullptr, {});
    marchenkoPastur->setCheckable(true);
    about = make(nullptr, {});
    for (int v = 0; v < viewCount; ++v)
        views << make(nullptr, v < 9 ? QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + v)) : QKeySequence());
    languages = new QActionGroup(window);
    for (const QString &lang : languageList) {
        auto *a = make(nullptr, {});
        a->setCheckable(true);
        a->setData(lang);
        languages->addAction(a);
    }
}

void StudioActions::createMenus(QMainWindow *window)
{
    QMenuBar *bar = window->menuBar();
    fileMenu = bar->addMenu(QString());
    fileMenu->addAction(open);
    fileMenu->addAction(openFile);
    recentMenu = fileMenu->addMenu(QString());
    fileMenu->addAction(loadStats);
    fileMenu->addSeparator();
    fileMenu->addActions({exportView, exportModel});
    fileMenu->addSeparator();
    fileMenu->addAction(quit);
    editMenu = bar->addMenu(QString());
    editMenu->addActions({undo, redo});
    viewMenu = bar->addMenu(QString());
    viewMenu->addActions(views);
    viewMenu->addSeparator();
    viewMenu->addAction(marchenkoPastur);
    viewMenu->addSeparator();
    languageMenu = viewMenu->addMenu(QString());
    languageMenu->addActions(languages->actions());
    jobsMenu = bar->addMenu(QString());
    jobsMenu->addActions({analyze, quantize});
    jobsMenu->addSeparator();
    jobsMenu->addActions({calibrate, evaluate, sweep});
    jobsMenu->addSeparator();
    jobsMenu->addAction(cancel);
    helpMenu = bar->addMenu(QString());
    helpMenu->addAction(about);

    toolBar = window->addToolBar(QString());
    toolBar->setObjectName(QStringLiteral("MainToolBar"));
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->setIconSize(QSize(18, 18));
    toolBar->addAction(open);
    toolBar->addSeparator();
    toolBar->addActions({undo, redo});
    toolBar->addSeparator();
    toolBar->addActions(jobActions());
    toolBar->addSeparator();
    toolBar->addAction(exportView);
}

void StudioActions::retranslate(const QStringList &viewTitles)
{
    for (int v = 0; v < views.size(); ++v)
        views[v]->setText(tr("Show %1").arg(viewTitles.value(v)));
    fileMenu->setTitle(tr("&File"));
    recentMenu->setTitle(tr("Open &recent"));
    editMenu->setTitle(tr("&Edit"));
    viewMenu->setTitle(tr("&View"));
    jobsMenu->setTitle(tr("&Jobs"));
    languageMenu->setTitle(tr("&Language"));
    helpMenu->setTitle(tr("&Help"));
    toolBar->setWindowTitle(tr("Main toolbar"));
    open->setText(tr("&Open checkpoint…"));
    open->setToolTip(
        tr("Open a Hugging Face checkpoint folder (Ctrl+O); you can also drop a folder on the window"));
    openFile->setText(tr("Open model &file…"));
    openFile->setToolTip(tr("Open a GGUF LLaMA model (select its lqer-lora.gguf adapter too to evaluate "
                            "with it; layers with their ggml formats, analysed on the dequantized weights) "
                            "or a llama2.c model file (.bin, with tok512.bin or tokenizer.bin beside it)"));
    loadStats->setText(tr("Load calibration &statistics…"));
    exportView->setText(tr("&Export view…"));
    exportModel->setText(tr("Export &quantized checkpoint…"));
    exportModel->setToolTip(
        tr("Write the quantized model: packed LQER checkpoint or dequantized Hugging Face folder"));
    quit->setText(tr("&Quit"));
    undo->setText(tr("&Undo"));
    redo->setText(tr("&Redo"));
    analyze->setText(tr("&Analyze selected"));
    analyze->setToolTip(tr("Quantize and decompose the selected layers (F5)"));
    quantize->setText(tr("&Quantize model"));
    quantize->setToolTip(tr("Run the plan on every layer of the model (Ctrl+F5)"));
    calibrate->setText(tr("&Calibrate"));
    calibrate->setToolTip(tr("Collect activation statistics for L²QER / QERA"));
    evaluate->setText(tr("&Evaluate perplexity"));
    sweep->setText(tr("Rank &sweep"));
    cancel->setText(tr("Cancel"));
    cancel->setToolTip(tr("Stop the running job (Esc)"));
    marchenkoPastur->setText(tr("&Marchenko–Pastur overlay"));
    about->setText(tr("&About LQER Studio"));
    for (QAction *a : languages->actions())
        a->setText(a->data().toString() == QLatin1String("de") ? QStringLiteral("Deutsch")
                                                               : QStringLiteral("English"));
}

} // namespace lqer
