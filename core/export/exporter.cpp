#include "exporter.h"

#include "core/export/ggufexport.h"
#include "core/export/packedformat.h"
#include "core/export/packing.h"
#include "core/export/peftexport.h"
#include "core/io/gptq.h"
#include "core/common/sparepool.h"
#include "core/common/workerpool.h"
#include "core/lqer/lqer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLockFile>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QThread>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <tuple>

namespace lqer {

namespace {

QString native(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

// Collects tensors into shards of at most `limit` data bytes (a tensor group never splits) and
// writes each full shard under a provisional name; the final names need the shard count.
// Tensors are spooled to a scratch file as they arrive, so memory holds one tensor, not a
// shard (a 7B model's 2 GB shards would otherwise sit in memory until written).
class ShardSink
{
public:
    ShardSink(QString dir, qint64 limit, QMap<QString, QString> metadata)
        : mDir(std::move(dir))
        , mLimit(limit)
        , mMetadata(std::move(metadata))
    {
        startShard();
    }

    SafetensorsWriter &writerFor(qint64 groupBytes, Status &status)
    {
        if (mCurrent.tensorCount() > 0 && mCurrent.dataBytes() + groupBytes > mLimit)
            status = flush();
        return mCurrent;
    }

    void noteTensor(const QString &name) { mNames.append(name); }

    Status flush()
    {
        if (mCurrent.tensorCount() == 0 && !mShardNames.isEmpty())
            return {};
        for (auto it = mMetadata.begin(); it != mMetadata.end(); ++it)
            mCurrent.setMetadata(it.key(), it.value());
        const QString path
            = QDir(mDir).filePath(QStringLiteral("part-%1.safetensors").arg(mShardNames.size()));
        if (Status s = mCurrent.write(path); !s)
            return s;
        mBytes += QFileInfo(path).size();
        mShardNames.append(mNames);
        mNames.clear();
        mCurrent = SafetensorsWriter();
        startShard();
        return {};
    }

    // Renames the provisional shards to the Hugging Face names; returns the written file names
    // (shards, then the index when there are several).
    Expected<QStringList> finish()
    {
        if (Status s = flush(); !s)
            return Error {s.error()};
        mCurrent = SafetensorsWriter(); // removes the next shard's (unused) scratch file
        const int count = int(mShardNames.size());
        QStringList files;
        QJsonObject weightMap;
        const QDir dir(mDir);
        for (int i = 0; i < count; ++i) {
            const QString from = dir.filePath(QStringLiteral("part-%1.safetensors").arg(i));
            const QString name = shardFileName(i, count);
            if (!QFile::rename(from, dir.filePath(name)))
                return makeError(QStringLiteral("%1: cannot rename to %2").arg(native(from), name));
            files << name;
            for (const QString &t : mShardNames.at(i))
                weightMap.insert(t, name);
        }
        if (count > 1) {
            QJsonObject index;
            index.insert(QStringLiteral("metadata"),
                         QJsonObject {{QStringLiteral("total_size"), double(mDataBytes)}});
            index.insert(QStringLiteral("weight_map"), weightMap);
            const QString name = QStringLiteral("model.safetensors.index.json");
            const QByteArray bytes = QJsonDocument(index).toJson(QJsonDocument::Indented);
            if (Status s = writeFileAtomically(dir.filePath(name), bytes); !s)
                return Error {s.error()};
            mBytes += bytes.size();
            files << name;
        }
        return files;
    }

    void addDataBytes(qint64 n) { mDataBytes += n; }
    qint64 bytesWritten() const { return mBytes; }

private:
    void startShard()
    {
        mCurrent.spoolTo(QDir(mDir).filePath(QStringLiteral("part-%1.spool").arg(mShardNames.size())));
    }

    QString mDir;
    qint64 mLimit;
    QMap<QString, QString> mMetadata;
    SafetensorsWriter mCurrent;
    QStringList mNames;
    QList<QStringList> mShardNames;
    qint64 mBytes = 0;
    qint64 mDataBytes = 0;
};

// The side files a Hugging Face folder carries besides its weights (config, tokenizer, ...).
bool isSideFile(const QString &name)
{
    // Weight indexes (safetensors or pytorch .bin) describe the source's weights, not ours.
    if (name.endsWith(QLatin1String(".index.json")) || name == QLatin1String(packedConfigFileName())
        || name.startsWith(QLatin1Char('.')))
        return false;
    static const QStringList suffixes
        = {QStringLiteral(".json"), QStringLiteral(".txt"), QStringLiteral(".model"),
           QStringLiteral(".tiktoken"), QStringLiteral(".jinja")};
    for (const QString &s : suffixes)
        if (name.endsWith(s))
            return true;
    return false;
}

bool isInside(const QString &path, const QString &folder)
{
    return path == folder || path.startsWith(folder + QLatin1Char('/'));
}

// The canonical form of a path that may not exist yet (its deepest existing ancestor resolved).
QString canonicalPath(const QString &path)
{
    QFileInfo info(QFileInfo(path).absoluteFilePath());
    QStringList tail;
    while (!info.exists()) {
        tail.prepend(info.fileName());
        const QString parent = info.absolutePath();
        if (parent == info.absoluteFilePath())
            break;
        info = QFileInfo(parent);
    }
    QString base = info.canonicalFilePath();
    for (const QString &t : tail)
        base += QLatin1Char('/') + t;
    return QDir::cleanPath(base);
}

Status writeJson(const QString &path, const QJsonObject &json, qint64 *bytes)
{
    const QByteArray data = QJsonDocument(json).toJson(QJsonDocument::Indented);
    *bytes += data.size();
    return writeFileAtomically(path, data);
}

Status removeFile(const QString &path)
{
    if (QFileInfo::exists(path) && !QFile::remove(path))
        return makeError(
            QStringLiteral("%1: cannot remove the file of the previous export").arg(native(path)));
    return {};
}

// Moves the finished files from the partial folder into an existing, non-empty output folder
// (--force). The files of a previous export listed in its quantization_config.json go first (the
// manifest before anything else, so a half-replaced folder never looks complete), the new
// index/config files last.
Status moveInto(const QString &partial, const QString &outDir, const QStringList &files)
{
    const QDir out(outDir);
    const QString manifest = out.filePath(QLatin1String(packedConfigFileName()));
    QStringList previous;
    if (QFileInfo::exists(manifest)) {
        QFile f(manifest);
        if (f.open(QIODevice::ReadOnly)) {
            const QJsonObject old = QJsonDocument::fromJson(f.readAll()).object();
            for (const QJsonValue &v : old.value(QStringLiteral("files")).toArray())
                previous << v.toString();
        }
        if (Status s = removeFile(manifest); !s)
            return s;
    }
    for (const QString &name : previous) {
        // Only plain names this tool writes: never follow a path out of the folder.
        if (name.isEmpty() || name.contains(QLatin1Char('/')) || name.contains(QLatin1Char('\\'))
            || name.startsWith(QLatin1Char('.')))
            continue;
        if (Status s = removeFile(out.filePath(name)); !s)
            return s;
    }
    QStringList ordered;
    QStringList last;
    for (const QString &f : files) {
        if (f == QLatin1String("model.safetensors.index.json") || f == QLatin1String("config.json")
            || f == QLatin1String(packedConfigFileName()))
            last << f;
        else
            ordered << f;
    }
    std::sort(last.begin(), last.end(), [](const QString &a, const QString &b) {
        // index, then config.json, then quantization_config.json.
        auto rank = [](const QString &n) {
            return n == QLatin1String(packedConfigFileName()) ? 2 : n == QLatin1String("config.json") ? 1 : 0;
        };
        return rank(a) < rank(b);
    });
    ordered << last;
    const QDir from(partial);
    for (const QString &f : ordered) {
        // rename(2) replaces an existing file of the same name atomically.
        const QByteArray src = QFile::encodeName(from.filePath(f));
        const QByteArray dst = QFile::encodeName(out.filePath(f));
        if (std::rename(src.constData(), dst.constData()) != 0)
            return makeError(QStringLiteral("cannot move %1 into %2").arg(f, native(outDir)));
    }
    return {};
}

QJsonObject layerJson(const LinearLayerInfo &info, const LayerPlan &plan, const QuantizedLinear &q)
{
    QJsonObject o;
    o.insert(QStringLiteral("in"), double(info.inFeatures));
    o.insert(QStringLiteral("out"), double(info.outFeatures));
    o.insert(QStringLiteral("rank"), q.rank());
    o.insert(QStringLiteral("weight_format"), plan.weight.toString());
    o.insert(QStringLiteral("low_rank_format"), plan.lowRank.toString());
    o.insert(QStringLiteral("act_format"), q.act.toString());
    o.insert(QStringLiteral("low_rank_act_format"), q.lowRankAct.toString());
    o.insert(QStringLiteral("method"), methodName(plan.method));
    o.insert(QStringLiteral("transposed"), info.transposed);
    if (!info.biasName.isEmpty())
        o.insert(QStringLiteral("bias"), info.biasName);
    return o;
}

Status checkShapes(const LinearLayerInfo &info, const QuantizedLinear &q)
{
    const bool lowRankOk = q.rank() == 0
        ? q.b.size() == 0
        : (q.a.rows() == info.inFeatures && q.b.rows() == q.a.cols() && q.b.cols() == info.outFeatures);
    if (q.outFeatures() != info.outFeatures || q.inFeatures() != info.inFeatures || !lowRankOk)
        return makeError(QStringLiteral("layer '%1': the quantized linear has Wq %2x%3, A %4x%5, B %6x%7; "
                                        "the checkpoint's weight is (out %8, in %9)")
                             .arg(info.weightName)
                             .arg(q.outFeatures())
                             .arg(q.inFeatures())
                             .arg(q.a.rows())
                             .arg(q.a.cols())
                             .arg(q.b.rows())
                             .arg(q.b.cols())
                             .arg(info.outFeatures)
                             .arg(info.inFeatures));
    return {};
}

// Adds the arrays of one packed matrix under "<base>.codes", ".exponents", ".scales", ".zeros"
// (or "<base>" as F32 when the format is None).
void addPacked(SafetensorsWriter &w, const QString &base, const PackedTensor &p)
{
    if (!p.format.isQuantized()) {
        w.addTensor(base, DType::F32, {p.rows, p.cols}, p.raw);
        return;
    }
    w.addTensor(base + QStringLiteral(".codes"), DType::U8, {p.rows, p.codeRowBytes()}, p.codes);
    if (p.format.kind == FormatKind::MxInt)
        w.addTensor(base + QStringLiteral(".exponents"), DType::U8, {p.rows, p.blocksPerRow()}, p.exponents);
    else
        w.addTensor(base + QStringLiteral(".scales"), DType::F16, {p.rows, p.blocksPerRow()}, p.scales);
    if (p.format.kind == FormatKind::IntAsym)
        w.addTensor(base + QStringLiteral(".zeros"), DType::U8, {p.rows, p.zeroRowBytes()}, p.zeros);
}

} // namespace

QJsonObject exportRunDetails(const QString &format, const QString &outputDir, const QStringList &files,
                             int quantizedLayers, qint64 quantizedWeights, double formulaBitsPerWeight,
                             double fileBitsPerWeight)
{
    const QDir dir(outputDir);
    QJsonArray list;
    qint64 total = 0;
    for (const QString &name : files) {
        const qint64 bytes = QFileInfo(dir.filePath(name)).size();
        total += bytes;
        list.append(QJsonObject {{QStringLiteral("name"), name}, {QStringLiteral("bytes"), double(bytes)}});
    }
    QJsonObject details {
        {QStringLiteral("format"), format},
        {QStringLiteral("outputDir"), QDir::cleanPath(QFileInfo(outputDir).absoluteFilePath())},
        {QStringLiteral("files"), list},
        {QStringLiteral("totalBytes"), double(total)},
        {QStringLiteral("quantizedLayers"), quantizedLayers},
        {QStringLiteral("quantizedWeights"), double(quantizedWeights)},
        {QStringLiteral("bitsPerWeight"), formulaBitsPerWeight},
    };
    if (fileBitsPerWeight > 0)
        details.insert(QStringLiteral("fileBitsPerWeight"), fileBitsPerWeight);
    return details;
}

QString exportFormatName(ExportFormat format)
{
    return format == ExportFormat::Packed ? QStringLiteral("packed") : QStringLiteral("dequantized");
}

Expected<ExportFormat> exportFormatFromName(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("packed"))
        return ExportFormat::Packed;
    if (n == QLatin1String("dequantized") || n == QLatin1String("hf"))
        return ExportFormat::Dequantized;
    return makeError(QStringLiteral("unknown export format '%1' (expected packed or dequantized)").arg(name));
}

namespace {

// Bytes packRows() gives `rows` x `cols` values of `format` (packing.h, docs/PACKED_FORMAT.md).
qint64 packedBytes(const QuantFormat &format, qint64 rows, qint64 cols)
{
    PackedTensor t;
    t.format = format;
    t.rows = rows;
    t.cols = cols;
    switch (format.kind) {
    case FormatKind::MxInt:
        return rows * (t.codeRowBytes() + t.blocksPerRow());
    case FormatKind::IntSym:
        return rows * (t.codeRowBytes() + 2 * t.blocksPerRow());
    case FormatKind::IntAsym:
        return rows * (t.codeRowBytes() + 2 * t.blocksPerRow() + t.zeroRowBytes());
    default:
        return rows * cols * 4;
    }
}

// A safetensors header entry: "name":{"dtype":"F16","shape":[a,b],"data_offsets":[x,y]}.
qint64 headerEntryBytes(const QString &name)
{
    return name.toUtf8().size() + 64;
}

} // namespace

Expected<ExportSizePrediction> predictExportSize(std::shared_ptr<const Checkpoint> checkpoint,
                                                 const Plan &plan, PredictedFormat format, DType dtype,
                                                 const QString &tokenizerPath)
{
    if (!checkpoint)
        return makeError(QStringLiteral("export size: no checkpoint given"));
    ExportSizePrediction p;
    if (format == PredictedFormat::Gguf) {
        GgufExportConfig g;
        g.checkpoint = checkpoint;
        g.plan = plan;
        g.tokenizerPath = tokenizerPath;
        Expected<GgufExportResult> r = predictGgufExport(g);
        if (!r)
            return Error {r.error()};
        p.baseBytes = r->modelBytes;
        p.adapterBytes = r->loraBytes;
        p.otherBytes = r->otherBytes;
        p.bitsPerWeight = r->formulaBitsPerWeight;
        p.quantizedLayers = r->quantizedLayers;
        p.exact = true;
        return p;
    }
    const Checkpoint &ckpt = *checkpoint;
    Expected<QList<LinearLayerInfo>> linears = quantizableLinears(ckpt);
    if (!linears)
        return Error {linears.error()};
    const bool packed = format == PredictedFormat::Packed;
    // A PEFT export's base is GPTQ-packed when the plan allows it (peftexport.h).
    Expected<int> gptq = format == PredictedFormat::Peft ? gptqBaseGroupSize(ckpt, plan) : Expected<int>(0);
    const qint64 gptqGroup = gptq ? *gptq : 0;
    QMap<QString, LinearLayerInfo> quantized;
    for (const LinearLayerInfo &l : *linears)
        if (plan.forLayer(l.weightName).quantize)
            quantized.insert(l.weightName, l);
    double bits = 0;
    qint64 weights = 0, header = 8 + 64, adapterHeader = 8 + 64;
    QJsonObject layers; // what quantization_config.json (and a packed export's metadata) describe
    qint64 adapterConfig = 512; // adapter_config.json: fixed keys + the module names
    for (const QString &name : ckpt.tensorNames()) {
        const TensorInfo *info = ckpt.find(name);
        if (!info)
            continue;
        if (!quantized.contains(name)) {
            const bool converted = !packed && dtypeIsFloat(info->dtype);
            p.baseBytes += converted ? info->elementCount() * dtypeSize(dtype) : info->byteSize();
            header += headerEntryBytes(name);
            continue;
        }
        const LinearLayerInfo &l = quantized.value(name);
        const LayerPlan lp = plan.forLayer(name);
        const int rank = effectiveRank(lp, l.inFeatures, l.outFeatures);
        ++p.quantizedLayers;
        weights += l.parameterCount();
        bits += double(l.parameterCount())
            * layerBitsPerWeight(l.inFeatures, l.outFeatures, rank, lp.weight,
                                 rank > 0 ? lp.lowRank : QuantFormat::none());
        if (packed) {
            p.baseBytes += packedBytes(lp.weight, l.outFeatures, l.inFeatures);
            if (rank > 0)
                p.baseBytes += packedBytes(lp.lowRank, rank, l.inFeatures)
                    + packedBytes(lp.lowRank, l.outFeatures, rank);
            for (const QString &suffix : packedLayerTensorSuffixes(lp.weight, lp.lowRank, rank))
                header += headerEntryBytes(packedLayerBase(name) + suffix);
        }
        QuantizedLinear shape;
        shape.act = lp.act;
        shape.lowRankAct = lp.act;
        shape.a = MatrixRM(0, rank);
        layers.insert(name, layerJson(l, lp, shape));
        if (packed)
            continue;
        if (gptqGroup > 0) {
            // qweight and g_idx (int32), qzeros (int32 per 8 outputs) and fp16 scales per group
            const qint64 groups = l.inFeatures / gptqGroup;
            p.baseBytes += l.parameterCount() / 2 + 4 * l.inFeatures
                + groups * (l.outFeatures / 2 + 2 * l.outFeatures);
            for (const char *suffix : {"qweight", "qzeros", "scales", "g_idx"})
                header += headerEntryBytes(name.chopped(6) + QLatin1String(suffix));
        } else {
            p.baseBytes += l.parameterCount() * dtypeSize(dtype);
            header += headerEntryBytes(name);
        }
        if (format == PredictedFormat::Peft && rank > 0) {
            p.adapterBytes += (qint64(rank) * l.inFeatures + qint64(rank) * l.outFeatures) * dtypeSize(dtype);
            adapterHeader += 2 * headerEntryBytes(QStringLiteral("base_model.model.") + name);
            adapterConfig += 3 * (name.toUtf8().size() + 8); // rank_pattern, alpha_pattern, modules
        }
    }
    const qint64 layersJson = QJsonDocument(layers).toJson(QJsonDocument::Compact).size();
    p.baseBytes += header + (packed ? layersJson : 0); // the layer metadata is in the header
    if (p.adapterBytes > 0)
        p.adapterBytes += adapterHeader + adapterConfig;
    const QDir src(ckpt.directory());
    for (const QString &name : src.entryList(QDir::Files | QDir::Readable, QDir::Name))
        if (isSideFile(name))
            p.otherBytes += QFileInfo(src.filePath(name)).size();
    p.otherBytes += 2 * layersJson; // quantization_config.json, indented
    p.bitsPerWeight = weights > 0 ? bits / double(weights) : 0;
    return p;
}

Expected<qint64> parseByteSize(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([kmgt]?)(i?b?)\\s*$"),
                                       QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return makeError(
            QStringLiteral("bad size '%1' (expected e.g. 2GB, 500MB or a byte count)").arg(text));
    double value = m.captured(1).toDouble();
    const QString unit = m.captured(2).toLower();
    const double base = m.captured(3).toLower().startsWith(QLatin1Char('i')) ? 1024.0 : 1000.0;
    const int power = unit.isEmpty() ? 0 : QStringLiteral("kmgt").indexOf(unit) + 1;
    for (int i = 0; i < power; ++i)
        value *= base;
    if (value < 1)
        return makeError(QStringLiteral("bad size '%1': must be at least one byte").arg(text));
    return qint64(value);
}

LinearProvider linearsFromMap(QMap<QString, QuantizedLinear> linears)
{
    auto shared = std::make_shared<QMap<QString, QuantizedLinear>>(std::move(linears));
    return [shared](const LinearLayerInfo &layer) -> Expected<QuantizedLinear> {
        auto it = shared->constFind(layer.weightName);
        if (it == shared->constEnd())
            return makeError(QStringLiteral("layer '%1': no quantized result to export (quantize it first)")
                                 .arg(layer.weightName));
        return *it;
    };
}

namespace {

// One layer of the plan, quantized from its fp32 weight (a view of `weight`'s buffer).
Expected<QuantizedLinear> quantizePlannedLayer(const Plan &plan, const StatsMap *stats, const QString &name,
                                               ConstMatrixRefRM weight, LayerScratch *scratch, int threads,
                                               const CancelToken *cancel)
{
    LayerQuantOptions options;
    options.scratch = scratch;
    options.threads = threads;
    options.plan = plan.forLayer(name);
    options.svd = plan.svd;
    options.computeSpectra = false;
    Expected<LayerQuantResult> r = quantizeLayer(name, weight, findLayerStats(stats, name), options, cancel);
    if (!r)
        return Error {r.error()};
    return std::move(r->linear);
}

// The work-ahead provider's state: a pool of workers quantizing the export's layers in its
// order, one layer per worker, while the exporting thread writes the earlier ones. Weights
// are loaded on the exporting thread (the checkpoint's reader need not be thread-safe), when
// it asks for a layer, up to `threads` + 1 layers ahead; finished layers wait in `ready`.
class WorkAhead
{
public:
    WorkAhead(std::shared_ptr<const Checkpoint> checkpoint, const Plan &plan, const StatsMap *stats,
              const CancelToken *cancel, int threads, QList<LinearLayerInfo> order)
        : mCheckpoint(std::move(checkpoint))
        , mPlan(plan)
        , mStats(stats)
        , mExternalCancel(cancel)
        , mThreads(std::max(1, threads > 0 ? threads : QThread::idealThreadCount()))
        , mOrder(std::move(order))
    {
        for (int i = 0; i < mOrder.size(); ++i)
            mPosition.insert(mOrder.at(i).weightName, i);
    }

