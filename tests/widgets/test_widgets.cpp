// The reusable views with synthetic data: aggregation, hover text, sorting, click selection,
// export to PNG/SVG/PDF. Runs under QT_QPA_PLATFORM=offscreen.

#include "widgets/costpanel.h"
#include "widgets/errorheatmap.h"
#include "widgets/heatmapgrid.h"
#include "widgets/layererrorchart.h"
#include "widgets/ranksweepplot.h"
#include "widgets/runcomparison.h"
#include "widgets/spectrumplot.h"

#include <QFile>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace lqer;

class TestWidgets : public QObject
{
    Q_OBJECT

private slots:
    void heatmapGridAggregates();
    void heatmapGridFullResolution();
    void heatmapTooltipAndStages();
    void spectrumTooltipAndRank();
    void layerChartSortAndClick();
    void rankSweepPoints();
    void costPanelValues();
    void exportFormats();
    void exportBadSuffix();
    void runComparisonTablesAndChart();
};

void TestWidgets::heatmapGridAggregates()
{
    // 5 x 7 matrix, maxCells 3 -> cell = ceil(7/3) = 3: grid 2 x 3, last cells partial.
    std::vector<float> m(5 * 7);
    for (int r = 0; r < 5; ++r)
        for (int c = 0; c < 7; ++c)
            m[size_t(r * 7 + c)] = float((r * 7 + c) * (c % 2 ? -1 : 1));
    const HeatmapGrid g = makeHeatmapGrid(m.data(), 5, 7, 3);
    QCOMPARE(g.rows, 2);
    QCOMPARE(g.cols, 3);
    QCOMPARE(g.cellRows, 3);
    QVERIFY(g.isAggregated());
    // Cell (0,0): rows 0-2, cols 0-2 -> |values| 0,1,2,7,8,9,14,15,16: mean 8, max 16.
    QCOMPARE(g.meanAt(0, 0), 8.0);
    QCOMPARE(g.maxAt(0, 0), 16.0);
    // Cell (1,2): rows 3-4, col 6 only -> 27, 34: mean 30.5, max 34.
    QCOMPARE(g.meanAt(1, 2), 30.5);
    QCOMPARE(g.maxAt(1, 2), 34.0);
}

void TestWidgets::heatmapGridFullResolution()
{
    const float m[] = {-1.f, 2.f, -3.f, 4.f};
    const HeatmapGrid g = makeHeatmapGrid(m, 2, 2, 512);
    QVERIFY(!g.isAggregated());
    QCOMPARE(g.meanAt(1, 0), 3.0);
    QVERIFY(makeHeatmapGrid(nullptr, 2, 2).isEmpty());
}

void TestWidgets::heatmapTooltipAndStages()
{
    ErrorHeatmapPanel panel;
    panel.resize(600, 500);
    panel.show();
    ErrorHeatmap *h = panel.heatmap();
    QVERIFY(!h->hasData());
    std::vector<float> before(64 * 64, 0.5f), after(64 * 64, 0.125f);
    h->setData(QStringLiteral("layer"), makeHeatmapGrid(before.data(), 64, 64),
               makeHeatmapGrid(after.data(), 64, 64));
    QVERIFY(h->hasData());
    QCOMPARE(h->stage(), ErrorHeatmap::Stage::After);
    // One colour range for both stages: the larger (before).
    QCOMPARE(h->dataRange().upper, 0.5);
    h->replot();
    const QRect r = h->axisRect()->rect();
    const QString tip = h->toolTipAt(QPointF(r.center()));
    QVERIFY2(tip.contains(QStringLiteral("0.125")), qPrintable(tip));
    h->setStage(ErrorHeatmap::Stage::Before);
    QVERIFY(h->toolTipAt(QPointF(r.center())).contains(QStringLiteral("0.5")));
    QVERIFY(h->toolTipAt(QPointF(-5, -5)).isEmpty());
}

void TestWidgets::spectrumTooltipAndRank()
{
    SpectrumPlot plot;
    plot.resize(600, 400);
    plot.show();
    QVERIFY(!plot.hasData());
    QVector<double> a, b;
    for (int i = 0; i < 100; ++i) {
        a << 1.0 / (i + 1);
        b << 2.0 / (i + 1);
    }
    b[99] = 0; // a zero singular value must not break the log axis
    plot.setSeries({{QStringLiteral("LQER"), a}, {QStringLiteral("L2QER"), b}});
    plot.setRank(32);
    plot.replot();
    QVERIFY(plot.hasData());
    QCOMPARE(plot.graphCount(), 2);
    QCOMPARE(plot.graph(1)->dataCount(), 99);
    const double px = plot.xAxis->coordToPixel(10);
    const double py = plot.yAxis->coordToPixel(0.1);
    const QString tip = plot.toolTipAt(QPointF(px, py));
    QVERIFY2(tip.contains(QStringLiteral("index 10")) && tip.contains(QStringLiteral("LQER: 0.1")),
             qPrintable(tip));
    QVERIFY(tip.contains(QStringLiteral("rank-32")));
    plot.setReference(QVector<double>(100, 0.05), QStringLiteral("MP"));
    QCOMPARE(plot.graphCount(), 3);
    plot.setReferenceVisible(false);
    QCOMPARE(plot.graphCount(), 2);
}

