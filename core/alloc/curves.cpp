#include "curves.h"

#include "core/common/parallel.h"
#include "core/cost/cost.h"
#include "core/linalg/svd.h"
#include "core/lqer/lqer.h"
#include "core/model/architecture.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <Eigen/Cholesky>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace lqer {

namespace {

constexpr double kTinyLoss = 1e-30;

QStringList catalogNames()
{
    QStringList names;
    for (int b = 2; b <= 8; ++b)
        for (int block : {16, 32})
            names << QStringLiteral("mxint%1_e8_b%2").arg(b).arg(block);
    for (int b = 2; b <= 8; ++b)
        for (int g : {32, 128})
            for (const char *kind : {"sym", "asym"})
                names << QStringLiteral("int%1_g%2_%3").arg(b).arg(g).arg(QLatin1String(kind));
    // ggml's block formats, once the engine parses them.
    names << QStringLiteral("q4_0") << QStringLiteral("q5_0") << QStringLiteral("q8_0");
    return names;
}

// The scaled error E·S of one layer whose singular values give the predicted residuals.
Expected<MatrixRM> scaledError(const QString &layer, const MatrixRM &e, Method method,
                               const LayerStats *stats)
{
    if (method == Method::Plain || method == Method::Lqer)
        return e;
    if (!stats)
        return makeError(QStringLiteral("%1: no calibration statistics for this layer").arg(layer));
    if (method == Method::QeraExact) {
        if (!stats->hasGram() || stats->tokens <= 0)
            return makeError(
                QStringLiteral("%1: QERA-exact needs the Gram matrix (calibrate with it)").arg(layer));
        // ‖E S‖ with S Sᵀ = R = E[x xᵀ]: a Cholesky factor has the singular values of E R^{1/2}.
        const Eigen::MatrixXd r = Eigen::MatrixXd(stats->gram) / double(stats->tokens);
        Eigen::LLT<Eigen::MatrixXd> llt(
            r + 1e-12 * r.diagonal().mean() * Eigen::MatrixXd::Identity(r.rows(), r.cols()));
        if (llt.info() != Eigen::Success)
            return makeError(QStringLiteral("%1: the Gram matrix is not positive definite").arg(layer));
        const Eigen::MatrixXf l = Eigen::MatrixXd(llt.matrixL()).cast<float>();
        MatrixRM out = e * l;
        return out;
    }
    auto s = channelScale(layer, method, *stats);
    if (!s)
        return Error {s.error()};
    MatrixRM out = e;
    for (qint64 j = 0; j < out.cols(); ++j)
        out.col(j) *= float((*s)(j));
    return out;
}

double squaredNorm(const MatrixRM &m)
{
    double s = 0;
    const float *d = m.data();
    for (qint64 i = 0; i < m.size(); ++i)
        s += double(d[i]) * double(d[i]);
    return s;
}

Expected<LayerCurve> layerCurve(const Checkpoint &checkpoint, const LinearLayerInfo &info,
                                const StatsMap &stats, const CandidateSpace &space, const CancelToken *cancel)
{
    LayerCurve curve;
    curve.layer = info.weightName;
    curve.inFeatures = info.inFeatures;
    curve.outFeatures = info.outFeatures;
    auto w = loadLinearWeight(checkpoint, info);
    if (!w)
        return Error {w.error()};
    const LayerStats *st = findLayerStats(&stats, info.weightName);
    const Method method = space.base.method;
    auto ws = scaledError(info.weightName, *w, method, st);
    if (!ws)
        return Error {ws.error()};
    curve.scaledEnergy = squaredNorm(*ws);
    const double weightNorm = std::sqrt(squaredNorm(*w));
    const int full = int(std::min(info.inFeatures, info.outFeatures));
    int maxRank = 0;
    for (int k : space.ranks)
        maxRank = std::max(maxRank, std::min(k, full));
    for (int f = 0; f < space.weights.size(); ++f) {
        if (cancel && cancel->isCancelled())
            return makeError(cancelledMessage());
        const QuantFormat &format = space.weights.at(f);
        auto q = quantizeMatrix(*w, format, info.weightName);
        if (!q)
            return Error {q.error()};
        const MatrixRM e = *w - *q;
        curve.weightError << (weightNorm > 0 ? std::sqrt(squaredNorm(e)) / weightNorm : 0.0);
        auto m = scaledError(info.weightName, e, method, st);
        if (!m)
            return Error {m.error()};
        const double total = squaredNorm(*m);
        VectorD sv;
        if (maxRank > 0) {
            SvdConfig config;
            config.rank = maxRank;
            config.computeVectors = false;
            config.cancel = cancel;
            config.name = info.weightName;
            // The (out, in) row-major matrix seen column-major is its transpose: same singular values.
            Eigen::Map<const Eigen::MatrixXf> view(m->data(), m->cols(), m->rows());
            auto svd = computeSvd(view, config);
            if (!svd)
                return Error {svd.error()};
            sv = svd->singularValues;
        }
        QList<int> done;
        for (int k : space.ranks) {
            const int kk = std::min(k, full);
            if (done.contains(kk))
                continue;
            done << kk;
            double captured = 0;
            for (int i = 0; i < std::min<qint64>(kk, sv.size()); ++i)
                captured += sv(i) * sv(i);
            CurvePoint p;
            p.format = f;
            p.rank = kk;
            p.bitsPerWeight
                = layerBitsPerWeight(info.inFeatures, info.outFeatures, kk, format, space.base.lowRank);
            p.predicted = std::max(0.0, total - captured);
            curve.points << p;
        }
    }
    return curve;
}

} // namespace

