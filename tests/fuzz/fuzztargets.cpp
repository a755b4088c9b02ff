#include "fuzztargets.h"

#include "core/common/tensor.h"
#include "core/export/exporter.h"
#include "core/export/ggufmodel.h"
#include "core/io/gguf.h"
#include "core/export/packedmodel.h"
#include "core/io/checkpoint.h"
#include "core/io/safetensors.h"
#include "core/lqer/statsfile.h"
#include "core/model/calibration.h"
#include "core/model/llama2c.h"
#include "core/model/tokenizer.h"
#include "core/model/transformer.h"
#include "core/plan/planoptions.h"
#include "core/store/sessionstore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace lqer::fuzz {
namespace {

QString gSharedDir;

// A broken promise of a loader: printed and aborted, so every driver reports it as a crash.
[[noreturn]] void finding(const QString &what)
{
    std::fprintf(stderr, "FUZZ FINDING: %s\n", qPrintable(what));
    std::fflush(stderr);
    std::abort();
}

Outcome refused(const QString &error)
{
    // An error is a line of text a user can read.
    if (error.trimmed().isEmpty())
        finding(QStringLiteral("a loader refused its input with an empty error message"));
    return Outcome::Refused;
}

// One scratch folder per process, in memory where the system offers it.
const QTemporaryDir &scratchDir()
{
    static const QTemporaryDir dir(QDir(QStringLiteral("/dev/shm")).exists()
                                       ? QStringLiteral("/dev/shm/lqer-fuzz-XXXXXX")
                                       : QDir::tempPath() + QStringLiteral("/lqer-fuzz-XXXXXX"));
    if (!dir.isValid())
        finding(QStringLiteral("cannot create a scratch folder: %1").arg(dir.errorString()));
    return dir;
}

QString scratch(const QString &name)
{
    return scratchDir().filePath(name);
}

void writeBytes(const QString &path, const char *data, qint64 size)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(data, size) != size)
        finding(QStringLiteral("cannot write the scratch file %1").arg(path));
}

void writeBytes(const QString &path, const uint8_t *data, size_t size)
{
    writeBytes(path, reinterpret_cast<const char *>(data), qint64(size));
}

QString sharedPath(const QString &relative)
{
    if (gSharedDir.isEmpty())
        finding(QStringLiteral("fuzz targets need setSharedDir() before the first run"));
    return QDir(gSharedDir).filePath(relative);
}

// A folder in the scratch space holding `name` (the fuzzed file) beside links to the given
// shared files, set up once.
QString folderWith(const QString &folder, const QStringList &sharedFiles)
{
    const QString dir = scratch(folder);
    if (!QFileInfo::exists(dir)) {
        QDir().mkpath(dir);
        for (const QString &f : sharedFiles) {
            const QString target = sharedPath(f);
            if (!QFile::link(target, QDir(dir).filePath(QFileInfo(f).fileName())))
                finding(QStringLiteral("cannot link %1 into the scratch folder").arg(target));
        }
    }
    return dir;
}

void checkLogits(const Transformer &model, const TokenIds &tokens, const char *what)
{
    const TokenIds ids = [&] {
        TokenIds out;
        for (int32_t t : tokens)
            out.push_back(t % model.config().vocabSize);
        return out;
    }();
    auto logits = model.logits(ids);
    if (logits && !logits->allFinite())
        finding(QStringLiteral("%1 loaded, but its forward pass gave non-finite logits without an error")
                    .arg(QLatin1String(what)));
}

// Text that exercises every path of an encoder: ASCII, digits, whitespace runs, accents,
// CJK, an emoji (a surrogate pair) and a lone surrogate (invalid UTF-16).
const QString &sampleText()
{
    static const QString text = QStringLiteral("Once upon a time, 1234 tokens\n\n\t  üñí — ok? 中文 😀 ")
        + QChar(0xD800) + QStringLiteral(" end");
    return text;
}

