#include "calibration.h"

#include "core/common/cluster.h"
#include "core/common/parallel.h"
#include "core/common/wire.h"

#include <QDataStream>
#include <QDir>
#include <QElapsedTimer>
#include <QIODevice>

#include <map>
#include <mutex>
#include <vector>

namespace lqer {

namespace {

// What one sample contributed to one linear's statistics.
struct Partial
{
    bool seen = false;
    qint64 tokens = 0;
    VectorD meanAbs; // mean over the sample's tokens of |x_i|
    VectorD sumSquares; // sum over the sample's tokens of x_i^2
    MatrixRMd gram; // lower triangle of sum x x^T, only with gram
};

using SamplePartials = std::vector<Partial>; // per linear of the model

// Collects the statistics per sample and folds the samples in sample order (0, 1, 2, ...),
// whatever order the threads (or the ranks under mpirun) finish them in: sums of doubles
// depend on their order, so one fixed order makes the statistics the same bit for bit on
// any number of threads and ranks. A sample waits only until the samples before it are folded.
class StatsObserver
{
public:
    StatsObserver(const Transformer &model, const QStringList &layers, bool gram)
        : mWanted(size_t(model.linearCount()), layers.isEmpty())
        , mGram(gram)
        , mAcc(size_t(model.linearCount()))
    {
        for (const QString &name : layers)
            mWanted[size_t(model.linearIndex(name))] = true;
        for (int i = 0; i < model.linearCount(); ++i) {
            Acc &a = mAcc[size_t(i)];
            const qint64 m = model.linearWeight(i).cols();
            a.meanAbsMax = VectorD::Zero(m);
            a.sumSquares = VectorD::Zero(m);
            if (gram && mWanted[size_t(i)])
                a.gram = MatrixRMd::Zero(m, m);
        }
    }

    bool wants(int index) const { return mWanted[size_t(index)]; }

    // One sample's contribution to linear `index` (called from that sample's forward pass).
    Partial measure(const MatrixRM &x) const
    {
        const qint64 T = x.rows(), m = x.cols();
        Partial p;
        p.seen = true;
        p.tokens = T;
        VectorD absSum = VectorD::Zero(m);
        p.sumSquares = VectorD::Zero(m);
        for (qint64 t = 0; t < T; ++t) {
            const float *row = x.data() + t * m;
            for (qint64 i = 0; i < m; ++i) {
                const double v = row[i];
                absSum[i] += std::abs(v);
                p.sumSquares[i] += v * v;
            }
        }
        p.meanAbs = absSum / double(T);
        if (mGram) {
            // Only the lower triangle (symmetric rank-T update: half the FLOPs); take() mirrors it.
            const MatrixRMd xd = x.cast<double>();
            p.gram = MatrixRMd::Zero(m, m);
            p.gram.selfadjointView<Eigen::Lower>().rankUpdate(xd.transpose());
        }
        return p;
    }

    // Sample `sample` is complete: fold it, and every later one already waiting, in order.
    void sampleDone(int sample, SamplePartials partials)
    {
        std::lock_guard<std::mutex> lock(mFoldMutex);
        mWaiting.emplace(sample, std::move(partials));
        for (auto it = mWaiting.find(mNextToFold); it != mWaiting.end(); it = mWaiting.find(mNextToFold)) {
            fold(it->second);
            mWaiting.erase(it);
            ++mNextToFold;
        }
    }

    LayerStats take(int index, const QString &name)
    {
        Acc &a = mAcc[size_t(index)];
        LayerStats s;
        s.layer = name;
        s.samples = a.samples;
        s.tokens = a.tokens;
        s.meanAbsMax = std::move(a.meanAbsMax);
        s.sumSquares = std::move(a.sumSquares);
        if (mGram && a.gram.size() > 0) {
            a.gram.triangularView<Eigen::StrictlyUpper>() = a.gram.transpose();
            s.gram = std::move(a.gram);
        }
        return s;
    }