    ~WorkAhead()
    {
        mCancel.cancel();
        mPool.waitForDone();
    }

    Expected<QuantizedLinear> get(const LinearLayerInfo &layer)
    {
        const int index = mPosition.value(layer.weightName, -1);
        if (index < mNextToAsk) // not in the order (or asked twice): quantized on the spot
            return quantizeNow(layer);
        mNextToAsk = index + 1;
        for (;;) {
            if (mExternalCancel && mExternalCancel->isCancelled())
                mCancel.cancel();
            if (mCancel.isCancelled())
                return makeError(cancelledMessage());
            if (Status s = submitWhileFree(index); !s)
                return Error {s.error()};
            std::unique_lock<std::mutex> lock(mMutex);
            // Results of layers the export skipped are dropped.
            while (!mReady.empty() && mReady.begin()->first < index)
                mReady.erase(mReady.begin());
            auto it = mReady.find(index);
            if (it != mReady.end()) {
                Expected<QuantizedLinear> r = std::move(it->second);
                mReady.erase(it);
                return r;
            }
            mDone.wait_for(lock, std::chrono::milliseconds(50), [&] { return mReady.count(index) > 0; });
        }
    }

private:
    Expected<QuantizedLinear> quantizeNow(const LinearLayerInfo &layer)
    {
        std::vector<float> buffer;
        auto weight = loadLinearWeightInto(*mCheckpoint, layer, buffer);
        if (!weight)
            return Error {weight.error()};
        LayerScratch scratch;
        return quantizePlannedLayer(mPlan, mStats, layer.weightName, *weight, &scratch, mThreads,
                                    mExternalCancel);
    }

