#pragma once

// A decoder-only transformer (LLaMA/Mistral, OPT, GPT-NeoX, GPT-2) evaluated in fp32 with
// Eigen, a window of tokens at a time (no KV cache: scoring runs whole windows, and greedy
// generation of a few dozen tokens simply re-runs the prefix).
//
// Every linear inside a decoder block goes through one place, so that
//  - an observer can see its input X (tokens x in) for calibration statistics, and
//  - an installed QuantizedLinear replaces the product by NUMERICS.md §4:
//      Y = Q_a(X) Wq^T + Q_a(Q_a(X) A) B + bias.
// Linears are named by their weight tensor name in the checkpoint (as quantizableLinears()).
//
// Thread safety: forward() and the functions built on it are const and may run concurrently
// (one window per thread); installing quantized linears must not overlap with them.

#include "core/common/expected.h"
#include "core/common/progress.h"
#include "core/common/tensor.h"
#include "core/formats/quantformat.h"
#include "core/kernels/intgemm.h"
#include "core/lqer/quantizedlinear.h"
#include "core/model/config.h"
#include "core/model/weightmatrix.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace lqer {

class Checkpoint;

using TokenIds = std::vector<int32_t>;

// Sees the input of decoder linears during forward passes. Called from worker threads
// (several windows at once): implementations must be thread-safe. Returning an error stops
// the forward pass with that error.
class LinearObserver
{
public:
    virtual ~LinearObserver() = default;
    // Whether the observer wants the input of linear `index` at all (avoids needless calls).
    virtual bool wants(int index) const { return true; }
    virtual Status observe(int index, const MatrixRM &x) = 0;
};

// Where the model reads its tensors from (a checkpoint, a llama2.c file, a test's map).
struct TensorSource
{
    QString description; // file or folder, for messages
    std::function<bool(const QString &name)> has;
    std::function<Expected<MatrixRM>(const QString &name)> read; // 1-D tensors as 1 x n
    std::function<QList<qint64>(const QString &name)> shape; // as stored
    // The tensor's bytes in a mapped file, when the source has them (safetensors shards); the
    // model then keeps large weights there instead of converting them (see weightmatrix.h).
    std::function<std::optional<MappedTensor>(const QString &name)> map;
};

// Where the model keeps its weight matrices: converted to float32 in memory, or in the mapped
// checkpoint in their stored dtype. Auto maps when a float32 copy of the weights would exceed
// 4 GiB (about a billion parameters); $LQER_WEIGHTS=mapped or fp32 overrides it.
enum class WeightStorage { Auto, Float32, Mapped };

struct ForwardOptions
{
    LinearObserver *observer = nullptr;
    bool useQuantized = true; // use installed QuantizedLinears (false: the fp32 model)
    // Integer kernels where the formats allow, or the fp32 emulation (the reference path).
    KernelMode kernels = defaultKernelMode();
    // When set, every linear layer's product (quantized or not, input quantizer and low-rank
    // term included) adds its wall time here: how much of a pass the linears take.
    std::atomic<qint64> *linearNanoseconds = nullptr;
};

class Transformer
{
public:
    // A Hugging Face folder (config.json + safetensors) or a llama2.c .bin file.
    static Expected<std::shared_ptr<Transformer>> load(const QString &path, const ProgressFn &progress = {});
    static Expected<std::shared_ptr<Transformer>> fromCheckpoint(const Checkpoint &checkpoint,
                                                                 const ProgressFn &progress = {});
    // Reads every tensor the configuration needs from `source`; a missing tensor, a shape
    // that does not match the configuration or a NaN/Inf is an error naming the tensor.
    static Expected<std::shared_ptr<Transformer>> build(const ModelConfig &config, const TensorSource &source,
                                                        const ProgressFn &progress = {},
                                                        WeightStorage storage = WeightStorage::Auto);
    // Whether the weights are views of the mapped checkpoint (WeightStorage::Mapped in effect).
    bool weightsMapped() const { return mWeightsMapped; }

    const ModelConfig &config() const { return mConfig; }
    const QString &source() const { return mSource; }