    // Samples folded so far: the index the next one in order has.
    int foldedSamples()
    {
        std::lock_guard<std::mutex> lock(mFoldMutex);
        return mNextToFold;
    }

private:
    void fold(const SamplePartials &partials)
    {
        for (size_t i = 0; i < partials.size(); ++i) {
            const Partial &p = partials[i];
            if (!p.seen)
                continue;
            Acc &a = mAcc[i];
            a.meanAbsMax = a.meanAbsMax.cwiseMax(p.meanAbs);
            a.sumSquares += p.sumSquares;
            if (mGram)
                a.gram += p.gram;
            a.samples += 1;
            a.tokens += p.tokens;
        }
    }

    struct Acc
    {
        VectorD meanAbsMax, sumSquares;
        MatrixRMd gram;
        qint64 samples = 0, tokens = 0;
    };
    std::vector<bool> mWanted;
    bool mGram;
    std::vector<Acc> mAcc;
    std::mutex mFoldMutex;
    std::map<int, SamplePartials> mWaiting; // complete samples waiting for earlier ones
    int mNextToFold = 0;
};

// The forward pass of one sample: hands each observed linear input to the shared observer.
class SampleObserver : public LinearObserver
{
public:
    SampleObserver(const StatsObserver &stats, int linears)
        : mStats(stats)
        , mPartials(size_t(linears))
    { }

    bool wants(int index) const override { return mStats.wants(index); }

    Status observe(int index, const MatrixRM &x) override
    {
        Partial p = mStats.measure(x);
        std::lock_guard<std::mutex> lock(mMutex);
        mPartials[size_t(index)] = std::move(p);
        return Status::success();
    }

