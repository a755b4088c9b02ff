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
    QString modelPath; // unpacked: where the model was found on this machine
    QString modelStoredPath; // the path the bundle was exported with
    QString modelError; // unpacked: why the model was not found (empty: found)
    int runs = 0;
    bool hasStats = false;
    QJsonObject extra;
};

Expected<BundleSummary> exportSessionBundle(const BundleExportConfig &config);

// Unpacks `bundlePath` into `dir`: dir/session.db (a session store holding the one session, its
// statistics path pointing at dir/stats.safetensors when there are statistics). Errors name the
// bundle: not a bundle, a newer version, a truncated file. The model is looked for with
// locateBundleModel; the session then points at the copy found, else modelError says why.
Expected<BundleSummary> unpackSessionBundle(const QString &bundlePath, const QString &dir,
                                            const QString &modelsFolder = QString());

// A bundle made on one machine names its model by an absolute path; on another the models live
// elsewhere. Where the model is here: the path as stored if it exists, else the file or folder
// of the same name beside the bundle, else in `modelsFolder`. Of several, the one whose
// fingerprint matches `fingerprint` (when given) wins. An error names the model and the places
// looked in.
Expected<QString> locateBundleModel(const QString &storedPath, const QString &fingerprint,
                                    const QString &bundlePath, const QString &modelsFolder);

// The file suffix of bundles, without the dot.
QString bundleSuffix();

} // namespace lqer
