#pragma once

// Products of a large matrix with a thin panel (a few dozen columns), the two products every
// step of the randomized SVD makes with a layer's error matrix (core/linalg/svd.cpp):
//
//   Y = M·X   (M: m x n, X: n x l)       Z = Mᵀ·Q   (Q: m x l)
//
// A general GEMM (Eigen's) copies M into packed panels on every call, which for l ≈ 48 costs
// as much as the arithmetic. These kernels read M where it lies (column-major, as the SVD sees
// the row-major error) and keep the panel in cache instead:
//   - M·X: sixteen rows of M times six columns of X in twelve AVX2 accumulators, X's entries
//     broadcast, over chunks of 256 columns of M so the sixteen-row slice stays in L1;
//   - Mᵀ·Q: three columns of M against three columns of Q as dot products (nine vector
//     accumulators reduced at the end), over chunks of 2048 rows so Q's chunk stays in L2.
// Chunks add their partial sums to the output in a fixed order, so the result does not depend
// on how the caller splits the output rows over threads. With AVX-512 the tiles are twice as
// wide (thirty-two rows; four by four columns over sixteen-row steps). Without AVX2 + FMA the
// same function computes the product with Eigen (the reference the tests compare against).
//
// All matrices are column-major with a leading dimension (ld ≥ rows).

#include <QtGlobal>

namespace lqer {

// out[r0..r1) x l = M[r0..r1, 0..n) · X, with X n x l.
void panelProduct(const float *m, qint64 ldm, qint64 r0, qint64 r1, qint64 n, const float *x, qint64 ldx,
                  qint64 l, float *out, qint64 ldo);

// out[c0..c1) x l = M[0..rows, c0..c1)ᵀ · Q, with Q rows x l.
void panelProductTransposed(const float *m, qint64 ldm, qint64 rows, qint64 c0, qint64 c1, const float *q,
                            qint64 ldq, qint64 l, float *out, qint64 ldo);

// Whether the vector kernels run on this CPU (AVX2 and FMA); false means the Eigen path.
bool panelKernelsVectorized();
// Which vector kernels run: "avx512" (32-row and 4 x 4 tiles, where the CPU has AVX-512), "avx2"
// or "eigen".
const char *panelKernelsName();
// Tests: run the AVX2 kernels even where AVX-512 is present (false restores the default).
void forcePanelKernelsAvx2(bool force);

} // namespace lqer