void checkTokenizer(const Tokenizer &t, const char *what)
{
    const std::vector<int> ids = t.encode(sampleText());
    for (int id : ids) {
        if (id < 0 || id >= t.vocabSize())
            finding(QStringLiteral("%1 encoded a token id %2 outside its vocabulary of %3")
                        .arg(QLatin1String(what))
                        .arg(id)
                        .arg(t.vocabSize()));
        (void)t.tokenText(id);
    }
    (void)t.decode(ids);
    (void)t.tokenText(-1);
    (void)t.tokenText(t.vocabSize());
}

// Writes the bytes to the scratch file `name`, opens it with `load` (path -> Expected) and
// hands what loads to `use`.
template<typename Load, typename Use>
Outcome loadFile(const char *name, const uint8_t *data, size_t size, Load load, Use use)
{
    const QString path = scratch(QLatin1String(name));
    writeBytes(path, data, size);
    auto loaded = load(path);
    if (!loaded)
        return refused(loaded.error());
    use(*loaded);
    return Outcome::Loaded;
}

// --- the targets ---------------------------------------------------------------------------

// safetensors: header length, JSON, dtypes, shapes, offsets; every tensor read back.
void readEveryTensor(const std::shared_ptr<SafetensorsFile> &file)
{
    for (const TensorInfo &t : file->tensors()) {
        if (!dtypeIsFloat(t.dtype) || t.elementCount() > (qint64(1) << 22)) {
            auto raw = file->data(t);
            if (!raw)
                (void)refused(raw.error());
            continue;
        }
        auto values = file->readFloats(t.name);
        if (values && qint64(values->size()) != t.elementCount())
            finding(QStringLiteral("%1: %2 values read for %3 elements")
                        .arg(t.name)
                        .arg(values->size())
                        .arg(t.elementCount()));
        if (t.shape.size() <= 2) {
            auto m = file->readMatrix(t.name);
            if (m && qint64(m->size()) != t.elementCount())
                finding(QStringLiteral("%1: a %2x%3 matrix for %4 elements")
                            .arg(t.name)
                            .arg(m->rows())
                            .arg(m->cols())
                            .arg(t.elementCount()));
        }
    }
}

Outcome runSafetensors(const uint8_t *data, size_t size)
{
    return loadFile("fuzz.safetensors", data, size, SafetensorsFile::open, readEveryTensor);
}

// config.json beside the real weights of stories260K (Hugging Face layout): load and run.
Outcome runConfig(const uint8_t *data, size_t size)
{
    const QString dir
        = folderWith(QStringLiteral("config"), {QStringLiteral("models/stories260K-hf/model.safetensors")});
    writeBytes(QDir(dir).filePath(QStringLiteral("config.json")), data, size);
    auto model = Transformer::load(dir);
    if (!model)
        return refused(model.error());
    checkLogits(**model, {1, 5, 17, 300}, "a model from a fuzzed config.json");
    return Outcome::Loaded;
}

Outcome runTokenizerJson(const uint8_t *data, size_t size)
{
    return loadFile("tokenizer.json", data, size, Tokenizer::fromHuggingFace,
                    [](const auto &t) { checkTokenizer(*t, "a fuzzed tokenizer.json"); });
}

Outcome runLlama2cTokenizer(const uint8_t *data, size_t size)
{
    return loadFile(
        "tokenizer.bin", data, size, [](const QString &path) { return Tokenizer::fromLlama2c(path); },
        [](const auto &t) { checkTokenizer(*t, "a fuzzed llama2.c tokenizer"); });
}

Outcome runLlama2cModel(const uint8_t *data, size_t size)
{
    return loadFile(
        "model.bin", data, size, [](const QString &path) { return loadLlama2c(path); },
        [](const auto &model) {
            checkLogits(*model, {1, 2, 3}, "a fuzzed llama2.c model");
        });
}

