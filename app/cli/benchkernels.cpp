#include "benchkernels.h"

#include "cli.h"
#include "modelcli.h"
#include "options.h"

#include "core/common/cpufeatures.h"
#include "core/common/parallel.h"
#include "core/eval/perplexity.h"
#include "core/eval/planeval.h"
#include "core/io/safetensors.h"
#include "core/kernels/floatgemm.h"
#include "core/kernels/intgemm.h"
#include "core/plan/planoptions.h"

#include <QElapsedTimer>
#include <QThread>

#include <random>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace lqer::cli {

namespace {

double secondsOf(const QElapsedTimer &t)
{
    return t.nsecsElapsed() * 1e-9;
}

// Runs `work(thread)` on `threads` threads at once and returns the wall time.
double timeParallel(int threads, const std::function<void(int)> &work)
{
    QElapsedTimer t;
    t.start();
    runParallel(threads, threads, [&](int i) {
        work(i);
        return Status::success();
    });
    return secondsOf(t);
}

int gRepeats = 3; // --repeats

// The best of `repeats` timings.
double bestOf(int repeats, const std::function<double()> &run)
{
    double best = 1e300;
    for (int r = 0; r < repeats; ++r)
        best = std::min(best, run());
    return best;
}

#if defined(__x86_64__) || defined(__i386__)
// 12 independent FMA chains of 8 lanes: enough to cover the FMA latency on two pipes.
__attribute__((target("avx2,fma"))) float fmaChains(qint64 iterations)
{
    __m256 acc[12];
    for (int i = 0; i < 12; ++i)
        acc[i] = _mm256_set1_ps(float(i) * 1e-3f);
    const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
    for (qint64 n = 0; n < iterations; ++n)
        for (int i = 0; i < 12; ++i)
            acc[i] = _mm256_fmadd_ps(acc[i], a, b);
    __m256 s = acc[0];
    for (int i = 1; i < 12; ++i)
        s = _mm256_add_ps(s, acc[i]);
    float lanes[8];
    _mm256_storeu_ps(lanes, s);
    return lanes[0] + lanes[7];
}

// The same with 16 lanes per chain (CPUs with 512-bit FMA pipes do twice the work per
// instruction; those that split them into two 256-bit halves do not).
__attribute__((target("avx512f"))) float fmaChains512(qint64 iterations)
{
    __m512 acc[12];
    for (int i = 0; i < 12; ++i)
        acc[i] = _mm512_set1_ps(float(i) * 1e-3f);
    const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
    for (qint64 n = 0; n < iterations; ++n)
        for (int i = 0; i < 12; ++i)
            acc[i] = _mm512_fmadd_ps(acc[i], a, b);
    __m512 s = acc[0];
    for (int i = 1; i < 12; ++i)
        s = _mm512_add_ps(s, acc[i]);
    return _mm512_reduce_add_ps(s);
}
#endif

// Peak fp32 FLOP/s of all cores (2 flops per FMA lane) with the widest FMA the CPU has
// (AVX-512 where present, else AVX2), or 0 without AVX2+FMA; `isa` names it.
double peakFlops(int threads, QString &isa)
{
#if defined(__x86_64__) || defined(__i386__)
    const qint64 iterations = 50'000'000;
    std::vector<float> sink(static_cast<size_t>(threads));
    // The best of three (the peak is a bound: a busy neighbour only ever lowers a timing).
    auto measure = [&](auto chains, int lanes) {
        chains(iterations / 20); // warm up (clocks)
        const double s = bestOf(3, [&] {
            return timeParallel(threads, [&](int i) { sink[size_t(i)] = chains(iterations / 2); });
        });
        return double(threads) * double(iterations / 2) * 12 * lanes * 2 / s;
    };
    double peak = 0;
    if (cpuHasAvx2Fma()) {
        peak = measure(fmaChains, 8);
        isa = QStringLiteral("AVX2");
    }
    if (cpuHasAvx512F()) {
        const double wide = measure(fmaChains512, 16);
        if (wide > peak) {
            peak = wide;
            isa = QStringLiteral("AVX-512");
        }
    }
    return peak;
#else
    Q_UNUSED(threads);
    Q_UNUSED(isa);
    return 0;
#endif
}

MatrixRM gaussian(qint64 rows, qint64 cols, float sigma, quint64 seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> g(0.0f, sigma);
    MatrixRM m(rows, cols);
    for (qint64 i = 0; i < m.size(); ++i)
        m.data()[i] = g(rng);
    return m;
}

struct GemmFigures
{
    double fp32Flops = 0; // floatGemmTransposed, fp32 weights
    double fp16Flops = 0; // floatGemmTransposed, fp16 weights converted per tile
    double eigenFlops = 0; // Eigen's product, fp32 weights
    double intOps = 0;
    double intWithQuantizeOps = 0;
};

// One shape: Y (tokens x out) = X (tokens x in) · Wᵀ, its output columns split over threads
// (one single-threaded product per thread, as eval runs it).
Expected<GemmFigures> benchShape(qint64 tokens, qint64 in, qint64 outFeatures, int threads)
{
    const MatrixRM x = gaussian(tokens, in, 1.0f, 1);
    MatrixRM w = gaussian(outFeatures, in, 0.02f, 2);
    MatrixRM y(tokens, outFeatures);
    const double flops = 2.0 * double(tokens) * double(in) * double(outFeatures);
    auto slice = [&](int i, qint64 &o0, qint64 &o1) {
        const qint64 per = (outFeatures + threads - 1) / threads;
        o0 = std::min(outFeatures, i * per);
        o1 = std::min(outFeatures, o0 + per);
    };
    GemmFigures f;
    f.fp32Flops
        = flops / bestOf(gRepeats, [&] {
              return timeParallel(threads, [&](int i) {
                  qint64 o0, o1;
                  slice(i, o0, o1);
                  floatGemmTransposed(x.data(), in, tokens, in, w.data(), in, o0, o1, y.data(), outFeatures);
              });
          });
    {
        std::vector<quint16> half(size_t(w.size()));
        for (qint64 i = 0; i < w.size(); ++i)
            half[size_t(i)] = floatToHalf(w.data()[i]);
        const WeightRowReader reader = [&](qint64 row, qint64 col0, qint64 count, float *dst) {
            convertToFloat(DType::F16, reinterpret_cast<const uchar *>(half.data() + row * in + col0), count,
                           dst);
        };
        f.fp16Flops
            = flops / bestOf(gRepeats, [&] {
                  return timeParallel(threads, [&](int i) {
                      qint64 o0, o1;
                      slice(i, o0, o1);
                      floatGemmTransposed(x.data(), in, tokens, in, reader, o0, o1, y.data(), outFeatures);
                  });
              });
    }
    std::vector<MatrixRM> parts(static_cast<size_t>(threads));
    f.eigenFlops = flops / bestOf(gRepeats, [&] {
                       return timeParallel(threads, [&](int i) {
                           qint64 o0, o1;
                           slice(i, o0, o1);
                           parts[size_t(i)].noalias() = x * w.middleRows(o0, o1 - o0).transpose();
                       });
                   });
    parts.clear();
    const QuantFormat w4 = QuantFormat::mxint(4), a8 = QuantFormat::mxint(8);
    if (Status s = quantizeRows(w.data(), w.data(), outFeatures, in, w4, QStringLiteral("bench weight")); !s)
        return Error {s.error()};
    auto packed = packQuantizedRows(w.data(), outFeatures, in, w4);
    if (!packed)
        return makeError(QStringLiteral("bench weight: MXINT4 packing failed"));
    w = MatrixRM();
    QuantizedRows xq;
    if (Status s = quantizeActivationRows(x.data(), tokens, in, a8, QStringLiteral("bench input"), xq); !s)
        return Error {s.error()};
    f.intOps = flops / bestOf(gRepeats, [&] {
                   return timeParallel(threads, [&](int i) {
                       qint64 o0, o1;
                       slice(i, o0, o1);
                       packedGemmColumns(xq, *packed, o0, o1, y.data(), outFeatures, false, bestKernelIsa());
                   });
               });
    // With the activation quantizer in the loop (every thread quantizes its copy, as eval's
    // windows each quantize their own activations).
    std::vector<QuantizedRows> own(static_cast<size_t>(threads));
    f.intWithQuantizeOps
        = flops / bestOf(gRepeats, [&] {
              return timeParallel(threads, [&](int i) {
                  qint64 o0, o1;
                  slice(i, o0, o1);
                  (void)quantizeActivationRows(x.data(), tokens, in, a8, QStringLiteral("bench input"),
                                               own[size_t(i)]);
                  packedGemmColumns(own[size_t(i)], *packed, o0, o1, y.data(), outFeatures, false,
                                    bestKernelIsa());
              });
          });
    return f;
}

// Deterministic pseudo-random token ids (throughput does not depend on the text).
TokenIds syntheticTokens(int vocab, qint64 count)
{
    std::mt19937 rng(5);
    std::uniform_int_distribution<int> d(3, std::max(4, vocab - 1));
    TokenIds ids(static_cast<size_t>(count));
    for (auto &t : ids)
        t = d(rng);
    return ids;
}

struct ModelFigures
{
    double fp32 = 0, integer = 0, emulated = 0; // best tokens/s over the repeats
    double fp32Ppl = 0, integerPpl = 0, emulatedPpl = 0;
    double worstRatio = 0, bestRatio = 0; // integer / fp32 of each alternated pair
    int repeats = 0;
    // The linears' share of each evaluation's scoring time (thread-seconds; of the fastest run).
    double fp32LinearShare = 0, integerLinearShare = 0;
    double fp32LinearSeconds = 0, integerLinearSeconds = 0;
};

Expected<ModelFigures> benchModel(const QString &dir, const QString &textPath, int windows, int threads,
                                  int repeats, bool emulateToo)
{
    auto m = openModel(dir, QString());
    if (!m)
        return Error {m.error()};
    if (!m->checkpoint)
        return makeError(QStringLiteral("--model needs a Hugging Face folder"));
    const int L = cliWindowLength(0, m->model->config());
    TokenIds ids;
    if (!textPath.isEmpty()) {
        auto t = tokenizeFile(*m->tokenizer, textPath);
        if (!t)
            return Error {t.error()};
        ids = std::move(*t);
    } else {
        ids = syntheticTokens(m->model->config().vocabSize, qint64(L) * (windows + 4) + 1);
    }
    PerplexityConfig pc;
    pc.model = m->model.get();
    pc.tokens = ids;
    pc.windowLength = L;
    pc.maxWindows = windows;
    pc.threads = threads;

    // W4A8 L²QER rank 32 (the paper-w4a8 preset), statistics from 4 windows of the same tokens.
    auto samples = calibrationSamplesFromTokens(*m, ids, QStringLiteral("bench tokens"), 4, L);
    if (!samples)
        return Error {samples.error()};
    auto calib = calibrateOnSamples(*m, *samples, false, threads);
    if (!calib)
        return Error {calib.error()};
    auto plan = PlanOptions().toPlan();
    if (!plan)
        return Error {plan.error()};
    auto inst = installPlan(*m->model, m->checkpoint, *plan, &calib->stats,
                            stderrProgress(QStringLiteral("quantizing")), threads);
    if (!inst)
        return Error {inst.error()};

    // FP32 and W4A8 alternated `repeats` times in this one process: the best of each, and the
    // spread of the pairs' ratios (a shared, noisy machine moves both).
    const KernelMode before = defaultKernelMode();
    auto evaluate = [&](bool quantized, KernelMode mode, const QString &label) {
        pc.useQuantized = quantized;
        setDefaultKernelMode(mode);
        auto r = evaluatePerplexity(pc, stderrProgress(label));
        setDefaultKernelMode(before);
        return r;
    };
    ModelFigures f;
    f.repeats = repeats;
    for (int i = 0; i < repeats; ++i) {
        auto fp32 = evaluate(false, before, QStringLiteral("fp32"));
        if (!fp32)
            return Error {fp32.error()};
        auto integer = evaluate(true, KernelMode::Integer, QStringLiteral("W4A8 integer"));
        if (!integer)
            return Error {integer.error()};
        const double ratio = integer->tokensPerSecond / fp32->tokensPerSecond;
        f.worstRatio = i == 0 ? ratio : std::min(f.worstRatio, ratio);
        f.bestRatio = std::max(f.bestRatio, ratio);
        auto share = [](const PerplexityResult &r) {
            return r.windowSeconds > 0 ? r.linearSeconds / r.windowSeconds : 0.0;
        };
        if (fp32->tokensPerSecond > f.fp32) {
            f.fp32LinearShare = share(*fp32);
            f.fp32LinearSeconds = fp32->linearSeconds;
        }
        if (integer->tokensPerSecond > f.integer) {
            f.integerLinearShare = share(*integer);
            f.integerLinearSeconds = integer->linearSeconds;
        }
        f.fp32 = std::max(f.fp32, fp32->tokensPerSecond);
        f.integer = std::max(f.integer, integer->tokensPerSecond);
        f.fp32Ppl = fp32->perplexity;
        f.integerPpl = integer->perplexity;
    }
    if (emulateToo) {
        auto emulated = evaluate(true, KernelMode::Emulate, QStringLiteral("W4A8 emulated"));
        if (!emulated)
            return Error {emulated.error()};
        f.emulated = emulated->tokensPerSecond;
        f.emulatedPpl = emulated->perplexity;
    }
    return f;
}

} // namespace

void addKernelBenchOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        QCommandLineOption(QStringLiteral("kernels"),
                           QStringLiteral("Benchmark the kernels instead: peak fp32 FLOP/s, the fp32 GEMM's "
                                          "fraction of it, the W4A8 integer GEMM, and with --model the fp32 "
                                          "and W4A8 L²QER eval throughput of a model.")),
        QCommandLineOption(
            QStringLiteral("model"),
            QStringLiteral("With --kernels: a Hugging Face folder to evaluate in fp32 and W4A8 "
                           "L²QER (integer kernels)."),
            QStringLiteral("DIR")),
        QCommandLineOption(QStringLiteral("windows"),
                           QStringLiteral("With --model: eval windows of 512 tokens (default 2)."),
                           QStringLiteral("n")),
        QCommandLineOption(
            QStringLiteral("text"),
            QStringLiteral("With --model: the text to evaluate (default: pseudo-random tokens)."),
            QStringLiteral("FILE")),
        QCommandLineOption(QStringLiteral("repeats"),
                           QStringLiteral("GEMM timings and the --model evaluations: the best of n "
                                          "runs (the evaluations alternate fp32 and W4A8; default 3)."),
                           QStringLiteral("n")),
        QCommandLineOption(QStringLiteral("emulate-too"),
                           QStringLiteral("With --model: also time the fp32 emulation of W4A8.")),
        QCommandLineOption(QStringLiteral("shapes"),
                           QStringLiteral("GEMM shapes as TOKENSxINxOUT, comma-separated (default "
                                          "512x4096x4096,512x4096x11008,512x11008x4096)."),
                           QStringLiteral("list")),
    });
}

