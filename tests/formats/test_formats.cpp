// Number formats: NUMERICS.md §2-3 golden examples, fast == reference, GOLDEN.md sums; the
// block explanation (codes, ties, clipping) of the golden blocks.

#include "core/formats/blockexplain.h"
#include "core/formats/ggmlblocks.h"
#include "core/formats/quantformat.h"
#include "core/io/checkpoint.h"

#include <QTest>

#include <cmath>
#include <cstring>
#include <random>

using namespace lqer;

namespace {

std::vector<float> quantizeRef(const std::vector<float> &x, const QuantFormat &f)
{
    std::vector<float> out(x.size());
    const Status s
        = quantizeRowsReference(x.data(), out.data(), 1, qint64(x.size()), f, QStringLiteral("golden"));
    if (!s)
        qWarning("%s", qPrintable(s.error()));
    return out;
}

std::vector<float> quantizeFast(const std::vector<float> &x, const QuantFormat &f)
{
    std::vector<float> out(x.size());
    const Status s = quantizeRows(x.data(), out.data(), 1, qint64(x.size()), f, QStringLiteral("golden"));
    if (!s)
        qWarning("%s", qPrintable(s.error()));
    return out;
}

void compareExact(const std::vector<float> &got, const std::vector<float> &expected)
{
    QCOMPARE(got.size(), expected.size());
    for (size_t i = 0; i < got.size(); ++i) {
        if (got[i] != expected[i])
            QFAIL(qPrintable(QStringLiteral("element %1: got %2, expected %3")
                                 .arg(i)
                                 .arg(double(got[i]), 0, 'g', 12)
                                 .arg(double(expected[i]), 0, 'g', 12)));
    }
}

std::vector<float> padTo16(std::vector<float> v)
{
    v.resize(16, 0.0f);
    return v;
}

const std::vector<float> kGoldenX = {0.30f, -0.12f, 0.05f,  0.9f,   -0.61f, 0.0f,  0.25f, -0.0625f,
                                     0.44f, 0.01f,  -0.33f, 0.125f, 0.7f,   -0.2f, 0.06f, 0.5f};

double sumSquaredError(const MatrixRM &w, const QuantFormat &f, const QString &name)
{
    Expected<MatrixRM> q = quantizeMatrix(w, f, name);
    if (!q)
        return -1;
    return double((w - *q).cast<double>().squaredNorm());
}

} // namespace

class TestFormats : public QObject
{
    Q_OBJECT

private slots:
    // The shared-exponent helpers against log2 in double, over normals and subnormals, exact
    // powers of two and their neighbours on either side.
    void log2HelpersAreExact()
    {
        auto check = [](float a) {
            const double l = std::log2(double(a));
            const int fl = int(std::floor(l)), cl = int(std::ceil(l));
            QVERIFY2(floorLog2(a) == fl && ceilLog2(a) == cl,
                     qPrintable(QStringLiteral("%1: floor %2 vs %3, ceil %4 vs %5")
                                    .arg(double(a), 0, 'g', 9)
                                    .arg(floorLog2(a))
                                    .arg(fl)
                                    .arg(ceilLog2(a))
                                    .arg(cl)));
        };
        for (int e = -149; e <= 127; ++e) {
            const float p = std::ldexp(1.0f, e);
            check(p);
            check(std::nextafter(p, 0.0f) > 0.0f ? std::nextafter(p, 0.0f) : p);
            check(std::nextafter(p, INFINITY) < INFINITY ? std::nextafter(p, INFINITY) : p);
            check(p * 1.5f > 0.0f && std::isfinite(p * 1.5f) ? p * 1.5f : p);
        }
        std::mt19937 rng(3);
        for (int i = 0; i < 100000; ++i) {
            uint32_t bits = rng() & 0x7fffffffu;
            float a;
            std::memcpy(&a, &bits, 4);
            if (a > 0.0f && std::isfinite(a))
                check(a);
        }
    }

