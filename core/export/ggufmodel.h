#pragma once

// Reads a GGUF LLaMA model (ours or llama.cpp's, with f32 / f16 / q4_0 / q8_0 tensors) and an
// optional GGUF LoRA adapter back into the engine (docs/GGUF_EXPORT.md). The model keeps
// llama.cpp's interleaved Q/K layout (ModelConfig::rotaryInterleaved), so no row is permuted
// back. Evaluation emulates llama.cpp's CPU arithmetic: linears stored as q4_0 / q8_0 get q8_0
// activations (what ggml multiplies them with), f16 / f32 linears full-precision inputs, and a
// LoRA pair adds x·Aᵀ·Bᵀ·scale with llama.cpp's scale (alpha / rank, or 1 when alpha is 0).

#include "core/common/expected.h"
#include "core/common/progress.h"
#include "core/io/gguf.h"
#include "core/plan/plan.h"
#include "core/model/config.h"

#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace lqer {

class Checkpoint;
class Transformer;

struct GgufLinearInfo
{
    QString weightName; // the Hugging Face name the engine uses
    QString ggufName;
    GgmlType type = GgmlType::F32;
    qint64 inFeatures = 0;
    qint64 outFeatures = 0;
    int rank = 0; // of its LoRA pair; 0 without
    std::optional<GgmlType> loraType;
};

struct GgufModelInfo
{
    QString path;
    QString loraPath;
    ModelConfig config;
    QString tokenizerModel; // tokenizer.ggml.model: "gpt2", "llama"
    QString tokenizerPath; // a tokenizer file beside the model (tokenizer.json, *.bin); may be empty
    QList<GgufLinearInfo> linears; // in model order
    qint64 modelBytes = 0;
    qint64 loraBytes = 0;
    double loraAlpha = 0;
    std::optional<Plan> plan; // lqer.plan, when the file was written by this project
    // Storage bits per linear weight from the file: (Σ linear tensor bytes + LoRA bytes)·8 / Σ m·n.
    double fileBitsPerWeight = 0;
};

// True when `path` is a file that starts with the GGUF magic.
bool isGgufFile(const QString &path);
// True when `path` is a GGUF file whose general.type is "adapter" (a LoRA adapter).
bool isGgufAdapter(const QString &path);

// Headers only (model and adapter): errors name the file and the key or tensor.
Expected<GgufModelInfo> readGgufInfo(const QString &path, const QString &loraPath = QString());

// Builds the model and installs the q8_0-activation / LoRA linears described above.
Expected<std::shared_ptr<Transformer>> loadGgufModel(const QString &path, const QString &loraPath = QString(),
                                                     const ProgressFn &progress = {},
                                                     GgufModelInfo *info = nullptr);

// The model as a checkpoint (Checkpoint::fromTensors()) that the rest of the engine reads like
// a Hugging Face LLaMA folder: the tensors under their Hugging Face names, dequantized to
// float32 when read, Q and K rows back in the Hugging Face rotate-half order, and a config.json
// built from the GGUF keys. Tokenizer files beside the model are found as for a folder. The
// studio opens .gguf files through it. Headers only; errors as readGgufInfo().
Expected<std::shared_ptr<Checkpoint>> openGgufCheckpoint(const QString &path, GgufModelInfo *info = nullptr);

} // namespace lqer
