#include "safetensors.h"

#include "core/common/cpufeatures.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <sys/mman.h>
#include <unistd.h>

namespace lqer {

namespace {

// A header larger than this is refused before it is read (the official reader uses 100 MB).
constexpr qint64 kMaxHeaderBytes = 100 * 1024 * 1024;

struct DTypeEntry
{
    DType dtype;
    const char *name;
    int size;
};

const DTypeEntry kDTypes[] = {
    {DType::F64, "F64", 8},   {DType::F32, "F32", 4},        {DType::F16, "F16", 2},
    {DType::BF16, "BF16", 2}, {DType::I64, "I64", 8},        {DType::I32, "I32", 4},
    {DType::I16, "I16", 2},   {DType::I8, "I8", 1},          {DType::U64, "U64", 8},
    {DType::U32, "U32", 4},   {DType::U16, "U16", 2},        {DType::U8, "U8", 1},
    {DType::Bool, "BOOL", 1}, {DType::F8E4M3, "F8_E4M3", 1}, {DType::F8E5M2, "F8_E5M2", 1},
};

QString fileError(const QString &path, const QString &what)
{
    return QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), what);
}

} // namespace

int dtypeSize(DType dtype)
{
    for (const DTypeEntry &e : kDTypes)
        if (e.dtype == dtype)
            return e.size;
    return 0;
}

QString dtypeName(DType dtype)
{
    for (const DTypeEntry &e : kDTypes)
        if (e.dtype == dtype)
            return QString::fromLatin1(e.name);
    return QStringLiteral("?");
}

std::optional<DType> dtypeFromName(const QString &name)
{
    for (const DTypeEntry &e : kDTypes)
        if (name == QLatin1String(e.name))
            return e.dtype;
    return std::nullopt;
}

bool dtypeIsFloat(DType dtype)
{
    return dtype == DType::F64 || dtype == DType::F32 || dtype == DType::F16 || dtype == DType::BF16;
}

qint64 TensorInfo::elementCount() const
{
    qint64 n = 1;
    for (qint64 d : shape)
        n *= d;
    return n;
}

qint64 TensorInfo::rows() const
{
    if (shape.size() < 2)
        return 1;
    qint64 r = 1;
    for (int i = 0; i + 1 < shape.size(); ++i)
        r *= shape.at(i);
    return r;
}

qint64 TensorInfo::cols() const
{
    return shape.isEmpty() ? 1 : shape.last();
}

QString shapeText(const QList<qint64> &shape)
{
    QStringList parts;
    for (qint64 d : shape)
        parts << QString::number(d);
    return QStringLiteral("[%1]").arg(parts.join(QStringLiteral(", ")));
}

namespace {

// Converts `count` elements stored as `Stored` (little-endian, unaligned) with `toFloat`.
template<typename Stored, typename ToFloat>
void convertEach(const uchar *src, qint64 count, float *dst, ToFloat toFloat)
{
    for (qint64 i = 0; i < count; ++i) {
        Stored v;
        std::memcpy(&v, src + qint64(sizeof(Stored)) * i, sizeof(Stored));
        dst[i] = toFloat(v);
    }
}

#if defined(__x86_64__) || defined(__i386__)
// binary16 to float with the F16C instruction, eight at a time (the same values as halfToFloat
// for every finite, infinite and zero input; a NaN stays a NaN).
__attribute__((target("avx,f16c"))) void halfToFloatF16c(const uchar *src, qint64 count, float *dst)
{
    qint64 i = 0;
    for (; i + 8 <= count; i += 8) {
        const __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i *>(src + 2 * i));
        _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(h));
    }
    convertEach<uint16_t>(src + 2 * i, count - i, dst + i, halfToFloat);
}

// bfloat16 to float: the 16 bits become the float's upper half, eight at a time (exactly
// bf16ToFloat for every input).
__attribute__((target("avx2"))) void bf16ToFloatAvx2(const uchar *src, qint64 count, float *dst)
{
    qint64 i = 0;
    for (; i + 8 <= count; i += 8) {
        const __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i *>(src + 2 * i));
        const __m256i w = _mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16);
        _mm256_storeu_ps(dst + i, _mm256_castsi256_ps(w));
    }
    convertEach<uint16_t>(src + 2 * i, count - i, dst + i, bf16ToFloat);
}
#endif

} // namespace

