#pragma once

// GGUF export for llama.cpp (docs/GGUF_EXPORT.md): a quantized LLaMA-family, GPT-2 or GPT-NeoX
// model as
//  - model.gguf: the base weights in their plan formats (q4_0 / q8_0 blocks, f16 or f32),
//    norms f32, embeddings as the source stores them (f16, else f32), the architecture
//    metadata and the tokenizer (byte-level BPE with merges from tokenizer.json, or the
//    llama/SentencePiece vocabulary of a llama2.c tokenizer.bin), Q and K rows permuted from
//    the Hugging Face rotate-half order to llama.cpp's interleaved pairs (LLaMA), GPT-2's Conv1D
//    weights as (out, in) matrices, GPT-NeoX's per-head fused Q/K/V rows as [Q | K | V];
//  - lqer-lora.gguf: a LoRA adapter with lora_a = Aᵀ and lora_b = Bᵀ per quantized layer of
//    rank > 0 (f32, f16 or q8_0 as the plan's low-rank format), alpha chosen so that
//    llama.cpp adds exactly x·A·B;
//  - the tokenizer file the export used, so that our own reader tokenizes the same way.
// The weights written are the engine's Wq bit for bit (checked while encoding): what llama.cpp
// multiplies is what `lqer eval` evaluated.

#include "core/common/expected.h"
#include "core/common/progress.h"
#include "core/export/exporter.h"

#include <QString>
#include <QStringList>

namespace lqer {

struct GgufExportConfig
{
    std::shared_ptr<const Checkpoint> checkpoint; // a Hugging Face LLaMA-family, GPT-2 or GPT-NeoX folder
    Plan plan;
    LinearProvider linears;
    QString outputDir;
    bool force = false; // allow a non-empty output folder (files of the same names are replaced)
    // A llama2.c tokenizer.bin to use instead of the folder's tokenizer.json (stories260K-hf).
    QString tokenizerPath;
    const CancelToken *cancel = nullptr;
};

struct GgufExportResult
{
    QString outputDir;
    QStringList files;
    qint64 modelBytes = 0; // model.gguf
    qint64 loraBytes = 0; // lqer-lora.gguf (0: no layer has a low-rank term)
    qint64 otherBytes = 0; // the tokenizer files copied beside them
    int quantizedLayers = 0;
    int loraLayers = 0;
    qint64 quantizedWeights = 0; // Σ m·n over quantized layers
    double formulaBitsPerWeight = 0; // NUMERICS §8 over the quantized layers, low-rank included
    QStringList notes; // layers stored differently from their plan format, and why
};

// Fails with a message naming the architecture (LLaMA-family, GPT-2 and GPT-NeoX models have a
// llama.cpp layout here; OPT has none), the layer whose format has no ggml type, a tokenizer that cannot be
// mapped, or the output folder.
Expected<GgufExportResult> exportGguf(const GgufExportConfig &config, const ProgressFn &progress = {});

// What exportGguf() would write, without writing or quantizing anything: the same files with
// their exact sizes (the metadata and tokenizer are built as for the export; tensors are
// described by shape and type; the rank of each low-rank term is the plan's, capped by the
// layer's smaller dimension) and bits per weight. `linears` and `outputDir` are not
// used. Reads the tokenizer and the checkpoint's headers only.
Expected<GgufExportResult> predictGgufExport(const GgufExportConfig &config);

// Whether every layer of `plan` among `layers` has formats llama.cpp holds exactly (weights
// q4_0, q8_0, f16 or fp32; low-rank factors fp32, f16 or q8_0): checked before any work, the
// error names the first layer and format that do not.
Status checkGgufPlan(const Plan &plan, const QStringList &layers);

// The row order of llama.cpp's Q/K for a Hugging Face (rotate-half) weight of `heads` heads of
// `headDim` rows: entry r is the source row of output row r.
std::vector<qint64> interleavedRowOrder(int heads, int headDim);

// The row order of llama.cpp's fused attn_qkv for GPT-NeoX's query_key_value of `heads` heads of
// `headDim` rows, stored per head as [q, k, v]: llama.cpp's is [all q | all k | all v]. Entry r is
// the source row of output row r.
std::vector<qint64> neoxQkvRowOrder(int heads, int headDim);

// llama.cpp's general.architecture for `arch` ("llama", "gpt2", "gptneox"); empty for one that
// has no llama.cpp layout here (OPT).
QString ggufArchitectureName(Architecture arch);

// ggml name of a tensor given its Hugging Face name ("model.layers.3.mlp.up_proj.weight" ->
// "blk.3.ffn_up.weight", GPT-2's "transformer.h.0.attn.c_attn.weight" -> "blk.0.attn_qkv.weight");
// empty when it has none.
QString ggufTensorName(const QString &hfName, Architecture arch = Architecture::Llama);

} // namespace lqer
