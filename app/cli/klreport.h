#pragma once

// The comparison with the FP32 model that `lqer eval` and `lqer quantize` print (and record):
// perplexity ± σ, mean KL divergence from FP32 (± σ, 99th percentile), top-1 agreement, Δppl.
// --save-logits FILE keeps the FP32 distributions of the evaluation windows, --kl-base FILE
// reuses them instead of a new FP32 pass (core/eval/logitreference.h), --no-kl skips the
// comparison.

#include "core/common/expected.h"
#include "core/eval/logitreference.h"
#include "core/eval/perplexity.h"

#include <QCommandLineParser>
#include <QString>

#include <memory>

namespace lqer::cli {

struct KlOptions
{
    QString saveLogits; // --save-logits FILE
    QString klBase; // --kl-base FILE
    bool skip = false; // --no-kl
};
void addKlOptions(QCommandLineParser &parser);
Expected<KlOptions> klOptionsFrom(const QCommandLineParser &parser);

// The FP32 pass of a run: its perplexity, and the reference the quantized passes compare with
// (null with --no-kl).
struct Fp32Reference
{
    PerplexityResult fp32;
    std::unique_ptr<LogitReference> reference;
    bool fromFile = false; // --kl-base: read, not computed
};

// `config` describes the windows (its model in fp32: useQuantized is set to false here). With
// --kl-base, the file is opened and checked against the windows and no forward pass runs;
// otherwise the FP32 pass runs once and saves its distributions (--save-logits FILE or a
// temporary file).
Expected<Fp32Reference> fp32Reference(PerplexityConfig config, const KlOptions &options,
                                      const ProgressFn &progress);

// "13.1246 ± 0.0701".
QString pplText(double ppl, double error);
// The comparison lines of `lqer eval` ("KL divergence  mean ... p99 ...", "top-1 ...", "Δppl ...").
QString klLines(const KlStats &kl);

} // namespace lqer::cli