void TestWidgets::layerChartSortAndClick()
{
    LayerErrorChart chart;
    chart.resize(700, 400);
    chart.show();
    const QStringList layers {QStringLiteral("model.layers.0.self_attn.q_proj.weight"),
                              QStringLiteral("model.layers.0.mlp.down_proj.weight"),
                              QStringLiteral("model.layers.1.self_attn.q_proj.weight")};
    chart.setData(layers, {{QStringLiteral("plain"), {3, 5, 4}}, {QStringLiteral("after"), {1, 3, 2}}});
    QCOMPARE(chart.displayedLayers(), layers);
    chart.setOrder(LayerErrorChart::Order::Descending);
    QCOMPARE(chart.displayedLayers(), (QStringList {layers[1], layers[2], layers[0]}));
    QCOMPARE(LayerErrorChart::shortLayerName(layers[1]), QStringLiteral("L0 down"));
    chart.replot();
    QSignalSpy spy(&chart, &LayerErrorChart::layerClicked);
    // Click on the bar at display position 1 (layers[2] after sorting).
    const QPoint p(int(chart.xAxis->coordToPixel(1)), int(chart.yAxis->coordToPixel(0.5)));
    QTest::mouseClick(&chart, Qt::LeftButton, {}, p);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.first().first().toString(), layers[2]);
    QCOMPARE(chart.selectedLayer(), layers[2]);
    QVERIFY(chart.toolTipAt(QPointF(p)).contains(QStringLiteral("after: 2")));
}

void TestWidgets::rankSweepPoints()
{
    RankSweepPlot plot;
    plot.resize(600, 400);
    plot.show();
    plot.addPoint(QStringLiteral("L2QER"), 64, 13.3);
    plot.addPoint(QStringLiteral("L2QER"), 8, 14.1);
    plot.addPoint(QStringLiteral("L2QER"), 32, 13.5);
    plot.addPoint(QStringLiteral("L2QER"), 32, 13.45, 0.07); // replaces, with its σ
    QCOMPARE(plot.series().size(), 1);
    QCOMPARE(plot.series().first().ranks, (QVector<double> {8, 32, 64}));
    QCOMPARE(plot.series().first().perplexities[1], 13.45);
    QCOMPARE(plot.series().first().errors, (QVector<double> {0, 0.07, 0}));
    plot.setFp32Reference(13.1246);
    plot.setPlainReference(15.0);
    QCOMPARE(plot.graphCount(), 3);
    plot.replot();
    const QPointF p(plot.xAxis->coordToPixel(32), plot.yAxis->coordToPixel(13.45));
    const QString tip = plot.toolTipAt(p);
    QVERIFY2(tip.contains(QStringLiteral("k = 32")) && tip.contains(QStringLiteral("13.450")),
             qPrintable(tip));
    QVERIFY(tip.contains(QStringLiteral("+0.325")));
    QVERIFY2(tip.contains(QStringLiteral("± 0.070")), qPrintable(tip));
    // The σ are drawn as error bars on the series' graph.
    int bars = 0;
    for (int i = 0; i < plot.plottableCount(); ++i)
        if (auto *e = qobject_cast<QCPErrorBars *>(plot.plottable(i))) {
            ++bars;
            QCOMPARE(e->dataPlottable(), plot.graph(0));
            QCOMPARE(e->data()->at(1).errorPlus, 0.07);
        }
    QCOMPARE(bars, 1);
}

void TestWidgets::costPanelValues()
{
    CostPanel panel;
    QVERIFY(!panel.hasData());
    CostSummary s;
    s.planLabel = QStringLiteral("paper-w4a8");
    s.modelBits = 4.5;
    s.areaRatio = 0.33;
    s.layers = QStringList {QStringLiteral("a"), QStringLiteral("b")};
    s.layerBits = {4.5, 4.25};
    panel.setSummary(s);
    QVERIFY(panel.hasData());
    QCOMPARE(panel.valueText(QStringLiteral("bits")), QStringLiteral("4.500"));
    QCOMPARE(panel.valueText(QStringLiteral("area")), QStringLiteral("0.33×"));
    QCOMPARE(panel.valueText(QStringLiteral("ppl")), QStringLiteral("—"));
    QVERIFY(panel.chart()->hasData());
}