void prefaultMapped(const uchar *data, qint64 bytes)
{
#ifdef MADV_POPULATE_READ
    if (bytes <= 0)
        return;
    static const quintptr page = quintptr(sysconf(_SC_PAGESIZE));
    const quintptr begin = quintptr(data) & ~(page - 1);
    const quintptr end = quintptr(data) + quintptr(bytes);
    (void)madvise(reinterpret_cast<void *>(begin), size_t(end - begin), MADV_POPULATE_READ);
#else
    Q_UNUSED(data);
    Q_UNUSED(bytes);
#endif
}

void convertToFloat(DType dtype, const uchar *src, qint64 count, float *dst)
{
    switch (dtype) {
    case DType::F32:
        std::memcpy(dst, src, size_t(count) * sizeof(float));
        break;
    case DType::F16:
#if defined(__x86_64__) || defined(__i386__)
        if (cpuHasAvx2Fma()) { // AVX2 implies F16C (cpufeatures.h)
            halfToFloatF16c(src, count, dst);
            break;
        }
#endif
        convertEach<uint16_t>(src, count, dst, halfToFloat);
        break;
    case DType::BF16:
#if defined(__x86_64__) || defined(__i386__)
        if (cpuHasAvx2Fma()) {
            bf16ToFloatAvx2(src, count, dst);
            break;
        }
#endif
        convertEach<uint16_t>(src, count, dst, bf16ToFloat);
        break;
    case DType::F64:
        convertEach<double>(src, count, dst, [](double d) { return float(d); });
        break;
    default:
        break;
    }
}

