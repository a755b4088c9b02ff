#include "app/studio/sessions.h"

#include "core/io/checkpoint.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>
#include <QSet>

#include <cmath>

namespace lqer {

namespace {

bool hasLayers(const RunRecord &run)
{
    // A run someone is still writing (another studio, the CLI) is not shown as a result.
    return run.layerCount > 0 && run.status != RunStatus::Running;
}

// "L²QER k=32" (or "Plain"/"mixed") from a plan's defaults.
QString planSummary(const Plan &plan)
{
    const LayerPlan &d = plan.defaults;
    QString text = d.method == Method::Plain || d.rank == 0
        ? QObject::tr("%1 plain").arg(d.weight.toString())
        : QObject::tr("%1 %2 k=%3").arg(d.weight.toString(), methodDisplayName(d.method)).arg(d.rank);
    if (!plan.overrides.isEmpty())
        text += QObject::tr(" (+%n override(s))", nullptr, int(plan.overrides.size()));
    return text;
}

} // namespace

QString runStatusText(RunStatus status)
{
    switch (status) {
    case RunStatus::Running:
        return QObject::tr("running");
    case RunStatus::Complete:
        return QObject::tr("complete");
    case RunStatus::Cancelled:
        return QObject::tr("cancelled");
    case RunStatus::Interrupted:
        return QObject::tr("interrupted");
    case RunStatus::Failed:
        return QObject::tr("failed");
    }
    return runStatusName(status);
}

QString runKindText(const QString &kind)
{
    if (kind == QLatin1String("quantize"))
        return QObject::tr("quantize");
    if (kind == QLatin1String("analyze"))
        return QObject::tr("analyze");
    if (kind == QLatin1String("eval"))
        return QObject::tr("evaluate");
    if (kind == QLatin1String("sweep"))
        return QObject::tr("rank sweep");
    if (kind == QLatin1String("export"))
        return QObject::tr("export");
    if (kind == QLatin1String("allocate"))
        return QObject::tr("allocate");
    if (kind == QLatin1String("curves"))
        return QObject::tr("rank curves");
    if (kind == QLatin1String("sensitivity"))
        return QObject::tr("sensitivity");
    return kind;
}

QString exportRunSummary(const QJsonObject &details)
{
    const QString format = details.value(QStringLiteral("format")).toString();
    if (format.isEmpty())
        return QString();
    QStringList parts {format};
    // Range-checked before the conversion: the details come from a database file.
    const double bytes = details.value(QStringLiteral("totalBytes")).toDouble(-1);
    if (bytes >= 0 && bytes < 1e18)
        parts << QLocale().formattedDataSize(qint64(bytes));
    const double bits = details.value(QStringLiteral("bitsPerWeight")).toDouble();
    if (bits > 0)
        parts << QObject::tr("%1 bits/weight").arg(bits, 0, 'f', 3);
    return parts.join(QStringLiteral(" · "));
}

QString allocationRunSummary(const QString &kind, const QJsonObject &details)
{
    if (kind == QLatin1String("allocate")) {
        if (!details.contains(QStringLiteral("average_bits")))
            return QString();
        return QObject::tr("%1 · %2 bits/weight · %3 loss %4")
            .arg(details.value(QStringLiteral("budget")).toString())
            .arg(details.value(QStringLiteral("average_bits")).toDouble(), 0, 'f', 3)
            .arg(details.value(QStringLiteral("objective")).toString())
            .arg(details.value(QStringLiteral("loss")).toDouble(), 0, 'g', 4);
    }
    const QJsonObject curves = details.value(QStringLiteral("curves")).toObject();
    if (curves.isEmpty())
        return QString();
    QString text = QObject::tr("%1 layers × %2 formats × %3 ranks")
                       .arg(curves.value(QStringLiteral("layers")).toArray().size())
                       .arg(curves.value(QStringLiteral("formats")).toArray().size())
                       .arg(curves.value(QStringLiteral("ranks")).toArray().size());
    const int measured = details.value(QStringLiteral("rank_kl")).toObject().size();
    if (measured > 0)
        text += QStringLiteral(" · ") + QObject::tr("%n layer(s) measured per rank", nullptr, measured);
    return text;
}

QString sweepLabel(const QString &series, int rank)
{
    return QStringLiteral("%1 k=%2").arg(series).arg(rank);
}

bool parseSweepLabel(const QString &label, QString *series, int *rank)
{
    static const QRegularExpression re(QStringLiteral("^(.+) k=(\\d+)$"));
    const QRegularExpressionMatch m = re.match(label);
    if (!m.hasMatch())
        return false;
    if (series)
        *series = m.captured(1);
    if (rank)
        *rank = m.captured(2).toInt();
    return true;
}

SessionManager::SessionManager(QObject *parent)
    : QObject(parent)
{ }

SessionManager::~SessionManager() = default;

Status SessionManager::open(const QString &path)
{
    mStore.reset();
    mPath = QFileInfo(SessionStore::resolvePath(path)).absoluteFilePath();
    mOpenError.clear();
    auto store = SessionStore::open(mPath);
    if (!store) {
        mOpenError = store.error();
        emit sessionsChanged();
        return makeError(store.error());
    }
    mStore = std::move(*store);
    emit sessionsChanged();
    return Status::success();
}

void SessionManager::close()
{
    mStore.reset();
    emit sessionsChanged();
}

static Error notOpen()
{
    return makeError(QObject::tr("No session database is open"));
}

Expected<QList<SessionSummary>> SessionManager::sessions()
{
    if (!mStore)
        return notOpen();
    return mStore->listSessions();
}

Expected<QList<RunRecord>> SessionManager::runs(qint64 sessionId)
{
    if (!mStore)
        return notOpen();
    return mStore->listRuns(sessionId);
}

Expected<SessionRecord> SessionManager::session(qint64 sessionId)
{
    if (!mStore)
        return notOpen();
    return mStore->session(sessionId);
}

Expected<SessionSnapshot> SessionManager::snapshot(qint64 sessionId)
{
    if (!mStore)
        return notOpen();
    SessionSnapshot snap;
    auto rec = mStore->session(sessionId);
    if (!rec)
        return makeError(rec.error());
    snap.session = *rec;
    auto runs = mStore->listRuns(sessionId);
    if (!runs)
        return makeError(runs.error());
    snap.runs = *runs;

    // Newest first: each layer takes its result from the newest run that has it, so usually
    // only the last run's rows are read.
    QSet<QString> complete;
    bool sweepDone = false;
    bool wholeModel = false;
    for (auto it = snap.runs.crbegin(); it != snap.runs.crend(); ++it) {
        const RunRecord &run = *it;
        for (const PerplexityRecord &p : run.perplexities) {
            QString series;
            int rank = 0;
            if (run.kind == QLatin1String("sweep")) {
                if (sweepDone || !parseSweepLabel(p.label, &series, &rank))
                    continue;
                if (rank == 0) {
                    snap.sweepPlain = p.perplexity;
                    continue;
                }
                auto s = std::find_if(snap.sweep.begin(), snap.sweep.end(),
                                      [&](const RankSweepSeries &x) { return x.label == series; });
                if (s == snap.sweep.end()) {
                    snap.sweep.append(RankSweepSeries {series, {}, {}, {}});
                    s = snap.sweep.end() - 1;
                }
                // Ranks ascending (the sweep records them ascending; keep the order robust).
                qsizetype pos = 0;
                while (pos < s->ranks.size() && s->ranks[pos] < rank)
                    ++pos;
                s->ranks.insert(pos, rank);
                s->perplexities.insert(pos, p.perplexity);
                s->errors.insert(pos, p.perplexityError);
            } else if (p.label == QLatin1String("fp32")) {
                if (!snap.fp32Perplexity)
                    snap.fp32Perplexity = p.perplexity;
            } else if (!snap.perplexity && run.plan == snap.session.plan
                       && run.status == RunStatus::Complete) {
                snap.perplexity = p.perplexity;
            }
        }
        if (run.kind == QLatin1String("sweep") && !run.perplexities.isEmpty())
            sweepDone = true;
        if (!hasLayers(run) || wholeModel)
            continue;
        auto full = mStore->run(run.id, true);
        if (!full)
            return makeError(full.error());
        ++snap.runsRead;
        for (const LayerRunRecord &l : full->layers) {
            if (complete.contains(l.layer))
                continue;
            complete.insert(l.layer);
            snap.results.insert(l.layer, layerResultFromRecord(l));
        }
        // A complete whole-model run covers every layer: older runs have nothing to add.
        wholeModel = run.kind == QLatin1String("quantize") && run.status == RunStatus::Complete;
    }
    return snap;
}

QString SessionManager::runLabel(const RunRecord &run)
{
    // The method actually run (methods needing statistics fall back to LQER without them).
    Plan plan = run.plan;
    QSet<QString> methods;
    for (const LayerRunRecord &l : run.layers)
        methods.insert(l.method);
    if (methods.size() == 1 && run.plan.overrides.isEmpty())
        plan.defaults.method = methodFromName(*methods.begin()).value_or(plan.defaults.method);
    QString label = QObject::tr("run %1 · %2").arg(run.id).arg(planSummary(plan));
    if (run.status != RunStatus::Complete)
        label += QStringLiteral(" · %1").arg(runStatusText(run.status));
    return label;
}

Expected<RunComparison> SessionManager::compare(qint64 runA, qint64 runB)
{
    if (!mStore)
        return notOpen();
    auto a = mStore->run(runA, false);
    if (!a)
        return makeError(a.error());
    auto b = mStore->run(runB, false);
    if (!b)
        return makeError(b.error());
    RunComparison c;
    c.labelA = runLabel(*a);
    c.labelB = runLabel(*b);

    // Layers: A's order, then B's extra layers (both follow model order).
    QHash<QString, const LayerRunRecord *> la, lb;
    for (const LayerRunRecord &l : a->layers) {
        c.layers << l.layer;
        la.insert(l.layer, &l);
    }
    for (const LayerRunRecord &l : b->layers) {
        if (!la.contains(l.layer))
            c.layers << l.layer;
        lb.insert(l.layer, &l);
    }
    RunComparisonMetric ea {QObject::tr("Mean absolute error eₐ"), {}, {}};
    RunComparisonMetric rel {QObject::tr("Relative error ‖E−Ẽ‖_F / ‖W‖_F"), {}, {}};
    RunComparisonMetric bits {QObject::tr("Bits per weight"), {}, {}};
    for (const QString &name : std::as_const(c.layers)) {
        const LayerRunRecord *x = la.value(name), *y = lb.value(name);
        ea.a << (x ? x->meanAbsError : NAN);
        ea.b << (y ? y->meanAbsError : NAN);
        rel.a << (x ? x->relError : NAN);
        rel.b << (y ? y->relError : NAN);
        bits.a << (x ? x->bits : NAN);
        bits.b << (y ? y->bits : NAN);
    }
    c.metrics = {ea, rel, bits};

    // Perplexities: the runs' own, and the newest evaluation of the same plan in each run's
    // session (an evaluation is its own run; it applies to every run of the same plan).
    auto evaluationsOf = [&](const RunRecord &run) {
        QList<PerplexityRecord> out = run.perplexities;
        if (run.kind == QLatin1String("eval"))
            return out;
        auto runs = mStore->listRuns(run.sessionId);
        if (!runs)
            return out;
        for (auto it = runs->crbegin(); it != runs->crend(); ++it) {
            if (it->kind != QLatin1String("eval") || it->status != RunStatus::Complete)
                continue;
            for (const PerplexityRecord &p : it->perplexities) {
                const bool same = p.label == QLatin1String("fp32") || it->plan == run.plan;
                const bool have = std::any_of(out.cbegin(), out.cend(),
                                              [&](const PerplexityRecord &q) { return q.label == p.label; });
                if (same && !have)
                    out << p;
            }
        }
        return out;
    };
    const QList<PerplexityRecord> pa = evaluationsOf(*a), pb = evaluationsOf(*b);
    auto row = [&](const QString &label) -> ComparedPerplexity & {
        for (ComparedPerplexity &p : c.perplexities)
            if (p.label == label)
                return p;
        c.perplexities.append(ComparedPerplexity {label, std::nullopt, std::nullopt});
        return c.perplexities.last();
    };
    // The comparison with FP32 of each evaluation that measured it, a row per figure.
    auto fill = [&](const QList<PerplexityRecord> &records, bool first) {
        for (const PerplexityRecord &p : records) {
            QList<QPair<QString, double>> figures {{p.label, p.perplexity}};
            if (p.perplexityError > 0)
                figures << qMakePair(QObject::tr("%1: σ of the perplexity").arg(p.label), p.perplexityError);
            if (p.kl.measured)
                figures << qMakePair(QObject::tr("%1: KL from FP32, mean").arg(p.label), p.kl.meanKl)
                        << qMakePair(QObject::tr("%1: KL from FP32, p99").arg(p.label), p.kl.p99Kl)
                        << qMakePair(QObject::tr("%1: top-1 agreement (%)").arg(p.label), 100 * p.kl.top1)
                        << qMakePair(QObject::tr("%1: Δppl from FP32").arg(p.label), p.kl.deltaPerplexity);
            for (const auto &f : figures)
                (first ? row(f.first).a : row(f.first).b) = f.second;
        }
    };
    fill(pa, true);
    fill(pb, false);

    for (const RunRecord *r : {&*a, &*b}) {
        int fellBack = 0;
        for (const LayerRunRecord &l : r->layers)
            fellBack += l.method != methodName(r->plan.forLayer(l.layer).method) ? 1 : 0;
        if (fellBack > 0)
            c.notes << QObject::tr("Run %1: %2 layer(s) ran as %3 instead of %4 (no calibration statistics)")
                           .arg(r->id)
                           .arg(fellBack)
                           .arg(methodDisplayName(Method::Lqer), methodDisplayName(r->plan.defaults.method));
    }
    for (const RunRecord *r : {&*a, &*b})
        if (r->status != RunStatus::Complete)
            c.notes << QObject::tr("Run %1 is %2: %3 of %4 layers")
                           .arg(r->id)
                           .arg(runStatusText(r->status))
                           .arg(r->layerCount)
                           .arg(r->expectedLayers);
    return c;
}

QString SessionManager::defaultSessionName(const Document &document)
{
    return QStringLiteral("%1 %2").arg(
        document.displayName(), QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd hh:mm")));
}

Expected<qint64> SessionManager::createSession(const Document &document, const QString &name)
{
    if (!mStore)
        return notOpen();
    auto modelId = mStore->ensureModel(modelRecordFor(*document.checkpoint()));
    if (!modelId)
        return makeError(modelId.error());
    SessionRecord rec;
    rec.name = name.isEmpty() ? defaultSessionName(document) : name;
    rec.modelId = *modelId;
    rec.plan = document.plan();
    auto id = mStore->createSession(rec);
    if (id)
        emit sessionsChanged();
    return id;
}

Status SessionManager::renameSession(qint64 sessionId, const QString &name)
{
    if (!mStore)
        return notOpen();
    if (name.trimmed().isEmpty())
        return makeError(QObject::tr("A session needs a name"));
    Status s = mStore->renameSession(sessionId, name.trimmed());
    if (s)
        emit sessionsChanged();
    return s;
}

Status SessionManager::deleteSession(qint64 sessionId)
{
    if (!mStore)
        return notOpen();
    Status s = mStore->deleteSession(sessionId);
    if (s)
        emit sessionsChanged();
    return s;
}

Expected<qint64> SessionManager::duplicateSession(qint64 sessionId, const QString &name)
{
    if (!mStore)
        return notOpen();
    auto id = mStore->duplicateSession(sessionId, name);
    if (id)
        emit sessionsChanged();
    return id;
}

Status SessionManager::savePlan(qint64 sessionId, const Plan &plan)
{
    if (!mStore)
        return notOpen();
    return mStore->setSessionPlan(sessionId, plan);
}

Status SessionManager::saveStats(qint64 sessionId, const QString &statsPath, const QString &statsFingerprint)
{
    if (!mStore)
        return notOpen();
    return mStore->setSessionStats(sessionId, statsPath, statsFingerprint);
}

Expected<qint64> SessionManager::recordRun(qint64 sessionId, const RunCapture &capture, RunStatus status,
                                           double wallSeconds, const QString &error)
{
    if (!mStore)
        return notOpen();
    QElapsedTimer timer;
    timer.start();
    NewRun nr;
    nr.sessionId = sessionId;
    nr.kind = capture.kind;
    nr.plan = capture.plan;
    nr.expectedLayers = capture.expectedLayers;
    nr.details = capture.details;
    auto runId = mStore->beginRun(nr);
    if (!runId)
        return makeError(runId.error());
    auto fail = [&](const QString &why) -> Error {
        // Never leave the run 'running': close it as failed with the reason.
        (void)mStore->finishRun(*runId, RunStatus::Failed, wallSeconds, why);
        return makeError(why);
    };
    if (!capture.layers.isEmpty()) {
        if (Status s = mStore->appendLayers(*runId, capture.layers); !s)
            return fail(s.error());
    }
    for (const PerplexityRecord &p : capture.perplexities) {
        if (Status s = mStore->addPerplexity(*runId, p); !s)
            return fail(s.error());
    }
    if (Status s = mStore->finishRun(*runId, status, wallSeconds, error); !s)
        return makeError(s.error());
    mLastWriteMs = timer.nsecsElapsed() / 1e6;
    mMaxWriteMs = std::max(mMaxWriteMs, mLastWriteMs);
    emit runRecorded(sessionId, *runId);
    emit sessionsChanged();
    return *runId;
}

} // namespace lqer