    // Loads and queues layers from the next unsubmitted one while fewer than threads + 1 are in
    // flight and fewer than 2·threads + 1 are between loading and being asked for; always far
    // enough to include `index`.
    Status submitWhileFree(int index)
    {
        while (mNextToSubmit < mOrder.size()) {
            {
                std::lock_guard<std::mutex> lock(mMutex);
                const bool needed = mNextToSubmit <= index;
                if (!needed
                    && (mInFlight >= mThreads + 1 || int(mReady.size()) + mInFlight >= 2 * mThreads + 1))
                    return Status::success();
                if (needed && mInFlight >= mThreads + 1)
                    return Status::success(); // a worker frees up first
            }
            const int i = mNextToSubmit++;
            std::shared_ptr<std::vector<float>> w = mSpareWeights.take();
            auto weight = loadLinearWeightInto(*mCheckpoint, mOrder.at(i), *w);
            if (!weight)
                return Error {weight.error()};
            {
                std::lock_guard<std::mutex> lock(mMutex);
                ++mInFlight;
            }
            const QString name = mOrder.at(i).weightName;
            mPool.start([this, i, name, w, weight = *weight] {
                std::shared_ptr<LayerScratch> scratch = mSpareScratch.take();
                Expected<QuantizedLinear> r
                    = quantizePlannedLayer(mPlan, mStats, name, weight, scratch.get(), 1, &mCancel);
                mSpareScratch.give(std::move(scratch));
                mSpareWeights.give(w);
                std::lock_guard<std::mutex> lock(mMutex);
                mReady.emplace(i, std::move(r));
                --mInFlight;
                mDone.notify_all();
            });
        }
        return Status::success();
    }

