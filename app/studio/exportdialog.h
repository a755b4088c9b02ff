#pragma once

// File > Export quantized checkpoint: packed LQER checkpoint, dequantized Hugging Face folder
// (Wq, optionally with A·B merged, in fp16 / bf16 / fp32), GGUF for llama.cpp (base + LoRA
// adapter, core/export/ggufexport.h) or a PEFT adapter beside a dequantized base
// (core/export/peftexport.h), into an output folder.
// A non-empty folder is refused unless the user confirms (then only files of an earlier export
// are replaced, see core/export/exporter.h). The export runs on a worker thread with progress and
// cancel, and reports the written size and the bits per weight.
//
// This header does not include core/export/exporter.h: its lqer::ExportFormat clashes with the
// session store's, and the main window includes the latter.

#include "core/io/checkpoint.h"
#include "core/plan/plan.h"
#include "core/lqer/statsfile.h"

#include <QDialog>
#include <QHash>
#include <QJsonObject>

#include <functional>
#include <memory>
#include <optional>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;

namespace lqer {

class JobRunner;
struct ExportSizePrediction;

class ExportDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Format { Packed, Dequantized, Gguf, Peft };
    enum class FloatType { F16, BF16, F32 };

    struct Settings
    {
        Format format = Format::Packed;
        bool mergeLowRank = true; // dequantized: Wq + A·B
        FloatType dtype = FloatType::F16; // dequantized and PEFT
        QString outputDir;
    };

    struct Outcome
    {
        bool ok = false;
        bool cancelled = false;
        QString error;
        QString outputDir;
        QStringList files;
        qint64 totalBytes = 0;
        int quantizedLayers = 0;
        qint64 quantizedWeights = 0;
        Format format = Format::Packed;
        Plan plan; // the plan exported (after the statistics fallback)
        double fileBitsPerWeight = 0; // packed: bits of the quantized arrays per weight
        double formulaBitsPerWeight = 0; // NUMERICS §8 from the formats
        double seconds = 0;
        int gptqGroupSize = 0; // PEFT: > 0 when the base is GPTQ-packed
        QString peftBaseNote; // PEFT: which base was written and why
    };

    explicit ExportDialog(QWidget *parent = nullptr);
    ~ExportDialog() override;

    // What to export: the checkpoint, the plan (methods needing missing statistics fall back to
    // LQER, as in the studio's jobs) and the calibration statistics.
    void setSource(std::shared_ptr<const Checkpoint> checkpoint, const Plan &plan,
                   std::shared_ptr<const StatsMap> stats, const QString &statsSource);

    Settings settings() const;
    void setSettings(const Settings &settings);

    // Starts the export on the worker thread. Fails without starting when there is no source or
    // folder, or when the folder is not empty and the user does not confirm.
    Status start();
    void cancel();
    bool isRunning() const;
    bool waitForFinished(int msecs);
    const std::optional<Outcome> &lastOutcome() const { return mOutcome; }
    QString resultText() const;
    // The predicted sizes of the chosen format for the current plan (predictExportSize(), no
    // file written), as shown above the progress bar; updated when the format, float type or
    // source changes. Empty without a source. The prediction reads headers and, for GGUF, the
    // tokenizer: it runs on a worker thread ("Size: computing…" meanwhile) and is kept per
    // format and float type until the source changes, so switching back is immediate.
    QString previewText() const { return mPreviewText; }
    // For tests: processes events until the preview is computed or `msecs` passed.
    bool waitForPreview(int msecs);
    // The last export as a session run's details (exportRunDetails(): format, folder, files
    // with their sizes on disk, bits per weight); a failed or cancelled one names only the
    // format and the folder. Empty before the first export.
    QJsonObject runDetails() const;
    static QString formatName(Format format); // "packed", "dequantized", "gguf", "peft"

    // True when `path` exists and holds at least one entry.
    static bool isNonEmptyFolder(const QString &path);
    // The question asked before writing into a non-empty folder (default: a message box).
    void setConfirm(std::function<bool(const QString &question)> confirm) { mConfirm = std::move(confirm); }

signals:
    // lastOutcome() says more (cancelled, error); the main window records it as a session run.
    void exportFinished(bool ok);
    // "Open the exported model": the packed folder, for re-import.
    void openRequested(const QString &folder);

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void retranslate();
    void updateControls();
    void updatePreview();
    QString previewKey() const;
    QString describePrediction(const Expected<ExportSizePrediction> &p) const;
    void browse();
    void onFinished(bool ok, bool cancelled, const QString &error, double seconds);

    std::shared_ptr<const Checkpoint> mCheckpoint;
    Plan mPlan;
    std::shared_ptr<const StatsMap> mStats;
    QString mStatsSource;
    JobRunner *mRunner;
    JobRunner *mPreviewRunner; // the size preview, off the GUI thread
    QHash<QString, QString> mPreviewCache; // previewKey() -> text, for the current source
    quint64 mSourceGeneration = 0; // bumped by setSource(): older previews are dropped
    std::optional<Outcome> mOutcome;
    std::function<bool(const QString &)> mConfirm;

    QLabel *mSourceLabel;
    QLabel *mFormatLabel, *mDtypeLabel, *mFolderLabel;
    QRadioButton *mPackedRadio, *mDequantRadio, *mGgufRadio, *mPeftRadio;
    QButtonGroup *mFormatGroup;
    QCheckBox *mMergeBox;
    QComboBox *mDtypeBox;
    QLineEdit *mFolderEdit;
    QPushButton *mBrowseButton;
    QProgressBar *mProgress;
    QLabel *mStatusLabel;
    QLabel *mResultLabel;
    QLabel *mPreviewLabel;
    QString mPreviewText;
    QPushButton *mExportButton, *mCancelButton, *mOpenButton, *mCloseButton;
};

} // namespace lqer