namespace {

// The header JSON after the 8-byte length, with the length checked against the file.
Expected<QByteArray> readHeader(QFile &file, const QString &path, qint64 fileSize)
{
    if (fileSize < 8)
        return makeError(fileError(path,
                                   QStringLiteral("truncated safetensors file: %1 bytes, "
                                                  "smaller than the 8-byte header length")
                                       .arg(fileSize)));
    uchar lenBytes[8];
    if (file.read(reinterpret_cast<char *>(lenBytes), 8) != 8)
        return makeError(fileError(path, QStringLiteral("cannot read the header length")));
    quint64 headerLen = 0;
    for (int i = 7; i >= 0; --i)
        headerLen = (headerLen << 8) | lenBytes[i];
    if (headerLen > quint64(kMaxHeaderBytes))
        return makeError(fileError(path,
                                   QStringLiteral("header length %1 exceeds the 100 MB limit "
                                                  "(corrupt or not a safetensors file)")
                                       .arg(headerLen)));
    if (qint64(headerLen) > fileSize - 8)
        return makeError(fileError(path,
                                   QStringLiteral("header length %1 runs past the end of the file "
                                                  "(%2 bytes): truncated or corrupt")
                                       .arg(headerLen)
                                       .arg(fileSize)));
    const QByteArray json = file.read(qint64(headerLen));
    if (json.size() != qint64(headerLen))
        return makeError(fileError(path, QStringLiteral("cannot read the %1-byte header").arg(headerLen)));
    return json;
}

Status parseMetadata(const QJsonValue &value, const QString &path, QMap<QString, QString> &metadata)
{
    if (!value.isObject())
        return makeError(fileError(path, QStringLiteral("__metadata__ is not an object")));
    const QJsonObject meta = value.toObject();
    for (auto m = meta.begin(); m != meta.end(); ++m) {
        if (!m.value().isString())
            return makeError(
                fileError(path, QStringLiteral("__metadata__ value '%1' is not a string").arg(m.key())));
        metadata.insert(m.key(), m.value().toString());
    }
    return {};
}

// A JSON number that is a whole number in [0, limit], checked before any conversion to an
// integer (a fuzzed 1e63 does not fit in qint64).
bool isWholeNumberUpTo(double v, double limit)
{
    return std::isfinite(v) && v >= 0 && v <= limit && v == std::floor(v);
}

// The dtype and shape of one header entry; `elements` receives the shape's product.
Status parseDtypeAndShape(const QString &name, const QJsonObject &entry, const QString &path,
                          TensorInfo &info, qint64 &elements)
{
    const QString dtypeText = entry.value(QStringLiteral("dtype")).toString();
    const std::optional<DType> dtype = dtypeFromName(dtypeText);
    if (!dtype)
        return makeError(
            fileError(path, QStringLiteral("tensor '%1': unknown dtype '%2'").arg(name, dtypeText)));
    info.dtype = *dtype;

    const QJsonValue shapeValue = entry.value(QStringLiteral("shape"));
    if (!shapeValue.isArray())
        return makeError(fileError(path, QStringLiteral("tensor '%1': missing or invalid shape").arg(name)));
    elements = 1;
    for (const QJsonValue &d : shapeValue.toArray()) {
        const double v = d.toDouble(-1);
        if (!d.isDouble() || !isWholeNumberUpTo(v, 1e15))
            return makeError(
                fileError(path, QStringLiteral("tensor '%1': invalid dimension in shape").arg(name)));
        info.shape.append(qint64(v));
        elements *= qint64(v);
        if (elements > (qint64(1) << 50))
            return makeError(fileError(path, QStringLiteral("tensor '%1': shape too large").arg(name)));
    }
    return {};
}

// One tensor entry of the header, checked against the data section's size.
Expected<TensorInfo> parseTensorEntry(const QString &name, const QJsonValue &value, const QString &path,
                                      qint64 dataSize)
{
    if (!value.isObject())
        return makeError(fileError(path, QStringLiteral("tensor '%1': entry is not an object").arg(name)));
    const QJsonObject entry = value.toObject();
    TensorInfo info;
    info.name = name;
    qint64 elements = 0;
    if (Status s = parseDtypeAndShape(name, entry, path, info, elements); !s)
        return Error {s.error()};

    const QJsonArray offsets = entry.value(QStringLiteral("data_offsets")).toArray();
    if (offsets.size() != 2 || !offsets.at(0).isDouble() || !offsets.at(1).isDouble())
        return makeError(
            fileError(path, QStringLiteral("tensor '%1': data_offsets must be [begin, end]").arg(name)));
    const double b = offsets.at(0).toDouble(), e = offsets.at(1).toDouble();
    // Range first: converting 1e63 to an integer is undefined behaviour, not a large offset.
    if (!isWholeNumberUpTo(b, 1e18) || !isWholeNumberUpTo(e, 1e18) || e < b)
        return makeError(fileError(
            path, QStringLiteral("tensor '%1': invalid data_offsets [%2, %3]").arg(name).arg(b).arg(e)));
    info.begin = qint64(b);
    info.end = qint64(e);
    if (info.end > dataSize)
        return makeError(fileError(path,
                                   QStringLiteral("tensor '%1': data_offsets [%2, %3] run past the "
                                                  "data section (%4 bytes): truncated or corrupt")
                                       .arg(name)
                                       .arg(info.begin)
                                       .arg(info.end)
                                       .arg(dataSize)));
    const qint64 expected = elements * dtypeSize(info.dtype);
    if (expected != info.byteSize())
        return makeError(fileError(path,
                                   QStringLiteral("tensor '%1': shape × %2 bytes = %3 bytes but "
                                                  "data_offsets span %4 bytes")
                                       .arg(name, dtypeName(info.dtype))
                                       .arg(expected)
                                       .arg(info.byteSize())));
    return info;
}

// Sorts the tensors into data order (the JSON object is sorted by name) and rejects overlaps.
Status sortAndCheckOverlaps(QList<TensorInfo> &tensors, const QString &path)
{
    std::sort(tensors.begin(), tensors.end(), [](const TensorInfo &a, const TensorInfo &b) {
        return a.begin < b.begin || (a.begin == b.begin && a.end < b.end);
    });
    for (int i = 1; i < tensors.size(); ++i) {
        const TensorInfo &prev = tensors.at(i - 1);
        const TensorInfo &cur = tensors.at(i);
        if (cur.begin < prev.end && cur.byteSize() > 0 && prev.byteSize() > 0)
            return makeError(fileError(path,
                                       QStringLiteral("tensors '%1' and '%2' overlap in the data section")
                                           .arg(prev.name, cur.name)));
    }
    return {};
}

} // namespace