    const std::shared_ptr<const Checkpoint> mCheckpoint;
    const Plan mPlan;
    const StatsMap *const mStats;
    const CancelToken *const mExternalCancel;
    const int mThreads;
    const QList<LinearLayerInfo> mOrder;
    QHash<QString, int> mPosition;
    CancelToken mCancel;
    int mNextToSubmit = 0; // exporting thread only
    int mNextToAsk = 0; // exporting thread only
    std::mutex mMutex; // guards what follows
    std::condition_variable mDone;
    std::map<int, Expected<QuantizedLinear>> mReady;
    int mInFlight = 0;
    SparePool<std::vector<float>> mSpareWeights; // each grown to the largest layer it held
    SparePool<LayerScratch> mSpareScratch;
    WorkerPool mPool {mThreads}; // last: destroyed (and waited for) first
};

} // namespace

LinearProvider quantizingProvider(std::shared_ptr<const Checkpoint> checkpoint, const Plan &plan,
                                  const StatsMap *stats, const CancelToken *cancel, int threads)
{
    // The layer buffers live as long as the provider (the export), not the thread: a 7B-shaped
    // layer's are ~0.5 GB, and fresh ones per layer cost more in page faults than the
    // decomposition. The provider is called from one thread at a time.
    auto scratch = std::make_shared<LayerScratch>();
    auto w = std::make_shared<std::vector<float>>(); // grown to the largest layer
    return [checkpoint, plan, stats, cancel, threads, scratch,
            w](const LinearLayerInfo &layer) -> Expected<QuantizedLinear> {
        auto weight = loadLinearWeightInto(*checkpoint, layer, *w);
        if (!weight)
            return Error {weight.error()};
        return quantizePlannedLayer(plan, stats, layer.weightName, *weight, scratch.get(), threads, cancel);
    };
}

Expected<QList<LinearLayerInfo>> exportedLayers(const Checkpoint &checkpoint, const Plan &plan)
{
    Expected<QList<LinearLayerInfo>> linears = quantizableLinears(checkpoint);
    if (!linears)
        return Error {linears.error()};
    QHash<QString, LinearLayerInfo> byName;
    for (const LinearLayerInfo &l : *linears)
        if (plan.forLayer(l.weightName).quantize)
            byName.insert(l.weightName, l);
    QList<LinearLayerInfo> order;
    for (const QString &name : checkpoint.tensorNames())
        if (auto it = byName.constFind(name); it != byName.constEnd())
            order.append(*it);
    return order;
}

Expected<LinearProvider> workAheadProvider(std::shared_ptr<const Checkpoint> checkpoint, const Plan &plan,
                                           const StatsMap *stats, const CancelToken *cancel, int threads)
{
    Expected<QList<LinearLayerInfo>> order = exportedLayers(*checkpoint, plan);
    if (!order)
        return Error {order.error()};
    auto state
        = std::make_shared<WorkAhead>(std::move(checkpoint), plan, stats, cancel, threads, std::move(*order));
    return LinearProvider([state](const LinearLayerInfo &layer) { return state->get(layer); });
}

namespace {

// One export, as named steps over the state they share: check the request, prepare the partial
// folder, describe the layers, stream the tensors into shards, copy the side files, write
// quantization_config.json, move everything into place. Any step's error ends the export, and the
// partial folder is removed with this object.
class ExportRun
{
public:
    ExportRun(const ExportConfig &config, const ProgressFn &progress)
        : mConfig(config)
        , mProgress(progress)
        , mCkpt(*config.checkpoint)
        , mSourceDir(native(mCkpt.directory()))
        , mPacked(config.format == ExportFormat::Packed)
    { }

