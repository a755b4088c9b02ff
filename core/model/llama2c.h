#pragma once

// llama2.c checkpoints (Karpathy's run.c, legacy "version 0" layout; core/io/llama2cfile.h
// reads the file, Checkpoint::open opens it like a model folder). llama2.c rotates interleaved pairs (2i,
// 2i+1), so the model keeps that convention (ModelConfig::rotaryInterleaved) instead of permuting q/k rows as
// the HF conversion does.

#include "core/common/expected.h"
#include "core/common/progress.h"
#include "core/model/config.h"

#include <memory>

namespace lqer {

class Transformer;

Expected<ModelConfig> readLlama2cConfig(const QString &path);
// Tensors get Hugging Face LLaMA names (model.layers.0.self_attn.q_proj.weight, ...).
Expected<std::shared_ptr<Transformer>> loadLlama2c(const QString &path, const ProgressFn &progress = {});

} // namespace lqer
