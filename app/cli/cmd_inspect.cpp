// lqer inspect MODEL: architecture, layers, shapes, dtypes, parameter counts, from the
// safetensors headers and config.json only (no weight is read).

#include "cli.h"

#include "core/export/ggufmodel.h"
#include "core/io/checkpoint.h"
#include "core/model/architecture.h"
#include "core/model/config.h"
#include "core/model/llama2c.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace lqer::cli {

namespace {

QString humanCount(qint64 n)
{
    if (n >= 1000000000)
        return QStringLiteral("%1 B").arg(double(n) / 1e9, 0, 'f', 2);
    if (n >= 1000000)
        return QStringLiteral("%1 M").arg(double(n) / 1e6, 0, 'f', 2);
    if (n >= 1000)
        return QStringLiteral("%1 k").arg(double(n) / 1e3, 0, 'f', 1);
    return QString::number(n);
}

QString shapeText(const QList<qint64> &shape)
{
    QStringList dims;
    for (qint64 d : shape)
        dims << QString::number(d);
    return QStringLiteral("(") + dims.join(QStringLiteral(", ")) + QStringLiteral(")");
}

QString configSummary(const ModelConfig &c)
{
    return QStringLiteral("  architecture   %1 (model_type %2)\n"
                          "  hidden size    %3, %4 layers, %5 heads (%6 kv), head dim %7\n"
                          "  MLP width      %8\n"
                          "  vocabulary     %9, max positions %10, embeddings %11\n")
        .arg(architectureName(c.arch), c.modelType)
        .arg(c.hiddenSize)
        .arg(c.numLayers)
        .arg(c.numHeads)
        .arg(c.numKvHeads)
        .arg(c.headDim)
        .arg(c.intermediateSize)
        .arg(c.vocabSize)
        .arg(c.maxPositions)
        .arg(c.tiedEmbeddings ? QStringLiteral("tied") : QStringLiteral("untied"));
}

// What the headers say about a checkpoint.
struct Inspection
{
    QString path; // as the user gave it
    std::shared_ptr<Checkpoint> checkpoint;
    std::optional<ModelConfig> config;
    QList<LinearLayerInfo> layers;
    qint64 linearParams = 0;
    double milliseconds = 0;
    bool allTensors = false;
};

QJsonObject inspectionJson(const Inspection &in)
{
    const Checkpoint &c = *in.checkpoint;
    QJsonObject root;
    root.insert(QStringLiteral("path"), in.path);
    root.insert(QStringLiteral("model_type"), c.modelType());
    root.insert(QStringLiteral("parameters"), double(c.parameterCount()));
    root.insert(QStringLiteral("quantizable_parameters"), double(in.linearParams));
    root.insert(QStringLiteral("file_bytes"), double(c.totalFileBytes()));
    root.insert(QStringLiteral("shards"), int(c.shards().size()));
    root.insert(QStringLiteral("fingerprint"), c.fingerprint());
    QJsonArray arr;
    for (const LinearLayerInfo &l : in.layers) {
        const TensorInfo *t = c.find(l.weightName);
        QJsonObject o;
        o.insert(QStringLiteral("name"), l.weightName);
        o.insert(QStringLiteral("block"), l.block);
        o.insert(QStringLiteral("kind"), l.kind);
        o.insert(QStringLiteral("in"), double(l.inFeatures));
        o.insert(QStringLiteral("out"), double(l.outFeatures));
        o.insert(QStringLiteral("dtype"), t ? dtypeName(t->dtype) : QString());
        o.insert(QStringLiteral("bias"), !l.biasName.isEmpty());
        arr.append(o);
    }
    root.insert(QStringLiteral("linears"), arr);
    if (in.allTensors) {
        QJsonArray all;
        for (const QString &name : c.tensorNames()) {
            const TensorInfo *t = c.find(name);
            QJsonArray shape;
            for (qint64 d : t->shape)
                shape.append(double(d));
            all.append(QJsonObject {{QStringLiteral("name"), name},
                                    {QStringLiteral("dtype"), dtypeName(t->dtype)},
                                    {QStringLiteral("shape"), shape}});
        }
        root.insert(QStringLiteral("tensors"), all);
    }
    return root;
}

QString inspectionText(const Inspection &in)
{
    const Checkpoint &c = *in.checkpoint;
    QString text;
    text += QStringLiteral("%1\n").arg(QDir::toNativeSeparators(in.path));
    if (in.config)
        text += configSummary(*in.config);
    text += QStringLiteral("  parameters     %1 in %2 tensors (%3 in %4 quantizable linears)\n")
                .arg(humanCount(c.parameterCount()))
                .arg(c.tensorNames().size())
                .arg(humanCount(in.linearParams))
                .arg(in.layers.size());
    text += QStringLiteral("  files          %1 shard(s), %2 MB, fingerprint %3\n")
                .arg(c.shards().size())
                .arg(double(c.totalFileBytes()) / 1e6, 0, 'f', 1)
                .arg(c.fingerprint().left(16));
    text += QStringLiteral("  read headers in %1 ms\n\n").arg(in.milliseconds, 0, 'f', 1);

    text += QStringLiteral("%1  %2  %3  %4  %5  %6\n")
                .arg(QStringLiteral("block"), 5)
                .arg(QStringLiteral("layer"), -52)
                .arg(QStringLiteral("in"), 6)
                .arg(QStringLiteral("out"), 6)
                .arg(QStringLiteral("dtype"), -5)
                .arg(QStringLiteral("params"), 9);
    for (const LinearLayerInfo &l : in.layers) {
        const TensorInfo *t = c.find(l.weightName);
        text += QStringLiteral("%1  %2  %3  %4  %5  %6%7\n")
                    .arg(l.block, 5)
                    .arg(l.weightName, -52)
                    .arg(l.inFeatures, 6)
                    .arg(l.outFeatures, 6)
                    .arg(t ? dtypeName(t->dtype) : QString(), -5)
                    .arg(humanCount(l.parameterCount()), 9)
                    .arg(l.biasName.isEmpty() ? QString() : QStringLiteral("  +bias"));
    }
    if (in.allTensors) {
        text += QStringLiteral("\nall tensors:\n");
        for (const QString &name : c.tensorNames()) {
            const TensorInfo *t = c.find(name);
            text += QStringLiteral("  %1  %2  %3\n")
                        .arg(name, -60)
                        .arg(dtypeName(t->dtype), -5)
                        .arg(shapeText(t->shape));
        }
    }
    return text;
}

// Opens the checkpoint and reads its config and linears (headers only, timed).
Expected<Inspection> inspectCheckpoint(const QString &path, bool allTensors)
{
    QElapsedTimer timer;
    timer.start();
    Inspection in;
    in.path = path;
    in.allTensors = allTensors;
    Expected<std::shared_ptr<Checkpoint>> ckpt = Checkpoint::open(path);
    if (!ckpt)
        return Error {ckpt.error()};
    in.checkpoint = *ckpt;
    const Checkpoint &c = **ckpt;
    if (c.hasConfig()) {
        Expected<ModelConfig> parsed
            = ModelConfig::fromJson(c.config(), QDir(c.directory()).filePath(QStringLiteral("config.json")));
        if (!parsed)
            return Error {parsed.error()};
        in.config = *parsed;
    }
    Expected<QList<LinearLayerInfo>> layers = quantizableLinears(c);
    if (!layers)
        return Error {layers.error()};
    in.layers = *layers;
    for (const LinearLayerInfo &l : in.layers)
        in.linearParams += l.parameterCount();
    in.milliseconds = timer.nsecsElapsed() / 1e6;
    return in;
}

// A GGUF model (and adapter): config, tokenizer, each linear's ggml type and LoRA rank.
QString ggufText(const GgufModelInfo &g)
{
    QString text = QStringLiteral("%1 (GGUF, %2 MB)\n")
                       .arg(QDir::toNativeSeparators(g.path))
                       .arg(double(g.modelBytes) / 1e6, 0, 'f', 2);
    text += configSummary(g.config);
    text += QStringLiteral("  tokenizer      %1%2\n")
                .arg(g.tokenizerModel.isEmpty() ? QStringLiteral("(none)") : g.tokenizerModel,
                     g.tokenizerPath.isEmpty()
                         ? QString()
                         : QStringLiteral(", file ") + QDir::toNativeSeparators(g.tokenizerPath));
    if (!g.loraPath.isEmpty())
        text += QStringLiteral("  LoRA adapter   %1 (%2 MB, alpha %3)\n")
                    .arg(QDir::toNativeSeparators(g.loraPath))
                    .arg(double(g.loraBytes) / 1e6, 0, 'f', 2)
                    .arg(g.loraAlpha);
    if (g.plan)
        text += QStringLiteral("  LQER plan      %1\n")
                    .arg(g.plan->preset.isEmpty() ? QStringLiteral("(custom)") : g.plan->preset);
    text += QStringLiteral("  bits/weight    %1 (linear tensors%2, from the file sizes)\n\n")
                .arg(g.fileBitsPerWeight, 0, 'f', 3)
                .arg(g.loraPath.isEmpty() ? QString() : QStringLiteral(" + LoRA pairs"));
    text += QStringLiteral("%1  %2  %3  %4  %5\n")
                .arg(QStringLiteral("layer"), -44)
                .arg(QStringLiteral("in"), 6)
                .arg(QStringLiteral("out"), 6)
                .arg(QStringLiteral("type"), -5)
                .arg(QStringLiteral("lora"), 10);
    for (const GgufLinearInfo &l : g.linears)
        text += QStringLiteral("%1  %2  %3  %4  %5\n")
                    .arg(l.ggufName, -44)
                    .arg(l.inFeatures, 6)
                    .arg(l.outFeatures, 6)
                    .arg(ggmlTypeName(l.type), -5)
                    .arg(l.rank > 0 ? QStringLiteral("r%1 %2").arg(l.rank).arg(ggmlTypeName(*l.loraType))
                                    : QStringLiteral("-"),
                         10);
    return text;
}

} // namespace

