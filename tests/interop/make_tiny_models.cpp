// Writes the tiny random GPT-2 and GPT-NeoX checkpoints that tests/interop exports and runs in
// llama.cpp (tests/common/tinymodels.h), their tokenizer's merges learned from TEXT.
//
//   make_tiny_models OUT_DIR TEXT   ->   OUT_DIR/gpt2, OUT_DIR/gpt_neox

#include "tests/common/tinymodels.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 3) {
        std::fprintf(stderr, "usage: make_tiny_models OUT_DIR TEXT\n");
        return 2;
    }
    QFile f(args.at(2));
    if (!f.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "%s: cannot open\n", qPrintable(args.at(2)));
        return 1;
    }
    const QString text = QString::fromUtf8(f.readAll());
    lqer::testing::TinyModelSpec gpt2;
    lqer::testing::TinyModelSpec neox;
    neox.modelType = QStringLiteral("gpt_neox");
    // llama.cpp's GPT-NeoX graph computes GELU's tanh form; Pythia's exact GELU would differ by
    // ~0.25% on this random model (tests/gguf measures it), so the tiny model uses the tanh form.
    neox.activation = QStringLiteral("gelu_new");
    for (const auto *spec : {&gpt2, &neox}) {
        const QString dir = QDir(args.at(1)).filePath(spec->modelType);
        if (lqer::Status s = lqer::testing::writeTinyModel(dir, *spec, text); !s) {
            std::fprintf(stderr, "%s\n", qPrintable(s.error()));
            return 1;
        }
    }
    return 0;
}