Expected<std::shared_ptr<SafetensorsFile>> SafetensorsFile::open(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return makeError(fileError(path, QStringLiteral("no such file")));
    if (!file.open(QIODevice::ReadOnly))
        return makeError(fileError(path, QStringLiteral("cannot open: %1").arg(file.errorString())));

    const qint64 fileSize = file.size();
    Expected<QByteArray> json = readHeader(file, path, fileSize);
    if (!json)
        return Error {json.error()};
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(*json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return makeError(fileError(path,
                                   QStringLiteral("malformed header JSON at offset %1: %2")
                                       .arg(parseError.offset)
                                       .arg(parseError.errorString())));
    if (!doc.isObject())
        return makeError(fileError(path, QStringLiteral("header is not a JSON object")));

    std::shared_ptr<SafetensorsFile> st(new SafetensorsFile);
    st->mPath = path;
    st->mFileSize = fileSize;
    st->mHeaderSize = json->size();
    st->mHeaderJson = *json;
    st->mDataOffset = 8 + json->size();
    const qint64 dataSize = fileSize - 8 - json->size();

    const QJsonObject root = doc.object();
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (it.key() == QLatin1String("__metadata__")) {
            if (Status s = parseMetadata(it.value(), path, st->mMetadata); !s)
                return Error {s.error()};
            continue;
        }
        Expected<TensorInfo> info = parseTensorEntry(it.key(), it.value(), path, dataSize);
        if (!info)
            return Error {info.error()};
        st->mTensors.append(*info);
    }
    if (Status s = sortAndCheckOverlaps(st->mTensors, path); !s)
        return Error {s.error()};
    for (int i = 0; i < st->mTensors.size(); ++i)
        st->mIndex.insert(st->mTensors.at(i).name, i);
    return st;
}

std::shared_ptr<SafetensorsFile> SafetensorsFile::fromLayout(const QString &path, qint64 fileSize,
                                                             qint64 dataOffset, const QByteArray &header,
                                                             const QList<TensorInfo> &tensors)
{
    std::shared_ptr<SafetensorsFile> st(new SafetensorsFile);
    st->mPath = path;
    st->mFileSize = fileSize;
    st->mHeaderSize = header.size();
    st->mHeaderJson = header;
    st->mDataOffset = dataOffset;
    st->mTensors = tensors;
    for (int i = 0; i < st->mTensors.size(); ++i)
        st->mIndex.insert(st->mTensors.at(i).name, i);
    return st;
}

const TensorInfo *SafetensorsFile::find(const QString &name) const
{
    const auto it = mIndex.constFind(name);
    return it == mIndex.constEnd() ? nullptr : &mTensors.at(*it);
}

Expected<const uchar *> SafetensorsFile::data(const TensorInfo &info) const
{
    std::lock_guard<std::mutex> lock(mMapMutex);
    if (!mMapped) {
        auto file = std::make_unique<QFile>(mPath);
        if (!file->open(QIODevice::ReadOnly))
            return makeError(fileError(mPath, QStringLiteral("cannot open: %1").arg(file->errorString())));
        if (file->size() != mFileSize)
            return makeError(fileError(mPath, QStringLiteral("file changed size since it was opened")));
        const qint64 dataSize = mFileSize - mDataOffset;
        if (dataSize == 0) {
            static const uchar empty = 0;
            return &empty;
        }
        uchar *mapped = file->map(mDataOffset, dataSize);
        if (!mapped)
            return makeError(fileError(
                mPath, QStringLiteral("cannot memory-map the data section: %1").arg(file->errorString())));
        mFile = std::move(file);
        mMapped = mapped;
    }
    return mMapped + info.begin;
}

Expected<std::pair<const TensorInfo *, const uchar *>> SafetensorsFile::floatTensor(const QString &name) const
{
    const TensorInfo *info = find(name);
    if (!info)
        return makeError(fileError(mPath, QStringLiteral("no tensor named '%1'").arg(name)));
    if (!dtypeIsFloat(info->dtype))
        return makeError(fileError(
            mPath,
            QStringLiteral("tensor '%1' has dtype %2, not a float type").arg(name, dtypeName(info->dtype))));
    Expected<const uchar *> bytes = data(*info);
    if (!bytes)
        return Error {bytes.error()};
    return std::make_pair(info, *bytes);
}

