// PlanOptions: the one rule that turns what a user says about a plan into a Plan.

#include "core/plan/planoptions.h"

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace lqer;

namespace {

const QString kQ = QStringLiteral("model.layers.0.self_attn.q_proj.weight");
const QString kDown = QStringLiteral("model.layers.0.mlp.down_proj.weight");

// A plan with two overrides: q_proj at 8-bit weights, down_proj kept in fp32.
Plan planWithOverrides()
{
    Plan plan = *Plan::fromPreset(QStringLiteral("paper-w4a8"));
    plan.preset.clear();
    LayerPlan q = plan.defaults;
    q.weight = QuantFormat::mxint(8, 8, 16);
    q.rank = 8;
    plan.setLayer(kQ, q);
    LayerPlan down = plan.defaults;
    down.quantize = false;
    plan.setLayer(kDown, down);
    return plan;
}

QString writePlan(const QTemporaryDir &dir, const Plan &plan)
{
    const QString path = dir.filePath(QStringLiteral("plan.json"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    f.write(QJsonDocument(plan.toJson()).toJson());
    return path;
}

} // namespace

class TestPlan : public QObject
{
    Q_OBJECT

private slots:
    void nothingSaidIsTheDefaultPreset()
    {
        const PlanOptions none;
        QVERIFY(!none.isSet());
        QVERIFY(!none.changesLayers());
        auto plan = none.toPlan();
        QVERIFY2(plan, qPrintable(plan.error()));
        QCOMPARE(*plan, *Plan::fromPreset(PlanOptions::defaultPreset()));
        QCOMPARE(plan->preset, QStringLiteral("paper-w4a8"));
    }

    void presetIsKeptWithoutLayerOptions()
    {
        PlanOptions o;
        o.preset = QStringLiteral("w4a6");
        o.attentionMatmuls = true;
        o.svd = SvdBackend::Randomized;
        o.calibrationSamples = 8;
        o.calibrationSeqLen = 128;
        auto plan = o.toPlan();
        QVERIFY2(plan, qPrintable(plan.error()));
        QCOMPARE(plan->preset, QStringLiteral("w4a6"));
        QCOMPARE(plan->defaults, Plan::fromPreset(QStringLiteral("w4a6"))->defaults);
        QVERIFY(plan->quantizeAttentionMatmuls);
        QCOMPARE(plan->svd, SvdBackend::Randomized);
        QCOMPARE(plan->calibration.samples, 8);
        QCOMPARE(plan->calibration.seqLen, 128);
    }

    void calibrationAloneDoesNotAskForAPlan()
    {
        PlanOptions o;
        o.calibrationSamples = 8;
        QVERIFY(!o.isSet());
        o.attentionMatmuls = true;
        QVERIFY(o.isSet());
        PlanOptions named;
        named.planFile = QStringLiteral("x.json");
        QVERIFY(named.isSet());
    }

    void layerOptionsReplaceDefaultsAndEveryOverride()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        PlanOptions o;
        o.planFile = writePlan(dir, planWithOverrides());
        o.method = Method::Lqer;
        o.rank = 16;
        o.act = QuantFormat::mxint(6, 8, 16);
        auto plan = o.toPlan();
        QVERIFY2(plan, qPrintable(plan.error()));
        QVERIFY(plan->preset.isEmpty());
        for (const QString &layer : {QStringLiteral("any.other.weight"), kQ, kDown}) {
            const LayerPlan lp = plan->forLayer(layer);
            QCOMPARE(lp.method, Method::Lqer);
            QCOMPARE(lp.rank, 16);
            QCOMPARE(lp.act, QuantFormat::mxint(6, 8, 16));
        }
        // An override keeps the fields no option names.
        QCOMPARE(plan->forLayer(kQ).weight, QuantFormat::mxint(8, 8, 16));
        QVERIFY(!plan->forLayer(kDown).quantize);
        QCOMPARE(plan->defaults.weight, QuantFormat::mxint(4, 8, 16));
    }

    void layerOptionClearsThePresetName()
    {
        for (const auto &set :
             {+[](PlanOptions &o) { o.method = Method::Lqer; }, +[](PlanOptions &o) { o.rank = 8; },
              +[](PlanOptions &o) { o.weight = QuantFormat::mxint(3, 8, 16); },
              +[](PlanOptions &o) { o.act = QuantFormat::none(); },
              +[](PlanOptions &o) { o.lowRank = QuantFormat::mxint(4, 8, 16); }}) {
            PlanOptions o;
            o.preset = QStringLiteral("paper-w4a8");
            set(o);
            QVERIFY(o.changesLayers());
            auto plan = o.toPlan();
            QVERIFY2(plan, qPrintable(plan.error()));
            QVERIFY(plan->preset.isEmpty());
        }
    }

    void plainHasNoRank()
    {
        PlanOptions o;
        o.method = Method::Plain;
        o.rank = 64;
        auto plan = o.toPlan();
        QVERIFY2(plan, qPrintable(plan.error()));
        QCOMPARE(plan->defaults.method, Method::Plain);
        QCOMPARE(plan->defaults.rank, 0);

        PlanOptions onPlain;
        onPlain.preset = QStringLiteral("plain-w4a8");
        onPlain.rank = 16; // a plain preset stays plain: the rank does not apply
        QCOMPARE(onPlain.toPlan()->defaults.rank, 0);
    }

    void lowRankMethodOnAPlainPresetGetsTheDefaultRank()
    {
        PlanOptions o;
        o.preset = QStringLiteral("plain-w4a8");
        o.method = Method::L2Qer;
        QCOMPARE(o.toPlan()->defaults.rank, PlanOptions::kDefaultRank);
        o.rank = 0; // unless a rank is given
        QCOMPARE(o.toPlan()->defaults.rank, 0);
        o.rank = 8;
        QCOMPARE(o.toPlan()->defaults.rank, 8);
    }

    void planFileLayersAreNotChangedWithoutOptions()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Plan written = planWithOverrides();
        LayerPlan zero = written.defaults;
        zero.method = Method::Lqer;
        zero.rank = 0;
        written.setLayer(QStringLiteral("z.weight"), zero);
        PlanOptions o;
        o.planFile = writePlan(dir, written);
        auto plan = o.toPlan();
        QVERIFY2(plan, qPrintable(plan.error()));
        QCOMPARE(*plan, written);
    }

