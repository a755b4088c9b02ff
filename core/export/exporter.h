#pragma once

// Writes a quantized model to disk (docs/PACKED_FORMAT.md):
//  - Packed: the LQER checkpoint as hardware stores it (codes, shared exponents / scales, the
//    low-rank factors in their own format, every other tensor as it was) plus
//    quantization_config.json. Re-imported by loadPackedModel() (packedmodel.h).
//  - Dequantized: an ordinary Hugging Face folder whose quantized linears hold Wq (optionally
//    + A·B merged) in fp16 / bf16 / fp32, for standard tools.
//
// The export streams: tensors are visited in checkpoint order, the quantized linear of a layer
// is asked from `linears` when its weight comes up, packed into the current shard and dropped.
// Everything is written into a sibling folder "<DIR>.partial-XXXXXX" and moved into place at the
// end (the index/config files last), so a failure or a cancel never leaves a folder that looks
// complete; the source checkpoint is never written to.

#include "core/common/expected.h"
#include "core/common/progress.h"
#include "core/io/checkpoint.h"
#include "core/plan/plan.h"
#include "core/lqer/quantizedlinear.h"
#include "core/lqer/statsfile.h"
#include "core/model/architecture.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace lqer {

enum class ExportFormat { Packed, Dequantized };

QString exportFormatName(ExportFormat format); // "packed", "dequantized"
Expected<ExportFormat> exportFormatFromName(const QString &name);

// Produces the quantized replacement of one layer when the exporter reaches its weight.
// Called from the exporting thread, once per quantized layer, in model order.
using LinearProvider = std::function<Expected<QuantizedLinear>(const LinearLayerInfo &layer)>;

// Serves precomputed linears (e.g. the studio's pipeline result); a missing layer is an error.
LinearProvider linearsFromMap(QMap<QString, QuantizedLinear> linears);

// Quantizes each layer on demand with quantizeLayer() and the plan's settings for it (the CLI
// path), its products and quantizer split over `threads` threads (0 = all cores), with the
// exporting thread's layer buffers reused from layer to layer. `stats` must hold the layers
// when the plan needs statistics; it must outlive the export.
LinearProvider quantizingProvider(std::shared_ptr<const Checkpoint> checkpoint, const Plan &plan,
                                  const StatsMap *stats, const CancelToken *cancel = nullptr,
                                  int threads = 1);

// The quantized linears an export of `checkpoint` under `plan` writes, in the order it asks the
// provider for them (the checkpoint's tensor order).
Expected<QList<LinearLayerInfo>> exportedLayers(const Checkpoint &checkpoint, const Plan &plan);

// quantizingProvider for a whole export on one machine: the layers are quantized ahead of the
// export, in its order (exportedLayers), on `threads` workers with one layer each (0 = all
// cores), while the exporting thread writes the earlier ones. At most threads + 1 layers'
// fp32 weights and buffers exist at once, and at most 2·threads + 1 finished layers wait. A
// layer asked out of that order is quantized on the spot. The results equal quantizingProvider's
// (one layer's decomposition does not depend on its thread count).
Expected<LinearProvider> workAheadProvider(std::shared_ptr<const Checkpoint> checkpoint, const Plan &plan,
                                           const StatsMap *stats, const CancelToken *cancel = nullptr,
                                           int threads = 0);

struct ExportConfig
{
    std::shared_ptr<const Checkpoint> checkpoint; // the source (read only)
    Plan plan; // which layers are quantized, and how
    LinearProvider linears; // the quantized linears (see above)
    ExportFormat format = ExportFormat::Packed;
    QString outputDir;
    bool force = false; // allow a non-empty output folder; only files this tool wrote
                        // there before (listed in its quantization_config.json) and
                        // the files of this export are replaced, nothing else deleted
    bool mergeLowRank = false; // dequantized: store Wq + (A·B)ᵀ instead of Wq
    DType dtype = DType::F16; // dequantized: F16, BF16 or F32 for every float tensor
    int gptqGroupSize = 0; // dequantized: > 0 packs each quantized linear (an int4_g<N>_sym weight)
                           // as GPTQ qweight / qzeros / scales / g_idx with this group
                           // (core/io/gptq.h) and declares it in config.json; the other float
                           // tensors in `dtype`
    qint64 shardBytes = qint64(2) << 30; // start a new shard past this many data bytes
    QJsonObject provenance; // free-form (stats file, calibration text...) for the JSON side file
    const CancelToken *cancel = nullptr;
};

struct ExportResult
{
    QString outputDir;
    QStringList files; // file names inside outputDir
    qint64 totalBytes = 0; // all files written
    int quantizedLayers = 0;
    qint64 quantizedWeights = 0; // Σ m·n over quantized layers
    // Packed only: the bytes of the quantized linears' arrays (codes, exponents, scales, zero
    // points, A and B) and the bits per original weight they make (×8 / Σ m·n), next to the
    // NUMERICS §8 figure Σ b·m·n / Σ m·n from the formats.
    qint64 quantizedPayloadBytes = 0;
    double fileBitsPerWeight = 0;
    double formulaBitsPerWeight = 0;
    double seconds = 0;
};

// Fails, naming the folder or tensor, on: a non-empty output folder without `force`, an output
// folder that is (or is inside) the source checkpoint, an unwritable or full disk, a provider
// error, or a cancel (progress returning false / config.cancel) — then the partial folder is
// removed and nothing in outputDir has changed.
Expected<ExportResult> exportCheckpoint(const ExportConfig &config, const ProgressFn &progress = {});

// The session-store record of an export (a run of kind "export", RunRecord::details): the
// format name, the output folder, each written file (`files`, relative to outputDir) with its
// size on disk, the total, the quantized layers and weights, and the bits per weight from the
// formats (NUMERICS §8) and, where known (packed), of the stored arrays. Sizes are read from
// the files, so the record says what is on disk.
QJsonObject exportRunDetails(const QString &format, const QString &outputDir, const QStringList &files,
                             int quantizedLayers, qint64 quantizedWeights, double formulaBitsPerWeight,
                             double fileBitsPerWeight = 0);

// The sizes an export will have, predicted before anything is quantized or written (the
// studio's export dialog shows them as the format changes).
struct ExportSizePrediction
{
    qint64 baseBytes = 0; // the model's weight files (safetensors shards, model.gguf)
    qint64 adapterBytes = 0; // the low-rank term's files (lqer-lora.gguf, lqer-adapter/)
    qint64 otherBytes = 0; // config, tokenizer, quantization_config.json
    qint64 totalBytes() const { return baseBytes + adapterBytes + otherBytes; }
    double bitsPerWeight = 0; // NUMERICS §8 over the quantized layers, low-rank included
    int quantizedLayers = 0;
    bool exact = false; // GGUF: byte-exact; safetensors formats: data exact, headers estimated
};

enum class PredictedFormat { Packed, Dequantized, Gguf, Peft };

// Reads the checkpoint's headers (and, for GGUF, the tokenizer) only; the rank of each layer is
// the plan's, capped at min(in, out) as quantizeLayer() does. `dtype` is the dequantized /
// PEFT float type; `tokenizerPath` the GGUF export's (exportGguf()).
Expected<ExportSizePrediction> predictExportSize(std::shared_ptr<const Checkpoint> checkpoint,
                                                 const Plan &plan, PredictedFormat format,
                                                 DType dtype = DType::F16,
                                                 const QString &tokenizerPath = QString());

// Parses "2GB", "500MB", "1.5G", "123456" (bytes); errors name the text.
Expected<qint64> parseByteSize(const QString &text);

} // namespace lqer
