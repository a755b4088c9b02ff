#include "allocator.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace lqer {

namespace {

// Relative slack for float comparisons of sums of costs against the budget.
bool fits(double cost, double budget)
{
    return cost <= budget + 1e-12 * std::max(1.0, std::abs(budget));
}

struct Step
{
    int layer;
    int from, to; // candidate indices (consecutive hull vertices)
    double rate; // loss saved per unit of cost
};

AllocSolution evaluate(const AllocProblem &p, std::vector<int> choice)
{
    AllocSolution s;
    s.choice = std::move(choice);
    for (size_t l = 0; l < p.layers.size(); ++l) {
        s.cost += p.layers[l][size_t(s.choice[l])].cost;
        s.loss += p.layers[l][size_t(s.choice[l])].loss;
    }
    return s;
}

Status checkProblem(const AllocProblem &p, double *minimum)
{
    double cheapest = 0;
    for (size_t l = 0; l < p.layers.size(); ++l) {
        if (p.layers[l].empty())
            return makeError(QStringLiteral("allocation: layer %1 has no candidate").arg(l));
        double c = std::numeric_limits<double>::infinity();
        for (const AllocCandidate &a : p.layers[l]) {
            if (!std::isfinite(a.cost) || !std::isfinite(a.loss))
                return makeError(QStringLiteral("allocation: layer %1 has a non-finite candidate").arg(l));
            c = std::min(c, a.cost);
        }
        cheapest += c;
    }
    *minimum = cheapest;
    if (!fits(cheapest, p.budget))
        return makeError(QStringLiteral("allocation: the budget %1 is below the cheapest plan's cost %2")
                             .arg(p.budget, 0, 'g', 8)
                             .arg(cheapest, 0, 'g', 8));
    return Status::success();
}

// Spends what is left of the budget: the best-ratio single move that fits, until none does;
// then pair exchanges (one layer cheaper, another better) while they lower the loss.
int repair(const AllocProblem &p, std::vector<int> &choice, double &cost)
{
    int moves = 0;
    const size_t L = p.layers.size();
    for (int round = 0; round < 1000; ++round) {
        bool moved = false;
        // (1) single moves that fit and save loss, best saving per unit cost first (a move that
        // saves loss at no extra cost is taken first of all).
        for (;;) {
            int bestLayer = -1, bestTo = -1;
            double bestRate = 0, bestGain = 0;
            for (size_t l = 0; l < L; ++l) {
                const AllocCandidate &cur = p.layers[l][size_t(choice[l])];
                for (size_t c = 0; c < p.layers[l].size(); ++c) {
                    const AllocCandidate &a = p.layers[l][c];
                    const double gain = cur.loss - a.loss, extra = a.cost - cur.cost;
                    if (gain <= 0 || !fits(cost + extra, p.budget))
                        continue;
                    const double rate = extra <= 0 ? std::numeric_limits<double>::infinity() : gain / extra;
                    if (bestLayer < 0 || rate > bestRate || (rate == bestRate && gain > bestGain)) {
                        bestLayer = int(l);
                        bestTo = int(c);
                        bestRate = rate;
                        bestGain = gain;
                    }
                }
            }
            if (bestLayer < 0)
                break;
            cost += p.layers[size_t(bestLayer)][size_t(bestTo)].cost
                - p.layers[size_t(bestLayer)][size_t(choice[size_t(bestLayer)])].cost;
            choice[size_t(bestLayer)] = bestTo;
            ++moves;
            moved = true;
        }
        // (2) the best pair exchange: layer a to a cheaper candidate, which frees cost for
        // layer b's best move that then fits. b's moves are sorted by extra cost with the best
        // (and second-best, of another layer) saving up to each, so each of a's options is one
        // binary search.
        struct Move
        {
            double extra, gain;
            int layer, to;
        };
        std::vector<Move> up;
        for (size_t l = 0; l < L; ++l) {
            const AllocCandidate &cur = p.layers[l][size_t(choice[l])];
            for (size_t c = 0; c < p.layers[l].size(); ++c)
                if (p.layers[l][c].loss < cur.loss)
                    up.push_back(Move {p.layers[l][c].cost - cur.cost, cur.loss - p.layers[l][c].loss, int(l),
                                       int(c)});
        }
        std::sort(up.begin(), up.end(), [](const Move &x, const Move &y) { return x.extra < y.extra; });
        std::vector<int> best1(up.size(), -1), best2(up.size(), -1); // indices into up
        for (size_t i = 0; i < up.size(); ++i) {
            int b1 = i > 0 ? best1[i - 1] : -1, b2 = i > 0 ? best2[i - 1] : -1;
            const int cand = int(i);
            if (b1 < 0 || up[size_t(cand)].gain > up[size_t(b1)].gain) {
                if (b1 >= 0 && up[size_t(b1)].layer != up[size_t(cand)].layer)
                    b2 = b1;
                b1 = cand;
            } else if (up[size_t(cand)].layer != up[size_t(b1)].layer
                       && (b2 < 0 || up[size_t(cand)].gain > up[size_t(b2)].gain)) {
                b2 = cand;
            }
            best1[i] = b1;
            best2[i] = b2;
        }
        double bestGain = 1e-12 * std::max(1.0, std::abs(evaluate(p, choice).loss));
        int ba = -1, bta = -1, bb = -1, btb = -1;
        for (size_t a = 0; a < L && !up.empty(); ++a) {
            const AllocCandidate &curA = p.layers[a][size_t(choice[a])];
            for (size_t ca = 0; ca < p.layers[a].size(); ++ca) {
                const AllocCandidate &na = p.layers[a][ca];
                const double freed = curA.cost - na.cost;
                if (freed <= 0)
                    continue;
                const double room = p.budget - cost + freed;
                auto it = std::upper_bound(up.begin(), up.end(), room,
                                           [](double r, const Move &m) { return r < m.extra; });
                if (it == up.begin())
                    continue;
                const size_t last = size_t(it - up.begin()) - 1;
                int pick = best1[last];
                if (pick >= 0 && up[size_t(pick)].layer == int(a))
                    pick = best2[last];
                if (pick < 0 || !fits(cost - freed + up[size_t(pick)].extra, p.budget))
                    continue;
                const double gain = up[size_t(pick)].gain - (na.loss - curA.loss);
                if (gain > bestGain) {
                    bestGain = gain;
                    ba = int(a);
                    bta = int(ca);
                    bb = up[size_t(pick)].layer;
                    btb = up[size_t(pick)].to;
                }
            }
        }
        if (ba >= 0) {
            cost += p.layers[size_t(ba)][size_t(bta)].cost
                - p.layers[size_t(ba)][size_t(choice[size_t(ba)])].cost;
            cost += p.layers[size_t(bb)][size_t(btb)].cost
                - p.layers[size_t(bb)][size_t(choice[size_t(bb)])].cost;
            choice[size_t(ba)] = bta;
            choice[size_t(bb)] = btb;
            moves += 2;
            moved = true;
        }
        if (!moved)
            break;
    }
    return moves;
}

// The linear-programming relaxation of the layers from l on: their cheapest plan and their
// hull steps merged in order of decreasing rate, with running sums of extra cost and saved loss.
// Its value for a budget is never above the best plan of those layers within it.
class SuffixBounds
{
public:
    SuffixBounds(const AllocProblem &p, const std::vector<std::vector<int>> &hulls)
        : mSuffix(p.layers.size() + 1)
    {
        for (size_t l = p.layers.size(); l-- > 0;) {
            const auto &layer = p.layers[l];
            const std::vector<int> &hull = hulls[l];
            std::vector<Step> own;
            for (size_t h = 1; h < hull.size(); ++h) {
                const AllocCandidate &a = layer[size_t(hull[h - 1])], &b = layer[size_t(hull[h])];
                own.push_back(Step {int(l), hull[h - 1], hull[h], (a.loss - b.loss) / (b.cost - a.cost)});
            }
            const Suffix &next = mSuffix[l + 1];
            Suffix &s = mSuffix[l];
            s.minCost = next.minCost + layer[size_t(hull.front())].cost;
            s.minLoss = next.minLoss + layer[size_t(hull.front())].loss;
            s.steps.resize(next.steps.size() + own.size());
            std::merge(next.steps.begin(), next.steps.end(), own.begin(), own.end(), s.steps.begin(),
                       [](const Step &a, const Step &b) { return a.rate > b.rate; });
            s.extra.assign(1, 0.0);
            s.gain.assign(1, 0.0);
            for (const Step &st : s.steps) {
                const AllocCandidate &a = p.layers[size_t(st.layer)][size_t(st.from)];
                const AllocCandidate &b = p.layers[size_t(st.layer)][size_t(st.to)];
                s.extra.push_back(s.extra.back() + (b.cost - a.cost));
                s.gain.push_back(s.gain.back() + (a.loss - b.loss));
            }
        }
    }

