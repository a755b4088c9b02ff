#include "gptq.h"

#include "checkpoint.h"
#include "safetensors.h"

#include <QCryptographicHash>
#include <QDir>
#include <QMap>

#include <cmath>
#include <cstring>

namespace lqer {

namespace {

constexpr int kPerWord = 8; // 4-bit codes per int32
constexpr int kCodeOffset = 8; // symmetric INT4: stored code = code + 8, zero point 8

QString native(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

// The scale of one group of `n` values `v` on the symmetric INT4 grid, or a negative value when
// none fits. The engine's scale s = fp16(amax / 7) gives the largest value the code ±7 except
// when s is a subnormal fp16 (then ±6, ±5, ... can be the largest), so each code is tried.
float groupScale(const float *v, int n)
{
    float amax = 0.0f;
    for (int i = 0; i < n; ++i)
        amax = std::max(amax, std::fabs(v[i]));
    if (amax == 0.0f)
        return 0.0f;
    for (int top = 7; top >= 1; --top) {
        const float s = amax / float(top);
        if (!std::isfinite(s) || halfToFloat(floatToHalf(s)) != s || s * float(top) != amax)
            continue;
        bool fits = true;
        for (int i = 0; i < n && fits; ++i) {
            const float q = std::nearbyint(v[i] / s);
            fits = std::fabs(q) <= 7.0f && q * s == v[i];
        }
        if (fits)
            return s;
    }
    return -1.0f;
}

struct ModuleTensors
{
    const TensorInfo *qweight = nullptr;
    const TensorInfo *qzeros = nullptr;
    const TensorInfo *scales = nullptr;
    const TensorInfo *gIdx = nullptr;
    std::shared_ptr<SafetensorsFile> qweightShard, qzerosShard, scalesShard, gIdxShard;
};

template<typename T> Expected<std::vector<T>> rawArray(const SafetensorsFile &shard, const TensorInfo &info)
{
    Expected<const uchar *> bytes = shard.data(info);
    if (!bytes)
        return Error {bytes.error()};
    std::vector<T> out(size_t(info.byteSize() / qint64(sizeof(T))));
    std::memcpy(out.data(), *bytes, out.size() * sizeof(T));
    return out;
}

Expected<std::vector<uint16_t>> halfArray(const SafetensorsFile &shard, const TensorInfo &info)
{
    if (info.dtype == DType::F16)
        return rawArray<uint16_t>(shard, info);
    Expected<std::vector<float>> f = shard.readFloats(info.name);
    if (!f)
        return Error {f.error()};
    std::vector<uint16_t> out(f->size());
    for (size_t i = 0; i < out.size(); ++i)
        out[i] = floatToHalf((*f)[i]);
    return out;
}

// Checks one module's headers against the layout; `in` and `out` on success.
Status checkModule(const QString &module, const ModuleTensors &t, const GptqConfig &cfg, qint64 &in,
                   qint64 &out)
{
    const auto where = [](const std::shared_ptr<SafetensorsFile> &shard) { return native(shard->path()); };
    const QString qw = module + QStringLiteral(".qweight");
    for (const auto &[tensor, suffix] : {std::pair {t.qzeros, ".qzeros"}, std::pair {t.scales, ".scales"}})
        if (!tensor)
            return makeError(QStringLiteral("%1: GPTQ tensor '%2%3' is missing (its module has '%4')")
                                 .arg(where(t.qweightShard), module, QLatin1String(suffix), qw));
    if (t.qweight->dtype != DType::I32 || t.qweight->shape.size() != 2)
        return makeError(
            QStringLiteral("%1: '%2' is %3 %4; GPTQ stores I32 [in/8, out]")
                .arg(where(t.qweightShard), qw, dtypeName(t.qweight->dtype), shapeText(t.qweight->shape)));
    if (t.scales->shape.size() != 2 || !dtypeIsFloat(t.scales->dtype))
        return makeError(QStringLiteral("%1: '%2' is %3 %4; GPTQ stores F16 [groups, out]")
                             .arg(where(t.scalesShard), t.scales->name, dtypeName(t.scales->dtype),
                                  shapeText(t.scales->shape)));
    out = t.scales->shape.at(1);
    const qint64 groups = t.scales->shape.at(0);
    // The inputs: g_idx has one entry per input; without it, the groups say how many.
    if (t.gIdx) {
        if (t.gIdx->dtype != DType::I32 || t.gIdx->shape.size() != 1)
            return makeError(QStringLiteral("%1: '%2' is %3 %4; GPTQ stores I32 [in]")
                                 .arg(where(t.gIdxShard), t.gIdx->name, dtypeName(t.gIdx->dtype),
                                      shapeText(t.gIdx->shape)));
        in = t.gIdx->shape.at(0);
    } else {
        in = t.qweight->shape.at(0) * kPerWord;
    }
    if (t.qweight->shape.at(0) * kPerWord != in || t.qweight->shape.at(1) != out)
        return makeError(QStringLiteral("%1: '%2' is %3 but its module has %4 inputs and %5 outputs "
                                        "(scales %6): 4-bit GPTQ expects [%7, %5]")
                             .arg(where(t.qweightShard), qw, shapeText(t.qweight->shape))
                             .arg(in)
                             .arg(out)
                             .arg(shapeText(t.scales->shape))
                             .arg(in / kPerWord));
    const qint64 expectedGroups = cfg.groupSize > 0 ? (in + cfg.groupSize - 1) / cfg.groupSize : 1;
    if (!cfg.descAct && groups != expectedGroups)
        return makeError(QStringLiteral("%1: '%2' is %3 but %4 inputs in groups of %5 make %6 groups")
                             .arg(where(t.scalesShard), t.scales->name, shapeText(t.scales->shape))
                             .arg(in)
                             .arg(cfg.groupSize)
                             .arg(expectedGroups));
    if (t.qzeros->dtype != DType::I32 || t.qzeros->shape != QList<qint64> {groups, out / kPerWord}
        || out % kPerWord != 0)
        return makeError(QStringLiteral("%1: '%2' is %3 %4; GPTQ expects I32 [%5, %6] for %7 outputs")
                             .arg(where(t.qzerosShard), t.qzeros->name, dtypeName(t.qzeros->dtype),
                                  shapeText(t.qzeros->shape))
                             .arg(groups)
                             .arg(out / kPerWord)
                             .arg(out));
    return {};
}

Expected<MatrixRM> readModule(const QString &module, const ModuleTensors &t, const GptqConfig &cfg,
                              bool transposed)
{
    GptqLinear l;
    l.outFeatures = t.scales->shape.at(1);
    l.inFeatures = t.qweight->shape.at(0) * kPerWord;
    auto qweight = rawArray<int32_t>(*t.qweightShard, *t.qweight);
    if (!qweight)
        return Error {qweight.error()};
    auto qzeros = rawArray<int32_t>(*t.qzerosShard, *t.qzeros);
    if (!qzeros)
        return Error {qzeros.error()};
    auto scales = halfArray(*t.scalesShard, *t.scales);
    if (!scales)
        return Error {scales.error()};
    l.qweight = std::move(*qweight);
    l.qzeros = std::move(*qzeros);
    l.scales = std::move(*scales);
    if (t.gIdx) {
        auto g = rawArray<int32_t>(*t.gIdxShard, *t.gIdx);
        if (!g)
            return Error {g.error()};
        l.gIdx = std::move(*g);
    } else {
        const qint64 group = cfg.groupSize > 0 ? cfg.groupSize : l.inFeatures;
        l.gIdx.resize(size_t(l.inFeatures));
        for (qint64 i = 0; i < l.inFeatures; ++i)
            l.gIdx[size_t(i)] = int32_t(i / group);
    }
    Expected<MatrixRM> w = dequantizeGptq(l, cfg, module);
    if (!w || !transposed)
        return w;
    return MatrixRM(w->transpose());
}

} // namespace

bool isGptqConfig(const QJsonObject &config)
{
    return config.value(QStringLiteral("quantization_config"))
               .toObject()
               .value(QStringLiteral("quant_method"))
               .toString()
               .compare(QLatin1String("gptq"), Qt::CaseInsensitive)
        == 0;
}

Expected<GptqConfig> gptqConfigOf(const QJsonObject &config, const QString &configPath)
{
    const QJsonObject q = config.value(QStringLiteral("quantization_config")).toObject();
    GptqConfig c;
    c.bits = q.value(QStringLiteral("bits")).toInt(0);
    if (c.bits != 4)
        return makeError(
            QStringLiteral("%1: quantization_config.bits is %2; only 4-bit GPTQ weights are read")
                .arg(native(configPath), q.value(QStringLiteral("bits")).toVariant().toString()));
    c.groupSize = q.value(QStringLiteral("group_size")).toInt(128);
    if (c.groupSize == 0 || c.groupSize < -1)
        return makeError(
            QStringLiteral("%1: quantization_config.group_size %2 is not a group size (-1 or > 0)")
                .arg(native(configPath))
                .arg(c.groupSize));
    c.descAct = q.value(QStringLiteral("desc_act")).toBool(false);
    c.sym = q.value(QStringLiteral("sym")).toBool(true);
    const QString format = q.value(QStringLiteral("checkpoint_format")).toString(QStringLiteral("gptq"));
    if (format != QLatin1String("gptq") && format != QLatin1String("gptq_v2"))
        return makeError(
            QStringLiteral("%1: quantization_config.checkpoint_format '%2' is not read (gptq or gptq_v2)")
                .arg(native(configPath), format));
    c.v1 = format == QLatin1String("gptq");
    return c;
}

QJsonObject gptqQuantizationConfig(int groupSize)
{
    return QJsonObject {
        {QStringLiteral("quant_method"), QStringLiteral("gptq")},
        {QStringLiteral("bits"), 4},
        {QStringLiteral("group_size"), groupSize},
        {QStringLiteral("desc_act"), false},
        {QStringLiteral("sym"), true},
        {QStringLiteral("true_sequential"), true},
        {QStringLiteral("static_groups"), false},
        {QStringLiteral("damp_percent"), 0.01},
        {QStringLiteral("checkpoint_format"), QStringLiteral("gptq")},
    };
}

Expected<GptqLinear> packGptqInt4(const MatrixRM &wq, int groupSize, const QString &name)
{
    const qint64 out = wq.rows(), in = wq.cols();
    if (groupSize <= 0 || in % kPerWord != 0 || out % kPerWord != 0 || in % groupSize != 0)
        return makeError(QStringLiteral("layer '%1' (%2 x %3): GPTQ packing needs inputs and outputs that "
                                        "are multiples of 8 and inputs a multiple of the group %4")
                             .arg(name)
                             .arg(out)
                             .arg(in)
                             .arg(groupSize));
    const qint64 groups = in / groupSize;
    GptqLinear l;
    l.inFeatures = in;
    l.outFeatures = out;
    l.qweight.assign(size_t(in / kPerWord * out), 0);
    l.qzeros.resize(size_t(groups * out / kPerWord));
    l.scales.resize(size_t(groups * out));
    l.gIdx.resize(size_t(in));
    for (qint64 i = 0; i < in; ++i)
        l.gIdx[size_t(i)] = int32_t(i / groupSize);
    // Every zero point is 8, stored as 7 (v1): 0x77777777.
    uint32_t zeros = 0;
    for (int j = 0; j < kPerWord; ++j)
        zeros |= uint32_t(kCodeOffset - 1) << (4 * j);
    std::fill(l.qzeros.begin(), l.qzeros.end(), int32_t(zeros));
    std::vector<uint32_t> words(l.qweight.size(), 0);
    for (qint64 o = 0; o < out; ++o) {
        const float *row = wq.data() + o * in;
        for (qint64 g = 0; g < groups; ++g) {
            const float *v = row + g * groupSize;
            const float s = groupScale(v, groupSize);
            if (s < 0) {
                // Name the first element whose value no scale explains.
                float amax = 0.0f;
                qint64 at = 0;
                for (int i = 0; i < groupSize; ++i)
                    if (std::fabs(v[i]) > amax)
                        amax = std::fabs(v[i]), at = i;
                return makeError(
                    QStringLiteral("layer '%1': the weights of output %2, inputs %3..%4 (largest "
                                   "|w| %5 at input %6) are not symmetric INT4 codes times an "
                                   "fp16 scale; the GPTQ base needs an int4_g%7_sym weight")
                        .arg(name)
                        .arg(o)
                        .arg(g * groupSize)
                        .arg((g + 1) * groupSize - 1)
                        .arg(double(amax), 0, 'g', 9)
                        .arg(g * groupSize + at)
                        .arg(groupSize));
            }
            l.scales[size_t(g * out + o)] = floatToHalf(s);
            for (int i = 0; i < groupSize; ++i) {
                const qint64 input = g * groupSize + i;
                const int code = s == 0.0f ? 0 : int(std::nearbyint(v[i] / s));
                words[size_t(input / kPerWord * out + o)] |= uint32_t(code + kCodeOffset)
                    << (4 * (input % kPerWord));
            }
        }
    }
    std::memcpy(l.qweight.data(), words.data(), words.size() * sizeof(uint32_t));
    return l;
}

Expected<MatrixRM> dequantizeGptq(const GptqLinear &l, const GptqConfig &config, const QString &name)
{
    const qint64 in = l.inFeatures, out = l.outFeatures, groups = l.groups();
    MatrixRM w(out, in);
    const int zeroOffset = config.v1 ? 1 : 0;
    for (qint64 i = 0; i < in; ++i) {
        const int32_t g = l.gIdx[size_t(i)];
        if (g < 0 || g >= groups)
            return makeError(QStringLiteral("'%1.g_idx': input %2 is in group %3 but there are %4 groups")
                                 .arg(name)
                                 .arg(i)
                                 .arg(g)
                                 .arg(groups));
        const uint32_t *words = reinterpret_cast<const uint32_t *>(l.qweight.data()) + (i / kPerWord) * out;
        const uint32_t *zeroWords
            = reinterpret_cast<const uint32_t *>(l.qzeros.data()) + g * (out / kPerWord);
        const uint16_t *scales = l.scales.data() + g * out;
        const int shift = int(4 * (i % kPerWord));
        for (qint64 o = 0; o < out; ++o) {
            const int code = int((words[o] >> shift) & 0xFu);
            const int zero = int((zeroWords[o / kPerWord] >> (4 * (o % kPerWord))) & 0xFu) + zeroOffset;
            w(o, i) = halfToFloat(scales[o]) * float(code - zero);
        }
    }
    return w;
}

Expected<std::shared_ptr<Checkpoint>>
openGptqCheckpoint(const QString &directory, const QJsonObject &config,
                   const QList<std::shared_ptr<SafetensorsFile>> &shards)
{
    const QString configPath = QDir(directory).filePath(QStringLiteral("config.json"));
    Expected<GptqConfig> cfg = gptqConfigOf(config, configPath);
    if (!cfg)
        return Error {cfg.error()};
    // GPT-2's linears are Conv1D modules: Hugging Face stores their weights (in, out).
    const bool conv1d = config.value(QStringLiteral("model_type")).toString() == QLatin1String("gpt2");
    QMap<QString, ModuleTensors> modules;
    QList<std::pair<const TensorInfo *, std::shared_ptr<SafetensorsFile>>> order;
    QByteArray identity;
    for (const std::shared_ptr<SafetensorsFile> &shard : shards) {
        identity += shard->headerJson();
        for (const TensorInfo &t : shard->tensors()) {
            order.append({&t, shard});
            const QString module = t.name.section(QLatin1Char('.'), 0, -2);
            const QString suffix = t.name.section(QLatin1Char('.'), -1);
            ModuleTensors &m = modules[module];
            if (suffix == QLatin1String("qweight"))
                m.qweight = &t, m.qweightShard = shard;
            else if (suffix == QLatin1String("qzeros"))
                m.qzeros = &t, m.qzerosShard = shard;
            else if (suffix == QLatin1String("scales"))
                m.scales = &t, m.scalesShard = shard;
            else if (suffix == QLatin1String("g_idx"))
                m.gIdx = &t, m.gIdxShard = shard;
        }
    }
    CheckpointTensors view;
    view.file = shards.isEmpty() ? directory : shards.first()->path();
    view.identity = identity;
    QMap<QString, std::pair<const TensorInfo *, std::shared_ptr<SafetensorsFile>>> plain;
    auto gptq = std::make_shared<QMap<QString, ModuleTensors>>();
    for (const auto &[t, shard] : order) {
        const QString module = t->name.section(QLatin1Char('.'), 0, -2);
        const QString suffix = t->name.section(QLatin1Char('.'), -1);
        const ModuleTensors &m = modules.value(module);
        const bool part = suffix == QLatin1String("qzeros") || suffix == QLatin1String("scales")
            || suffix == QLatin1String("g_idx");
        if (suffix == QLatin1String("qweight")) {
            qint64 in = 0, out = 0;
            if (Status s = checkModule(module, m, *cfg, in, out); !s)
                return Error {s.error()};
            TensorInfo w;
            w.name = module + QStringLiteral(".weight");
            w.shape = conv1d ? QList<qint64> {in, out} : QList<qint64> {out, in};
            view.tensors << w;
            gptq->insert(w.name, m);
        } else if (part && m.qweight) {
            continue;
        } else if (part) {
            return makeError(QStringLiteral("%1: GPTQ tensor '%2.qweight' is missing (the folder has '%3')")
                                 .arg(native(shard->path()), module, t->name));
        } else {
            view.tensors << *t;
            plain.insert(t->name, {t, shard});
        }
    }
    if (gptq->isEmpty())
        return makeError(QStringLiteral("%1: config.json declares GPTQ weights but no tensor is a '.qweight'")
                             .arg(native(configPath)));
    const GptqConfig c = *cfg;
    view.read = [gptq, plain, c, conv1d](const TensorInfo &info) -> Expected<MatrixRM> {
        const auto it = gptq->constFind(info.name);
        if (it != gptq->constEnd())
            return readModule(info.name.chopped(7), *it, c, conv1d);
        const auto p = plain.constFind(info.name);
        if (p == plain.constEnd())
            return makeError(QStringLiteral("no tensor '%1'").arg(info.name));
        return p->second->readMatrix(info.name);
    };
    return Checkpoint::fromTensors(directory, config, std::move(view));
}

} // namespace lqer