    // NUMERICS.md §2 golden examples, checked on both implementations.
    void goldenMxint_data()
    {
        QTest::addColumn<int>("w");
        QTest::addColumn<int>("e");
        QTest::addColumn<std::vector<float>>("x");
        QTest::addColumn<std::vector<float>>("expected");
        QTest::newRow("w4 mixed") << 4 << 8 << kGoldenX
                                  << std::vector<float> {0.25f, -0.125f, 0,    0.875f, -0.625f, 0,
                                                         0.25f, 0,       0.5f, 0,      -0.375f, 0.125f,
                                                         0.75f, -0.25f,  0,    0.5f};
        QTest::newRow("w8 mixed") << 8 << 8 << kGoldenX
                                  << std::vector<float> {0.296875f,  -0.1171875f, 0.046875f,  0.8984375f,
                                                         -0.609375f, 0,           0.25f,      -0.0625f,
                                                         0.4375f,    0.0078125f,  -0.328125f, 0.125f,
                                                         0.703125f,  -0.203125f,  0.0625f,    0.5f};
        QTest::newRow("w4 power-of-two clip")
            << 4 << 8 << padTo16({1.0f, 0.5f, -0.25f, 0.75f}) << padTo16({0.875f, 0.5f, -0.25f, 0.75f});
        QTest::newRow("w4 ties to even") << 4 << 8 << padTo16({0.5625f, 0.1875f, -0.3125f, 0.0625f})
                                         << padTo16({0.5f, 0.25f, -0.25f, 0.0f});
        QTest::newRow("w4 small e8") << 4 << 8 << padTo16({3e-3f, -1e-3f, 2.5e-3f, 1.2e-3f})
                                     << padTo16(
                                            {0.0029296875f, -0.0009765625f, 0.00244140625f, 0.0009765625f});
        QTest::newRow("w4 small e4 clamps E to -7")
            << 4 << 4 << padTo16({3e-3f, -1e-3f, 2.5e-3f, 1.2e-3f})
            << padTo16({0.0029296875f, -0.0009765625f, 0.0029296875f, 0.0009765625f});
    }

    void goldenMxint()
    {
        QFETCH(int, w);
        QFETCH(int, e);
        QFETCH(std::vector<float>, x);
        QFETCH(std::vector<float>, expected);
        const QuantFormat f = QuantFormat::mxint(w, e, 16);
        compareExact(quantizeRef(x, f), expected);
        compareExact(quantizeFast(x, f), expected);
    }

    // OCP MX convention: floor exponent, two's complement with scale 2^-(w-2), ties away.
    // Hand-derived: amax 0.9 -> E = -1, unit = 2^-3 for w = 4; 0.0625/0.125 = 0.5 rounds away to 1.
    void goldenOcp()
    {
        const QuantFormat f = QuantFormat::mxint(4, 8, 16, MxConvention::Ocp);
        const std::vector<float> expected = {0.25f, -0.125f, 0,       0.875f, -0.625f, 0,      0.25f, -0.125f,
                                             0.5f,  0,       -0.375f, 0.125f, 0.75f,   -0.25f, 0,     0.5f};
        compareExact(quantizeRef(kGoldenX, f), expected);
        compareExact(quantizeFast(kGoldenX, f), expected);
        // Saturation: with w = 8 the largest code is 127 * 2^(E-6).
        const std::vector<float> sat = padTo16({1.99f});
        compareExact(quantizeFast(sat, QuantFormat::mxint(8, 8, 16, MxConvention::Ocp)),
                     padTo16({1.984375f}));
    }

    // NUMERICS.md §3, hand-derived with fp16 scales: 2/7 -> 0.28564453125.
    void goldenInt()
    {
        const std::vector<float> x = {1.0f, -0.5f, 0.25f, -2.0f};
        const std::vector<float> sym = {1.142578125f, -0.5712890625f, 0.28564453125f, -1.99951171875f};
        compareExact(quantizeRef(x, QuantFormat::intSym(4, 4)), sym);
        compareExact(quantizeFast(x, QuantFormat::intSym(4, 4)), sym);

        const std::vector<float> y = {0.1f, 0.5f, 0.9f, 1.3f};
        const std::vector<float> asym = {0.0f, 0.433349609375f, 0.86669921875f, 1.300048828125f};
        compareExact(quantizeRef(y, QuantFormat::intAsym(2, 4)), asym);
        compareExact(quantizeFast(y, QuantFormat::intAsym(2, 4)), asym);

        const std::vector<float> z = {-1.0f, 0.5f};
        const std::vector<float> asymZp = {-0.999755859375f, 0.4998779296875f}; // zero point 10
        compareExact(quantizeRef(z, QuantFormat::intAsym(4, 2)), asymZp);
        compareExact(quantizeFast(z, QuantFormat::intAsym(4, 2)), asymZp);
    }

