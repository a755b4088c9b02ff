#pragma once

// The studio's scripted mode (command-line options), so screenshots are reproducible:
//   lqer-studio MODEL --analyze --layer NAME --view spectrum --screenshot out.png
//   lqer-studio --db s.db --session 1 --compare last --sessions --view compare --screenshot c.png
// Steps run in a fixed order (open model or session, preset, load stats / calibrate, quantize,
// evaluate, rank sweep, layer detail, export, compare, view, screenshot), each waiting for its
// job. The session database is opened by main() before the steps (--db).

#include "core/common/expected.h"

#include <QSize>
#include <QStringList>

class QCommandLineParser;

namespace lqer {

class MainWindow;

struct ScriptOptions
{
    QString model;
    QString lora; // --lora FILE: the GGUF adapter of a .gguf model
    QString statsPath;
    bool calibrate = false;
    bool analyze = false; // quantize the whole model
    QString layer; // select (and decompose) this layer
    bool evaluate = false;
    int evalWindows = 0; // 0 = all
    QString evalText; // --eval-text FILE
    bool rankSweep = false;
    bool rankCurves = false; // the Rank explorer's curves (before quantize and evaluate)
    QString view; // spectrum, heatmap, layers, sweep, cost
    QString heatmapStage; // before / after
    QString screenshot; // PNG of the whole window
    int screenshotAtPercent = 0; // > 0: take it while a job passes this progress, not at the end
    QString exportPlot; // the current view's plot alone (.png/.svg/.pdf)
    QString language;
    QSize size;
    bool quit = false;
    // Sessions and export.
    QString db; // --db FILE (empty: LQER_SESSIONS_DB or the default location)
    qint64 session = 0; // --session ID: reopen it instead of opening `model`
    QString preset; // --preset NAME: the plan to run (one undoable edit, saved to the session)
    QList<qint64> compare; // --compare A,B (run ids) or "last" (the last two runs with layers)
    bool compareLast = false;
    bool showSessions = false; // --sessions: raise the sessions panel
    QString exportDir; // --export DIR: packed export of the plan into DIR
    // Teaching: --lesson N (1-based) from step --step S (1-based), --presentation.
    int lesson = 0;
    int lessonStep = 1;
    bool presentation = false;

    bool isScripted() const { return !screenshot.isEmpty() || !exportPlot.isEmpty() || quit; }
};

void addScriptOptions(QCommandLineParser &parser);
Expected<ScriptOptions> scriptOptionsFrom(const QCommandLineParser &parser);
// Runs the steps; returns the first error (the window stays usable either way).
Status runScript(MainWindow &window, const ScriptOptions &options);

} // namespace lqer
