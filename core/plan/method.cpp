#include "method.h"

namespace lqer {

namespace {

struct MethodEntry
{
    Method method;
    const char *name;
    const char *display;
};

const MethodEntry kMethods[] = {
    {Method::Plain, "plain", "Plain"},
    {Method::Lqer, "lqer", "LQER"},
    {Method::L2Qer, "l2qer", "L\u00b2QER"},
    {Method::QeraApprox, "qera-approx", "QERA-approx"},
    {Method::QeraExact, "qera-exact", "QERA-exact"},
};

} // namespace

QString methodName(Method method)
{
    for (const MethodEntry &e : kMethods)
        if (e.method == method)
            return QString::fromLatin1(e.name);
    return QString();
}

QString methodDisplayName(Method method)
{
    for (const MethodEntry &e : kMethods)
        if (e.method == method)
            return QString::fromUtf8(e.display);
    return QString();
}

std::optional<Method> methodFromName(const QString &name)
{
    QString n = name.trimmed().toLower();
    n.replace(QChar(0x00b2), QLatin1Char('2'));
    n.replace(QLatin1Char('_'), QLatin1Char('-'));
    if (n == QLatin1String("none") || n == QLatin1String("rtn"))
        return Method::Plain;
    if (n == QLatin1String("qera"))
        return Method::QeraApprox;
    for (const MethodEntry &e : kMethods)
        if (n == QLatin1String(e.name))
            return e.method;
    return std::nullopt;
}

QStringList methodNames()
{
    QStringList names;
    for (const MethodEntry &e : kMethods)
        names << QString::fromLatin1(e.name);
    return names;
}

bool methodNeedsStats(Method method)
{
    return method == Method::L2Qer || method == Method::QeraApprox || method == Method::QeraExact;
}

bool methodNeedsGram(Method method)
{
    return method == Method::QeraExact;
}

} // namespace lqer
