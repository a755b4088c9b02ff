#include "svdbackend.h"

namespace lqer {

QString svdBackendName(SvdBackend backend)
{
    switch (backend) {
    case SvdBackend::Auto:
        return QStringLiteral("auto");
    case SvdBackend::Exact:
        return QStringLiteral("exact");
    case SvdBackend::Spectra:
        return QStringLiteral("spectra");
    case SvdBackend::Randomized:
        return QStringLiteral("randomized");
    }
    return QString();
}

std::optional<SvdBackend> svdBackendFromName(const QString &name)
{
    const QString n = name.trimmed().toLower();
    for (SvdBackend b : {SvdBackend::Auto, SvdBackend::Exact, SvdBackend::Spectra, SvdBackend::Randomized})
        if (n == svdBackendName(b))
            return b;
    return std::nullopt;
}

} // namespace lqer