    void withMethodSetsEveryLayerAndKeepsThePreset()
    {
        Plan base = planWithOverrides();
        base.preset = QStringLiteral("paper-w4a8");
        const Plan plain = withMethod(base, Method::Plain);
        QCOMPARE(plain.preset, QStringLiteral("paper-w4a8"));
        QCOMPARE(plain.forLayer(kQ).method, Method::Plain);
        QCOMPARE(plain.forLayer(kQ).rank, 0);
        QCOMPARE(plain.defaults.rank, 0);
        const Plan back = withMethod(plain, Method::Lqer);
        QCOMPARE(back.defaults.rank, PlanOptions::kDefaultRank);
        QCOMPARE(back.forLayer(kQ).rank, PlanOptions::kDefaultRank);
        QCOMPARE(withMethod(base, Method::QeraExact).forLayer(kQ).rank, 8);
    }

    void errors()
    {
        PlanOptions both;
        both.preset = QStringLiteral("paper-w4a8");
        both.planFile = QStringLiteral("plan.json");
        QVERIFY(!both.toPlan());

        PlanOptions unknown;
        unknown.preset = QStringLiteral("no-such-preset");
        auto u = unknown.toPlan();
        QVERIFY(!u);
        QVERIFY2(u.error().contains(QStringLiteral("no-such-preset")), qPrintable(u.error()));

        PlanOptions negative;
        negative.rank = -1;
        QVERIFY(!negative.toPlan());
        PlanOptions noSamples;
        noSamples.calibrationSamples = 0;
        QVERIFY(!noSamples.toPlan());

        PlanOptions missing;
        missing.planFile = QStringLiteral("/no/such/dir/plan.json");
        auto m = missing.toPlan();
        QVERIFY(!m);
        QVERIFY2(m.error().contains(QStringLiteral("/no/such/dir/plan.json")), qPrintable(m.error()));
    }

    void presetsAreListedWithDescriptions()
    {
        QVERIFY(PlanOptions::presetNames().contains(PlanOptions::defaultPreset()));
        for (const QString &name : PlanOptions::presetNames()) {
            QVERIFY2(!PlanOptions::presetDescription(name).isEmpty(), qPrintable(name));
            PlanOptions o;
            o.preset = name;
            QVERIFY2(o.toPlan(), qPrintable(name));
        }
    }
};

QTEST_GUILESS_MAIN(TestPlan)
#include "test_plan.moc"
