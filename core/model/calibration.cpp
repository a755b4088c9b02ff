#include "calibration.h"

#include "core/common/cluster.h"
#include "core/common/parallel.h"
#include "core/common/wire.h"

#include <QDataStream>
#include <QDir>
#include <QElapsedTimer>
#include <QIODevice>

#include <algorithm>
#include <functional>
#include <map>
#include <mutex>
#include <vector>

namespace lqer {

namespace {

// One sample's statistics of one linear's input.
struct Partial
{
    VectorD meanAbs; // mean over the sample's tokens of |x_i|
    VectorD sumSquares;
    MatrixRMd gram; // lower triangle only (empty without the Gram matrix)
    qint64 tokens = 0;
};

// Collects the statistics of every wanted linear. Partials arrive from worker threads in any
// order and are folded in SAMPLE order (a partial waits until every earlier sample's partial
// of that linear is in), so the double sums are the same for any number of threads: the
// calibration is bit-identical run to run. Samples are dispatched in order, so only about one
// partial per thread waits at a time.
class StatsCollector
{
public:
    // `folds`: this process adds the partials up (one process, or the root under mpirun); a
    // worker rank only measures them for the root and allocates no sums.
    StatsCollector(const Transformer &model, const QStringList &layers, bool gram, bool folds)
        : mWanted(size_t(model.linearCount()), layers.isEmpty())
        , mGram(gram)
        , mAcc(size_t(model.linearCount()))
    {
        for (const QString &name : layers)
            mWanted[size_t(model.linearIndex(name))] = true;
        for (int i = 0; folds && i < model.linearCount(); ++i) {
            Acc &a = mAcc[size_t(i)];
            const qint64 m = model.linearWeight(i).cols();
            a.meanAbsMax = VectorD::Zero(m);
            a.sumSquares = VectorD::Zero(m);
            if (gram && mWanted[size_t(i)])
                a.gram = MatrixRMd::Zero(m, m);
        }
    }

    bool wants(int index) const { return mWanted[size_t(index)]; }

