#include "core/lqer/metrics.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace lqer {

double frobeniusNorm(const MatrixRM &m)
{
    const float *p = m.data();
    const qint64 count = m.size();
    double sum = 0;
    for (qint64 i = 0; i < count; ++i)
        sum += double(p[i]) * double(p[i]);
    return std::sqrt(sum);
}

MatrixRM effectiveWeight(const QuantizedLinear &linear)
{
    MatrixRM w = linear.dequantizedWeight();
    if (linear.a.cols() > 0 && linear.a.rows() == w.cols() && linear.b.cols() == w.rows())
        w.noalias() += (linear.a * linear.b).transpose();
    return w;
}

Expected<double> outputRelativeError(const MatrixRM &x, const MatrixRM &weight, const MatrixRM &approx,
                                     const QString &layer)
{
    if (weight.rows() != approx.rows() || weight.cols() != approx.cols())
        return makeError(QStringLiteral("%1: output error needs equal weight shapes, got %2x%3 and %4x%5")
                             .arg(layer)
                             .arg(weight.rows())
                             .arg(weight.cols())
                             .arg(approx.rows())
                             .arg(approx.cols()));
    if (x.cols() != weight.cols())
        return makeError(QStringLiteral("%1: activation sample has %2 features, the weight expects %3")
                             .arg(layer)
                             .arg(x.cols())
                             .arg(weight.cols()));
    const MatrixRM delta = weight - approx;
    const MatrixRM ref = x * weight.transpose();
    const MatrixRM err = x * delta.transpose();
    const double refNorm = frobeniusNorm(ref);
    const double errNorm = frobeniusNorm(err);
    if (!std::isfinite(refNorm) || !std::isfinite(errNorm))
        return makeError(
            QStringLiteral("%1: output error is not finite (NaN/Inf in activations or weights)").arg(layer));
    if (refNorm == 0)
        return makeError(
            QStringLiteral("%1: the reference output X Wᵀ is zero; relative output error undefined")
                .arg(layer));
    return errNorm / refNorm;
}

double alphaNormalisation(double frobE, double frobScaledE)
{
    if (!(frobE > 0) || !std::isfinite(frobScaledE))
        return 1.0;
    return frobScaledE / frobE;
}

double marchenkoPasturEigenDensity(double x, double ratio, double variance)
{
    if (!(ratio > 0) || ratio > 1 || !(variance > 0) || !(x > 0))
        return 0;
    const double sq = std::sqrt(ratio);
    const double a = variance * (1 - sq) * (1 - sq);
    const double b = variance * (1 + sq) * (1 + sq);
    if (x <= a || x >= b)
        return 0;
    return std::sqrt((b - x) * (x - a)) / (2 * std::numbers::pi * variance * ratio * x);
}

double marchenkoPasturSingularDensity(double s, qint64 rows, qint64 cols, double variance)
{
    const qint64 p = std::min(rows, cols);
    const qint64 n = std::max(rows, cols);
    if (p <= 0 || !(s > 0))
        return 0;
    const double x = s * s / double(n);
    return marchenkoPasturEigenDensity(x, double(p) / double(n), variance) * 2 * s / double(n);
}

void marchenkoPasturSingularSupport(qint64 rows, qint64 cols, double variance, double *lo, double *hi)
{
    const double p = double(std::min(rows, cols));
    const double n = double(std::max(rows, cols));
    const double sigma = std::sqrt(std::max(variance, 0.0));
    if (lo)
        *lo = sigma * (std::sqrt(n) - std::sqrt(p));
    if (hi)
        *hi = sigma * (std::sqrt(n) + std::sqrt(p));
}

double equivalentVariance(double frobNorm, qint64 rows, qint64 cols)
{
    if (rows <= 0 || cols <= 0)
        return 0;
    return frobNorm * frobNorm / (double(rows) * double(cols));
}

} // namespace lqer
