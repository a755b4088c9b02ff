#pragma once

// Re-import of a packed LQER checkpoint (docs/PACKED_FORMAT.md): the decoded Wq, A, B of every
// quantized linear with its activation formats, and a runnable Transformer built from the
// packed file alone (no original weights needed).

#include "core/common/expected.h"
#include "core/common/progress.h"
#include "core/io/checkpoint.h"
#include "core/plan/plan.h"
#include "core/lqer/quantizedlinear.h"
#include "core/model/architecture.h"

#include <QList>
#include <QMap>
#include <QString>

#include <memory>

namespace lqer {

class Transformer;

struct PackedLayerInfo
{
    QString weightName;
    qint64 inFeatures = 0;
    qint64 outFeatures = 0;
    int rank = 0;
    QuantFormat weight;
    QuantFormat lowRank;
    QuantFormat act; // Q_a on the layer input
    QuantFormat lowRankAct; // on the rank-k intermediate
    bool transposed = false; // the source stored the weight (in, out) (GPT-2 Conv1D)
};

// What a packed checkpoint says about itself in its safetensors metadata; reading it touches
// headers only, no array.
struct PackedMetadata
{
    Plan plan;
    QMap<QString, PackedLayerInfo> layers; // keyed by the source weight name
    // The same layers as linears, in model order (block, then forward pass: as
    // quantizableLinears() orders a source checkpoint), each with its bias when the packed file
    // holds one. A name that is no linear of a supported architecture comes last.
    QList<LinearLayerInfo> linears;
    double formulaBitsPerWeight = 0; // NUMERICS §8: Σ b·m·n / Σ m·n over the layers
};

struct PackedModel
{
    std::shared_ptr<const Checkpoint> checkpoint; // the packed folder itself
    Plan plan;
    QMap<QString, PackedLayerInfo> layers; // keyed by the source weight name
    QMap<QString, QuantizedLinear> linears; // decoded, same keys
};

// True for a folder whose quantization_config.json says "lqer-packed", or a .safetensors file
// whose metadata does. Never fails: unreadable or foreign paths give false.
bool isPackedCheckpoint(const QString &path);

// Reads the metadata of an opened packed checkpoint (its first shard's; every shard carries the
// same). Errors name the file: not a packed checkpoint, an unsupported version, a plan or layer
// table that does not parse, a layer with a bad shape or format.
Expected<PackedMetadata> readPackedMetadata(const Checkpoint &checkpoint);

// Opens a packed checkpoint and decodes every quantized linear. Errors name the file and the
// tensor (a missing array, a size that does not match the layer's shape and format, bad
// metadata).
Expected<PackedModel> loadPackedLinears(const QString &path, const ProgressFn &progress = {});

// Builds the model from the packed folder's full-precision tensors plus the decoded Wq (as the
// linear's weight) and installs the QuantizedLinears with the activation formats stored in the
// metadata. The folder must hold config.json.
Expected<std::shared_ptr<Transformer>> loadPackedModel(const QString &path, const ProgressFn &progress = {});

} // namespace lqer