    // The sums of one sample's input `x` (tokens x features), computed outside any lock.
    Partial measure(const MatrixRM &x) const
    {
        const qint64 T = x.rows(), m = x.cols();
        Partial p;
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

    void add(int index, int sample, Partial &&partial)
    {
        Acc &a = mAcc[size_t(index)];
        std::lock_guard<std::mutex> lock(a.mutex);
        a.pending.emplace(sample, std::move(partial));
        while (!a.pending.empty() && a.pending.begin()->first == a.samples) {
            Partial &p = a.pending.begin()->second;
            a.meanAbsMax = a.meanAbsMax.cwiseMax(p.meanAbs);
            a.sumSquares += p.sumSquares;
            if (mGram)
                a.gram += p.gram;
            a.tokens += p.tokens;
            a.samples += 1;
            a.pending.erase(a.pending.begin());
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

private:
    struct Acc
    {
        std::mutex mutex;
        VectorD meanAbsMax, sumSquares;
        MatrixRMd gram;
        qint64 samples = 0, tokens = 0; // samples folded so far = the next sample to fold
        std::map<int, Partial> pending;
    };
    std::vector<bool> mWanted;
    bool mGram;
    std::vector<Acc> mAcc;
};

// Where one sample's partials go: the collector (one process, and the root), or a worker
// rank's list for the root.
using PartialSink = std::function<void(int linear, int sample, Partial &&partial)>;

// The observer of one sample's pass: measures each wanted linear's input for the sink.
class SampleObserver : public LinearObserver
{
public:
    SampleObserver(const StatsCollector &collector, const PartialSink &sink, int sample)
        : mCollector(collector)
        , mSink(sink)
        , mSample(sample)
    { }
    bool wants(int index) const override { return mCollector.wants(index); }
    Status observe(int index, const MatrixRM &x) override
    {
        mSink(index, mSample, mCollector.measure(x));
        return Status::success();
    }

private:
    const StatsCollector &mCollector;
    const PartialSink &mSink;
    int mSample;
};

// ---------------------------------------------------------------------------------------
// Under mpirun (core/common/cluster.h): rank r calibrates samples [first(r), first(r + 1)),
// block by block in step with the others. After each block every worker sends that block's
// per-sample partials to the root in sample order, in messages of at most kPartialsMessageBytes
// (a larger partial alone), then 'C' (or 'E' and its error). The root takes the ranks in
// order and folds each message as it arrives, so the sums are added in sample order, as one
// process adds them, and the root holds its sums plus one message (about two partials with
// --gram), never a rank's whole block. It then answers every rank 'C' (go on) or 'E' and the
// first error. After the last block it sends every rank the statistics, one linear at a time.
// Memory per worker: one block's partials.

int firstSampleOf(int rank, int ranks, int samples)
{
    return int(qint64(samples) * rank / ranks);
}

struct Tagged
{
    int linear = 0;
    int sample = 0;
    Partial partial;
};

constexpr qint64 kPartialsMessageBytes = qint64(16) << 20;

qint64 encodedBytes(const Partial &p)
{
    return 8 * (qint64(p.meanAbs.size()) + p.sumSquares.size() + p.gram.size()) + 64;
}

// The partials [first, last) in one 'P' message; their matrices are freed as they are encoded.
QByteArray encodePartials(std::vector<Tagged>::iterator first, std::vector<Tagged>::iterator last)
{
    qint64 size = 5;
    for (auto t = first; t != last; ++t)
        size += encodedBytes(t->partial);
    QByteArray bytes(1, 'P');
    bytes.reserve(qsizetype(size)); // one allocation, not a doubling copy of a large Gram matrix
    QDataStream s(&bytes, QIODevice::Append);
    wire::prepared(s) << qint32(last - first);
    for (auto t = first; t != last; ++t) {
        s << qint32(t->linear) << qint32(t->sample) << qint64(t->partial.tokens);
        wire::writeMatrix(s, t->partial.meanAbs);
        wire::writeMatrix(s, t->partial.sumSquares);
        wire::writeMatrix(s, t->partial.gram);
        t->partial = Partial();
    }
    return bytes;
}

// A worker's block for the root: its partials in sample order, then 'C'. Empties `partials`.
Status sendPartials(const Cluster &cluster, std::vector<Tagged> &partials)
{
    std::sort(partials.begin(), partials.end(), [](const Tagged &a, const Tagged &b) {
        return a.sample != b.sample ? a.sample < b.sample : a.linear < b.linear;
    });
    for (auto first = partials.begin(); first != partials.end();) {
        auto last = first;
        qint64 bytes = 0;
        do
            bytes += encodedBytes((last++)->partial);
        while (last != partials.end() && bytes + encodedBytes(last->partial) <= kPartialsMessageBytes);
        if (Status st = cluster.send(0, kTagCalibration, encodePartials(first, last)); !st)
            return st;
        first = last;
    }
    partials.clear();
    return cluster.send(0, kTagCalibration, QByteArray(1, 'C'));
}

// Folds a worker's 'P' message into the collector; false when it is damaged.
bool foldPartials(const QByteArray &bytes, StatsCollector &collector, int linears, int samples)
{
    QDataStream s(bytes); // reads `bytes` in place
    s.skipRawData(1);
    qint32 n = 0;
    wire::prepared(s) >> n;
    for (qint32 i = 0; i < n && s.status() == QDataStream::Ok; ++i) {
        qint32 linear = 0, sample = 0;
        qint64 tokens = 0;
        Partial p;
        s >> linear >> sample >> tokens;
        p.tokens = tokens;
        if (linear < 0 || linear >= linears || sample < 0 || sample >= samples || !collector.wants(linear)
            || !wire::readMatrix(s, p.meanAbs) || !wire::readMatrix(s, p.sumSquares)
            || !wire::readMatrix(s, p.gram))
            return false;
        collector.add(linear, sample, std::move(p));
    }
    return s.status() == QDataStream::Ok && s.atEnd();
}

QByteArray encodeLayerStats(const LayerStats &l)
{
    QByteArray bytes(1, 'S');
    QDataStream s(&bytes, QIODevice::Append);
    wire::prepared(s) << l.layer << qint64(l.samples) << qint64(l.tokens);
    wire::writeMatrix(s, l.meanAbsMax);
    wire::writeMatrix(s, l.sumSquares);
    wire::writeMatrix(s, l.gram);
    return bytes;
}

Expected<LayerStats> decodeLayerStats(const QByteArray &bytes, const QString &layer)
{
    QDataStream s(bytes);
    s.skipRawData(1);
    LayerStats l;
    qint64 samples = 0, tokens = 0;
    wire::prepared(s) >> l.layer >> samples >> tokens;
    l.samples = samples;
    l.tokens = tokens;
    if (!bytes.startsWith('S') || s.status() != QDataStream::Ok || l.layer != layer
        || !wire::readMatrix(s, l.meanAbsMax) || !wire::readMatrix(s, l.sumSquares)
        || !wire::readMatrix(s, l.gram) || !s.atEnd())
        return makeError(
            QStringLiteral("the calibration statistics of %1 from rank 0 are damaged").arg(layer));
    return l;
}

// The end of one block on every rank (`local`: how this rank's block went). Workers send their
// block's partials (or their error) and wait for the root's word; the root folds, and answers.
// Every rank returns the same status.
Status finishBlock(StatsCollector &collector, const Transformer &model, int samples, const Status &local,
                   std::vector<Tagged> &blockPartials, const ProgressFn &progress)
{
    Cluster &cluster = Cluster::world();
    if (!cluster.isRoot()) {
        const Status sent = local
            ? sendPartials(cluster, blockPartials)
            : cluster.send(0, kTagCalibration,
                           QByteArray(1, 'E')
                               + QStringLiteral("%1: %2").arg(cluster.describe(), local.error()).toUtf8());
        blockPartials.clear();
        if (!sent)
            return makeError(QStringLiteral("%1: %2").arg(cluster.describe(), sent.error()));
        QByteArray answer;
        if (Status st = cluster.broadcast(answer); !st)
            return makeError(QStringLiteral("%1: %2").arg(cluster.describe(), st.error()));
        if (answer.startsWith('E')) {
            cluster.setErrorReported(); // the root prints it and ends the job
            return makeError(QString::fromUtf8(answer.mid(1)));
        }
        return Status::success();
    }
    QString error = local ? QString() : local.error();
    for (int r = 1; r < cluster.size(); ++r) {
        // Rank r's messages up to its 'C' or 'E' (after an error only read, to stay in step).
        for (;;) {
            auto bytes = cluster.receive(r, kTagCalibration, nullptr, [&]() {
                return reportProgress(progress, 1.0, QStringLiteral("waiting for rank %1").arg(r));
            });
            if (!bytes)
                return makeError(
                    bytes.error()); // cancelled, or another rank failed: the command ends every rank
            const char kind = bytes->isEmpty() ? '?' : bytes->at(0);
            if (kind == 'E' && error.isEmpty())
                error = QString::fromUtf8(bytes->mid(1));
            if (kind == 'C' || kind == 'E')
                break;
            if (error.isEmpty()
                && (kind != 'P' || !foldPartials(*bytes, collector, model.linearCount(), samples)))
                error = QStringLiteral("the calibration statistics from rank %1 are damaged").arg(r);
        }
    }
    QByteArray answer = error.isEmpty() ? QByteArray(1, 'C') : QByteArray(1, 'E') + error.toUtf8();
    if (Status st = cluster.broadcast(answer); !st && error.isEmpty())
        error = st.error();
    if (!error.isEmpty())
        return makeError(error);
    return Status::success();
}

// The statistics of the layers asked for, from the folded samples.
StatsMap collectStats(StatsCollector &collector, const Transformer &model)
{
    StatsMap stats;
    for (int i = 0; i < model.linearCount(); ++i)
        if (collector.wants(i))
            stats.insert(model.linearName(i), collector.take(i, model.linearName(i)));
    return stats;
}

// After the last block: the root's statistics to every rank, one linear at a time (a rank
// holds the statistics and one linear's message, not a second copy of them all).
Expected<StatsMap> shareStats(StatsCollector &collector, const Transformer &model)
{
    Cluster &cluster = Cluster::world();
    StatsMap stats;
    for (int i = 0; i < model.linearCount(); ++i) {
        if (!collector.wants(i))
            continue;
        const QString name = model.linearName(i);
        QByteArray bytes;
        if (cluster.isRoot()) {
            LayerStats l = collector.take(i, name);
            bytes = encodeLayerStats(l);
            stats.insert(name, std::move(l));
        }
        if (Status st = cluster.broadcast(bytes); !st)
            return makeError(QStringLiteral("%1: %2").arg(cluster.describe(), st.error()));
        if (!cluster.isRoot()) {
            auto l = decodeLayerStats(bytes, name);
            if (!l)
                return makeError(QStringLiteral("%1: %2").arg(cluster.describe(), l.error()));
            stats.insert(name, std::move(*l));
        }
    }
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
    const Cluster &cluster = Cluster::world();
    StatsCollector collector(model, config.layers, config.gram, cluster.isRoot());
    const int total = int(config.samples.size());
    const int first = firstSampleOf(cluster.rank(), cluster.size(), total);
    const int count = firstSampleOf(cluster.rank() + 1, cluster.size(), total) - first;
    // Block by block (as layer-wise quantization pipelines calibrate): every sample's hidden
    // states go through decoder block i before any enters block i + 1, so each block's weights
    // are read once for all samples, not once per sample. Memory: the hidden states of all
    // samples (samples x tokens x hidden) plus one block's temporaries per thread.
    std::vector<MatrixRM> hidden(static_cast<size_t>(count));
    Status local = Status::success();
    for (int i = 0; i < count && local; ++i) {
        const TokenIds &sample = config.samples.at(first + i);
        Expected<MatrixRM> x = model.embedTokens(sample.data(), int(sample.size()));
        if (!x)
            local = makeError(QStringLiteral("calibration sample %1: %2").arg(first + i).arg(x.error()));
        else
            hidden[size_t(i)] = std::move(*x);
    }
    // One process and the root fold partials as they come; a worker keeps a block's for the root.
    std::mutex blockMutex;
    std::vector<Tagged> blockPartials;
    const PartialSink sink = cluster.isRoot()
        ? PartialSink(
            [&](int linear, int sample, Partial &&p) { collector.add(linear, sample, std::move(p)); })
        : PartialSink([&](int linear, int sample, Partial &&p) {
              std::lock_guard<std::mutex> lock(blockMutex);
              blockPartials.push_back(Tagged {linear, sample, std::move(p)});
          });
    const int blocks = model.blockCount();
    for (int block = 0; block < blocks; ++block) {
        const ProgressFn blockProgress = [&](double fraction, const QString &message) {
            return reportProgress(progress, (block + fraction) / blocks, message);
        };
        if (local)
            local = runParallel(
                count, config.threads,
                [&](int i) -> Status {
                    SampleObserver observer(collector, sink, first + i);
                    ForwardOptions options;
                    options.observer = &observer;
                    options.useQuantized = false; // statistics of the full-precision model
                    if (Status st = model.forwardBlock(block, hidden[size_t(i)], options); !st)
                        return makeError(
                            QStringLiteral("calibration sample %1: %2").arg(first + i).arg(st.error()));
                    return Status::success();
                },
                progress ? blockProgress : ProgressFn(),
                QStringLiteral("calibrating block %1 of %2").arg(block + 1).arg(blocks));
        if (cluster.distributed())
            local = finishBlock(collector, model, total, local, blockPartials, blockProgress);
        if (!local)
            return makeError(local.error());
    }
    hidden.clear();
    CalibrationResult result;
    if (cluster.distributed()) {
        auto stats = shareStats(collector, model);
        if (!stats)
            return Error {stats.error()};
        result.stats = std::move(*stats);
    } else {
        result.stats = collectStats(collector, model);
    }
    result.samples = config.samples.size();
    for (const TokenIds &t : config.samples)
        result.tokens += qint64(t.size());
    result.seconds = timer.elapsed() / 1000.0;
    return result;
}

} // namespace lqer
