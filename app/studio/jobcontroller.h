#pragma once

// Runs the studio's job kinds (jobkind.h) on one JobRunner: prepare, start, and when the job
// ends the kind's own hook, then the recording of what it captured as a run of the session.

#include "app/studio/jobkind.h"

#include <QObject>

#include <memory>
#include <vector>

namespace lqer {

class SessionController;

class JobController : public QObject
{
    Q_OBJECT

public:
    JobController(StudioHost &host, JobRunner *runner, SessionController *sessions,
                  QObject *parent = nullptr);
    ~JobController() override;

    // Prepares and starts the job of kind `id`; false when nothing was started.
    bool start(const QString &id, const QString &argument = QString());
    JobKind *kind(const QString &id) const;
    QStringList kindIds() const;
    // A job of another kind than `id` is running (previews never replace a longer job).
    bool isRunningOtherThan(const QString &id) const;
    JobRunner *runner() const { return mRunner; }

private:
    StudioHost &mHost;
    JobRunner *mRunner;
    SessionController *mSessions;
    std::vector<std::unique_ptr<JobKind>> mKinds;
};

} // namespace lqer
