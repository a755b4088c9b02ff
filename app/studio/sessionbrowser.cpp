#include "app/studio/sessionbrowser.h"

#include "app/studio/sessions.h"

#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace lqer {

namespace {

QStandardItem *item(const QString &text, qint64 id = 0)
{
    auto *i = new QStandardItem(text);
    i->setEditable(false);
    if (id)
        i->setData(id, SessionBrowser::IdRole);
    return i;
}

QColor statusColor(const QString &status)
{
    if (status == QLatin1String("complete"))
        return QColor(0, 120, 60);
    if (status == QLatin1String("cancelled") || status == QLatin1String("interrupted"))
        return QColor(170, 110, 0);
    if (status == QLatin1String("failed"))
        return QColor(190, 40, 20);
    return QColor();
}

QString shortTime(const QDateTime &t)
{
    return t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd hh:mm"));
}

QTableView *makeTable(QStandardItemModel *model)
{
    auto *view = new QTableView;
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setAlternatingRowColors(true);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(22);
    view->horizontalHeader()->setStretchLastSection(true);
    view->setWordWrap(false);
    return view;
}

} // namespace

SessionBrowser::SessionBrowser(SessionManager *sessions, QWidget *parent)
    : QWidget(parent)
    , mSessions(sessions)
{
    setObjectName(QStringLiteral("SessionBrowser"));
    mDbLabel = new QLabel;
    mDbLabel->setWordWrap(true);
    mDbLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    mSessionModel = new QStandardItemModel(0, SessionColumns, this);
    mSessionView = makeTable(mSessionModel);
    mSessionView->setSelectionMode(QAbstractItemView::SingleSelection);
    mRunModel = new QStandardItemModel(0, RunColumns, this);
    mRunView = makeTable(mRunModel);
    mRunView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    mRunsLabel = new QLabel;

    mOpenButton = new QPushButton;
    mRenameButton = new QPushButton;
    mDuplicateButton = new QPushButton;
    mDeleteButton = new QPushButton;
    mCompareButton = new QPushButton;

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(mOpenButton);
    buttons->addWidget(mRenameButton);
    buttons->addWidget(mDuplicateButton);
    buttons->addWidget(mDeleteButton);
    buttons->addStretch(1);

    auto *top = new QWidget;
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(mDbLabel);
    topLayout->addWidget(mSessionView, 1);
    topLayout->addLayout(buttons);
    auto *bottom = new QWidget;
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    auto *runBar = new QHBoxLayout;
    runBar->addWidget(mRunsLabel, 1);
    runBar->addWidget(mCompareButton);
    bottomLayout->addLayout(runBar);
    bottomLayout->addWidget(mRunView, 1);

    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(top);
    split->addWidget(bottom);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(split);

    mPrompt = [this](const QString &title, const QString &current) {
        bool ok = false;
        const QString name = QInputDialog::getText(this, title, tr("Name:"), QLineEdit::Normal, current, &ok);
        return ok ? name : QString();
    };
    mConfirm = [this](const QString &question) {
        return QMessageBox::question(this, tr("Delete session"), question,
                                     QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
            == QMessageBox::Yes;
    };

    connect(mOpenButton, &QPushButton::clicked, this, [this] {
        if (const qint64 id = selectedSession())
            emit openRequested(id);
    });
    connect(mSessionView, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        if (const qint64 id = index.siblingAtColumn(0).data(IdRole).toLongLong())
            emit openRequested(id);
    });
    connect(mRenameButton, &QPushButton::clicked, this, [this] {
        const QModelIndex cur = mSessionView->currentIndex();
        if (!cur.isValid())
            return;
        const QString name
            = mPrompt(tr("Rename session"), cur.siblingAtColumn(SessionName).data().toString());
        if (!name.isEmpty())
            renameSelected(name);
    });
    connect(mDuplicateButton, &QPushButton::clicked, this, [this] {
        const QModelIndex cur = mSessionView->currentIndex();
        if (!cur.isValid())
            return;
        const QString name = mPrompt(tr("Duplicate session"),
                                     tr("%1 (copy)").arg(cur.siblingAtColumn(SessionName).data().toString()));
        if (!name.isEmpty())
            duplicateSelected(name);
    });
    connect(mDeleteButton, &QPushButton::clicked, this, [this] { deleteSelected(); });
    connect(mCompareButton, &QPushButton::clicked, this, [this] {
        const QList<qint64> runs = selectedRuns();
        if (runs.size() == 2)
            emit compareRequested(runs[0], runs[1]);
    });
    connect(mSessions, &SessionManager::sessionsChanged, this, &SessionBrowser::refresh);
    retranslate();
    refresh();
}

