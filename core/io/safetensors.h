#pragma once

// Safetensors reader and writer.
//
// Format: 8-byte little-endian header length N, N bytes of JSON
// {"name": {"dtype": "F16", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}},
// then the data section; offsets are relative to its start.
//
// Opening a file reads and validates the header only; the data section is memory-mapped on
// first access, so listing the tensors of a sharded 7B checkpoint reads a few kilobytes.

#include "core/common/expected.h"
#include "core/common/progress.h"
#include "core/common/tensor.h"

#include <QByteArray>
#include <QFile>
#include <QIODevice>
#include <QList>
#include <QMap>
#include <QString>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace lqer {

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, Bool, F8E4M3, F8E5M2 };

int dtypeSize(DType dtype);
QString dtypeName(DType dtype); // "F16", as in the header
std::optional<DType> dtypeFromName(const QString &name);
bool dtypeIsFloat(DType dtype); // F64/F32/F16/BF16: convertible to float

struct TensorInfo
{
    QString name;
    DType dtype = DType::F32;
    QList<qint64> shape;
    qint64 begin = 0; // byte offsets relative to the data section
    qint64 end = 0;

    qint64 elementCount() const;
    qint64 byteSize() const { return end - begin; }
    qint64 rows() const; // shape[0] for 2-D, 1 for 1-D
    qint64 cols() const; // last dimension
};

// "[4096, 11008]", for messages.
QString shapeText(const QList<qint64> &shape);

class SafetensorsFile
{
public:
    // Reads and validates the header: header length vs file size, JSON syntax, dtypes,
    // shape x element size == byte range, ranges inside the data section, no overlaps.
    static Expected<std::shared_ptr<SafetensorsFile>> open(const QString &path);
    // A file of raw tensors at known offsets after a header of another format (llama2.c):
    // `tensors` are relative to `dataOffset`, `header` stands in for the JSON header (the
    // fingerprint hashes it). The caller has checked the layout against the file.
    static std::shared_ptr<SafetensorsFile> fromLayout(const QString &path, qint64 fileSize,
                                                       qint64 dataOffset, const QByteArray &header,
                                                       const QList<TensorInfo> &tensors);

    const QString &path() const { return mPath; }
    qint64 fileSize() const { return mFileSize; }
    qint64 headerSize() const { return mHeaderSize; }
    const QByteArray &headerJson() const { return mHeaderJson; }
    const QList<TensorInfo> &tensors() const { return mTensors; }
    const TensorInfo *find(const QString &name) const;
    const QMap<QString, QString> &metadata() const { return mMetadata; }

    // Raw bytes of a tensor inside the mapped file (maps the file on first use).
    // Thread-safe. The pointer stays valid while this object lives.
    Expected<const uchar *> data(const TensorInfo &info) const;

    // Converts a float tensor (F64/F32/F16/BF16) to float32.
    Expected<std::vector<float>> readFloats(const QString &name) const;
    // 2-D tensor as a row-major matrix (1-D gives a 1 x n matrix).
    Expected<MatrixRM> readMatrix(const QString &name) const;
    // The tensor's `count` elements (an error unless that is its size) converted to float32
    // into `out`: a caller looping over a 7B model's layers converts into the same pages every
    // time instead of faulting in fresh ones.
    Status readFloatsInto(const QString &name, float *out, qint64 count) const;

private:
    SafetensorsFile() = default;
    // The named tensor and its bytes when it holds floats; else an error naming it.
    Expected<std::pair<const TensorInfo *, const uchar *>> floatTensor(const QString &name) const;

    QString mPath;
    qint64 mFileSize = 0;
    qint64 mHeaderSize = 0; // N, the JSON length
    qint64 mDataOffset = 0; // where the data section starts: 8 + N in a safetensors file
    QByteArray mHeaderJson;
    QList<TensorInfo> mTensors;
    QMap<QString, int> mIndex;
    QMap<QString, QString> mMetadata;

    mutable std::mutex mMapMutex;
    mutable std::unique_ptr<QFile> mFile;
    mutable const uchar *mMapped = nullptr;
};

// Converts `count` elements of a float dtype to float32.
void convertToFloat(DType dtype, const uchar *src, qint64 count, float *dst);

// Maps the pages of a range of a memory-mapped file into the process in one call
// (MADV_POPULATE_READ, Linux 5.14+; a no-op elsewhere or when it fails) instead of one page
// fault per few pages as a conversion first touches them: on a virtual machine those faults
// cost more than converting a 7B model's fp16 weights.
void prefaultMapped(const uchar *data, qint64 bytes);

// Writes a safetensors file atomically: a temporary file in the same directory, flushed,
// then renamed over the target. A failure (disk full, permission) leaves no target file and
// returns an error naming the path.
//
// By default the added tensors are held in memory until write(). After spoolTo(scratch), each
// tensor's bytes go to the scratch file as it is added (memory: one tensor, not the file) and
// write() streams them from there; the scratch file is removed by write() and the destructor.
// An error while spooling (disk full) is kept and returned by write().
class SafetensorsWriter
{
public:
    SafetensorsWriter();
    SafetensorsWriter(SafetensorsWriter &&other) noexcept;
    SafetensorsWriter &operator=(SafetensorsWriter &&other) noexcept;
    ~SafetensorsWriter();

    void spoolTo(const QString &scratchPath);
    void setMetadata(const QString &key, const QString &value) { mMetadata.insert(key, value); }
    void addTensor(const QString &name, DType dtype, const QList<qint64> &shape, QByteArray bytes);
    // Stores float data converted to F32, F16 or BF16.
    void addFloatTensor(const QString &name, const float *data, const QList<qint64> &shape, DType storeAs);
    void addMatrix(const QString &name, const MatrixRM &matrix, DType storeAs);

    qint64 dataBytes() const { return mDataBytes; }
    int tensorCount() const { return int(mTensors.size()); }
    Status write(const QString &path, const ProgressFn &progress = {}) const;

private:
    struct Pending
    {
        QString name;
        DType dtype;
        QList<qint64> shape;
        QByteArray bytes; // empty when spooled
        qint64 size = 0; // data bytes
    };
    QList<Pending> mTensors;
    QMap<QString, QString> mMetadata;
    qint64 mDataBytes = 0;
    std::unique_ptr<QFile> mSpool; // open for writing while spooling
    QString mSpoolError;
};

// A tensor of a streamed safetensors file: its header entry; the data comes from a callback.
struct TensorSpec
{
    QString name;
    DType dtype = DType::F32;
    QList<qint64> shape;
    qint64 byteSize() const; // elements × dtype size
};

// Writes the data of tensor `index` to `out`: exactly its byteSize() bytes, in pieces of any
// size (a mismatch is an error naming the tensor). An error from it stops the write.
using TensorFill = std::function<Status(int index, QIODevice &out)>;

// Writes a safetensors file whose tensors are produced one at a time (memory: what `fill`
// holds, not the file), atomically like SafetensorsWriter: temporary file, flushed, renamed;
// a failure or a cancel through `progress` leaves no target file.
Status writeSafetensorsStreaming(const QString &path, const QList<TensorSpec> &tensors,
                                 const QMap<QString, QString> &metadata, const TensorFill &fill,
                                 const ProgressFn &progress = {});

// Hugging Face's shard names: model.safetensors alone, else model-00001-of-00003.safetensors.
QString shardFileName(int index, int count);

// Writes `bytes` to `path` atomically (temp file + rename). Used for JSON side files.
Status writeFileAtomically(const QString &path, const QByteArray &bytes);

} // namespace lqer
