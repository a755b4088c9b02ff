// Tests of core/kernels: packed quantized weights reproduce the fp32 quantizer's values bit
// for bit; the activation quantizer's codes decode to quantizeRows' output; every SIMD
// variant of the integer GEMM agrees with its scalar twin and both with the fp32 emulation
// (up to fp32 summation order); and whole-model W4A8 L²QER perplexity from the integer
// kernels equals the emulation's to 1e-4 relative.

#include "core/eval/perplexity.h"
#include "core/eval/planeval.h"
#include "core/io/checkpoint.h"
#include "core/io/safetensors.h"
#include "core/kernels/floatgemm.h"
#include "core/kernels/intgemm.h"
#include "core/kernels/rowops.h"
#include "core/kernels/packedmatrix.h"
#include "core/model/calibration.h"
#include "core/model/tokenizer.h"
#include "core/model/transformer.h"
#include "core/plan/planoptions.h"

#include <QtTest>

#include <array>
#include <cmath>
#include <optional>
#include <random>

using namespace lqer;

namespace {

const QString kShared = QStringLiteral(LQER_SHARED_DIR);

// Gaussian values with a few outlier columns, some all-zero blocks and, with `extreme` > 0,
// rows scaled by 2^extreme and 2^-extreme in turn (exponents far from 0 on both sides).
MatrixRM randomMatrix(qint64 rows, qint64 cols, std::mt19937 &rng, int extreme = 0)
{
    std::normal_distribution<float> n(0.0f, 1.0f);
    MatrixRM m(rows, cols);
    for (qint64 r = 0; r < rows; ++r)
        for (qint64 c = 0; c < cols; ++c)
            m(r, c) = n(rng) * (c % 7 == 3 ? 20.0f : 1.0f);
    if (rows > 1 && cols > 16)
        m.block(1, 0, 1, 16).setZero(); // a zero block
    if (extreme > 0)
        for (qint64 r = 0; r < rows; ++r)
            m.row(r) *= std::ldexp(1.0f, r % 3 == 0 ? extreme : (r % 3 == 1 ? -extreme : 0));
    return m;
}

MatrixRM quantized(const MatrixRM &m, const QuantFormat &f)
{
    MatrixRM q(m.rows(), m.cols());
    const Status s = quantizeRows(m.data(), q.data(), m.rows(), m.cols(), f, QStringLiteral("test"));
    Q_ASSERT(s);
    return q;
}

// A random matrix quantized to f (the values every kernel must reproduce) and its packed codes;
// nullopt when f cannot be packed.
struct PackedRandom
{
    MatrixRM values;
    PackedMatrix packed;
};
std::optional<PackedRandom> packedRandom(qint64 rows, qint64 cols, const QuantFormat &f, std::mt19937 &rng)
{
    MatrixRM q = quantized(randomMatrix(rows, cols, rng), f);
    auto p = packQuantizedRows(q.data(), rows, cols, f);
    if (!p)
        return std::nullopt;
    return PackedRandom {std::move(q), std::move(*p)};
}

// The fp32 emulation's product in double: the exact value both paths approximate, and the
// sum of |terms| that bounds their summation-order error.
void exactProduct(const MatrixRM &xq, const MatrixRM &wq, MatrixRMd &value, MatrixRMd &magnitude)
{
    const MatrixRMd x = xq.cast<double>(), w = wq.cast<double>();
    value = x * w.transpose();
    magnitude = x.cwiseAbs() * w.cwiseAbs().transpose();
}

// max over elements of |got - want| / (magnitude + tiny)
double worstError(const MatrixRM &got, const MatrixRMd &want, const MatrixRMd &magnitude)
{
    double worst = 0;
    for (qint64 i = 0; i < got.size(); ++i) {
        const double m = magnitude.data()[i];
        const double d = std::abs(double(got.data()[i]) - want.data()[i]);
        worst = std::max(worst, m > 0 ? d / m : d);
    }
    return worst;
}

struct GemmCase
{
    qint64 tokens, in, out;
    QuantFormat weight, act;
    bool extreme;
};

} // namespace

