#pragma once

// Shared by the model commands (calibrate, eval, generate, quantize): open a model with its
// tokenizer, tokenize a text file, calibrate, find the statistics a plan needs.

#include "cli.h"
#include "options.h"

#include "core/eval/planeval.h"
#include "core/io/checkpoint.h"
#include "core/io/llama2cfile.h"
#include "core/plan/planoptions.h"
#include "core/lqer/statsfile.h"
#include "core/model/calibration.h"
#include "core/model/llama2c.h"
#include "core/model/tokenizer.h"
#include "core/model/transformer.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

#include <memory>

namespace lqer::cli {

struct LoadedModel
{
    std::shared_ptr<Checkpoint> checkpoint; // null for llama2.c files
    std::shared_ptr<Transformer> model;
    std::unique_ptr<Tokenizer> tokenizer;
};

// `tokenizerPath` (a llama2.c .bin or a Hugging Face tokenizer file), else the tokenizer of
// the model folder `folder`.
inline Expected<std::unique_ptr<Tokenizer>> openTokenizer(const QString &folder, const QString &tokenizerPath,
                                                          int vocabSize)
{
    if (tokenizerPath.isEmpty())
        return Tokenizer::fromModelFolder(folder);
    if (tokenizerPath.endsWith(QLatin1String(".bin")))
        return Tokenizer::fromLlama2c(tokenizerPath, vocabSize);
    return Tokenizer::fromHuggingFace(tokenizerPath);
}

// MODEL is a Hugging Face folder or a llama2.c .bin (its tokenizer: --tokenizer, else
// tokenizer.bin / tok<vocab>.bin beside it).
inline Expected<LoadedModel> openModel(const QString &path, const QString &tokenizerPath)
{
    LoadedModel m;
    const QFileInfo info(path);
    if (info.isFile() && info.suffix() == QLatin1String("bin")) {
        auto model = loadLlama2c(path, stderrProgress(QStringLiteral("loading")));
        if (!model)
            return makeError(model.error());
        m.model = *model;
        const QString tok = tokenizerPath.isEmpty()
            ? llama2cTokenizerBeside(path, m.model->config().vocabSize)
            : tokenizerPath;
        if (tok.isEmpty())
            return makeError(
                QStringLiteral("%1: no tokenizer.bin or tok%2.bin beside the model; pass --tokenizer")
                    .arg(QDir::toNativeSeparators(path))
                    .arg(m.model->config().vocabSize));
        auto t = Tokenizer::fromLlama2c(tok, m.model->config().vocabSize);
        if (!t)
            return makeError(t.error());
        m.tokenizer = std::move(*t);
        return m;
    }
    auto ckpt = Checkpoint::open(path);
    if (!ckpt)
        return makeError(ckpt.error());
    m.checkpoint = *ckpt;
    auto model = Transformer::fromCheckpoint(*m.checkpoint, stderrProgress(QStringLiteral("loading")));
    if (!model)
        return makeError(model.error());
    m.model = *model;
    auto t = openTokenizer(m.checkpoint->directory(), tokenizerPath, m.model->config().vocabSize);
    if (!t)
        return makeError(t.error());
    m.tokenizer = std::move(*t);
    return m;
}

// The whole file as UTF-8, tokenized with the tokenizer's own special tokens (NUMERICS §7).
inline Expected<TokenIds> tokenizeFile(const Tokenizer &tokenizer, const QString &path)
{
    auto text = readTextCorpus(path);
    if (!text)
        return makeError(text.error());
    if (text->trimmed().isEmpty())
        return makeError(QStringLiteral("%1: the text is empty").arg(QDir::toNativeSeparators(path)));
    TokenIds ids = tokenizer.encode(*text, true);
    return ids;
}

// The CLI's window / calibration length: 512 unless given (NUMERICS §7: "L = 512 for the shipped
// models", the protocol of GOLDEN.md), never more than the model's positions. The core's own
// default (defaultWindowLength: min(2048, max positions)) is what the paper used for LLaMA;
// pass --seq-len 2048 for that.
inline int cliWindowLength(int requested, const ModelConfig &config)
{
    return requested > 0 ? requested : std::min(512, config.maxPositions);
}

inline QString fmtSeconds(double s)
{
    return s < 10 ? QString::number(s, 'f', 2) + QStringLiteral(" s")
                  : QString::number(s, 'f', 1) + QStringLiteral(" s");
}

// The calibration samples of a tokenized text: up to N windows of L tokens from its start (a
// warning on stderr when fewer fit; an error naming `textPath` when not even one does).
inline Expected<QList<TokenIds>> calibrationSamplesFromTokens(const LoadedModel &m, const TokenIds &ids,
                                                              const QString &textPath, int samples,
                                                              int seqLen)
{
    const int L = cliWindowLength(seqLen, m.model->config());
    if (L > m.model->config().maxPositions)
        return makeError(QStringLiteral("--seq-len %1 exceeds the model's %2 positions")
                             .arg(L)
                             .arg(m.model->config().maxPositions));
    auto cut = calibrationSamples(ids, samples, L, textPath);
    if (!cut)
        return makeError(cut.error());
    if (cut->size() < samples)
        err(QStringLiteral(
                "lqer: warning: %1 has %2 tokens: only %3 calibration samples of %4 tokens (asked for %5)\n")
                .arg(QDir::toNativeSeparators(textPath))
                .arg(ids.size())
                .arg(cut->size())
                .arg(L)
                .arg(samples));
    return *cut;
}

inline Expected<CalibrationResult> calibrateOnSamples(const LoadedModel &m, const QList<TokenIds> &samples,
                                                      bool gram, int threads)
{
    CalibrationConfig c;
    c.model = m.model.get();
    c.samples = samples;
    c.gram = gram;
    c.threads = threads;
    return calibrate(c, stderrProgress(QStringLiteral("calibrating")));
}

// Calibrates on `textPath` (N samples of L tokens) and reports on stderr.
inline Expected<CalibrationResult> calibrateOnText(const LoadedModel &m, const QString &textPath, int samples,
                                                   int seqLen, bool gram, int threads)
{
    auto ids = tokenizeFile(*m.tokenizer, textPath);
    if (!ids)
        return makeError(ids.error());
    auto cut = calibrationSamplesFromTokens(m, *ids, textPath, samples, seqLen);
    if (!cut)
        return makeError(cut.error());
    return calibrateOnSamples(m, *cut, gram, threads);
}

// The weight names of the checkpoint's quantizable linears, in model order.
inline Expected<QStringList> linearNames(const Checkpoint &checkpoint)
{
    auto layers = quantizableLinears(checkpoint);
    if (!layers)
        return makeError(layers.error());
    QStringList names;
    for (const LinearLayerInfo &l : *layers)
        names << l.weightName;
    return names;
}

// Calibrates on `textPath` with the plan's samples and length, and records in plan.calibration
// what was used (the length resolved: 0 would read "min(2048, positions)"; the text's
// absolute path).
inline Expected<CalibrationResult> calibrateForPlan(const LoadedModel &m, Plan &plan, const QString &textPath,
                                                    bool gram, int threads)
{
    auto c = calibrateOnText(m, textPath, plan.calibration.samples, plan.calibration.seqLen, gram, threads);
    if (!c)
        return c;
    plan.calibration.seqLen = cliWindowLength(plan.calibration.seqLen, m.model->config());
    plan.calibration.textPath = QFileInfo(textPath).absoluteFilePath();
    return c;
}

// The statistics for running `plan` on `layers`: those of --stats when given; else, when a
// layer's method needs them, calibrated on --calib (calibrateForPlan, on `model`, or on the
// model at `modelPath` loaded only then); else none. An error when they are needed and
// neither is given.
inline Expected<StatsMap> statsForPlan(const QString &modelPath, const LoadedModel *model, Plan &plan,
                                       const QStringList &layers, const StatsSource &source, int threads)
{
    if (!source.statsFile.isEmpty())
        return loadStats(source.statsFile);
    if (!plan.needsStats(layers))
        return StatsMap();
    if (source.calibText.isEmpty())
        return makeError(
            QStringLiteral("the plan's methods need calibration statistics: pass --calib FILE or "
                           "--stats FILE (or --method lqer / plain)"));
    LoadedModel loaded;
    if (!model) {
        auto opened = openModel(modelPath, QString());
        if (!opened)
            return makeError(opened.error());
        loaded = std::move(*opened);
        model = &loaded;
    }
    auto c = calibrateForPlan(*model, plan, source.calibText, plan.needsGram(layers), threads);
    if (!c)
        return makeError(c.error());
    return std::move(c->stats);
}

} // namespace lqer::cli