void SessionBrowser::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void SessionBrowser::retranslate()
{
    mSessionModel->setHorizontalHeaderLabels(
        {tr("Name"), tr("Model"), tr("Runs"), tr("Last run"), tr("Modified")});
    mRunModel->setHorizontalHeaderLabels(
        {tr("Run"), tr("Kind"), tr("Status"), tr("Layers"), tr("Plan"), tr("Perplexity"), tr("Started")});
    mOpenButton->setText(tr("&Open"));
    mOpenButton->setToolTip(tr("Open the session: its model, plan and stored results (no recomputation)"));
    mRenameButton->setText(tr("Re&name…"));
    mDuplicateButton->setText(tr("D&uplicate…"));
    mDuplicateButton->setToolTip(tr("A new session with the same model and plan (without the runs)"));
    mDeleteButton->setText(tr("&Delete…"));
    mCompareButton->setText(tr("&Compare"));
    mCompareButton->setToolTip(tr("Select two runs (Ctrl+click) and compare them side by side"));
    refresh();
}

void SessionBrowser::refresh()
{
    const qint64 selected = selectedSession();
    const QList<qint64> runs = selectedRuns();
    mSessionModel->removeRows(0, mSessionModel->rowCount());
    if (!mSessions->isOpen()) {
        mDbLabel->setText(mSessions->openError().isEmpty()
                              ? tr("No session database.")
                              : tr("Sessions unavailable: %1").arg(mSessions->openError()));
        mDbLabel->setStyleSheet(QStringLiteral("color: #b22;"));
        refreshRuns();
        updateButtons();
        return;
    }
    mDbLabel->setStyleSheet(QString());
    auto list = mSessions->sessions();
    if (!list) {
        mDbLabel->setText(list.error());
        mDbLabel->setStyleSheet(QStringLiteral("color: #b22;"));
        refreshRuns();
        updateButtons();
        return;
    }
    mDbLabel->setText(tr("%n session(s) in %1", nullptr, int(list->size())).arg(mSessions->path()));
    for (const SessionSummary &s : *list) {
        QList<QStandardItem *> row {
            item(s.name, s.id), item(QFileInfo(s.modelPath).fileName()), item(QString::number(s.runCount)),
            item(s.lastRunStatus.isEmpty()
                     ? QStringLiteral("—")
                     : runStatusText(runStatusFromName(s.lastRunStatus).value_or(RunStatus::Failed))),
            item(shortTime(s.modified))};
        row[SessionModel]->setToolTip(QStringLiteral("%1 (%2)").arg(s.modelPath, s.architecture));
        row[SessionRuns]->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        row[SessionStatus]->setForeground(statusColor(s.lastRunStatus));
        if (s.id == mCurrent) {
            QFont bold = row[0]->font();
            bold.setBold(true);
            for (QStandardItem *i : row)
                i->setFont(bold);
        }
        mSessionModel->appendRow(row);
    }
    mSessionView->resizeColumnsToContents();
    if (selected)
        selectSession(selected);
    else if (mCurrent)
        selectSession(mCurrent);
    if (!runs.isEmpty())
        selectRuns(runs);
    updateButtons();
}

