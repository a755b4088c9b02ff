#pragma once

// One layer's result as bytes, to send it from the rank that computed it to the root
// (pipeline.cpp under mpirun, app/cli/cmd_export.cpp). Bit-exact: the root gets the same
// floats the rank computed.

#include "core/common/expected.h"
#include "core/lqer/lqer.h"

#include <QByteArray>

namespace lqer {

QByteArray encodeLayerResult(const LayerQuantResult &result);
Expected<LayerQuantResult> decodeLayerResult(const QByteArray &bytes);

QByteArray encodeQuantizedLinear(const QuantizedLinear &linear);
Expected<QuantizedLinear> decodeQuantizedLinear(const QByteArray &bytes);

} // namespace lqer
