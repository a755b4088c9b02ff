#pragma once

// Calibration statistics on disk: one safetensors file, per layer the F64 tensors
// "<layer>.mean_abs_max" (m), "<layer>.sum_squares" (m) and optionally "<layer>.gram" (m x m);
// the sample/token counts and the calibration settings in __metadata__.

#include "core/common/expected.h"
#include "core/lqer/stats.h"

#include <QMap>
#include <QString>

namespace lqer {

using StatsMap = QMap<QString, LayerStats>; // keyed by weight tensor name

// The statistics of layer `name`, or nullptr (no map, or the layer is not in it).
inline const LayerStats *findLayerStats(const StatsMap *stats, const QString &name)
{
    if (!stats)
        return nullptr;
    const auto it = stats->constFind(name);
    return it != stats->constEnd() ? &it.value() : nullptr;
}

Status saveStats(const QString &path, const StatsMap &stats, const QMap<QString, QString> &metadata = {});
Expected<StatsMap> loadStats(const QString &path, QMap<QString, QString> *metadata = nullptr);

} // namespace lqer