class TestKernels : public QObject
{
    Q_OBJECT

private slots:
    void packedWeightsReproduceTheQuantizer_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        for (const char *f : {"mxint4", "mxint8", "mxint3", "mxint6_e8_b32", "mxint4_e8_b32_ocp",
                              "mxint8_e4_b16", "int4_g32_sym", "int8_g128_sym", "int4_g16_sym"})
            for (auto [r, c] : {std::pair {5, 37}, std::pair {3, 16}, std::pair {9, 100}, std::pair {2, 1}})
                QTest::addRow("%s_%dx%d", f, r, c) << QString::fromLatin1(f) << r << c;
    }

    void packedWeightsReproduceTheQuantizer()
    {
        QFETCH(QString, format);
        QFETCH(int, rows);
        QFETCH(int, cols);
        auto f = QuantFormat::parse(format);
        QVERIFY2(f, qPrintable(f.error()));
        std::mt19937 rng(7);
        // INT scales are fp16: no extreme exponents there.
        for (int extreme : {0, f->kind == FormatKind::MxInt ? 100 : 8}) {
            const MatrixRM q = quantized(randomMatrix(rows, cols, rng, extreme), *f);
            auto p = packQuantizedRows(q.data(), q.rows(), q.cols(), *f);
            QVERIFY(p.has_value());
            const MatrixRM d = p->dequantize();
            QCOMPARE(d.rows(), q.rows());
            QCOMPARE(d.cols(), q.cols());
            for (qint64 i = 0; i < q.size(); ++i)
                QVERIFY2(d.data()[i] == q.data()[i],
                         qPrintable(QStringLiteral("element %1: %2 vs %3")
                                        .arg(i)
                                        .arg(double(d.data()[i]))
                                        .arg(double(q.data()[i]))));
            std::vector<float> two(size_t(2 * cols));
            p->dequantizeRows(rows - 1, rows, two.data());
            QVERIFY(std::equal(two.begin(), two.begin() + cols, q.data() + (rows - 1) * cols));
        }
    }

    void unpackableStaysFp32()
    {
        std::mt19937 rng(3);
        const MatrixRM m = randomMatrix(4, 40, rng);
        for (const QuantFormat &f : {QuantFormat::intAsym(4, 32), QuantFormat::q4_0(), QuantFormat::none(),
                                     QuantFormat::intSym(12, 32), QuantFormat::f16()})
            QVERIFY2(!packQuantizedRows(quantized(m, f).data(), 4, 40, f), qPrintable(f.toString()));
        // Values the format never produces (unquantized weights) are refused, not rounded.
        QVERIFY(!packQuantizedRows(m.data(), 4, 40, QuantFormat::mxint(4)));
        QVERIFY(!packQuantizedRows(m.data(), 4, 40, QuantFormat::intSym(4, 32)));
        // Not silently wrong in the QuantizedLinear either: wq stays fp32.
        QuantizedLinear q;
        q.wq = m;
        q.weightFormat = QuantFormat::mxint(4);
        q.packWeights();
        QVERIFY(!q.packedW);
        QVERIFY(q.dequantizedWeight() == m);
    }

    void packedMemory()
    {
        // 4096 x 11008 MXINT4: 0.5 byte per element plus a 16-bit exponent per 16 elements.
        PackedMatrix big;
        big.rows = 4096;
        big.cols = 11008;
        big.bits = 4;
        big.block = 16;
        QCOMPARE(big.rowBytes() * big.rows, qint64(4096) * 11008 / 2);
        QCOMPARE(big.blocksPerRow(), qint64(11008 / 16));
        // A real one, smaller: the QuantizedLinear releases its fp32 copy.
        std::mt19937 rng(1);
        QuantizedLinear q;
        q.wq = quantized(randomMatrix(256, 1024, rng), QuantFormat::mxint(4));
        const MatrixRM expected = q.wq;
        q.weightFormat = QuantFormat::mxint(4);
        q.packWeights();
        QVERIFY(q.packedW);
        QCOMPARE(q.wq.size(), Eigen::Index(0));
        QCOMPARE(q.packedW->bytes(), size_t(256 * 512 + 256 * 64 * 2));
        QCOMPARE(q.inFeatures(), qint64(1024));
        QCOMPARE(q.outFeatures(), qint64(256));
        QVERIFY(q.dequantizedWeight() == expected);
    }

    void activationCodesEqualQuantizeRows_data()
    {
        QTest::addColumn<QString>("format");
        for (const char *f : {"mxint8", "mxint6", "mxint4", "mxint8_e8_b32", "mxint8_e8_b32_ocp",
                              "mxint8_e4_b16", "mxint8_e8_b512"})
            QTest::newRow(f) << QString::fromLatin1(f);
    }

    void activationCodesEqualQuantizeRows()
    {
        QFETCH(QString, format);
        auto f = QuantFormat::parse(format);
        QVERIFY2(f, qPrintable(f.error()));
        std::mt19937 rng(11);
        // 300 and 1024: sixteen blocks at a time, then a part of sixteen, then a short block.
        for (qint64 cols : {1, 16, 37, 100, 300, 384, 1024}) {
            for (int extreme : {0, 100}) {
                MatrixRM x = randomMatrix(7, cols, rng, extreme);
                x(0, 0) = 1e-41f; // a subnormal
                if (cols > 5)
                    x(2, 5) = 3e38f;
                if (cols >= 64) // a zero block and a block with a subnormal maximum
                    for (qint64 c = 16; c < 48; ++c)
                        x(4, c) = c < 32 ? 0.0f : 3e-40f * float(c - 31);
                x(6, cols / 2) = 2e-39f; // a subnormal below a normal maximum
                // Ties: with amax 8 an MXINT8 step is 1/16 (LQER) and these are k + 1/2 steps.
                for (qint64 c = 0; c < cols; ++c)
                    x(3, c) = c % 16 == 0 ? 8.0f : float((c % 2 ? -1 : 1) * (2 * (c % 7) + 1)) / 32.0f;
                const MatrixRM want = quantized(x, *f);
                // The SIMD path where the CPU has it, and the generic block-by-block one.
                for (bool scalar : {false, true}) {
                    forceScalarActivationCodes(scalar);
                    QuantizedRows codes;
                    codes.codes.assign(size_t(x.rows() * 64 + 64), 99); // stale bytes must not survive
                    const Status s
                        = quantizeActivationRows(x.data(), x.rows(), cols, *f, QStringLiteral("x"), codes);
                    forceScalarActivationCodes(false);
                    QVERIFY2(s, qPrintable(s.error()));
                    MatrixRM got(x.rows(), cols);
                    codes.dequantize(got.data());
                    for (qint64 i = 0; i < x.size(); ++i)
                        QVERIFY2(
                            got.data()[i] == want.data()[i],
                            qPrintable(QStringLiteral("%1 path, cols %2 element %3: %4 vs %5")
                                           .arg(scalar ? QStringLiteral("generic") : QStringLiteral("SIMD"))
                                           .arg(cols)
                                           .arg(i)
                                           .arg(double(got.data()[i]))
                                           .arg(double(want.data()[i]))));
                    for (qint64 r = 0; r < x.rows(); ++r)
                        for (qint64 c = cols; c < codes.paddedCols(); ++c)
                            QCOMPARE(int(codes.codes[size_t(r * codes.paddedCols() + c)]), 0);
                }
            }
        }
    }

    void activationErrors()
    {
        MatrixRM x = MatrixRM::Ones(2, 20);
        x(1, 3) = std::numeric_limits<float>::quiet_NaN();
        QuantizedRows codes;
        Status s = quantizeActivationRows(x.data(), 2, 20, QuantFormat::mxint(8),
                                          QStringLiteral("input of fc1"), codes);
        QVERIFY(!s);
        QVERIFY2(s.error().contains(QLatin1String("input of fc1")) && s.error().contains(QLatin1String("23")),
                 qPrintable(s.error()));
        // The first non-finite value by element index, on either path (an Inf in a short last block).
        x(1, 3) = 1.0f;
        x(1, 18) = -std::numeric_limits<float>::infinity();
        x(1, 19) = std::numeric_limits<float>::quiet_NaN();
        for (bool scalar : {false, true}) {
            forceScalarActivationCodes(scalar);
            s = quantizeActivationRows(x.data(), 2, 20, QuantFormat::mxint(8), QStringLiteral("x"), codes);
            forceScalarActivationCodes(false);
            QVERIFY(!s);
            QVERIFY2(s.error().contains(QLatin1String("-inf at element 38")), qPrintable(s.error()));
        }
        // The same inside a run of sixteen whole blocks: the first bad element by index.
        MatrixRM wide = MatrixRM::Ones(3, 384);
        wide(1, 300) = -std::numeric_limits<float>::infinity();
        wide(1, 200) = std::numeric_limits<float>::quiet_NaN();
        wide(2, 7) = std::numeric_limits<float>::infinity();
        for (bool scalar : {false, true}) {
            forceScalarActivationCodes(scalar);
            s = quantizeActivationRows(wide.data(), 3, 384, QuantFormat::mxint(8), QStringLiteral("x"),
                                       codes);
            forceScalarActivationCodes(false);
            QVERIFY(!s);
            QVERIFY2(s.error().contains(QLatin1String("nan at element 584")), qPrintable(s.error()));
        }
        s = quantizeActivationRows(x.data(), 1, 20, QuantFormat::intSym(8, 16), QStringLiteral("x"), codes);
        QVERIFY(!s);
        QVERIFY2(s.error().contains(QLatin1String("int8_g16_sym")), qPrintable(s.error()));
        QVERIFY(parseKernelMode(QStringLiteral("int"))
                && *parseKernelMode(QStringLiteral("int")) == KernelMode::Integer);
        QVERIFY(*parseKernelMode(QStringLiteral("emulate")) == KernelMode::Emulate);
        QVERIFY(!parseKernelMode(QStringLiteral("fast")));
    }

    // The low-rank path's fused product: X · Wᵀ + X2 · W2ᵀ against the exact double sum, on
    // every variant (the AVX-512 one runs X2's slices into the main accumulators), with row
    // tiles, token groups and X2 widths that leave remainders, and accumulating into y.
    void gemmSumMatchesExact()
    {
        const QuantFormat w4 = QuantFormat::mxint(4), a8 = QuantFormat::mxint(8);
        struct Shape
        {
            int tokens, in, out, rank;
        };
        for (const Shape &sh : {Shape {11, 96, 37, 32}, Shape {8, 384, 16, 16}, Shape {19, 2100, 21, 40},
                                Shape {3, 48, 5, 1}, Shape {9, 64, 18, 1024}, Shape {5, 32, 3, 1100}}) {
            std::mt19937 rng(uint32_t(sh.tokens * 31 + sh.rank));
            const auto w = packedRandom(sh.out, sh.in, w4, rng);
            const auto b = packedRandom(sh.out, sh.rank, a8, rng);
            QVERIFY(w && b);
            const MatrixRM x = randomMatrix(sh.tokens, sh.in, rng, 0);
            const MatrixRM t = randomMatrix(sh.tokens, sh.rank, rng, 0);
            QuantizedRows xr, tr;
            QVERIFY(quantizeActivationRows(x.data(), sh.tokens, sh.in, a8, QStringLiteral("x"), xr));
            QVERIFY(quantizeActivationRows(t.data(), sh.tokens, sh.rank, a8, QStringLiteral("t"), tr));
            MatrixRMd want, magnitude, want2, magnitude2;
            exactProduct(quantized(x, a8), w->values, want, magnitude);
            exactProduct(quantized(t, a8), b->values, want2, magnitude2);
            want += want2;
            magnitude += magnitude2;
            for (KernelIsa isa : {KernelIsa::Scalar, KernelIsa::Avx2, KernelIsa::Avx512Vnni}) {
                if (!kernelIsaSupported(isa))
                    continue;
                const QString label = QStringLiteral("%1, %2x%3x%4 rank %5")
                                          .arg(kernelIsaName(isa))
                                          .arg(sh.tokens)
                                          .arg(sh.in)
                                          .arg(sh.out)
                                          .arg(sh.rank);
                MatrixRM y = MatrixRM::Constant(sh.tokens, sh.out, 7.0f);
                packedGemmSum(xr, w->packed, tr, b->packed, y.data(), sh.out, false, isa);
                const double e = worstError(y, want, magnitude);
                QVERIFY2(e < 1e-5, qPrintable(label + QStringLiteral(": ") + QString::number(e)));
                MatrixRM acc = MatrixRM::Constant(sh.tokens, sh.out, 1.0f);
                packedGemmSum(xr, w->packed, tr, b->packed, acc.data(), sh.out, true, isa);
                QVERIFY2(((acc.array() - 1.0f) - y.array()).abs().maxCoeff()
                             <= 1e-5f * (1.0f + y.cwiseAbs().maxCoeff()),
                         qPrintable(label));
            }
        }
    }

    // The row operations against Eigen's expressions (the reference path) and exp in double:
    // exp within 3 ulp for x >= -87 (0 below), NaN kept; softmax, log-sum-exp, SiLU and the
    // sum of squares within float rounding; rowMax flags NaN and Inf in any lane, tails included.
    void rowOpsMatchReference()
    {
        std::mt19937 rng(17);
        std::uniform_real_distribution<float> wide(-100.0f, 88.7f), logit(-30.0f, 30.0f);
        for (qint64 n : {1, 7, 16, 33, 512, 8192}) {
            std::vector<float> x(static_cast<size_t>(n)), e(static_cast<size_t>(n));
            for (float &v : x)
                v = wide(rng);
            expRow(x.data(), n, e.data());
            for (qint64 i = 0; i < n; ++i) {
                const double want = std::exp(double(x[size_t(i)]));
                const float got = e[size_t(i)];
                if (x[size_t(i)] < -87.0f) {
                    QVERIFY2(got == 0.0f || std::abs(got - want) <= 3e-7 * want,
                             qPrintable(QString::number(double(x[size_t(i)]))));
                    continue;
                }
                QVERIFY2(std::abs(double(got) - want) <= 3.0 * 6e-8 * want,
                         qPrintable(QStringLiteral("exp(%1) = %2, want %3")
                                        .arg(double(x[size_t(i)]), 0, 'g', 9)
                                        .arg(double(got), 0, 'g', 9)
                                        .arg(want, 0, 'g', 9)));
            }
            for (float &v : x)
                v = logit(rng);
            for (bool vectorized : {true, false}) {
                setRowOpsVectorized(vectorized);
                std::vector<float> soft = x, silu = x, gated = x, up(x.size());
                for (size_t i = 0; i < up.size(); ++i)
                    up[i] = x[(i * 7) % up.size()] - 0.5f;
                softmaxRow(soft.data(), n, 0.125f);
                siluRow(silu.data(), n);
                siluRow(gated.data(), n, up.data());
                const RowMax m = rowMax(x.data(), n);
                const double lse = double(m.max) + std::log(expSumShifted(x.data(), n, m.max));
                const double ss = sumSquares(x.data(), n);
                setRowOpsVectorized(true);
                double refMax = -INFINITY, refSum = 0, refSoftSum = 0, refSs = 0;
                for (float v : x)
                    refMax = std::max(refMax, double(v));
                for (float v : x) {
                    refSum += std::exp(double(v) - refMax);
                    refSoftSum += std::exp(0.125 * (double(v) - refMax));
                    refSs += double(v) * v;
                }
                QVERIFY(m.finite);
                QCOMPARE(double(m.max), refMax);
                QVERIFY(std::abs(lse - (refMax + std::log(refSum))) < 1e-5 * (1 + std::abs(lse)));
                QVERIFY(std::abs(ss - refSs) <= 1e-12 * refSs);
                for (qint64 i = 0; i < n; ++i) {
                    const double v = x[size_t(i)];
                    const double p = std::exp(0.125 * (v - refMax)) / refSoftSum;
                    QVERIFY2(std::abs(soft[size_t(i)] - p) <= 1e-6 * p + 1e-12,
                             qPrintable(QStringLiteral("softmax n %1 i %2").arg(n).arg(i)));
                    const double s = v / (1 + std::exp(-v));
                    QVERIFY2(std::abs(silu[size_t(i)] - s) <= 1e-6 * std::abs(s) + 1e-30,
                             qPrintable(QStringLiteral("silu n %1 i %2").arg(n).arg(i)));
                    // The gated form is the same SiLU times up, in the same float operations.
                    QCOMPARE(gated[size_t(i)], silu[size_t(i)] * up[size_t(i)]);
                }
            }
            // A NaN or an Inf anywhere, the tail included, is reported.
            for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                              -std::numeric_limits<float>::infinity()}) {
                std::vector<float> y = x;
                y[size_t(n - 1)] = bad;
                QVERIFY(!rowMax(y.data(), n).finite);
                setRowOpsVectorized(false);
                QVERIFY(!rowMax(y.data(), n).finite);
                setRowOpsVectorized(true);
            }
        }
        float nan = std::numeric_limits<float>::quiet_NaN(), out = 0;
        expRow(&nan, 1, &out);
        QVERIFY(std::isnan(out));
        float big = 89.0f; // exp > FLT_MAX
        expRow(&big, 1, &out);
        QVERIFY(std::isinf(out) && out > 0);
    }

    void gemmVariantsAgree_data()
    {
        QTest::addColumn<int>("tokens");
        QTest::addColumn<int>("in");
        QTest::addColumn<int>("out");
        QTest::addColumn<QString>("weight");
        QTest::addColumn<QString>("act");
        QTest::addColumn<bool>("extreme");
        struct Row
        {
            int t, in, out;
            const char *w, *a;
            bool extreme;
        };
        for (const Row &r :
             {Row {7, 37, 13, "mxint4", "mxint8", false}, Row {5, 16, 9, "mxint4", "mxint8", true},
              Row {33, 100, 17, "mxint4", "mxint8", false}, Row {3, 1, 5, "mxint4", "mxint8", false},
              Row {4, 384, 6, "mxint8", "mxint8", true}, Row {6, 96, 11, "mxint4_e8_b32", "mxint6", false},
              Row {9, 130, 7, "int4_g32_sym", "mxint8", false},
              Row {2, 256, 5, "int8_g128_sym", "mxint8_e8_b32", true},
              Row {3, 70, 4, "mxint4_e8_b32_ocp", "mxint8_e8_b32_ocp", false},
              Row {5, 48, 9, "mxint4_e8_b48", "mxint8_e8_b16", false},
              Row {4, 40, 3, "mxint4_e8_b8", "mxint8", false}, // scalar only: 8-column blocks
              Row {2, 4096, 8, "mxint4", "mxint8", false},
              // several panels, row tiles and token groups with remainders; 5-bit weights
              Row {9, 2100, 19, "mxint4", "mxint8", true}, Row {8, 160, 16, "mxint5", "mxint8", true},
              Row {13, 4160, 9, "mxint6", "mxint8", false}})
            QTest::addRow("%dx%dx%d_%s_%s%s", r.t, r.in, r.out, r.w, r.a, r.extreme ? "_extreme" : "")
                << r.t << r.in << r.out << QString::fromLatin1(r.w) << QString::fromLatin1(r.a) << r.extreme;
    }

    void gemmVariantsAgree()
    {
        QFETCH(int, tokens);
        QFETCH(int, in);
        QFETCH(int, out);
        QFETCH(QString, weight);
        QFETCH(QString, act);
        QFETCH(bool, extreme);
        auto wf = QuantFormat::parse(weight), af = QuantFormat::parse(act);
        QVERIFY(wf && af);
        std::mt19937 rng(uint32_t(tokens * 1000 + in));
        // Extreme: weight rows at 2^±40 (INT: 2^±8, its fp16 scales), token rows at 2^±50.
        const int wExtreme = !extreme ? 0 : (wf->kind == FormatKind::MxInt ? 40 : 8);
        const MatrixRM wq = quantized(randomMatrix(out, in, rng, wExtreme), *wf);
        const MatrixRM x = randomMatrix(tokens, in, rng, extreme ? 50 : 0);
        auto w = packQuantizedRows(wq.data(), out, in, *wf);
        QVERIFY(w);
        QuantizedRows xr;
        QVERIFY(quantizeActivationRows(x.data(), tokens, in, *af, QStringLiteral("x"), xr));
        MatrixRMd want, magnitude;
        exactProduct(quantized(x, *af), wq, want, magnitude);

        MatrixRM scalar(tokens, out);
        packedGemm(xr, *w, scalar.data(), out, false, KernelIsa::Scalar);
        const double scalarError = worstError(scalar, want, magnitude);
        QVERIFY2(scalarError < 1e-5, qPrintable(QString::number(scalarError)));
        // The fp32 emulation itself is no closer than that.
        const MatrixRM emulated = quantized(x, *af) * wq.transpose();
        QVERIFY(worstError(emulated, want, magnitude) < 1e-5);

        int tested = 0;
        for (KernelIsa isa : {KernelIsa::Avx2, KernelIsa::Avx512Vnni}) {
            if (!kernelIsaSupported(isa)) {
                qInfo("%s: not supported by this CPU, not tested here", qPrintable(kernelIsaName(isa)));
                continue;
            }
            ++tested;
            MatrixRM simd(tokens, out);
            packedGemm(xr, *w, simd.data(), out, false, isa);
            const double e = worstError(simd, want, magnitude);
            QVERIFY2(e < 1e-5, qPrintable(kernelIsaName(isa) + QStringLiteral(": ") + QString::number(e)));
            // Accumulating adds to what is there.
            MatrixRM acc = MatrixRM::Constant(tokens, out, 1.0f);
            packedGemm(xr, *w, acc.data(), out, true, isa);
            QVERIFY(((acc.array() - 1.0f) - simd.array()).abs().maxCoeff()
                    <= 1e-5f * (1.0f + simd.cwiseAbs().maxCoeff()));
            if (!packedGemmSupported(xr, *w)) // the SIMD variant fell back to the scalar twin
                QVERIFY(simd == scalar);
        }
        if (tested == 0)
            qInfo("no SIMD variant on this CPU: scalar only");
        // An output with a row stride wider than the product (writing into a wider buffer).
        MatrixRM wide = MatrixRM::Constant(tokens, out + 3, 5.0f);
        packedGemm(xr, *w, wide.data(), out + 3, false);
        QVERIFY(worstError(MatrixRM(wide.leftCols(out)), want, magnitude) < 1e-5);
        QVERIFY((wide.rightCols(3).array() == 5.0f).all());
    }

    // The fp32 GEMM of the linear layers (core/kernels/floatgemm): against a double product,
    // from fp32 and fp16 weights, with remainders in every dimension (tokens not a multiple of
    // the 6-token tile, features not a multiple of 16 nor of the 1024-feature block, k not a
    // multiple of 256), strides wider than the matrices, a column range [o0, o1) that leaves
    // the rest of y alone, and the same bits whatever the split of the output columns.
    void floatGemmMatchesReference_data()
    {
        QTest::addColumn<int>("tokens");
        QTest::addColumn<int>("in");
        QTest::addColumn<int>("out");
        QTest::newRow("1x1x1") << 1 << 1 << 1;
        QTest::newRow("7x37x13") << 7 << 37 << 13;
        QTest::newRow("6x256x16") << 6 << 256 << 16;
        QTest::newRow("200x600x1100") << 200 << 600 << 1100;
        QTest::newRow("13x1030x2070") << 13 << 1030 << 2070;
    }

    void floatGemmMatchesReference()
    {
        QFETCH(int, tokens);
        QFETCH(int, in);
        QFETCH(int, out);
        std::mt19937 rng(uint32_t(tokens * 7 + in * 3 + out));
        const qint64 ldx = in + 5, ldw = in + 3, ldy = out + 4;
        MatrixRM xs = MatrixRM::Zero(tokens, ldx), ws = MatrixRM::Zero(out, ldw);
        xs.leftCols(in) = randomMatrix(tokens, in, rng);
        ws.leftCols(in) = randomMatrix(out, in, rng) * 0.05f;
        const MatrixRM x = xs.leftCols(in), w = ws.leftCols(in);
        MatrixRMd want, magnitude;
        exactProduct(x, w, want, magnitude);
        // fp16 weights, read through a converting row reader: the product of the rounded weights.
        std::vector<quint16> half(size_t(out * in));
        for (qint64 i = 0; i < out * in; ++i)
            half[size_t(i)] = floatToHalf(w.data()[i]);
        MatrixRM wh(out, in);
        convertToFloat(DType::F16, reinterpret_cast<const uchar *>(half.data()), out * in, wh.data());
        MatrixRMd wantHalf, magnitudeHalf;
        exactProduct(x, wh, wantHalf, magnitudeHalf);

        struct Restore
        {
            ~Restore() { setFloatGemmIsa(std::nullopt); }
        } restore;
        for (FloatGemmIsa isa : {FloatGemmIsa::Eigen, FloatGemmIsa::Avx2, FloatGemmIsa::Avx512}) {
            const QString name = floatGemmIsaName(isa);
            if (!floatGemmIsaSupported(isa)) {
                qInfo("%s: not supported by this CPU, not tested here", qPrintable(name));
                continue;
            }
            setFloatGemmIsa(isa);
            QCOMPARE(floatGemmIsa(), isa);
            MatrixRM y = MatrixRM::Constant(tokens, ldy, 9.0f);
            floatGemmTransposed(xs.data(), ldx, tokens, in, ws.data(), ldw, 0, out, y.data(), ldy);
            const double e = worstError(MatrixRM(y.leftCols(out)), want, magnitude);
            QVERIFY2(e < 1e-5, qPrintable(name + QStringLiteral(": ") + QString::number(e)));
            QVERIFY((y.rightCols(4).array() == 9.0f).all());

            // Any split of the output columns gives the same bits (the kernels, not Eigen,
            // promise that); columns outside the range stay untouched.
            MatrixRM split = MatrixRM::Constant(tokens, ldy, 9.0f);
            const qint64 cut = std::min<qint64>(out, 5 + out / 3);
            floatGemmTransposed(xs.data(), ldx, tokens, in, ws.data(), ldw, cut, out, split.data(), ldy);
            QVERIFY((split.leftCols(cut).array() == 9.0f).all());
            floatGemmTransposed(xs.data(), ldx, tokens, in, ws.data(), ldw, 0, cut, split.data(), ldy);
            if (isa != FloatGemmIsa::Eigen)
                QVERIFY2(split == y, qPrintable(name));
            else
                QVERIFY(worstError(MatrixRM(split.leftCols(out)), want, magnitude) < 1e-5);

            MatrixRM yh(tokens, out);
            floatGemmTransposed(
                xs.data(), ldx, tokens, in,
                [&](qint64 row, qint64 col0, qint64 count, float *dst) {
                    convertToFloat(DType::F16, reinterpret_cast<const uchar *>(half.data() + row * in + col0),
                                   count, dst);
                },
                0, out, yh.data(), out);
            const double eh = worstError(yh, wantHalf, magnitudeHalf);
            QVERIFY2(eh < 1e-5, qPrintable(name + QStringLiteral(" fp16: ") + QString::number(eh)));
        }
    }

    // Attention's causal products: Output leaves the entries above t + offset unwritten and the
    // rest as the full product's; Input, on x with zeros past t + offset, equals the full
    // product bit for bit. Shapes cross the 192-token blocks, the 256-deep k blocks and the
    // register tiles' edges.
    void causalProductsEqualFullOnes()
    {
        std::mt19937 rng(21);
        struct Restore
        {
            ~Restore() { setFloatGemmIsa(std::nullopt); }
        } restore;
        for (FloatGemmIsa isa : {FloatGemmIsa::Eigen, FloatGemmIsa::Avx2, FloatGemmIsa::Avx512}) {
            if (!floatGemmIsaSupported(isa))
                continue;
            setFloatGemmIsa(isa);
            const QString name = floatGemmIsaName(isa);
            for (auto [tokens, depth, features, offset] :
                 {std::array<qint64, 4> {200, 64, 230, 0}, std::array<qint64, 4> {37, 64, 300, 29},
                  std::array<qint64, 4> {512, 600, 64, 0}, std::array<qint64, 4> {45, 300, 17, 256},
                  std::array<qint64, 4> {30, 40, 33, -12}}) {
                // Output: S = Q Kᵀ with depth = the head dimension, features = keys.
                const MatrixRM q = randomMatrix(tokens, depth, rng), k = randomMatrix(features, depth, rng);
                MatrixRM full(tokens, features), causal = MatrixRM::Constant(tokens, features, 7.0f);
                floatGemmTransposed(q.data(), depth, tokens, depth, k.data(), depth, 0, features, full.data(),
                                    features);
                floatGemmTransposedCausal(q.data(), depth, tokens, depth, k.data(), depth, 0, features,
                                          causal.data(), features, GemmCausal::Output, offset);
                for (qint64 t = 0; t < tokens; ++t)
                    for (qint64 o = 0; o <= std::min(features - 1, t + offset); ++o)
                        QVERIFY2(causal(t, o) == full(t, o),
                                 qPrintable(QStringLiteral("%1 Output: (%2, %3)").arg(name).arg(t).arg(o)));
                // Input: O = P V with P zero past each token's limit (depth = keys here); the
                // causal product must not read those entries, so they hold garbage there.
                MatrixRM p = randomMatrix(tokens, depth, rng), garbage = p;
                for (qint64 t = 0; t < tokens; ++t)
                    for (qint64 c = std::max<qint64>(0, t + offset + 1); c < depth; ++c) {
                        p(t, c) = 0.0f;
                        garbage(t, c) = std::numeric_limits<float>::quiet_NaN();
                    }
                const MatrixRM vt = randomMatrix(features, depth, rng);
                const MatrixRM v = vt.transpose();
                MatrixRM fullO(tokens, features), causalO(tokens, features), plainO(tokens, features);
                floatGemmTransposed(p.data(), depth, tokens, depth, vt.data(), depth, 0, features,
                                    fullO.data(), features);
                floatGemmTransposedCausal(garbage.data(), depth, tokens, depth, vt.data(), depth, 0, features,
                                          causalO.data(), features, GemmCausal::Input, offset);
                QVERIFY2(
                    causalO == fullO,
                    qPrintable(QStringLiteral("%1 Input, %2 tokens x %3").arg(name).arg(tokens).arg(depth)));
                // V as it is (no transpose): the same bits.
                floatGemmCausal(garbage.data(), depth, tokens, depth, v.data(), features, 0, features,
                                plainO.data(), features, GemmCausal::Input, offset);
                if (isa != FloatGemmIsa::Eigen)
                    QVERIFY2(plainO == fullO, qPrintable(name + QStringLiteral(" X · V")));
                else
                    QVERIFY((plainO - fullO).cwiseAbs().maxCoeff() < 1e-4f);
            }
        }
    }

    // Prepared (kept unpacked) weight tiles give the products' bits exactly: whole products,
    // the fused low-rank sum, and column ranges that start on a tile and off one.
    void preparedKernelTilesGiveTheSameBits()
    {
        if (!kernelIsaSupported(KernelIsa::Avx512Vnni))
            QSKIP("no AVX-512 VNNI kernel on this CPU");
        std::mt19937 rng(5);
        const QuantFormat w4 = QuantFormat::mxint(4), a8 = QuantFormat::mxint(8);
        for (auto [tokens, in, out] :
             {std::array<qint64, 3> {37, 96, 40}, std::array<qint64, 3> {20, 2100, 33},
              std::array<qint64, 3> {16, 384, 16}}) {
            const auto w = packedRandom(out, in, w4, rng);
            QVERIFY(w);
            const PackedMatrix &plain = w->packed;
            PackedMatrix prepared = plain;
            QCOMPARE(kernelTileBytes(prepared), (out + 15) / 16 * (prepared.paddedCols() / 32) * 833);
            prepareKernelTiles(prepared);
            QVERIFY(prepared.kernelTiles);
            // The random rows share their exponents, so the comparisons below cover that path.
            QVERIFY(sharedExponentTiles(prepared) > 0);
            const auto lowRandom = packedRandom(out, 32, a8, rng);
            QVERIFY(lowRandom);
            const PackedMatrix &low = lowRandom->packed;
            PackedMatrix lowPrepared = low;
            prepareKernelTiles(lowPrepared);
            const MatrixRM x = randomMatrix(tokens, in, rng), x2 = randomMatrix(tokens, 32, rng);
            QuantizedRows xq, x2q;
            QVERIFY(quantizeActivationRows(x.data(), tokens, in, a8, QStringLiteral("x"), xq));
            QVERIFY(quantizeActivationRows(x2.data(), tokens, 32, a8, QStringLiteral("x2"), x2q));
            MatrixRM a(tokens, out), b(tokens, out), c(tokens, out);
            packedGemm(xq, plain, a.data(), out, false);
            packedGemm(xq, prepared, b.data(), out, false);
            QVERIFY2(a == b, qPrintable(QStringLiteral("%1 x %2").arg(out).arg(in)));
            // Rows sharing their exponents (the random rows here do) against per-slice scales.
            forceSliceScales(true);
            packedGemm(xq, plain, c.data(), out, false);
            forceSliceScales(false);
            QVERIFY2(a == c, qPrintable(QStringLiteral("shared exponents, %1 x %2").arg(out).arg(in)));
            packedGemmSum(xq, plain, x2q, low, a.data(), out, false);
            packedGemmSum(xq, prepared, x2q, lowPrepared, b.data(), out, false);
            QVERIFY(a == b);
            forceSliceScales(true);
            packedGemmSum(xq, plain, x2q, low, c.data(), out, false);
            forceSliceScales(false);
            QVERIFY2(a == c,
                     qPrintable(QStringLiteral("fused sum, shared exponents, %1 x %2").arg(out).arg(in)));
            for (qint64 o0 : {qint64(16), qint64(5)}) {
                if (o0 >= out)
                    continue;
                packedGemmColumns(xq, plain, o0, out, a.data(), out, false, bestKernelIsa());
                packedGemmColumns(xq, prepared, o0, out, b.data(), out, false, bestKernelIsa());
                QVERIFY(a.rightCols(out - o0) == b.rightCols(out - o0));
            }
        }
    }

    // Activations whose block scales leave the normal floats (tiny rows) or come near the top
    // of the range: the kernels' scale tables take their exact path for those tokens.
    void extremeActivationScales()
    {
        std::mt19937 rng(8);
        const QuantFormat w4 = QuantFormat::mxint(4), a8 = QuantFormat::mxint(8);
        const auto w = packedRandom(24, 288, w4, rng);
        QVERIFY(w);
        MatrixRM x = randomMatrix(21, 288, rng);
        x.row(3) *= 1e-38f;
        x.row(17) *= 1e-41f;
        x.row(9) *= 1e30f;
        QuantizedRows xq;
        QVERIFY(quantizeActivationRows(x.data(), 21, 288, a8, QStringLiteral("x"), xq));
        MatrixRMd want, magnitude;
        exactProduct(quantized(x, a8), w->values, want, magnitude);
        for (KernelIsa isa : {KernelIsa::Scalar, KernelIsa::Avx2, KernelIsa::Avx512Vnni}) {
            if (!kernelIsaSupported(isa))
                continue;
            MatrixRM y(21, 24);
            packedGemm(xq, w->packed, y.data(), 24, false, isa);
            for (qint64 t : {qint64(3), qint64(17), qint64(9), qint64(0)}) {
                const MatrixRM row = y.row(t);
                const MatrixRMd wantRow = want.row(t), magRow = magnitude.row(t);
                QVERIFY2(worstError(row, wantRow, magRow) < 1e-5,
                         qPrintable(kernelIsaName(isa) + QStringLiteral(" token %1").arg(t)));
            }
        }
    }

    // The SIMD kernels keep the last input they rearranged per thread, keyed by the codes'
    // generation: the same QuantizedRows object quantized again from other values must give
    // the new product, not the cached one.
    void requantizedInputIsNotStale()
    {
        std::mt19937 rng(77);
        const QuantFormat w4 = QuantFormat::mxint(4), a8 = QuantFormat::mxint(8);
        const auto w = packedRandom(40, 96, w4, rng);
        QVERIFY(w);
        QuantizedRows xr;
        for (int round = 0; round < 3; ++round) {
            const MatrixRM x = randomMatrix(11, 96, rng);
            QVERIFY(quantizeActivationRows(x.data(), 11, 96, a8, QStringLiteral("x"), xr));
            MatrixRM scalar(11, 40), best(11, 40);
            packedGemm(xr, w->packed, scalar.data(), 40, false, KernelIsa::Scalar);
            packedGemm(xr, w->packed, best.data(), 40, false);
            MatrixRMd want, magnitude;
            exactProduct(quantized(x, a8), w->values, want, magnitude);
            QVERIFY2(worstError(best, want, magnitude) < 1e-5, qPrintable(QString::number(round)));
            QVERIFY(worstError(scalar, want, magnitude) < 1e-5);
        }
    }

    void supportedShapes()
    {
        std::mt19937 rng(2);
        auto packed = [&](int in, const QuantFormat &f) { return packedRandom(3, in, f, rng)->packed; };
        QVERIFY(packedGemmSupported(16, 37, packed(37, QuantFormat::mxint(4))));
        QVERIFY(packedGemmSupported(16, 37, packed(37, QuantFormat::intSym(4, 128)))); // a whole row
        QVERIFY(packedGemmSupported(32, 256, packed(256, QuantFormat::intSym(4, 128))));
        QVERIFY(!packedGemmSupported(8, 64, packed(64, QuantFormat::mxint(4))));
        QVERIFY(!packedGemmSupported(16, 64, packed(64, QuantFormat::mxint(4, 8, 24))));
        QVERIFY(!packedGemmSupported(16, 65, packed(64, QuantFormat::mxint(4))));
    }

    // Whole models, W4A8 L²QER (rank 32, statistics from 8 calibration samples): perplexity on
    // 3 heldout windows from the integer kernels equals the fp32 emulation to 1e-4 relative,
    // and every quantized linear really ran on the integer kernels.
    void perplexityEqualsEmulation_data()
    {
        QTest::addColumn<QString>("model");
        QTest::newRow("lqs-llama-13m") << QStringLiteral("lqs-llama-13m");
        QTest::newRow("lqs-opt-14m") << QStringLiteral("lqs-opt-14m");
    }

    void perplexityEqualsEmulation()
    {
#ifdef LQER_SANITIZED
        QSKIP("whole-model perplexity: checked by the normal suite, not under sanitizers");
#endif
        QFETCH(QString, model);
        const QString dir = kShared + QStringLiteral("/models/") + model;
        auto ck = Checkpoint::open(dir);
        QVERIFY2(ck, qPrintable(ck.error()));
        auto tok = Tokenizer::fromModelFolder(dir);
        QVERIFY2(tok, qPrintable(tok.error()));
        auto encode = [&](const char *file) {
            auto text = readTextCorpus(kShared + QStringLiteral("/data/lqs-corpus/") + QLatin1String(file));
            const std::vector<int> ids = (*tok)->encode(text ? text->left(200000) : QString(), true);
            return TokenIds(ids.begin(), ids.end());
        };
        const TokenIds calibTokens = encode("calib.txt"), heldout = encode("heldout.txt");
        QVERIFY(!calibTokens.empty() && !heldout.empty());
        auto m = Transformer::fromCheckpoint(**ck);
        QVERIFY2(m, qPrintable(m.error()));
        auto samples = calibrationSamples(calibTokens, 8, 256, QStringLiteral("calib"));
        QVERIFY2(samples, qPrintable(samples.error()));
        CalibrationConfig cc;
        cc.model = m->get();
        cc.samples = *samples;
        auto calib = calibrate(cc);
        QVERIFY2(calib, qPrintable(calib.error()));
        PlanOptions o;
        o.method = Method::L2Qer;
        o.rank = 32;
        auto plan = o.toPlan();
        QVERIFY2(plan, qPrintable(plan.error()));
        auto installed = installPlan(**m, *ck, *plan, &calib->stats);
        QVERIFY2(installed, qPrintable(installed.error()));
        int integerLinears = 0;
        for (int i = 0; i < (*m)->linearCount(); ++i) {
            const QuantizedLinear *q = (*m)->quantizedLinear(i);
            QVERIFY(q);
            QCOMPARE(q->act, QuantFormat::mxint(8));
            if (q->packedW && q->packedAt && q->packedBt && q->wq.size() == 0
                && packedGemmSupported(q->act.block, q->inFeatures(), *q->packedW))
                ++integerLinears;
        }
        QCOMPARE(integerLinears, (*m)->linearCount());

        PerplexityConfig pc;
        pc.model = m->get();
        pc.tokens = heldout;
        pc.windowLength = 256;
        pc.maxWindows = 3;
        const KernelMode before = defaultKernelMode();
        setDefaultKernelMode(KernelMode::Emulate);
        auto emulated = evaluatePerplexity(pc);
        setDefaultKernelMode(KernelMode::Integer);
        auto integer = evaluatePerplexity(pc);
        setDefaultKernelMode(before);
        QVERIFY2(emulated, qPrintable(emulated.error()));
        QVERIFY2(integer, qPrintable(integer.error()));
        const double rel = std::abs(integer->perplexity / emulated->perplexity - 1.0);
        qInfo("%s W4A8 L2QER: ppl integer %.6f, emulated %.6f (rel %.2e); %.0f vs %.0f tokens/s",
              qPrintable(model), integer->perplexity, emulated->perplexity, rel, integer->tokensPerSecond,
              emulated->tokensPerSecond);
        QVERIFY2(rel <= 1e-4, qPrintable(QString::number(rel)));
        QVERIFY(integer->perplexity != 0 && std::isfinite(integer->perplexity));
        // The linears' time is part of the scoring time (what bench --kernels --model reports).
        for (const PerplexityResult *r : {&*emulated, &*integer})
            QVERIFY2(r->linearSeconds > 0 && r->linearSeconds < r->windowSeconds,
                     qPrintable(QStringLiteral("%1 s of %2 s").arg(r->linearSeconds).arg(r->windowSeconds)));
    }
};

QTEST_GUILESS_MAIN(TestKernels)
#include "test_kernels.moc"
