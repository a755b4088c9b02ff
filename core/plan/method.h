#pragma once

// The LQER family of NUMERICS.md §4: which error reconstruction a layer gets.

#include <QString>
#include <QStringList>

#include <optional>

namespace lqer {

enum class Method { Plain, Lqer, L2Qer, QeraApprox, QeraExact };

QString methodName(Method method); // "plain", "lqer", "l2qer", "qera-approx", "qera-exact"
QString methodDisplayName(Method method); // "Plain", "LQER", "L²QER", "QERA-approx", "QERA-exact"
std::optional<Method> methodFromName(const QString &name); // case-insensitive, also "l2qer"/"l²qer"
QStringList methodNames();
bool methodNeedsStats(Method method); // L²QER, QERA-approx, QERA-exact
bool methodNeedsGram(Method method); // QERA-exact only

} // namespace lqer
