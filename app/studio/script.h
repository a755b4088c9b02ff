#pragma once

// The studio's scripted mode (command-line options), so screenshots are reproducible:
//   lqer-studio MODEL --analyze --layer NAME --view spectrum --screenshot out.png
// Steps run in a fixed order (open, load stats / calibrate, quantize, layer detail, evaluate,
// rank sweep, view, screenshot), each waiting for its job.

#include "core/common/expected.h"

#include <QSize>
#include <QStringList>

class QCommandLineParser;

namespace lqer {

class MainWindow;

struct ScriptOptions
{
    QString model;
    QString statsPath;
    bool calibrate = false;
    bool analyze = false; // quantize the whole model
    QString layer; // select (and decompose) this layer
    bool evaluate = false;
    int evalWindows = 0; // 0 = all
    bool rankSweep = false;
    QString view; // spectrum, heatmap, layers, sweep, cost
    QString heatmapStage; // before / after
    QString screenshot; // PNG of the whole window
    QString exportPlot; // the current view's plot alone (.png/.svg/.pdf)
    QString language;
    QSize size;
    bool quit = false;

    bool isScripted() const { return !screenshot.isEmpty() || !exportPlot.isEmpty() || quit; }
};

void addScriptOptions(QCommandLineParser &parser);
Expected<ScriptOptions> scriptOptionsFrom(const QCommandLineParser &parser);
// Runs the steps; returns the first error (the window stays usable either way).
Status runScript(MainWindow &window, const ScriptOptions &options);

} // namespace lqer
