#pragma once

// Workshop bundles: one session of a store in one self-contained file — the session, its plan,
// every run with its per-layer metrics, spectra and perplexities, the calibration statistics
// file, and what the exporting program adds (the lessons' state). A teacher prepares a session
// once and hands the file out; the studio unpacks it into a private folder and opens it without
// ever writing the bundle.
//
// Layout: the 8 bytes "LQERBNDL", then a QDataStream (Qt 6.0 format) of quint32 version (1),
// the manifest (JSON), the session as a session store of its own (SQLite bytes) and the
// statistics file's bytes (empty when the session has none).

#include "core/common/expected.h"

#include <QJsonObject>
#include <QString>

namespace lqer {

class SessionStore;

struct BundleExportConfig
{
    QString storePath; // the session store to read
    QString session; // the session's id or its name
    QString path; // the bundle to write (replaced atomically)
    QJsonObject extra; // kept in the manifest under "extra" (e.g. the lessons' state)
};

struct BundleSummary
{
    qint64 sessionId = 0; // in the store it was unpacked to
    QString sessionName;
    QString modelPath;
    int runs = 0;
    bool hasStats = false;
    QJsonObject extra;
};

Expected<BundleSummary> exportSessionBundle(const BundleExportConfig &config);

// Unpacks `bundlePath` into `dir`: dir/session.db (a session store holding the one session, its
// statistics path pointing at dir/stats.safetensors when there are statistics). Errors name the
// bundle: not a bundle, a newer version, a truncated file.
Expected<BundleSummary> unpackSessionBundle(const QString &bundlePath, const QString &dir);

// The file suffix of bundles, without the dot.
QString bundleSuffix();

} // namespace lqer