    // The bound of layers l.. with `room` of the budget left for them (+∞ when their cheapest
    // plan does not fit).
    double bound(size_t l, double room) const
    {
        const Suffix &s = mSuffix[l];
        if (!fits(s.minCost, room))
            return std::numeric_limits<double>::infinity();
        const double spend = std::max(0.0, room - s.minCost); // fits() allows rounding below 0
        const size_t k
            = size_t(std::upper_bound(s.extra.begin(), s.extra.end(), spend) - s.extra.begin()) - 1;
        double saved = s.gain[k];
        if (k + 1 < s.extra.size())
            saved += (s.gain[k + 1] - s.gain[k]) * (spend - s.extra[k]) / (s.extra[k + 1] - s.extra[k]);
        return s.minLoss - saved;
    }

    static qint64 size(const AllocProblem &p, const std::vector<std::vector<int>> &hulls)
    {
        qint64 steps = 0, total = 0;
        for (size_t l = p.layers.size(); l-- > 0;) {
            steps += qint64(hulls[l].size()) - 1;
            total += steps;
        }
        return total;
    }

private:
    struct Suffix
    {
        double minCost = 0, minLoss = 0;
        std::vector<Step> steps;
        std::vector<double> extra {0.0}, gain {0.0}; // running sums, one more than steps
    };
    std::vector<Suffix> mSuffix;
};

// Depth-first branch and bound from an incumbent, the layers in model order.
class ExactSearch
{
public:
    ExactSearch(const AllocProblem &p, const SuffixBounds &bounds, std::vector<int> incumbent, qint64 limit,
                double lambda)
        : mP(p)
        , mBounds(bounds)
        , mLimit(limit)
        , mBest(std::move(incumbent))
        , mChoice(mBest)
        , mOrder(p.layers.size())
    {
        mBestLoss = evaluate(p, mBest).loss;
        for (size_t l = 0; l < p.layers.size(); ++l) {
            mOrder[l].resize(p.layers[l].size());
            std::iota(mOrder[l].begin(), mOrder[l].end(), 0);
            // Only the Pareto front (a candidate that costs no less and saves no more than
            // another is never needed for an optimum), by Lagrangian cost at the relaxation's
            // multiplier: the relaxation's own choice first, then those it nearly took.
            std::vector<int> &order = mOrder[l];
            const auto &c = p.layers[l];
            std::sort(order.begin(), order.end(), [&](int a, int b) {
                return c[size_t(a)].cost != c[size_t(b)].cost ? c[size_t(a)].cost < c[size_t(b)].cost
                                                              : c[size_t(a)].loss < c[size_t(b)].loss;
            });
            double lowest = std::numeric_limits<double>::infinity();
            order.erase(std::remove_if(order.begin(), order.end(),
                                       [&](int a) {
                                           if (c[size_t(a)].loss >= lowest)
                                               return true;
                                           lowest = c[size_t(a)].loss;
                                           return false;
                                       }),
                        order.end());
            std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
                return c[size_t(a)].loss + lambda * c[size_t(a)].cost
                    < c[size_t(b)].loss + lambda * c[size_t(b)].cost;
            });
        }
    }

    bool run()
    {
        visit(0, 0, 0);
        return !mAborted;
    }
    const std::vector<int> &best() const { return mBest; }
    qint64 steps() const { return mSteps; }