    SamplePartials take() { return std::move(mPartials); }

private:
    const StatsObserver &mStats;
    std::mutex mMutex;
    SamplePartials mPartials;
};

// Per-sample statistics as bytes (a worker rank's samples, in order, for the root).
void writePartials(QDataStream &s, const SamplePartials &partials)
{
    s << qint32(partials.size());
    for (const Partial &p : partials) {
        s << p.seen << qint64(p.tokens);
        if (!p.seen)
            continue;
        wire::writeMatrix(s, p.meanAbs);
        wire::writeMatrix(s, p.sumSquares);
        wire::writeMatrix(s, p.gram);
    }
}

bool readPartials(QDataStream &s, SamplePartials &partials, int linears)
{
    qint32 n = 0;
    s >> n;
    if (n != linears)
        return false;
    partials.assign(size_t(n), Partial());
    for (Partial &p : partials) {
        qint64 tokens = 0;
        s >> p.seen >> tokens;
        p.tokens = tokens;
        if (p.seen
            && (!wire::readMatrix(s, p.meanAbs) || !wire::readMatrix(s, p.sumSquares)
                || !wire::readMatrix(s, p.gram)))
            return false;
    }
    return s.status() == QDataStream::Ok;
}

QDataStream &prepared(QDataStream &s)
{
    s.setVersion(QDataStream::Qt_6_0);
    s.setFloatingPointPrecision(QDataStream::DoublePrecision);
    return s;
}

// The root's statistics for every rank: 'S' and the layers, or 'E' and the first error.
QByteArray encodeStats(const StatsMap &stats)
{
    QByteArray bytes(1, 'S');
    QDataStream s(&bytes, QIODevice::Append);
    prepared(s) << qint32(stats.size());
    for (const LayerStats &l : stats) {
        s << l.layer << qint64(l.samples) << qint64(l.tokens);
        wire::writeMatrix(s, l.meanAbsMax);
        wire::writeMatrix(s, l.sumSquares);
        wire::writeMatrix(s, l.gram);
    }
    return bytes;
}

Expected<StatsMap> decodeStats(const QByteArray &bytes)
{
    if (bytes.startsWith('E'))
        return makeError(QString::fromUtf8(bytes.mid(1)));
    QDataStream s(bytes.mid(1));
    qint32 n = 0;
    prepared(s) >> n;
    StatsMap stats;
    for (qint32 i = 0; i < n && s.status() == QDataStream::Ok; ++i) {
        LayerStats l;
        qint64 samples = 0, tokens = 0;
        s >> l.layer >> samples >> tokens;
        l.samples = samples;
        l.tokens = tokens;
        if (!wire::readMatrix(s, l.meanAbsMax) || !wire::readMatrix(s, l.sumSquares)
            || !wire::readMatrix(s, l.gram))
            break;
        stats.insert(l.layer, std::move(l));
    }
    if (!bytes.startsWith('S') || s.status() != QDataStream::Ok || stats.size() != n)
        return makeError(QStringLiteral("the calibration statistics from rank 0 are damaged"));
    return stats;
}

// Under mpirun: rank r calibrates samples [first(r), first(r + 1)), contiguous, so the root
// folds its own samples as they finish and then each rank's in rank order: sample order.
int firstSampleOf(int rank, int ranks, int samples)
{
    return int(qint64(samples) * rank / ranks);
}

// The statistics of the layers asked for, from the folded samples.
StatsMap collectStats(StatsObserver &observer, const Transformer &model)
{
    StatsMap stats;
    for (int i = 0; i < model.linearCount(); ++i)
        if (observer.wants(i))
            stats.insert(model.linearName(i), observer.take(i, model.linearName(i)));
    return stats;
}

// Under mpirun, after every rank ran its samples (`local`: how that went): the workers send
// their per-sample partials to the root, which folds them in sample order after its own and
// sends the statistics (or the first error) back to every rank. Every rank returns the same.
Expected<StatsMap> combineRanks(StatsObserver &observer, const Transformer &model, const Status &local,
                                std::vector<SamplePartials> kept, const ProgressFn &progress)
{
    Cluster &cluster = Cluster::world();
    if (!cluster.isRoot()) {
        QByteArray message(1, local ? 'P' : 'E');
        if (local) {
            QDataStream s(&message, QIODevice::Append);
            prepared(s) << qint32(kept.size());
            for (const SamplePartials &p : kept)
                writePartials(s, p);
        } else {
            message += QStringLiteral("%1: %2").arg(cluster.describe(), local.error()).toUtf8();
        }
        kept.clear();
        if (Status st = cluster.send(0, kTagCalibration, message); !st)
            return makeError(QStringLiteral("%1: %2").arg(cluster.describe(), st.error()));
        QByteArray answer;
        if (Status st = cluster.broadcast(answer); !st)
            return makeError(QStringLiteral("%1: %2").arg(cluster.describe(), st.error()));
        auto stats = decodeStats(answer);
        if (!stats)
            cluster.setErrorReported(); // the root prints it and ends the job
        return stats;
    }
    QString error = local ? QString() : local.error();
    for (int r = 1; r < cluster.size(); ++r) {
        auto bytes = cluster.receive(r, kTagCalibration, nullptr, [&]() {
            return reportProgress(progress, 1.0, QStringLiteral("waiting for rank %1").arg(r));
        });
        if (!bytes)
            return makeError(bytes.error()); // cancelled: the command ends every rank
        if (!error.isEmpty())
            continue;
        if (bytes->startsWith('E')) {
            error = QString::fromUtf8(bytes->mid(1));
            continue;
        }
        QDataStream s(bytes->mid(1));
        qint32 n = 0;
        prepared(s) >> n;
        for (qint32 i = 0; i < n && error.isEmpty(); ++i) {
            SamplePartials partials;
            if (!readPartials(s, partials, model.linearCount()))
                error = QStringLiteral("the calibration statistics from rank %1 are damaged").arg(r);
            else
                observer.sampleDone(observer.foldedSamples(), std::move(partials));
        }
    }
    QByteArray answer;
    StatsMap stats;
    if (error.isEmpty()) {
        stats = collectStats(observer, model);
        answer = encodeStats(stats);
    } else {
        answer = QByteArray(1, 'E') + error.toUtf8();
    }
    if (Status st = cluster.broadcast(answer); !st && error.isEmpty())
        error = st.error();
    if (!error.isEmpty())
        return makeError(error);
    return stats;
}

} // namespace

int defaultWindowLength(const ModelConfig &config)
{
    return std::min(2048, config.maxPositions);
}

Expected<QList<TokenIds>> calibrationSamples(const TokenIds &tokens, int count, int length,
                                             const QString &textName)
{
    if (length < 2)
        return makeError(
            QStringLiteral("calibration window length %1 is too short (at least 2)").arg(length));
    if (count < 1)
        return makeError(
            QStringLiteral("the number of calibration samples must be positive (got %1)").arg(count));
    const qint64 available = qint64(tokens.size()) / length;
    if (available < 1)
        return makeError(QStringLiteral("%1: %2 tokens is shorter than one calibration window of %3 tokens")
                             .arg(QDir::toNativeSeparators(textName))
                             .arg(tokens.size())
                             .arg(length));
    QList<TokenIds> samples;
    for (qint64 i = 0; i < std::min<qint64>(count, available); ++i)
        samples.append(TokenIds(tokens.begin() + i * length, tokens.begin() + (i + 1) * length));
    return samples;
}

Expected<CalibrationResult> calibrate(const CalibrationConfig &config, const ProgressFn &progress)
{
    if (!config.model)
        return makeError(QStringLiteral("calibration: no model"));
    const Transformer &model = *config.model;
    if (config.samples.isEmpty())
        return makeError(QStringLiteral("calibration: no samples"));
    for (const QString &name : config.layers)
        if (model.linearIndex(name) < 0)
            return makeError(
                QStringLiteral("calibration: %1 has no decoder linear '%2'").arg(model.source(), name));
    QElapsedTimer timer;
    timer.start();
    StatsObserver observer(model, config.layers, config.gram);
    const Cluster &cluster = Cluster::world();
    const int total = int(config.samples.size());
    const int first = firstSampleOf(cluster.rank(), cluster.size(), total);
    const int count = firstSampleOf(cluster.rank() + 1, cluster.size(), total) - first;
    // A worker rank keeps its samples' partials (in order) for the root.
    std::vector<SamplePartials> kept(cluster.isRoot() ? 0 : size_t(count));
    Status s = runParallel(
        count, config.threads,
        [&](int i) -> Status {
            const TokenIds &sample = config.samples.at(first + i);
            SampleObserver sampleObserver(observer, model.linearCount());
            ForwardOptions options;
            options.observer = &sampleObserver;
            options.useQuantized = false; // statistics of the full-precision model
            Expected<MatrixRM> h = model.forward(sample.data(), int(sample.size()), options);
            if (!h)
                return makeError(QStringLiteral("calibration sample %1: %2").arg(first + i).arg(h.error()));
            if (cluster.isRoot())
                observer.sampleDone(i, sampleObserver.take());
            else
                kept[size_t(i)] = sampleObserver.take();
            return Status::success();
        },
        progress, QStringLiteral("calibrating"));
    if (cluster.distributed()) {
        auto stats = combineRanks(observer, model, s, std::move(kept), progress);
        if (!stats)
            return Error {stats.error()};
        CalibrationResult result;
        result.stats = std::move(*stats);
        result.samples = total;
        for (const TokenIds &t : config.samples)
            result.tokens += qint64(t.size());
        result.seconds = timer.elapsed() / 1000.0;
        return result;
    }
    if (!s)
        return makeError(s.error());
    CalibrationResult result;
    result.stats = collectStats(observer, model);
    result.samples = config.samples.size();
    for (const TokenIds &t : config.samples)
        result.tokens += qint64(t.size());
    result.seconds = timer.elapsed() / 1000.0;
    return result;
}

} // namespace lqer
