#include "architecture.h"

#include "core/io/checkpoint.h"

#include <QDir>
#include <QRegularExpression>

#include <algorithm>
#include <iterator>

namespace lqer {

namespace {

struct LinearPattern
{
    const char *regex; // captures the block index
    const char *kind;
    int order; // position in the forward pass within a block
};

// Linears inside decoder blocks, in forward order (NUMERICS.md §4: embeddings, norms and
// lm_head stay in full precision).
const LinearPattern kLlama[] = {
    {R"(^model\.layers\.(\d+)\.self_attn\.q_proj\.weight$)", "q_proj", 0},
    {R"(^model\.layers\.(\d+)\.self_attn\.k_proj\.weight$)", "k_proj", 1},
    {R"(^model\.layers\.(\d+)\.self_attn\.v_proj\.weight$)", "v_proj", 2},
    {R"(^model\.layers\.(\d+)\.self_attn\.o_proj\.weight$)", "o_proj", 3},
    {R"(^model\.layers\.(\d+)\.mlp\.gate_proj\.weight$)", "gate_proj", 4},
    {R"(^model\.layers\.(\d+)\.mlp\.up_proj\.weight$)", "up_proj", 5},
    {R"(^model\.layers\.(\d+)\.mlp\.down_proj\.weight$)", "down_proj", 6},
};
const LinearPattern kOpt[] = {
    {R"(^(?:model\.)?decoder\.layers\.(\d+)\.self_attn\.q_proj\.weight$)", "q_proj", 0},
    {R"(^(?:model\.)?decoder\.layers\.(\d+)\.self_attn\.k_proj\.weight$)", "k_proj", 1},
    {R"(^(?:model\.)?decoder\.layers\.(\d+)\.self_attn\.v_proj\.weight$)", "v_proj", 2},
    {R"(^(?:model\.)?decoder\.layers\.(\d+)\.self_attn\.out_proj\.weight$)", "out_proj", 3},
    {R"(^(?:model\.)?decoder\.layers\.(\d+)\.fc1\.weight$)", "fc1", 4},
    {R"(^(?:model\.)?decoder\.layers\.(\d+)\.fc2\.weight$)", "fc2", 5},
};
const LinearPattern kNeoX[] = {
    {R"(^gpt_neox\.layers\.(\d+)\.attention\.query_key_value\.weight$)", "query_key_value", 0},
    {R"(^gpt_neox\.layers\.(\d+)\.attention\.dense\.weight$)", "dense", 1},
    {R"(^gpt_neox\.layers\.(\d+)\.mlp\.dense_h_to_4h\.weight$)", "dense_h_to_4h", 2},
    {R"(^gpt_neox\.layers\.(\d+)\.mlp\.dense_4h_to_h\.weight$)", "dense_4h_to_h", 3},
};
const LinearPattern kGpt2[] = {
    {R"(^(?:transformer\.)?h\.(\d+)\.attn\.c_attn\.weight$)", "c_attn", 0},
    {R"(^(?:transformer\.)?h\.(\d+)\.attn\.c_proj\.weight$)", "c_proj", 1},
    {R"(^(?:transformer\.)?h\.(\d+)\.mlp\.c_fc\.weight$)", "c_fc", 2},
    {R"(^(?:transformer\.)?h\.(\d+)\.mlp\.c_proj\.weight$)", "mlp.c_proj", 3},
};

struct TypeEntry
{
    const char *modelType;
    Architecture arch;
};

const TypeEntry kTypes[] = {
    {"llama", Architecture::Llama},      {"mistral", Architecture::Llama}, {"opt", Architecture::Opt},
    {"gpt_neox", Architecture::GptNeoX}, {"gpt2", Architecture::Gpt2},
};

struct PatternSet
{
    const LinearPattern *patterns;
    int count;
    bool transposed; // stored (in, out), as GPT-2's Conv1D
};

PatternSet patternsOf(Architecture arch)
{
    switch (arch) {
    case Architecture::Llama:
        return {kLlama, int(std::size(kLlama)), false};
    case Architecture::Opt:
        return {kOpt, int(std::size(kOpt)), false};
    case Architecture::GptNeoX:
        return {kNeoX, int(std::size(kNeoX)), false};
    case Architecture::Gpt2:
        return {kGpt2, int(std::size(kGpt2)), true};
    }
    return {nullptr, 0, false};
}

QList<LinearLayerInfo> match(const QStringList &names, const TensorShapeFn &shapeOf, Architecture arch)
{
    const PatternSet set = patternsOf(arch);
    struct Found
    {
        LinearLayerInfo info;
        int order;
    };
    QList<Found> found;
    QList<QRegularExpression> res;
    for (int i = 0; i < set.count; ++i)
        res << QRegularExpression(QString::fromLatin1(set.patterns[i].regex));
    for (const QString &name : names) {
        for (int i = 0; i < set.count; ++i) {
            const QRegularExpressionMatch m = res.at(i).match(name);
            if (!m.hasMatch())
                continue;
            const QList<qint64> shape = shapeOf(name);
            if (shape.size() != 2)
                break;
            LinearLayerInfo info;
            info.weightName = name;
            info.kind = QString::fromLatin1(set.patterns[i].kind);
            info.block = m.captured(1).toInt();
            info.transposed = set.transposed;
            info.outFeatures = set.transposed ? shape.at(1) : shape.at(0);
            info.inFeatures = set.transposed ? shape.at(0) : shape.at(1);
            const QString bias = name.left(name.size() - 6) + QStringLiteral("bias");
            if (!shapeOf(bias).isEmpty())
                info.biasName = bias;
            found.append(Found {info, set.patterns[i].order});
            break;
        }
    }
    std::stable_sort(found.begin(), found.end(), [](const Found &a, const Found &b) {
        return a.info.block != b.info.block ? a.info.block < b.info.block : a.order < b.order;
    });
    QList<LinearLayerInfo> result;
    for (const Found &f : found)
        result << f.info;
    return result;
}

} // namespace

QString architectureName(Architecture arch)
{
    switch (arch) {
    case Architecture::Llama:
        return QStringLiteral("llama");
    case Architecture::Opt:
        return QStringLiteral("opt");
    case Architecture::GptNeoX:
        return QStringLiteral("gpt_neox");
    case Architecture::Gpt2:
        return QStringLiteral("gpt2");
    }
    return QString();
}

QStringList supportedModelTypes()
{
    QStringList types;
    for (const TypeEntry &t : kTypes)
        types << QString::fromLatin1(t.modelType);
    return types;
}

Expected<Architecture> architectureFromModelType(const QString &modelType)
{
    for (const TypeEntry &t : kTypes)
        if (modelType == QLatin1String(t.modelType))
            return t.arch;
    return makeError(QStringLiteral("unsupported model_type '%1' (supported: %2)")
                         .arg(modelType, supportedModelTypes().join(QStringLiteral(", "))));
}

QList<LinearLayerInfo> matchLinears(const QStringList &names, const TensorShapeFn &shapeOf,
                                    std::optional<Architecture> arch)
{
    if (arch)
        return match(names, shapeOf, *arch);
    // No config.json (a bare safetensors file): recognise the naming scheme.
    for (Architecture a :
         {Architecture::Llama, Architecture::Opt, Architecture::GptNeoX, Architecture::Gpt2}) {
        QList<LinearLayerInfo> layers = match(names, shapeOf, a);
        if (!layers.isEmpty())
            return layers;
    }
    return {};
}

Expected<std::optional<Architecture>> checkpointArchitecture(const Checkpoint &checkpoint)
{
    if (!checkpoint.hasConfig())
        return std::optional<Architecture>();
    Expected<Architecture> a = architectureFromModelType(checkpoint.modelType());
    if (!a)
        return makeError(QStringLiteral("%1/config.json: %2")
                             .arg(QDir::toNativeSeparators(checkpoint.directory()), a.error()));
    return std::optional<Architecture>(*a);
}

Expected<QList<LinearLayerInfo>> quantizableLinears(const Checkpoint &checkpoint)
{
    Expected<std::optional<Architecture>> arch = checkpointArchitecture(checkpoint);
    if (!arch)
        return Error {arch.error()};
    const QList<LinearLayerInfo> layers
        = matchLinears(checkpoint.tensorNames(), checkpointShapes(checkpoint), *arch);
    if (layers.isEmpty())
        return makeError(
            QStringLiteral("%1: no quantizable linear layers found (expected decoder-block linears of "
                           "one of: %2)")
                .arg(QDir::toNativeSeparators(checkpoint.directory()),
                     supportedModelTypes().join(QStringLiteral(", "))));
    return layers;
}

TensorShapeFn checkpointShapes(const Checkpoint &checkpoint)
{
    return [&checkpoint](const QString &name) {
        const TensorInfo *t = checkpoint.find(name);
        return t ? t->shape : QList<qint64>();
    };
}

Expected<Eigen::Map<const MatrixRM>>
loadLinearWeightInto(const Checkpoint &checkpoint, const LinearLayerInfo &layer, std::vector<float> &buffer)
{
    const qint64 rows = layer.outFeatures, cols = layer.inFeatures, count = rows * cols;
    if (qint64(buffer.size()) < count)
        buffer.resize(size_t(count));
    if (!layer.transposed) {
        if (Status st = checkpoint.readFloatsInto(layer.weightName, buffer.data(), count); !st)
            return Error {st.error()};
    } else {
        auto m = loadLinearWeight(checkpoint, layer);
        if (!m)
            return Error {m.error()};
        if (m->rows() != rows || m->cols() != cols)
            return makeError(QStringLiteral("%1: %2 x %3, expected %4 x %5")
                                 .arg(layer.weightName)
                                 .arg(m->rows())
                                 .arg(m->cols())
                                 .arg(rows)
                                 .arg(cols));
        std::copy(m->data(), m->data() + count, buffer.data());
    }
    return Eigen::Map<const MatrixRM>(buffer.data(), rows, cols);
}

Expected<MatrixRM> loadLinearWeight(const Checkpoint &checkpoint, const LinearLayerInfo &layer)
{
    Expected<MatrixRM> m = checkpoint.readMatrix(layer.weightName);
    if (!m)
        return m;
    if (layer.transposed) {
        MatrixRM t = m->transpose();
        return t;
    }
    return m;
}

} // namespace lqer
