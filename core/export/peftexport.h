#pragma once

// PEFT LoRA export (README "Export" § PEFT adapters): an LQER checkpoint as a base
// model plus a standard LoRA adapter that transformers/PEFT and vLLM load:
//  DIR/                     the base: when every quantized linear of the plan has symmetric
//                           INT4 weights in groups of 32 or 128 (int4_g32_sym / int4_g128_sym),
//                           a GPTQ 4-bit folder (core/io/gptq.h; config.json quantization_config,
//                           quant_method gptq): Wq exactly, loaded by transformers / optimum /
//                           vLLM as a GPTQ model; otherwise the dequantized Hugging Face folder:
//                           Wq of every quantized linear (fp16 by default; fp32 keeps q4_0 / INT
//                           scales exact). The other tensors in the export's dtype (exporter.h,
//                           ExportFormat::Dequantized);
//  DIR/lqer-adapter/        adapter_config.json + adapter_model.safetensors with, per quantized
//                           linear of rank k > 0, lora_A.weight = Aᵀ (k, in) and
//                           lora_B.weight = Bᵀ (out, k), and the scaling folded so that any loader
//                           computes W x + B A x: lora_alpha = r and alpha_pattern = rank_pattern
//                           (alpha / r = 1 for every module).
// Differences from LQER's own arithmetic: the adapter runs in fp16/fp32 on unquantized
// activations and the base is weight-only, so the perplexity to expect is the plan's with
// --act none.

#include "core/common/expected.h"
#include "core/common/progress.h"
#include "core/export/exporter.h"

#include <memory>

namespace lqer {

class Transformer;

struct PeftExportResult
{
    ExportResult base; // the base folder (GPTQ-packed or dequantized)
    int gptqGroupSize = 0; // > 0: the base is GPTQ-packed with this group
    QString baseNote; // which base was written and why, for the summary
    QString adapterDir;
    int adapterLayers = 0;
    qint64 adapterBytes = 0; // adapter_model.safetensors
    QStringList adapterFiles; // relative to base.outputDir: lqer-adapter/adapter_model.safetensors, ...
};

// The group size of the GPTQ base a PEFT export of `plan` writes, or an error that says why the
// base is dequantized floats instead (a linear the plan leaves unquantized, a weight format other
// than int4_g32_sym / int4_g128_sym, mixed groups, shapes GPTQ cannot pack).
Expected<int> gptqBaseGroupSize(const Checkpoint &checkpoint, const Plan &plan);

// `config` as for a dequantized export (format, mergeLowRank, gptqGroupSize are set here); the
// base is GPTQ-packed when gptqBaseGroupSize() allows it; the adapter goes to
// <outputDir>/lqer-adapter. The factors are stored in `adapterDtype` (F16, BF16 or F32).
Expected<PeftExportResult> exportPeft(ExportConfig config, DType adapterDtype = DType::F32,
                                      const ProgressFn &progress = {});

// Reads a PEFT LoRA adapter folder (adapter_config.json + adapter_model.safetensors) and
// installs W x + scaling·B A x on the matching linears of `model` (weights unchanged,
// activations full precision). Errors name the file and the module: a non-LoRA peft_type,
// a module the model does not have, shapes that do not fit, use_rslora / dora settings.
Status installPeftAdapter(Transformer &model, const QString &adapterDir);

// True for a folder holding adapter_config.json.
bool isPeftAdapter(const QString &path);

} // namespace lqer
