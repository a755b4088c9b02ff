#pragma once

// Bit-exact binary encoding of Eigen matrices and vectors in a QDataStream (raw element bytes
// in host order, behind their shape), for the messages between the ranks of a Cluster
// (cluster.h): every rank runs the same build on the same kind of machine.

#include "core/common/tensor.h"

#include <QDataStream>

#include <algorithm>
#include <vector>

namespace lqer::wire {

// The stream settings every message uses: one fixed version, and doubles stay doubles.
inline QDataStream &prepared(QDataStream &s)
{
    s.setVersion(QDataStream::Qt_6_0);
    s.setFloatingPointPrecision(QDataStream::DoublePrecision);
    return s;
}

// Raw data goes through QDataStream in pieces its int lengths can hold.
inline constexpr qint64 kPiece = qint64(1) << 30;

inline void writeRaw(QDataStream &s, const void *data, qint64 bytes)
{
    const char *p = static_cast<const char *>(data);
    for (qint64 at = 0; at < bytes; at += kPiece)
        s.writeRawData(p + at, int(std::min(kPiece, bytes - at)));
}

// False (and the stream's status set) when the stream ends early.
inline bool readRaw(QDataStream &s, void *data, qint64 bytes)
{
    char *p = static_cast<char *>(data);
    for (qint64 at = 0; at < bytes; at += kPiece) {
        const int n = int(std::min(kPiece, bytes - at));
        if (s.readRawData(p + at, n) != n) {
            s.setStatus(QDataStream::ReadPastEnd);
            return false;
        }
    }
    return true;
}

template<typename Matrix> void writeMatrix(QDataStream &s, const Matrix &m)
{
    s << qint64(m.rows()) << qint64(m.cols());
    writeRaw(s, m.data(), qint64(m.size()) * qint64(sizeof(typename Matrix::Scalar)));
}

// False (and the stream's status set) when the stream ends early or the shape is impossible.
template<typename Matrix> bool readMatrix(QDataStream &s, Matrix &m)
{
    qint64 rows = 0, cols = 0;
    s >> rows >> cols;
    const bool vector = Matrix::ColsAtCompileTime == 1;
    if (s.status() != QDataStream::Ok || rows < 0 || cols < 0 || (vector && cols != 1)
        || (cols > 0 && rows > (qint64(1) << 40) / cols)) {
        s.setStatus(QDataStream::ReadCorruptData);
        return false;
    }
    m.resize(rows, cols);
    return readRaw(s, m.data(), qint64(m.size()) * qint64(sizeof(typename Matrix::Scalar)));
}

// A std::vector of plain values, as its length and raw bytes.
template<typename T> void writeVector(QDataStream &s, const std::vector<T> &v)
{
    s << qint64(v.size());
    writeRaw(s, v.data(), qint64(v.size()) * qint64(sizeof(T)));
}

// False (and the stream's status set) when the stream ends early or the length is impossible.
template<typename T> bool readVector(QDataStream &s, std::vector<T> &v)
{
    qint64 n = 0;
    s >> n;
    if (s.status() != QDataStream::Ok || n < 0 || n > (qint64(1) << 40) / qint64(sizeof(T))) {
        s.setStatus(QDataStream::ReadCorruptData);
        return false;
    }
    v.resize(size_t(n));
    return readRaw(s, v.data(), n * qint64(sizeof(T)));
}

} // namespace lqer::wire