int cmdInspect(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Shows a model's architecture, its quantizable linear layers with shapes and dtypes, and parameter "
        "counts. Reads the safetensors headers and config.json only."));
    parser.addPositionalArgument(
        QStringLiteral("MODEL"),
        QStringLiteral("Hugging Face checkpoint folder, .safetensors, llama2.c .bin or .gguf file"));
    const QCommandLineOption jsonOpt(QStringLiteral("json"),
                                     QStringLiteral("Print JSON instead of a table."));
    const QCommandLineOption tensorsOpt(
        QStringLiteral("tensors"), QStringLiteral("List every tensor, not only the quantizable linears."));
    const QCommandLineOption loraOpt(QStringLiteral("lora"),
                                     QStringLiteral("GGUF model: also read this LoRA adapter."),
                                     QStringLiteral("FILE"));
    parser.addOptions({jsonOpt, tensorsOpt, loraOpt});
    int code = 0;
    if (!parseOrExit(parser, args, code))
        return code;
    if (parser.positionalArguments().size() != 1)
        return fail(QStringLiteral("inspect takes exactly one MODEL (see lqer inspect --help)"));
    const QString path = parser.positionalArguments().first();

    if (isGgufFile(path)) {
        Expected<GgufModelInfo> g = readGgufInfo(path, parser.value(loraOpt));
        if (!g)
            return fail(g.error());
        out(ggufText(*g));
        return 0;
    }
    if (parser.isSet(loraOpt))
        return fail(QStringLiteral("--lora applies to a GGUF model only"));

    if (QFileInfo(path).isFile() && path.endsWith(QLatin1String(".bin"))) {
        Expected<ModelConfig> config = readLlama2cConfig(path);
        if (!config)
            return fail(config.error());
        out(QStringLiteral("%1 (llama2.c checkpoint, float32)\n").arg(QDir::toNativeSeparators(path)));
        out(configSummary(*config));
        return 0;
    }

    Expected<Inspection> in = inspectCheckpoint(path, parser.isSet(tensorsOpt));
    if (!in)
        return fail(in.error());
    if (parser.isSet(jsonOpt))
        out(QString::fromUtf8(QJsonDocument(inspectionJson(*in)).toJson(QJsonDocument::Indented)));
    else
        out(inspectionText(*in));
    return 0;
}

} // namespace lqer::cli
