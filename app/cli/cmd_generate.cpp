// lqer generate: greedy decoding, for demos and end-to-end checks (GOLDEN.md stories260K text).

#include "cli.h"
#include "modelcli.h"

namespace lqer::cli {

int cmdGenerate(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Greedy generation from a prompt (BOS + prompt, argmax at every step)."));
    p.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("Hugging Face folder or llama2.c .bin"));
    const QCommandLineOption prompt(QStringLiteral("prompt"),
                                    QStringLiteral("Prompt text (default \"Once upon a time\")."),
                                    QStringLiteral("TEXT"), QStringLiteral("Once upon a time"));
    const QCommandLineOption tokens(QStringLiteral("tokens"), QStringLiteral("New tokens (default 60)."),
                                    QStringLiteral("N"), QStringLiteral("60"));
    const QCommandLineOption stopAtEos(QStringLiteral("stop-at-eos"),
                                       QStringLiteral("Stop at the end-of-sequence token."));
    const QCommandLineOption tok(QStringLiteral("tokenizer"),
                                 QStringLiteral("Tokenizer file (default: the model's)."),
                                 QStringLiteral("FILE"));
    const QCommandLineOption preset(QStringLiteral("preset"), QStringLiteral("Quantize with a preset first."),
                                    QStringLiteral("NAME"));
    const QCommandLineOption calib(QStringLiteral("calib"), QStringLiteral("Calibration text for --preset."),
                                   QStringLiteral("FILE"));
    p.addOptions({prompt, tokens, stopAtEos, tok, preset, calib});
    int code = 0;
    if (!parseOrExit(p, args, code))
        return code;
    if (p.positionalArguments().size() != 1) {
        err(helpText(p));
        return 2;
    }
    const int n = p.value(tokens).toInt();
    if (n < 1)
        return fail(QStringLiteral("--tokens must be a positive integer"));
    auto m = openModel(p.positionalArguments().first(), p.value(tok));
    if (!m)
        return fail(m.error());
    if (p.isSet(preset)) {
        auto plan = Plan::fromPreset(p.value(preset));
        if (!plan)
            return fail(plan.error());
        if (!m->checkpoint)
            return fail(QStringLiteral("--preset needs a Hugging Face checkpoint folder"));
        StatsMap stats;
        auto layers = quantizableLinears(*m->checkpoint);
        if (!layers)
            return fail(layers.error());
        QStringList names;
        for (const LinearLayerInfo &l : *layers)
            names << l.weightName;
        if (plan->needsStats(names)) {
            if (!p.isSet(calib))
                return fail(
                    QStringLiteral("preset '%1' needs calibration: pass --calib FILE").arg(p.value(preset)));
            auto c = calibrateOnText(*m, p.value(calib), 32, 0, plan->needsGram(names), 0);
            if (!c)
                return fail(c.error());
            stats = c->stats;
        }
        auto inst = installPlan(*m->model, m->checkpoint, *plan, &stats,
                                stderrProgress(QStringLiteral("quantizing")));
        if (!inst)
            return fail(inst.error());
    }
    const TokenIds ids = m->tokenizer->encode(p.value(prompt), true);
    if (ids.empty())
        return fail(QStringLiteral("the prompt encodes to no tokens and the tokenizer adds no BOS"));
    const int eos = p.isSet(stopAtEos) ? m->tokenizer->eosId() : -1;
    auto outIds = m->model->generateGreedy(ids, n, eos);
    if (!outIds)
        return fail(outIds.error());
    out(m->tokenizer->decode(*outIds) + QStringLiteral("\n"));
    return 0;
}

} // namespace lqer::cli