void SessionBrowser::setCurrentSession(qint64 sessionId)
{
    mCurrent = sessionId;
    refresh();
    if (sessionId)
        selectSession(sessionId);
}

qint64 SessionBrowser::selectedSession() const
{
    const QModelIndex cur = mSessionView->currentIndex();
    return cur.isValid() ? cur.siblingAtColumn(0).data(IdRole).toLongLong() : 0;
}

void SessionBrowser::selectSession(qint64 sessionId)
{
    for (int r = 0; r < mSessionModel->rowCount(); ++r) {
        if (mSessionModel->item(r, 0)->data(IdRole).toLongLong() != sessionId)
            continue;
        if (!mSessionView->selectionModel())
            return;
        // Connected once: the selection model lives as long as the view's model.
        static const char *kConnected = "lqerRunsConnected";
        if (!mSessionView->selectionModel()->property(kConnected).toBool()) {
            mSessionView->selectionModel()->setProperty(kConnected, true);
            connect(mSessionView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
                refreshRuns();
                updateButtons();
            });
        }
        mSessionView->setCurrentIndex(mSessionModel->index(r, 0));
        mSessionView->selectRow(r);
        refreshRuns();
        updateButtons();
        return;
    }
}

void SessionBrowser::refreshRuns()
{
    mRunModel->removeRows(0, mRunModel->rowCount());
    const qint64 id = selectedSession();
    if (!id || !mSessions->isOpen()) {
        mRunsLabel->setText(tr("Runs"));
        return;
    }
    auto runs = mSessions->runs(id);
    if (!runs) {
        mRunsLabel->setText(runs.error());
        return;
    }
    mRunsLabel->setText(tr("Runs of the selected session (%1)").arg(runs->size()));
    for (auto it = runs->crbegin(); it != runs->crend(); ++it) { // newest on top
        const RunRecord &r = *it;
        QStringList ppl;
        if (r.kind == QLatin1String("sweep")) {
            if (!r.perplexities.isEmpty())
                ppl << tr("%n point(s)", nullptr, int(r.perplexities.size()));
        } else if (r.kind == QLatin1String("export")) {
            if (const QString summary = exportRunSummary(r.details); !summary.isEmpty())
                ppl << summary;
        } else if (const QString summary = allocationRunSummary(r.kind, r.details); !summary.isEmpty()) {
            ppl << summary;
        } else {
            for (const PerplexityRecord &p : r.perplexities) {
                QString text = p.perplexityError > 0
                    ? tr("%1 %2 ± %3")
                          .arg(p.label)
                          .arg(p.perplexity, 0, 'f', 3)
                          .arg(p.perplexityError, 0, 'f', 3)
                    : QStringLiteral("%1 %2").arg(p.label).arg(p.perplexity, 0, 'f', 3);
                if (p.kl.measured)
                    text += tr(" (KL from FP32 %1, top-1 agreement %2 %)")
                                .arg(p.kl.meanKl, 0, 'f', 4)
                                .arg(100 * p.kl.top1, 0, 'f', 1);
                ppl << text;
            }
        }
        const LayerPlan &d = r.plan.defaults;
        const QString plan = d.method == Method::Plain || d.rank == 0
            ? QStringLiteral("%1 plain").arg(d.weight.toString())
            : QStringLiteral("%1 %2 k=%3").arg(d.weight.toString(), methodDisplayName(d.method)).arg(d.rank);
        const QString layers = r.expectedLayers > 0
            ? QStringLiteral("%1/%2").arg(r.layerCount).arg(r.expectedLayers)
            : r.details.contains(QStringLiteral("quantizedLayers"))
            ? QString::number(r.details.value(QStringLiteral("quantizedLayers")).toInt())
            : QString::number(r.layerCount);
        QList<QStandardItem *> row {item(QString::number(r.id), r.id),
                                    item(runKindText(r.kind)),
                                    item(runStatusText(r.status)),
                                    item(layers),
                                    item(plan),
                                    item(ppl.join(QStringLiteral(", "))),
                                    item(shortTime(r.started))};
        row[RunId]->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        row[RunLayers]->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        row[RunStatus_]->setForeground(statusColor(runStatusName(r.status)));
        if (!r.error.isEmpty())
            row[RunStatus_]->setToolTip(r.error);
        if (r.details.contains(QStringLiteral("outputDir"))) {
            QStringList files;
            for (const QJsonValue &f : r.details.value(QStringLiteral("files")).toArray())
                files << f.toObject().value(QStringLiteral("name")).toString();
            row[RunPerplexity]->setToolTip(QStringLiteral("%1\n%2").arg(
                r.details.value(QStringLiteral("outputDir")).toString(), files.join(QStringLiteral(", "))));
        }
        mRunModel->appendRow(row);
    }
    mRunView->resizeColumnsToContents();
    if (mRunView->selectionModel()) {
        static const char *kConnected = "lqerButtonsConnected";
        if (!mRunView->selectionModel()->property(kConnected).toBool()) {
            mRunView->selectionModel()->setProperty(kConnected, true);
            connect(mRunView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
                    &SessionBrowser::updateButtons);
        }
    }
}