    Expected<ExportResult> run(const QElapsedTimer &timer)
    {
        for (Status (ExportRun::*step)() :
             {&ExportRun::checkRequest, &ExportRun::prepareOutput, &ExportRun::planLayers,
              &ExportRun::writeTensors, &ExportRun::finishShards, &ExportRun::copySideFiles,
              &ExportRun::writeQuantizationConfig, &ExportRun::moveIntoPlace}) {
            if (Status s = (this->*step)(); !s)
                return Error {s.error()};
        }
        reportProgress(mProgress, 1.0, QStringLiteral("done"));
        mResult.outputDir = mOutDir;
        mResult.files = mFiles;
        mResult.totalBytes = mBytes;
        mResult.seconds = double(timer.nsecsElapsed()) * 1e-9;
        return mResult;
    }

private:
    Error cancelled() const
    {
        return makeError(
            QStringLiteral("export to %1 cancelled; nothing was written there").arg(native(mOutDir)));
    }
    bool cancelRequested() const { return mConfig.cancel && mConfig.cancel->isCancelled(); }

    Status checkRequest()
    {
        if (!mCkpt.hasConfig())
            return makeError(QStringLiteral("%1: no config.json; only a Hugging Face folder can be exported")
                                 .arg(mSourceDir));
        if (!mConfig.linears)
            return makeError(QStringLiteral("export: no quantized linears were given"));
        if (mConfig.outputDir.trimmed().isEmpty())
            return makeError(QStringLiteral("export: no output folder given"));
        if (mConfig.shardBytes <= 0)
            return makeError(QStringLiteral("export: the shard size must be positive"));
        if (mConfig.format == ExportFormat::Dequantized && mConfig.dtype != DType::F16
            && mConfig.dtype != DType::BF16 && mConfig.dtype != DType::F32)
            return makeError(
                QStringLiteral("export: dequantized weights are stored as F16, BF16 or F32, not %1")
                    .arg(dtypeName(mConfig.dtype)));
        if (mConfig.gptqGroupSize > 0
            && (mConfig.format != ExportFormat::Dequantized || mConfig.mergeLowRank))
            return makeError(QStringLiteral("export: a GPTQ-packed base is a dequantized export without the "
                                            "low-rank term merged"));
        return {};
    }

    // The output folder must not be (inside) the source, and must be empty unless forced; the
    // files are written into a partial folder beside it.
    Status prepareOutput()
    {
        mOutDir = canonicalPath(mConfig.outputDir);
        const QString srcCanonical = canonicalPath(mCkpt.directory());
        if (isInside(mOutDir, srcCanonical))
            return makeError(
                QStringLiteral("%1: the output folder is the source checkpoint's folder (or inside it); "
                               "the source is never written to")
                    .arg(native(mOutDir)));
        const QFileInfo outInfo(mOutDir);
        mOutExists = outInfo.exists();
        if (mOutExists) {
            if (!outInfo.isDir())
                return makeError(QStringLiteral("%1: exists and is not a folder").arg(native(mOutDir)));
            mOutNonEmpty = !QDir(mOutDir).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden
                                                  | QDir::System);
            if (mOutNonEmpty && !mConfig.force)
                return makeError(
                    QStringLiteral("%1: the output folder is not empty (use --force to replace the files "
                                   "of a previous export; other files are kept)")
                        .arg(native(mOutDir)));
        }
        const QString parent = QFileInfo(mOutDir).absolutePath();
        if (!QDir().mkpath(parent))
            return makeError(QStringLiteral("%1: cannot create the folder").arg(native(parent)));
        removeStalePartials(parent, QFileInfo(mOutDir).fileName());
        mPartial = std::make_unique<QTemporaryDir>(
            QDir(parent).filePath(QFileInfo(mOutDir).fileName() + QStringLiteral(".partial-XXXXXX")));
        if (!mPartial->isValid())
            return makeError(QStringLiteral("%1: cannot create a temporary folder beside the output (%2)")
                                 .arg(native(parent), mPartial->errorString()));
        // Held while the partial folder exists: a later export finds the folder of a killed one
        // (its lock's process is gone) and removes it.
        mPartialLock = std::make_unique<QLockFile>(mPartial->path() + QStringLiteral(".lock"));
        mPartialLock->setStaleLockTime(0);
        mPartialLock->tryLock(0);
        // QTemporaryDir creates 0700; the finished folder gets a normal folder's permissions.
        QFile::setPermissions(mPartial->path(),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                  | QFileDevice::ReadGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther
                                  | QFileDevice::ExeOther);
        mWork = QDir(mPartial->path());
        return {};
    }

