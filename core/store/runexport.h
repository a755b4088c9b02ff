#pragma once

// The file formats of SessionStore::exportRun(): one row per layer in CSV, or the whole run
// (plan, perplexities, layers with their extra metrics and, optionally, spectra) in JSON.

#include "core/store/sessionstore.h"

#include <QByteArray>

namespace lqer {

// The run as an indented JSON document; spectra as the shortest decimals of their float32 values.
QByteArray runJson(const RunRecord &run, bool includeSpectra);
// A header line and one line per layer; an unmeasured output error is an empty field.
QByteArray runCsv(const RunRecord &run);

} // namespace lqer
