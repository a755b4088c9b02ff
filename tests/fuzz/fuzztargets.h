#pragma once

// Fuzz targets: one function per parser of outside data. Each takes raw bytes, hands them to
// the loader exactly as a user's file would reach it (written to a file where the loader reads
// files), and uses whatever loads (tensors read, text encoded, a forward pass run). A loader
// may accept or refuse; a crash, a hang, a sanitizer report or a broken promise (non-finite
// numbers handed out without an error, token ids out of range) is a finding and aborts.
//
// The same targets run three ways: under libFuzzer (tests/fuzz/libfuzzer_main.cpp, one binary
// per target, scripts/fuzz.sh), on their seed corpora in the `fuzz` test suite, and through
// `fuzz_seeds`, which writes the seed corpora from the shipped models (../shared).

#include "core/common/expected.h"

#include <QString>
#include <QStringList>

#include <cstddef>
#include <cstdint>

namespace lqer::fuzz {

enum class Outcome { Loaded, Refused };

struct Target
{
    const char *name;
    const char *what; // one line: which parser, fed how
    Outcome (*run)(const uint8_t *data, size_t size);
};

// Every target, in a fixed order.
const QList<Target> &targets();
const Target *findTarget(const QString &name);

// Files the targets need beside the fuzzed bytes (a model's weights for config.json, the
// config of a packed checkpoint) come from this folder: ../shared by default. Call before the
// first run.
void setSharedDir(const QString &sharedDir);

// Writes the seed corpus of every target into outDir/<target>/, built from the shipped models
// and the repository's test data. Every seed loads (Outcome::Loaded) in its target.
Status writeSeeds(const QString &sharedDir, const QString &testDataDir, const QString &outDir);

} // namespace lqer::fuzz
