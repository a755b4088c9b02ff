// The studio end to end under QT_QPA_PLATFORM=offscreen: open lqs-llama-13m, edit the plan and
// undo it, run an analysis to completion and cancel another midway, check that the views got
// data; open a LLaMA-7B-shaped sparse checkpoint (headers only) in well under a second.

#include "app/studio/document.h"
#include "app/studio/jobs.h"
#include "app/studio/layermodels.h"
#include "app/studio/mainwindow.h"
#include "app/studio/planeditor.h"
#include "widgets/costpanel.h"
#include "widgets/errorheatmap.h"
#include "widgets/layererrorchart.h"
#include "widgets/spectrumplot.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QMenuBar>
#include <QThread>

#include <cmath>

using namespace lqer;

static const QString kModel = QStringLiteral(LQER_SHARED_DIR "/models/lqs-llama-13m");
static const QString kQProj = QStringLiteral("model.layers.0.self_attn.q_proj.weight");

namespace {

// Writes one safetensors shard whose data section is a hole (QFile::resize): only the header
// takes disk space.
bool writeSparseShard(const QString &path, const QList<QPair<QString, QList<qint64>>> &tensors)
{
    QJsonObject header;
    qint64 offset = 0;
    for (const auto &t : tensors) {
        qint64 n = 2; // F16
        QJsonArray shape;
        for (qint64 d : t.second) {
            n *= d;
            shape.append(d);
        }
        header.insert(t.first,
                      QJsonObject {{QStringLiteral("dtype"), QStringLiteral("F16")},
                                   {QStringLiteral("shape"), shape},
                                   {QStringLiteral("data_offsets"), QJsonArray {offset, offset + n}}});
        offset += n;
    }
    QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
    while (json.size() % 8)
        json.append(' ');
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    const quint64 len = quint64(json.size());
    char le[8];
    for (int i = 0; i < 8; ++i)
        le[i] = char((len >> (8 * i)) & 0xff);
    f.write(le, 8);
    f.write(json);
    return f.resize(8 + json.size() + offset);
}

// A LLaMA-7B-shaped checkpoint: hidden 4096, 32 layers, intermediate 11008, vocab 32000, fp16,
// two shards + model.safetensors.index.json.
bool writeSparseLlama7b(const QString &dir)
{
    const qint64 h = 4096, inter = 11008, vocab = 32000;
    QJsonObject config {{QStringLiteral("model_type"), QStringLiteral("llama")},
                        {QStringLiteral("hidden_size"), h},
                        {QStringLiteral("intermediate_size"), inter},
                        {QStringLiteral("num_hidden_layers"), 32},
                        {QStringLiteral("num_attention_heads"), 32},
                        {QStringLiteral("num_key_value_heads"), 32},
                        {QStringLiteral("vocab_size"), vocab},
                        {QStringLiteral("max_position_embeddings"), 4096},
                        {QStringLiteral("rms_norm_eps"), 1e-5},
                        {QStringLiteral("torch_dtype"), QStringLiteral("float16")}};
    QFile cf(dir + QStringLiteral("/config.json"));
    if (!cf.open(QIODevice::WriteOnly))
        return false;
    cf.write(QJsonDocument(config).toJson());
    cf.close();
    QList<QPair<QString, QList<qint64>>> shards[2];
    QJsonObject weightMap;
    auto add = [&](int shard, const QString &name, QList<qint64> shape) {
        shards[shard].append({name, shape});
        weightMap.insert(
            name, QStringLiteral("model-%1-of-00002.safetensors").arg(shard + 1, 5, 10, QLatin1Char('0')));
    };
    add(0, QStringLiteral("model.embed_tokens.weight"), {vocab, h});
    for (int l = 0; l < 32; ++l) {
        const int s = l < 16 ? 0 : 1;
        const QString p = QStringLiteral("model.layers.%1.").arg(l);
        for (const char *n : {"q_proj", "k_proj", "v_proj", "o_proj"})
            add(s, p + QStringLiteral("self_attn.%1.weight").arg(QLatin1String(n)), {h, h});
        add(s, p + QStringLiteral("mlp.gate_proj.weight"), {inter, h});
        add(s, p + QStringLiteral("mlp.up_proj.weight"), {inter, h});
        add(s, p + QStringLiteral("mlp.down_proj.weight"), {h, inter});
        add(s, p + QStringLiteral("input_layernorm.weight"), {h});
        add(s, p + QStringLiteral("post_attention_layernorm.weight"), {h});
    }
    add(1, QStringLiteral("model.norm.weight"), {h});
    add(1, QStringLiteral("lm_head.weight"), {vocab, h});
    for (int s = 0; s < 2; ++s)
        if (!writeSparseShard(
                dir + QStringLiteral("/model-%1-of-00002.safetensors").arg(s + 1, 5, 10, QLatin1Char('0')),
                shards[s]))
            return false;
    QFile idx(dir + QStringLiteral("/model.safetensors.index.json"));
    if (!idx.open(QIODevice::WriteOnly))
        return false;
    idx.write(QJsonDocument(QJsonObject {{QStringLiteral("metadata"), QJsonObject {}},
                                         {QStringLiteral("weight_map"), weightMap}})
                  .toJson());
    return true;
}

} // namespace

