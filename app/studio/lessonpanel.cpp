#include "app/studio/lessonpanel.h"

#include "app/studio/document.h"
#include "app/studio/mainwindow.h"
#include "app/studio/views/blockexplorerview.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSlider>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace lqer {

namespace {

const int kRanks[] = {0, 1, 2, 4, 8, 16, 32, 64, 128, 256};

} // namespace

LessonPanel::LessonPanel(MainWindow &window, QWidget *parent)
    : QWidget(parent)
    , mWindow(window)
{
    setObjectName(QStringLiteral("LessonPanel"));
    auto *layout = new QVBoxLayout(this);
    mLessonBox = new QComboBox;
    for (int i = 0; i < lessons().size(); ++i)
        mLessonBox->addItem(QString());
    layout->addWidget(mLessonBox);
    mStepLabel = new QLabel;
    layout->addWidget(mStepLabel);
    mTitle = new QLabel;
    mTitle->setObjectName(QStringLiteral("LessonStepTitle"));
    QFont big = mTitle->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    mTitle->setFont(big);
    mTitle->setWordWrap(true);
    layout->addWidget(mTitle);
    mText = new QTextBrowser;
    mText->setOpenLinks(false);
    layout->addWidget(mText, 1);

    auto *nav = new QHBoxLayout;
    mPrev = new QPushButton;
    mNext = new QPushButton;
    mTry = new QPushButton;
    mTry->setObjectName(QStringLiteral("LessonTryThis"));
    nav->addWidget(mPrev);
    nav->addWidget(mNext);
    layout->addLayout(nav);
    layout->addWidget(mTry);

    mRankBox = new QWidget;
    auto *rank = new QVBoxLayout(mRankBox);
    rank->setContentsMargins(0, 0, 0, 0);
    mRankLabel = new QLabel;
    mRankSlider = new QSlider(Qt::Horizontal);
    mRankSlider->setRange(0, int(std::size(kRanks)) - 1);
    mRankSlider->setPageStep(1);
    mRankSlider->setTracking(false);
    mEnergyLabel = new QLabel;
    mEnergyLabel->setWordWrap(true);
    rank->addWidget(mRankLabel);
    rank->addWidget(mRankSlider);
    rank->addWidget(mEnergyLabel);
    layout->addWidget(mRankBox);

    mCheckBox = new QWidget;
    auto *check = new QVBoxLayout(mCheckBox);
    check->setContentsMargins(0, 0, 0, 0);
    mQuestion = new QLabel;
    mQuestion->setWordWrap(true);
    mAnswerEdit = new QLineEdit;
    mChoiceBox = new QComboBox;
    mCheckButton = new QPushButton;
    mFeedback = new QLabel;
    mFeedback->setWordWrap(true);
    check->addWidget(mQuestion);
    auto *answerRow = new QHBoxLayout;
    answerRow->addWidget(mAnswerEdit, 1);
    answerRow->addWidget(mChoiceBox, 1);
    answerRow->addWidget(mCheckButton);
    check->addLayout(answerRow);
    check->addWidget(mFeedback);
    layout->addWidget(mCheckBox);

    connect(mLessonBox, &QComboBox::activated, this, [this](int index) { showStep(index, 0); });
    connect(mPrev, &QPushButton::clicked, this, &LessonPanel::previous);
    connect(mNext, &QPushButton::clicked, this, &LessonPanel::next);
    connect(mTry, &QPushButton::clicked, this, &LessonPanel::tryThis);
    connect(mRankSlider, &QSlider::valueChanged, this, [this](int index) { setRank(kRanks[index]); });
    connect(mCheckButton, &QPushButton::clicked, this, [this] {
        answer(step().check && step().check->choices ? mChoiceBox->currentText() : mAnswerEdit->text());
    });
    connect(mAnswerEdit, &QLineEdit::returnPressed, mCheckButton, &QPushButton::click);
    retranslate();
}

LessonPanel::~LessonPanel()
{
    mPool.waitForDone();
}

const LessonStep &LessonPanel::step() const
{
    return lessons()[mLesson].steps[mStep];
}

void LessonPanel::showStep(int lesson, int stepIndex)
{
    mLesson = std::clamp(lesson, 0, int(lessons().size()) - 1);
    mStep = std::clamp(stepIndex, 0, int(lessons()[mLesson].steps.size()) - 1);
    ++mCheckSequence; // a pending check belongs to the step left
    mChecking = 0;
    mLastCorrect.reset();
    mExpected.clear();
    mCheckError.clear();
    mAnswerEdit->clear();
    const LessonStep &s = step();
    if (mWindow.document() && s.setup)
        s.setup(mWindow);
    if (!s.view.isEmpty())
        mWindow.setCurrentView(s.view);
    if (s.rankSlider && mWindow.document() && !mWindow.currentLayer().isEmpty()) {
        const int k = mWindow.document()->plan().forLayer(mWindow.currentLayer()).rank;
        const QSignalBlocker block(mRankSlider);
        int index = 0;
        for (int i = 0; i < int(std::size(kRanks)); ++i)
            if (kRanks[i] <= k)
                index = i;
        mRankSlider->setValue(index);
        updateEnergy();
    }
    updateTexts();
    emit stepChanged(mLesson, mStep);
}

