#pragma once

// The sessions browser (a dock of the main window): the sessions of the database (name, model,
// runs, last status, modified) with Open, Rename, Duplicate and Delete, and below them the runs
// of the selected session, two of which can be compared side by side.
//
// Confirmations and names are asked through overridable hooks so tests drive every action
// without a modal dialog.

#include "core/common/expected.h"

#include <QWidget>

#include <functional>

class QLabel;
class QPushButton;
class QStandardItemModel;
class QTableView;

namespace lqer {

class SessionManager;

class SessionBrowser : public QWidget
{
    Q_OBJECT

public:
    enum SessionColumn {
        SessionName,
        SessionModel,
        SessionRuns,
        SessionStatus,
        SessionModified,
        SessionColumns
    };
    enum RunColumn { RunId, RunKind, RunStatus_, RunLayers, RunPlan, RunPerplexity, RunStarted, RunColumns };
    static constexpr int IdRole = Qt::UserRole + 1;

    explicit SessionBrowser(SessionManager *sessions, QWidget *parent = nullptr);

    void refresh();
    // The session the window shows (bold in the list).
    void setCurrentSession(qint64 sessionId);

    qint64 selectedSession() const;
    void selectSession(qint64 sessionId);
    QList<qint64> selectedRuns() const;
    void selectRuns(const QList<qint64> &runIds);

    // Actions on the selected session; they return what failed (also shown in the panel).
    Status renameSelected(const QString &name);
    Expected<qint64> duplicateSelected(const QString &name);
    Status deleteSelected();

    QTableView *sessionView() const { return mSessionView; }
    QTableView *runView() const { return mRunView; }
    QStandardItemModel *sessionModel() const { return mSessionModel; }
    QStandardItemModel *runModel() const { return mRunModel; }

    // Hooks (defaults show dialogs): ask for a name, confirm a deletion.
    void setNamePrompt(std::function<QString(const QString &title, const QString &current)> prompt)
    {
        mPrompt = std::move(prompt);
    }
    void setConfirm(std::function<bool(const QString &question)> confirm) { mConfirm = std::move(confirm); }

signals:
    void openRequested(qint64 sessionId);
    void compareRequested(qint64 runA, qint64 runB);
    void sessionDeleted(qint64 sessionId);
    void errorOccurred(const QString &title, const QString &message);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void refreshRuns();
    void updateButtons();
    void report(const QString &title, const Status &status);

    SessionManager *mSessions;
    qint64 mCurrent = 0;
    QLabel *mDbLabel;
    QLabel *mRunsLabel;
    QTableView *mSessionView;
    QTableView *mRunView;
    QStandardItemModel *mSessionModel;
    QStandardItemModel *mRunModel;
    QPushButton *mOpenButton, *mRenameButton, *mDuplicateButton, *mDeleteButton, *mCompareButton;
    std::function<QString(const QString &, const QString &)> mPrompt;
    std::function<bool(const QString &)> mConfirm;
};

} // namespace lqer
