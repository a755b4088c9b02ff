#pragma once

// `lqer bench --kernels [--model DIR]`: the machine's peak fp32 FLOP/s (an FMA microkernel on
// every core), the fp32 GEMM of the eval path against it on LLM-sized shapes, the W4A8
// integer GEMM's throughput, and with --model the fp32 against the W4A8 L²QER (integer
// kernels) eval tokens/s of that model and their ratio.

#include <QCommandLineParser>

namespace lqer::cli {

void addKernelBenchOptions(QCommandLineParser &parser);
int benchKernels(const QCommandLineParser &parser);

} // namespace lqer::cli
