#pragma once

// Names and keys of the packed LQER checkpoint (docs/PACKED_FORMAT.md), shared by the writer
// (exporter.cpp) and the reader (packedmodel.cpp) so the two cannot drift apart.

#include "core/formats/quantformat.h"

#include <QString>
#include <QStringList>

namespace lqer {

constexpr const char *packedFormatId()
{
    return "lqer-packed";
}
constexpr int packedFormatVersion()
{
    return 1;
}
constexpr const char *packedConfigFileName()
{
    return "quantization_config.json";
}

// safetensors __metadata__ keys (every shard carries all of them).
constexpr const char *packedMetaFormatKey()
{
    return "lqer.format";
} // "lqer-packed"
constexpr const char *packedMetaVersionKey()
{
    return "lqer.version";
} // "1"
constexpr const char *packedMetaPlanKey()
{
    return "lqer.plan";
} // Plan::toJson, compact
constexpr const char *packedMetaLayersKey()
{
    return "lqer.layers";
} // {weight name: layer JSON}

// "model.layers.0.self_attn.q_proj.weight" -> "model.layers.0.self_attn.q_proj.lqer"; the
// arrays of the layer are "<base>.wq.*", "<base>.at.*", "<base>.bt.*".
QString packedLayerBase(const QString &weightName);

// The array suffixes of one packed matrix in `format`: ".codes" + ".exponents" (MXINT),
// ".codes" + ".scales" (+ ".zeros" for asymmetric INT), or "" (None: one F32 tensor).
QStringList packedArraySuffixes(const QuantFormat &format);

// All tensor-name suffixes (after packedLayerBase) of a layer.
QStringList packedLayerTensorSuffixes(const QuantFormat &weight, const QuantFormat &lowRank, int rank);

} // namespace lqer
