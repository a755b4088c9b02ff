#include "packedformat.h"

namespace lqer {

QString packedLayerBase(const QString &weightName)
{
    const QString suffix = QStringLiteral(".weight");
    const QString stem
        = weightName.endsWith(suffix) ? weightName.left(weightName.size() - suffix.size()) : weightName;
    return stem + QStringLiteral(".lqer");
}

QStringList packedArraySuffixes(const QuantFormat &format)
{
    switch (format.kind) {
    case FormatKind::None:
        return {QString()};
    case FormatKind::MxInt:
        return {QStringLiteral(".codes"), QStringLiteral(".exponents")};
    case FormatKind::IntSym:
        return {QStringLiteral(".codes"), QStringLiteral(".scales")};
    case FormatKind::IntAsym:
        return {QStringLiteral(".codes"), QStringLiteral(".scales"), QStringLiteral(".zeros")};
    case FormatKind::Q4_0:
    case FormatKind::Q8_0:
    case FormatKind::F16:
        return {}; // not stored in packed checkpoints (packRows refuses them)
    }
    return {};
}

QStringList packedLayerTensorSuffixes(const QuantFormat &weight, const QuantFormat &lowRank, int rank)
{
    QStringList out;
    for (const QString &s : packedArraySuffixes(weight))
        out << QStringLiteral(".wq") + s;
    if (rank > 0) {
        for (const QString &s : packedArraySuffixes(lowRank))
            out << QStringLiteral(".at") + s;
        for (const QString &s : packedArraySuffixes(lowRank))
            out << QStringLiteral(".bt") + s;
    }
    return out;
}

} // namespace lqer