    // The fast kernels agree with the reference bit for bit, trailing partial blocks included.
    void fastMatchesReference_data()
    {
        QTest::addColumn<QString>("format");
        for (const char *f : {"mxint2_e8_b16", "mxint3_e8_b16", "mxint4_e8_b16", "mxint4_e4_b16",
                              "mxint6_e8_b16", "mxint8_e8_b16", "mxint4_e8_b32", "mxint4_e8_b128",
                              "mxint8_e8_b32_ocp", "mxint4_e8_b32_ocp", "int4_g128_sym", "int8_g32_sym",
                              "int4_g128_asym", "int3_g0_asym", "int2_g16_sym", "q4_0", "q8_0", "f16"})
            QTest::newRow(f) << QString::fromLatin1(f);
    }

    void fastMatchesReference()
    {
        QFETCH(QString, format);
        Expected<QuantFormat> f = QuantFormat::parse(format);
        QVERIFY2(f.ok(), qPrintable(f.error()));
        std::mt19937 rng(7);
        std::normal_distribution<float> normal(0.0f, 1.0f);
        const qint64 rows = 37, cols = 300; // 300 is not a multiple of 16/32/128: trailing blocks
        std::vector<float> x(size_t(rows * cols));
        for (size_t i = 0; i < x.size(); ++i)
            x[i] = normal(rng) * (i % 97 == 0 ? 40.0f : 1.0f)
                * std::pow(2.0f, float(int(i / cols) % 9) - 4.0f);
        for (int i = 0; i < 20; ++i) // exact ties and powers of two inside blocks
            x[size_t(i * 13)] = std::ldexp(1.0f, i % 5 - 2) * (i % 2 ? -1.0f : 1.0f);
        std::fill(x.begin() + 600, x.begin() + 632, 0.0f); // an all-zero block
        x[700] = 1e-30f; // tiny magnitudes: extreme exponents
        std::vector<float> ref(x.size()), fast(x.size());
        QVERIFY(quantizeRowsReference(x.data(), ref.data(), rows, cols, *f, QStringLiteral("t")).ok());
        QVERIFY(quantizeRows(x.data(), fast.data(), rows, cols, *f, QStringLiteral("t")).ok());
        compareExact(fast, ref);
    }