void checkStats(const StatsMap &stats)
{
    for (const LayerStats &s : stats) {
        if (!s.meanAbsMax.allFinite() || !s.sumSquares.allFinite() || !s.gram.allFinite())
            finding(QStringLiteral("%1: non-finite statistics loaded without an error").arg(s.layer));
        if (s.meanAbsMax.size() > 0 && s.meanAbsMax.minCoeff() < 0)
            finding(QStringLiteral("%1: negative mean |x| loaded without an error").arg(s.layer));
        if (s.sumSquares.size() != s.meanAbsMax.size() || (s.hasGram() && s.gram.rows() != s.inFeatures()))
            finding(
                QStringLiteral("%1: statistics of different widths loaded without an error").arg(s.layer));
    }
}

Outcome runStats(const uint8_t *data, size_t size)
{
    return loadFile(
        "stats.safetensors", data, size, [](const QString &path) { return loadStats(path); }, checkStats);
}

// What loads must survive a round trip through its own JSON.
void checkPlanRoundTrip(const Plan &plan)
{
    auto again = Plan::fromJson(plan.toJson());
    if (!again)
        finding(QStringLiteral("a plan that loaded does not load from its own JSON: %1").arg(again.error()));
    if (QJsonDocument(again->toJson()).toJson() != QJsonDocument(plan.toJson()).toJson())
        finding(QStringLiteral("a plan that loaded changes on a round trip through its own JSON"));
}

// A plan file: what --plan and the studio's plan import read.
Outcome runPlan(const uint8_t *data, size_t size)
{
    return loadFile("plan.json", data, size, readPlanFile, checkPlanRoundTrip);
}

// The JSON header of a packed checkpoint (formats, plan, payload offsets). The harness builds
// the file around it: length prefix, header, and a payload of deterministic bytes as long as
// the header's largest offset (capped), beside the config of stories260K.
Outcome runPackedHeader(const uint8_t *data, size_t size)
{
    const QString dir
        = folderWith(QStringLiteral("packed"), {QStringLiteral("models/stories260K-hf/config.json")});
    const QByteArray header(reinterpret_cast<const char *>(data), qsizetype(size));
    qint64 payload = 0;
    const QJsonObject json = QJsonDocument::fromJson(header).object();
    for (auto it = json.begin(); it != json.end(); ++it) {
        const QJsonArray offsets = it.value().toObject().value(QStringLiteral("data_offsets")).toArray();
        if (offsets.size() != 2)
            continue;
        // Clamp as a double: a fuzzed offset such as 1e63 does not fit in an integer.
        const double end = offsets[1].toDouble();
        if (std::isfinite(end))
            payload = std::max(payload, qint64(std::clamp(end, 0.0, double(qint64(4) << 20))));
    }
    QByteArray file(8, '\0');
    const quint64 n = quint64(header.size());
    std::memcpy(file.data(), &n, 8);
    file += header;
    QByteArray bytes(qsizetype(payload), '\0');
    quint32 state = 0x9e3779b9u ^ quint32(size);
    for (char &b : bytes) { // xorshift: codes and exponents of every value
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        b = char(state & 0x7f); // exponents stay moderate, so decoded weights are finite
    }
    file += bytes;
    writeBytes(QDir(dir).filePath(QStringLiteral("model.safetensors")), file.constData(), file.size());
    auto model = loadPackedModel(dir);
    if (!model)
        return refused(model.error());
    checkLogits(**model, {1, 5, 17, 300}, "a packed checkpoint with a fuzzed header");
    return Outcome::Loaded;
}