LayerPlan curvePointPlan(const LayerCurves &curves, const CurvePoint &p)
{
    LayerPlan lp = curves.base;
    lp.quantize = true;
    lp.weight = curves.formats.at(p.format);
    lp.rank = p.rank;
    if (p.rank == 0)
        lp.method = Method::Plain;
    return lp;
}

namespace {

double pointCost(const LayerCurves &curves, const LayerCurve &layer, const CurvePoint &p, BudgetKind kind)
{
    const double weights = double(layer.inFeatures) * double(layer.outFeatures);
    switch (kind) {
    case BudgetKind::Bits:
        return p.bitsPerWeight * weights;
    case BudgetKind::Bytes:
        return p.bitsPerWeight * weights / 8.0;
    case BudgetKind::Area: {
        Plan plan;
        plan.defaults = curvePointPlan(curves, p);
        const HardwareDesign d
            = designForPlan(plan, {LayerShape {layer.layer, layer.inFeatures, layer.outFeatures}});
        return areaRelativeToFp16(d) * weights;
    }
    }
    return 0;
}

// The budget's total in cost units, and a cost total back in the budget's unit.
double budgetTotal(const LayerCurves &curves, const Budget &budget)
{
    return budget.kind == BudgetKind::Bytes ? budget.value : budget.value * double(curves.weights());
}
double costInUnit(const LayerCurves &curves, BudgetKind kind, double cost)
{
    return kind == BudgetKind::Bytes ? cost : cost / double(std::max<qint64>(1, curves.weights()));
}

// Loss of each point by the objective: Measured scales the layer's predicted curve so that its
// reference point's loss is the KL measured with that layer alone.
Expected<double> layerLossScale(const LayerCurve &layer, Objective objective)
{
    if (objective == Objective::Predicted)
        return 1.0;
    if (layer.measuredKl < 0)
        return makeError(
            QStringLiteral("%1: no measured sensitivity (run the measurement first)").arg(layer.layer));
    const double ref = layer.points.value(layer.referencePoint).predicted;
    return std::max(layer.measuredKl, kTinyLoss) / std::max(ref, kTinyLoss);
}

} // namespace

QList<QuantFormat> catalogWeightFormats()
{
    QList<QuantFormat> formats;
    for (const QString &name : catalogNames()) {
        Expected<QuantFormat> f = QuantFormat::parse(name);
        if (f && f->isQuantized() && f->validate() && !formats.contains(*f))
            formats << *f;
    }
    return formats;
}

QList<QuantFormat> catalogWeightFormats(const QList<int> &bits)
{
    QList<QuantFormat> out;
    for (const QuantFormat &f : catalogWeightFormats())
        if (bits.contains(f.bits))
            out << f;
    return out;
}