void TestWidgets::exportFormats()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    SpectrumPlot plot;
    plot.resize(500, 350);
    plot.setSeries({{QStringLiteral("LQER"), {1.0, 0.5, 0.25}}});
    for (const char *suffix : {"png", "svg", "pdf"}) {
        const QString path = dir.filePath(QStringLiteral("plot.%1").arg(QLatin1String(suffix)));
        const Status s = plot.exportTo(path);
        QVERIFY2(s.ok(), qPrintable(s.error()));
        QVERIFY2(QFile(path).size() > 1000, suffix);
    }
    QFile svg(dir.filePath(QStringLiteral("plot.svg")));
    QVERIFY(svg.open(QIODevice::ReadOnly));
    QVERIFY(svg.readAll().contains("<svg"));
    QFile pdf(dir.filePath(QStringLiteral("plot.pdf")));
    QVERIFY(pdf.open(QIODevice::ReadOnly));
    QVERIFY(pdf.read(5) == "%PDF-");
}

void TestWidgets::exportBadSuffix()
{
    SpectrumPlot plot;
    const Status s = plot.exportTo(QStringLiteral("/tmp/x.bmpx"));
    QVERIFY(!s.ok());
    QVERIFY(s.error().contains(QStringLiteral("x.bmpx")));
    const Status s2 = plot.exportTo(QStringLiteral("/nonexistent-dir/sub/x.png"));
    QVERIFY(!s2.ok());
    QVERIFY(s2.error().contains(QStringLiteral("/nonexistent-dir/sub/x.png")));
}

void TestWidgets::runComparisonTablesAndChart()
{
    RunComparisonView view;
    QVERIFY(!view.hasData());
    RunComparison c;
    c.labelA = QStringLiteral("run 1");
    c.labelB = QStringLiteral("run 2");
    c.layers = {QStringLiteral("model.layers.0.self_attn.q_proj.weight"),
                QStringLiteral("model.layers.0.mlp.down_proj.weight"),
                QStringLiteral("model.layers.1.self_attn.q_proj.weight")};
    c.metrics = {RunComparisonMetric {QStringLiteral("e_a"), {2.0, 4.0, 1.0}, {1.0, 5.0, NAN}},
                 RunComparisonMetric {QStringLiteral("rel"), {0.2, 0.4, 0.1}, {0.1, 0.5, NAN}}};
    c.perplexities = {ComparedPerplexity {QStringLiteral("fp32"), 7.0, 7.0},
                      ComparedPerplexity {QStringLiteral("quantized"), 7.5, std::nullopt}};
    view.setComparison(c);
    QVERIFY(view.hasData());
    // Per layer: A, B, B - A, B / A; a layer missing from B shows a dash, not a number.
    QTableWidget *t = view.layerTable();
    QCOMPARE(t->rowCount(), 3);
    QCOMPARE(t->item(0, 0)->text(), QStringLiteral("L0 q"));
    QCOMPARE(t->item(0, 0)->data(Qt::UserRole).toString(), c.layers[0]);
    QCOMPARE(t->item(0, 3)->data(Qt::UserRole).toDouble(), -1.0);
    QCOMPARE(t->item(0, 4)->data(Qt::UserRole).toDouble(), 0.5);
    QCOMPARE(t->item(1, 4)->data(Qt::UserRole).toDouble(), 1.25);
    QCOMPARE(t->item(2, 2)->text(), QStringLiteral("—"));
    // The chart shows both runs as grouped bars.
    QVERIFY(view.chart()->hasData());
    QCOMPARE(view.chart()->plottableCount(), 2);
    QCOMPARE(view.chart()->displayedLayers(), c.layers);
    // Switching the metric redraws table and chart from the other series.
    view.setMetric(1);
    QCOMPARE(t->item(1, 1)->data(Qt::UserRole).toDouble(), 0.4);
    QCOMPARE(view.chart()->yAxis->label(), QStringLiteral("rel"));
    // Perplexities, with the missing value shown as such.
    QTableWidget *p = view.perplexityTable();
    QCOMPARE(p->rowCount(), 2);
    QCOMPARE(p->item(0, 3)->data(Qt::UserRole).toDouble(), 0.0);
    QCOMPARE(p->item(1, 2)->text(), QStringLiteral("—"));
    // A click on a row names the layer.
    QSignalSpy spy(&view, &RunComparisonView::layerClicked);
    t->setCurrentCell(2, 0);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.first().first().toString(), c.layers[2]);
    view.clear();
    QVERIFY(!view.hasData());
    QCOMPARE(t->rowCount(), 0);
}

QTEST_MAIN(TestWidgets)
#include "test_widgets.moc"
