#include "rowops.h"

#include "core/common/cpufeatures.h"
#include "core/common/tensor.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cmath>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define LQER_ROWOPS_X86 1
#endif

namespace lqer {

namespace {

std::atomic<bool> gVectorized {true};

// exp(x) = 2^n · e^r, n = round(x / ln 2), r = x − n·ln 2 in two parts (ln 2 = hi + lo, hi with
// trailing zero bits so that n·hi is exact), e^r by its Taylor polynomial to r^7.
constexpr float kLog2e = 1.44269504088896341f;
constexpr float kLn2Hi = 0.693359375f;
constexpr float kLn2Lo = -2.12194440e-4f;
constexpr float kC[] = {1.0f / 5040, 1.0f / 720, 1.0f / 120, 1.0f / 24, 1.0f / 6, 0.5f, 1.0f, 1.0f};

#ifdef LQER_ROWOPS_X86
#define LQER_AVX512 __attribute__((target("avx512f,avx512vl")))

LQER_AVX512 inline __m512 exp512(__m512 x)
{
    // NaN stays NaN: max and min return their second operand (x) when either is NaN.
    // Results below e^-87 (1.6e-38, about the smallest normal float) are flushed to 0: a
    // subnormal result costs a microcode assist per lane on some CPUs, and no sum here can
    // tell it from 0.
    const __mmask16 keep = _mm512_cmp_ps_mask(x, _mm512_set1_ps(-87.0f), _CMP_NLT_UQ); // NaN kept
    x = _mm512_min_ps(_mm512_set1_ps(88.7228394f), _mm512_max_ps(_mm512_set1_ps(-87.0f), x));
    const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(kLog2e)),
                                          _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(kLn2Hi), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(kLn2Lo), r);
    __m512 p = _mm512_set1_ps(kC[0]);
    for (int i = 1; i < 8; ++i)
        p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(kC[i]));
    return _mm512_maskz_mov_ps(keep, _mm512_scalef_ps(p, n)); // p · 2^n
}

inline __mmask16 tailMask(qint64 left)
{
    return left >= 16 ? __mmask16(0xffff) : __mmask16((1u << left) - 1u);
}

LQER_AVX512 void expRow512(const float *x, qint64 n, float *out)
{
    for (qint64 i = 0; i < n; i += 16) {
        const __mmask16 k = tailMask(n - i);
        _mm512_mask_storeu_ps(out + i, k, exp512(_mm512_maskz_loadu_ps(k, x + i)));
    }
}

LQER_AVX512 float rowMax512(const float *row, qint64 n, bool &finite)
{
    __m512 m = _mm512_set1_ps(-INFINITY);
    __m512i worst = _mm512_setzero_si512(); // largest |bits|: >= 0x7f800000 means NaN or Inf
    for (qint64 i = 0; i < n; i += 16) {
        const __mmask16 k = tailMask(n - i);
        const __m512 v = _mm512_mask_loadu_ps(_mm512_set1_ps(-INFINITY), k, row + i);
        m = _mm512_max_ps(m, v);
        worst = _mm512_mask_max_epu32(
            worst, k, worst, _mm512_and_si512(_mm512_castps_si512(v), _mm512_set1_epi32(0x7fffffff)));
    }
    alignas(64) uint32_t bits[16];
    alignas(64) float lanes[16];
    _mm512_store_si512(bits, worst);
    _mm512_store_ps(lanes, m);
    uint32_t w = 0;
    float mx = -INFINITY;
    for (int i = 0; i < 16; ++i) {
        w = std::max(w, bits[i]);
        mx = std::max(mx, lanes[i]);
    }
    finite = w < 0x7f800000u;
    return mx;
}

LQER_AVX512 double expSum512(const float *row, qint64 n, float shift, float scale, float *store)
{
    const __m512 s = _mm512_set1_ps(shift), sc = _mm512_set1_ps(scale);
    __m512 sum = _mm512_setzero_ps();
    for (qint64 i = 0; i < n; i += 16) {
        const __mmask16 k = tailMask(n - i);
        const __m512 e = exp512(_mm512_fmsub_ps(_mm512_maskz_loadu_ps(k, row + i), sc, s));
        if (store)
            _mm512_mask_storeu_ps(store + i, k, e);
        sum = _mm512_mask_add_ps(sum, k, sum, e);
    }
    alignas(64) float lanes[16];
    _mm512_store_ps(lanes, sum);
    double total = 0;
    for (float l : lanes)
        total += double(l);
    return total;
}

