#include "app/studio/exportdialog.h"

#include "app/studio/jobrunner.h"
#include "app/studio/jobs.h"
#include "core/export/exporter.h"
#include "core/export/ggufexport.h"
#include "core/export/peftexport.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QVBoxLayout>

namespace lqer {

static const QString kExportDirKey = QStringLiteral("studio.export.lastDirectory");

ExportDialog::ExportDialog(QWidget *parent)
    : QDialog(parent)
    , mRunner(new JobRunner(this))
    , mPreviewRunner(new JobRunner(this))
{
    setObjectName(QStringLiteral("ExportDialog"));
    setModal(false);
    mSourceLabel = new QLabel;
    mSourceLabel->setWordWrap(true);
    mFormatLabel = new QLabel;
    mPackedRadio = new QRadioButton;
    mDequantRadio = new QRadioButton;
    mFormatGroup = new QButtonGroup(this);
    mFormatGroup->addButton(mPackedRadio, int(Format::Packed));
    mFormatGroup->addButton(mDequantRadio, int(Format::Dequantized));
    mGgufRadio = new QRadioButton;
    mPeftRadio = new QRadioButton;
    mFormatGroup->addButton(mGgufRadio, int(Format::Gguf));
    mFormatGroup->addButton(mPeftRadio, int(Format::Peft));
    mPackedRadio->setChecked(true);
    mMergeBox = new QCheckBox;
    mMergeBox->setChecked(true);
    mDtypeLabel = new QLabel;
    mDtypeBox = new QComboBox;
    mDtypeBox->addItem(QStringLiteral("fp16"), int(FloatType::F16));
    mDtypeBox->addItem(QStringLiteral("bf16"), int(FloatType::BF16));
    mDtypeBox->addItem(QStringLiteral("fp32"), int(FloatType::F32));
    mDtypeLabel->setBuddy(mDtypeBox);
    mFolderLabel = new QLabel;
    mFolderEdit = new QLineEdit;
    mFolderEdit->setClearButtonEnabled(true);
    mFolderLabel->setBuddy(mFolderEdit);
    mBrowseButton = new QPushButton;
    mProgress = new QProgressBar;
    mProgress->setRange(0, 1000);
    mStatusLabel = new QLabel;
    mStatusLabel->setWordWrap(true);
    mResultLabel = new QLabel;
    mResultLabel->setWordWrap(true);
    mPreviewLabel = new QLabel;
    mPreviewLabel->setObjectName(QStringLiteral("exportSizePreview"));
    mPreviewLabel->setWordWrap(true);
    mResultLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    mExportButton = new QPushButton;
    mExportButton->setDefault(true);
    mCancelButton = new QPushButton;
    mOpenButton = new QPushButton;
    mCloseButton = new QPushButton;

    auto *formatBox = new QVBoxLayout;
    formatBox->addWidget(mPackedRadio);
    formatBox->addWidget(mDequantRadio);
    auto *dequantRow = new QHBoxLayout;
    dequantRow->setContentsMargins(24, 0, 0, 0);
    dequantRow->addWidget(mMergeBox);
    dequantRow->addSpacing(12);
    dequantRow->addWidget(mDtypeLabel);
    dequantRow->addWidget(mDtypeBox);
    dequantRow->addStretch(1);
    formatBox->addLayout(dequantRow);
    formatBox->addWidget(mGgufRadio);
    formatBox->addWidget(mPeftRadio);
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(mFolderEdit, 1);
    folderRow->addWidget(mBrowseButton);
    auto *form = new QFormLayout;
    form->addRow(mFormatLabel, formatBox);
    form->addRow(mFolderLabel, folderRow);
    form->addRow(mPreviewLabel);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(mOpenButton);
    buttons->addStretch(1);
    buttons->addWidget(mExportButton);
    buttons->addWidget(mCancelButton);
    buttons->addWidget(mCloseButton);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(mSourceLabel);
    layout->addLayout(form);
    layout->addWidget(mProgress);
    layout->addWidget(mStatusLabel);
    layout->addWidget(mResultLabel);
    layout->addStretch(1);
    layout->addLayout(buttons);

    mConfirm = [this](const QString &question) {
        return QMessageBox::question(this, tr("Output folder not empty"), question,
                                     QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
            == QMessageBox::Yes;
    };

    connect(mFormatGroup, &QButtonGroup::idToggled, this, [this](int, bool checked) {
        updateControls();
        if (checked)
            updatePreview();
    });
    connect(mDtypeBox, &QComboBox::currentIndexChanged, this, [this] { updatePreview(); });
    connect(mBrowseButton, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(mExportButton, &QPushButton::clicked, this, [this] {
        const Status s = start();
        if (!s)
            mStatusLabel->setText(s.error());
    });
    connect(mCancelButton, &QPushButton::clicked, this, &ExportDialog::cancel);
    connect(mCloseButton, &QPushButton::clicked, this, &QDialog::close);
    connect(mOpenButton, &QPushButton::clicked, this, [this] {
        if (mOutcome && mOutcome->ok)
            emit openRequested(mOutcome->outputDir);
    });
    connect(mRunner, &JobRunner::progress, this, [this](double fraction, const QString &message, double eta) {
        mProgress->setValue(int(fraction * 1000));
        mStatusLabel->setText(eta >= 0 ? tr("%1 (ETA %2)").arg(message, JobRunner::formatDuration(eta))
                                       : message);
    });
    retranslate();
    updateControls();
    resize(620, 360);
}

ExportDialog::~ExportDialog()
{
    // The runner's destructor cancels and waits: the export removes its partial folder.
    delete mRunner;
    mRunner = nullptr;
    delete mPreviewRunner;
    mPreviewRunner = nullptr;
}

void ExportDialog::setSource(std::shared_ptr<const Checkpoint> checkpoint, const Plan &plan,
                             std::shared_ptr<const StatsMap> stats, const QString &statsSource)
{
    if (isRunning())
        return;
    mCheckpoint = std::move(checkpoint);
    mPlan = plan;
    mStats = std::move(stats);
    mStatsSource = statsSource;
    mPreviewCache.clear();
    ++mSourceGeneration;
    if (mCheckpoint && mFolderEdit->text().isEmpty()) {
        const QString base = QSettings().value(kExportDirKey, QDir::homePath()).toString();
        const QString name = QFileInfo(mCheckpoint->directory()).fileName();
        mFolderEdit->setText(QDir(base).filePath(name + QStringLiteral("-lqer")));
    }
    retranslate();
    updatePreview();
}

ExportDialog::Settings ExportDialog::settings() const
{
    Settings s;
    s.format = Format(mFormatGroup->checkedId());
    s.mergeLowRank = mMergeBox->isChecked();
    s.dtype = FloatType(mDtypeBox->currentData().toInt());
    s.outputDir = mFolderEdit->text().trimmed();
    return s;
}

void ExportDialog::setSettings(const Settings &s)
{
    mFormatGroup->button(int(s.format))->setChecked(true);
    mMergeBox->setChecked(s.mergeLowRank);
    mDtypeBox->setCurrentIndex(mDtypeBox->findData(int(s.dtype)));
    mFolderEdit->setText(s.outputDir);
    updateControls();
}

bool ExportDialog::isNonEmptyFolder(const QString &path)
{
    const QDir dir(path);
    return dir.exists()
        && !dir.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
}

bool ExportDialog::isRunning() const
{
    return mRunner && mRunner->isRunning();
}

void ExportDialog::cancel()
{
    if (isRunning()) {
        mRunner->cancel();
        mStatusLabel->setText(tr("Cancelling… (the partial folder is removed)"));
    }
}

bool ExportDialog::waitForFinished(int msecs)
{
    return mRunner->waitForIdle(msecs);
}

namespace {

// GGUF: model.gguf + lqer-lora.gguf, reported in the dialog's terms (files, bytes, layers, bits).
Status runGgufExport(const ExportConfig &config, JobContext &ctx, ExportResult &result)
{
    GgufExportConfig g;
    g.checkpoint = config.checkpoint;
    g.plan = config.plan;
    g.linears = config.linears;
    g.outputDir = config.outputDir;
    g.force = config.force;
    g.cancel = &ctx.cancel;
    auto r = exportGguf(g, ctx.progress);
    if (!r)
        return makeError(r.error());
    result.outputDir = r->outputDir;
    result.files = r->files;
    result.totalBytes = r->modelBytes + r->loraBytes + r->otherBytes; // all files written
    result.quantizedLayers = r->quantizedLayers;
    result.quantizedWeights = r->quantizedWeights;
    result.formulaBitsPerWeight = r->formulaBitsPerWeight;
    return Status::success();
}

} // namespace

Status ExportDialog::start()
{
    if (isRunning())
        return makeError(tr("An export is already running"));
    if (!mCheckpoint)
        return makeError(tr("No checkpoint to export: open one first"));
    const Settings s = settings();
    if (s.outputDir.isEmpty())
        return makeError(tr("Choose an output folder"));
    const QString out = QFileInfo(s.outputDir).absoluteFilePath();
    bool force = false;
    if (QFileInfo(out).exists() && !QFileInfo(out).isDir())
        return makeError(tr("%1 is a file, not a folder").arg(out));
    if (isNonEmptyFolder(out)) {
        const QString question = tr("The folder %1 is not empty. Export into it anyway? Only the files of an "
                                    "earlier export there "
                                    "are replaced; other files are kept.")
                                     .arg(out);
        if (!mConfirm(question))
            return makeError(tr("Export refused: %1 is not empty").arg(out));
        force = true;
    }
    QSettings().setValue(kExportDirKey, QFileInfo(out).absolutePath());

    const QStringList layers = [&] {
        QStringList names;
        if (auto all = quantizableLinears(*mCheckpoint))
            for (const LinearLayerInfo &l : *all)
                names << l.weightName;
        return names;
    }();
    QString note;
    const Plan plan = effectivePlan(mPlan, layers, mStats.get(), &note);
    if (s.format == Format::Gguf)
        if (Status st = checkGgufPlan(plan, layers); !st)
            return st;
    auto result = std::make_shared<ExportResult>();
    auto peftBase = std::make_shared<std::pair<int, QString>>(); // group size, note
    const std::shared_ptr<const Checkpoint> checkpoint = mCheckpoint;
    const std::shared_ptr<const StatsMap> stats = mStats;
    const QString statsSource = mStatsSource;
    JobFunction job
        = [checkpoint, plan, stats, statsSource, s, out, force, result, peftBase](JobContext &ctx) -> Status {
        ExportConfig config;
        config.checkpoint = checkpoint;
        config.plan = plan;
        Expected<LinearProvider> linears = workAheadProvider(checkpoint, plan, stats.get(), &ctx.cancel, 0);
        if (!linears)
            return Error {linears.error()};
        config.linears = std::move(*linears);
        config.format
            = s.format == Format::Packed ? lqer::ExportFormat::Packed : lqer::ExportFormat::Dequantized;
        config.outputDir = out;
        config.force = force;
        config.mergeLowRank = s.mergeLowRank;
        config.dtype = s.dtype == FloatType::BF16 ? DType::BF16
                                                  : (s.dtype == FloatType::F32 ? DType::F32 : DType::F16);
        config.provenance.insert(QStringLiteral("tool"), QStringLiteral("lqer-studio " LQER_VERSION_STRING));
        if (!statsSource.isEmpty())
            config.provenance.insert(QStringLiteral("statistics"), statsSource);
        config.cancel = &ctx.cancel;
        if (s.format == Format::Gguf)
            return runGgufExport(config, ctx, *result);
        if (s.format == Format::Peft) {
            auto p = exportPeft(config, config.dtype, ctx.progress);
            if (!p)
                return makeError(p.error());
            *result = p->base;
            *peftBase = {p->gptqGroupSize, p->baseNote};
            result->files << p->adapterFiles;
            for (const QString &f : p->adapterFiles)
                result->totalBytes += QFileInfo(QDir(result->outputDir).filePath(f)).size();
            return Status::success();
        }
        auto r = exportCheckpoint(config, ctx.progress);
        if (!r)
            return makeError(r.error());
        *result = *r;
        return Status::success();
    };
    mOutcome.reset();
    mResultLabel->clear();
    mProgress->setValue(0);
    mStatusLabel->setText(note.isEmpty() ? tr("Exporting to %1…").arg(out) : note);
    mRunner->start(tr("Export"), std::move(job),
                   [this, result, peftBase, out, plan, s](bool ok, bool cancelled, const QString &error,
                                                          double seconds) {
                       Outcome o;
                       o.ok = ok;
                       o.cancelled = cancelled;
                       o.error = error;
                       o.outputDir = ok ? result->outputDir : out;
                       o.files = result->files;
                       o.totalBytes = result->totalBytes;
                       o.quantizedLayers = result->quantizedLayers;
                       o.quantizedWeights = result->quantizedWeights;
                       o.format = s.format;
                       o.plan = plan;
                       o.fileBitsPerWeight = result->fileBitsPerWeight;
                       o.formulaBitsPerWeight = result->formulaBitsPerWeight;
                       o.seconds = seconds;
                       o.gptqGroupSize = peftBase->first;
                       o.peftBaseNote = peftBase->second;
                       mOutcome = o;
                       onFinished(ok, cancelled, error, seconds);
                   });
    updateControls();
    return Status::success();
}

void ExportDialog::onFinished(bool ok, bool cancelled, const QString &error, double)
{
    mProgress->setValue(ok ? 1000 : 0);
    if (ok) {
        mStatusLabel->setText(tr("Done."));
        qInfo("lqer-studio: %s", qPrintable(resultText()));
    } else if (cancelled) {
        mStatusLabel->setText(tr("Cancelled: nothing was written to %1.").arg(mOutcome->outputDir));
    } else {
        mStatusLabel->setText(tr("Export failed: %1").arg(error));
    }
    mResultLabel->setText(ok ? resultText() : QString());
    updateControls();
    emit exportFinished(ok);
}

QString ExportDialog::resultText() const
{
    if (!mOutcome || !mOutcome->ok)
        return QString();
    const Outcome &o = *mOutcome;
    QString text = tr("Wrote %n file(s), %1, to %2 in %3.", nullptr, int(o.files.size()))
                       .arg(QLocale().formattedDataSize(o.totalBytes), o.outputDir,
                            JobRunner::formatDuration(o.seconds));
    text += QLatin1Char(' ') + tr("%n quantized layer(s).", nullptr, o.quantizedLayers);
    if (o.fileBitsPerWeight > 0)
        text += QLatin1Char(' ')
            + tr("%1 bits per weight in the packed arrays (%2 from the formats).")
                  .arg(o.fileBitsPerWeight, 0, 'f', 3)
                  .arg(o.formulaBitsPerWeight, 0, 'f', 3);
    else if (o.gptqGroupSize > 0)
        text += QLatin1Char(' ')
            + tr("PEFT base GPTQ-packed (4-bit, group %1): the plan's INT4 weights exactly, %2 bits per "
                 "weight from the formats.")
                  .arg(o.gptqGroupSize)
                  .arg(o.formulaBitsPerWeight, 0, 'f', 3);
    else if (o.formulaBitsPerWeight > 0)
        text += QLatin1Char(' ')
            + tr("Dequantized: the plan's formats make %1 bits per weight.")
                  .arg(o.formulaBitsPerWeight, 0, 'f', 3);
    if (o.format == Format::Peft && o.gptqGroupSize == 0 && !o.peftBaseNote.isEmpty())
        text += QLatin1Char(' ') + tr("PEFT base: %1.").arg(o.peftBaseNote);
    return text;
}

QString ExportDialog::formatName(Format format)
{
    switch (format) {
    case Format::Packed:
        return exportFormatName(lqer::ExportFormat::Packed);
    case Format::Dequantized:
        return exportFormatName(lqer::ExportFormat::Dequantized);
    case Format::Gguf:
        return QStringLiteral("gguf");
    case Format::Peft:
        return QStringLiteral("peft");
    }
    return QString();
}

QJsonObject ExportDialog::runDetails() const
{
    if (!mOutcome)
        return {};
    const Outcome &o = *mOutcome;
    if (!o.ok)
        return QJsonObject {{QStringLiteral("format"), formatName(o.format)},
                            {QStringLiteral("outputDir"), QDir::cleanPath(o.outputDir)}};
    return exportRunDetails(formatName(o.format), o.outputDir, o.files, o.quantizedLayers, o.quantizedWeights,
                            o.formulaBitsPerWeight, o.fileBitsPerWeight);
}

QString ExportDialog::previewKey() const
{
    const Settings s = settings();
    // The float type matters only where it is written (dequantized, PEFT).
    const bool floats = s.format == Format::Dequantized || s.format == Format::Peft;
    return formatName(s.format) + QLatin1Char('/') + QString::number(floats ? int(s.dtype) : 0);
}

QString ExportDialog::describePrediction(const Expected<ExportSizePrediction> &p) const
{
    // A GGUF plan with formats ggml does not hold is named by the prediction's error.
    if (!p)
        return tr("Size: cannot predict (%1)").arg(p.error());
    const QLocale locale;
    QStringList parts {tr("model %1").arg(locale.formattedDataSize(p->baseBytes))};
    if (p->adapterBytes > 0)
        parts << tr("adapter %1").arg(locale.formattedDataSize(p->adapterBytes));
    parts << tr("other files %1").arg(locale.formattedDataSize(p->otherBytes));
    return (p->exact ? tr("Size: %1 (%2); %3 bits per weight")
                     : tr("Size: about %1 (%2); %3 bits per weight"))
        .arg(locale.formattedDataSize(p->totalBytes()), parts.join(QStringLiteral(", ")))
        .arg(p->bitsPerWeight, 0, 'f', 3);
}

void ExportDialog::updatePreview()
{
    mPreviewText.clear();
    if (!mCheckpoint) {
        mPreviewRunner->cancel();
        mPreviewLabel->setText(mPreviewText);
        return;
    }
    const QString key = previewKey();
    if (auto it = mPreviewCache.constFind(key); it != mPreviewCache.constEnd()) {
        mPreviewText = *it;
        mPreviewLabel->setText(mPreviewText);
        return;
    }
    mPreviewText = tr("Size: computing…");
    mPreviewLabel->setText(mPreviewText);
    const Settings s = settings();
    const DType dtype
        = s.dtype == FloatType::BF16 ? DType::BF16 : (s.dtype == FloatType::F32 ? DType::F32 : DType::F16);
    const PredictedFormat format = s.format == Format::Gguf ? PredictedFormat::Gguf
        : s.format == Format::Peft                          ? PredictedFormat::Peft
        : s.format == Format::Dequantized                   ? PredictedFormat::Dequantized
                                                            : PredictedFormat::Packed;
    const std::shared_ptr<const Checkpoint> checkpoint = mCheckpoint;
    const Plan plan = mPlan;
    auto result = std::make_shared<std::optional<Expected<ExportSizePrediction>>>();
    const quint64 generation = mSourceGeneration;
    // The newest request wins: a format change while one is computed replaces it.
    mPreviewRunner->start(
        tr("Size preview"),
        [checkpoint, plan, format, dtype, result](JobContext &) {
            result->emplace(predictExportSize(checkpoint, plan, format, dtype));
            return Status::success();
        },
        [this, key, generation, result](bool, bool, const QString &, double) {
            if (!result->has_value() || generation != mSourceGeneration)
                return; // replaced before it ran, or the source changed meanwhile
            const QString text = describePrediction(**result);
            mPreviewCache.insert(key, text);
            if (key == previewKey()) {
                mPreviewText = text;
                mPreviewLabel->setText(mPreviewText);
            }
        });
}

bool ExportDialog::waitForPreview(int msecs)
{
    return mPreviewRunner->waitForIdle(msecs);
}

void ExportDialog::browse()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Output folder"), mFolderEdit->text());
    if (!dir.isEmpty())
        mFolderEdit->setText(dir);
}

void ExportDialog::updateControls()
{
    const bool running = isRunning();
    const bool dequant = mDequantRadio->isChecked();
    const bool floats = dequant || mPeftRadio->isChecked(); // PEFT: the base's and the adapter's type
    mMergeBox->setEnabled(dequant && !running);
    mDtypeBox->setEnabled(floats && !running);
    mDtypeLabel->setEnabled(floats && !running);
    mPackedRadio->setEnabled(!running);
    mDequantRadio->setEnabled(!running);
    mGgufRadio->setEnabled(!running);
    mPeftRadio->setEnabled(!running);
    mFolderEdit->setEnabled(!running);
    mBrowseButton->setEnabled(!running);
    mExportButton->setEnabled(!running && mCheckpoint);
    mCancelButton->setEnabled(running);
    mCloseButton->setEnabled(!running);
    mOpenButton->setVisible(mOutcome && mOutcome->ok && settings().format == Format::Packed);
}

void ExportDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        mPreviewCache.clear(); // the texts are in the old language
        updatePreview();
    }
    QDialog::changeEvent(event);
}

