// Bit accounting and the circuit-area model (NUMERICS.md §8).

#include "core/cost/cost.h"

#include <QTest>

using namespace lqer;

namespace {

// LLaMA-2-7B's linear shapes per block: q, k, v, o (4096 x 4096), gate, up (4096 -> 11008),
// down (11008 -> 4096); 32 blocks.
QList<LayerShape> llama7bLayers()
{
    QList<LayerShape> layers;
    for (int b = 0; b < 32; ++b) {
        const QString p = QStringLiteral("model.layers.%1.").arg(b);
        for (const char *n : {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj"})
            layers << LayerShape {p + QLatin1String(n) + QStringLiteral(".weight"), 4096, 4096};
        layers << LayerShape {p + QStringLiteral("mlp.gate_proj.weight"), 4096, 11008};
        layers << LayerShape {p + QStringLiteral("mlp.up_proj.weight"), 4096, 11008};
        layers << LayerShape {p + QStringLiteral("mlp.down_proj.weight"), 11008, 4096};
    }
    return layers;
}

Plan paperPlanE4()
{
    Plan plan = *Plan::fromPreset(QStringLiteral("paper-w4a8"));
    plan.defaults.weight = QuantFormat::mxint(4, 4, 16); // the paper's 4-bit weight exponent
    plan.defaults.lowRank = QuantFormat::mxint(8, 4, 16);
    return plan;
}

} // namespace

class TestCost : public QObject
{
    Q_OBJECT

private slots:
    void formatBits()
    {
        QCOMPARE(QuantFormat::mxint(4, 4, 16).bitsPerElement(), 4.25); // w + e/B
        QCOMPARE(QuantFormat::mxint(8, 8, 16).bitsPerElement(), 8.5);
    }

    // Hand-computed: 4096 x 4096, k = 32, W = MXINT(4,4,16), A/B = MXINT(8,4,16):
    // b = 4.25 + 32*8192*8.25/4096^2 = 4.37890625; b' = (4096^2*4.25 + 262144*8.25)/(4096^2 + 262144).
    void layerFormula()
    {
        const Plan plan = paperPlanE4();
        const LayerBits b = layerBits(4096, 4096, plan.defaults);
        QCOMPARE(b.bitsPerWeight, 4.37890625);
        const double mn = 4096.0 * 4096.0, lr = 32.0 * 8192.0;
        QCOMPARE(b.paperBits, (mn * 4.25 + lr * 8.25) / (mn + lr));
        QCOMPARE(b.bits, mn * 4.25 + lr * 8.25);

        LayerPlan plain = plan.defaults;
        plain.method = Method::Plain;
        QCOMPARE(layerBits(4096, 4096, plain).bitsPerWeight, 4.25);
        LayerPlan off = plan.defaults;
        off.quantize = false;
        QCOMPARE(layerBits(10, 20, off).bitsPerWeight, 16.0);
        LayerPlan huge = plan.defaults;
        huge.rank = 100000; // rank is capped at min(m, n)
        QCOMPARE(layerBits(8, 4, huge).bits, 32 * 4.25 + (8 * 4 + 4 * 4) * 8.25);
    }

    // NUMERICS.md §8: the paper's spreadsheet gives 4.30 for LLaMA-2-7B at k = 32, e = 4; our
    // per-weight figure is sum(bits)/sum(weights).
    void llama7bModelFigures()
    {
        const ModelBits bits = modelBits(llama7bLayers(), paperPlanE4());
        QCOMPARE(QString::number(bits.paperAverage, 'f', 2), QStringLiteral("4.30"));
        QVERIFY2(std::abs(bits.bitsPerWeight - 4.352) < 0.001,
                 qPrintable(QString::number(bits.bitsPerWeight, 'f', 5)));
        QCOMPARE(bits.originalWeights, qint64(32) * (4 * 4096 * 4096 + 3 * 4096 * 11008));
    }

    // The area model against Table III. Designs with integer (or MX) MACs are within 25% of the
    // published ratio; weight-only designs are above FP16 as in the paper (our model does not
    // reproduce the size of their overhead: docs/COST_MODEL.md discusses the gap).
    void areaAgainstTable3()
    {
        const QList<HardwareDesign> designs = paperTable3Designs();
        QCOMPARE(designs.size(), 9);
        QMap<QString, double> ours;
        for (const HardwareDesign &d : designs) {
            const double r = areaRelativeToFp16(d);
            ours.insert(d.name, r);
            qInfo("%-32s ours %6.3fx  paper %6.2fx", qPrintable(d.name), r, d.paperRatio);
            if (d.kind == DesignKind::IntegerMac) {
                QVERIFY2(
                    std::abs(r - d.paperRatio) <= 0.25 * d.paperRatio,
                    qPrintable(QStringLiteral("%1: %2 vs paper %3").arg(d.name).arg(r).arg(d.paperRatio)));
                QVERIFY(r < 1.0);
            } else if (d.kind != DesignKind::Fp16) {
                QVERIFY2(r > 1.0, qPrintable(d.name));
            }
        }
        QCOMPARE(ours.value(QStringLiteral("FP16")), 1.0);
        // Orderings of Table III.
        QVERIFY(ours.value(QStringLiteral("L\u00b2QER-MXINT W4A6"))
                < ours.value(QStringLiteral("L\u00b2QER-MXINT W4A8")));
        QVERIFY(ours.value(QStringLiteral("L\u00b2QER-MXINT W4A8"))
                < ours.value(QStringLiteral("AQAS W4A8")));
        QVERIFY(ours.value(QStringLiteral("L\u00b2QER-MXINT W4A8"))
                < ours.value(QStringLiteral("OmniQuant W6A6")));
        QVERIFY(ours.value(QStringLiteral("LLM.int4()"))
                > ours.value(QStringLiteral("GPTQ/AWQ INT4 g128 (w-only)")));
    }

    void planDesign()
    {
        QList<LayerShape> layers = llama7bLayers();
        const Plan plan = *Plan::fromPreset(QStringLiteral("paper-w4a8"));
        const HardwareDesign d = designForPlan(plan, layers);
        QCOMPARE(d.kind, DesignKind::IntegerMac);
        QVERIFY(d.sharedExponent);
        QVERIFY(d.lowRankFraction > 0.005 && d.lowRankFraction < 0.02);
        const Plan wonly = *Plan::fromPreset(QStringLiteral("int4-g128-w-only"));
        QCOMPARE(designForPlan(wonly, layers).kind, DesignKind::WeightOnlyInt);
        QVERIFY(areaRelativeToFp16(designForPlan(*Plan::fromPreset(QStringLiteral("w4a6")), layers))
                < areaRelativeToFp16(d));
    }
};

QTEST_GUILESS_MAIN(TestCost)
#include "test_cost.moc"
