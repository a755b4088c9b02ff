#include "llama2c.h"

#include "core/io/checkpoint.h"
#include "core/io/llama2cfile.h"
#include "core/model/transformer.h"

#include <QDir>

#include <algorithm>
#include <limits>

namespace lqer {

namespace {

Expected<ModelConfig> configFromHeader(const Llama2cHeader &h, const QString &where)
{
    ModelConfig c;
    c.arch = Architecture::Llama;
    c.modelType = QStringLiteral("llama2.c");
    c.hiddenSize = h.dim;
    c.intermediateSize = h.hiddenDim;
    c.numLayers = h.layers;
    c.numHeads = h.heads;
    c.numKvHeads = h.kvHeads;
    c.vocabSize = int(std::min<qint64>(h.vocabSize(),
                                       std::numeric_limits<int>::max())); // too big: refused by the file size
    c.tiedEmbeddings = h.sharedClassifier();
    c.maxPositions = h.seqLen;
    c.headDim = c.numHeads > 0 ? c.hiddenSize / c.numHeads : 0;
    c.normEps = 1e-5;
    c.ropeTheta = 10000.0;
    c.rotaryDims = c.headDim;
    c.rotaryInterleaved = true;
    c.activation = Activation::Silu;
    c.dtype = QStringLiteral("float32");
    c.bosTokenId = 1;
    c.eosTokenId = 2;
    if (c.numHeads > 0 && c.headDim * c.numHeads != c.hiddenSize)
        return makeError(QStringLiteral("%1: dim %2 is not divisible by n_heads %3")
                             .arg(where)
                             .arg(c.hiddenSize)
                             .arg(c.numHeads));
    if (Status s = c.validate(where); !s)
        return makeError(s.error());
    return c;
}

} // namespace

Expected<ModelConfig> readLlama2cConfig(const QString &path)
{
    auto header = readLlama2cHeader(path);
    if (!header)
        return makeError(header.error());
    return configFromHeader(*header, QDir::toNativeSeparators(path));
}

Expected<std::shared_ptr<Transformer>> loadLlama2c(const QString &path, const ProgressFn &progress)
{
    // The header's sizes first, then the file length they imply (Checkpoint::open).
    if (auto config = readLlama2cConfig(path); !config)
        return makeError(config.error());
    auto checkpoint = Checkpoint::open(path);
    if (!checkpoint)
        return makeError(checkpoint.error());
    return Transformer::fromCheckpoint(**checkpoint, progress);
}

} // namespace lqer