const CurvePoint *LayerCurve::find(int format, int rank) const
{
    for (const CurvePoint &p : points)
        if (p.format == format && p.rank == rank)
            return &p;
    return nullptr;
}

qint64 LayerCurves::weights() const
{
    qint64 n = 0;
    for (const LayerCurve &l : layers)
        n += l.inFeatures * l.outFeatures;
    return n;
}

QJsonObject LayerCurves::toJson() const
{
    QJsonArray fs, rs, ls;
    for (const QuantFormat &f : formats)
        fs.append(f.toString());
    for (int k : ranks)
        rs.append(k);
    for (const LayerCurve &l : layers) {
        QJsonArray pts, we;
        for (const CurvePoint &p : l.points)
            pts.append(QJsonArray {p.format, p.rank, p.bitsPerWeight, p.predicted});
        for (double e : l.weightError)
            we.append(e);
        ls.append(QJsonObject {{QStringLiteral("layer"), l.layer},
                               {QStringLiteral("in"), l.inFeatures},
                               {QStringLiteral("out"), l.outFeatures},
                               {QStringLiteral("scaled_energy"), l.scaledEnergy},
                               {QStringLiteral("weight_error"), we},
                               {QStringLiteral("points"), pts},
                               {QStringLiteral("measured_kl"), l.measuredKl},
                               {QStringLiteral("measured_kl_error"), l.measuredKlError},
                               {QStringLiteral("reference_point"), l.referencePoint}});
    }
    return QJsonObject {{QStringLiteral("formats"), fs},
                        {QStringLiteral("ranks"), rs},
                        {QStringLiteral("base"), base.toJson()},
                        {QStringLiteral("layers"), ls}};
}

Expected<LayerCurves> LayerCurves::fromJson(const QJsonObject &json)
{
    LayerCurves c;
    for (const QJsonValue &v : json.value(QStringLiteral("formats")).toArray()) {
        auto f = QuantFormat::parse(v.toString());
        if (!f)
            return makeError(QStringLiteral("curves: %1").arg(f.error()));
        c.formats << *f;
    }
    for (const QJsonValue &v : json.value(QStringLiteral("ranks")).toArray())
        c.ranks << v.toInt();
    auto base = LayerPlan::fromJson(json.value(QStringLiteral("base")).toObject());
    if (!base)
        return makeError(QStringLiteral("curves: %1").arg(base.error()));
    c.base = *base;
    for (const QJsonValue &v : json.value(QStringLiteral("layers")).toArray()) {
        const QJsonObject o = v.toObject();
        LayerCurve l;
        l.layer = o.value(QStringLiteral("layer")).toString();
        l.inFeatures = o.value(QStringLiteral("in")).toInteger();
        l.outFeatures = o.value(QStringLiteral("out")).toInteger();
        l.scaledEnergy = o.value(QStringLiteral("scaled_energy")).toDouble();
        for (const QJsonValue &e : o.value(QStringLiteral("weight_error")).toArray())
            l.weightError << e.toDouble();
        for (const QJsonValue &pv : o.value(QStringLiteral("points")).toArray()) {
            const QJsonArray a = pv.toArray();
            CurvePoint p {a.at(0).toInt(), a.at(1).toInt(), a.at(2).toDouble(), a.at(3).toDouble()};
            if (a.size() != 4 || p.format < 0 || p.format >= c.formats.size())
                return makeError(QStringLiteral("curves: %1: a point is malformed").arg(l.layer));
            l.points << p;
        }
        l.measuredKl = o.value(QStringLiteral("measured_kl")).toDouble(-1);
        l.measuredKlError = o.value(QStringLiteral("measured_kl_error")).toDouble();
        l.referencePoint = o.value(QStringLiteral("reference_point")).toInt();
        if (l.layer.isEmpty() || l.points.isEmpty() || l.inFeatures <= 0 || l.outFeatures <= 0)
            return makeError(QStringLiteral("curves: a layer without name, shape or points"));
        c.layers << l;
    }
    if (c.formats.isEmpty() || c.layers.isEmpty())
        return makeError(QStringLiteral("curves: no formats or no layers"));
    return c;
}