    // The quantized layers and their description, which must be in every shard's metadata and
    // so is built before the tensors are written: formats and shapes come from the plan and the
    // checkpoint; the rank from the plan, checked against each linear when it arrives.
    Status planLayers()
    {
        Expected<QList<LinearLayerInfo>> linears = exportedLayers(mCkpt, mConfig.plan);
        if (!linears)
            return Error {linears.error()};
        for (const LinearLayerInfo &l : *linears)
            mQuantized.insert(l.weightName, l);

        for (const LinearLayerInfo &l : std::as_const(mQuantized)) {
            const LayerPlan lp = mConfig.plan.forLayer(l.weightName);
            QuantizedLinear shape; // only the formats and rank matter for the JSON
            shape.act = lp.act;
            shape.lowRankAct = lp.act;
            const int rank = effectiveRank(lp, l.inFeatures, l.outFeatures);
            shape.a = MatrixRM(0, rank);
            QJsonObject o = layerJson(l, lp, shape);
            o.insert(QStringLiteral("rank"), rank);
            mLayersJson.insert(l.weightName, o);
        }

        QMap<QString, QString> metadata;
        metadata.insert(QStringLiteral("format"), QStringLiteral("pt"));
        const QString planJson
            = QString::fromUtf8(QJsonDocument(mConfig.plan.toJson()).toJson(QJsonDocument::Compact));
        metadata.insert(QLatin1String(packedMetaFormatKey()),
                        mPacked ? QLatin1String(packedFormatId()) : QStringLiteral("lqer-dequantized"));
        metadata.insert(QLatin1String(packedMetaVersionKey()), QString::number(packedFormatVersion()));
        metadata.insert(QLatin1String(packedMetaPlanKey()), planJson);
        if (mPacked)
            metadata.insert(QLatin1String(packedMetaLayersKey()),
                            QString::fromUtf8(QJsonDocument(mLayersJson).toJson(QJsonDocument::Compact)));
        mSink = std::make_unique<ShardSink>(mWork.path(), mConfig.shardBytes, metadata);
        return {};
    }

    // Visits the checkpoint's tensors in order: a quantized linear is asked from the provider,
    // anything else is copied.
    Status writeTensors()
    {
        const QStringList names = mCkpt.tensorNames();
        const qint64 totalTensors = std::max<qint64>(names.size(), 1);
        int index = 0;
        for (const QString &name : names) {
            if (cancelRequested()
                || !reportProgress(mProgress, 0.95 * double(index) / double(totalTensors),
                                   QStringLiteral("exporting %1").arg(name)))
                return cancelled();
            ++index;
            const TensorInfo *info = mCkpt.find(name);
            if (!info)
                return makeError(
                    QStringLiteral("%1: tensor '%2' is listed but not found").arg(mSourceDir, name));
            auto layerIt = mQuantized.constFind(name);
            const Status st = layerIt == mQuantized.constEnd() ? writePlainTensor(name, *info)
                                                               : writeLinear(*layerIt, *info);
            if (!st)
                return st;
        }
        if (mResult.quantizedLayers != mQuantized.size())
            return makeError(QStringLiteral("%1: %2 quantizable layers were found but only %3 were written")
                                 .arg(mSourceDir)
                                 .arg(mQuantized.size())
                                 .arg(mResult.quantizedLayers));
        return {};
    }

    // Not a quantized linear: as it was (packed), or in the chosen dtype (dequantized).
    Status writePlainTensor(const QString &name, const TensorInfo &info)
    {
        Status st;
        const std::shared_ptr<SafetensorsFile> shard = mCkpt.shardOf(name); // null when decoded
        if (shard && (mPacked || !dtypeIsFloat(info.dtype) || info.dtype == mConfig.dtype)) {
            Expected<const uchar *> bytes = shard->data(info);
            if (!bytes)
                return Error {bytes.error()};
            SafetensorsWriter &w = mSink->writerFor(info.byteSize(), st);
            if (!st)
                return st;
            w.addTensor(name, info.dtype, info.shape,
                        QByteArray(reinterpret_cast<const char *>(*bytes), qsizetype(info.byteSize())));
            mSink->addDataBytes(info.byteSize());
        } else {
            Expected<std::vector<float>> values = mCkpt.readFloats(name);
            if (!values)
                return Error {values.error()};
            // A decoded tensor (a GGUF checkpoint's) is float32: packed keeps it so.
            const DType dtype = mPacked ? info.dtype : mConfig.dtype;
            const qint64 bytes = info.elementCount() * dtypeSize(dtype);
            SafetensorsWriter &w = mSink->writerFor(bytes, st);
            if (!st)
                return st;
            w.addFloatTensor(name, values->data(), info.shape, dtype);
            mSink->addDataBytes(bytes);
        }
        mSink->noteTensor(name);
        return {};
    }

    // A quantized linear: asked from the provider, checked against the planned shape and rank,
    // counted, then written packed or dequantized.
    Status writeLinear(const LinearLayerInfo &layer, const TensorInfo &info)
    {
        const QString &name = layer.weightName;
        const LayerPlan lp = mConfig.plan.forLayer(name);
        Expected<QuantizedLinear> q = mConfig.linears(layer);
        if (!q) {
            if (cancelRequested())
                return cancelled();
            return Error {q.error()};
        }
        if (Status s = checkShapes(layer, *q); !s)
            return s;
        const int expectedRank = mLayersJson.value(name).toObject().value(QStringLiteral("rank")).toInt();
        if (q->rank() != expectedRank)
            return makeError(
                QStringLiteral("layer '%1': the quantized linear has rank %2 but the plan gives %3")
                    .arg(name)
                    .arg(q->rank())
                    .arg(expectedRank));
        ++mResult.quantizedLayers;
        const qint64 mn = layer.inFeatures * layer.outFeatures;
        mResult.quantizedWeights += mn;
        mFormulaBits += double(mn)
            * layerBitsPerWeight(layer.inFeatures, layer.outFeatures, q->rank(), lp.weight,
                                 q->rank() > 0 ? lp.lowRank : QuantFormat::none());
        return mPacked ? writePackedLinear(name, lp, *q) : writeDequantizedLinear(layer, info, *q);
    }

