#pragma once

// Which algorithm decomposes a matrix into its leading singular triplets (NUMERICS.md §4):
// a plain value type so that plans can name it without pulling in Eigen.

#include <QString>

#include <optional>

namespace lqer {

enum class SvdBackend { Auto, Exact, Spectra, Randomized };

QString svdBackendName(SvdBackend backend); // "auto", "exact", "spectra", "randomized"
std::optional<SvdBackend> svdBackendFromName(const QString &name);

} // namespace lqer
