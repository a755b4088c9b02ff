#pragma once

// Choosing one candidate per layer to minimise the summed loss under a budget on the summed
// cost (a multiple-choice knapsack): Lagrangian relaxation over each layer's lower convex hull
// of (cost, loss), then a greedy repair that spends what the relaxation leaves of the budget.
//
// The relaxation: for a multiplier λ ≥ 0 every layer independently takes the candidate
// minimising loss + λ·cost, always a vertex of its lower convex hull. Sweeping λ from ∞ down is
// the same as starting every layer at its cheapest hull vertex and taking hull steps in order of
// decreasing loss saved per unit of cost; the relaxation stops before the first step that would
// overrun the budget (the optimum of every budget that is a sum of hull vertices). The repair
// then (1) keeps taking the best-ratio move of any layer to any candidate, hull or not, that
// still fits, and (2) tries exchanges: one layer moves to a cheaper candidate so that another
// can move to a better one, while the pair lowers the loss. Pure arithmetic: 224 layers × 36
// candidates take a few milliseconds.
//
// Then an exact search proves the repaired plan optimal or finds the optimum: depth-first branch
// and bound over the layers, each node bounded by the linear-programming relaxation of the
// layers still open (their hull steps in order of rate, the last one fractional, which is never
// above the optimum of those layers). The repaired plan is the first incumbent, so the bound
// prunes most nodes; a search limit (bound evaluations) keeps it interactive. Within the limit
// the result is optimal (`proven`); past it, the best plan found so far, with the gap to the
// root's bound.

#include "core/common/expected.h"

#include <QList>
#include <QString>

#include <vector>

namespace lqer {

struct AllocCandidate
{
    double cost = 0; // e.g. storage bits of the layer
    double loss = 0; // e.g. predicted output error energy, or KL
};

struct AllocProblem
{
    std::vector<std::vector<AllocCandidate>> layers; // every layer needs at least one candidate
    double budget = 0; // Σ cost of the chosen candidates must not exceed it
};

struct AllocSolution
{
    std::vector<int> choice; // candidate index per layer
    double cost = 0;
    double loss = 0;
    double lambda = 0; // the multiplier where the relaxation stopped (loss saved per unit cost)
    double relaxedLoss = 0; // the relaxation's loss before the repair
    int repairMoves = 0; // moves the repair made
    // The exact search: whether it finished (the plan is optimal), the bound evaluations it
    // made, the linear-programming bound of the whole problem (never above the optimum) and
    // how much the search lowered the repaired plan's loss.
    bool proven = false;
    qint64 searchSteps = 0;
    double lowerBound = 0;
    double searchGain = 0;
};

struct AllocOptions
{
    // Bound evaluations the exact search may make (0: no search, the repaired plan as it is).
    // Each is a binary search over the open layers' hull steps: 10⁶ take tens of milliseconds.
    qint64 searchLimit = 2'000'000;
};

// The indices of `candidates` on their lower convex hull, by increasing cost (and decreasing
// loss): the cheapest candidate (the lowest loss among equally cheap), then each vertex that
// saves loss at a lower rate per unit cost than the one before.
std::vector<int> lowerConvexHull(const std::vector<AllocCandidate> &candidates);

// An error when a layer has no candidate or the budget is below the sum of the cheapest costs
// (the message gives that minimum).
Expected<AllocSolution> allocate(const AllocProblem &problem, const AllocOptions &options = {});

// Every combination (for tests and tiny problems; an error beyond `maxCombinations`).
Expected<AllocSolution> allocateExhaustive(const AllocProblem &problem, qint64 maxCombinations = 1'000'000);

} // namespace lqer
