#include "outputerror.h"

#include "core/common/parallel.h"

#include <cmath>
#include <mutex>

namespace lqer {

void accumulateOutputError(const MatrixRM &x, const MatrixRM &w, const QuantizedLinear &q,
                           OutputErrorAccumulator &acc)
{
    const MatrixRM y = x * w.transpose();
    // X (W − Ŵ)ᵀ = X (W − Wq)ᵀ − (X A) B
    MatrixRM d = x * (w - q.dequantizedWeight()).transpose();
    if (q.rank() > 0)
        d.noalias() -= (x * q.a) * q.b;
    acc.errorSquared += double(d.cast<double>().squaredNorm());
    acc.outputSquared += double(y.cast<double>().squaredNorm());
}

namespace {

class ErrorObserver : public LinearObserver
{
public:
    explicit ErrorObserver(const Transformer &model)
        : mModel(model)
        , mAcc(size_t(model.linearCount()))
    { }

    bool wants(int index) const override { return mModel.quantizedLinear(index) != nullptr; }

    Status observe(int index, const MatrixRM &x) override
    {
        OutputErrorAccumulator local;
        const WeightMatrix &w = mModel.linearWeight(index);
        // Owned weights are used in place; a mapped view is converted for this call only.
        MatrixRM converted;
        const MatrixRM &weights = w.isMapped() ? (converted = w.toMatrix()) : w.owned();
        accumulateOutputError(x, weights, *mModel.quantizedLinear(index), local);
        std::lock_guard<std::mutex> lock(mMutex);
        mAcc[size_t(index)].errorSquared += local.errorSquared;
        mAcc[size_t(index)].outputSquared += local.outputSquared;
        return Status::success();
    }

    const OutputErrorAccumulator &at(int index) const { return mAcc[size_t(index)]; }

private:
    const Transformer &mModel;
    std::mutex mMutex;
    std::vector<OutputErrorAccumulator> mAcc;
};

} // namespace

Expected<QMap<QString, double>> outputErrorProxy(const Transformer &model, const QList<TokenIds> &samples,
                                                 int threads, const ProgressFn &progress)
{
    if (model.quantizedLinearCount() == 0)
        return makeError(
            QStringLiteral("output error: %1 has no quantized linears installed").arg(model.source()));
    if (samples.isEmpty())
        return makeError(QStringLiteral("output error: no samples"));
    ErrorObserver observer(model);
    ForwardOptions options;
    options.observer = &observer;
    options.useQuantized = false; // X is what the full-precision model feeds each layer
    Status s = runParallel(
        int(samples.size()), threads,
        [&](int i) -> Status {
            Expected<MatrixRM> h = model.forward(samples.at(i).data(), int(samples.at(i).size()), options);
            return h ? Status::success()
                     : Status(makeError(QStringLiteral("sample %1: %2").arg(i).arg(h.error())));
        },
        progress, QStringLiteral("output error"));
    if (!s)
        return makeError(s.error());
    QMap<QString, double> result;
    for (int i = 0; i < model.linearCount(); ++i) {
        if (!model.quantizedLinear(i))
            continue;
        const double relative = observer.at(i).relative();
        if (!std::isfinite(relative))
            return makeError(
                QStringLiteral("%1: output error is NaN or Inf (output-error proxy on %2 samples)")
                    .arg(model.linearName(i))
                    .arg(samples.size()));
        result.insert(model.linearName(i), relative);
    }
    return result;
}

} // namespace lqer