    Status writePackedLinear(const QString &name, const LayerPlan &lp, const QuantizedLinear &q)
    {
        // Wq straight from the kernels' codes where it is held packed; from its values otherwise.
        std::optional<PackedTensor> direct
            = q.packedW ? packedTensorFromMatrix(*q.packedW, lp.weight) : std::nullopt;
        Expected<PackedTensor> pw = direct ? Expected<PackedTensor>(std::move(*direct)) : [&] {
            const MatrixRM wq = q.dequantizedWeight();
            return packRows(wq.data(), q.outFeatures(), q.inFeatures(), lp.weight,
                            name + QStringLiteral(" (Wq)"));
        }();
        if (!pw)
            return Error {pw.error()};
        std::optional<PackedTensor> pa, pb;
        if (q.rank() > 0) {
            // Aᵀ (k, in) and Bᵀ (out, k): rows are the blocks' direction (NUMERICS §4).
            const MatrixRM at = q.a.transpose();
            const MatrixRM bt = q.b.transpose();
            Expected<PackedTensor> a
                = packRows(at.data(), at.rows(), at.cols(), lp.lowRank, name + QStringLiteral(" (A)"));
            if (!a)
                return Error {a.error()};
            Expected<PackedTensor> b
                = packRows(bt.data(), bt.rows(), bt.cols(), lp.lowRank, name + QStringLiteral(" (B)"));
            if (!b)
                return Error {b.error()};
            pa = std::move(*a);
            pb = std::move(*b);
        }
        const qint64 bytes = pw->payloadBytes() + (pa ? pa->payloadBytes() + pb->payloadBytes() : 0);
        mResult.quantizedPayloadBytes += bytes;
        Status st;
        SafetensorsWriter &w = mSink->writerFor(bytes, st);
        if (!st)
            return st;
        const QString base = packedLayerBase(name);
        addPacked(w, base + QStringLiteral(".wq"), *pw);
        if (pa) {
            addPacked(w, base + QStringLiteral(".at"), *pa);
            addPacked(w, base + QStringLiteral(".bt"), *pb);
        }
        mSink->addDataBytes(bytes);
        for (const QString &suffix : packedLayerTensorSuffixes(lp.weight, lp.lowRank, q.rank()))
            mSink->noteTensor(base + suffix);
        return {};
    }

    Status writeDequantizedLinear(const LinearLayerInfo &layer, const TensorInfo &info,
                                  const QuantizedLinear &q)
    {
        if (mConfig.gptqGroupSize > 0)
            return writeGptqLinear(layer, q);
        MatrixRM w = q.dequantizedWeight();
        if (mConfig.mergeLowRank && q.rank() > 0)
            w.noalias() += (q.a * q.b).transpose();
        if (layer.transposed)
            w = MatrixRM(w.transpose());
        const qint64 bytes = qint64(w.size()) * dtypeSize(mConfig.dtype);
        Status st;
        SafetensorsWriter &writer = mSink->writerFor(bytes, st);
        if (!st)
            return st;
        writer.addFloatTensor(layer.weightName, w.data(), info.shape, mConfig.dtype);
        mSink->addDataBytes(bytes);
        mSink->noteTensor(layer.weightName);
        return {};
    }

    // Wq as GPTQ v1 tensors (core/io/gptq.h): exactly its codes and fp16 scales.
    Status writeGptqLinear(const LinearLayerInfo &layer, const QuantizedLinear &q)
    {
        Expected<GptqLinear> g = packGptqInt4(q.dequantizedWeight(), mConfig.gptqGroupSize, layer.weightName);
        if (!g)
            return Error {g.error()};
        const QString module = layer.weightName.chopped(int(qstrlen(".weight")));
        const auto bytesOf = [](const auto &v) {
            return QByteArray(reinterpret_cast<const char *>(v.data()), qsizetype(v.size() * sizeof(v[0])));
        };
        const qint64 bytes
            = qint64(sizeof(int32_t)) * qint64(g->qweight.size() + g->qzeros.size() + g->gIdx.size())
            + qint64(sizeof(uint16_t)) * qint64(g->scales.size());
        Status st;
        SafetensorsWriter &writer = mSink->writerFor(bytes, st);
        if (!st)
            return st;
        const qint64 groups = g->groups(), in = g->inFeatures, out = g->outFeatures;
        const QList<std::tuple<QString, DType, QList<qint64>, QByteArray>> tensors {
            {QStringLiteral(".qweight"), DType::I32, {in / 8, out}, bytesOf(g->qweight)},
            {QStringLiteral(".qzeros"), DType::I32, {groups, out / 8}, bytesOf(g->qzeros)},
            {QStringLiteral(".scales"), DType::F16, {groups, out}, bytesOf(g->scales)},
            {QStringLiteral(".g_idx"), DType::I32, {in}, bytesOf(g->gIdx)},
        };
        for (const auto &[suffix, dtype, shape, data] : tensors) {
            writer.addTensor(module + suffix, dtype, shape, data);
            mSink->noteTensor(module + suffix);
        }
        mSink->addDataBytes(bytes);
        return {};
    }

    Status finishShards()
    {
        if (!reportProgress(mProgress, 0.96, QStringLiteral("writing the last shard")) || cancelRequested())
            return cancelled();
        Expected<QStringList> shardFiles = mSink->finish();
        if (!shardFiles)
            return Error {shardFiles.error()};
        mFiles = *shardFiles;
        mBytes = mSink->bytesWritten();
        return {};
    }

    // The source's config, tokenizer and other side files; a dequantized export's config.json
    // names the weights' new dtype where loaders look.
    Status copySideFiles()
    {
        const QDir src(mCkpt.directory());
        for (const QString &name : src.entryList(QDir::Files | QDir::Readable, QDir::Name)) {
            if (!isSideFile(name))
                continue;
            if (name == QLatin1String("config.json") && !mPacked) {
                QJsonObject cfg = mCkpt.config();
                const QString dt = mConfig.dtype == DType::F16 ? QStringLiteral("float16")
                    : mConfig.dtype == DType::BF16             ? QStringLiteral("bfloat16")
                                                               : QStringLiteral("float32");
                if (cfg.contains(QStringLiteral("dtype")) || !cfg.contains(QStringLiteral("torch_dtype")))
                    cfg.insert(QStringLiteral("dtype"), dt);
                if (cfg.contains(QStringLiteral("torch_dtype")))
                    cfg.insert(QStringLiteral("torch_dtype"), dt);
                if (mConfig.gptqGroupSize > 0)
                    cfg.insert(QStringLiteral("quantization_config"),
                               gptqQuantizationConfig(mConfig.gptqGroupSize));
                else
                    cfg.remove(QStringLiteral("quantization_config")); // the weights are floats now
                if (Status s = writeJson(mWork.filePath(name), cfg, &mBytes); !s)
                    return s;
            } else if (name == QLatin1String("config.json") && isGptqConfig(mCkpt.config())) {
                // A GPTQ source read dequantized: the packed export's layers are LQER's, not GPTQ's.
                QJsonObject cfg = mCkpt.config();
                cfg.remove(QStringLiteral("quantization_config"));
                if (Status s = writeJson(mWork.filePath(name), cfg, &mBytes); !s)
                    return s;
            } else {
                if (!QFile::copy(src.filePath(name), mWork.filePath(name)))
                    return makeError(QStringLiteral("cannot copy %1 into %2 (disk full?)")
                                         .arg(native(src.filePath(name)), native(mWork.path())));
                mBytes += QFileInfo(mWork.filePath(name)).size();
            }
            mFiles << name;
        }
        return {};
    }