Expected<LayerCurves> predictCurves(const Checkpoint &checkpoint, const StatsMap &stats,
                                    const CandidateSpace &space, int threads, const ProgressFn &progress,
                                    const CancelToken *cancel)
{
    if (space.weights.isEmpty())
        return makeError(QStringLiteral("allocation: no candidate weight formats"));
    if (space.ranks.isEmpty())
        return makeError(QStringLiteral("allocation: no candidate ranks"));
    for (int k : space.ranks)
        if (k < 0)
            return makeError(QStringLiteral("allocation: rank %1 is negative").arg(k));
    auto infos = quantizableLinears(checkpoint);
    if (!infos)
        return Error {infos.error()};
    LayerCurves curves;
    curves.formats = space.weights;
    curves.ranks = space.ranks;
    curves.base = space.base;
    std::vector<LayerCurve> out(size_t(infos->size()));
    Status s = runParallel(
        int(infos->size()), threads,
        [&](int i) -> Status {
            auto c = layerCurve(checkpoint, infos->at(i), stats, space, cancel);
            if (!c)
                return Error {c.error()};
            out[size_t(i)] = std::move(*c);
            return Status::success();
        },
        progress, QStringLiteral("curves"));
    if (!s)
        return Error {s.error()};
    // The reference point of each layer: the base weight format at rank 0 when it is a
    // candidate, else the cheapest rank-0 point.
    const int baseFormat = int(space.weights.indexOf(space.base.weight));
    for (LayerCurve &l : out) {
        int ref = -1;
        for (int i = 0; i < l.points.size(); ++i) {
            const CurvePoint &p = l.points.at(i);
            if (p.rank != 0)
                continue;
            if (p.format == baseFormat) {
                ref = i;
                break;
            }
            if (ref < 0 || p.bitsPerWeight < l.points.at(ref).bitsPerWeight)
                ref = i;
        }
        l.referencePoint = std::max(0, ref);
        curves.layers << std::move(l);
    }
    return curves;
}

QString budgetKindName(BudgetKind kind)
{
    switch (kind) {
    case BudgetKind::Bits:
        return QStringLiteral("bits");
    case BudgetKind::Bytes:
        return QStringLiteral("bytes");
    case BudgetKind::Area:
        return QStringLiteral("area");
    }
    return QString();
}

Expected<Budget> Budget::parse(const QString &text)
{
    static const QRegularExpression re(
        QStringLiteral("^\\s*(?:(bits|bytes|area)\\s*:\\s*)?([0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\\s*"
                       "(bits?|b|B|kB|KB|MB|GB|KiB|MiB|GiB|area)?\\s*$"));
    const QRegularExpressionMatch m = re.match(text);
    const QString bad
        = QStringLiteral("budget '%1': expected average bits (5, 5bits, bits:5), bytes (2.5MB, "
                         "3MiB, 1200000B, bytes:1.2e6) or area relative to FP16 (0.3area, area:0.3)")
              .arg(text);
    if (!m.hasMatch())
        return makeError(bad);
    const QString prefix = m.captured(1), unit = m.captured(3);
    Budget b;
    b.value = m.captured(2).toDouble();
    if (prefix == QLatin1String("bytes") || unit == QLatin1String("B") || unit.endsWith(QLatin1Char('B'))) {
        if (!prefix.isEmpty() && prefix != QLatin1String("bytes"))
            return makeError(bad);
        b.kind = BudgetKind::Bytes;
        static const QMap<QString, double> scale {{QString(), 1},
                                                  {QStringLiteral("B"), 1},
                                                  {QStringLiteral("kB"), 1e3},
                                                  {QStringLiteral("KB"), 1e3},
                                                  {QStringLiteral("MB"), 1e6},
                                                  {QStringLiteral("GB"), 1e9},
                                                  {QStringLiteral("KiB"), 1024.0},
                                                  {QStringLiteral("MiB"), 1024.0 * 1024},
                                                  {QStringLiteral("GiB"), 1024.0 * 1024 * 1024}};
        b.value *= scale.value(unit, 1);
    } else if (prefix == QLatin1String("area") || unit == QLatin1String("area")) {
        if (!prefix.isEmpty() && !unit.isEmpty() && prefix != unit)
            return makeError(bad);
        b.kind = BudgetKind::Area;
    } else {
        b.kind = BudgetKind::Bits;
    }
    if (!(b.value > 0) || !std::isfinite(b.value))
        return makeError(QStringLiteral("budget '%1': must be positive").arg(text));
    return b;
}

