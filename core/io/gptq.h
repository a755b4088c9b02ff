#pragma once

// GPTQ-packed 4-bit linears (docs/GGUF_EXPORT.md § PEFT, "GPTQ base"): the layout AutoGPTQ
// writes and transformers / optimum / vLLM load by default (checkpoint_format "gptq", v1).
// Per linear <module> with `in` inputs, `out` outputs and G = ceil(in / group) groups:
//   <module>.qweight  I32 [in/8, out]  8 codes per int32 along the input dimension: input
//                                      8r+j of row r in bits 4j..4j+3 (lowest nibble first)
//   <module>.qzeros   I32 [G, out/8]   the zero points, 8 outputs per int32 in the same
//                                      nibble order, stored minus one (v1); "gptq_v2" stores
//                                      them as they are
//   <module>.scales   F16 [G, out]
//   <module>.g_idx    I32 [in]         the group of each input (i / group without desc_act)
// and W[o][i] = scale[g][o] · (code[i][o] − zero[g][o]) with g = g_idx[i].
// Symmetric INT4 (the engine's int4_g<N>_sym: codes −7..7 times an fp16 scale) is this grid
// with code + 8 stored and every zero point 8 (7 in a v1 file).

#include "core/common/expected.h"
#include "core/common/tensor.h"

#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

namespace lqer {

class Checkpoint;
class SafetensorsFile;

struct GptqConfig
{
    int bits = 4;
    int groupSize = 128; // -1 in the file: one group over all inputs
    bool descAct = false;
    bool sym = true;
    bool v1 = true; // checkpoint_format "gptq": qzeros hold zero − 1
};

// True when config.json declares quantization_config.quant_method "gptq".
bool isGptqConfig(const QJsonObject &config);
// The quantization_config of a GPTQ config.json; errors name `configPath` and the key (only 4-bit
// weights are read).
Expected<GptqConfig> gptqConfigOf(const QJsonObject &config, const QString &configPath);
// What a 4-bit symmetric GPTQ v1 export puts under "quantization_config" in config.json.
QJsonObject gptqQuantizationConfig(int groupSize);

// One linear in the layout above.
struct GptqLinear
{
    qint64 inFeatures = 0;
    qint64 outFeatures = 0;
    std::vector<int32_t> qweight; // [in/8, out], row-major
    std::vector<int32_t> qzeros; // [groups, out/8]
    std::vector<uint16_t> scales; // [groups, out], binary16 bits
    std::vector<int32_t> gIdx; // [in]
    qint64 groups() const { return outFeatures > 0 ? qint64(scales.size()) / outFeatures : 0; }
};

// Packs a weight `wq` (out, in) that lies on the symmetric INT4 grid with groups of `groupSize`
// inputs (codes −7..7 times an fp16 scale per group, as int4_g<N>_sym quantizes) into v1
// GPTQ. Fails, naming `name` and the element, on a value off that grid, and on in or out not a
// multiple of 8 or in not a multiple of the group.
Expected<GptqLinear> packGptqInt4(const MatrixRM &wq, int groupSize, const QString &name);

// The dequantized weight (out, in): float(scale) · float(code − zero), exactly the engine's
// code · scale for a symmetric INT4 weight. Fails, naming `name`, on a g_idx entry outside the
// groups.
Expected<MatrixRM> dequantizeGptq(const GptqLinear &linear, const GptqConfig &config, const QString &name);

// A checkpoint over a GPTQ folder's shards: every <module>.qweight (with its qzeros, scales,
// g_idx) is presented as <module>.weight, dequantized to float32 when read ((in, out) for
// GPT-2, whose Conv1D weights Hugging Face stores that way; (out, in) otherwise); the other
// tensors as they are, read as float32. The layout of every module is checked here (headers
// only); errors name the file and the tensor: a missing qzeros / scales, a shape that does not
// fit, a dtype other than I32 / a float type.
Expected<std::shared_ptr<Checkpoint>>
openGptqCheckpoint(const QString &directory, const QJsonObject &config,
                   const QList<std::shared_ptr<SafetensorsFile>> &shards);

} // namespace lqer
