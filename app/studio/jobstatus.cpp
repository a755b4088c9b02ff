#include "app/studio/jobstatus.h"

#include "app/studio/jobrunner.h"

#include <QLabel>
#include <QProgressBar>
#include <QStatusBar>
#include <QToolButton>

#include <cmath>

namespace lqer {

JobStatus::JobStatus(QStatusBar *bar, QAction *cancel, QObject *parent)
    : QObject(parent)
    , mInfoLabel(new QLabel)
    , mProgress(new QProgressBar)
    , mEtaLabel(new QLabel)
    , mCancelButton(new QToolButton)
    , mStallLabel(new QLabel)
{
    mProgress->setRange(0, 1000);
    mProgress->setMaximumWidth(260);
    mProgress->setTextVisible(true);
    mCancelButton->setDefaultAction(cancel);
    mCancelButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    mStallLabel->setStyleSheet(QStringLiteral("color: #777;"));
    bar->addPermanentWidget(mInfoLabel);
    bar->addPermanentWidget(mProgress);
    bar->addPermanentWidget(mEtaLabel);
    bar->addPermanentWidget(mCancelButton);
    bar->addPermanentWidget(mStallLabel);
    mProgress->hide();
    mEtaLabel->hide();
    mCancelButton->hide();
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
    mProgress->hide();
    mEtaLabel->hide();
    mCancelButton->hide();
    mInfoLabel->clear();
}

} // namespace lqer