    // Named error bounds per bit width (as ggml's test-quantize-fns): RMS error on N(0,1).
    void errorBounds_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<double>("maxRms");
        QTest::newRow("mxint8") << QStringLiteral("mxint8_e8_b16") << 0.009;
        QTest::newRow("mxint6") << QStringLiteral("mxint6_e8_b16") << 0.035;
        QTest::newRow("mxint4") << QStringLiteral("mxint4_e8_b16") << 0.14;
        QTest::newRow("mxint2") << QStringLiteral("mxint2_e8_b16") << 0.75;
        QTest::newRow("int8_g128") << QStringLiteral("int8_g128_sym") << 0.008;
        QTest::newRow("int4_g128") << QStringLiteral("int4_g128_sym") << 0.16;
        QTest::newRow("q8_0") << QStringLiteral("q8_0") << 0.006;
        QTest::newRow("q4_0") << QStringLiteral("q4_0") << 0.11;
        QTest::newRow("f16") << QStringLiteral("f16") << 0.0003;
    }

    void errorBounds()
    {
        QFETCH(QString, format);
        QFETCH(double, maxRms);
        const QuantFormat f = *QuantFormat::parse(format);
        std::mt19937 rng(11);
        std::normal_distribution<float> normal(0.0f, 1.0f);
        std::vector<float> x(64 * 1024);
        for (float &v : x)
            v = normal(rng);
        const std::vector<float> q = quantizeFast(x, f);
        double se = 0;
        for (size_t i = 0; i < x.size(); ++i)
            se += double(x[i] - q[i]) * double(x[i] - q[i]);
        const double rms = std::sqrt(se / double(x.size()));
        QVERIFY2(rms < maxRms,
                 qPrintable(QStringLiteral("%1: rms %2 >= bound %3").arg(format).arg(rms).arg(maxRms)));
        QVERIFY(rms > maxRms / 20); // a quantizer that returns its input would pass otherwise
    }

    void nonFiniteIsAnErrorNamingTheTensor()
    {
        std::vector<float> x(40, 0.5f);
        x[33] = std::numeric_limits<float>::quiet_NaN();
        std::vector<float> out(x.size());
        Status s = quantizeRows(x.data(), out.data(), 2, 20, QuantFormat::mxint(4),
                                QStringLiteral("layers.3.mlp.up_proj.weight"));
        QVERIFY(!s.ok());
        QVERIFY2(s.error().contains(QLatin1String("layers.3.mlp.up_proj.weight")), qPrintable(s.error()));
        QVERIFY2(s.error().contains(QLatin1String("33")), qPrintable(s.error()));
        x[33] = std::numeric_limits<float>::infinity();
        s = quantizeRowsReference(x.data(), out.data(), 2, 20, QuantFormat::intSym(4, 8),
                                  QStringLiteral("w"));
        QVERIFY(!s.ok());
        QVERIFY(s.error().contains(QLatin1String("element 33")));
    }

    // Blocks run along rows (the input dimension of an (out, in) weight): an outlier in one
    // row must not change the quantization of the next row (NUMERICS.md §1).
    void blocksRunAlongRows()
    {
        MatrixRM w(2, 16);
        w.setConstant(0.3f);
        w(0, 5) = 100.0f;
        Expected<MatrixRM> q = quantizeMatrix(w, QuantFormat::mxint(4), QStringLiteral("w"));
        QVERIFY(q.ok());
        QCOMPARE((*q)(1, 0), 0.3125f); // row 1 alone: E = -1, 0.3 * 16 = 4.8 -> 5 * 2^-4
        QCOMPARE((*q)(0, 0), 0.0f); // row 0 shares the outlier's exponent
    }

    // ggml q4_0 (NUMERICS.md §9), derived by hand: x_j = (j - 16)/4. The signed largest
    // magnitude is x_0 = -4, so d = -4/-8 = 0.5 (exact in fp16), id = 2 and
    // q_j = min(15, trunc((j - 16)/2 + 8.5)) = min(15, trunc(j/2 + 0.5)) = min(15, ceil(j/2)):
    // 0 1 1 2 2 3 3 ... 15 15 16->15. Ties go up (x = -0.25 -> q 8 -> 0; x = 0.25 -> q 9 -> 0.5)
    // and the top element clips: x_31 = 3.75 -> (15 - 8)·0.5 = 3.5.
    void ggmlQ4_0HandDerived()
    {
        float x[32];
        for (int j = 0; j < 32; ++j)
            x[j] = float(j - 16) / 4.0f;
        const int q[32] = {0, 1, 1, 2,  2,  3,  3,  4,  4,  5,  5,  6,  6,  7,  7,  8,
                           8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15, 15};
        BlockQ4_0 b;
        quantizeBlock(x, b);
        QCOMPARE(b.d, uint16_t(0x3800)); // 0.5 in fp16
        for (int j = 0; j < 16; ++j) // element j in the low nibble, element j + 16 in the high one
            QCOMPARE(int(b.qs[j]), q[j] | (q[j + 16] << 4));
        std::vector<float> expected(32);
        for (int j = 0; j < 32; ++j)
            expected[size_t(j)] = float(q[j] - 8) * 0.5f;
        QCOMPARE(expected[15], 0.0f);
        QCOMPARE(expected[17], 0.5f);
        QCOMPARE(expected[31], 3.5f);
        float y[32];
        dequantizeBlock(b, y);
        compareExact(std::vector<float>(y, y + 32), expected);
        const std::vector<float> xs(x, x + 32);
        compareExact(quantizeRef(xs, QuantFormat::q4_0()), expected);
        compareExact(quantizeFast(xs, QuantFormat::q4_0()), expected);

        // The sign of the scale follows the largest element: a positive maximum gives d < 0,
        // and then the maximum itself is the code 0 (x̂ = -8·d = max).
        for (float &v : x)
            v = -v;
        quantizeBlock(x, b);
        QCOMPARE(b.d, uint16_t(0xb800)); // x_0 = +4: d = 4/-8 = -0.5, the same codes
        for (int j = 0; j < 16; ++j)
            QCOMPARE(int(b.qs[j]), q[j] | (q[j + 16] << 4));
        for (float &v : expected)
            v = -v;
        compareExact(quantizeFast(std::vector<float>(x, x + 32), QuantFormat::q4_0()), expected);
    }

    // ggml q8_0 by hand. amax = 127: d = 1, id = 1, q = roundf(x) (half away from zero).
    // amax = 1: d = 1/127 in fp32, id = 127 exactly, stored d = fp16(1/127) = 0x2008 =
    // 0.00787353515625 (= 2^-7·(1 + 8/1024)); -0.5 -> -63.5 -> -64, 0.25 -> 31.75 -> 32,
    // 0.1 -> 12.7 -> 13, -0.3 -> -38.1 -> -38.
    void ggmlQ8_0HandDerived()
    {
        std::vector<float> x(32, 0.0f);
        const float first[] = {127.0f, -3.5f, 2.5f, 0.49f, -127.0f, 0.5f};
        std::copy(std::begin(first), std::end(first), x.begin());
        BlockQ8_0 b;
        quantizeBlock(x.data(), b);
        QCOMPARE(b.d, uint16_t(0x3c00));
        const int q1[] = {127, -4, 3, 0, -127, 1};
        for (int j = 0; j < 6; ++j)
            QCOMPARE(int(b.qs[j]), q1[j]);
        std::vector<float> expected(32, 0.0f);
        for (int j = 0; j < 6; ++j)
            expected[size_t(j)] = float(q1[j]);
        compareExact(quantizeRef(x, QuantFormat::q8_0()), expected);
        compareExact(quantizeFast(x, QuantFormat::q8_0()), expected);

        std::fill(x.begin(), x.end(), 0.0f);
        const float second[] = {1.0f, -0.5f, 0.25f, 0.1f, -0.3f};
        std::copy(std::begin(second), std::end(second), x.begin());
        quantizeBlock(x.data(), b);
        QCOMPARE(b.d, uint16_t(0x2008));
        const int q2[] = {127, -64, 32, 13, -38};
        std::fill(expected.begin(), expected.end(), 0.0f);
        for (int j = 0; j < 5; ++j) {
            QCOMPARE(int(b.qs[j]), q2[j]);
            expected[size_t(j)] = float(q2[j]) * 0.00787353515625f;
        }
        float y[32];
        dequantizeBlock(b, y);
        compareExact(std::vector<float>(y, y + 32), expected);
        compareExact(quantizeFast(x, QuantFormat::q8_0()), expected);
    }

    // Re-quantizing a dequantized q4_0 row gives the same blocks, and q4_0 / q8_0 simulation is
    // idempotent: the GGUF export encodes the engine's Wq and must write exactly the codes the
    // plan simulated.
    void ggmlRoundTripIsIdempotent()
    {
        std::mt19937 rng(3);
        std::normal_distribution<float> normal(0.0f, 0.05f);
        std::vector<float> x(32 * 64);
        for (float &v : x)
            v = normal(rng);
        for (const QuantFormat &f : {QuantFormat::q4_0(), QuantFormat::q8_0()}) {
            const std::vector<float> once = quantizeFast(x, f);
            compareExact(quantizeFast(once, f), once);
        }
        std::vector<BlockQ4_0> b4(x.size() / 32), c4(x.size() / 32);
        quantizeRow(x.data(), b4.data(), qint64(x.size()));
        std::vector<float> deq(x.size());
        dequantizeRow(b4.data(), deq.data(), qint64(x.size()));
        quantizeRow(deq.data(), c4.data(), qint64(x.size()));
        QVERIFY(std::memcmp(b4.data(), c4.data(), b4.size() * sizeof(BlockQ4_0)) == 0);
    }

    void f16RangeIsAnError()
    {
        std::vector<float> x(8, 1.0f);
        x[5] = 70000.0f;
        std::vector<float> out(x.size());
        const Status s = quantizeRows(x.data(), out.data(), 1, 8, QuantFormat::f16(), QStringLiteral("w"));
        QVERIFY(!s.ok());
        QVERIFY2(s.error().contains(QLatin1String("element 5")), qPrintable(s.error()));
    }

    void bitsAndNames()
    {
        QCOMPARE(QuantFormat::mxint(4, 4, 16).bitsPerElement(), 4.25);
        QCOMPARE(QuantFormat::mxint(4, 8, 16).bitsPerElement(), 4.5);
        QCOMPARE(QuantFormat::mxint(8, 8, 16).bitsPerElement(), 8.5);
        QCOMPARE(QuantFormat::intSym(4, 128).bitsPerElement(), 4.125);
        QCOMPARE(QuantFormat::q4_0().bitsPerElement(), 4.5);
        QCOMPARE(QuantFormat::q8_0().bitsPerElement(), 8.5);
        QCOMPARE(QuantFormat::f16().bitsPerElement(), 16.0);
        QVERIFY(!QuantFormat::parse(QStringLiteral("q4_0_b16")).ok());
        for (const QuantFormat &f :
             {QuantFormat::mxint(4, 8, 16), QuantFormat::mxint(6, 4, 32, MxConvention::Ocp),
              QuantFormat::intSym(4, 128), QuantFormat::intAsym(3, 64), QuantFormat::none(),
              QuantFormat::q4_0(), QuantFormat::q8_0(), QuantFormat::f16()}) {
            Expected<QuantFormat> back = QuantFormat::parse(f.toString());
            QVERIFY2(back.ok(), qPrintable(back.error()));
            QVERIFY2(*back == f, qPrintable(f.toString()));
        }
        QCOMPARE(QuantFormat::parse(QStringLiteral("mxint4"))->block, 16);
        QVERIFY(!QuantFormat::parse(QStringLiteral("mxint9")).ok());
        QVERIFY(!QuantFormat::parse(QStringLiteral("float4")).ok());
        QVERIFY(!QuantFormat::parse(QStringLiteral("mxint4_b0")).ok());
    }

    // GOLDEN.md: MXINT(4, 8, 16) of layer-0 q_proj of the shipped checkpoints.
    void goldenCheckpointSums_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("tensor");
        QTest::addColumn<double>("expected");
        QTest::newRow("lqs-llama-13m") << QStringLiteral("lqs-llama-13m")
                                       << QStringLiteral("model.layers.0.self_attn.q_proj.weight") << 2.22148;
        QTest::newRow("lqs-opt-14m") << QStringLiteral("lqs-opt-14m")
                                     << QStringLiteral("model.decoder.layers.0.self_attn.q_proj.weight")
                                     << 2.11382;
    }

    void goldenCheckpointSums()
    {
        QFETCH(QString, model);
        QFETCH(QString, tensor);
        QFETCH(double, expected);
        Expected<std::shared_ptr<Checkpoint>> ckpt
            = Checkpoint::open(QStringLiteral(LQER_SHARED_DIR "/models/") + model);
        QVERIFY2(ckpt.ok(), qPrintable(ckpt.error()));
        Expected<MatrixRM> w = (*ckpt)->readMatrix(tensor);
        QVERIFY2(w.ok(), qPrintable(w.error()));
        const double sse = sumSquaredError(*w, QuantFormat::mxint(4, 8, 16), tensor);
        QVERIFY2(
            std::abs(sse - expected) <= 1e-4 * expected,
            qPrintable(
                QStringLiteral("sum of squared error %1, expected %2").arg(sse, 0, 'g', 8).arg(expected)));
        // Transposed blocking (along the output dimension) must give a different value: the
        // orientation test of NUMERICS.md §1.
        const MatrixRM wt = w->transpose();
        const double wrong = sumSquaredError(wt, QuantFormat::mxint(4, 8, 16), tensor);
        QVERIFY(std::abs(wrong - expected) > 1e-3 * expected);
        // The block explorer's live figure is the same sum.
        Expected<double> live = quantizationSse(*w, QuantFormat::mxint(4, 8, 16), tensor);
        QVERIFY2(live.ok(), qPrintable(live.error()));
        QCOMPARE(*live, sse);
    }

    // The explanation of the NUMERICS.md §2 golden block: E = 0, step 1/8, codes = x̂ / step,
    // the reconstruction equal to the quantizers' output.
    void explainGoldenBlock()
    {
        const QuantFormat f = QuantFormat::mxint(4, 8, 16);
        const QVector<float> x(kGoldenX.begin(), kGoldenX.end());
        Expected<BlockExplanation> e = explainBlock(x, f, QStringLiteral("golden"));
        QVERIFY2(e.ok(), qPrintable(e.error()));
        QCOMPARE(e->shared.exponent, 0);
        QCOMPARE(e->shared.rawExponent, 0);
        QCOMPARE(e->shared.step, 0.125);
        const int codes[16] = {2, 1, 0, 7, 5, 0, 2, 0, 4, 0, 3, 1, 6, 2, 0, 4};
        const std::vector<float> fast = quantizeFast(kGoldenX, f);
        for (int i = 0; i < 16; ++i) {
            QCOMPARE(int(e->elements[i].code), codes[i]);
            QCOMPARE(e->elements[i].reconstructed, fast[size_t(i)]);
        }
        QCOMPARE(e->elements[3].bits, QStringLiteral("0 111")); // 0.9 -> 7/8
        QCOMPARE(e->elements[4].bits, QStringLiteral("1 101")); // -0.61 -> -5/8
        QCOMPARE(e->elements[7].tie, true); // -0.0625 * 8 = 0.5 -> 0 (even)
        QCOMPARE(e->clippedCount, 0);
        QCOMPARE(e->bitsPerElement(), 4.5);
        double sse = 0;
        for (size_t i = 0; i < 16; ++i)
            sse += double(fast[i] - kGoldenX[i]) * double(fast[i] - kGoldenX[i]);
        QVERIFY(std::abs(e->sse - sse) < 1e-12);
    }

    // The power-of-two clip of the ceil exponent, the ties to even, and the same blocks in the
    // OCP convention (floor exponent: no clip) and as INT4 symmetric / asymmetric.
    void explainClipAndTies()
    {
        Expected<BlockExplanation> clip = explainBlock(QVector<float> {1.0f, 0.5f, -0.25f, 0.75f},
                                                       QuantFormat::mxint(4, 8, 16), QStringLiteral("clip"));
        QVERIFY(clip.ok());
        QCOMPARE(clip->shared.exponent, 0);
        QVERIFY(clip->elements[0].clipped);
        QCOMPARE(clip->elements[0].scaled, 8.0);
        QCOMPARE(clip->elements[0].reconstructed, 0.875f);
        QCOMPARE(clip->clippedCount, 1);
        Expected<BlockExplanation> ocp
            = explainBlock(QVector<float> {1.0f, 0.5f, -0.25f, 0.75f},
                           QuantFormat::mxint(4, 8, 16, MxConvention::Ocp), QStringLiteral("ocp"));
        QVERIFY(ocp.ok());
        QCOMPARE(ocp->shared.exponent, 0); // floor(log2 1) = 0, unit 2^-2
        QCOMPARE(ocp->clippedCount, 0);
        QCOMPARE(ocp->elements[0].reconstructed, 1.0f);
        QCOMPARE(ocp->elements[2].bits, QStringLiteral("1111")); // -1 in two's complement

        Expected<BlockExplanation> ties = explainBlock(QVector<float> {0.5625f, 0.1875f, -0.3125f, 0.0625f},
                                                       QuantFormat::mxint(4, 8, 16), QStringLiteral("ties"));
        QVERIFY(ties.ok());
        QCOMPARE(ties->tieCount, 4);
        const int even[4] = {4, 2, 2, 0};
        for (int i = 0; i < 4; ++i)
            QCOMPARE(int(ties->elements[i].code), even[i]);

        const QVector<float> g {-0.6f, 0.2f, 0.9f, 0.0f};
        Expected<BlockExplanation> sym = explainBlock(g, QuantFormat::intSym(4, 4), QStringLiteral("sym"));
        QVERIFY(sym.ok());
        QCOMPARE(sym->shared.maxCode, 7.0);
        QCOMPARE(float(sym->shared.step), halfToFloat(floatToHalf(0.9f / 7.0f)));
        Expected<BlockExplanation> asym = explainBlock(g, QuantFormat::intAsym(4, 4), QStringLiteral("asym"));
        QVERIFY(asym.ok());
        QCOMPARE(asym->shared.zeroPoint, double(std::nearbyint(0.6f / float(asym->shared.step))));
        const std::vector<float> gs(g.begin(), g.end());
        for (const auto *ex : {&*sym, &*asym}) {
            const std::vector<float> ref = quantizeRef(gs, ex->format);
            for (int i = 0; i < 4; ++i)
                QCOMPARE(ex->elements[i].reconstructed, ref[size_t(i)]);
        }
        // Bad input is named.
        Expected<BlockExplanation> nan = explainBlock(QVector<float> {1.0f, std::nanf("")},
                                                      QuantFormat::mxint(4), QStringLiteral("typed values"));
        QVERIFY(!nan.ok());
        QVERIFY(nan.error().contains(QStringLiteral("typed values")));
        QVERIFY(!explainBlock({}, QuantFormat::mxint(4), QStringLiteral("empty")).ok());
    }
};

QTEST_GUILESS_MAIN(TestFormats)
#include "test_formats.moc"
