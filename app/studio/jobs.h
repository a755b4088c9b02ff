#pragma once

// The studio's jobs as functions for JobRunner: each takes a snapshot of what it needs (the
// checkpoint is shared and read-only, the plan and statistics are copied or shared const), runs
// on the worker thread and posts its results to the document/window on the GUI thread.

#include "app/studio/document.h"
#include "app/studio/jobrunner.h"
#include "core/store/sessionstore.h"
#include "widgets/heatmapgrid.h"
#include "widgets/spectrumplot.h"

namespace lqer {

// Everything the spectrum plot and the heatmap show for one layer.
struct LayerDetail
{
    QString layer;
    qint64 rows = 0; // (out, in)
    qint64 cols = 0;
    int rank = 0;
    Method method = Method::Lqer; // the method of the heatmap's "after"
    QList<SpectrumSeries> spectra; // LQER σ(αE), L²QER σ(SE), QERA σ(SE) at equal energy
    QVector<double> marchenkoPastur; // expected σ_i of an i.i.d. matrix, same shape and energy
    HeatmapGrid before; // |E|
    HeatmapGrid after; // |E − Ẽ|
    HeatmapGrid weight; // |W|
    HeatmapGrid quantized; // |Wq|
    QString note; // e.g. why L²QER is missing
    // A big layer's first, cheaper look ahead of the full result: the top singular values of a
    // quick sketch per series, no heatmaps (computeLayerDetail's onPreview).
    bool preview = false;
};

struct AnalysisRequest
{
    std::shared_ptr<const Checkpoint> checkpoint;
    Plan plan;
    QStringList layers; // empty = all
    std::shared_ptr<const StatsMap> stats;
    int threads = 0;
};

// Methods that need statistics fall back to LQER when there are none; the returned plan says
// which (and `note` tells the user).
Plan effectivePlan(const Plan &plan, const QStringList &layers, const StatsMap *stats, QString *note);

// Whole-model or selected-layer analysis through runPipeline; `onLayer` runs on the GUI thread.
JobFunction makeAnalysisJob(const AnalysisRequest &request, std::function<void(const LayerResult &)> onLayer);

// Spectra of all methods and the error heatmaps of one layer; `onDetail` runs on the GUI thread,
// first with the preview of a big layer, then with the full result.
JobFunction makeLayerDetailJob(const AnalysisRequest &request, const LinearLayerInfo &layer,
                               std::function<void(const LayerDetail &)> onDetail);
// The same computation, synchronous (tests and the job itself). When `onPreview` is set and the
// layer is big (both sides above LayerQuantOptions::kAutoSpectrumAll, where the full spectra
// take seconds), it first receives previews (LayerDetail::preview): the leading singular values
// of E, then with statistics those of S·E too, each from a quick sketch on every core. The full
// result does not depend on whether previews were made.
Expected<LayerDetail> computeLayerDetail(const AnalysisRequest &request, const LinearLayerInfo &layer,
                                         const CancelToken *cancel,
                                         const std::function<void(const LayerDetail &)> &onPreview = {});

// Expected singular values (descending) of a rows x cols i.i.d. matrix with the given element
// variance: the (i − ½)/p quantiles of the Marchenko–Pastur singular-value law.
QVector<double> marchenkoPasturQuantiles(qint64 rows, qint64 cols, double variance);
// The reference a spectrum plot draws beside `count` singular values of a rows x cols matrix
// with Frobenius norm `frobNorm`: the i.i.d. matrix of the same energy, its top `count` values.
// The energy comes from the norm, not from the plotted values, which may be the top ones only
// (a big layer's spectrum is truncated: the full one would take a minute).
QVector<double> marchenkoPasturReference(qint64 rows, qint64 cols, double frobNorm, qsizetype count);

} // namespace lqer

namespace lqer {

class LogitReference;
class Transformer;

// Jobs over the model runtime (core/model, core/eval): calibration statistics, perplexity, and
// a rank sweep (perplexity of the quantized model for each k).
struct EvalRequest
{
    AnalysisRequest analysis; // checkpoint, plan, stats
    QString textPath; // evaluation text (NUMERICS §7)
    int seqLen = 512;
    int maxWindows = 0; // 0 = all
};

// The FP32 model of the request's checkpoint and the tokens of its text.
struct EvalModel
{
    std::shared_ptr<Transformer> transformer;
    std::vector<int> tokens;
    QString textFingerprint;
};
Expected<EvalModel> loadModelAndText(const EvalRequest &request, const ProgressFn &progress);
// The evaluation window: the request's length, at most the model's positions.
int windowLength(const EvalRequest &request, const Transformer &t);

// A perplexity with its protocol (NUMERICS §7): the session store's record itself, labelled
// "fp32", "quantized", "packed" or "<method> k=<rank>".
using EvalProtocol = PerplexityRecord;

// Calibration over `textPath` with the plan's calibration settings; delivers the statistics and,
// when `savePath` is set, writes them there (statsfile.h) for the session to reload.
JobFunction makeCalibrateJob(const EvalRequest &request,
                             std::function<void(std::shared_ptr<const StatsMap>)> onDone,
                             const QString &savePath = QString());
// The FP32 model's next-token distributions on the evaluation windows of the last evaluation,
// kept (a temporary file) for the next evaluation of the same model, text and windows.
struct Fp32Reference
{
    QString key; // model and text fingerprints, window length, windows
    std::shared_ptr<LogitReference> logits;
    EvalProtocol fp32;
};
// Perplexity of the quantized plan and its comparison with FP32 token by token (KL divergence
// mean and p99, top-1 agreement, Δppl; EvalProtocol::kl), as llama.cpp's --kl-divergence: the
// FP32 pass runs first unless `cache` holds its distributions for these windows, and then fills
// it. `onFp32` receives the FP32 perplexity when it was computed (or `reportCachedFp32`).
JobFunction makeKlEvaluateJob(const EvalRequest &request, std::shared_ptr<Fp32Reference> cache,
                              bool reportCachedFp32, std::function<void(const EvalProtocol &result)> onFp32,
                              std::function<void(const EvalProtocol &result)> onDone);
// Perplexity of a packed LQER checkpoint (core/export/packedmodel.h: the model is built from
// the packed folder alone, quantized linears installed); the tokenizer is the folder's own.
JobFunction
makePackedEvaluateJob(const EvalRequest &request, const QString &packedPath,
                      std::function<void(double ppl, int windowsDone, int windowsTotal)> onPartial,
                      std::function<void(const EvalProtocol &result)> onDone);
// Perplexity of a GGUF model (and its LoRA adapter) as llama.cpp computes it
// (core/export/ggufmodel.h: loadGgufModel()); the tokenizer is the one beside the file.
JobFunction makeGgufEvaluateJob(const EvalRequest &request, const QString &ggufPath, const QString &loraPath,
                                std::function<void(double ppl, int windowsDone, int windowsTotal)> onPartial,
                                std::function<void(const EvalProtocol &result)> onDone);
// For each rank: quantize every layer with the plan at that rank, evaluate, deliver the point
// (rank 0 is the plain model; `series` is the method's display name).
JobFunction
makeRankSweepJob(const EvalRequest &request, const QList<int> &ranks,
                 std::function<void(const QString &series, int rank, const EvalProtocol &result)> onPoint);

} // namespace lqer
