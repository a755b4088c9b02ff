#pragma once

// The Lessons panel (a dock): the lesson and its step, the step's text, previous / next, the
// step's "try this" action, the rank slider of the low-rank steps (the current layer's rank,
// with the share of the error energy it captures) and the step's check for students, answered
// with feedback. Selecting a step sets the studio up for it (LessonStep::setup).

#include "app/studio/lessons.h"
#include "core/common/workerpool.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QStackedWidget;
class QTextBrowser;

namespace lqer {

class MainWindow;

class LessonPanel : public QWidget
{
    Q_OBJECT

public:
    explicit LessonPanel(MainWindow &window, QWidget *parent = nullptr);
    ~LessonPanel() override;

    // Lesson `lesson` (0-based), step `step`; both clamped. Sets the studio up for the step.
    void showStep(int lesson, int step);
    void next();
    void previous();
    void tryThis();
    int lessonIndex() const { return mLesson; }
    int stepIndex() const { return mStep; }
    const LessonStep &step() const;

    // The step's check: the answer given (typed number or chosen layer) is compared with what
    // the engine computes, on a worker thread; isChecking() until the feedback is shown.
    void answer(const QString &given);
    bool isChecking() const { return mChecking > 0; }
    std::optional<bool> lastCorrect() const { return mLastCorrect; }
    QString expectedAnswer() const { return mExpected; }
    QString feedback() const;
    QStringList choices() const;

    // The rank slider (low-rank steps): sets the current layer's rank; the energy captured is
    // computed from the layer's error spectrum (LQER and, with statistics, L²QER).
    void setRank(int k);
    int rank() const;
    QString energyText() const;
    bool isComputingEnergy() const { return mEnergyPending > 0; }

    void retranslate();

signals:
    void stepChanged(int lesson, int step);

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateTexts();
    void startCheck(const QString &given);
    void updateEnergy();
    void showEnergy();

    MainWindow &mWindow;
    int mLesson = 0;
    int mStep = 0;
    QComboBox *mLessonBox;
    QLabel *mStepLabel;
    QLabel *mTitle;
    QTextBrowser *mText;
    QPushButton *mPrev;
    QPushButton *mNext;
    QPushButton *mTry;
    QWidget *mRankBox;
    QLabel *mRankLabel;
    QSlider *mRankSlider;
    QLabel *mEnergyLabel;
    QWidget *mCheckBox;
    QLabel *mQuestion;
    QLineEdit *mAnswerEdit;
    QComboBox *mChoiceBox;
    QPushButton *mCheckButton;
    QLabel *mFeedback;
    WorkerPool mPool {1}; // one worker: the newest request waits for the one running
    int mChecking = 0;
    quint64 mCheckSequence = 0;
    std::optional<bool> mLastCorrect;
    QString mExpected;
    QString mCheckError;
    // Spectra of the current layer for the energy captured.
    quint64 mEnergySequence = 0;
    int mEnergyPending = 0;
    QString mEnergyLayer;
    VectorD mPlainSpectrum;
    VectorD mScaledSpectrum;
    QString mEnergyError;
};

} // namespace lqer
