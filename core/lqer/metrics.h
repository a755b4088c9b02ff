#pragma once

// Error metrics of NUMERICS.md §5 and the Marchenko-Pastur reference density the spectrum plot
// overlays. All accumulations run in double.

#include "core/common/expected.h"
#include "core/common/tensor.h"
#include "core/lqer/quantizedlinear.h"

#include <QString>

namespace lqer {

double frobeniusNorm(const MatrixRM &m);

// The weight the runtime effectively applies when activations are not quantized:
// Ŵ = Wq + (A B)ᵀ, shape (out, in).
MatrixRM effectiveWeight(const QuantizedLinear &linear);

// ‖X (W − Ŵ)ᵀ‖_F / ‖X Wᵀ‖_F for an activation sample X (tokens, in) and weights (out, in):
// the quantity QERA minimises and a fast perplexity proxy. Errors name `layer` on shape
// mismatch, a zero reference output or non-finite values.
Expected<double> outputRelativeError(const MatrixRM &x, const MatrixRM &weight, const MatrixRM &approx,
                                     const QString &layer);

// α such that ‖α E‖_F = ‖S E‖_F (paper Fig. 1a: compare the spectra of E and S·E at equal
// energy); 1 when ‖E‖_F = 0.
double alphaNormalisation(double frobE, double frobScaledE);

// Marchenko-Pastur law for a p x N matrix X with i.i.d. zero-mean entries of variance σ²
// (p = min(rows, cols), N = max(rows, cols), ratio λ = p/N in (0, 1]).
//
// marchenkoPasturEigenDensity: density of the EIGENVALUES x of (1/N) X Xᵀ,
//   f(x) = sqrt((b − x)(x − a)) / (2π σ² λ x) on [a, b], a,b = σ²(1 ∓ √λ)².
// marchenkoPasturSingularDensity: density of the SINGULAR VALUES s of X itself (s = sqrt(N x)),
//   g(s) = f(s²/N) · 2s/N — what the spectrum plot overlays on a histogram of σ_i(E).
// Both integrate to 1 over their support and are 0 outside it.
double marchenkoPasturEigenDensity(double x, double ratio, double variance);
double marchenkoPasturSingularDensity(double s, qint64 rows, qint64 cols, double variance);
// The support [lo, hi] of the singular values: σ(√N ∓ √p).
void marchenkoPasturSingularSupport(qint64 rows, qint64 cols, double variance, double *lo, double *hi);
// The variance an i.i.d. matrix with the same Frobenius norm would have: ‖M‖²_F / (rows·cols).
double equivalentVariance(double frobNorm, qint64 rows, qint64 cols);

} // namespace lqer
