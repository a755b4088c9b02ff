#pragma once

// Which tensors of a checkpoint are the quantizable linear layers (the linears inside decoder
// blocks, NUMERICS.md §4), for each supported architecture, read from names and headers only.

#include "core/common/expected.h"
#include "core/common/tensor.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace lqer {

class Checkpoint;

enum class Architecture { Llama, Opt, GptNeoX, Gpt2 };

QString architectureName(Architecture arch); // "llama", "opt", "gpt_neox", "gpt2"
QStringList supportedModelTypes(); // model_type values accepted in config.json
// Maps config.json's model_type ("llama", "mistral", "opt", "gpt_neox", "gpt2", ...) to an
// architecture; an unknown type is an error listing the supported ones.
Expected<Architecture> architectureFromModelType(const QString &modelType);

struct LinearLayerInfo
{
    QString weightName; // tensor name in the checkpoint, e.g. model.layers.0.self_attn.q_proj.weight
    QString biasName; // empty when the layer has no bias
    QString kind; // short role: q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj,
                  // out_proj, fc1, fc2, query_key_value, dense, dense_h_to_4h, dense_4h_to_h,
                  // c_attn, c_proj, c_fc, mlp.c_proj
    int block = 0; // decoder block index
    qint64 inFeatures = 0; // m in the paper
    qint64 outFeatures = 0; // n in the paper
    bool transposed = false; // stored (in, out) (GPT-2 Conv1D); loadLinearWeight transposes it

    qint64 parameterCount() const { return inFeatures * outFeatures; }
};

// The quantizable linears in model order (block, then the order of the forward pass).
Expected<QList<LinearLayerInfo>> quantizableLinears(const Checkpoint &checkpoint);

// A tensor's stored shape by name, empty when there is no such tensor.
using TensorShapeFn = std::function<QList<qint64>(const QString &name)>;
TensorShapeFn checkpointShapes(const Checkpoint &checkpoint); // valid while `checkpoint` lives

// The quantizable linears among `names` (any list of tensor names: a checkpoint's, or the layer
// table of a packed checkpoint) in model order. Without an architecture, the first whose naming
// scheme matches any name is used. Names that are not linears of the architecture are skipped.
QList<LinearLayerInfo> matchLinears(const QStringList &names, const TensorShapeFn &shapeOf,
                                    std::optional<Architecture> arch);

// The architecture config.json names (an unsupported model_type is an error naming the file), or
// none for a checkpoint without config.json.
Expected<std::optional<Architecture>> checkpointArchitecture(const Checkpoint &checkpoint);

// Loads a linear's weight as (out, in) float32 whatever the storage (transposes Conv1D).
Expected<MatrixRM> loadLinearWeight(const Checkpoint &checkpoint, const LinearLayerInfo &layer);
// The same into `buffer`, grown to the layer's size when smaller and never shrunk, and returned
// as an (out, in) view of it: a loop over a model's layers then converts every layer into the
// same pages (fresh ones would fault in a 7B-shaped layer's 180 MB every time).
Expected<Eigen::Map<const MatrixRM>>
loadLinearWeightInto(const Checkpoint &checkpoint, const LinearLayerInfo &layer, std::vector<float> &buffer);

} // namespace lqer