class TestStudio : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void openIsFastAndHeaderOnly();
    void openSparse7b();
    void openErrorNamesPath();
    void planEditAndUndo();
    void analysisCompletesAndViewsReceiveData();
    void cancelMidway();
    void newestRequestWins();
    void layerFilter();
    void marchenkoPasturQuantiles();
    void germanTranslation();
};

void TestStudio::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // keep the user's settings untouched
    QSettings().clear();
    QVERIFY2(QFile::exists(kModel + QStringLiteral("/config.json")), qPrintable(kModel));
}

void TestStudio::openIsFastAndHeaderOnly()
{
    QElapsedTimer t;
    t.start();
    auto doc = Document::open(kModel);
    const double ms = t.nsecsElapsed() / 1e6;
    QVERIFY2(doc.ok(), qPrintable(doc.error()));
    qInfo("lqs-llama-13m: %d layers listed in %.2f ms", int((*doc)->layers().size()), ms);
    QCOMPARE((*doc)->layers().size(), 42); // 6 blocks x 7 linears
    QVERIFY(ms < 1000);
    const LinearLayerInfo *q = (*doc)->layer(kQProj);
    QVERIFY(q);
    QCOMPARE(q->inFeatures, 384);
    QCOMPARE(q->outFeatures, 384);
}

void TestStudio::openSparse7b()
{
    QTemporaryDir dir;
    QVERIFY(writeSparseLlama7b(dir.path()));
    MainWindow window;
    window.setQuietErrors(true);
    QElapsedTimer t;
    t.start();
    const Status s = window.openCheckpoint(dir.path(), true);
    const double ms = t.nsecsElapsed() / 1e6;
    QVERIFY2(s.ok(), qPrintable(s.error()));
    qInfo("LLaMA-7B-shaped sparse checkpoint: %d layers listed in the window in %.2f ms (document open %.2f "
          "ms)",
          int(window.document()->layers().size()), ms, window.document()->openSeconds() * 1000.0);
    QCOMPARE(window.document()->layers().size(), 224);
    QVERIFY(ms < 1000);
    QCOMPARE(window.document()->checkpoint()->parameterCount(), qint64(6738415616));
    const LinearLayerInfo *down
        = window.document()->layer(QStringLiteral("model.layers.31.mlp.down_proj.weight"));
    QVERIFY(down);
    QCOMPARE(down->inFeatures, 11008);
}

void TestStudio::openErrorNamesPath()
{
    MainWindow window;
    window.setQuietErrors(true);
    const Status s = window.openCheckpoint(QStringLiteral("/nonexistent/model"), true);
    QVERIFY(!s.ok());
    QVERIFY2(s.error().contains(QStringLiteral("/nonexistent/model")), qPrintable(s.error()));
}