void ExportDialog::closeEvent(QCloseEvent *event)
{
    if (isRunning()) {
        // Closing does not abandon a running export silently: cancel it first.
        event->ignore();
        cancel();
        return;
    }
    QDialog::closeEvent(event);
}

void ExportDialog::retranslate()
{
    setWindowTitle(tr("Export quantized checkpoint"));
    mSourceLabel->setText(
        mCheckpoint ? tr("Model: %1 — plan: %2%3")
                          .arg(mCheckpoint->directory(), mPlan.preset.isEmpty() ? tr("custom") : mPlan.preset,
                               mStats ? QString() : tr(" (no statistics: L²QER layers use LQER)"))
                    : tr("Open a checkpoint first."));
    mFormatLabel->setText(tr("Format:"));
    mPackedRadio->setText(tr("&Packed LQER checkpoint (codes, exponents, A and B as stored in hardware)"));
    mDequantRadio->setText(tr("&Dequantized Hugging Face folder (for standard tools)"));
    mGgufRadio->setText(tr("&GGUF for llama.cpp (q4_0 / q8_0 / f16 base + LoRA adapter with A and B)"));
    mPeftRadio->setText(tr("PEF&T: dequantized base + LoRA adapter (transformers, vLLM)"));
    mMergeBox->setText(tr("&Merge A·B into the weight"));
    mMergeBox->setToolTip(tr("Store Wq + (A·B)ᵀ instead of Wq alone"));
    mDtypeLabel->setText(tr("&Float type:"));
    mFolderLabel->setText(tr("&Output folder:"));
    mBrowseButton->setText(tr("&Browse…"));
    mExportButton->setText(tr("&Export"));
    mCancelButton->setText(tr("Cancel"));
    mOpenButton->setText(tr("&Open exported model"));
    mCloseButton->setText(tr("Close"));
    if (mOutcome && mOutcome->ok)
        mResultLabel->setText(resultText());
}

} // namespace lqer
