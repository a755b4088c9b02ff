#pragma once

// The options several commands share, declared once: each add*() declares a group of flags
// with one spelling, one help text and one default, and the matching *From() reads and checks
// it (errors are one line naming the flag and the value). A command declares its own options
// only for what no other command has.

#include "cli.h"

#include "core/common/expected.h"
#include "core/plan/planoptions.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include <optional>

namespace lqer::cli {

// --preset, --plan, --method, --rank, --weight, --act, --low-rank, --svd, --attention-matmuls,
// --samples, --calib-seq-len: what the user says about the plan (the rule is PlanOptions').
void addPlanOptions(QCommandLineParser &parser);
Expected<PlanOptions> planOptionsFrom(const QCommandLineParser &parser);

// --calib TEXT | --stats FILE: where the calibration statistics of L²QER / QERA come from.
struct StatsSource
{
    QString calibText; // calibrate on this text (plan.calibration: samples and length)
    QString statsFile; // or read statistics saved by `lqer calibrate`
    bool isSet() const { return !calibText.isEmpty() || !statsFile.isEmpty(); }
};
void addStatsOptions(QCommandLineParser &parser);
Expected<StatsSource> statsSourceFrom(const QCommandLineParser &parser);

// What the model commands (analyze, quantize, eval, export, generate) ask of a model: the
// plan options and the plan they describe, where statistics come from, the threads.
struct PlanRequest
{
    QString modelPath; // as the user gave it
    PlanOptions planOptions;
    Plan plan; // planOptions.toPlan()
    StatsSource statsSource;
    int threads = 0;
};
// addPlanOptions(), addStatsOptions(), addThreadsOption().
void addPlanRequestOptions(QCommandLineParser &parser);
// Reads them into `request` (a command's request extends PlanRequest).
Status readPlanRequest(const QCommandLineParser &parser, const QString &modelPath, PlanRequest &request);

// --samples N: calibration samples (plan option; `lqer calibrate` reads it alone).
QCommandLineOption samplesOption();

// --seq-len L and --windows N: the perplexity windows (512 tokens unless given, all of them).
struct WindowOptions
{
    int seqLen = 0; // 0: cliWindowLength's default
    int windows = 0; // 0: every window of the text
};
void addWindowOptions(QCommandLineParser &parser, const QString &whatIsScored);
Expected<WindowOptions> windowOptionsFrom(const QCommandLineParser &parser);

// --threads N (0 or unset: all cores).
void addThreadsOption(QCommandLineParser &parser);
Expected<int> threadsFrom(const QCommandLineParser &parser);

// --tokenizer FILE (default: the model's own).
void addTokenizerOption(QCommandLineParser &parser);
QString tokenizerFrom(const QCommandLineParser &parser);

// --db PATH: the session database, `purpose` saying what it is used for.
QCommandLineOption dbOption(const QString &purpose);

// --spectrum-count N: the singular values kept per layer (analyze's --spectra, recorded runs).
QCommandLineOption spectrumCountOption();

// The integer value of option `name`: `fallback` when not given; an error naming the option
// and the value when it is not an integer >= `minimum`.
Expected<int> intOptionValue(const QCommandLineParser &parser, const QString &name, int fallback,
                             int minimum);

// The one MODEL positional argument. Otherwise prints the command's usage error with its help
// and sets `exitCode` to 2.
bool modelArgument(const QCommandLineParser &parser, QString &model, int &exitCode);

// The steps every model command starts with: declare its options, parse `args`, take the MODEL
// argument and read the command's request. Empty after --help (exitCode 0), a usage error (2)
// or a bad option value (1, the error printed).
template<typename Request>
std::optional<Request>
parseRequest(QCommandLineParser &parser, const QStringList &args, void (*declare)(QCommandLineParser &),
             Expected<Request> (*read)(const QCommandLineParser &, const QString &), int &exitCode)
{
    declare(parser);
    QString model;
    if (!parseOrExit(parser, args, exitCode) || !modelArgument(parser, model, exitCode))
        return std::nullopt;
    Expected<Request> request = read(parser, model);
    if (!request) {
        exitCode = fail(request.error());
        return std::nullopt;
    }
    return std::move(*request);
}

} // namespace lqer::cli
