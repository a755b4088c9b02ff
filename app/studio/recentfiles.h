#pragma once

// File > Open recent: the last checkpoints opened, kept in the settings, newest first.

#include <QObject>

class QMenu;

namespace lqer {

class RecentFiles : public QObject
{
    Q_OBJECT

public:
    // Fills `menu` (owned by the caller) now and whenever the list changes.
    explicit RecentFiles(QMenu *menu, QObject *parent = nullptr);

    QStringList paths() const;
    // `path` goes to the top; the oldest beyond the limit drops off.
    void add(const QString &path);

signals:
    void openRequested(const QString &path);

private:
    void updateMenu();

    QMenu *mMenu;
};

} // namespace lqer