int benchKernels(const QCommandLineParser &parser)
{
    auto threads = intOptionValue(parser, QStringLiteral("threads"), QThread::idealThreadCount(), 1);
    if (!threads)
        return fail(threads.error());
    auto windows = intOptionValue(parser, QStringLiteral("windows"), 2, 1);
    if (!windows)
        return fail(windows.error());
    auto repeats = intOptionValue(parser, QStringLiteral("repeats"), 3, 1);
    if (!repeats)
        return fail(repeats.error());
    gRepeats = *repeats;
    struct Shape
    {
        qint64 t, in, out;
    };
    QList<Shape> shapes;
    const QString spec = parser.isSet(QStringLiteral("shapes"))
        ? parser.value(QStringLiteral("shapes"))
        : QStringLiteral("512x4096x4096,512x4096x11008,512x11008x4096");
    for (const QString &s : spec.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QStringList p = s.split(QLatin1Char('x'));
        bool ok = p.size() == 3;
        Shape sh {0, 0, 0};
        if (ok)
            sh = Shape {p[0].toLongLong(&ok), p[1].toLongLong(&ok), p[2].toLongLong(&ok)};
        if (!ok || sh.t < 1 || sh.in < 1 || sh.out < 1 || sh.t * sh.in > (qint64(1) << 30)
            || sh.in * sh.out > (qint64(1) << 30))
            return fail(QStringLiteral("--shapes: '%1' is not TOKENSxINxOUT with positive sizes").arg(s));
        shapes.append(sh);
    }
    out(QStringLiteral("lqer bench --kernels: %1 thread(s), integer kernels: %2\n")
            .arg(*threads)
            .arg(kernelIsaName(bestKernelIsa())));
    QString peakIsa;
    const double peak = peakFlops(*threads, peakIsa);
    if (peak > 0)
        out(QStringLiteral(
                "peak fp32 (%1 FMA microkernel, %2 thread(s))   %3 GFLOP/s; fp32 GEMM kernel: %4\n")
                .arg(peakIsa)
                .arg(*threads)
                .arg(peak * 1e-9, 0, 'f', 1)
                .arg(floatGemmIsaName(floatGemmIsa())));
    else
        out(QStringLiteral("peak fp32: no AVX2+FMA on this CPU, not measured\n"));
    out(QStringLiteral("\n%1 %2 %3 %4 %5 %6 %7 %8 %9\n")
            .arg(QStringLiteral("shape T x in x out"), -22)
            .arg(QStringLiteral("fp32 GFLOP/s"), 13)
            .arg(QStringLiteral("of peak"), 8)
            .arg(QStringLiteral("fp16-W GFLOP/s"), 15)
            .arg(QStringLiteral("of peak"), 8)
            .arg(QStringLiteral("Eigen fp32"), 11)
            .arg(QStringLiteral("W4A8 GOP/s"), 11)
            .arg(QStringLiteral("+quantize X"), 12)
            .arg(QStringLiteral("W4A8/fp32"), 10));
    for (const Shape &s : shapes) {
        auto f = benchShape(s.t, s.in, s.out, *threads);
        if (!f)
            return fail(f.error());
        auto ofPeak = [&](double v) {
            return peak > 0 ? QStringLiteral("%1%").arg(100 * v / peak, 0, 'f', 0) : QStringLiteral("-");
        };
        out(QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9\n")
                .arg(QStringLiteral("%1 x %2 x %3").arg(s.t).arg(s.in).arg(s.out), -22)
                .arg(f->fp32Flops * 1e-9, 13, 'f', 1)
                .arg(ofPeak(f->fp32Flops), 8)
                .arg(f->fp16Flops * 1e-9, 15, 'f', 1)
                .arg(ofPeak(f->fp16Flops), 8)
                .arg(f->eigenFlops * 1e-9, 11, 'f', 1)
                .arg(f->intOps * 1e-9, 11, 'f', 1)
                .arg(f->intWithQuantizeOps * 1e-9, 12, 'f', 1)
                .arg(f->intOps / f->fp32Flops, 9, 'f', 2));
    }
    if (!parser.isSet(QStringLiteral("model")))
        return 0;
    const QString dir = parser.value(QStringLiteral("model"));
    auto f = benchModel(dir, parser.value(QStringLiteral("text")), *windows, *threads, *repeats,
                        parser.isSet(QStringLiteral("emulate-too")));
    if (!f)
        return fail(f.error());
    out(QStringLiteral("\n%1: %2 windows, %3 thread(s), best of %4 alternated runs\n")
            .arg(QDir::toNativeSeparators(dir))
            .arg(*windows)
            .arg(*threads)
            .arg(f->repeats));
    out(QStringLiteral("fp32 eval                     %1 tokens/s   ppl %2\n")
            .arg(f->fp32, 8, 'f', 1)
            .arg(f->fp32Ppl, 0, 'f', 4));
    out(QStringLiteral("W4A8 L²QER, integer kernels   %1 tokens/s   ppl %2\n")
            .arg(f->integer, 8, 'f', 1)
            .arg(f->integerPpl, 0, 'f', 4));
    if (f->emulated > 0)
        out(QStringLiteral("W4A8 L²QER, fp32 emulation    %1 tokens/s   ppl %2\n")
                .arg(f->emulated, 8, 'f', 1)
                .arg(f->emulatedPpl, 0, 'f', 4));
    out(QStringLiteral("ratio W4A8 integer / fp32     %1x (target 1.5x); pairs %2x .. %3x\n")
            .arg(f->integer / f->fp32, 0, 'f', 2)
            .arg(f->worstRatio, 0, 'f', 2)
            .arg(f->bestRatio, 0, 'f', 2));
    // Amdahl: what is not a linear layer (LM head, attention, norms, softmax) is the same work
    // in both evaluations, so it bounds the ratio however fast the integer linears get.
    if (f->fp32LinearShare > 0 && f->fp32LinearShare < 1 && f->integerLinearSeconds > 0)
        out(QStringLiteral("linear layers: %1% of the fp32 evaluation's time, %2% of W4A8's; W4A8 linears "
                           "%3x faster (quantizer and low-rank term included); the rest bounds the "
                           "ratio at %4x with infinitely fast linears\n")
                .arg(100 * f->fp32LinearShare, 0, 'f', 0)
                .arg(100 * f->integerLinearShare, 0, 'f', 0)
                .arg(f->fp32LinearSeconds / f->integerLinearSeconds, 0, 'f', 2)
                .arg(1.0 / (1.0 - f->fp32LinearShare), 0, 'f', 2));
    return 0;
}

} // namespace lqer::cli