    // The decoder linears in forward order.
    int linearCount() const { return int(mLinears.size()); }
    const QString &linearName(int index) const { return mLinears[size_t(index)].name; }
    int linearIndex(const QString &name) const { return mLinearIndex.value(name, -1); }
    QStringList linearNames() const;
    const WeightMatrix &linearWeight(int index) const { return mLinears[size_t(index)].w; }
    const VectorF &linearBias(int index) const { return mLinears[size_t(index)].bias; }
    qint64 parameterCount() const;

    // Installs replacements (weight name -> QuantizedLinear); shapes are checked against the
    // fp32 weights and unknown names are errors. Replaces what was installed before.
    Status setQuantizedLinears(const QMap<QString, QuantizedLinear> &linears);
    void clearQuantizedLinears();
    int quantizedLinearCount() const;
    const QuantizedLinear *quantizedLinear(int index) const { return mLinears[size_t(index)].quant.get(); }
    // The "W4A8 + W8A8" switch: quantize Q, K (along the head dimension), softmax P (along keys)
    // and V (along tokens) before the two attention matmuls; None = off (default).
    void setAttentionFormat(const QuantFormat &format) { mAttentionFormat = format; }
    const QuantFormat &attentionFormat() const { return mAttentionFormat; }

    // Final hidden states (after the final norm / project_out): tokens x embedding dim.
    // forward() = embedTokens(), forwardBlock() for every block, the final norm.
    Expected<MatrixRM> forward(const int32_t *tokens, int count, const ForwardOptions &options = {}) const;
    // The forward pass a block at a time (block-wise calibration runs every sample through
    // block i before block i + 1): the checked token embeddings (tokens x hidden size), and
    // decoder block `block` applied to them in place, NaN/Inf after it an error naming the block.
    int blockCount() const { return int(mBlocks.size()); }
    Expected<MatrixRM> embedTokens(const int32_t *tokens, int count) const;
    Status forwardBlock(int block, MatrixRM &x, const ForwardOptions &options = {}) const;
    // Logits of every position: tokens x vocab.
    Expected<MatrixRM> logits(const TokenIds &tokens, const ForwardOptions &options = {}) const;
    // The output embedding (vocab x embedding dim), tied or not.
    const WeightMatrix &outputEmbedding() const { return mTiedOutput ? mEmbed : mLmHead; }

    // Sum of -log p(token[t+1] | tokens[..t]) over t = 0 .. count-2 (tokens 2..L scored,
    // NUMERICS §7), accumulated in double; `onScore` sees each scored position t (predicting
    // token t+1), its log-sum-exp and the token's NLL. The vocabulary is projected a band of
    // rows at a time and reduced online, never held as a whole tokens x vocab matrix.
    using TokenScoreFn = std::function<void(int position, double logSumExp, double nll)>;
    Expected<double> sequenceNll(const int32_t *tokens, int count, const ForwardOptions &options = {},
                                 const TokenScoreFn &onScore = {}) const;
    // The same sum from the whole logits matrix, and `onRow` sees each scored position's logits
    // before they are dropped: position t, its vocab logits, their log-sum-exp and the NLL.
    using LogitRowFn
        = std::function<void(int position, const float *logits, int vocab, double logSumExp, double nll)>;
    Expected<double> sequenceScores(const int32_t *tokens, int count, const ForwardOptions &options,
                                    const LogitRowFn &onRow) const;

    // Greedy decoding: appends `newTokens` argmax tokens (stops early at `stopToken` >= 0).
    Expected<TokenIds> generateGreedy(const TokenIds &prompt, int newTokens, int stopToken = -1) const;

private:
    // The final hidden states of a sequence to score (at least two tokens).
    Expected<MatrixRM> scoredHidden(const int32_t *tokens, int count, const ForwardOptions &options) const;
    struct Linear
    {
        QString name;
        WeightMatrix w; // (out, in)
        VectorF bias; // empty: none
        std::shared_ptr<const QuantizedLinear> quant;
    };
    struct Norm
    {
        VectorF weight;
        VectorF bias; // empty for RMSNorm
    };
    struct Block
    {
        Norm norm1, norm2;
        // Indices into mLinears; -1 when the architecture has no such linear.
        int q = -1, k = -1, v = -1, qkv = -1, o = -1, gate = -1, up = -1, down = -1;
    };
    struct Workspace;
    class Loader; // reads and checks tensors of a TensorSource
    struct BlockTensor; // one tensor of a decoder block
    struct ModelLayout; // the names outside the blocks

