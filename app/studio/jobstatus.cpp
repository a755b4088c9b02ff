#include "app/studio/jobstatus.h"

#include "app/studio/jobrunner.h"
#include "core/common/memory.h"

#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QStatusBar>
#include <QToolButton>

#include <algorithm>
#include <cmath>

namespace lqer {

JobStatus::JobStatus(QStatusBar *bar, QAction *cancel, QObject *parent)
    : QObject(parent)
    , mInfoLabel(new QLabel)
    , mProgress(new QProgressBar)
    , mEtaLabel(new QLabel)
    , mCancelButton(new QToolButton)
    , mStallLabel(new QLabel)
    , mMemoryLabel(new QLabel)
{
    mProgress->setRange(0, 1000);
    mProgress->setMaximumWidth(260);
    mProgress->setTextVisible(true);
    mCancelButton->setDefaultAction(cancel);
    mCancelButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    mStallLabel->setStyleSheet(QStringLiteral("color: #777;"));
    mMemoryLabel->setObjectName(QStringLiteral("jobMemoryLabel"));
    bar->addPermanentWidget(mInfoLabel);
    bar->addPermanentWidget(mProgress);
    bar->addPermanentWidget(mEtaLabel);
    bar->addPermanentWidget(mMemoryLabel);
    bar->addPermanentWidget(mCancelButton);
    bar->addPermanentWidget(mStallLabel);
    mProgress->hide();
    mEtaLabel->hide();
    mCancelButton->hide();
    mMemoryLabel->hide();
    mMemoryTimer.setInterval(500);
    connect(&mMemoryTimer, &QTimer::timeout, this, &JobStatus::sampleMemory);
}

void JobStatus::sampleMemory()
{
    // One small read of /proc/self/status (tens of microseconds): fine on the GUI thread.
    auto anon = currentRssAnonBytes();
    if (!anon) {
        mMemoryBytes = -1;
        mMemoryLabel->hide();
        return;
    }
    mMemoryBytes = *anon;
    mJobPeakBytes = std::max(mJobPeakBytes, mMemoryBytes);
    mMemoryLabel->setText(tr("Memory %1").arg(QLocale().formattedDataSize(mMemoryBytes, 2)));
    updateMemoryTip();
    mMemoryLabel->show();
}

void JobStatus::updateMemoryTip()
{
    mMemoryLabel->setToolTip(
        tr("Anonymous memory of the studio (RssAnon: heap and working buffers); the highest "
           "reading during the job: %1. The page cache of the memory-mapped checkpoint is not "
           "counted: the system reclaims it when memory runs short.")
            .arg(QLocale().formattedDataSize(mJobPeakBytes, 2)));
}

void JobStatus::started(const QString &title)
{
    mProgress->setValue(0);
    mProgress->setFormat(QStringLiteral("%p%"));
    mProgress->show();
    mEtaLabel->show();
    mEtaLabel->setText(tr("ETA –"));
    mCancelButton->show();
    mInfoLabel->setText(title);
    mJobPeakBytes = -1;
    sampleMemory();
    mMemoryTimer.start();
}

void JobStatus::progress(double fraction, double etaSeconds, double maxStallMs)
{
    mProgress->setValue(int(std::lround(fraction * 1000)));
    mEtaLabel->setText(tr("ETA %1").arg(JobRunner::formatDuration(etaSeconds)));
    mStallLabel->setText(tr("UI stall max %1 ms").arg(maxStallMs, 0, 'f', 1));
}

void JobStatus::finished(double maxStallMs)
{
    mStallLabel->setText(tr("UI stall max %1 ms").arg(maxStallMs, 0, 'f', 1));
    mMemoryTimer.stop();
    sampleMemory();
    if (mJobPeakBytes >= 0)
        mMemoryLabel->setText(tr("Memory peak %1").arg(QLocale().formattedDataSize(mJobPeakBytes, 2)));
    mProgress->hide();
    mEtaLabel->hide();
    mCancelButton->hide();
    mInfoLabel->clear();
}

} // namespace lqer
