#pragma once

// The calibration pass of NUMERICS.md §6: run the fp32 model on N samples of L tokens, each
// sample alone, and collect per decoder linear the statistics of its input activations:
//   meanAbsMax_i = max over samples of (mean over the sample's tokens of |x_i|)   (L²QER)
//   sumSquares_i = sum over all tokens of x_i^2                                    (QERA-approx)
//   gram         = sum over all tokens of x x^T, only when asked                   (QERA-exact)
// everything accumulated in double, each sample's sums added in sample order (0, 1, 2, ...)
// whatever the threads: the statistics are the same bit for bit for any --threads. The pass
// runs block by block: all samples through decoder block i, then block i + 1. Under mpirun
// (core/common/cluster.h) the samples are shared out in contiguous ranges, the ranks go
// through the blocks in step, the root folds every rank's samples in that same order and
// every rank gets the root's statistics, so N ranks write exactly what one process writes.

#include "core/common/expected.h"
#include "core/common/progress.h"
#include "core/lqer/statsfile.h"
#include "core/model/transformer.h"

#include <QList>
#include <QStringList>

namespace lqer {

struct CalibrationConfig
{
    const Transformer *model = nullptr;
    QList<TokenIds> samples; // each run alone (calibrationSamples() cuts them from a text)
    QStringList layers; // weight names; empty = every decoder linear
    bool gram = false; // R = sum x x^T costs m^2 per layer: only for QERA-exact
    int threads = 0; // 0 = QThread::idealThreadCount()
};

struct CalibrationResult
{
    StatsMap stats;
    qint64 samples = 0;
    qint64 tokens = 0;
    double seconds = 0;
};

Expected<CalibrationResult> calibrate(const CalibrationConfig &config, const ProgressFn &progress = {});

// Cuts up to `count` non-overlapping windows of `length` tokens from the start of a tokenized
// text. Fewer windows when the text is short (the caller may warn); an error naming `textName`
// when not even one fits.
Expected<QList<TokenIds>> calibrationSamples(const TokenIds &tokens, int count, int length,
                                             const QString &textName);

// The default calibration window: min(2048, max_position_embeddings) (NUMERICS.md §6).
int defaultWindowLength(const ModelConfig &config);

} // namespace lqer