void TestStudio::planEditAndUndo()
{
    MainWindow window;
    QVERIFY(window.openCheckpoint(kModel, true).ok());
    Document *doc = window.document();
    const Plan original = doc->plan();
    PlanEditor *editor = window.planEditor();
    // Multi-select rows 0..2 and edit the rank of one of them: all three change, one undo step.
    QTableView *table = editor->table();
    table->selectionModel()->select(
        QItemSelection(editor->model()->index(0, 0), editor->model()->index(2, 0)),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QVERIFY(editor->model()->setData(editor->model()->index(1, PlanTableModel::Rank), 64, Qt::EditRole));
    for (int r = 0; r < 3; ++r)
        QCOMPARE(doc->plan().forLayer(doc->layers()[r].weightName).rank, 64);
    QCOMPARE(doc->plan().forLayer(doc->layers()[3].weightName).rank, original.defaults.rank);
    QCOMPARE(doc->undoStack()->count(), 1);
    // Invalid edits are refused and push nothing.
    QVERIFY(!editor->model()->setData(editor->model()->index(0, PlanTableModel::Method_),
                                      QStringLiteral("bogus"), Qt::EditRole));
    QCOMPARE(doc->undoStack()->count(), 1);
    // Bits per weight follow the plan: a larger rank costs more.
    const double bits64 = doc->layerBits(doc->layers()[0]);
    doc->undoStack()->undo();
    QVERIFY(doc->plan() == original);
    QVERIFY(doc->layerBits(doc->layers()[0]) < bits64);
    doc->undoStack()->redo();
    QCOMPARE(doc->plan().forLayer(doc->layers()[0].weightName).rank, 64);
    // A preset is one undoable edit too.
    editor->applyPreset(QStringLiteral("w2a8-k256"));
    QCOMPARE(doc->plan().defaults.rank, 256);
    doc->undoStack()->undo();
    QCOMPARE(doc->plan().forLayer(doc->layers()[0].weightName).rank, 64);
}

void TestStudio::analysisCompletesAndViewsReceiveData()
{
    MainWindow window;
    window.resize(1400, 900);
    window.show();
    QVERIFY(window.openCheckpoint(kModel, true).ok());
    window.setQuietErrors(true);
    QVERIFY(!window.spectrumPlot()->hasData());
    window.quantizeModel();
    QVERIFY(window.runner()->waitForIdle(120000));
    QVERIFY2(window.lastError().isEmpty(), qPrintable(window.lastError()));
    Document *doc = window.document();
    QCOMPARE(doc->results().size(), 42);
    const LayerResult *r = doc->result(kQProj);
    QVERIFY(r);
    // Without statistics L²QER falls back to LQER; the low-rank term must reduce the error.
    QCOMPARE(r->method, Method::Lqer);
    QCOMPARE(r->metrics.rank, 32);
    QVERIFY(r->metrics.meanAbsError < r->metrics.plainMeanAbsError);
    // GOLDEN.md: Σ (W − Wq)² of this layer at MXINT(4,8,16) is 2.22148 (±1e-4 relative).
    QVERIFY2(std::abs(r->metrics.quantFrobError * r->metrics.quantFrobError - 2.22148) < 2.22148 * 1e-4,
             qPrintable(QString::number(r->metrics.quantFrobError * r->metrics.quantFrobError, 'g', 8)));
    qInfo("whole-model job: longest event-loop stall %.1f ms", window.lastJobMaxStallMs());
    QVERIFY(window.stallMonitor()->ticks() > 0);

    // Views: per-layer chart and cost panel from the results, spectrum and heatmap from a detail job.
    QTRY_VERIFY(window.layerErrorChart()->hasData());
    QCOMPARE(window.layerErrorChart()->displayedLayers().size(), 42);
    QVERIFY(window.costPanel()->hasData());
    QVERIFY(window.costPanel()->valueText(QStringLiteral("bits")) != QStringLiteral("—"));
    window.selectLayer(kQProj);
    QVERIFY(window.runner()->waitForIdle(60000));
    QVERIFY(window.spectrumPlot()->hasData());
    QCOMPARE(window.spectrumPlot()->rank(), 32);
    QCOMPARE(window.spectrumPlot()->series().first().values.size(), 384);
    ErrorHeatmap *heat = window.heatmapPanel()->heatmap();
    QVERIFY(heat->hasData());
    QCOMPARE(heat->grid(ErrorHeatmap::Stage::Before).sourceRows, 384);
    // Wq + AB leaves less error than Wq alone, cell by cell on average.
    double before = 0, after = 0;
    for (double v : heat->grid(ErrorHeatmap::Stage::Before).mean)
        before += v;
    for (double v : heat->grid(ErrorHeatmap::Stage::After).mean)
        after += v;
    QVERIFY(after < before);
    // The layer browser shows the metrics.
    QVERIFY(window.layerTree()->model()->rowCount() == 6);
    // Session hook.
    QCOMPARE(doc->toJson().value(QStringLiteral("results")).toArray().size(), 42);
}

void TestStudio::cancelMidway()
{
    MainWindow window;
    QVERIFY(window.openCheckpoint(kModel, true).ok());
    window.setQuietErrors(true);
    bool cancelled = false;
    double finishedAt = 0;
    QElapsedTimer clock;
    connect(window.runner(), &JobRunner::finished, this,
            [&](const QString &, bool, bool c, const QString &, double) {
                cancelled = c;
                finishedAt = clock.nsecsElapsed() / 1e6;
            });
    window.quantizeModel();
    // Wait for the first results, then cancel.
    QTRY_VERIFY_WITH_TIMEOUT(window.document()->results().size() >= 2, 60000);
    clock.start();
    window.cancelJob();
    QVERIFY(window.runner()->waitForIdle(30000));
    QVERIFY(cancelled);
    const int done = int(window.document()->results().size());
    qInfo("cancelled after %d of 42 layers; stopped %.0f ms after the request", done, finishedAt);
    QVERIFY(done < 42);
    QVERIFY(finishedAt < 5000);
    QVERIFY(!window.runner()->isRunning());
}

void TestStudio::newestRequestWins()
{
    JobRunner runner;
    QStringList finished;
    connect(&runner, &JobRunner::finished, this,
            [&](const QString &title, bool ok, bool c, const QString &, double) {
                finished << QStringLiteral("%1:%2").arg(
                    title,
                    ok ? QStringLiteral("ok") : (c ? QStringLiteral("cancelled") : QStringLiteral("failed")));
            });
    auto slow = [](JobContext &ctx) -> Status {
        for (int i = 0; i < 1000; ++i) {
            if (!ctx.progress(i / 1000.0, QString()))
                return Status::success();
            QThread::msleep(5);
        }
        return Status::success();
    };
    runner.start(QStringLiteral("a"), slow);
    runner.start(QStringLiteral("b"), [](JobContext &) { return Status::success(); });
    QVERIFY(runner.waitForIdle(10000));
    QCOMPARE(finished, (QStringList {QStringLiteral("a:cancelled"), QStringLiteral("b:ok")}));
}

void TestStudio::layerFilter()
{
    MainWindow window;
    QVERIFY(window.openCheckpoint(kModel, true).ok());
    QAbstractItemModel *m = window.layerTree()->model();
    window.setLayerFilter(QStringLiteral("down_proj"), false);
    QCOMPARE(m->rowCount(), 6); // every block keeps its down_proj
    QCOMPARE(m->rowCount(m->index(0, 0)), 1);
    window.setLayerFilter(QStringLiteral("layers\\.[23]\\..*(q|k)_proj"), true);
    QCOMPARE(m->rowCount(), 2);
    QCOMPARE(m->rowCount(m->index(0, 0)), 2);
    QVERIFY(!window.layerFilter()->setFilter(QStringLiteral("(unclosed"), true));
}

void TestStudio::marchenkoPasturQuantiles()
{
    // Square 200 x 200, variance 1: singular values spread over [0, 2·sqrt(200)].
    const QVector<double> q = lqer::marchenkoPasturQuantiles(200, 200, 1.0);
    QCOMPARE(q.size(), 200);
    for (int i = 1; i < q.size(); ++i)
        QVERIFY(q[i] <= q[i - 1]);
    QVERIFY(q.first() < 2 * std::sqrt(200.0) + 1e-9);
    QVERIFY(q.first() > 0.9 * 2 * std::sqrt(200.0));
    // Energy: Σσ² ≈ rows·cols·variance (the quantiles of the law carry its second moment).
    double energy = 0;
    for (double s : q)
        energy += s * s;
    QVERIFY2(std::abs(energy / 40000.0 - 1.0) < 0.02, qPrintable(QString::number(energy)));
}

void TestStudio::germanTranslation()
{
    MainWindow window;
    window.setLanguage(QStringLiteral("de"));
    QCOMPARE(window.language(), QStringLiteral("de"));
    QApplication::processEvents();
    QCOMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("&Datei"));
    window.setLanguage(QStringLiteral("en"));
    QApplication::processEvents();
    QCOMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("&File"));
}

QTEST_MAIN(TestStudio)
#include "test_studio.moc"
