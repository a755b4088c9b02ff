#include "app/studio/recentfiles.h"

#include <QMenu>
#include <QSettings>

namespace lqer {

// Settings keys, declared where they are used (STYLE.md §5).
static const QString kRecentFilesKey = QStringLiteral("studio.recentFiles");
static const int kMaxRecent = 8;

RecentFiles::RecentFiles(QMenu *menu, QObject *parent)
    : QObject(parent)
    , mMenu(menu)
{
    updateMenu();
}

QStringList RecentFiles::paths() const
{
    return QSettings().value(kRecentFilesKey).toStringList();
}

void RecentFiles::add(const QString &path)
{
    QStringList recent = paths();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    QSettings().setValue(kRecentFilesKey, recent);
    updateMenu();
}

void RecentFiles::updateMenu()
{
    mMenu->clear();
    const QStringList recent = paths();
    for (int i = 0; i < recent.size(); ++i) {
        QAction *a = mMenu->addAction(QStringLiteral("&%1 %2").arg(i + 1).arg(recent[i]));
        const QString path = recent[i];
        connect(a, &QAction::triggered, this, [this, path] { emit openRequested(path); });
    }
    mMenu->setEnabled(!recent.isEmpty());
}

} // namespace lqer