void LessonPanel::next()
{
    if (mStep + 1 < lessons()[mLesson].steps.size())
        showStep(mLesson, mStep + 1);
    else if (mLesson + 1 < lessons().size())
        showStep(mLesson + 1, 0);
}

void LessonPanel::previous()
{
    if (mStep > 0)
        showStep(mLesson, mStep - 1);
    else if (mLesson > 0)
        showStep(mLesson - 1, int(lessons()[mLesson - 1].steps.size()) - 1);
}

void LessonPanel::tryThis()
{
    if (step().tryAction && mWindow.document())
        step().tryAction(mWindow);
}

QStringList LessonPanel::choices() const
{
    QStringList list;
    for (int i = 0; i < mChoiceBox->count(); ++i)
        list << mChoiceBox->itemText(i);
    return list;
}

void LessonPanel::answer(const QString &given)
{
    if (!step().check)
        return;
    startCheck(given);
}

void LessonPanel::startCheck(const QString &given)
{
    const Document *doc = mWindow.document();
    if (!doc) {
        mCheckError = tr("Open a model first.");
        mLastCorrect.reset();
        updateTexts();
        return;
    }
    CheckInput in;
    in.checkpoint = doc->checkpoint();
    in.layers = doc->layers();
    in.layer = mWindow.currentLayer();
    in.plan = doc->plan();
    in.stats = doc->stats();
    if (const BlockExplorerView *e = mWindow.view<BlockExplorerView>())
        in.block = e->explanation();
    in.modelBits = doc->modelBitsPerWeight();
    in.areaRatio = doc->areaRatio();
    const StudentCheck check = *step().check;
    const quint64 sequence = ++mCheckSequence;
    ++mChecking;
    mFeedback->setText(tr("Checking…"));
    QPointer<LessonPanel> self(this);
    mPool.start([self, sequence, check, in, given] {
        const Expected<CheckAnswer> expected = check.answer(in);
        QMetaObject::invokeMethod(
            self,
            [self, sequence, check, expected, given] {
                if (sequence != self->mCheckSequence)
                    return;
                self->mChecking = 0;
                if (expected) {
                    self->mExpected = expected->text();
                    self->mLastCorrect = check.accepts(given, *expected);
                    self->mCheckError.clear();
                } else {
                    self->mExpected.clear();
                    self->mLastCorrect.reset();
                    self->mCheckError = expected.error();
                }
                self->updateTexts();
            },
            Qt::QueuedConnection);
    });
}

QString LessonPanel::feedback() const
{
    if (!mCheckError.isEmpty())
        return mCheckError;
    if (!mLastCorrect)
        return QString();
    return *mLastCorrect
        ? tr("Correct: the engine computes %1.").arg(mExpected)
        : tr("Not quite: the engine computes %1. Look at the view again and try once more.").arg(mExpected);
}

void LessonPanel::setRank(int k)
{
    Document *doc = mWindow.document();
    const QString layer = mWindow.currentLayer();
    if (!doc || layer.isEmpty())
        return;
    if (doc->plan().forLayer(layer).rank != k)
        doc->editLayers(
            {layer}, [k](LayerPlan &p) { p.rank = k; }, tr("Lesson: rank %1").arg(k));
    {
        const QSignalBlocker block(mRankSlider);
        for (int i = 0; i < int(std::size(kRanks)); ++i)
            if (kRanks[i] == k)
                mRankSlider->setValue(i);
    }
    mWindow.showLayerDetail(layer); // the residual E − AB at the new rank
    showEnergy();
}

int LessonPanel::rank() const
{
    return kRanks[mRankSlider->value()];
}

