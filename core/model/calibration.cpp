#include "calibration.h"

#include "core/common/parallel.h"

#include <QDir>
#include <QElapsedTimer>

#include <map>
#include <mutex>

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
    StatsCollector(const Transformer &model, const QStringList &layers, bool gram)
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

// The observer of one sample's pass: hands each wanted linear's input to the collector.
class SampleObserver : public LinearObserver
{
public:
    SampleObserver(StatsCollector &collector, int sample)
        : mCollector(collector)
        , mSample(sample)
    { }
    bool wants(int index) const override { return mCollector.wants(index); }
    Status observe(int index, const MatrixRM &x) override
    {
        mCollector.add(index, mSample, mCollector.measure(x));
        return Status::success();
    }

private:
    StatsCollector &mCollector;
    int mSample;
};

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
    StatsCollector collector(model, config.layers, config.gram);
    const int count = int(config.samples.size());
    // Block by block (as layer-wise quantization pipelines calibrate): every sample's hidden
    // states go through decoder block i before any enters block i + 1, so each block's weights
    // are read once for all samples, not once per sample. Memory: the hidden states of all
    // samples (samples x tokens x hidden) plus one block's temporaries per thread.
    std::vector<MatrixRM> hidden(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) {
        const TokenIds &sample = config.samples.at(i);
        Expected<MatrixRM> x = model.embedTokens(sample.data(), int(sample.size()));
        if (!x)
            return makeError(QStringLiteral("calibration sample %1: %2").arg(i).arg(x.error()));
        hidden[size_t(i)] = std::move(*x);
    }
    const int blocks = model.blockCount();
    for (int block = 0; block < blocks; ++block) {
        const ProgressFn blockProgress = [&](double fraction, const QString &message) {
            return reportProgress(progress, (block + fraction) / blocks, message);
        };
        Status s = runParallel(
            count, config.threads,
            [&](int i) -> Status {
                SampleObserver observer(collector, i);
                ForwardOptions options;
                options.observer = &observer;
                options.useQuantized = false; // statistics of the full-precision model
                if (Status st = model.forwardBlock(block, hidden[size_t(i)], options); !st)
                    return makeError(QStringLiteral("calibration sample %1: %2").arg(i).arg(st.error()));
                return Status::success();
            },
            progress ? blockProgress : ProgressFn(),
            QStringLiteral("calibrating block %1 of %2").arg(block + 1).arg(blocks));
        if (!s)
            return makeError(s.error());
    }
    hidden.clear();
    CalibrationResult result;
    for (int i = 0; i < model.linearCount(); ++i) {
        if (!collector.wants(i))
            continue;
        result.stats.insert(model.linearName(i), collector.take(i, model.linearName(i)));
    }
    result.samples = config.samples.size();
    for (const TokenIds &t : config.samples)
        result.tokens += qint64(t.size());
    result.seconds = timer.elapsed() / 1000.0;
    return result;
}

} // namespace lqer
