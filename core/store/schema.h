#pragma once

// The session store's schema, one entry per version. Version N's statements turn a version
// N-1 database into version N; they never drop user data. Append a version, never edit one
// that has shipped: tests/data/store_v1.sqlite pins version 1.

#include <QStringList>

namespace lqer::storeschema {

// PRAGMA application_id of our files ("LQER"), to tell them from other programs' SQLite files.
constexpr int kApplicationId = 0x4C514552;

int latestVersion();
// Statements that migrate version `version - 1` to `version` (1 <= version <= latestVersion()).
QStringList migrationTo(int version);

} // namespace lqer::storeschema
