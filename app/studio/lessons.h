#pragma once

// Teaching mode: five lessons, each a sequence of steps with a short text (English source,
// translated like every studio string, context "Lessons"), the analysis view the step shows and
// how it is set up, a "try this" action and, for some steps, a check for students whose answer
// the engine computes from the open model. A step's setup sets everything it shows, so the state
// of each step is reproducible (presentation mode, screenshots, tests).

#include "core/formats/blockexplain.h"
#include "core/io/checkpoint.h"
#include "core/lqer/statsfile.h"
#include "core/model/architecture.h"
#include "core/plan/plan.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace lqer {

class MainWindow;

// What a check may read, copied on the GUI thread when the student asks; the answer is then
// computed on a worker thread.
struct CheckInput
{
    std::shared_ptr<const Checkpoint> checkpoint;
    QList<LinearLayerInfo> layers;
    QString layer; // the current layer
    Plan plan;
    std::shared_ptr<const StatsMap> stats;
    std::optional<BlockExplanation> block; // what the block explorer shows
    double modelBits = 0; // Document::modelBitsPerWeight
    double areaRatio = 0; // Document::areaRatio
};

struct CheckAnswer
{
    std::optional<double> number; // numeric answers (compared within the check's tolerance)
    QString choice; // choice answers (a layer name)
    QString text() const;
};

struct StudentCheck
{
    const char *question; // may contain %1: the current layer
    double tolerance = 0; // absolute, numeric answers
    // The possible answers of a choice question (empty: a number is typed).
    std::function<QStringList(const CheckInput &)> choices;
    std::function<Expected<CheckAnswer>(const CheckInput &)> answer;
    // Whether `given` (what the student typed or chose) matches `expected`.
    bool accepts(const QString &given, const CheckAnswer &expected) const;
};

struct LessonStep
{
    const char *title;
    const char *text;
    QString view; // the analysis view id the step shows
    const char *tryThis = nullptr; // the "try this" button's text; null: none
    bool rankSlider = false; // the panel's rank slider with the energy captured
    std::function<void(MainWindow &)> setup;
    std::function<void(MainWindow &)> tryAction;
    std::optional<StudentCheck> check;
};

struct Lesson
{
    const char *title;
    QList<LessonStep> steps;
};

// The five lessons, in order (lesson N of --lesson N is lessons()[N - 1]).
const QList<Lesson> &lessons();
// A lesson text in the current language.
QString lessonText(const char *source);

// The layer a lesson starts on: block 0's first linear (q_proj on LLaMA), else the first.
QString defaultLessonLayer(const QList<LinearLayerInfo> &layers);
// The layer lesson 3 starts on: the down projection of block 3 (its inputs have outliers).
QString outlierLessonLayer(const QList<LinearLayerInfo> &layers);
// The linears of decoder block `block` (the last block when the model has fewer).
QStringList layersOfBlock(const QList<LinearLayerInfo> &layers, int block);
// Σ_{i<k} σ_i² / Σ σ_i²: the share of the energy a rank-k reconstruction captures.
double capturedEnergy(const VectorD &singularValues, int k);
// The singular values of the layer's error E (method LQER) or of S·E (L²QER, with `stats`),
// all of them, from quantizeLayer.
Expected<VectorD> errorSpectrum(const Checkpoint &checkpoint, const LinearLayerInfo &layer,
                                const LayerPlan &plan, const LayerStats *stats);

} // namespace lqer
