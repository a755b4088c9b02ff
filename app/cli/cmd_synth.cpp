// lqer synth --shape NAME -o DIR: a synthetic Hugging Face checkpoint of a real model's shape
// (random fp16 weights with heavy input channels, config.json, tokenizer.json), for benchmarks
// at 7B scale and for workshops.

#include "cli.h"

#include "core/synth/synth.h"

#include <QDir>
#include <QElapsedTimer>

namespace lqer::cli {

namespace {

Expected<qint64> positiveOption(const QCommandLineParser &p, const QString &name)
{
    bool ok = false;
    const qint64 v = p.value(name).toLongLong(&ok);
    if (!ok || v <= 0)
        return makeError(
            QStringLiteral("--%1: expected a positive whole number, not '%2'").arg(name, p.value(name)));
    return v;
}

// The shape with the size options applied (--layers, and --hidden etc. for small variants).
Expected<SynthShape> shapeFrom(const QCommandLineParser &p)
{
    if (!p.isSet(QStringLiteral("shape")))
        return makeError(QStringLiteral("--shape NAME is required"));
    auto shape = synthShape(p.value(QStringLiteral("shape")));
    if (!shape)
        return Error {shape.error()};
    struct Size
    {
        const char *option;
        qint64 *field;
    };
    qint64 layers = shape->layers, heads = shape->heads, kvHeads = shape->kvHeads;
    const Size sizes[]
        = {{"layers", &layers},      {"hidden", &shape->hidden}, {"intermediate", &shape->intermediate},
           {"vocab", &shape->vocab}, {"heads", &heads},          {"kv-heads", &kvHeads}};
    for (const Size &s : sizes) {
        const QString name = QLatin1String(s.option);
        if (!p.isSet(name))
            continue;
        auto v = positiveOption(p, name);
        if (!v)
            return Error {v.error()};
        *s.field = *v;
    }
    if (p.isSet(QStringLiteral("heads")) && !p.isSet(QStringLiteral("kv-heads")))
        kvHeads = shape->kvHeads == shape->heads ? heads
                                                 : std::max<qint64>(1, heads * shape->kvHeads / shape->heads);
    shape->layers = int(layers);
    shape->heads = int(heads);
    shape->kvHeads = int(kvHeads);
    if (shape->hidden % shape->heads != 0)
        return makeError(
            QStringLiteral("--hidden %1 is not a multiple of %2 heads").arg(shape->hidden).arg(shape->heads));
    return shape;
}

} // namespace

int cmdSynth(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Write a synthetic Hugging Face checkpoint of a real model's shape: config.json, safetensors "
        "shards with random weights (real bytes; about one input channel in 512 of every linear 4-12x "
        "louder, as trained LLM weights have) and a tokenizer.json. The same seed writes the same bytes.\n"
        "Example: lqer synth --shape llama-7b -o /data/llama-7b-synth   (13.5 GB)"));
    p.addOptions({
        QCommandLineOption(QStringLiteral("shape"),
                           QStringLiteral("llama-7b, llama-13b, mistral-7b, opt-1.3b or opt-6.7b."),
                           QStringLiteral("NAME")),
        QCommandLineOption(QStringList {QStringLiteral("o"), QStringLiteral("output")},
                           QStringLiteral("Output folder (created; must be empty)."), QStringLiteral("DIR")),
        QCommandLineOption(QStringLiteral("layers"), QStringLiteral("Decoder blocks (default: the shape's)."),
                           QStringLiteral("N")),
        QCommandLineOption(QStringLiteral("hidden"), QStringLiteral("Hidden size instead of the shape's."),
                           QStringLiteral("N")),
        QCommandLineOption(QStringLiteral("intermediate"), QStringLiteral("MLP size instead of the shape's."),
                           QStringLiteral("N")),
        QCommandLineOption(QStringLiteral("vocab"), QStringLiteral("Vocabulary size instead of the shape's."),
                           QStringLiteral("N")),
        QCommandLineOption(QStringLiteral("heads"), QStringLiteral("Attention heads instead of the shape's."),
                           QStringLiteral("N")),
        QCommandLineOption(QStringLiteral("kv-heads"),
                           QStringLiteral("Key/value heads (default: the shape's ratio to the heads)."),
                           QStringLiteral("N")),
        QCommandLineOption(QStringLiteral("dtype"), QStringLiteral("f16 (default), bf16 or f32."),
                           QStringLiteral("TYPE"), QStringLiteral("f16")),
        QCommandLineOption(QStringLiteral("seed"), QStringLiteral("Random seed (default 1)."),
                           QStringLiteral("N"), QStringLiteral("1")),
        QCommandLineOption(
            QStringLiteral("tokenizer"),
            QStringLiteral("Copy this tokenizer.json (default: a byte-level BPE of the 256 bytes)."),
            QStringLiteral("FILE")),
        QCommandLineOption(QStringLiteral("shard-size"),
                           QStringLiteral("Bytes per safetensors shard (default 5000000000)."),
                           QStringLiteral("BYTES"), QStringLiteral("5000000000")),
        QCommandLineOption(QStringLiteral("threads"), QStringLiteral("Threads (default: all cores)."),
                           QStringLiteral("N"), QStringLiteral("0")),
    });
    int code = 0;
    if (!parseOrExit(p, args, code))
        return code;
    auto shape = shapeFrom(p);
    if (!shape)
        return fail(shape.error());
    SynthOptions o;
    o.shape = *shape;
    o.outputDir = p.value(QStringLiteral("o"));
    if (o.outputDir.isEmpty())
        return fail(QStringLiteral("-o DIR is required"));
    const QString dtype = p.value(QStringLiteral("dtype")).toLower();
    if (dtype == QLatin1String("f16"))
        o.dtype = DType::F16;
    else if (dtype == QLatin1String("bf16"))
        o.dtype = DType::BF16;
    else if (dtype == QLatin1String("f32"))
        o.dtype = DType::F32;
    else
        return fail(QStringLiteral("--dtype: f16, bf16 or f32, not '%1'").arg(dtype));
    bool ok = false;
    o.seed = p.value(QStringLiteral("seed")).toULongLong(&ok);
    if (!ok)
        return fail(
            QStringLiteral("--seed: expected a whole number, not '%1'").arg(p.value(QStringLiteral("seed"))));
    auto shard = positiveOption(p, QStringLiteral("shard-size"));
    if (!shard)
        return fail(shard.error());
    o.shardBytes = *shard;
    o.threads = p.value(QStringLiteral("threads")).toInt();
    o.tokenizerJson = p.value(QStringLiteral("tokenizer"));

    const qint64 params = synthParameterCount(o.shape);
    out(QStringLiteral(
            "shape    %1 (%2): hidden %3, intermediate %4, %5 layers, %6 heads (%7 kv), vocab %8\n")
            .arg(o.shape.name, o.shape.modelType)
            .arg(o.shape.hidden)
            .arg(o.shape.intermediate)
            .arg(o.shape.layers)
            .arg(o.shape.heads)
            .arg(o.shape.kvHeads)
            .arg(o.shape.vocab));
    out(QStringLiteral("weights  %1 parameters, %2 GB as %3\n")
            .arg(params)
            .arg(double(params) * dtypeSize(o.dtype) / 1e9, 0, 'f', 2)
            .arg(dtypeName(o.dtype)));
    installInterruptHandler();
    QElapsedTimer timer;
    timer.start();
    auto report = writeSynthCheckpoint(o, stderrProgress(QStringLiteral("writing")));
    if (!report)
        return interrupted()
            ? (err(QStringLiteral("lqer: interrupted; nothing was left behind\n")), kInterruptedExitCode)
            : fail(report.error());
    const double s = timer.nsecsElapsed() / 1e9;
    out(QStringLiteral("wrote    %1: %2 files, %3 bytes in %4 s (%5 MB/s)\n")
            .arg(QDir::toNativeSeparators(o.outputDir))
            .arg(report->files.size())
            .arg(report->bytes)
            .arg(s, 0, 'f', 1)
            .arg(double(report->bytes) / 1e6 / std::max(s, 1e-9), 0, 'f', 0));
    return 0;
}

} // namespace lqer::cli