LQER_AVX512 void scaleRow512(float *row, qint64 n, float factor)
{
    const __m512 f = _mm512_set1_ps(factor);
    for (qint64 i = 0; i < n; i += 16) {
        const __mmask16 k = tailMask(n - i);
        _mm512_mask_storeu_ps(row + i, k, _mm512_mul_ps(_mm512_maskz_loadu_ps(k, row + i), f));
    }
}

LQER_AVX512 void silu512(float *x, const float *times, qint64 n)
{
    const __m512 one = _mm512_set1_ps(1.0f);
    for (qint64 i = 0; i < n; i += 16) {
        const __mmask16 k = tailMask(n - i);
        const __m512 v = _mm512_maskz_loadu_ps(k, x + i);
        const __m512 e = exp512(_mm512_sub_ps(_mm512_setzero_ps(), v));
        __m512 r = _mm512_div_ps(v, _mm512_add_ps(one, e));
        if (times)
            r = _mm512_mul_ps(r, _mm512_maskz_loadu_ps(k, times + i));
        _mm512_mask_storeu_ps(x + i, k, r);
    }
}

LQER_AVX512 double sumSquares512(const float *x, qint64 n)
{
    __m512d a = _mm512_setzero_pd(), b = _mm512_setzero_pd();
    for (qint64 i = 0; i < n; i += 16) {
        const __mmask16 k = tailMask(n - i);
        const __m512d lo = _mm512_cvtps_pd(_mm256_maskz_loadu_ps(__mmask8(k & 0xff), x + i));
        const __m512d hi = _mm512_cvtps_pd(_mm256_maskz_loadu_ps(__mmask8(k >> 8), x + i + 8));
        a = _mm512_fmadd_pd(lo, lo, a);
        b = _mm512_fmadd_pd(hi, hi, b);
    }
    alignas(64) double lanes[8];
    _mm512_store_pd(lanes, _mm512_add_pd(a, b));
    double total = 0;
    for (double l : lanes)
        total += l;
    return total;
}

#endif

bool useAvx512()
{
#ifdef LQER_ROWOPS_X86
    return gVectorized.load(std::memory_order_relaxed) && cpuHasAvx512F();
#else
    return false;
#endif
}

} // namespace

void setRowOpsVectorized(bool vectorized)
{
    gVectorized.store(vectorized);
}

void expRow(const float *x, qint64 n, float *out)
{
#ifdef LQER_ROWOPS_X86
    if (useAvx512())
        return expRow512(x, n, out);
#endif
    Eigen::Map<Eigen::ArrayXf>(out, n) = Eigen::Map<const Eigen::ArrayXf>(x, n).exp();
}

RowMax rowMax(const float *row, qint64 n)
{
    RowMax r;
#ifdef LQER_ROWOPS_X86
    if (useAvx512()) {
        r.max = rowMax512(row, n, r.finite);
        return r;
    }
#endif
    const Eigen::Map<const Eigen::ArrayXf> a(row, n);
    r.max = n > 0 ? a.maxCoeff() : -INFINITY;
    r.finite = a.allFinite();
    return r;
}

double expSumShifted(const float *row, qint64 n, float shift)
{
#ifdef LQER_ROWOPS_X86
    if (useAvx512())
        return expSum512(row, n, shift, 1.0f, nullptr);
#endif
    return double((Eigen::Map<const Eigen::ArrayXf>(row, n) - shift).exp().sum());
}

void softmaxRow(float *row, qint64 n, float scale)
{
    if (n <= 0)
        return;
#ifdef LQER_ROWOPS_X86
    if (useAvx512()) {
        bool finite = true;
        const float mx = rowMax512(row, n, finite) * scale;
        const double sum = expSum512(row, n, mx, scale, row);
        scaleRow512(row, n, float(1.0 / sum));
        return;
    }
#endif
    Eigen::Map<Eigen::ArrayXf> a(row, n);
    a *= scale;
    const float mx = a.maxCoeff();
    a = (a - mx).exp();
    a *= 1.0f / a.sum();
}

void siluRow(float *x, qint64 n, const float *times)
{
#ifdef LQER_ROWOPS_X86
    if (useAvx512())
        return silu512(x, times, n);
#endif
    Eigen::Map<Eigen::ArrayXf> a(x, n);
    a = a / (1.0f + (-a).exp());
    if (times)
        a *= Eigen::Map<const Eigen::ArrayXf>(times, n);
}

double sumSquares(const float *x, qint64 n)
{
#ifdef LQER_ROWOPS_X86
    if (useAvx512())
        return sumSquares512(x, n);
#endif
    double s = 0;
    for (qint64 i = 0; i < n; ++i)
        s += double(x[i]) * x[i];
    return s;
}

} // namespace lqer
