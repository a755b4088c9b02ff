// lqer: the command-line face of LQER Studio.

#include "cli.h"

#include <QCoreApplication>

#include <cstdio>

using namespace lqer::cli;

namespace {

struct Command
{
    const char *name;
    int (*run)(const QStringList &args);
    const char *summary;
};

const Command kCommands[] = {
    {"inspect", cmdInspect, "architecture, layers, shapes, dtypes, parameter counts (headers only)"},
    {"analyze", cmdAnalyze, "per-layer quantization and reconstruction error, bits, singular values"},
    {"calibrate", cmdCalibrate, "run the model on calibration text and save activation statistics"},
    {"quantize", cmdQuantize, "quantize a model with a plan and evaluate it (--compare: all methods)"},
    {"eval", cmdEval, "perplexity of a model (optionally quantized by a plan) on a text file"},
    {"generate", cmdGenerate, "greedy text generation (demo and checks)"},
    {"export", cmdExport, "write a packed LQER or a dequantized Hugging Face checkpoint"},
    {"sessions", cmdSessions, "list, show, export and delete recorded sessions"},
    {"allocate", cmdAllocate, "per-layer weight format and rank under a bits, bytes or area budget"},
    {"synth", cmdSynth, "write a synthetic checkpoint of a real model's shape (llama-7b, opt-6.7b, ...)"},
    {"bench", cmdBench, "benchmarks: quantizer, SVD backends, forward throughput"},
};

void printUsage()
{
    QString text = QStringLiteral("LQER Studio %1 - low-rank quantization error reconstruction for LLMs\n\n"
                                  "usage: lqer <command> [options]   (lqer <command> --help)\n\ncommands:\n")
                       .arg(QStringLiteral(LQER_VERSION_STRING));
    for (const Command &c : kCommands)
        text += QStringLiteral("  %1 %2\n")
                    .arg(QString::fromLatin1(c.name), -10)
                    .arg(QString::fromLatin1(c.summary));
    out(text);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("lqer"));
    QCoreApplication::setOrganizationName(QStringLiteral("lqer-studio"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LQER_VERSION_STRING));

    QStringList args = QCoreApplication::arguments();
    if (args.size() < 2 || args.at(1) == QLatin1String("--help") || args.at(1) == QLatin1String("-h")
        || args.at(1) == QLatin1String("help")) {
        printUsage();
        return args.size() < 2 ? 2 : 0;
    }
    if (args.at(1) == QLatin1String("--version")) {
        out(QStringLiteral("lqer %1\n").arg(QStringLiteral(LQER_VERSION_STRING)));
        return 0;
    }
    const QString name = args.at(1);
    for (const Command &c : kCommands) {
        if (name == QLatin1String(c.name)) {
            args.removeAt(1);
            args[0] = QStringLiteral("lqer ") + name;
            return c.run(args);
        }
    }
    err(QStringLiteral("lqer: unknown command '%1'\n").arg(name));
    printUsage();
    return 2;
}
