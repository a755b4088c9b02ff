#include "gguf.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>

#include <cstring>

namespace lqer {

static_assert(Q_BYTE_ORDER == Q_LITTLE_ENDIAN, "GGUF files are little-endian; this code writes host order");

namespace {

constexpr uint32_t kMagic = 0x46554747; // "GGUF" read as a little-endian uint32
constexpr uint32_t kVersion = 3;
constexpr qint64 kAlignment = 32;

QString native(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

qint64 alignUp(qint64 v, qint64 a)
{
    return (v + a - 1) / a * a;
}

// Size in bytes of a scalar value type; 0 for strings and arrays.
int scalarSize(GgufValueType t)
{
    switch (t) {
    case GgufValueType::U8:
    case GgufValueType::I8:
    case GgufValueType::Bool:
        return 1;
    case GgufValueType::U16:
    case GgufValueType::I16:
        return 2;
    case GgufValueType::U32:
    case GgufValueType::I32:
    case GgufValueType::F32:
        return 4;
    case GgufValueType::U64:
    case GgufValueType::I64:
    case GgufValueType::F64:
        return 8;
    case GgufValueType::String:
    case GgufValueType::Array:
        return 0;
    }
    return 0;
}

bool knownValueType(uint32_t t)
{
    return t <= uint32_t(GgufValueType::F64);
}

// ---- writing ----------------------------------------------------------------------------

template<typename T> void put(QByteArray &out, T v)
{
    out.append(reinterpret_cast<const char *>(&v), sizeof v);
}

void putString(QByteArray &out, const QString &s)
{
    const QByteArray utf8 = s.toUtf8();
    put<uint64_t>(out, uint64_t(utf8.size()));
    out.append(utf8);
}

void putScalar(QByteArray &out, GgufValueType t, const QVariant &v)
{
    switch (t) {
    case GgufValueType::U8:
        put<uint8_t>(out, uint8_t(v.toUInt()));
        break;
    case GgufValueType::I8:
        put<int8_t>(out, int8_t(v.toInt()));
        break;
    case GgufValueType::U16:
        put<uint16_t>(out, uint16_t(v.toUInt()));
        break;
    case GgufValueType::I16:
        put<int16_t>(out, int16_t(v.toInt()));
        break;
    case GgufValueType::U32:
        put<uint32_t>(out, uint32_t(v.toUInt()));
        break;
    case GgufValueType::I32:
        put<int32_t>(out, int32_t(v.toInt()));
        break;
    case GgufValueType::F32:
        put<float>(out, v.toFloat());
        break;
    case GgufValueType::Bool:
        put<uint8_t>(out, v.toBool() ? 1 : 0);
        break;
    case GgufValueType::String:
        putString(out, v.toString());
        break;
    case GgufValueType::U64:
        put<uint64_t>(out, uint64_t(v.toULongLong()));
        break;
    case GgufValueType::I64:
        put<int64_t>(out, int64_t(v.toLongLong()));
        break;
    case GgufValueType::F64:
        put<double>(out, v.toDouble());
        break;
    case GgufValueType::Array:
        break;
    }
}

// ---- reading: a bounds-checked cursor over the mapped header ---------------------------------

class Cursor
{
public:
    Cursor(const uchar *data, qint64 size, const QString &where)
        : mData(data)
        , mSize(size)
        , mWhere(where)
    { }

    qint64 pos() const { return mPos; }
    bool failed() const { return !mError.isEmpty(); }
    const QString &error() const { return mError; }

    template<typename T> T get(const char *what)
    {
        T v {};
        if (!need(sizeof v, what))
            return v;
        std::memcpy(&v, mData + mPos, sizeof v);
        mPos += qint64(sizeof v);
        return v;
    }

    QString string(const char *what)
    {
        const uint64_t n = get<uint64_t>(what);
        if (failed() || !need(n, what))
            return QString();
        const QString s = QString::fromUtf8(reinterpret_cast<const char *>(mData + mPos), qsizetype(n));
        mPos += qint64(n);
        return s;
    }

    QVariant scalar(GgufValueType t, const char *what)
    {
        switch (t) {
        case GgufValueType::U8:
            return uint(get<uint8_t>(what));
        case GgufValueType::I8:
            return int(get<int8_t>(what));
        case GgufValueType::U16:
            return uint(get<uint16_t>(what));
        case GgufValueType::I16:
            return int(get<int16_t>(what));
        case GgufValueType::U32:
            return uint(get<uint32_t>(what));
        case GgufValueType::I32:
            return int(get<int32_t>(what));
        case GgufValueType::F32:
            return get<float>(what);
        case GgufValueType::Bool:
            return get<uint8_t>(what) != 0;
        case GgufValueType::String:
            return string(what);
        case GgufValueType::U64:
            return qulonglong(get<uint64_t>(what));
        case GgufValueType::I64:
            return qlonglong(get<int64_t>(what));
        case GgufValueType::F64:
            return get<double>(what);
        case GgufValueType::Array:
            break;
        }
        fail(QStringLiteral("nested array in %1").arg(QLatin1String(what)));
        return {};
    }

    void fail(const QString &message)
    {
        if (mError.isEmpty())
            mError = QStringLiteral("%1: %2 (at byte %3)").arg(mWhere, message).arg(mPos);
    }

private:
    bool need(uint64_t n, const char *what)
    {
        if (n > uint64_t(mSize - mPos)) {
            fail(QStringLiteral("truncated %1").arg(QLatin1String(what)));
            return false;
        }
        return true;
    }

    const uchar *mData;
    qint64 mSize;
    qint64 mPos = 0;
    QString mWhere;
    QString mError;
};

bool isInteger(GgufValueType t)
{
    switch (t) {
    case GgufValueType::U8:
    case GgufValueType::I8:
    case GgufValueType::U16:
    case GgufValueType::I16:
    case GgufValueType::U32:
    case GgufValueType::I32:
    case GgufValueType::U64:
    case GgufValueType::I64:
        return true;
    default:
        return false;
    }
}

} // namespace

QString ggmlTypeName(GgmlType type)
{
    switch (type) {
    case GgmlType::F32:
        return QStringLiteral("f32");
    case GgmlType::F16:
        return QStringLiteral("f16");
    case GgmlType::Q4_0:
        return QStringLiteral("q4_0");
    case GgmlType::Q8_0:
        return QStringLiteral("q8_0");
    }
    return QStringLiteral("type %1").arg(uint32_t(type));
}

qint64 ggmlRowBytes(GgmlType type, qint64 ne0)
{
    switch (type) {
    case GgmlType::F32:
        return 4 * ne0;
    case GgmlType::F16:
        return 2 * ne0;
    case GgmlType::Q4_0:
        return ne0 % 32 == 0 ? ne0 / 32 * 18 : -1;
    case GgmlType::Q8_0:
        return ne0 % 32 == 0 ? ne0 / 32 * 34 : -1;
    }
    return -1;
}

qint64 GgufTensorInfo::elements() const
{
    qint64 n = 1;
    for (qint64 d : ne)
        n *= d;
    return n;
}

// ---- GgufWriter ---------------------------------------------------------------------------

void GgufWriter::set(const QString &key, GgufValue value)
{
    for (auto &kv : mMetadata)
        if (kv.first == key) {
            kv.second = std::move(value);
            return;
        }
    mMetadata.append({key, std::move(value)});
}

void GgufWriter::setString(const QString &key, const QString &value)
{
    set(key, GgufValue {GgufValueType::String, GgufValueType::U32, value, {}});
}

void GgufWriter::setU32(const QString &key, uint32_t value)
{
    set(key, GgufValue {GgufValueType::U32, GgufValueType::U32, uint(value), {}});
}

void GgufWriter::setI32(const QString &key, int32_t value)
{
    set(key, GgufValue {GgufValueType::I32, GgufValueType::U32, int(value), {}});
}

void GgufWriter::setF32(const QString &key, float value)
{
    set(key, GgufValue {GgufValueType::F32, GgufValueType::U32, value, {}});
}

void GgufWriter::setBool(const QString &key, bool value)
{
    set(key, GgufValue {GgufValueType::Bool, GgufValueType::U32, value, {}});
}

void GgufWriter::setStringArray(const QString &key, const QStringList &values)
{
    QVariantList list;
    list.reserve(values.size());
    for (const QString &v : values)
        list << v;
    set(key, GgufValue {GgufValueType::Array, GgufValueType::String, {}, list});
}

void GgufWriter::setF32Array(const QString &key, const std::vector<float> &values)
{
    QVariantList list;
    list.reserve(qsizetype(values.size()));
    for (float v : values)
        list << v;
    set(key, GgufValue {GgufValueType::Array, GgufValueType::F32, {}, list});
}

void GgufWriter::setI32Array(const QString &key, const std::vector<int32_t> &values)
{
    QVariantList list;
    list.reserve(qsizetype(values.size()));
    for (int32_t v : values)
        list << int(v);
    set(key, GgufValue {GgufValueType::Array, GgufValueType::I32, {}, list});
}

Expected<GgufTensorInfo> GgufWriter::describe(const QString &name, GgmlType type,
                                              const QList<qint64> &ne) const
{
    GgufTensorInfo info;
    info.name = name;
    info.ne = ne;
    info.type = type;
    const qint64 rowBytes = ne.isEmpty() ? -1 : ggmlRowBytes(type, ne.first());
    if (rowBytes < 0)
        return makeError(
            QStringLiteral("tensor '%1': %2 needs rows that are a multiple of 32 elements, got %3")
                .arg(name, ggmlTypeName(type))
                .arg(ne.isEmpty() ? 0 : ne.first()));
    info.bytes = rowBytes * (info.elements() / ne.first());
    return info;
}

Status GgufWriter::addTensor(const QString &name, GgmlType type, const QList<qint64> &ne, QByteArray data)
{
    Expected<GgufTensorInfo> info = describe(name, type, ne);
    if (!info)
        return Error {info.error()};
    if (info->bytes != data.size())
        return makeError(QStringLiteral("tensor '%1': %2 bytes given, its shape and type need %3")
                             .arg(name)
                             .arg(data.size())
                             .arg(info->bytes));
    mTensors.append(*info);
    mData.append(std::move(data));
    return {};
}

Status GgufWriter::addTensorShape(const QString &name, GgmlType type, const QList<qint64> &ne)
{
    Expected<GgufTensorInfo> info = describe(name, type, ne);
    if (!info)
        return Error {info.error()};
    mTensors.append(*info);
    mData.append(QByteArray());
    return {};
}

qint64 GgufWriter::tensorBytes() const
{
    qint64 n = 0;
    for (const GgufTensorInfo &t : mTensors)
        n += alignUp(t.bytes, kAlignment);
    return n;
}

qint64 GgufWriter::fileSize() const
{
    return header().size() + tensorBytes();
}

QByteArray GgufWriter::header() const
{
    QByteArray header;
    put<uint32_t>(header, kMagic);
    put<uint32_t>(header, kVersion);
    put<uint64_t>(header, uint64_t(mTensors.size()));
    put<uint64_t>(header, uint64_t(mMetadata.size()));
    for (const auto &[key, v] : mMetadata) {
        putString(header, key);
        put<uint32_t>(header, uint32_t(v.type));
        if (v.type == GgufValueType::Array) {
            put<uint32_t>(header, uint32_t(v.elementType));
            put<uint64_t>(header, uint64_t(v.array.size()));
            for (const QVariant &e : v.array)
                putScalar(header, v.elementType, e);
        } else {
            putScalar(header, v.type, v.scalar);
        }
    }
    qint64 offset = 0;
    for (const GgufTensorInfo &t : mTensors) {
        putString(header, t.name);
        put<uint32_t>(header, uint32_t(t.ne.size()));
        for (qint64 d : t.ne)
            put<uint64_t>(header, uint64_t(d));
        put<uint32_t>(header, uint32_t(t.type));
        put<uint64_t>(header, uint64_t(offset));
        offset += alignUp(t.bytes, kAlignment);
    }
    header.append(QByteArray(alignUp(header.size(), kAlignment) - header.size(), '\0'));
    return header;
}

Status GgufWriter::write(const QString &path) const
{
    for (int i = 0; i < mTensors.size(); ++i)
        if (mData.at(i).size() != mTensors.at(i).bytes)
            return makeError(QStringLiteral("%1: tensor '%2' has no data (described for its size only)")
                                 .arg(native(path), mTensors.at(i).name));
    const QByteArray header = this->header();
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return makeError(QStringLiteral("%1: cannot write (%2)").arg(native(path), f.errorString()));
    bool ok = f.write(header) == header.size();
    for (const QByteArray &d : mData) {
        ok = ok && f.write(d) == d.size();
        const QByteArray pad(alignUp(d.size(), kAlignment) - d.size(), '\0');
        ok = ok && f.write(pad) == pad.size();
    }
    if (!ok || !f.commit())
        return makeError(QStringLiteral("%1: write failed (%2)").arg(native(path), f.errorString()));
    return {};
}

// ---- GgufFile -----------------------------------------------------------------------------

GgufFile::~GgufFile() = default;

bool GgufFile::looksLikeGguf(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    uint32_t magic = 0;
    return f.read(reinterpret_cast<char *>(&magic), 4) == 4 && magic == kMagic;
}

Expected<std::shared_ptr<GgufFile>> GgufFile::open(const QString &path)
{
    const QString where = native(path);
    std::shared_ptr<GgufFile> g(new GgufFile);
    g->mPath = path;
    g->mFile = std::make_unique<QFile>(path);
    if (!g->mFile->open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("%1: cannot open (%2)").arg(where, g->mFile->errorString()));
    g->mFileSize = g->mFile->size();
    if (g->mFileSize < 24)
        return makeError(
            QStringLiteral("%1: too short for a GGUF header (%2 bytes)").arg(where).arg(g->mFileSize));
    g->mMapped = g->mFile->map(0, g->mFileSize);
    if (!g->mMapped)
        return makeError(QStringLiteral("%1: cannot map (%2)").arg(where, g->mFile->errorString()));

    Cursor c(g->mMapped, g->mFileSize, where);
    if (c.get<uint32_t>("magic") != kMagic)
        return makeError(QStringLiteral("%1: not a GGUF file (no 'GGUF' magic)").arg(where));
    g->mVersion = c.get<uint32_t>("version");
    if (g->mVersion != 2 && g->mVersion != 3)
        return makeError(
            QStringLiteral("%1: GGUF version %2 is not supported (2 or 3)").arg(where).arg(g->mVersion));
    const uint64_t nTensors = c.get<uint64_t>("tensor count");
    const uint64_t nKv = c.get<uint64_t>("metadata count");
    // Every entry takes at least 8 bytes: counts beyond the file are corrupt, not huge.
    if (nTensors > uint64_t(g->mFileSize) / 8 || nKv > uint64_t(g->mFileSize) / 8)
        return makeError(QStringLiteral("%1: corrupt header (%2 tensors, %3 metadata entries)")
                             .arg(where)
                             .arg(nTensors)
                             .arg(nKv));
    for (uint64_t i = 0; i < nKv && !c.failed(); ++i) {
        const QString key = c.string("metadata key");
        GgufValue v;
        const uint32_t type = c.get<uint32_t>("metadata type");
        if (!knownValueType(type)) {
            c.fail(QStringLiteral("metadata '%1' has unknown value type %2").arg(key).arg(type));
            break;
        }
        v.type = GgufValueType(type);
        if (v.type == GgufValueType::Array) {
            const uint32_t et = c.get<uint32_t>("array type");
            const uint64_t n = c.get<uint64_t>("array length");
            if (!knownValueType(et) || GgufValueType(et) == GgufValueType::Array) {
                c.fail(QStringLiteral("metadata '%1': unsupported array element type %2").arg(key).arg(et));
                break;
            }
            v.elementType = GgufValueType(et);
            const int size = scalarSize(v.elementType);
            if (n > uint64_t(g->mFileSize - c.pos()) / uint64_t(size > 0 ? size : 8)) {
                c.fail(
                    QStringLiteral("metadata '%1': array of %2 elements exceeds the file").arg(key).arg(n));
                break;
            }
            v.array.reserve(qsizetype(n));
            for (uint64_t k = 0; k < n && !c.failed(); ++k)
                v.array << c.scalar(v.elementType, "array element");
        } else {
            v.scalar = c.scalar(v.type, "metadata value");
        }
        g->mMetadata.insert(key, v);
    }
    for (uint64_t i = 0; i < nTensors && !c.failed(); ++i) {
        GgufTensorInfo t;
        t.name = c.string("tensor name");
        const uint32_t dims = c.get<uint32_t>("tensor dimensions");
        if (dims < 1 || dims > 4) {
            c.fail(QStringLiteral("tensor '%1' has %2 dimensions").arg(t.name).arg(dims));
            break;
        }
        // Every element takes at least 4.5 bits: a shape with more elements than 2 per file byte
        // cannot fit (and this bound keeps the products far from overflowing).
        const uint64_t maxElements = uint64_t(g->mFileSize) * 2;
        uint64_t elements = 1;
        for (uint32_t d = 0; d < dims; ++d) {
            const uint64_t n = c.get<uint64_t>("tensor shape");
            if (n == 0 || n > maxElements || elements > maxElements / n) {
                c.fail(QStringLiteral("tensor '%1': shape does not fit in the file (dimension %2)")
                           .arg(t.name)
                           .arg(n));
                break;
            }
            elements *= n;
            t.ne << qint64(n);
        }
        const uint32_t type = c.get<uint32_t>("tensor type");
        t.offset = c.get<uint64_t>("tensor offset");
        if (c.failed())
            break;
        t.type = GgmlType(type);
        const qint64 rowBytes = ggmlRowBytes(t.type, t.ne.first());
        if (type != 0 && type != 1 && type != 2 && type != 8)
            return makeError(
                QStringLiteral("%1: tensor '%2' has ggml type %3, which this reader does not decode "
                               "(f32, f16, q4_0, q8_0)")
                    .arg(where, t.name)
                    .arg(type));
        if (rowBytes < 0)
            return makeError(QStringLiteral("%1: tensor '%2': %3 rows of %4 elements are not whole blocks")
                                 .arg(where, t.name, ggmlTypeName(t.type))
                                 .arg(t.ne.first()));
        t.bytes = rowBytes * (t.elements() / t.ne.first());
        if (g->mIndex.contains(t.name))
            return makeError(QStringLiteral("%1: tensor '%2' appears twice").arg(where, t.name));
        g->mIndex.insert(t.name, int(g->mTensors.size()));
        g->mTensors.append(t);
    }
    if (c.failed())
        return makeError(c.error());
    qint64 alignment = kAlignment;
    if (auto a = g->integer(QStringLiteral("general.alignment")); a.ok())
        alignment = *a;
    if (alignment <= 0 || alignment > (1 << 20) || (alignment & (alignment - 1)) != 0)
        return makeError(
            QStringLiteral("%1: general.alignment %2 is not a power of two").arg(where).arg(alignment));
    g->mDataOffset = alignUp(c.pos(), alignment);
    const uint64_t dataBytes = g->mDataOffset <= g->mFileSize ? uint64_t(g->mFileSize - g->mDataOffset) : 0;
    for (const GgufTensorInfo &t : g->mTensors) {
        if (t.offset % uint64_t(alignment) != 0 || t.offset > dataBytes
            || uint64_t(t.bytes) > dataBytes - t.offset)
            return makeError(
                QStringLiteral("%1: tensor '%2' (%3 bytes at offset %4) lies outside the file or is "
                               "misaligned")
                    .arg(where, t.name)
                    .arg(t.bytes)
                    .arg(t.offset));
    }
    return g;
}

const GgufTensorInfo *GgufFile::find(const QString &name) const
{
    const auto it = mIndex.constFind(name);
    return it == mIndex.constEnd() ? nullptr : &mTensors[*it];
}

Expected<const uchar *> GgufFile::data(const GgufTensorInfo &info) const
{
    std::lock_guard<std::mutex> lock(mMapMutex);
    if (!mMapped)
        return makeError(QStringLiteral("%1: not mapped").arg(native(mPath)));
    return mMapped + mDataOffset + qint64(info.offset);
}

Expected<const GgufValue *> GgufFile::value(const QString &key, const char *what) const
{
    const auto it = mMetadata.constFind(key);
    if (it == mMetadata.constEnd())
        return makeError(
            QStringLiteral("%1: no metadata '%2' (%3)").arg(native(mPath), key, QLatin1String(what)));
    return &*it;
}

Expected<QString> GgufFile::string(const QString &key) const
{
    auto v = value(key, "a string");
    if (!v)
        return Error {v.error()};
    if ((*v)->type != GgufValueType::String)
        return makeError(QStringLiteral("%1: metadata '%2' is not a string").arg(native(mPath), key));
    return (*v)->scalar.toString();
}

Expected<qint64> GgufFile::integer(const QString &key) const
{
    auto v = value(key, "an integer");
    if (!v)
        return Error {v.error()};
    if (!isInteger((*v)->type))
        return makeError(QStringLiteral("%1: metadata '%2' is not an integer").arg(native(mPath), key));
    return (*v)->scalar.toLongLong();
}

Expected<double> GgufFile::real(const QString &key) const
{
    auto v = value(key, "a number");
    if (!v)
        return Error {v.error()};
    const GgufValueType t = (*v)->type;
    if (t != GgufValueType::F32 && t != GgufValueType::F64 && !isInteger(t))
        return makeError(QStringLiteral("%1: metadata '%2' is not a number").arg(native(mPath), key));
    return (*v)->scalar.toDouble();
}

Expected<QStringList> GgufFile::stringArray(const QString &key) const
{
    auto v = value(key, "an array of strings");
    if (!v)
        return Error {v.error()};
    if ((*v)->type != GgufValueType::Array || (*v)->elementType != GgufValueType::String)
        return makeError(
            QStringLiteral("%1: metadata '%2' is not an array of strings").arg(native(mPath), key));
    QStringList out;
    out.reserve((*v)->array.size());
    for (const QVariant &e : (*v)->array)
        out << e.toString();
    return out;
}

Expected<std::vector<float>> GgufFile::realArray(const QString &key) const
{
    auto v = value(key, "an array of numbers");
    if (!v)
        return Error {v.error()};
    if ((*v)->type != GgufValueType::Array
        || ((*v)->elementType != GgufValueType::F32 && (*v)->elementType != GgufValueType::F64))
        return makeError(
            QStringLiteral("%1: metadata '%2' is not an array of numbers").arg(native(mPath), key));
    std::vector<float> out;
    out.reserve(size_t((*v)->array.size()));
    for (const QVariant &e : (*v)->array)
        out.push_back(e.toFloat());
    return out;
}

Expected<std::vector<qint64>> GgufFile::integerArray(const QString &key) const
{
    auto v = value(key, "an array of integers");
    if (!v)
        return Error {v.error()};
    if ((*v)->type != GgufValueType::Array || !isInteger((*v)->elementType))
        return makeError(
            QStringLiteral("%1: metadata '%2' is not an array of integers").arg(native(mPath), key));
    std::vector<qint64> out;
    out.reserve(size_t((*v)->array.size()));
    for (const QVariant &e : (*v)->array)
        out.push_back(e.toLongLong());
    return out;
}

} // namespace lqer
