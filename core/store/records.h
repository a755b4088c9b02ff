#pragma once

// Where engine results meet session-store records: a layer's result and a perplexity, each
// mapped to its record and back through typed fields. The CLI recorder, RunRecorder and the
// studio all use these functions; nothing else converts between the two.

#include "core/eval/perplexity.h"
#include "core/lqer/lqer.h"
#include "core/store/sessionstore.h"

#include <QJsonObject>
#include <QString>

namespace lqer {

// The part of an engine result that views show and runs record; `method` is the method actually
// run (methods needing statistics fall back to LQER without them).
LayerResult layerResultFrom(const LayerQuantResult &result, Method method);

// The record of one layer. `plan` gives the formats the layer ran with; the method is the
// result's.
LayerRunRecord layerRunRecordFromResult(const LayerResult &result, const LayerPlan &plan);
// The inverse, for views of a reopened run. An unknown method name reads as LQER; the spectra
// come back at the float32 precision the store keeps.
LayerResult layerResultFromRecord(const LayerRunRecord &record);

// The JSON object a layer record keeps beside its columns (the store's `extra` column, the
// JSON export's "extra"): the optional metrics and formats under their keys ("weightFrob",
// "plainMeanAbsError", "scaledFrobError", "scaledPlainFrobError", "act", "lowRank"), each
// present exactly when set, plus the record's own `extra`.
QJsonObject layerRecordExtra(const LayerRunRecord &record);
// The inverse: known keys holding the expected type fill the typed fields, the rest becomes
// `extra`.
void setLayerRecordExtra(LayerRunRecord &record, QJsonObject extra);

// A perplexity with its protocol: the text's path and content fingerprint, the window length.
PerplexityRecord perplexityRecordFromResult(const QString &label, const QString &textPath,
                                            const PerplexityResult &result);
// The inverse. What a record does not keep (windows, total tokens, throughput) reads as 0.
PerplexityResult perplexityResultFromRecord(const PerplexityRecord &record);

// SHA-256 (hex) of a file's contents; empty when it cannot be read.
QString fileFingerprint(const QString &path);

} // namespace lqer