QString Budget::toString() const
{
    switch (kind) {
    case BudgetKind::Bits:
        return QStringLiteral("%1 bits/weight").arg(value, 0, 'g', 6);
    case BudgetKind::Bytes:
        return QStringLiteral("%1 bytes").arg(value, 0, 'f', 0);
    case BudgetKind::Area:
        return QStringLiteral("area %1 x FP16").arg(value, 0, 'g', 6);
    }
    return QString();
}

Expected<AllocProblem> allocationProblem(const LayerCurves &curves, const Budget &budget, Objective objective)
{
    AllocProblem p;
    p.budget = budgetTotal(curves, budget);
    p.layers.reserve(size_t(curves.layers.size()));
    for (const LayerCurve &l : curves.layers) {
        auto scale = layerLossScale(l, objective);
        if (!scale)
            return Error {scale.error()};
        std::vector<AllocCandidate> c;
        c.reserve(size_t(l.points.size()));
        for (const CurvePoint &pt : l.points)
            c.push_back(AllocCandidate {pointCost(curves, l, pt, budget.kind), pt.predicted * *scale});
        p.layers.push_back(std::move(c));
    }
    return p;
}

Expected<Allocation> allocateCurves(const LayerCurves &curves, const Budget &budget, Objective objective,
                                    const Plan &basePlan, const AllocOptions &options)
{
    auto problem = allocationProblem(curves, budget, objective);
    if (!problem)
        return Error {problem.error()};
    auto solution = allocate(*problem, options);
    if (!solution) {
        if (budget.kind == BudgetKind::Bytes)
            return Error {solution.error()};
        // Say it in the budget's unit.
        double minimum = 0;
        for (const auto &l : problem->layers)
            minimum
                += std::min_element(l.begin(), l.end(), [](const AllocCandidate &a, const AllocCandidate &b) {
                       return a.cost < b.cost;
                   })->cost;
        return makeError(QStringLiteral("budget %1 is below the cheapest candidate plan (%2)")
                             .arg(budget.toString(),
                                  Budget {budget.kind, costInUnit(curves, budget.kind, minimum)}.toString()));
    }
    Allocation a;
    a.budget = budget;
    a.objective = objective;
    a.plan = basePlan;
    a.plan.preset.clear();
    a.plan.overrides.clear();
    a.plan.defaults = curves.base;
    double bits = 0;
    for (int i = 0; i < curves.layers.size(); ++i) {
        const LayerCurve &l = curves.layers.at(i);
        const CurvePoint &p = l.points.at(solution->choice[size_t(i)]);
        const AllocCandidate &c = problem->layers[size_t(i)][size_t(solution->choice[size_t(i)])];
        LayerChoice choice {l.layer, curves.formats.at(p.format), p.rank, p.bitsPerWeight, c.cost, c.loss};
        a.layers << choice;
        bits += p.bitsPerWeight * double(l.inFeatures) * double(l.outFeatures);
        a.plan.setLayer(l.layer, curvePointPlan(curves, p));
    }
    a.cost = costInUnit(curves, budget.kind, solution->cost);
    a.averageBits = bits / double(std::max<qint64>(1, curves.weights()));
    a.loss = solution->loss;
    a.relaxedLoss = solution->relaxedLoss;
    a.lambda = solution->lambda;
    a.proven = solution->proven;
    a.lowerBound = solution->lowerBound;
    a.searchSteps = solution->searchSteps;
    return a;
}