    Transformer() = default;

    // Loading, step by step (build()).
    static std::span<const BlockTensor> blockTensors(Architecture arch);
    static ModelLayout modelLayout(const ModelConfig &config, const TensorSource &source);
    Status loadPositions(Loader &loader, const ModelLayout &layout);
    Status loadBlocks(Loader &loader, const ModelLayout &layout, const ProgressFn &progress);
    Status addLinear(Loader &loader, const QString &weight, qint64 out, qint64 in, bool withBias, bool conv1d,
                     int &slot);
    Status readNorm(Loader &loader, const QString &prefix, bool withBias, Norm &n);
    void computeRotaryTables();

    // The forward pass, step by step (forward()): one function per architecture's block.
    Status checkTokens(const int32_t *tokens, int count) const;
    Status runBlock(int block, MatrixRM &x, Workspace &ws, const ForwardOptions &options) const;
    MatrixRM embed(const int32_t *tokens, qint64 count) const;
    Status attend(const Block &b, Workspace &ws, const ForwardOptions &options) const;
    Status mlp(const Block &b, const MatrixRM &in, MatrixRM &x, Workspace &ws,
               const ForwardOptions &options) const;
    Status llamaBlock(const Block &b, MatrixRM &x, Workspace &ws, const ForwardOptions &options) const;
    Status optBlock(const Block &b, MatrixRM &x, Workspace &ws, const ForwardOptions &options) const;
    Status neoxBlock(const Block &b, MatrixRM &x, Workspace &ws, const ForwardOptions &options) const;
    Status gpt2Block(const Block &b, MatrixRM &x, Workspace &ws, const ForwardOptions &options) const;
    struct SharedCodes;
    Status applyLinear(int index, const MatrixRM &x, MatrixRM &y, const ForwardOptions &options,
                       SharedCodes *shared = nullptr) const;
    Status applyIntegerLinear(const QuantizedLinear &q, const QString &name, const MatrixRM &x, MatrixRM &y,
                              SharedCodes *shared) const;
    // y_i = linear_i(x) for projections that read the same input (q, k, v; gate, up): the
    // integer path quantizes x once for all of them.
    struct Projection
    {
        int linear;
        MatrixRM *out;
    };
    Status applyProjections(const MatrixRM &x, std::initializer_list<Projection> projections, Workspace &ws,
                            const ForwardOptions &options) const;
    Status attention(const MatrixRM &q, const MatrixRM &k, const MatrixRM &v, MatrixRM &out,
                     Workspace &ws) const;
    void applyRotary(MatrixRM &m, int heads) const;
    void norm(const Norm &n, const MatrixRM &x, MatrixRM &y) const;
    void activate(MatrixRM &m) const;

    ModelConfig mConfig;
    QString mSource;
    std::vector<Linear> mLinears;
    QMap<QString, int> mLinearIndex;
    std::vector<Block> mBlocks;
    WeightMatrix mEmbed; // (vocab, embedding dim)
    MatrixRM mPositions; // learned positions (OPT, GPT-2), rows = positions (+ offset)
    MatrixRM mProjectIn; // OPT project_in (hidden, proj) or empty
    MatrixRM mProjectOut; // OPT project_out (proj, hidden) or empty
    Norm mFinalNorm; // weight empty: none
    WeightMatrix mLmHead;
    bool mWeightsMapped = false;
    bool mTiedOutput = true;
    // Rotary tables: min(maxPositions, kRotaryTablePositions) x rotaryDims/2.
    static constexpr int kRotaryTablePositions = 16384;
    std::vector<float> mCos, mSin;
    void rotaryRow(int pos, float *cosOut, float *sinOut) const;
    QuantFormat mAttentionFormat;
};

} // namespace lqer
