#pragma once

// The hyper-parameters of a decoder-only transformer, read from a Hugging Face config.json or
// from a llama2.c header. One struct for the four supported families; fields that a family
// does not use keep their defaults.

#include "core/common/expected.h"
#include "core/model/architecture.h"

#include <QJsonObject>
#include <QString>

namespace lqer {

enum class Activation { Silu, Relu, Gelu, GeluTanh };

QString activationName(Activation act);

struct ModelConfig
{
    Architecture arch = Architecture::Llama;
    QString modelType; // config.json model_type ("llama", "mistral", "opt", ...)
    int hiddenSize = 0;
    int intermediateSize = 0; // MLP width (OPT ffn_dim, GPT-2 n_inner or 4 * n_embd)
    int numLayers = 0;
    int numHeads = 0;
    int numKvHeads = 0; // GQA; = numHeads without it
    int headDim = 0;
    int vocabSize = 0;
    int maxPositions = 0;
    double normEps = 1e-5; // RMSNorm / LayerNorm epsilon
    Activation activation = Activation::Silu;
    bool tiedEmbeddings = false;
    QString dtype; // torch_dtype / dtype as written (informative)
    int bosTokenId = -1;
    int eosTokenId = -1;

    // Rotary position embedding (LLaMA, GPT-NeoX).
    double ropeTheta = 10000.0;
    int rotaryDims = 0; // rotated dimensions per head (GPT-NeoX partial rotary)
    bool rotaryInterleaved = false; // llama2.c pairs (2i, 2i+1); HF rotate_half pairs (i, i + d/2)
    int slidingWindow = 0; // Mistral; 0 = none

    // LLaMA-family biases (Qwen-style attention_bias, mlp_bias).
    bool attentionBias = false;
    bool mlpBias = false;

    // OPT.
    bool layerNormBefore = true; // do_layer_norm_before (false: post-LN, OPT-350m)
    bool finalLayerNorm = true; // model.decoder.final_layer_norm present
    int wordEmbedProjDim = 0; // != hiddenSize: project_in / project_out exist
    int positionOffset = 0; // OPT learned positions start at index 2

    // GPT-NeoX.
    bool parallelResidual = true;

    int kvDim() const { return numKvHeads * headDim; }
    int qDim() const { return numHeads * headDim; }

    // Parses config.json; `source` names the file in error messages.
    static Expected<ModelConfig> fromJson(const QJsonObject &json, const QString &source);
    // Internal consistency: positive sizes, heads divide, rotary dims even, etc.
    Status validate(const QString &source) const;
};

} // namespace lqer
