#include "peftexport.h"

#include "core/io/safetensors.h"
#include "core/model/transformer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace lqer {

namespace {

const QString kAdapterFolder = QStringLiteral("lqer-adapter");
const QString kPrefix = QStringLiteral("base_model.model.");

QString native(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

// "model.layers.0.self_attn.q_proj.weight" -> "model.layers.0.self_attn.q_proj"
QString moduleOf(const QString &weightName)
{
    return weightName.endsWith(QLatin1String(".weight")) ? weightName.chopped(7) : weightName;
}

} // namespace

Expected<int> gptqBaseGroupSize(const Checkpoint &checkpoint, const Plan &plan)
{
    Expected<QList<LinearLayerInfo>> linears = quantizableLinears(checkpoint);
    if (!linears)
        return Error {linears.error()};
    if (linears->isEmpty())
        return makeError(QStringLiteral("the model has no quantizable linears"));
    int group = 0;
    for (const LinearLayerInfo &l : *linears) {
        const LayerPlan lp = plan.forLayer(l.weightName);
        // GPTQ loaders replace every linear of the decoder blocks with a quantized one.
        if (!lp.quantize)
            return makeError(QStringLiteral("layer '%1' is not quantized; GPTQ loaders quantize every linear")
                                 .arg(l.weightName));
        const QuantFormat &f = lp.weight;
        if (f.kind != FormatKind::IntSym || f.bits != 4 || (f.block != 32 && f.block != 128))
            return makeError(QStringLiteral("layer '%1' has %2 weights; a GPTQ base needs int4_g32_sym or "
                                            "int4_g128_sym")
                                 .arg(l.weightName, f.toString()));
        if (group && f.block != group)
            return makeError(QStringLiteral("layer '%1' has groups of %2, others of %3; a GPTQ base has one "
                                            "group size")
                                 .arg(l.weightName)
                                 .arg(f.block)
                                 .arg(group));
        group = f.block;
        if (l.inFeatures % group != 0 || l.outFeatures % 8 != 0)
            return makeError(QStringLiteral("layer '%1' (%2 inputs, %3 outputs): GPTQ packs inputs in whole "
                                            "groups of %4 and outputs in eights")
                                 .arg(l.weightName)
                                 .arg(l.inFeatures)
                                 .arg(l.outFeatures)
                                 .arg(group));
    }
    return group;
}

bool isPeftAdapter(const QString &path)
{
    return QFileInfo(path).isDir()
        && QFileInfo::exists(QDir(path).filePath(QStringLiteral("adapter_config.json")));
}

Expected<PeftExportResult> exportPeft(ExportConfig config, DType adapterDtype, const ProgressFn &progress)
{
    if (!config.linears)
        return makeError(QStringLiteral("PEFT export: no quantized linears were given"));
    // Pass the linears through to the dequantized export, keeping A and B for the adapter.
    auto factors = std::make_shared<QMap<QString, std::pair<MatrixRM, MatrixRM>>>();
    LinearProvider inner = config.linears;
    config.linears = [inner, factors](const LinearLayerInfo &layer) -> Expected<QuantizedLinear> {
        Expected<QuantizedLinear> q = inner(layer);
        if (q && q->rank() > 0)
            factors->insert(layer.weightName, {q->a, q->b});
        return q;
    };
    config.format = ExportFormat::Dequantized;
    config.mergeLowRank = false;
    PeftExportResult r;
    if (!config.checkpoint)
        return makeError(QStringLiteral("PEFT export: no source checkpoint"));
    const Expected<int> group = gptqBaseGroupSize(*config.checkpoint, config.plan);
    config.gptqGroupSize = group ? *group : 0;
    r.gptqGroupSize = config.gptqGroupSize;
    r.baseNote = group ? QStringLiteral("GPTQ 4-bit base (group %1, checkpoint_format gptq): the plan's "
                                        "int4_g%1_sym weights packed exactly")
                             .arg(*group)
                       : QStringLiteral("%1 dequantized base, not GPTQ: %2")
                             .arg(dtypeName(config.dtype).toLower(), group.error());
    Expected<ExportResult> base = exportCheckpoint(config, progress);
    if (!base)
        return Error {base.error()};
    r.base = *base;
    r.adapterDir = QDir(base->outputDir).filePath(kAdapterFolder);
    if (!QDir().mkpath(r.adapterDir))
        return makeError(QStringLiteral("%1: cannot create the folder").arg(native(r.adapterDir)));
    SafetensorsWriter w;
    QJsonObject ranks;
    QSet<QString> targets;
    int firstRank = 0;
    for (auto it = factors->begin(); it != factors->end(); ++it) {
        const QString module = moduleOf(it.key());
        const int rank = int(it->first.cols());
        w.addMatrix(kPrefix + module + QStringLiteral(".lora_A.weight"), it->first.transpose(), adapterDtype);
        w.addMatrix(kPrefix + module + QStringLiteral(".lora_B.weight"), it->second.transpose(),
                    adapterDtype);
        ranks.insert(module, rank);
        targets.insert(module.section(QLatin1Char('.'), -1));
        firstRank = firstRank ? firstRank : rank;
        ++r.adapterLayers;
    }
    QStringList targetList(targets.begin(), targets.end());
    targetList.sort();
    // scaling = lora_alpha / r per module; alpha_pattern = rank_pattern makes it 1 everywhere.
    QJsonObject cfg {
        {QStringLiteral("peft_type"), QStringLiteral("LORA")},
        {QStringLiteral("task_type"), QStringLiteral("CAUSAL_LM")},
        {QStringLiteral("base_model_name_or_path"), QStringLiteral("..")},
        {QStringLiteral("r"), firstRank},
        {QStringLiteral("lora_alpha"), firstRank},
        {QStringLiteral("rank_pattern"), ranks},
        {QStringLiteral("alpha_pattern"), ranks},
        {QStringLiteral("target_modules"), QJsonArray::fromStringList(targetList)},
        {QStringLiteral("lora_dropout"), 0.0},
        {QStringLiteral("bias"), QStringLiteral("none")},
        {QStringLiteral("fan_in_fan_out"), false},
        {QStringLiteral("use_rslora"), false},
        {QStringLiteral("use_dora"), false},
        {QStringLiteral("inference_mode"), true},
    };
    const QString tensors = QDir(r.adapterDir).filePath(QStringLiteral("adapter_model.safetensors"));
    w.setMetadata(QStringLiteral("format"), QStringLiteral("pt"));
    if (Status s = w.write(tensors); !s)
        return Error {s.error()};
    if (Status s = writeFileAtomically(QDir(r.adapterDir).filePath(QStringLiteral("adapter_config.json")),
                                       QJsonDocument(cfg).toJson(QJsonDocument::Indented));
        !s)
        return Error {s.error()};
    r.adapterBytes = QFileInfo(tensors).size();
    for (const char *file : {"adapter_model.safetensors", "adapter_config.json"})
        r.adapterFiles << QStringLiteral("%1/%2").arg(kAdapterFolder, QLatin1String(file));
    return r;
}

Status installPeftAdapter(Transformer &model, const QString &adapterDir)
{
    const QString cfgPath = QDir(adapterDir).filePath(QStringLiteral("adapter_config.json"));
    QFile f(cfgPath);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("%1: cannot open (%2)").arg(native(cfgPath), f.errorString()));
    const QJsonObject cfg = QJsonDocument::fromJson(f.readAll()).object();
    if (cfg.value(QStringLiteral("peft_type")).toString() != QLatin1String("LORA"))
        return makeError(QStringLiteral("%1: peft_type is not LORA").arg(native(cfgPath)));
    if (cfg.value(QStringLiteral("use_rslora")).toBool() || cfg.value(QStringLiteral("use_dora")).toBool())
        return makeError(QStringLiteral("%1: rsLoRA / DoRA adapters are not supported").arg(native(cfgPath)));
    const double r0 = cfg.value(QStringLiteral("r")).toDouble(8);
    const double alpha0 = cfg.value(QStringLiteral("lora_alpha")).toDouble(8);
    const QJsonObject rankPattern = cfg.value(QStringLiteral("rank_pattern")).toObject();
    const QJsonObject alphaPattern = cfg.value(QStringLiteral("alpha_pattern")).toObject();
    auto file = SafetensorsFile::open(QDir(adapterDir).filePath(QStringLiteral("adapter_model.safetensors")));
    if (!file)
        return Error {file.error()};
    QMap<QString, QuantizedLinear> linears;
    for (const TensorInfo &t : (*file)->tensors()) {
        if (!t.name.endsWith(QLatin1String(".lora_A.weight")))
            continue;
        QString module = t.name.chopped(int(qstrlen(".lora_A.weight")));
        const QString bName = module + QStringLiteral(".lora_B.weight");
        if (module.startsWith(kPrefix))
            module = module.mid(kPrefix.size());
        const int index = model.linearIndex(module + QStringLiteral(".weight"));
        if (index < 0)
            return makeError(
                QStringLiteral("%1: the model has no linear '%2'").arg(native(adapterDir), module));
        Expected<MatrixRM> a = (*file)->readMatrix(t.name);
        if (!a)
            return Error {a.error()};
        Expected<MatrixRM> b = (*file)->readMatrix(bName);
        if (!b)
            return Error {b.error()};
        const WeightMatrix &w = model.linearWeight(index);
        if (a->cols() != w.cols() || b->rows() != w.rows() || a->rows() != b->cols())
            return makeError(QStringLiteral("%1: '%2': lora_A (%3 x %4) and lora_B (%5 x %6) do not fit the "
                                            "weight (%7 x %8)")
                                 .arg(native(adapterDir), module)
                                 .arg(a->rows())
                                 .arg(a->cols())
                                 .arg(b->rows())
                                 .arg(b->cols())
                                 .arg(w.rows())
                                 .arg(w.cols()));
        // PEFT looks patterns up by key suffix; this reader takes the full module name or none.
        const double rank = rankPattern.value(module).toDouble(r0);
        const double alpha = alphaPattern.value(module).toDouble(alpha0);
        QuantizedLinear q;
        q.wq = w.toMatrix();
        q.a = a->transpose();
        q.b = b->transpose() * float(alpha / rank);
        linears.insert(module + QStringLiteral(".weight"), std::move(q));
    }
    if (linears.isEmpty())
        return makeError(QStringLiteral("%1: no lora_A / lora_B pairs").arg(native(adapterDir)));
    return model.setQuantizedLinears(linears);
}

} // namespace lqer
