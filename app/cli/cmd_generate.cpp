// lqer generate: greedy decoding, for demos and end-to-end checks (GOLDEN.md stories260K text).

#include "cli.h"
#include "modelcli.h"
#include "options.h"

namespace lqer::cli {

namespace {

struct GenerateRequest : PlanRequest
{
    QString prompt;
    int tokens = 60;
    bool stopAtEos = false;
    QString tokenizer;
};

void declareOptions(QCommandLineParser &p)
{
    p.setApplicationDescription(QStringLiteral(
        "Greedy generation from a prompt (BOS + prompt, argmax at every step); with plan options, by the "
        "model quantized with that plan."));
    p.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("Hugging Face folder or llama2.c .bin"));
    p.addOptions({
        QCommandLineOption(QStringLiteral("prompt"),
                           QStringLiteral("Prompt text (default \"Once upon a time\")."),
                           QStringLiteral("TEXT"), QStringLiteral("Once upon a time")),
        QCommandLineOption(QStringLiteral("tokens"), QStringLiteral("New tokens (default 60)."),
                           QStringLiteral("N")),
        QCommandLineOption(QStringLiteral("stop-at-eos"),
                           QStringLiteral("Stop at the end-of-sequence token.")),
    });
    addTokenizerOption(p);
    addPlanRequestOptions(p);
}

Expected<GenerateRequest> requestFrom(const QCommandLineParser &p, const QString &modelPath)
{
    GenerateRequest r;
    if (Status s = readPlanRequest(p, modelPath, r); !s)
        return Error {s.error()};
    auto tokens = intOptionValue(p, QStringLiteral("tokens"), 60, 1);
    if (!tokens)
        return Error {tokens.error()};
    r.tokens = *tokens;
    r.prompt = p.value(QStringLiteral("prompt"));
    r.stopAtEos = p.isSet(QStringLiteral("stop-at-eos"));
    r.tokenizer = tokenizerFrom(p);
    return r;
}

// Quantizes the model by the request's plan, calibrating when the plan needs it.
Status quantize(LoadedModel &m, GenerateRequest &r)
{
    if (!m.checkpoint)
        return makeError(QStringLiteral("plan options need a Hugging Face checkpoint folder"));
    auto names = linearNames(*m.checkpoint);
    if (!names)
        return Error {names.error()};
    auto stats = statsForPlan(r.modelPath, &m, r.plan, *names, r.statsSource, r.threads);
    if (!stats)
        return Error {stats.error()};
    auto inst
        = installPlan(*m.model, m.checkpoint, r.plan, &*stats, stderrProgress(QStringLiteral("quantizing")));
    if (!inst)
        return Error {inst.error()};
    return Status::success();
}

} // namespace

int cmdGenerate(const QStringList &args)
{
    QCommandLineParser p;
    int code = 0;
    auto request = parseRequest(p, args, declareOptions, requestFrom, code);
    if (!request)
        return code;
    auto m = openModel(request->modelPath, request->tokenizer);
    if (!m)
        return fail(m.error());
    if (request->planOptions.isSet()) {
        if (Status s = quantize(*m, *request); !s)
            return fail(s.error());
    }
    const TokenIds ids = m->tokenizer->encode(request->prompt, true);
    if (ids.empty())
        return fail(QStringLiteral("the prompt encodes to no tokens and the tokenizer adds no BOS"));
    const int eos = request->stopAtEos ? m->tokenizer->eosId() : -1;
    auto outIds = m->model->generateGreedy(ids, request->tokens, eos);
    if (!outIds)
        return fail(outIds.error());
    out(m->tokenizer->decode(*outIds) + QStringLiteral("\n"));
    return 0;
}

} // namespace lqer::cli