void LessonPanel::updateEnergy()
{
    const Document *doc = mWindow.document();
    const QString layerName = mWindow.currentLayer();
    const LinearLayerInfo *layer = doc ? doc->layer(layerName) : nullptr;
    if (!layer)
        return;
    const auto stats = doc->stats();
    const LayerStats *layerStats = findLayerStats(stats.get(), layerName);
    const quint64 sequence = ++mEnergySequence;
    ++mEnergyPending;
    QPointer<LessonPanel> self(this);
    const LinearLayerInfo info = *layer;
    const LayerPlan plan = doc->plan().forLayer(layerName);
    const auto checkpoint = doc->checkpoint();
    mPool.start([self, sequence, info, plan, checkpoint, stats, layerStats] {
        LayerPlan lqer = plan, l2qer = plan;
        lqer.method = Method::Lqer;
        l2qer.method = Method::L2Qer;
        auto plain = errorSpectrum(*checkpoint, info, lqer, nullptr);
        auto scaled
            = layerStats ? errorSpectrum(*checkpoint, info, l2qer, layerStats) : Expected<VectorD>(VectorD());
        QMetaObject::invokeMethod(
            self,
            [self, sequence, info, plain, scaled] {
                --self->mEnergyPending;
                if (sequence != self->mEnergySequence)
                    return;
                self->mEnergyLayer = info.weightName;
                self->mPlainSpectrum = plain ? *plain : VectorD();
                self->mScaledSpectrum = scaled ? *scaled : VectorD();
                self->mEnergyError = !plain ? plain.error() : (!scaled ? scaled.error() : QString());
                self->showEnergy();
            },
            Qt::QueuedConnection);
    });
}

QString LessonPanel::energyText() const
{
    return mEnergyLabel->text();
}

void LessonPanel::showEnergy()
{
    const int k = rank();
    mRankLabel->setText(tr("Rank k = %1 for %2").arg(k).arg(mWindow.currentLayer()));
    if (!mEnergyError.isEmpty()) {
        mEnergyLabel->setText(mEnergyError);
        return;
    }
    if (mEnergyLayer != mWindow.currentLayer() || mPlainSpectrum.size() == 0) {
        mEnergyLabel->setText(tr("Computing the spectrum…"));
        if (mEnergyPending == 0 && mEnergyError.isEmpty())
            updateEnergy(); // another layer was selected since
        return;
    }
    const double captured = 100.0 * capturedEnergy(mPlainSpectrum, k);
    QString text = tr("LQER: rank %1 captures %2% of ‖E‖²; the residual E − AB keeps %3%.")
                       .arg(k)
                       .arg(captured, 0, 'f', 1)
                       .arg(100.0 - captured, 0, 'f', 1);
    if (mScaledSpectrum.size() > 0)
        text += QLatin1Char(' ')
            + tr("L²QER: it captures %1% of ‖SE‖².")
                  .arg(100.0 * capturedEnergy(mScaledSpectrum, k), 0, 'f', 1);
    else
        text += QLatin1Char(' ') + tr("(Calibrate to compare with L²QER.)");
    mEnergyLabel->setText(text);
}

void LessonPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void LessonPanel::retranslate()
{
    for (int i = 0; i < lessons().size(); ++i)
        mLessonBox->setItemText(i, lessonText(lessons()[i].title));
    mPrev->setText(tr("← Previous"));
    mNext->setText(tr("Next →"));
    mCheckButton->setText(tr("Check"));
    mAnswerEdit->setPlaceholderText(tr("Your answer"));
    updateTexts();
}

void LessonPanel::updateTexts()
{
    const LessonStep &s = step();
    mLessonBox->setCurrentIndex(mLesson);
    mStepLabel->setText(tr("Step %1 of %2").arg(mStep + 1).arg(lessons()[mLesson].steps.size()));
    mTitle->setText(lessonText(s.title));
    mText->setPlainText(lessonText(s.text));
    mTry->setVisible(s.tryThis != nullptr);
    if (s.tryThis)
        mTry->setText(tr("Try this: %1").arg(lessonText(s.tryThis)));
    mPrev->setEnabled(mLesson > 0 || mStep > 0);
    mNext->setEnabled(mLesson + 1 < lessons().size() || mStep + 1 < lessons()[mLesson].steps.size());
    mRankBox->setVisible(s.rankSlider);
    if (s.rankSlider)
        showEnergy();
    mCheckBox->setVisible(s.check.has_value());
    if (s.check) {
        QString question = lessonText(s.check->question);
        if (question.contains(QLatin1String("%1")))
            question = question.arg(mWindow.currentLayer());
        mQuestion->setText(tr("Check: %1").arg(question));
        const bool choice = bool(s.check->choices);
        mAnswerEdit->setVisible(!choice);
        mChoiceBox->setVisible(choice);
        if (choice && mWindow.document()) {
            CheckInput in;
            in.layers = mWindow.document()->layers();
            const QStringList options = s.check->choices(in);
            if (options != choices()) {
                mChoiceBox->clear();
                mChoiceBox->addItems(options);
            }
        }
        if (mChecking == 0) {
            const QString text = feedback();
            const QString colour
                = mLastCorrect && *mLastCorrect ? QStringLiteral("#006400") : QStringLiteral("#b00020");
            mFeedback->setText(
                text.isEmpty()
                    ? QString()
                    : QStringLiteral("<span style='color:%1'>%2</span>").arg(colour, text.toHtmlEscaped()));
        }
    }
}

} // namespace lqer