    // quantization_config.json: human-readable, written last; lists every file of the export
    // so that a later --force export knows which files it may replace.
    Status writeQuantizationConfig()
    {
        mResult.fileBitsPerWeight = mResult.quantizedWeights > 0 && mPacked
            ? 8.0 * double(mResult.quantizedPayloadBytes) / double(mResult.quantizedWeights)
            : 0.0;
        mResult.formulaBitsPerWeight
            = mResult.quantizedWeights > 0 ? mFormulaBits / double(mResult.quantizedWeights) : 0.0;
        mFiles << QLatin1String(packedConfigFileName());
        QJsonObject qc;
        qc.insert(QStringLiteral("format"),
                  mPacked ? QLatin1String(packedFormatId()) : QStringLiteral("lqer-dequantized"));
        qc.insert(QStringLiteral("format_version"), packedFormatVersion());
        qc.insert(QStringLiteral("quant_method"), QStringLiteral("lqer"));
        qc.insert(QStringLiteral("source"),
                  QJsonObject {{QStringLiteral("path"), mCkpt.directory()},
                               {QStringLiteral("fingerprint"), mCkpt.fingerprint()}});
        qc.insert(QStringLiteral("plan"), mConfig.plan.toJson());
        qc.insert(QStringLiteral("layers"), mLayersJson);
        if (!mPacked) {
            qc.insert(QStringLiteral("dtype"), dtypeName(mConfig.dtype));
            qc.insert(QStringLiteral("low_rank_merged"), mConfig.mergeLowRank);
            if (mConfig.gptqGroupSize > 0)
                qc.insert(QStringLiteral("gptq_group_size"), mConfig.gptqGroupSize);
            qc.insert(
                QStringLiteral("note"),
                mConfig.gptqGroupSize > 0 ? QStringLiteral(
                    "each quantized linear holds Wq GPTQ-packed (4-bit v1: qweight, qzeros, scales, g_idx; "
                    "config.json quantization_config), exactly the plan's INT4 codes and fp16 scales; "
                    "the other tensors in dtype; activations are not quantized by standard loaders")
                    : mConfig.mergeLowRank
                    ? QStringLiteral(
                        "each quantized linear holds Wq + (A B)^T in full precision: the model measures "
                        "what LQER does to accuracy, not its inference cost; activations are not "
                        "quantized by standard loaders")
                    : QStringLiteral(
                        "each quantized linear holds Wq only (no low-rank term); activations are not "
                        "quantized by standard loaders"));
        }
        QJsonObject bits;
        bits.insert(QStringLiteral("quantized_layers"), mResult.quantizedLayers);
        bits.insert(QStringLiteral("quantized_weights"), double(mResult.quantizedWeights));
        bits.insert(QStringLiteral("formula_bits_per_weight"), mResult.formulaBitsPerWeight);
        if (mPacked) {
            bits.insert(QStringLiteral("payload_bytes"), double(mResult.quantizedPayloadBytes));
            bits.insert(QStringLiteral("file_bits_per_weight"), mResult.fileBitsPerWeight);
        }
        qc.insert(QStringLiteral("bits"), bits);
        if (!mConfig.provenance.isEmpty())
            qc.insert(QStringLiteral("provenance"), mConfig.provenance);
        QJsonArray fileArray;
        for (const QString &f : std::as_const(mFiles))
            fileArray.append(f);
        qc.insert(QStringLiteral("files"), fileArray);
        return writeJson(mWork.filePath(QLatin1String(packedConfigFileName())), qc, &mBytes);
    }

    // "<name>.partial-*" folders beside the output whose export process is gone (killed: a
    // SIGKILL or a power cut leaves them; a cancel or an error removes its own).
    static void removeStalePartials(const QString &parent, const QString &name)
    {
        const QDir dir(parent);
        const QStringList partials = dir.entryList({name + QStringLiteral(".partial-*")},
                                                   QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot);
        for (const QString &partial : partials) {
            QLockFile lock(dir.filePath(partial) + QStringLiteral(".lock"));
            lock.setStaleLockTime(0);
            if (lock.tryLock(0)) // no owner alive
                QDir(dir.filePath(partial)).removeRecursively();
        }
    }

    Status moveIntoPlace()
    {
        if (!reportProgress(mProgress, 0.99, QStringLiteral("moving into place")) || cancelRequested())
            return cancelled();
        if (mOutNonEmpty)
            return moveInto(mPartial->path(), mOutDir, mFiles);
        if (mOutExists && !QDir().rmdir(mOutDir))
            return makeError(QStringLiteral("%1: cannot replace the empty folder").arg(native(mOutDir)));
        if (!QDir().rename(mPartial->path(), mOutDir))
            return makeError(
                QStringLiteral("cannot rename %1 to %2").arg(native(mPartial->path()), native(mOutDir)));
        mPartial->setAutoRemove(false);
        return {};
    }

    const ExportConfig &mConfig;
    const ProgressFn &mProgress;
    const Checkpoint &mCkpt;
    const QString mSourceDir;
    const bool mPacked;
    QString mOutDir;
    bool mOutExists = false;
    bool mOutNonEmpty = false;
    std::unique_ptr<QLockFile> mPartialLock; // released after mPartial is removed
    std::unique_ptr<QTemporaryDir> mPartial; // removed with this object unless moved into place
    QDir mWork; // the partial folder
    QMap<QString, LinearLayerInfo> mQuantized;
    QJsonObject mLayersJson;
    std::unique_ptr<ShardSink> mSink;
    ExportResult mResult;
    double mFormulaBits = 0;
    QStringList mFiles;
    qint64 mBytes = 0;
};

} // namespace

Expected<ExportResult> exportCheckpoint(const ExportConfig &config, const ProgressFn &progress)
{
    QElapsedTimer timer;
    timer.start();
    if (!config.checkpoint)
        return makeError(QStringLiteral("export: no source checkpoint"));
    ExportRun run(config, progress);
    return run.run(timer);
}

} // namespace lqer