private:
    // Only plans better than the incumbent by more than rounding are worth a branch.
    bool improves(double loss) const { return loss < mBestLoss - 1e-12 * std::abs(mBestLoss); }

    void visit(size_t l, double cost, double loss)
    {
        if (l == mP.layers.size()) {
            if (improves(loss)) {
                mBestLoss = loss;
                mBest = mChoice;
            }
            return;
        }
        for (int c : mOrder[l]) {
            if (++mSteps > mLimit) {
                mAborted = true;
                return;
            }
            const AllocCandidate &a = mP.layers[l][size_t(c)];
            if (!improves(loss + a.loss + mBounds.bound(l + 1, mP.budget - cost - a.cost)))
                continue;
            mChoice[l] = c;
            visit(l + 1, cost + a.cost, loss + a.loss);
            if (mAborted)
                return;
        }
    }

    const AllocProblem &mP;
    const SuffixBounds &mBounds;
    qint64 mLimit, mSteps = 0;
    bool mAborted = false;
    std::vector<int> mBest, mChoice;
    double mBestLoss = 0;
    std::vector<std::vector<int>> mOrder;
};

} // namespace

std::vector<int> lowerConvexHull(const std::vector<AllocCandidate> &candidates)
{
    std::vector<int> order(candidates.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) {
        const AllocCandidate &x = candidates[size_t(a)], &y = candidates[size_t(b)];
        return x.cost != y.cost ? x.cost < y.cost : (x.loss != y.loss ? x.loss < y.loss : a < b);
    });
    std::vector<int> hull;
    for (int i : order) {
        const AllocCandidate &c = candidates[size_t(i)];
        // Only points that lower the loss (the others are dominated by a cheaper one).
        if (!hull.empty() && c.loss >= candidates[size_t(hull.back())].loss)
            continue;
        // Pop vertices that lie on or above the segment from their predecessor to c.
        while (hull.size() >= 2) {
            const AllocCandidate &a = candidates[size_t(hull[hull.size() - 2])];
            const AllocCandidate &b = candidates[size_t(hull.back())];
            const double cross
                = (b.cost - a.cost) * (c.loss - a.loss) - (b.loss - a.loss) * (c.cost - a.cost);
            if (cross > 0)
                break; // b is strictly below the segment a-c: keep it
            hull.pop_back();
        }
        hull.push_back(i);
    }
    return hull;
}