// GGUF (ours or llama.cpp's): the container (header, metadata, tensor infos, data offsets),
// every typed accessor on every key, every tensor's data; then the model reader
// (readGgufInfo: architecture keys, tensor shapes against them, LoRA pairs) and, when it
// loads, a forward pass. A file the container parser accepts counts as loaded even when it is
// not a model (an adapter, a model of another architecture).
Outcome runGguf(const uint8_t *data, size_t size)
{
    const QString path = scratch(QStringLiteral("model.gguf"));
    writeBytes(path, data, size);
    auto file = GgufFile::open(path);
    if (!file)
        return refused(file.error());
    const GgufFile &g = **file;
    for (auto it = g.metadata().cbegin(); it != g.metadata().cend(); ++it) {
        (void)g.string(it.key());
        (void)g.integer(it.key());
        (void)g.real(it.key());
        (void)g.stringArray(it.key());
        (void)g.realArray(it.key());
        (void)g.integerArray(it.key());
    }
    for (const GgufTensorInfo &t : g.tensors()) {
        auto bytes = g.data(t);
        if (bytes && t.bytes > 0) {
            // Touch the first and last byte: the reader promised they lie inside the file.
            volatile uchar first = (*bytes)[0];
            volatile uchar last = (*bytes)[t.bytes - 1];
            (void)first;
            (void)last;
        }
    }
    auto info = readGgufInfo(path);
    if (!info)
        return (void)refused(info.error()), Outcome::Loaded;
    qint64 weights = 0;
    for (const GgufLinearInfo &l : info->linears)
        weights += l.inFeatures * l.outFeatures;
    if (weights > (qint64(1) << 22))
        return Outcome::Loaded; // a fuzzed header may describe a big model; the parser is what is fuzzed
    auto model = loadGgufModel(path);
    if (!model)
        return (void)refused(model.error()), Outcome::Loaded;
    checkLogits(**model, {1, 2, 3}, "a fuzzed GGUF model");
    return Outcome::Loaded;
}

// A session database file as the studio and `lqer sessions` open it: schema check, migration,
// stale-run recovery, then everything listed and read.
Outcome runSessionDb(const uint8_t *data, size_t size)
{
    const QString path = scratch(QStringLiteral("sessions.db"));
    QFile::remove(path + QStringLiteral("-wal"));
    QFile::remove(path + QStringLiteral("-shm"));
    QFile::remove(path + QStringLiteral("-journal"));
    writeBytes(path, data, size);
    StoreOpenConfig config;
    config.path = path;
    config.busyTimeoutMs = 0;
    auto store = SessionStore::open(config);
    if (!store)
        return refused(store.error());
    auto sessions = (*store)->listSessions();
    if (!sessions)
        return refused(sessions.error());
    int read = 0;
    for (const SessionSummary &s : *sessions) {
        auto session = (*store)->session(s.id);
        if (!session)
            (void)refused(session.error());
        auto runs = (*store)->listRuns(s.id);
        if (!runs) {
            (void)refused(runs.error());
            continue;
        }
        for (const RunRecord &r : *runs) {
            if (read++ >= 8)
                break;
            auto run = (*store)->run(r.id, true);
            if (!run)
                (void)refused(run.error());
        }
    }
    auto integrity = (*store)->integrityCheck();
    if (!integrity)
        (void)refused(integrity.error());
    return Outcome::Loaded;
}

} // namespace

const QList<Target> &targets()
{
    static const QList<Target> all {
        {"safetensors", "safetensors header, offsets and tensor data (SafetensorsFile::open + reads)",
         runSafetensors},
        {"config", "config.json with the weights of stories260K (Transformer::load + forward)", runConfig},
        {"tokenizer_json", "tokenizer.json (Tokenizer::fromHuggingFace + encode/decode)", runTokenizerJson},
        {"llama2c_tokenizer", "llama2.c tokenizer.bin (Tokenizer::fromLlama2c + encode/decode)",
         runLlama2cTokenizer},
        {"llama2c_model", "llama2.c model file (loadLlama2c + forward)", runLlama2cModel},
        {"stats", "calibration statistics file (loadStats)", runStats},
        {"plan", "plan JSON (readPlanFile + round trip)", runPlan},
        {"packed", "packed checkpoint header and metadata (loadPackedModel + forward)", runPackedHeader},
        {"session_db", "session database file (SessionStore::open + list + read)", runSessionDb},
        {"gguf", "GGUF file (GgufFile::open + every key and tensor, readGgufInfo, loadGgufModel + forward)",
         runGguf},
    };
    return all;
}

const Target *findTarget(const QString &name)
{
    for (const Target &t : targets()) {
        if (name == QLatin1String(t.name))
            return &t;
    }
    return nullptr;
}

void setSharedDir(const QString &sharedDir)
{
    gSharedDir = sharedDir;
}

} // namespace lqer::fuzz
