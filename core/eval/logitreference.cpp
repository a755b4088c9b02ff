#include "logitreference.h"

#include <QDir>
#include <QTemporaryFile>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace lqer {

namespace {

constexpr char kMagic[8] = {'L', 'Q', 'E', 'R', 'L', 'G', 'P', '1'};
constexpr qint64 kHeaderBytes = 64;
constexpr qint64 kRowHeaderBytes = 24; // double nll, float min, float step, int32 argmax, uint32 0
constexpr float kClampNats = 25.0f; // log-probabilities below max − 25 are stored as max − 25

qint64 rowBytes(int vocab)
{
    return (kRowHeaderBytes + 2 * qint64(vocab) + 7) / 8 * 8;
}

struct Header
{
    char magic[8];
    quint32 vocab, windowLength, windows, complete;
    quint64 tokensHash;
};
static_assert(sizeof(Header) <= kHeaderBytes);

QString native(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

} // namespace

quint64 windowTokensHash(std::span<const int32_t> tokens, int windows, int windowLength)
{
    quint64 h = 1469598103934665603ull;
    const size_t n = std::min(tokens.size(), size_t(windows) * size_t(windowLength));
    for (size_t i = 0; i < n; ++i) {
        const auto v = quint32(tokens[i]);
        for (int b = 0; b < 4; ++b) {
            h ^= (v >> (8 * b)) & 0xffu;
            h *= 1099511628211ull;
        }
    }
    return h;
}

LogitReference::~LogitReference()
{
    if (mFile && mMap)
        mFile->unmap(mMap);
}

Expected<std::unique_ptr<LogitReference>>
LogitReference::create(const QString &path, int windows, int windowLength, int vocab, quint64 tokensHash)
{
    if (windows < 1 || windowLength < 2 || vocab < 2)
        return makeError(QStringLiteral("logits file: nothing to store (%1 windows x %2 tokens, vocab %3)")
                             .arg(windows)
                             .arg(windowLength)
                             .arg(vocab));
    std::unique_ptr<LogitReference> r(new LogitReference);
    if (path.isEmpty()) {
        auto tmp
            = std::make_unique<QTemporaryFile>(QDir::temp().filePath(QStringLiteral("lqer-logits-XXXXXX")));
        if (!tmp->open())
            return makeError(QStringLiteral("cannot create a temporary logits file in %1: %2")
                                 .arg(native(QDir::tempPath()), tmp->errorString()));
        r->mPath = tmp->fileName();
        r->mTemporary = true;
        r->mFile = std::move(tmp);
    } else {
        r->mFile = std::make_unique<QFile>(path);
        r->mPath = path;
        if (!r->mFile->open(QIODevice::ReadWrite | QIODevice::Truncate))
            return makeError(QStringLiteral("%1: cannot write the logits file: %2")
                                 .arg(native(path), r->mFile->errorString()));
    }
    r->mWindows = windows;
    r->mWindowLength = windowLength;
    r->mVocab = vocab;
    r->mTokensHash = tokensHash;
    r->mRowBytes = rowBytes(vocab);
    const qint64 size = kHeaderBytes + qint64(windows) * (windowLength - 1) * r->mRowBytes;
    if (!r->mFile->resize(size))
        return makeError(QStringLiteral("%1: cannot size the logits file to %2 MB: %3")
                             .arg(native(r->mPath))
                             .arg(size / 1e6, 0, 'f', 0)
                             .arg(r->mFile->errorString()));
    r->mMap = r->mFile->map(0, size);
    if (!r->mMap)
        return makeError(QStringLiteral("%1: cannot map the logits file: %2")
                             .arg(native(r->mPath), r->mFile->errorString()));
    Header h {};
    std::memcpy(h.magic, kMagic, sizeof kMagic);
    h.vocab = quint32(vocab);
    h.windowLength = quint32(windowLength);
    h.windows = quint32(windows);
    h.complete = 0;
    h.tokensHash = tokensHash;
    std::memset(r->mMap, 0, kHeaderBytes);
    std::memcpy(r->mMap, &h, sizeof h);
    return r;
}

Expected<std::unique_ptr<LogitReference>> LogitReference::open(const QString &path)
{
    std::unique_ptr<LogitReference> r(new LogitReference);
    r->mFile = std::make_unique<QFile>(path);
    r->mPath = path;
    if (!r->mFile->open(QIODevice::ReadOnly))
        return makeError(
            QStringLiteral("%1: cannot read the logits file: %2").arg(native(path), r->mFile->errorString()));
    const qint64 size = r->mFile->size();
    Header h {};
    if (size < kHeaderBytes || r->mFile->read(reinterpret_cast<char *>(&h), sizeof h) != qint64(sizeof h)
        || std::memcmp(h.magic, kMagic, sizeof kMagic) != 0)
        return makeError(
            QStringLiteral("%1: not a logits file (lqer eval/quantize --save-logits writes them)")
                .arg(native(path)));
    if (h.vocab < 2 || h.windowLength < 2 || h.windows < 1)
        return makeError(
            QStringLiteral("%1: logits file with an empty shape (%2 windows x %3 tokens, vocab %4)")
                .arg(native(path))
                .arg(h.windows)
                .arg(h.windowLength)
                .arg(h.vocab));
    r->mVocab = int(h.vocab);
    r->mWindowLength = int(h.windowLength);
    r->mWindows = int(h.windows);
    r->mTokensHash = h.tokensHash;
    r->mRowBytes = rowBytes(r->mVocab);
    const qint64 expected = kHeaderBytes + qint64(r->mWindows) * (r->mWindowLength - 1) * r->mRowBytes;
    if (size != expected)
        return makeError(
            QStringLiteral("%1: logits file of %2 bytes, %3 expected for %4 windows x %5 tokens, "
                           "vocab %6 (truncated?)")
                .arg(native(path))
                .arg(size)
                .arg(expected)
                .arg(r->mWindows)
                .arg(r->mWindowLength)
                .arg(r->mVocab));
    if (h.complete != 1)
        return makeError(QStringLiteral("%1: the logits file is incomplete (its FP32 pass did not finish)")
                             .arg(native(path)));
    r->mMap = r->mFile->map(0, size);
    if (!r->mMap)
        return makeError(
            QStringLiteral("%1: cannot map the logits file: %2").arg(native(path), r->mFile->errorString()));
    return r;
}

uchar *LogitReference::rowPointer(int window, int position) const
{
    return mMap + kHeaderBytes + (qint64(window) * (mWindowLength - 1) + position) * mRowBytes;
}

void LogitReference::writeRow(int window, int position, const float *logits, double logSumExp, double nll)
{
    uchar *p = rowPointer(window, position);
    const float *end = logits + mVocab;
    const float *best = std::max_element(logits, end); // first maximum, as argmax elsewhere
    const float maxLogp = float(double(*best) - logSumExp);
    const float minLogp = maxLogp - kClampNats;
    const float step = kClampNats / 65535.0f;
    const int32_t argmax = int32_t(best - logits);
    const quint32 zero = 0;
    std::memcpy(p, &nll, 8);
    std::memcpy(p + 8, &minLogp, 4);
    std::memcpy(p + 12, &step, 4);
    std::memcpy(p + 16, &argmax, 4);
    std::memcpy(p + 20, &zero, 4);
    auto *codes = reinterpret_cast<quint16 *>(p + kRowHeaderBytes);
    for (int i = 0; i < mVocab; ++i) {
        const double logp = double(logits[i]) - logSumExp;
        const double c = std::round((logp - double(minLogp)) / double(step));
        codes[i] = quint16(std::clamp(c, 0.0, 65535.0));
    }
}

Status LogitReference::finish()
{
    const quint32 one = 1;
    std::memcpy(mMap + 20, &one, 4);
    if (!mFile->flush())
        return makeError(
            QStringLiteral("%1: cannot write the logits file: %2").arg(native(mPath), mFile->errorString()));
    return Status::success();
}

LogitReference::Row LogitReference::compare(int window, int position, const float *logits, int vocab,
                                            double logSumExp) const
{
    const uchar *p = rowPointer(window, position);
    Row row;
    float minLogp = 0, step = 0;
    std::memcpy(&row.nll, p, 8);
    std::memcpy(&minLogp, p + 8, 4);
    std::memcpy(&step, p + 12, 4);
    std::memcpy(&row.argmax, p + 16, 4);
    const auto *codes = reinterpret_cast<const quint16 *>(p + kRowHeaderBytes);
    const int n = std::min(vocab, mVocab);
    // The stored distribution, renormalised (the codes round each log-probability), so that the
    // KL of a distribution against itself is zero up to that rounding.
    double z = 0;
    for (int i = 0; i < n; ++i)
        z += std::exp(double(minLogp) + double(codes[i]) * double(step));
    const double logZ = std::log(z);
    double kl = 0;
    for (int i = 0; i < n; ++i) {
        const double logp = double(minLogp) + double(codes[i]) * double(step) - logZ;
        const double logq = double(logits[i]) - logSumExp;
        kl += std::exp(logp) * (logp - logq);
    }
    row.kl = std::max(0.0, kl);
    const float *best = std::max_element(logits, logits + vocab);
    row.top1 = int32_t(best - logits) == row.argmax;
    return row;
}

double LogitReference::storedNll(int window, int position) const
{
    double nll = 0;
    std::memcpy(&nll, rowPointer(window, position), 8);
    return nll;
}

Status LogitReference::checkMatches(int windows, int windowLength, int vocab, quint64 tokensHash) const
{
    if (windows != mWindows || windowLength != mWindowLength || vocab != mVocab)
        return makeError(
            QStringLiteral("%1: the logits were saved on %2 windows x %3 tokens (vocab %4); this run "
                           "scores %5 windows x %6 tokens (vocab %7): use the same text, "
                           "--seq-len and --windows")
                .arg(native(mPath))
                .arg(mWindows)
                .arg(mWindowLength)
                .arg(mVocab)
                .arg(windows)
                .arg(windowLength)
                .arg(vocab));
    if (tokensHash != mTokensHash)
        return makeError(QStringLiteral("%1: the logits were saved on another text (its tokens differ)")
                             .arg(native(mPath)));
    return Status::success();
}

} // namespace lqer