Expected<std::vector<float>> SafetensorsFile::readFloats(const QString &name) const
{
    auto t = floatTensor(name);
    if (!t)
        return Error {t.error()};
    const auto [info, bytes] = *t;
    std::vector<float> values(size_t(info->elementCount()));
    convertToFloat(info->dtype, bytes, info->elementCount(), values.data());
    return values;
}

Expected<MatrixRM> SafetensorsFile::readMatrix(const QString &name) const
{
    auto t = floatTensor(name);
    if (!t)
        return Error {t.error()};
    const auto [info, bytes] = *t;
    MatrixRM m(info->rows(), info->cols());
    prefaultMapped(bytes, info->byteSize());
    convertToFloat(info->dtype, bytes, info->elementCount(), m.data());
    return m;
}

Status SafetensorsFile::readFloatsInto(const QString &name, float *out, qint64 count) const
{
    auto t = floatTensor(name);
    if (!t)
        return Error {t.error()};
    const auto [info, bytes] = *t;
    if (info->elementCount() != count)
        return makeError(fileError(mPath,
                                   QStringLiteral("tensor '%1' has %2 elements, expected %3")
                                       .arg(name)
                                       .arg(info->elementCount())
                                       .arg(count)));
    prefaultMapped(bytes, info->byteSize());
    convertToFloat(info->dtype, bytes, count, out);
    return Status::success();
}

// ---- writer -----------------------------------------------------------------------------

SafetensorsWriter::SafetensorsWriter() = default;
SafetensorsWriter::SafetensorsWriter(SafetensorsWriter &&other) noexcept = default;

SafetensorsWriter &SafetensorsWriter::operator=(SafetensorsWriter &&other) noexcept
{
    if (this != &other) {
        if (mSpool)
            mSpool->remove();
        mTensors = std::move(other.mTensors);
        mMetadata = std::move(other.mMetadata);
        mDataBytes = other.mDataBytes;
        mSpool = std::move(other.mSpool);
        mSpoolError = std::move(other.mSpoolError);
    }
    return *this;
}

SafetensorsWriter::~SafetensorsWriter()
{
    if (mSpool)
        mSpool->remove();
}

void SafetensorsWriter::spoolTo(const QString &scratchPath)
{
    mSpool = std::make_unique<QFile>(scratchPath);
    if (!mSpool->open(QIODevice::ReadWrite | QIODevice::Truncate | QIODevice::Unbuffered))
        mSpoolError = fileError(scratchPath, QStringLiteral("cannot create: %1").arg(mSpool->errorString()));
}

void SafetensorsWriter::addTensor(const QString &name, DType dtype, const QList<qint64> &shape,
                                  QByteArray bytes)
{
    const qint64 size = bytes.size();
    mDataBytes += size;
    if (mSpool) {
        if (mSpoolError.isEmpty()) {
            errno = 0;
            if (mSpool->write(bytes) != size)
                mSpoolError = fileError(mSpool->fileName(),
                                        QStringLiteral("write failed (%1)")
                                            .arg(errno != 0 ? QString::fromLocal8Bit(std::strerror(errno))
                                                            : mSpool->errorString()));
        }
        bytes = QByteArray();
    }
    mTensors.append(Pending {name, dtype, shape, std::move(bytes), size});
}