Expected<AllocSolution> allocate(const AllocProblem &problem, const AllocOptions &options)
{
    double minimum = 0;
    if (Status s = checkProblem(problem, &minimum); !s)
        return Error {s.error()};
    const size_t L = problem.layers.size();
    std::vector<int> choice(L);
    std::vector<Step> steps;
    std::vector<std::vector<int>> hulls(L);
    for (size_t l = 0; l < L; ++l) {
        hulls[l] = lowerConvexHull(problem.layers[l]);
        const std::vector<int> &hull = hulls[l];
        choice[l] = hull.front();
        for (size_t h = 1; h < hull.size(); ++h) {
            const AllocCandidate &a = problem.layers[l][size_t(hull[h - 1])];
            const AllocCandidate &b = problem.layers[l][size_t(hull[h])];
            steps.push_back(Step {int(l), hull[h - 1], hull[h], (a.loss - b.loss) / (b.cost - a.cost)});
        }
    }
    // Convexity makes each layer's rates decrease along its hull, so a stable sort by rate
    // keeps every layer's steps in order.
    std::stable_sort(steps.begin(), steps.end(),
                     [](const Step &a, const Step &b) { return a.rate > b.rate; });
    double cost = minimum;
    double lambda = steps.empty() ? 0 : steps.front().rate;
    for (const Step &s : steps) {
        if (choice[size_t(s.layer)] != s.from)
            break; // unreachable with convex hulls; kept as a guard
        const double extra = problem.layers[size_t(s.layer)][size_t(s.to)].cost
            - problem.layers[size_t(s.layer)][size_t(s.from)].cost;
        if (!fits(cost + extra, problem.budget)) {
            lambda = s.rate;
            break;
        }
        cost += extra;
        choice[size_t(s.layer)] = s.to;
        lambda = s.rate;
    }
    const double relaxed = evaluate(problem, choice).loss;
    const int moves = repair(problem, choice, cost);
    const double repaired = evaluate(problem, choice).loss;
    // The exact search keeps its suffix tables (one merged step list per layer) in memory:
    // beyond 5·10⁷ steps the repaired plan stands unproven.
    bool proven = false;
    qint64 searchSteps = 0;
    double lowerBound = -std::numeric_limits<double>::infinity();
    if (options.searchLimit > 0 && SuffixBounds::size(problem, hulls) <= 50'000'000) {
        const SuffixBounds bounds(problem, hulls);
        lowerBound = bounds.bound(0, problem.budget);
        ExactSearch search(problem, bounds, choice, options.searchLimit, lambda);
        proven = search.run();
        searchSteps = search.steps();
        choice = search.best();
    }
    AllocSolution solution = evaluate(problem, std::move(choice));
    solution.lambda = lambda;
    solution.relaxedLoss = relaxed;
    solution.repairMoves = moves;
    solution.proven = proven;
    solution.searchSteps = searchSteps;
    solution.lowerBound = lowerBound;
    solution.searchGain = repaired - solution.loss;
    return solution;
}

Expected<AllocSolution> allocateExhaustive(const AllocProblem &problem, qint64 maxCombinations)
{
    double minimum = 0;
    if (Status s = checkProblem(problem, &minimum); !s)
        return Error {s.error()};
    double combinations = 1;
    for (const auto &l : problem.layers)
        combinations *= double(l.size());
    if (combinations > double(maxCombinations))
        return makeError(
            QStringLiteral("allocation: %1 combinations are too many to enumerate").arg(combinations));
    const size_t L = problem.layers.size();
    std::vector<int> choice(L, 0), best;
    double bestLoss = std::numeric_limits<double>::infinity(), bestCost = 0;
    for (;;) {
        double cost = 0, loss = 0;
        for (size_t l = 0; l < L; ++l) {
            cost += problem.layers[l][size_t(choice[l])].cost;
            loss += problem.layers[l][size_t(choice[l])].loss;
        }
        if (fits(cost, problem.budget) && (loss < bestLoss || (loss == bestLoss && cost < bestCost))) {
            bestLoss = loss;
            bestCost = cost;
            best = choice;
        }
        size_t l = 0;
        while (l < L && ++choice[l] == int(problem.layers[l].size()))
            choice[l++] = 0;
        if (l == L)
            break;
    }
    return evaluate(problem, best);
}

} // namespace lqer
