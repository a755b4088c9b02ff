#include "core/common/memory.h"

#include <QFile>

namespace lqer {

static const char kStatusPath[] = "/proc/self/status";

Expected<qint64> procStatusField(const QByteArray &statusText, const char *field)
{
    const QByteArray key = QByteArray(field) + ':';
    for (const QByteArray &line : statusText.split('\n')) {
        if (!line.startsWith(key))
            continue;
        const QList<QByteArray> parts = line.mid(key.size()).simplified().split(' ');
        bool ok = false;
        const qint64 kb = parts.value(0).toLongLong(&ok);
        if (!ok || kb < 0 || parts.size() != 2 || parts[1] != "kB")
            return makeError(QStringLiteral("%1: the %2 line is not a size in kB: \"%3\"")
                                 .arg(QLatin1String(kStatusPath), QLatin1String(field),
                                      QString::fromLatin1(line.trimmed())));
        return kb * 1024;
    }
    return makeError(
        QStringLiteral("%1 has no %2 line").arg(QLatin1String(kStatusPath), QLatin1String(field)));
}

static Expected<qint64> ownStatusField(const char *field)
{
    QFile file(QString::fromLatin1(kStatusPath));
    // A /proc file reports size 0: read it as a sequential stream.
    if (!file.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("cannot read %1 (%2): memory readings need Linux /proc")
                             .arg(QLatin1String(kStatusPath), file.errorString()));
    return procStatusField(file.readAll(), field);
}

Expected<qint64> currentRssAnonBytes()
{
    return ownStatusField("RssAnon");
}

Expected<qint64> peakRssBytes()
{
    return ownStatusField("VmHWM");
}

} // namespace lqer