void SafetensorsWriter::addFloatTensor(const QString &name, const float *data, const QList<qint64> &shape,
                                       DType storeAs)
{
    qint64 count = 1;
    for (qint64 d : shape)
        count *= d;
    QByteArray bytes;
    switch (storeAs) {
    case DType::F16:
    case DType::BF16: {
        bytes.resize(count * 2);
        auto *dst = reinterpret_cast<uchar *>(bytes.data());
        for (qint64 i = 0; i < count; ++i) {
            const uint16_t h = storeAs == DType::F16 ? floatToHalf(data[i]) : floatToBf16(data[i]);
            std::memcpy(dst + 2 * i, &h, 2);
        }
        break;
    }
    case DType::F64: {
        bytes.resize(count * 8);
        for (qint64 i = 0; i < count; ++i) {
            const double d = data[i];
            std::memcpy(bytes.data() + 8 * i, &d, 8);
        }
        break;
    }
    default:
        storeAs = DType::F32;
        bytes = QByteArray(reinterpret_cast<const char *>(data), count * 4);
        break;
    }
    addTensor(name, storeAs, shape, std::move(bytes));
}

void SafetensorsWriter::addMatrix(const QString &name, const MatrixRM &matrix, DType storeAs)
{
    addFloatTensor(name, matrix.data(), {matrix.rows(), matrix.cols()}, storeAs);
}

namespace {

// Why a write failed: the device's message, or (when Qt has none, as for a failed buffered
// write) the system's for errno, e.g. "No space left on device" or "File too large".
QString writeFailureReason(const QFileDevice &file, int savedErrno)
{
    if (file.error() != QFileDevice::NoError && file.errorString() != QLatin1String("Unknown error"))
        return file.errorString();
    return savedErrno != 0 ? QString::fromLocal8Bit(std::strerror(savedErrno)) : file.errorString();
}

} // namespace

qint64 TensorSpec::byteSize() const
{
    qint64 n = dtypeSize(dtype);
    for (qint64 d : shape)
        n *= d;
    return n;
}

Status writeSafetensorsStreaming(const QString &path, const QList<TensorSpec> &tensors,
                                 const QMap<QString, QString> &metadata, const TensorFill &fill,
                                 const ProgressFn &progress)
{
    QJsonObject root;
    if (!metadata.isEmpty()) {
        QJsonObject meta;
        for (auto it = metadata.begin(); it != metadata.end(); ++it)
            meta.insert(it.key(), it.value());
        root.insert(QStringLiteral("__metadata__"), meta);
    }
    qint64 offset = 0;
    for (const TensorSpec &t : tensors) {
        if (root.contains(t.name))
            return makeError(fileError(path, QStringLiteral("duplicate tensor name '%1'").arg(t.name)));
        QJsonArray shape;
        for (qint64 d : t.shape)
            shape.append(double(d));
        QJsonObject entry;
        entry.insert(QStringLiteral("dtype"), dtypeName(t.dtype));
        entry.insert(QStringLiteral("shape"), shape);
        entry.insert(QStringLiteral("data_offsets"),
                     QJsonArray {double(offset), double(offset + t.byteSize())});
        root.insert(t.name, entry);
        offset += t.byteSize();
    }
    QByteArray header = QJsonDocument(root).toJson(QJsonDocument::Compact);
    // Pad with spaces so the data section starts 8-byte aligned (allowed by the format).
    while ((header.size() + 8) % 8 != 0)
        header.append(' ');

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(fileError(path, QStringLiteral("cannot create: %1").arg(file.errorString())));
    uchar len[8];
    quint64 n = quint64(header.size());
    for (int i = 0; i < 8; ++i) {
        len[i] = uchar(n & 0xff);
        n >>= 8;
    }
    errno = 0;
    bool ok = file.write(reinterpret_cast<const char *>(len), 8) == 8 && file.write(header) == header.size();
    int failErrno = ok ? 0 : errno;
    const qint64 total = std::max<qint64>(offset, 1);
    qint64 written = 0;
    for (int i = 0; i < tensors.size() && ok; ++i) {
        const TensorSpec &t = tensors.at(i);
        const qint64 before = file.pos();
        errno = 0;
        if (Status s = fill(i, file); !s) {
            file.cancelWriting();
            return makeError(fileError(path, QStringLiteral("%1; nothing was written").arg(s.error())));
        }
        if (file.error() != QFileDevice::NoError) {
            ok = false;
            failErrno = errno;
            break;
        }
        if (file.pos() - before != t.byteSize()) {
            file.cancelWriting();
            return makeError(fileError(path,
                                       QStringLiteral("tensor '%1': %2 bytes written, %3 expected; nothing "
                                                      "was written")
                                           .arg(t.name)
                                           .arg(file.pos() - before)
                                           .arg(t.byteSize())));
        }
        written += t.byteSize();
        if (!reportProgress(progress, double(written) / double(total), t.name)) {
            file.cancelWriting();
            return makeError(fileError(path, QStringLiteral("cancelled; nothing was written")));
        }
    }
    if (!ok) {
        const QString why = writeFailureReason(file, failErrno);
        file.cancelWriting();
        return makeError(fileError(path, QStringLiteral("write failed (%1); nothing was written").arg(why)));
    }
    errno = 0;
    if (!file.commit())
        return makeError(fileError(path,
                                   QStringLiteral("could not complete the file (%1); nothing was written")
                                       .arg(writeFailureReason(file, errno))));
    return {};
}

