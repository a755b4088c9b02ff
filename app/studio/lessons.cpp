#include "app/studio/lessons.h"

#include "app/studio/document.h"
#include "app/studio/mainwindow.h"
#include "app/studio/planeditor.h"
#include "app/studio/views/blockexplorerview.h"
#include "app/studio/views/heatmapview.h"
#include "app/studio/views/spectrumview.h"
#include "core/lqer/lqer.h"
#include "widgets/errorheatmap.h"

#include <QCoreApplication>

#include <cmath>

namespace lqer {

QString lessonText(const char *source)
{
    return QCoreApplication::translate("Lessons", source);
}

QString CheckAnswer::text() const
{
    return number ? QString::number(*number, 'g', 6) : choice;
}

bool StudentCheck::accepts(const QString &given, const CheckAnswer &expected) const
{
    if (!expected.number)
        return given.trimmed() == expected.choice;
    bool ok = false;
    const double v = QString(given).replace(QLatin1Char(','), QLatin1Char('.')).trimmed().toDouble(&ok);
    return ok && std::abs(v - *expected.number) <= tolerance + 1e-9 * std::abs(*expected.number);
}

QString defaultLessonLayer(const QList<LinearLayerInfo> &layers)
{
    return layers.isEmpty() ? QString() : layers.first().weightName;
}

QString outlierLessonLayer(const QList<LinearLayerInfo> &layers)
{
    // The input of a down projection is the MLP's activation, where a few channels are loud.
    const QStringList kinds {QStringLiteral("down_proj"), QStringLiteral("fc2"),
                             QStringLiteral("dense_4h_to_h"), QStringLiteral("mlp.c_proj")};
    const QStringList block = layersOfBlock(layers, 3);
    for (const LinearLayerInfo &l : layers)
        if (block.contains(l.weightName) && kinds.contains(l.kind))
            return l.weightName;
    return defaultLessonLayer(layers);
}

QStringList layersOfBlock(const QList<LinearLayerInfo> &layers, int block)
{
    int last = 0;
    for (const LinearLayerInfo &l : layers)
        last = std::max(last, l.block);
    QStringList names;
    for (const LinearLayerInfo &l : layers)
        if (l.block == std::min(block, last))
            names << l.weightName;
    return names;
}

double capturedEnergy(const VectorD &sv, int k)
{
    const double total = sv.squaredNorm();
    if (total <= 0)
        return 0;
    const int n = int(std::min<qint64>(std::max(k, 0), sv.size()));
    return sv.head(n).squaredNorm() / total;
}

Expected<VectorD> errorSpectrum(const Checkpoint &checkpoint, const LinearLayerInfo &layer,
                                const LayerPlan &plan, const LayerStats *stats)
{
    auto w = loadLinearWeight(checkpoint, layer);
    if (!w)
        return makeError(w.error());
    LayerQuantOptions options;
    options.plan = plan;
    options.plan.rank = 1; // the spectra do not depend on k; the cheapest decomposition
    options.computeSpectra = true;
    options.spectrumCount = 0;
    options.svd = SvdBackend::Exact;
    auto r = quantizeLayer(layer.weightName, *w, stats, options);
    if (!r)
        return makeError(r.error());
    return stats && r->spectra.svScaled.size() > 0 ? r->spectra.svScaled : r->spectra.svError;
}

namespace {

const LinearLayerInfo *findLayer(const CheckInput &in, const QString &name)
{
    for (const LinearLayerInfo &l : in.layers)
        if (l.weightName == name)
            return &l;
    return nullptr;
}

// ---- step setups ------------------------------------------------------------------------

void ensureLayer(MainWindow &w)
{
    if (w.document() && (w.currentLayer().isEmpty() || !w.document()->layer(w.currentLayer())))
        w.selectLayer(defaultLessonLayer(w.document()->layers()));
}

BlockExplorerView *explorer(MainWindow &w)
{
    ensureLayer(w);
    return w.view<BlockExplorerView>();
}

void explorerOn(MainWindow &w, BlockExplorerView::Kind kind, int bits, int size, MxConvention convention)
{
    BlockExplorerView *e = explorer(w);
    e->setKind(kind);
    e->setWidth(bits);
    e->setBlockSize(size);
    e->setConvention(convention);
}

void layerBlock(MainWindow &w, BlockExplorerView::Kind kind, int bits, int size, MxConvention convention)
{
    explorerOn(w, kind, bits, size, convention);
    BlockExplorerView *e = explorer(w);
    e->setSource(BlockExplorerView::Source::Layer);
    e->setBlock(0, 0);
}

void typedBlock(MainWindow &w, const QString &values, MxConvention convention)
{
    explorerOn(w, BlockExplorerView::Kind::MxInt, 4, 16, convention);
    explorer(w)->setTypedValues(values);
}

// The current layer with `method` at rank `k` (one undoable edit when it changes anything).
void setLayerMethod(MainWindow &w, Method method, int k)
{
    ensureLayer(w);
    Document *doc = w.document();
    if (!doc || w.currentLayer().isEmpty())
        return;
    LayerPlan lp = doc->plan().forLayer(w.currentLayer());
    if (lp.method == method && lp.rank == k)
        return;
    doc->editLayers(
        {w.currentLayer()},
        [method, k](LayerPlan &p) {
            p.method = method;
            p.rank = k;
        },
        lessonText(QT_TRANSLATE_NOOP("Lessons", "Lesson: method and rank")));
}

// Lesson 3 looks at a layer whose inputs have outlier channels.
void selectOutlierLayer(MainWindow &w)
{
    if (w.document())
        w.selectLayer(outlierLessonLayer(w.document()->layers()));
}

void heatmapStage(MainWindow &w, ErrorHeatmap::Stage stage)
{
    if (HeatmapView *h = w.view<HeatmapView>())
        h->panel()->heatmap()->setStage(stage);
}

void detailOf(MainWindow &w, Method method, int k)
{
    setLayerMethod(w, method, k);
    w.selectLayer(w.currentLayer()); // recomputes the spectra and heatmaps
}

void preset(MainWindow &w, const QString &name)
{
    if (w.document() && w.document()->plan().preset != name)
        w.planEditor()->applyPreset(name);
}

void calibrate(MainWindow &w)
{
    Document *doc = w.document();
    if (!doc)
        return;
    Plan plan = doc->plan();
    plan.calibration.samples = 4;
    plan.calibration.seqLen = 128;
    if (!(plan == doc->plan()))
        doc->setPlan(plan, lessonText(QT_TRANSLATE_NOOP("Lessons", "Lesson: a short calibration")));
    w.jobs()->start(QStringLiteral("calibrate"));
}

// ---- checks -----------------------------------------------------------------------------

Expected<CheckAnswer> number(double v)
{
    CheckAnswer a;
    a.number = v;
    return a;
}

Expected<QVector<float>> shownValues(const CheckInput &in)
{
    if (!in.block)
        return makeError(lessonText(QT_TRANSLATE_NOOP("Lessons", "The block explorer shows no block yet.")));
    QVector<float> values;
    for (const ExplainedElement &e : in.block->elements)
        values << e.value;
    return values;
}

Expected<CheckAnswer> ceilExponentOfShownBlock(const CheckInput &in)
{
    auto values = shownValues(in);
    if (!values)
        return makeError(values.error());
    auto e = explainBlock(*values, QuantFormat::mxint(in.block->format.bits, 8, int(values->size())),
                          QStringLiteral("block"));
    if (!e)
        return makeError(e.error());
    return number(e->shared.exponent);
}

Expected<CheckAnswer> asymZeroPointOfShownBlock(const CheckInput &in)
{
    auto values = shownValues(in);
    if (!values)
        return makeError(values.error());
    auto e = explainBlock(*values, QuantFormat::intAsym(4, int(values->size())), QStringLiteral("block"));
    if (!e)
        return makeError(e.error());
    return number(e->shared.zeroPoint);
}

Expected<CheckAnswer> energyAtRank32(const CheckInput &in)
{
    const LinearLayerInfo *layer = findLayer(in, in.layer);
    if (!layer || !in.checkpoint)
        return makeError(lessonText(QT_TRANSLATE_NOOP("Lessons", "Select a layer first.")));
    LayerPlan lp = in.plan.forLayer(in.layer);
    lp.method = Method::Lqer;
    auto sv = errorSpectrum(*in.checkpoint, *layer, lp, nullptr);
    if (!sv)
        return makeError(sv.error());
    return number(100.0 * capturedEnergy(*sv, 32));
}

Expected<CheckAnswer> loudestChannel(const CheckInput &in)
{
    if (!in.stats || !in.stats->contains(in.layer))
        return makeError(lessonText(QT_TRANSLATE_NOOP("Lessons", "Run the calibration first (Try this).")));
    const VectorD &a = in.stats->value(in.layer).meanAbsMax;
    Eigen::Index index = 0;
    a.maxCoeff(&index);
    return number(double(index));
}

Expected<CheckAnswer> worstL2QerLayerOfBlock3(const CheckInput &in)
{
    if (!in.stats || in.stats->isEmpty())
        return makeError(lessonText(QT_TRANSLATE_NOOP("Lessons", "Run the calibration first (Try this).")));
    double worst = -1;
    CheckAnswer answer;
    for (const QString &name : layersOfBlock(in.layers, 3)) {
        const LinearLayerInfo *layer = findLayer(in, name);
        auto w = loadLinearWeight(*in.checkpoint, *layer);
        if (!w)
            return makeError(w.error());
        LayerQuantOptions options;
        options.plan = in.plan.forLayer(name);
        options.plan.method = Method::L2Qer;
        options.plan.rank = 16;
        options.computeSpectra = false;
        const LayerStats *stats = findLayerStats(in.stats.get(), name);
        if (!stats)
            return makeError(QStringLiteral("%1: no calibration statistics").arg(name));
        auto r = quantizeLayer(name, *w, stats, options);
        if (!r)
            return makeError(r.error());
        if (r->metrics.relError > worst) {
            worst = r->metrics.relError;
            answer.choice = name;
        }
    }
    return answer;
}

double modelBitsAtRank(const CheckInput &in, int k)
{
    double bits = 0, weights = 0;
    for (const LinearLayerInfo &l : in.layers) {
        const LayerPlan lp = in.plan.forLayer(l.weightName);
        bits
            += layerBitsPerWeight(l.inFeatures, l.outFeatures, k, lp.weight, lp.lowRank) * l.parameterCount();
        weights += l.parameterCount();
    }
    return weights > 0 ? bits / weights : 0;
}

StudentCheck numericCheck(const char *question, double tolerance,
                          std::function<Expected<CheckAnswer>(const CheckInput &)> answer)
{
    return StudentCheck {question, tolerance, nullptr, std::move(answer)};
}

// ---- the lessons ------------------------------------------------------------------------

using K = BlockExplorerView::Kind;
const QString kPowerOfTwoBlock = QStringLiteral("1.0 0.5 -0.25 0.75 0 0 0 0 0 0 0 0 0 0 0 0");
const QString kTiesBlock = QStringLiteral("0.5625 0.1875 -0.3125 0.0625 0 0 0 0 0 0 0 0 0 0 0 0");

Lesson numberFormats()
{
    return Lesson {
        QT_TRANSLATE_NOOP("Lessons", "1. Number formats"),
        {
            {QT_TRANSLATE_NOOP("Lessons", "A block of real weights"),
             QT_TRANSLATE_NOOP(
                 "Lessons",
                 "These are 16 consecutive weights of one row of a real layer, along the input "
                 "dimension. MXINT stores one shared exponent E per block and a small integer "
                 "code per weight. E comes from the largest magnitude: E = ⌈log₂ max|x|⌉. One code "
                 "step is worth 2^(E−(w−1)); each weight becomes the nearest code."),
             QStringLiteral("blocks"), QT_TRANSLATE_NOOP("Lessons", "Show the next block"), false,
             [](MainWindow &w) { layerBlock(w, K::MxInt, 4, 16, MxConvention::Lqer); },
             [](MainWindow &w) {
                 BlockExplorerView *e = explorer(w);
                 e->setBlock(e->row(), e->block() + 1);
             },
             numericCheck(QT_TRANSLATE_NOOP("Lessons",
                                            "What shared exponent E (official, ceil) does the block "
                                            "shown get?"),
                          0, ceilExponentOfShownBlock)},
            {QT_TRANSLATE_NOOP("Lessons", "Two ways to pick the exponent"),
             QT_TRANSLATE_NOOP("Lessons",
                               "The official LQER code rounds the exponent up (ceil); the OCP MX standard "
                               "rounds it down (floor) and uses two's complement codes. With ceil, a block "
                               "whose largest value is an exact power of two loses it: 1.0 needs code 8, but "
                               "4 bits hold at most 7, so 1.0 is clipped to 0.875 (red)."),
             QStringLiteral("blocks"), QT_TRANSLATE_NOOP("Lessons", "Show the OCP (floor) exponent"), false,
             [](MainWindow &w) { typedBlock(w, kPowerOfTwoBlock, MxConvention::Lqer); },
             [](MainWindow &w) { explorer(w)->setConvention(MxConvention::Ocp); }, std::nullopt},
            {QT_TRANSLATE_NOOP("Lessons", "Round half to even"),
             QT_TRANSLATE_NOOP("Lessons",
                               "When a value lies exactly halfway between two codes (yellow), the official "
                               "code rounds to the even one: 4.5 → 4, 1.5 → 2, 2.5 → 2, 0.5 → 0. Half the "
                               "ties go down and half go up, so rounding adds no bias. OCP rounds ties away "
                               "from zero instead."),
             QStringLiteral("blocks"), QT_TRANSLATE_NOOP("Lessons", "Compare with OCP rounding"), false,
             [](MainWindow &w) { typedBlock(w, kTiesBlock, MxConvention::Lqer); },
             [](MainWindow &w) { explorer(w)->setConvention(MxConvention::Ocp); }, std::nullopt},
            {QT_TRANSLATE_NOOP("Lessons", "Width and block size"),
             QT_TRANSLATE_NOOP("Lessons",
                               "Move the sliders. More bits per code shrink the error fast; a larger block "
                               "shares one 8-bit exponent among more weights, so it costs fewer bits "
                               "(w + 8/B per weight) but the largest value of the block decides the step for "
                               "all of them. The layer MSE is measured over every block of the layer."),
             QStringLiteral("blocks"), QT_TRANSLATE_NOOP("Lessons", "Try 8 bits, block 32"), false,
             [](MainWindow &w) { layerBlock(w, K::MxInt, 4, 16, MxConvention::Lqer); },
             [](MainWindow &w) {
                 explorer(w)->setWidth(8);
                 explorer(w)->setBlockSize(32);
             },
             numericCheck(
                 QT_TRANSLATE_NOOP("Lessons",
                                   "How many bits per weight does MXINT4 with block 32 "
                                   "cost (8-bit shared exponent)?"),
                 0.005,
                 [](const CheckInput &) { return number(QuantFormat::mxint(4, 8, 32).bitsPerElement()); })},
            {QT_TRANSLATE_NOOP("Lessons", "Integers with a scale and a zero point"),
             QT_TRANSLATE_NOOP("Lessons",
                               "INT formats store an fp16 scale per group instead of an exponent. Symmetric: "
                               "scale = max|x| / (2^(b−1) − 1), codes around 0. Asymmetric (GPTQ, AWQ): the "
                               "codes 0..2^b − 1 cover [min, max], and the zero point is the code that "
                               "stands for 0."),
             QStringLiteral("blocks"), QT_TRANSLATE_NOOP("Lessons", "Switch to symmetric"), false,
             [](MainWindow &w) { layerBlock(w, K::IntAsym, 4, 16, MxConvention::Lqer); },
             [](MainWindow &w) { explorer(w)->setKind(K::IntSym); },
             numericCheck(QT_TRANSLATE_NOOP("Lessons",
                                            "What is the zero point of the block shown in INT4 "
                                            "asymmetric?"),
                          0, asymZeroPointOfShownBlock)},
        }};
}

Lesson plainError()
{
    return Lesson {
        QT_TRANSLATE_NOOP("Lessons", "2. Why the plain error is not low rank"),
        {
            {QT_TRANSLATE_NOOP("Lessons", "The quantization error E"),
             QT_TRANSLATE_NOOP("Lessons",
                               "The heatmap starts with |W|, the layer's weights. Wq is what the format "
                               "stores, and E = W − Wq is what quantization loses. Step through W, Wq, E "
                               "and E − AB: W and Wq look alike, while E looks like noise, because every "
                               "block rounds on its own, so neighbouring errors are nearly independent."),
             QStringLiteral("heatmap"),
             QT_TRANSLATE_NOOP("Lessons", "Show the next heatmap (W, Wq, E, E − AB)"), false,
             [](MainWindow &w) {
                 detailOf(w, Method::Lqer, 32);
                 heatmapStage(w, ErrorHeatmap::Stage::Weight);
             },
             [](MainWindow &w) {
                 if (HeatmapView *h = w.view<HeatmapView>()) {
                     const int next = (int(h->panel()->heatmap()->stage()) + 1) % 4;
                     heatmapStage(w, ErrorHeatmap::Stage(next));
                 }
             },
             std::nullopt},
            {QT_TRANSLATE_NOOP("Lessons", "σ(E) against white noise"),
             QT_TRANSLATE_NOOP("Lessons",
                               "The singular values of E (LQER) lie close to the Marchenko–Pastur curve: the "
                               "spectrum of white noise of the same shape and energy. Noise has no dominant "
                               "directions, so a few singular vectors capture little of it."),
             QStringLiteral("spectrum"), nullptr, false,
             [](MainWindow &w) {
                 detailOf(w, Method::Lqer, 32);
                 if (SpectrumView *s = w.view<SpectrumView>())
                     s->setReferenceVisible(true);
             },
             nullptr,
             numericCheck(QT_TRANSLATE_NOOP("Lessons",
                                            "What percentage of ‖E‖² do the top 32 singular values "
                                            "of %1 hold?"),
                          1.0, energyAtRank32)},
            {QT_TRANSLATE_NOOP("Lessons", "The rank slider"),
             QT_TRANSLATE_NOOP("Lessons",
                               "Move the rank k. The heatmap shows the residual E − AB; the energy captured "
                               "grows only slowly with k, because the error has no low-rank structure to "
                               "find."),
             QStringLiteral("heatmap"), nullptr, true,
             [](MainWindow &w) {
                 detailOf(w, Method::Lqer, 32);
                 heatmapStage(w, ErrorHeatmap::Stage::After);
             },
             nullptr, std::nullopt},
        }};
}

Lesson activations()
{
    return Lesson {
        QT_TRANSLATE_NOOP("Lessons", "3. What activations change (L²QER)"),
        {
            {QT_TRANSLATE_NOOP("Lessons", "Activation magnitudes"),
             QT_TRANSLATE_NOOP(
                 "Lessons",
                 "Run a short calibration: the model reads a few samples and records, for every "
                 "input channel of every layer, the mean |x|. Some channels can be far louder "
                 "than the rest (red circles); an error in their weights matters more. The scale "
                 "s that L²QER derives from them is on the right axis."),
             QStringLiteral("activations"), QT_TRANSLATE_NOOP("Lessons", "Run the calibration"), false,
             selectOutlierLayer, calibrate,
             numericCheck(QT_TRANSLATE_NOOP("Lessons",
                                            "Which input channel of %1 has the largest mean |x| in "
                                            "the calibration (its index)?"),
                          0, loudestChannel)},
            {QT_TRANSLATE_NOOP("Lessons", "S reweights the error"),
             QT_TRANSLATE_NOOP(
                 "Lessons",
                 "L²QER scales E by S = diag(s) from the activation magnitudes before the SVD, "
                 "so the SVD spends its rank where the loud channels are. Compare the first "
                 "singular values of σ(SE) and σ(αE) at equal energy, and the share of the "
                 "energy rank k captures for each: the stronger the outlier channels, the larger "
                 "the gap (large LLMs show much more of it than this small model)."),
             QStringLiteral("spectrum"), nullptr, true,
             [](MainWindow &w) {
                 selectOutlierLayer(w);
                 detailOf(w, Method::L2Qer, 32);
             },
             nullptr, std::nullopt},
            {QT_TRANSLATE_NOOP("Lessons", "LQER, L²QER and QERA on one layer"),
             QT_TRANSLATE_NOOP("Lessons",
                               "The spectrum shows the three methods on the same layer at equal energy: LQER "
                               "(no scaling), L²QER (mean |x|) and QERA (root mean square of x). The scaled "
                               "methods concentrate the error that matters into the first singular values."),
             QStringLiteral("spectrum"), nullptr, false,
             [](MainWindow &w) {
                 selectOutlierLayer(w);
                 detailOf(w, Method::L2Qer, 16);
             },
             nullptr,
             StudentCheck {QT_TRANSLATE_NOOP("Lessons",
                                             "Which layer of block 3 has the largest relative weight "
                                             "error ‖E − AB‖/‖W‖ with L²QER at k = 16?"),
                           0, [](const CheckInput &in) { return layersOfBlock(in.layers, 3); },
                           worstL2QerLayerOfBlock3}},
        }};
}

Lesson cost()
{
    return Lesson {
        QT_TRANSLATE_NOOP("Lessons", "4. Cost"),
        {
            {QT_TRANSLATE_NOOP("Lessons", "Bits per weight"),
             QT_TRANSLATE_NOOP("Lessons",
                               "Every weight costs its code plus its share of the block's exponent, and the "
                               "low-rank factors A and B add k(m + n) values per layer. Apply the W2A8 k=256 "
                               "plan to see the rank's share grow."),
             QStringLiteral("cost"), QT_TRANSLATE_NOOP("Lessons", "Apply W2A8 k=256"), false,
             [](MainWindow &w) { preset(w, QStringLiteral("paper-w4a8")); },
             [](MainWindow &w) { preset(w, QStringLiteral("w2a8-k256")); },
             numericCheck(QT_TRANSLATE_NOOP("Lessons",
                                            "How many bits per weight (Σ bits / Σ weights) does the "
                                            "current plan cost?"),
                          0.01, [](const CheckInput &in) { return number(in.modelBits); })},
            {QT_TRANSLATE_NOOP("Lessons", "Circuit area"),
             QT_TRANSLATE_NOOP("Lessons",
                               "A processing element for MXINT needs small integer multipliers and one "
                               "exponent adder per block instead of FP16 units. The paper's Table III: FP16 "
                               "1×, GPTQ/AWQ INT4 w-only 13.99×, L²QER-MXINT W4A8 0.33×, W4A6 0.23×. The "
                               "cost view shows the area of your plan's design."),
             QStringLiteral("cost"), QT_TRANSLATE_NOOP("Lessons", "Apply W4A6"), false,
             [](MainWindow &w) { preset(w, QStringLiteral("paper-w4a8")); },
             [](MainWindow &w) { preset(w, QStringLiteral("w4a6")); },
             numericCheck(QT_TRANSLATE_NOOP("Lessons",
                                            "What circuit area relative to FP16 does the current "
                                            "plan's design need?"),
                          0.01, [](const CheckInput &in) { return number(in.areaRatio); })},
        }};
}

Lesson wholeModel()
{
    return Lesson {
        QT_TRANSLATE_NOOP("Lessons", "5. The whole model"),
        {
            {QT_TRANSLATE_NOOP("Lessons", "Perplexity against rank"),
             QT_TRANSLATE_NOOP("Lessons",
                               "The rank sweep quantizes the whole model at k = 0, 4, 8 … 128 and measures "
                               "perplexity on held-out text. The first ranks help most; beyond some k the "
                               "curve flattens while the cost keeps growing."),
             QStringLiteral("sweep"), QT_TRANSLATE_NOOP("Lessons", "Run the rank sweep (2 windows)"), false,
             [](MainWindow &w) { preset(w, QStringLiteral("paper-w4a8")); },
             [](MainWindow &w) {
                 w.setEvaluationWindows(2);
                 w.jobs()->start(QStringLiteral("sweep"));
             },
             std::nullopt},
            {QT_TRANSLATE_NOOP("Lessons", "A budget of bits"),
             QT_TRANSLATE_NOOP("Lessons",
                               "Rank is a budget: the bits spent on A and B could go to wider codes instead. "
                               "The layer error chart shows which layers profit most from k, so a plan can "
                               "give them a larger rank and the others none."),
             QStringLiteral("layers"), QT_TRANSLATE_NOOP("Lessons", "Quantize the whole model"), false,
             [](MainWindow &w) { preset(w, QStringLiteral("paper-w4a8")); },
             [](MainWindow &w) { w.jobs()->start(QStringLiteral("quantize")); },
             numericCheck(QT_TRANSLATE_NOOP("Lessons",
                                            "How many bits per weight does rank 32 add to this model "
                                            "with the current formats?"),
                          0.01,
                          [](const CheckInput &in) {
                              return number(modelBitsAtRank(in, 32) - modelBitsAtRank(in, 0));
                          })},
        }};
}

} // namespace

const QList<Lesson> &lessons()
{
    static const QList<Lesson> all {numberFormats(), plainError(), activations(), cost(), wholeModel()};
    return all;
}

} // namespace lqer