QList<qint64> SessionBrowser::selectedRuns() const
{
    QList<qint64> out;
    if (!mRunView->selectionModel())
        return out;
    const QModelIndexList rows = mRunView->selectionModel()->selectedRows(0);
    for (const QModelIndex &i : rows)
        out << i.data(IdRole).toLongLong();
    std::sort(out.begin(), out.end()); // A = the older run
    return out;
}

void SessionBrowser::selectRuns(const QList<qint64> &runIds)
{
    if (!mRunView->selectionModel())
        return;
    QItemSelection selection;
    for (int r = 0; r < mRunModel->rowCount(); ++r)
        if (runIds.contains(mRunModel->item(r, 0)->data(IdRole).toLongLong()))
            selection.select(mRunModel->index(r, 0), mRunModel->index(r, RunColumns - 1));
    mRunView->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    updateButtons();
}

void SessionBrowser::updateButtons()
{
    const bool have = mSessions->isOpen() && selectedSession() != 0;
    mOpenButton->setEnabled(have);
    mRenameButton->setEnabled(have);
    mDuplicateButton->setEnabled(have);
    mDeleteButton->setEnabled(have);
    mCompareButton->setEnabled(selectedRuns().size() == 2);
}

void SessionBrowser::report(const QString &title, const Status &status)
{
    if (!status)
        emit errorOccurred(title, status.error());
}

Status SessionBrowser::renameSelected(const QString &name)
{
    const qint64 id = selectedSession();
    if (!id)
        return makeError(tr("No session is selected"));
    const Status s = mSessions->renameSession(id, name);
    report(tr("Cannot rename the session"), s);
    return s;
}

Expected<qint64> SessionBrowser::duplicateSelected(const QString &name)
{
    const qint64 id = selectedSession();
    if (!id)
        return makeError(tr("No session is selected"));
    auto copy = mSessions->duplicateSession(id, name);
    if (!copy) {
        report(tr("Cannot duplicate the session"), Status(makeError(copy.error())));
        return copy;
    }
    selectSession(*copy);
    return copy;
}

Status SessionBrowser::deleteSelected()
{
    const qint64 id = selectedSession();
    if (!id)
        return makeError(tr("No session is selected"));
    const QString name = mSessionView->currentIndex().siblingAtColumn(SessionName).data().toString();
    const QString runs = mSessionView->currentIndex().siblingAtColumn(SessionRuns).data().toString();
    if (!mConfirm(tr("Delete the session \"%1\" and its %2 run(s)? This cannot be undone.").arg(name, runs)))
        return makeError(tr("Deletion cancelled"));
    if (id == mCurrent)
        mCurrent = 0;
    const Status s = mSessions->deleteSession(id);
    report(tr("Cannot delete the session"), s);
    if (s)
        emit sessionDeleted(id);
    return s;
}

} // namespace lqer