Status SafetensorsWriter::write(const QString &path, const ProgressFn &progress) const
{
    if (!mSpoolError.isEmpty())
        return makeError(QStringLiteral("%1; nothing was written").arg(mSpoolError));
    QList<TensorSpec> specs;
    for (const Pending &p : mTensors)
        specs.append(TensorSpec {p.name, p.dtype, p.shape});
    // Callers may store raw bytes under any shape: the spec's size is the bytes' size.
    for (int i = 0; i < specs.size(); ++i)
        if (specs[i].byteSize() != mTensors.at(i).size)
            return makeError(fileError(path,
                                       QStringLiteral("tensor '%1': %2 bytes for shape of %3 bytes")
                                           .arg(mTensors.at(i).name)
                                           .arg(mTensors.at(i).size)
                                           .arg(specs[i].byteSize())));
    if (mSpool && (!mSpool->flush() || !mSpool->seek(0)))
        return makeError(
            fileError(mSpool->fileName(), QStringLiteral("cannot read back: %1").arg(mSpool->errorString())));
    QByteArray chunk;
    Status status = writeSafetensorsStreaming(
        path, specs, mMetadata,
        [&](int i, QIODevice &out) -> Status {
            const Pending &p = mTensors.at(i);
            const auto put = [&](const QByteArray &bytes) -> Status {
                errno = 0;
                if (out.write(bytes) != bytes.size()) {
                    // The system's reason (disk full, file too large), as the other writers say it.
                    const int savedErrno = errno;
                    if (const auto *file = qobject_cast<const QFileDevice *>(&out))
                        return makeError(
                            QStringLiteral("write failed (%1)").arg(writeFailureReason(*file, savedErrno)));
                    return makeError(QStringLiteral("write of tensor '%1' failed").arg(p.name));
                }
                return {};
            };
            if (!mSpool)
                return put(p.bytes);
            // Spooled tensors come back from the scratch file in pieces of at most 8 MiB.
            for (qint64 done = 0; done < p.size; done += chunk.size()) {
                chunk = mSpool->read(std::min<qint64>(p.size - done, qint64(8) << 20));
                if (chunk.isEmpty())
                    return makeError(
                        QStringLiteral("%1: read back failed (%2)")
                            .arg(QDir::toNativeSeparators(mSpool->fileName()), mSpool->errorString()));
                if (Status st = put(chunk); !st)
                    return st;
            }
            return {};
        },
        progress);
    if (mSpool)
        mSpool->remove();
    return status;
}

QString shardFileName(int index, int count)
{
    if (count == 1)
        return QStringLiteral("model.safetensors");
    return QStringLiteral("model-%1-of-%2.safetensors")
        .arg(index + 1, 5, 10, QLatin1Char('0'))
        .arg(count, 5, 10, QLatin1Char('0'));
}

Status writeFileAtomically(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(fileError(path, QStringLiteral("cannot create: %1").arg(file.errorString())));
    errno = 0;
    if (file.write(bytes) != bytes.size()) {
        const QString why = writeFailureReason(file, errno);
        file.cancelWriting();
        return makeError(fileError(path, QStringLiteral("write failed (%1); nothing was written").arg(why)));
    }
    errno = 0;
    if (!file.commit())
        return makeError(fileError(
            path, QStringLiteral("could not complete the file (%1)").arg(writeFailureReason(file, errno))));
    return {};
}

} // namespace lqer
