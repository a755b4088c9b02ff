#pragma once

// The GGUF container (version 3, as llama.cpp reads it; docs/GGUF_EXPORT.md): a header, typed
// key/value metadata, tensor descriptions, then the tensor data, each tensor aligned to
// general.alignment (32). This layer knows the byte layout only; which keys and tensors make
// a model, and what a q4_0 block means, belong to core/export and core/formats.
//
// Shapes are ggml's: ne[0] is the contiguous dimension, so a PyTorch (out, in) weight has
// ne = [in, out].

#include "core/common/expected.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

class QFile;

namespace lqer {

// ggml tensor types this project writes and reads.
enum class GgmlType : uint32_t { F32 = 0, F16 = 1, Q4_0 = 2, Q8_0 = 8 };

QString ggmlTypeName(GgmlType type); // "f32", "f16", "q4_0", "q8_0"
// Bytes of a row of ne0 elements; -1 when ne0 is not a multiple of the type's block.
qint64 ggmlRowBytes(GgmlType type, qint64 ne0);

// The value types of GGUF metadata.
enum class GgufValueType : uint32_t {
    U8 = 0,
    I8 = 1,
    U16 = 2,
    I16 = 3,
    U32 = 4,
    I32 = 5,
    F32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    U64 = 10,
    I64 = 11,
    F64 = 12,
};

struct GgufValue
{
    GgufValueType type = GgufValueType::U32;
    GgufValueType elementType = GgufValueType::U32; // arrays only
    QVariant scalar; // numbers, bool, string
    QVariantList array; // arrays (of scalars)
};

struct GgufTensorInfo
{
    QString name;
    QList<qint64> ne; // ggml order: ne[0] contiguous
    GgmlType type = GgmlType::F32;
    quint64 offset = 0; // from the start of the data section
    qint64 bytes = 0;
    qint64 elements() const;
};

class GgufWriter
{
public:
    void setString(const QString &key, const QString &value);
    void setU32(const QString &key, uint32_t value);
    void setI32(const QString &key, int32_t value);
    void setF32(const QString &key, float value);
    void setBool(const QString &key, bool value);
    void setStringArray(const QString &key, const QStringList &values);
    void setF32Array(const QString &key, const std::vector<float> &values);
    void setI32Array(const QString &key, const std::vector<int32_t> &values);

    // `data` holds the tensor in its type's layout (rows of ggmlRowBytes(type, ne[0])).
    Status addTensor(const QString &name, GgmlType type, const QList<qint64> &ne, QByteArray data);
    // A tensor described without its data, for fileSize() (a size preview); write() then fails.
    Status addTensorShape(const QString &name, GgmlType type, const QList<qint64> &ne);

    // Writes the file (header, metadata in insertion order, tensor infos, aligned data).
    // Errors name the file.
    Status write(const QString &path) const;
    qint64 tensorBytes() const;
    // The size write() would give the file, in bytes.
    qint64 fileSize() const;

private:
    void set(const QString &key, GgufValue value);
    Expected<GgufTensorInfo> describe(const QString &name, GgmlType type, const QList<qint64> &ne) const;
    QByteArray header() const; // up to the aligned start of the data

    QList<std::pair<QString, GgufValue>> mMetadata;
    QList<GgufTensorInfo> mTensors;
    QList<QByteArray> mData;
};

class GgufFile
{
public:
    // Parses and validates the header: magic, version 2 or 3, counts, every string, value
    // type and tensor description inside the file, known tensor types, shapes whose size
    // matches the type, data inside the file. Errors name the file and what is wrong.
    static Expected<std::shared_ptr<GgufFile>> open(const QString &path);
    // True when the file starts with the GGUF magic (never fails).
    static bool looksLikeGguf(const QString &path);

    ~GgufFile();

    const QString &path() const { return mPath; }
    qint64 fileSize() const { return mFileSize; }
    uint32_t version() const { return mVersion; }
    const QMap<QString, GgufValue> &metadata() const { return mMetadata; }
    const QList<GgufTensorInfo> &tensors() const { return mTensors; }
    const GgufTensorInfo *find(const QString &name) const;
    bool has(const QString &key) const { return mMetadata.contains(key); }

    // Typed accessors: an error names the file and the key when it is absent or of another
    // type (any integer type is accepted where an integer is asked for).
    Expected<QString> string(const QString &key) const;
    Expected<qint64> integer(const QString &key) const;
    Expected<double> real(const QString &key) const; // F32 / F64 (or an integer)
    Expected<QStringList> stringArray(const QString &key) const;
    Expected<std::vector<float>> realArray(const QString &key) const;
    Expected<std::vector<qint64>> integerArray(const QString &key) const;

    // The tensor's bytes in the mapped file; valid while this object lives. Thread-safe.
    Expected<const uchar *> data(const GgufTensorInfo &info) const;

private:
    GgufFile() = default;
    Expected<const GgufValue *> value(const QString &key, const char *what) const;

    QString mPath;
    qint64 mFileSize = 0;
    uint32_t mVersion = 0;
    qint64 mDataOffset = 0;
    QMap<QString, GgufValue> mMetadata;
    QList<GgufTensorInfo> mTensors;
    QMap<QString, int> mIndex;
    mutable std::mutex mMapMutex;
    mutable std::unique_ptr<QFile> mFile;
    mutable const uchar *mMapped = nullptr;
};

} // namespace lqer
