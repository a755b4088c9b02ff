#pragma once

// Per-layer loss-versus-cost curves for allocating weight format and correction rank per layer
// (the predicted side of the allocator, from one decomposition per layer and format).
//
// For layer W (out × in), weight format f and rank k, the predicted loss is the scaled
// residual energy of the method's decomposition, Σ_{i>k} σ_i²(E_f · diag(s)), E_f = W − Q_f(W)
// and s the method's channel scale (QERA-approx: s_i = √E[x_i²], so the figure is the expected
// ‖x (W − Ŵ)ᵀ‖² per calibration token when channels are uncorrelated; NUMERICS §4). The 8-bit
// quantization of A and B is not modelled. Costs are the layer's storage bits (NUMERICS §8),
// its bytes, or its circuit area relative to FP16 weighted by its multiply-accumulates
// (core/cost).

#include "core/alloc/allocator.h"
#include "core/common/expected.h"
#include "core/common/progress.h"
#include "core/io/checkpoint.h"
#include "core/lqer/statsfile.h"
#include "core/plan/plan.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace lqer {

// Every weight format the engine's format parser accepts among the standard spellings (MXINT
// 2-8 bits, blocks 16 and 32; INT 2-8 bits, groups 32 and 128, symmetric and asymmetric; and
// ggml's q4_0/q5_0/q8_0 when the engine has them), in that order.
QList<QuantFormat> catalogWeightFormats();
// Those of `bits` element bits (a format's nominal width, e.g. 4 for mxint4 and q4_0).
QList<QuantFormat> catalogWeightFormats(const QList<int> &bits);

struct CandidateSpace
{
    QList<QuantFormat> weights;
    QList<int> ranks {0, 8, 16, 32, 64, 128};
    LayerPlan base; // act, lowRank and the method of layers with rank > 0
};

struct CurvePoint
{
    int format = 0; // index into LayerCurves::formats
    int rank = 0; // the rank actually used (capped at min(in, out))
    double bitsPerWeight = 0;
    double predicted = 0; // scaled residual energy
};

struct LayerCurve
{
    QString layer;
    qint64 inFeatures = 0, outFeatures = 0;
    double scaledEnergy = 0; // ‖W diag(s)‖²_F, for relative figures
    QList<double> weightError; // ‖E_f‖_F / ‖W‖_F per format
    QList<CurvePoint> points; // formats × ranks (ranks above min(in, out) dropped)
    // Measured (−1: not measured): KL from FP32 with this layer alone at the reference point.
    double measuredKl = -1, measuredKlError = 0;
    int referencePoint = 0; // the point the sensitivity is measured at
    const CurvePoint *find(int format, int rank) const;
};

struct LayerCurves
{
    QList<QuantFormat> formats;
    QList<int> ranks;
    LayerPlan base;
    QList<LayerCurve> layers; // model order
    qint64 weights() const; // Σ in·out
    QJsonObject toJson() const;
    static Expected<LayerCurves> fromJson(const QJsonObject &json);
};

// The layer plan of one point (rank 0: plain).
LayerPlan curvePointPlan(const LayerCurves &curves, const CurvePoint &point);

// One SVD per layer and format (singular values only), layers in parallel. `stats` must cover
// every layer when the method scales by them.
Expected<LayerCurves> predictCurves(const Checkpoint &checkpoint, const StatsMap &stats,
                                    const CandidateSpace &space, int threads = 0,
                                    const ProgressFn &progress = {}, const CancelToken *cancel = nullptr);

enum class BudgetKind {
    Bits, // average bits per quantized weight
    Bytes, // total bytes of the quantized layers
    Area, // circuit area relative to FP16, averaged over the multiply-accumulates
};
struct Budget
{
    BudgetKind kind = BudgetKind::Bits;
    double value = 0;
    // "5", "5bits", "bits:5"; "2.5MB", "3MiB", "1200000B", "bytes:1.2e6"; "0.3area", "area:0.3".
    static Expected<Budget> parse(const QString &text);
    QString toString() const;
};
QString budgetKindName(BudgetKind kind);

enum class Objective {
    Predicted, // the scaled residual energy
    Measured, // scaled per layer so that the reference point's loss is its measured KL
};

struct LayerChoice
{
    QString layer;
    QuantFormat weight;
    int rank = 0;
    double bitsPerWeight = 0;
    double cost = 0; // in the budget's unit
    double loss = 0; // in the objective's unit
};

struct Allocation
{
    Budget budget;
    Objective objective = Objective::Predicted;
    QList<LayerChoice> layers;
    double cost = 0; // in the budget's unit
    double averageBits = 0; // Σ bits / Σ weights
    double loss = 0, relaxedLoss = 0, lambda = 0;
    // The exact search (core/alloc/allocator.h): optimal when proven; otherwise the loss is
    // within loss − lowerBound of the optimum.
    bool proven = false;
    double lowerBound = 0;
    qint64 searchSteps = 0;
    Plan plan; // the base plan with one override per layer
    // The plan as JSON with an "allocation" section (budget, objective, choices) that plan
    // readers ignore: the file loads wherever a plan does.
    QJsonObject toJson() const;
};

// The allocation problem of the curves under a budget (losses by the objective; Measured needs
// every layer's measuredKl).
Expected<AllocProblem> allocationProblem(const LayerCurves &curves, const Budget &budget,
                                         Objective objective);
// Solves it and builds the plan from `basePlan` (its calibration, switches and defaults).
Expected<Allocation> allocateCurves(const LayerCurves &curves, const Budget &budget, Objective objective,
                                    const Plan &basePlan, const AllocOptions &options = {});

// A uniform plan's point (one format and rank on every layer): its average bits and loss.
struct UniformPoint
{
    int format = 0, rank = 0;
    double averageBits = 0, cost = 0, loss = 0;
};
QList<UniformPoint> uniformPoints(const LayerCurves &curves, const Budget &budgetKind, Objective objective);
// The uniform plan of lowest loss whose cost is within the budget (none: format −1).
UniformPoint bestUniform(const LayerCurves &curves, const Budget &budget, Objective objective);
Plan uniformPlan(const LayerCurves &curves, const UniformPoint &point, const Plan &basePlan);

// Spearman's rank correlation (average ranks for ties); 0 for fewer than 2 values.
double spearman(const QList<double> &x, const QList<double> &y);

} // namespace lqer
