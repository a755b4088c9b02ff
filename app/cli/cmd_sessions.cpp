// lqer sessions list|show|export|delete|check|bench: the session store from the command line.

#include "cli.h"
#include "options.h"

#include "core/store/bundle.h"
#include "core/store/sessionstore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>

namespace lqer::cli {

namespace {

const char kUsage[] = "usage: lqer sessions <subcommand> [options]   (lqer sessions <subcommand> --help)\n\n"
                      "subcommands:\n"
                      "  list                      sessions with their model and runs\n"
                      "  show SESSION_ID           a session: model, plan, runs\n"
                      "  show --run RUN_ID         a run: status, perplexities, per-layer table\n"
                      "  export RUN_ID --format csv|json -o FILE\n"
                      "                            a run's per-layer table (JSON also has spectra)\n"
                      "  export --session ID|NAME -o FILE\n"
                      "                            the session as one self-contained bundle (runs, plan,\n"
                      "                            statistics) that the studio opens read-only\n"
                      "  delete SESSION_ID         a session with all its runs (--run RUN_ID: one run)\n"
                      "  check                     SQLite integrity check of the store\n"
                      "  bench                     store and read back a 7B-shaped run, print timings\n\n"
                      "every subcommand takes --db PATH; default: $LQER_SESSIONS_DB, else the user's data\n"
                      "folder (lqer-studio/sessions.db)\n";

// A subcommand's parser: its description and --db; the subcommand adds its own options.
void declareSubcommand(QCommandLineParser &parser, const QString &description)
{
    parser.setApplicationDescription(description);
    parser.addOption(dbOption(QStringLiteral("to read")));
}

// The store's path as the user gave it (--db, $LQER_SESSIONS_DB or the default), for messages.
QString dbPath(const QCommandLineParser &parser)
{
    return QDir::toNativeSeparators(SessionStore::resolvePath(parser.value(QStringLiteral("db"))));
}

// Read-write when possible, so stale runs are recovered and old files migrated; read-only
// files can still be listed and exported.
Expected<std::unique_ptr<SessionStore>> openExisting(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return makeError(QStringLiteral("no session store at %1 (use --db or LQER_SESSIONS_DB)").arg(path));
    StoreOpenConfig config;
    config.path = path;
    if (!info.isWritable() || !QFileInfo(info.absolutePath()).isWritable())
        config.mode = StoreOpenConfig::ReadOnly;
    return SessionStore::open(config);
}

QString timeText(const QDateTime &t)
{
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd hh:mm:ss"))
                       : QStringLiteral("-");
}

bool parseId(const QString &text, qint64 &id)
{
    bool ok = false;
    id = text.toLongLong(&ok);
    return ok && id > 0;
}

QString number(double v, int precision = 4)
{
    return QString::number(v, 'g', precision);
}

QString planSummary(const Plan &plan)
{
    const LayerPlan &d = plan.defaults;
    QString text
        = QStringLiteral("%1weights %2, activations %3, low-rank %4, %5 k=%6, svd %7")
              .arg(plan.preset.isEmpty() ? QString() : QStringLiteral("preset %1; ").arg(plan.preset),
                   d.weight.toString(), d.act.toString(), d.lowRank.toString(), methodName(d.method))
              .arg(d.rank)
              .arg(svdBackendName(plan.svd));
    if (!d.quantize)
        text += QStringLiteral(", layers unquantized by default");
    if (plan.quantizeAttentionMatmuls)
        text += QStringLiteral(", attention matmuls MXINT8");
    if (!plan.overrides.isEmpty())
        text += QStringLiteral(", %1 layer override(s)").arg(plan.overrides.size());
    return text;
}

int sessionsList(const QStringList &args)
{
    QCommandLineParser parser;
    declareSubcommand(parser, QStringLiteral("List the recorded sessions."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    parser.addOption(json);
    int code = 0;
    if (!parseOrExit(parser, args, code))
        return code;
    const QString path = dbPath(parser);
    if (!QFileInfo::exists(path)) {
        out(parser.isSet(json) ? QStringLiteral("[]\n")
                               : QStringLiteral("no sessions (%1 does not exist)\n").arg(path));
        return 0;
    }
    auto store = openExisting(path);
    if (!store)
        return fail(store.error());
    auto list = (*store)->listSessions();
    if (!list)
        return fail(list.error());
    if (parser.isSet(json)) {
        QJsonArray array;
        for (const SessionSummary &s : *list) {
            array.append(QJsonObject {
                {QStringLiteral("id"), s.id},
                {QStringLiteral("name"), s.name},
                {QStringLiteral("model"), s.modelPath},
                {QStringLiteral("architecture"), s.architecture},
                {QStringLiteral("created"), s.created.toString(Qt::ISODateWithMs)},
                {QStringLiteral("modified"), s.modified.toString(Qt::ISODateWithMs)},
                {QStringLiteral("runs"), s.runCount},
                {QStringLiteral("last_run_status"), s.lastRunStatus},
            });
        }
        out(QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Indented)));
        return 0;
    }
    if (list->isEmpty()) {
        out(QStringLiteral("no sessions in %1\n").arg(path));
        return 0;
    }
    out(QStringLiteral("%1  %2  %3  %4  %5  %6\n")
            .arg(QStringLiteral("id"), 5)
            .arg(QStringLiteral("name"), -24)
            .arg(QStringLiteral("arch"), -8)
            .arg(QStringLiteral("runs"), 4)
            .arg(QStringLiteral("last run"), -11)
            .arg(QStringLiteral("modified / model")));
    for (const SessionSummary &s : *list) {
        out(QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n")
                .arg(s.id, 5)
                .arg(s.name, -24)
                .arg(s.architecture, -8)
                .arg(s.runCount, 4)
                .arg(s.lastRunStatus.isEmpty() ? QStringLiteral("-") : s.lastRunStatus, -11)
                .arg(timeText(s.modified), s.modelPath));
    }
    return 0;
}

int showRun(SessionStore &store, qint64 runId)
{
    auto run = store.run(runId, false);
    if (!run)
        return fail(run.error());
    auto session = store.session(run->sessionId);
    QString text = QStringLiteral("run %1 (%2) in session %3 '%4'\n")
                       .arg(run->id)
                       .arg(run->kind)
                       .arg(run->sessionId)
                       .arg(session ? session->name : QString());
    QString status = runStatusName(run->status);
    if (run->status != RunStatus::Complete)
        status
            += QStringLiteral(" - NOT complete, %1 of %2 layers recorded")
                   .arg(run->layerCount)
                   .arg(run->expectedLayers > 0 ? QString::number(run->expectedLayers) : QStringLiteral("?"));
    text += QStringLiteral("  status     %1\n").arg(status);
    if (!run->error.isEmpty())
        text += QStringLiteral("  error      %1\n").arg(run->error);
    text += QStringLiteral("  started    %1   finished %2   wall %3 s\n")
                .arg(timeText(run->started), timeText(run->finished), number(run->wallSeconds));
    text += QStringLiteral("  program    lqer %1\n").arg(run->programVersion);
    text += QStringLiteral("  plan       %1\n").arg(planSummary(run->plan));
    if (!run->tags.isEmpty())
        text += QStringLiteral("  tags       %1\n").arg(run->tags.join(QStringLiteral(", ")));
    if (!run->notes.isEmpty())
        text += QStringLiteral("  notes      %1\n").arg(run->notes);
    if (!run->perplexities.isEmpty()) {
        text += QStringLiteral("\nperplexity (windows of L tokens, scored tokens, text):\n");
        for (const PerplexityRecord &p : run->perplexities) {
            text += QStringLiteral("  %1 %2   L=%3  %4 tokens  %5 (%6)\n")
                        .arg(p.label, -12)
                        .arg(p.perplexity, 10, 'f', 3)
                        .arg(p.windowLength)
                        .arg(p.tokens)
                        .arg(p.textPath, p.textFingerprint.left(12));
            if (p.perplexityError > 0)
                text += QStringLiteral("  %1 ± %2").arg(QString(), -12).arg(p.perplexityError, 0, 'f', 4);
            if (p.kl.measured)
                text += QStringLiteral("  vs FP32: Δppl %1 ± %2, KL mean %3 (p99 %4), top-1 %5%")
                            .arg(p.kl.deltaPerplexity, 0, 'f', 4)
                            .arg(p.kl.deltaPerplexityError, 0, 'f', 4)
                            .arg(p.kl.meanKl, 0, 'f', 5)
                            .arg(p.kl.p99Kl, 0, 'f', 4)
                            .arg(100 * p.kl.top1, 0, 'f', 2);
            if (p.perplexityError > 0 || p.kl.measured)
                text += QLatin1Char('\n');
        }
    }
    if (!run->layers.isEmpty()) {
        text += QStringLiteral("\n%1 %2 %3 %4 %5 %6 %7 %8\n")
                    .arg(QStringLiteral("layer"), -48)
                    .arg(QStringLiteral("method"), -11)
                    .arg(QStringLiteral("k"), 5)
                    .arg(QStringLiteral("in x out"), 12)
                    .arg(QStringLiteral("bits"), 7)
                    .arg(QStringLiteral("rel.err"), 10)
                    .arg(QStringLiteral("out.err"), 10)
                    .arg(QStringLiteral("sec"), 7);
        for (const LayerRunRecord &l : run->layers) {
            text += QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8\n")
                        .arg(l.layer, -48)
                        .arg(l.method, -11)
                        .arg(l.rank, 5)
                        .arg(QStringLiteral("%1x%2").arg(l.inFeatures).arg(l.outFeatures), 12)
                        .arg(l.bits, 7, 'f', 3)
                        .arg(l.relError, 10, 'e', 3)
                        .arg(l.outputError < 0 ? QStringLiteral("-") : QString::number(l.outputError, 'e', 3),
                             10)
                        .arg(l.seconds, 7, 'f', 2);
        }
    }
    out(text);
    return 0;
}

// What show and delete act on: SESSION_ID, or --run RUN_ID instead.
struct Target
{
    qint64 id = 0;
    bool isRun = false;
};

// Declares the subcommand with --run and the session-id argument, parses `args`. Empty after
// --help or a usage error (`code` set).
std::optional<Target> parseTarget(QCommandLineParser &parser, const QStringList &args,
                                  const QString &description, const QString &runHelp,
                                  const QString &sessionHelp, int &code)
{
    declareSubcommand(parser, description);
    parser.addOption(QCommandLineOption(QStringLiteral("run"), runHelp, QStringLiteral("run-id")));
    parser.addPositionalArgument(QStringLiteral("session-id"), sessionHelp);
    if (!parseOrExit(parser, args, code))
        return std::nullopt;
    Target t;
    t.isRun = parser.isSet(QStringLiteral("run"));
    const QStringList positional = parser.positionalArguments();
    const QString idText = t.isRun ? parser.value(QStringLiteral("run")) : positional.value(0);
    if (!parseId(idText, t.id) || positional.size() != (t.isRun ? 0 : 1)) {
        err(helpText(parser));
        code = 2;
        return std::nullopt;
    }
    return t;
}

int sessionsShow(const QStringList &args)
{
    QCommandLineParser parser;
    int code = 0;
    const auto target
        = parseTarget(parser, args, QStringLiteral("Show a session, or one run with --run."),
                      QStringLiteral("Show this run instead."), QStringLiteral("The session to show."), code);
    if (!target)
        return code;
    auto store = openExisting(dbPath(parser));
    if (!store)
        return fail(store.error());
    if (target->isRun)
        return showRun(**store, target->id);
    const qint64 id = target->id;
    auto session = (*store)->session(id);
    if (!session)
        return fail(session.error());
    auto runs = (*store)->listRuns(id);
    if (!runs)
        return fail(runs.error());
    QString text = QStringLiteral("session %1 '%2'\n").arg(session->id).arg(session->name);
    text += QStringLiteral("  model      %1 (%2, %3 parameters, fingerprint %4)\n")
                .arg(session->model.path, session->model.architecture)
                .arg(session->model.parameters)
                .arg(session->model.fingerprint.left(16));
    text += QStringLiteral("  created    %1   modified %2\n")
                .arg(timeText(session->created), timeText(session->modified));
    text += QStringLiteral("  plan       %1\n").arg(planSummary(session->plan));
    for (auto it = session->plan.overrides.cbegin(); it != session->plan.overrides.cend(); ++it)
        text += QStringLiteral("    %1: %2%3 k=%4, weights %5\n")
                    .arg(it.key(), it->quantize ? QString() : QStringLiteral("not quantized, "),
                         methodName(it->method))
                    .arg(it->rank)
                    .arg(it->weight.toString());
    const CalibrationSettings &c = session->plan.calibration;
    text += QStringLiteral("  calibration %1 samples x %2 tokens of %3\n")
                .arg(c.samples)
                .arg(c.seqLen > 0 ? QString::number(c.seqLen) : QStringLiteral("auto"))
                .arg(c.textPath.isEmpty() ? QStringLiteral("-") : c.textPath);
    text += QStringLiteral("  statistics %1\n")
                .arg(session->statsPath.isEmpty() ? QStringLiteral("-") : session->statsPath);
    if (!session->notes.isEmpty())
        text += QStringLiteral("  notes      %1\n").arg(session->notes);
    text += QStringLiteral("\nruns:\n");
    if (runs->isEmpty())
        text += QStringLiteral("  (none)\n");
    for (const RunRecord &r : *runs) {
        QString ppl;
        for (const PerplexityRecord &p : r.perplexities)
            ppl += QStringLiteral("  %1 %2").arg(p.label).arg(p.perplexity, 0, 'f', 3);
        text += QStringLiteral("  %1  %2 %3 %4  %5 layers  %6 s%7\n")
                    .arg(r.id, 5)
                    .arg(r.kind, -9)
                    .arg(runStatusName(r.status), -11)
                    .arg(timeText(r.started))
                    .arg(r.layerCount, 4)
                    .arg(number(r.wallSeconds))
                    .arg(ppl);
    }
    out(text);
    return 0;
}

// export --session: the whole session as a bundle (core/store/bundle.h).
int exportBundle(const QCommandLineParser &parser, const QString &session, const QString &output)
{
    BundleExportConfig config;
    // The lessons' state: the lesson (and step) the studio opens the bundle on.
    for (const char *key : {"lesson", "step"}) {
        const QString name = QString::fromLatin1(key);
        if (!parser.isSet(name))
            continue;
        bool ok = false;
        const int value = parser.value(name).toInt(&ok);
        if (!ok || value < 1)
            return fail(QStringLiteral("--%1 %2: expected a number from 1").arg(name, parser.value(name)));
        config.extra.insert(name, value);
    }
    config.storePath = SessionStore::resolvePath(parser.value(QStringLiteral("db")));
    config.session = session;
    config.path = output;
    auto summary = exportSessionBundle(config);
    if (!summary)
        return fail(summary.error());
    err(QStringLiteral("wrote session %1 \"%2\" (%3 runs%4) to %5\n")
            .arg(summary->sessionId)
            .arg(summary->sessionName)
            .arg(summary->runs)
            .arg(summary->hasStats ? QStringLiteral(", calibration statistics") : QString())
            .arg(output));
    return 0;
}

int sessionsExport(const QStringList &args)
{
    QCommandLineParser parser;
    declareSubcommand(parser, QStringLiteral("Export a run's per-layer results to CSV or JSON."));
    const QCommandLineOption format(QStringLiteral("format"),
                                    QStringLiteral("csv or json (default: from -o's suffix)."),
                                    QStringLiteral("format"));
    const QCommandLineOption output(QStringList {QStringLiteral("o"), QStringLiteral("output")},
                                    QStringLiteral("Output file."), QStringLiteral("file"));
    const QCommandLineOption partial(QStringLiteral("partial"),
                                     QStringLiteral("Export a cancelled, interrupted or failed run too."));
    const QCommandLineOption noSpectra(QStringLiteral("no-spectra"),
                                       QStringLiteral("JSON: leave out singular values."));
    parser.addOption(format);
    parser.addOption(output);
    parser.addOption(partial);
    parser.addOption(noSpectra);
    const QCommandLineOption session(QStringLiteral("session"),
                                     QStringLiteral("Export the whole session <id|name> as one bundle file."),
                                     QStringLiteral("session"));
    parser.addOption(session);
    parser.addOption({QStringLiteral("lesson"),
                      QStringLiteral("With --session: the lesson the studio opens on."),
                      QStringLiteral("n")});
    parser.addOption(
        {QStringLiteral("step"), QStringLiteral("With --session: the lesson's step."), QStringLiteral("s")});
    parser.addPositionalArgument(QStringLiteral("run-id"), QStringLiteral("The run to export."));
    int code = 0;
    if (!parseOrExit(parser, args, code))
        return code;
    if (parser.isSet(session)) {
        if (!parser.positionalArguments().isEmpty() || !parser.isSet(output)) {
            err(helpText(parser));
            return 2;
        }
        return exportBundle(parser, parser.value(session), parser.value(output));
    }
    qint64 runId = 0;
    if (parser.positionalArguments().size() != 1 || !parseId(parser.positionalArguments().first(), runId)
        || !parser.isSet(output)) {
        err(helpText(parser));
        return 2;
    }
    RunExportConfig config;
    config.runId = runId;
    config.path = parser.value(output);
    QString fmt = parser.value(format).toLower();
    if (fmt.isEmpty())
        fmt = config.path.endsWith(QStringLiteral(".json"), Qt::CaseInsensitive) ? QStringLiteral("json")
                                                                                 : QStringLiteral("csv");
    if (fmt == QLatin1String("csv"))
        config.format = RunExportFormat::Csv;
    else if (fmt == QLatin1String("json"))
        config.format = RunExportFormat::Json;
    else
        return fail(QStringLiteral("unknown --format '%1' (csv or json)").arg(fmt));
    config.allowIncomplete = parser.isSet(partial);
    config.includeSpectra = !parser.isSet(noSpectra);
    auto store = openExisting(dbPath(parser));
    if (!store)
        return fail(store.error());
    if (Status s = (*store)->exportRun(config); !s)
        return fail(s.error());
    err(QStringLiteral("wrote run %1 to %2\n").arg(runId).arg(config.path));
    return 0;
}

int sessionsDelete(const QStringList &args)
{
    QCommandLineParser parser;
    int code = 0;
    const auto target = parseTarget(
        parser, args, QStringLiteral("Delete a session with all its runs, or one run with --run."),
        QStringLiteral("Delete this run only."), QStringLiteral("The session to delete."), code);
    if (!target)
        return code;
    const qint64 id = target->id;
    const bool isRun = target->isRun;
    auto store = openExisting(dbPath(parser));
    if (!store)
        return fail(store.error());
    if ((*store)->isReadOnly())
        return fail(QStringLiteral("session store %1 is read-only").arg(dbPath(parser)));
    const Status s = isRun ? (*store)->deleteRun(id) : (*store)->deleteSession(id);
    if (!s)
        return fail(s.error());
    out(QStringLiteral("deleted %1 %2\n")
            .arg(isRun ? QStringLiteral("run") : QStringLiteral("session"))
            .arg(id));
    return 0;
}

int sessionsCheck(const QStringList &args)
{
    QCommandLineParser parser;
    declareSubcommand(parser,
                      QStringLiteral("Check the store's integrity (SQLite integrity and foreign keys)."));
    int code = 0;
    if (!parseOrExit(parser, args, code))
        return code;
    auto store = openExisting(dbPath(parser));
    if (!store)
        return fail(store.error());
    auto result = (*store)->integrityCheck();
    if (!result)
        return fail(result.error());
    if (*result != QLatin1String("ok"))
        return fail(QStringLiteral("session store %1 is damaged:\n%2").arg(dbPath(parser), *result));
    out(QStringLiteral("%1: ok (schema version %2)\n").arg(dbPath(parser)).arg((*store)->schemaVersion()));
    return 0;
}

// A 7B-shaped run: `layerCount` LLaMA-2-7B projections with two spectra of `values` each.
QList<LayerRunRecord> benchLayers(int layerCount, int values)
{
    static const char *kinds[]
        = {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};
    QList<LayerRunRecord> layers;
    for (int i = 0; i < layerCount; ++i) {
        LayerRunRecord l;
        const bool mlp = i % 7 >= 4;
        l.layer = QStringLiteral("model.layers.%1.%2.%3.weight")
                      .arg(i / 7)
                      .arg(mlp ? QStringLiteral("mlp") : QStringLiteral("self_attn"))
                      .arg(QString::fromLatin1(kinds[i % 7]));
        l.method = QStringLiteral("l2qer");
        l.rank = 32;
        l.inFeatures = i % 7 == 6 ? 11008 : 4096;
        l.outFeatures = (i % 7 == 4 || i % 7 == 5) ? 11008 : 4096;
        l.weightFormat = QStringLiteral("mxint4_e8_b16");
        l.quantError = 1.0 + i;
        l.frobError = 0.5 + i;
        l.relError = 0.01;
        l.meanAbsError = 1e-3;
        l.outputError = 0.02;
        l.bits = 4.56;
        l.seconds = 0.8;
        l.svError.resize(size_t(values));
        l.svScaled.resize(size_t(values));
        for (int j = 0; j < values; ++j) {
            l.svError[size_t(j)] = 5.0 * std::exp(-1e-3 * j);
            l.svScaled[size_t(j)] = 9.0 / (1.0 + j);
        }
        layers.append(l);
    }
    return layers;
}

// A session of a bench model to store the runs in.
Expected<qint64> benchSession(SessionStore &store)
{
    ModelRecord model;
    model.path = QStringLiteral("bench://llama-2-7b");
    model.architecture = QStringLiteral("llama");
    model.fingerprint = QStringLiteral("bench");
    model.parameters = 6'738'415'616;
    auto modelId = store.ensureModel(model);
    if (!modelId)
        return Error {modelId.error()};
    SessionRecord session;
    session.name = QStringLiteral("sessions bench");
    session.modelId = *modelId;
    return store.createSession(session);
}

// Stores one complete run of `layers`, in one transaction or (`perLayer`) one per layer, as
// the pipeline streams them.
Expected<qint64> storeBenchRun(SessionStore &store, qint64 sessionId, const QList<LayerRunRecord> &layers,
                               bool perLayer)
{
    auto runId
        = store.beginRun({sessionId, QStringLiteral("bench"), Plan(), int(layers.size()), {}, {}, {}, {}});
    if (!runId)
        return runId;
    if (perLayer) {
        for (const LayerRunRecord &l : layers) {
            if (Status s = store.appendLayers(*runId, {l}); !s)
                return Error {s.error()};
        }
    } else if (Status s = store.appendLayers(*runId, layers); !s) {
        return Error {s.error()};
    }
    if (Status s = store.finishRun(*runId, RunStatus::Complete, 0); !s)
        return Error {s.error()};
    return runId;
}

struct BenchTimes
{
    QList<double> writeMs, writeBatchedMs, readMs;
};

Status timeBenchRuns(SessionStore &store, qint64 sessionId, const QList<LayerRunRecord> &layers, int repeat,
                     BenchTimes &times)
{
    QElapsedTimer timer;
    for (int r = 0; r < repeat; ++r) {
        // All layers in one transaction, as a job that collects results before saving...
        timer.start();
        auto runId = storeBenchRun(store, sessionId, layers, false);
        if (!runId)
            return Error {runId.error()};
        times.writeMs.append(timer.nsecsElapsed() / 1e6);

        timer.start();
        auto run = store.run(*runId);
        times.readMs.append(timer.nsecsElapsed() / 1e6);
        if (!run || run->layers.size() != layers.size())
            return makeError(run ? QStringLiteral("read back %1 layers").arg(run->layers.size())
                                 : run.error());

        // ...and one transaction per layer, as the pipeline streams them.
        timer.start();
        auto streamed = storeBenchRun(store, sessionId, layers, true);
        if (!streamed)
            return Error {streamed.error()};
        times.writeBatchedMs.append(timer.nsecsElapsed() / 1e6);
        store.deleteRun(*runId);
        store.deleteRun(*streamed);
    }
    return Status::success();
}

void printBenchTimes(const BenchTimes &times, int layerCount, int values, int repeat, const QString &path)
{
    auto median = [](QList<double> v) {
        std::sort(v.begin(), v.end());
        return v.at(v.size() / 2);
    };
    auto minimum = [](const QList<double> &v) { return *std::min_element(v.begin(), v.end()); };
    const double mb = layerCount * 2.0 * values * 4 / 1e6;
    out(QStringLiteral(
            "session store bench: %1 layers x 2 spectra x %2 singular values (%3 MB of float32), %4 "
            "repetitions, %5\n")
            .arg(layerCount)
            .arg(values)
            .arg(mb, 0, 'f', 1)
            .arg(repeat)
            .arg(path));
    const QString line = QStringLiteral("  %1 median %2 ms  min %3 ms%4\n");
    for (auto [label, samples, target] :
         {std::tuple {"store run, one transaction     ", &times.writeMs, "   (target < 1000 ms)"},
          std::tuple {"store run, a transaction/layer ", &times.writeBatchedMs, ""},
          std::tuple {"read run back fully            ", &times.readMs, "   (target < 300 ms)"}})
        out(line.arg(QString::fromLatin1(label))
                .arg(median(*samples), 0, 'f', 1)
                .arg(minimum(*samples), 0, 'f', 1)
                .arg(QString::fromLatin1(target)));
}

int sessionsBench(const QStringList &args)
{
    QCommandLineParser parser;
    declareSubcommand(
        parser,
        QStringLiteral("Store and read back a 7B-shaped run (224 layers, 2 spectra of 4096 singular values "
                       "each) and print the "
                       "times. Uses a temporary database unless --db is given (the run is deleted again)."));
    parser.addOptions({
        QCommandLineOption(QStringLiteral("layers"), QStringLiteral("Layers per run (default 224)."),
                           QStringLiteral("n"), QStringLiteral("224")),
        QCommandLineOption(QStringLiteral("values"),
                           QStringLiteral("Singular values per spectrum (default 4096)."),
                           QStringLiteral("n"), QStringLiteral("4096")),
        QCommandLineOption(QStringLiteral("repeat"), QStringLiteral("Repetitions (default 5)."),
                           QStringLiteral("n"), QStringLiteral("5")),
    });
    int code = 0;
    if (!parseOrExit(parser, args, code))
        return code;
    const int layerCount = parser.value(QStringLiteral("layers")).toInt();
    const int values = parser.value(QStringLiteral("values")).toInt();
    const int repeat = parser.value(QStringLiteral("repeat")).toInt();
    if (layerCount <= 0 || values < 0 || repeat <= 0)
        return fail(QStringLiteral("--layers, --values and --repeat must be positive"));

    QTemporaryDir tmp;
    QString path = parser.value(QStringLiteral("db"));
    if (path.isEmpty()) {
        if (!tmp.isValid())
            return fail(QStringLiteral("cannot create a temporary folder: %1").arg(tmp.errorString()));
        path = tmp.filePath(QStringLiteral("bench.db"));
    }
    auto store = SessionStore::open(path);
    if (!store)
        return fail(store.error());
    auto sessionId = benchSession(**store);
    if (!sessionId)
        return fail(sessionId.error());
    BenchTimes times;
    if (Status s = timeBenchRuns(**store, *sessionId, benchLayers(layerCount, values), repeat, times); !s)
        return fail(s.error());
    (*store)->deleteSession(*sessionId);
    printBenchTimes(times, layerCount, values, repeat, path);
    return 0;
}

} // namespace

int cmdSessions(const QStringList &args)
{
    if (args.size() < 2 || args.at(1) == QLatin1String("--help") || args.at(1) == QLatin1String("-h")) {
        out(QString::fromLatin1(kUsage));
        return args.size() < 2 ? 2 : 0;
    }
    const QString sub = args.at(1);
    QStringList rest = args.mid(2);
    rest.prepend(QStringLiteral("%1 %2").arg(args.at(0), sub));
    if (sub == QLatin1String("list"))
        return sessionsList(rest);
    if (sub == QLatin1String("show"))
        return sessionsShow(rest);
    if (sub == QLatin1String("export"))
        return sessionsExport(rest);
    if (sub == QLatin1String("delete"))
        return sessionsDelete(rest);
    if (sub == QLatin1String("check"))
        return sessionsCheck(rest);
    if (sub == QLatin1String("bench"))
        return sessionsBench(rest);
    err(QStringLiteral("lqer sessions: unknown subcommand '%1'\n\n%2").arg(sub, QString::fromLatin1(kUsage)));
    return 2;
}

} // namespace lqer::cli
