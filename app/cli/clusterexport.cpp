#include "clusterexport.h"

#include "cli.h"

#include "core/common/cluster.h"
#include "core/job/layerwire.h"
#include "core/job/pipeline.h"

#include <QHash>

#include <map>

namespace lqer::cli {

// Messages: 'L' and the encoded linear, 'E' and an error message.
struct ClusterExportLayers::State
{
    LinearProvider local;
    QList<LinearLayerInfo> layers;
    QList<int> owner; // per layer: the rank that quantizes it
    QHash<QString, int> index; // layer name -> position in `layers`
    QList<bool> received; // root: layers received from their rank
    std::map<int, QuantizedLinear> early; // root: received before the exporter asked for them

    // Root: the next layer (in model order) rank `owner` sends, -1 when it has sent them all.
    int nextFrom(int owner) const
    {
        for (int j = 0; j < int(this->owner.size()); ++j)
            if (this->owner.at(j) == owner && !received.at(j))
                return j;
        return -1;
    }
};

ClusterExportLayers::ClusterExportLayers(std::shared_ptr<const Checkpoint> checkpoint, const Plan &plan,
                                         const StatsMap *stats, QList<LinearLayerInfo> layers)
    : mState(std::make_shared<State>())
{
    mState->local = quantizingProvider(std::move(checkpoint), plan, stats);
    QList<qint64> sizes;
    for (int i = 0; i < int(layers.size()); ++i) {
        sizes << layers.at(i).parameterCount();
        mState->index.insert(layers.at(i).weightName, i);
    }
    mState->owner = assignLayersToRanks(sizes, Cluster::world().size());
    mState->received = QList<bool>(layers.size(), false);
    mState->layers = std::move(layers);
}

namespace {

// Waits for rank `from`'s next layer, which must be `layer`.
Expected<QuantizedLinear> receiveLayer(int from, const QString &layer)
{
    auto bytes = Cluster::world().receive(from, kTagExport, nullptr, [] { return !interrupted(); });
    if (!bytes)
        return Error {bytes.error()};
    if (bytes->startsWith('E'))
        return makeError(QString::fromUtf8(bytes->mid(1)));
    auto linear = decodeQuantizedLinear(bytes->mid(1));
    if (!linear)
        return makeError(QStringLiteral("%1 (rank %2): %3").arg(layer).arg(from).arg(linear.error()));
    return linear;
}

} // namespace

LinearProvider ClusterExportLayers::provider()
{
    std::shared_ptr<State> state = mState;
    return [state](const LinearLayerInfo &layer) -> Expected<QuantizedLinear> {
        const int i = state->index.value(layer.weightName, -1);
        const int owner = i < 0 ? 0 : state->owner.at(i);
        if (owner == 0)
            return state->local(layer);
        // A rank sends its layers in model order; the exporter may ask in another (the order
        // of the tensors in the files): the ones that come first wait in `early`.
        while (!state->received.at(i)) {
            const int j = state->nextFrom(owner);
            auto linear = receiveLayer(owner, state->layers.at(j).weightName);
            if (!linear)
                return linear;
            state->received[j] = true;
            state->early.emplace(j, std::move(*linear));
        }
        auto it = state->early.find(i);
        if (it == state->early.end())
            return makeError(QStringLiteral("%1: asked for twice by the exporter").arg(layer.weightName));
        QuantizedLinear linear = std::move(it->second);
        state->early.erase(it);
        return linear;
    };
}

Status ClusterExportLayers::drain()
{
    for (int i = 0; i < int(mState->layers.size()); ++i) {
        if (mState->owner.at(i) == 0 || mState->received.at(i))
            continue;
        mState->received[i] = true;
        if (auto r = receiveLayer(mState->owner.at(i), mState->layers.at(i).weightName); !r)
            return Error {r.error()};
    }
    return Status::success();
}

Status ClusterExportLayers::serve()
{
    Cluster &cluster = Cluster::world();
    for (int i = 0; i < int(mState->layers.size()); ++i) {
        if (mState->owner.at(i) != cluster.rank())
            continue;
        const LinearLayerInfo &layer = mState->layers.at(i);
        Expected<QuantizedLinear> linear
            = interrupted() ? makeError(QStringLiteral("cancelled")) : mState->local(layer);
        if (!linear) {
            const QString error = QStringLiteral("%1: %2").arg(cluster.describe(), linear.error());
            if (Status s = cluster.send(0, kTagExport, QByteArray(1, 'E') + error.toUtf8()); !s)
                return s;
            cluster.setErrorReported();
            return makeError(error);
        }
        if (Status s = cluster.send(0, kTagExport, QByteArray(1, 'L') + encodeQuantizedLinear(*linear)); !s)
            return makeError(QStringLiteral("%1: %2").arg(cluster.describe(), s.error()));
    }
    return Status::success();
}

} // namespace lqer::cli