QJsonObject Allocation::toJson() const
{
    QJsonObject o = plan.toJson();
    QJsonArray layerArray;
    for (const LayerChoice &c : layers)
        layerArray.append(QJsonObject {{QStringLiteral("layer"), c.layer},
                                       {QStringLiteral("weight"), c.weight.toString()},
                                       {QStringLiteral("rank"), c.rank},
                                       {QStringLiteral("bits_per_weight"), c.bitsPerWeight},
                                       {QStringLiteral("loss"), c.loss}});
    o.insert(QStringLiteral("allocation"),
             QJsonObject {{QStringLiteral("budget"), budget.toString()},
                          {QStringLiteral("budget_kind"), budgetKindName(budget.kind)},
                          {QStringLiteral("budget_value"), budget.value},
                          {QStringLiteral("objective"),
                           objective == Objective::Measured ? QStringLiteral("measured")
                                                            : QStringLiteral("predicted")},
                          {QStringLiteral("cost"), cost},
                          {QStringLiteral("average_bits"), averageBits},
                          {QStringLiteral("loss"), loss},
                          {QStringLiteral("relaxed_loss"), relaxedLoss},
                          {QStringLiteral("optimal"), proven},
                          {QStringLiteral("lower_bound"), lowerBound},
                          {QStringLiteral("layers"), layerArray}});
    return o;
}

QList<UniformPoint> uniformPoints(const LayerCurves &curves, const Budget &budgetKind, Objective objective)
{
    QList<UniformPoint> out;
    for (int f = 0; f < curves.formats.size(); ++f) {
        for (int k : curves.ranks) {
            UniformPoint u {f, k, 0, 0, 0};
            double bits = 0;
            bool ok = true;
            for (const LayerCurve &l : curves.layers) {
                const CurvePoint *p = l.find(f, std::min<int>(k, int(std::min(l.inFeatures, l.outFeatures))));
                auto scale = layerLossScale(l, objective);
                if (!p || !scale) {
                    ok = false;
                    break;
                }
                bits += p->bitsPerWeight * double(l.inFeatures) * double(l.outFeatures);
                u.cost += pointCost(curves, l, *p, budgetKind.kind);
                u.loss += p->predicted * *scale;
            }
            if (!ok)
                continue;
            u.averageBits = bits / double(std::max<qint64>(1, curves.weights()));
            u.cost = costInUnit(curves, budgetKind.kind, u.cost);
            out << u;
        }
    }
    return out;
}

UniformPoint bestUniform(const LayerCurves &curves, const Budget &budget, Objective objective)
{
    UniformPoint best {-1, 0, 0, 0, 0};
    for (const UniformPoint &u : uniformPoints(curves, budget, objective))
        if (u.cost <= budget.value * (1 + 1e-12) && (best.format < 0 || u.loss < best.loss))
            best = u;
    return best;
}

Plan uniformPlan(const LayerCurves &curves, const UniformPoint &point, const Plan &basePlan)
{
    Plan plan = basePlan;
    plan.preset.clear();
    plan.overrides.clear();
    CurvePoint p;
    p.format = point.format;
    p.rank = point.rank;
    plan.defaults = curvePointPlan(curves, p);
    return plan;
}

double spearman(const QList<double> &x, const QList<double> &y)
{
    const qsizetype n = std::min(x.size(), y.size());
    if (n < 2)
        return 0;
    auto ranks = [n](const QList<double> &v) {
        std::vector<int> idx(static_cast<size_t>(n));
        std::iota(idx.begin(), idx.end(), 0);
        std::sort(idx.begin(), idx.end(), [&](int a, int b) { return v[a] < v[b]; });
        std::vector<double> r(static_cast<size_t>(n));
        for (qsizetype i = 0; i < n;) {
            qsizetype j = i;
            while (j + 1 < n && v[idx[size_t(j + 1)]] == v[idx[size_t(i)]])
                ++j;
            for (qsizetype t = i; t <= j; ++t)
                r[size_t(idx[size_t(t)])] = 0.5 * double(i + j) + 1;
            i = j + 1;
        }
        return r;
    };
    const std::vector<double> rx = ranks(x), ry = ranks(y);
    const double mx = std::accumulate(rx.begin(), rx.end(), 0.0) / double(n);
    const double my = std::accumulate(ry.begin(), ry.end(), 0.0) / double(n);
    double sxy = 0, sxx = 0, syy = 0;
    for (qsizetype i = 0; i < n; ++i) {
        sxy += (rx[size_t(i)] - mx) * (ry[size_t(i)] - my);
        sxx += (rx[size_t(i)] - mx) * (rx[size_t(i)] - mx);
        syy += (ry[size_t(i)] - my) * (ry[size_t(i)] - my);
    }
    return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : 0;
}

} // namespace lqer
