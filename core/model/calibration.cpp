#include "calibration.h"

#include "core/common/parallel.h"

#include <QDir>
#include <QElapsedTimer>

#include <mutex>

namespace lqer {

namespace {

class StatsObserver : public LinearObserver
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

    bool wants(int index) const override { return mWanted[size_t(index)]; }

    Status observe(int index, const MatrixRM &x) override
    {
        const qint64 T = x.rows(), m = x.cols();
        // Per-sample sums in double, computed outside the lock.
        VectorD absSum = VectorD::Zero(m), sq = VectorD::Zero(m);
        for (qint64 t = 0; t < T; ++t) {
            const float *row = x.data() + t * m;
            for (qint64 i = 0; i < m; ++i) {
                const double v = row[i];
                absSum[i] += std::abs(v);
                sq[i] += v * v;
            }
        }
        MatrixRMd g;
        if (mGram) {
            // Only the lower triangle (symmetric rank-T update: half the FLOPs); take() mirrors it.
            const MatrixRMd xd = x.cast<double>();
            g = MatrixRMd::Zero(m, m);
            g.selfadjointView<Eigen::Lower>().rankUpdate(xd.transpose());
        }
        Acc &a = mAcc[size_t(index)];
        std::lock_guard<std::mutex> lock(a.mutex);
        a.meanAbsMax = a.meanAbsMax.cwiseMax(absSum / double(T));
        a.sumSquares += sq;
        if (mGram)
            a.gram += g;
        a.samples += 1;
        a.tokens += T;
        return Status::success();
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
        qint64 samples = 0, tokens = 0;
    };
    std::vector<bool> mWanted;
    bool mGram;
    std::vector<Acc> mAcc;
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
    StatsObserver observer(model, config.layers, config.gram);
    ForwardOptions options;
    options.observer = &observer;
    options.useQuantized = false; // statistics of the full-precision model
    Status s = runParallel(
        int(config.samples.size()), config.threads,
        [&](int i) -> Status {
            const TokenIds &sample = config.samples.at(i);
            Expected<MatrixRM> h = model.forward(sample.data(), int(sample.size()), options);
            if (!h)
                return makeError(QStringLiteral("calibration sample %1: %2").arg(i).arg(h.error()));
            return Status::success();
        },
        progress, QStringLiteral("calibrating"));
    if (!s)
        return makeError(s.error());
    CalibrationResult result;
    for (int i = 0; i < model.linearCount(); ++i) {
        if (!observer.wants(i))
            continue;
        result.stats.insert(model.linearName(i), observer.take(i, model.linearName(i)));
    }
    result.samples = config.samples.size();
    for (const TokenIds &t : config.samples)
        result.tokens += qint64(t.size());
    result.seconds = timer.elapsed() / 1000.0;
    return result;
}

} // namespace lqer
